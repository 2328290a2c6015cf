#!/usr/bin/env bash
# Runs the product on this one machine: installs what is missing, builds, and starts a private
# ZooKeeper (loopback, its own data dir) and the parts of the product that exist so far, then
# waits until Ctrl-C and stops everything it started.
#
# usage: installer/demo.sh [--check]
#   --check   start everything, verify it answers, stop, and exit (used by the tests)
set -euo pipefail
source "$(dirname "$0")/common.sh"
source "$MIDONET_SRC/installer/zookeeper.sh"

check=0
[ "${1:-}" = "--check" ] && check=1
case "${1:-}" in -h|--help) sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;; esac

echo "==> installing dependencies"
"$MIDONET_SRC/installer/install-deps.sh"
midonet_build

demo=${MIDONET_DEMO_DIR:-/tmp/midonet-demo}
rm -rf "$demo" && mkdir -p "$demo"
pids=()
cleanup() {
  echo "==> stopping the demo"
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT

zk_port=$(free_port)
echo "==> starting ZooKeeper on 127.0.0.1:$zk_port (data in $demo/zookeeper)"
zk_pid=$(zk_start "$demo/zookeeper" "$zk_port")
pids+=("$zk_pid")
echo "    ZooKeeper is up (pid $zk_pid)"

cat <<INFO
==> the demo cloud is running
    NSDB (ZooKeeper):  127.0.0.1:$zk_port
    logs:              $demo
INFO

if [ "$check" = 1 ]; then
  (exec 3<>/dev/tcp/127.0.0.1/"$zk_port"; echo ruok >&3; grep -q imok <&3) && echo "==> check passed"
  exit 0
fi
echo "    press Ctrl-C to stop"
while sleep 3600; do :; done
