#!/usr/bin/env bash
# Installs every Debian 12 package the project needs to build, run and test.
# Idempotent and non-interactive: packages already present are skipped; apt runs only when
# something is missing. Quiet unless it fails (then apt's log is printed).
set -euo pipefail

packages=(
  # toolchain
  build-essential cmake ninja-build ccache pkg-config git clang libclang-rt-14-dev
  # libraries shared by agent, cluster and CLI (no Qt there)
  libboost-dev libboost-system-dev libboost-program-options-dev nlohmann-json3-dev
  libspdlog-dev libfmt-dev libcli11-dev libzookeeper-mt-dev libnl-3-dev libnl-genl-3-dev
  libsodium-dev libssl-dev libedit-dev
  # the Manager (Qt 6): Widgets, Network, WebSockets, Svg, Test, Linguist
  qt6-base-dev qt6-base-dev-tools qt6-websockets-dev qt6-svg-dev qt6-tools-dev qt6-tools-dev-tools
  qt6-l10n-tools qt6-qpa-plugins libgl-dev libxkbcommon-dev fonts-noto-cjk xvfb xauth
  novnc websockify qt6-translations-l10n
  # tests and benchmarks
  libgtest-dev libbenchmark-dev zookeeper default-jre-headless chromium
  iproute2 iputils-ping iperf3 netsniff-ng ethtool tcpdump bridge-utils procps psmisc curl jq
  frr bird2 openvswitch-switch wrk
  # the kernel fast path test: Debian's kernel under qemu with a busybox initramfs
  qemu-system-x86 busybox-static cpio kmod
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  sudo=sudo
else
  sudo=
fi
log=$(mktemp /tmp/midonet-install-deps.XXXXXX.log)
export DEBIAN_FRONTEND=noninteractive
echo "install-deps: installing ${#missing[@]} packages: ${missing[*]}"
if ! { $sudo apt-get update -q && \
       $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"; } >"$log" 2>&1; then
  cat "$log" >&2
  echo "install-deps: apt-get failed (log above, also in $log)" >&2
  exit 1
fi
# The Debian packages start system-wide daemons; our tests run private instances and need the
# default ports and files free, so the system ones are stopped (not removed).
for svc in zookeeper frr bird openvswitch-switch; do
  $sudo systemctl disable --now "$svc" >/dev/null 2>&1 || true
done
rm -f "$log"
