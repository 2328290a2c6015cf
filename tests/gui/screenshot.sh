#!/usr/bin/env bash
# Screenshots of the Manager under Xvfb: the virtual map, the physical map, the inspector, a search
# and a router's BGP dialog, in English and Japanese (plus the dark theme), against a cluster
# holding the demo topology. SCREENSHOT_DISPLAY picks the X display number to start at.
#
#   tests/gui/screenshot.sh [BUILD_DIR] [OUT_DIR]
#
# The cluster is midonet-fake-cluster (the GUI tests' stand-in, tests/gui/manager/fake_cluster.h)
# with --demo, on a free loopback port. Look at every PNG before calling the GUI done.
set -euo pipefail
build=${1:-${MIDONET_BUILD_DIR:-$(cd "$(dirname "$0")/../.." && pwd)/build-gui}}
out=${2:-/tmp/midonet-screenshots}
manager=$build/manager-gui/midonet-manager
fake=$build/tests/gui/manager/midonet-fake-cluster
for b in "$manager" "$fake"; do
  [ -x "$b" ] || { echo "screenshot.sh: $b is not built (ninja midonet-manager midonet-fake-cluster)" >&2; exit 1; }
done
command -v Xvfb >/dev/null || { echo "screenshot.sh: Xvfb is not installed (package xvfb)" >&2; exit 1; }
mkdir -p "$out"
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$fake" --port "$port" --demo >"$work/cluster.log" 2>&1 &
pids+=($!)
for _ in $(seq 50); do
  curl -fs "http://127.0.0.1:$port/midonet-api/" >/dev/null 2>&1 && break
  sleep 0.1
done

# A free display number.
disp=${SCREENSHOT_DISPLAY:-90}
while [ -e /tmp/.X11-unix/X$disp ] || [ -e /tmp/.X$disp-lock ]; do disp=$((disp + 1)); done
Xvfb ":$disp" -screen 0 1400x900x24 -nolisten tcp >"$work/xvfb.log" 2>&1 &
pids+=($!)
for _ in $(seq 50); do [ -e /tmp/.X11-unix/X$disp ] && break; sleep 0.1; done

shot() { # name lang extra-args...
  local name=$1 lang=$2; shift 2
  # A private settings directory per shot: no saved positions, no remembered language.
  XDG_CONFIG_HOME="$work/config-$name" DISPLAY=":$disp" QT_QPA_PLATFORM=xcb \
    "$manager" --cluster "http://127.0.0.1:$port" --user admin --lang "$lang" \
    --screenshot "$out/$name.png" "$@" 2>>"$work/manager.log"
  echo "saved $out/$name.png"
}
for lang in en ja; do
  shot "virtual-$lang" "$lang" --view virtual
  shot "physical-$lang" "$lang" --view physical
  shot "inspector-$lang" "$lang" --view virtual --select acme-router
  shot "search-$lang" "$lang" --view virtual --search 10.1.0
  shot "bgp-$lang" "$lang" --view virtual --select provider-router --dialog bgp
done
shot "virtual-dark-en" en --view virtual --theme dark --export "$out/virtual-export.svg"
shot "physical-dark-ja" ja --view physical --theme dark --select compute-3


# The web console: the same binary on Qt's VNC plugin behind websockify, its page (noVNC's RFB
# client) loaded in headless Chromium (web_chromium.py); and the same screen grabbed through the
# WebSocket at the protocol level (web_snapshot.py, no browser needed).
webport=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
while ss -ltn | grep -q ":$((webport + 1)) "; do webport=$((webport + 2)); done
XDG_CONFIG_HOME="$work/config-web" "$manager" --web "$webport" --cluster "http://127.0.0.1:$port" \
  --user admin --lang ja >"$work/web.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$webport/" >/dev/null 2>&1 && break; sleep 0.1; done
sleep 3 # connect, list, lay out
if command -v chromium >/dev/null; then
  python3 "$(dirname "$0")/web_chromium.py" "$webport" "$out/web-chromium-ja.png"
else
  echo "screenshot.sh: chromium is not installed (package chromium); browser shot skipped" >&2
fi
python3 "$(dirname "$0")/web_snapshot.py" "$webport" "$out/web-ja.png"
echo "screenshots in $out"
