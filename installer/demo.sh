#!/usr/bin/env bash
# Runs the product on this one machine: installs what is missing, builds, and brings up a demo
# cloud: a private ZooKeeper, midonet-cluster (REST API on 127.0.0.1:8181), three hosts as
# network namespaces each running midonet-agent, three VMs, bridges 'front' and 'back' joined by
# router 'edge' with an external uplink (SNAT, floating IP 198.51.100.2 for vm2) and a BGP gateway
# host g1 peering with FRR in namespace mne-up (all configured through the REST API), and the
# Manager when a display is there.
#
# usage: installer/demo.sh           start and stay in the foreground (Ctrl-C stops everything)
#        installer/demo.sh stop      stop a demo started from another terminal
#        installer/demo.sh --check   start, check that VMs reach each other across hosts, stop
set -euo pipefail
source "$(dirname "$0")/common.sh"

state=/run/midonet-demo
mode=${1:-run}
case "$mode" in
  -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  stop)
    if [ -f "$state/pid" ] && kill "$(cat "$state/pid")" 2>/dev/null; then
      echo "==> demo stopping (pid $(cat "$state/pid"))"
      while kill -0 "$(cat "$state/pid")" 2>/dev/null; do sleep 0.2; done
      rm -f "$state/pid"; echo "==> demo stopped"
    else echo "==> no demo running"; fi
    exit 0 ;;
  run|--check) ;;
  *) echo "demo.sh: unknown argument '$mode' (try --help)" >&2; exit 2 ;;
esac
if [ "$(id -u)" -ne 0 ]; then
  echo "demo.sh: the demo cloud puts hosts and VMs in network namespaces: run it as root" >&2
  exit 1
fi

echo "==> installing dependencies"
"$MIDONET_SRC/installer/install-deps.sh"
midonet_build

mkdir -p "$state"
log=$state/cloud.log
echo "==> starting the demo cloud (log: $log)"
CLOUD_API_PORT=${MIDONET_API_PORT:-8181} bash "$MIDONET_SRC/tests/e2e/cloud/cloud.sh" "$MIDONET_BUILD" --hold >"$log" 2>&1 &
cloud=$!
echo "$cloud" >"$state/pid"
manager=
# Stopping the demo (Ctrl-C or `demo.sh stop`) also closes the Manager it started: left open it
# would only show a cluster that is gone.
trap 'kill $cloud $manager 2>/dev/null; wait $cloud 2>/dev/null; rm -f "$state/pid"' EXIT
for _ in $(seq 1 900); do
  grep -q 'demo cloud is up' "$log" && break
  kill -0 "$cloud" 2>/dev/null || { echo "demo.sh: the cloud did not come up:" >&2; tail -20 "$log" >&2; exit 1; }
  sleep 0.2
done
sed -n '/demo cloud is up/,$p' "$log"

if [ "$mode" = --check ]; then
  ip netns exec mne-vm1 ping -c 3 -i 0.2 -W 2 10.0.1.3 && echo "==> check passed: vm1 (h1) reaches vm3 (h3) through router 'edge'" &&
    ip netns exec mne-up ping -c 2 -i 0.3 -W 2 198.51.100.2 && echo "==> check passed: the BGP upstream reaches vm2's floating IP through gateway g1"
  exit $?
fi
if [ -n "${DISPLAY:-}" ]; then
  echo "==> starting the Manager"
  "$MIDONET_BUILD/manager-gui/midonet-manager" --cluster "http://127.0.0.1:${MIDONET_API_PORT:-8181}/midonet-api" &
  manager=$!
fi
echo "==> press Ctrl-C to stop (or run: installer/demo.sh stop)"
wait $cloud
