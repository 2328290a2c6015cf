#!/usr/bin/env bash
# Datapath benchmark: the same two namespaces A (10.0.0.1) and B (10.0.0.2), joined in one run,
# side by side, by
#   veth       a direct veth pair (the limit here)
#   bridge     a Linux bridge in a switch namespace S (br_netfilter off)
#   ovs        Open vSwitch's userspace datapath (datapath_type=netdev), daemons private to a
#              temp dir; `ethtool -K tx off` on the host ends (else TCP fails on checksums)
#   midonet    our userspace datapath (dp_switch) in S with in_port megaflows installed
# For each: 64-byte UDP packets per second counted as received in B (trafgen --no-sock-mem,
# one sender pinned to CPU 0; forwarders pinned to CPU 1), TCP Gbit/s (iperf3), ping RTT; then
# new flows per second through an upcall to a trivial handler (dp_switch --upcalls).
# Prints "BENCH <name> <value> <unit>", medians of 3 runs. Needs root; touches nothing but the
# namespaces it creates (prefix mndpb) and a temp dir.
#
# usage: tests/bench/datapath/bench_datapath.sh BUILD_DIR [SECONDS_PER_RUN]
#   PATHS="veth bridge ovs midonet newflows classifier" (default: all) picks what to measure;
#   BEFORE_DIR=<another build dir> adds "midonet_before" (and new flows) measured with that
#   build's dp_switch in the same run, for before/after figures.
set -euo pipefail
build=$(realpath "${1:?usage: bench_datapath.sh BUILD_DIR [SECONDS]}")
secs=${2:-3}
runs=3
dp_switch=$build/tests/bench/datapath/dp_switch
paths=${PATHS:-veth bridge ovs midonet newflows classifier}
want() { case " $paths " in *" $1 "*) return 0 ;; esac; return 1; }
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root (network namespaces)"; exit 0; }
for t in trafgen iperf3 ethtool ovs-vswitchd ovsdb-server taskset; do
    command -v $t >/dev/null || { echo "SKIP: $t not installed"; exit 0; }
done
[ -x "$dp_switch" ] || { echo "build dp_switch first (ninja dp_switch)"; exit 1; }

p=mndpb$$
A=$p-a B=$p-b S=$p-s
tmp=$(mktemp -d /tmp/mndp-bench.XXXXXX)
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    for f in "$tmp"/ovs/*.pid "$tmp"/iperf.pid; do [ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null || true; done
    sleep 0.3
    for n in $A $B $S; do ip netns del $n 2>/dev/null || true; done
    rm -rf "$tmp"
}
trap cleanup EXIT

median() { sort -g | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }

topology() { # $1 = direct|switched
    for n in $A $B $S; do ip netns del $n 2>/dev/null || true; done
    ip netns add $A; ip netns add $B
    if [ "$1" = direct ]; then
        ip link add a0 netns $A type veth peer name b0 netns $B
    else
        ip netns add $S
        ip link add a0 netns $A type veth peer name sa netns $S
        ip link add b0 netns $B type veth peer name sb netns $S
        ip -n $S link set sa up; ip -n $S link set sb up; ip -n $S link set lo up
    fi
    ip -n $A link set a0 address 02:00:00:00:00:01
    ip -n $B link set b0 address 02:00:00:00:00:02
    ip -n $A addr add 10.0.0.1/24 dev a0; ip -n $B addr add 10.0.0.2/24 dev b0
    ip -n $A link set a0 up; ip -n $B link set b0 up
    ip -n $A link set lo up; ip -n $B link set lo up
    ip -n $A neigh replace 10.0.0.2 lladdr 02:00:00:00:00:02 dev a0 nud permanent
    ip -n $B neigh replace 10.0.0.1 lladdr 02:00:00:00:00:01 dev b0 nud permanent
    for n in $A $B; do
        ip netns exec $n sh -c 'echo 1 > /proc/sys/net/ipv6/conf/all/disable_ipv6' 2>/dev/null || true
    done
}

cat >"$tmp/udp64.cfg" <<'CFG'
{
  eth(da=02:00:00:00:00:02, sa=02:00:00:00:00:01, type=0x0800),
  ipv4(saddr=10.0.0.1, daddr=10.0.0.2, ttl=64),
  udp(sport=1024, dport=9),
  fill(0x00, 18)
}
CFG
cat >"$tmp/newflows.cfg" <<'CFG'
{
  eth(da=02:00:00:00:00:02, sa=02:00:00:00:00:01, type=0x0800),
  ipv4(saddr=10.0.0.1, daddr=10.0.0.2, ttl=64),
  udp(sport=dinc(), dport=9),
  fill(0x00, 18)
}
CFG

rx_packets() { ip netns exec $B cat /sys/class/net/b0/statistics/rx_packets; }

udp_kpps() {
    local before after
    before=$(rx_packets)
    ip netns exec $A taskset -c 0 timeout "$secs" trafgen --dev a0 --conf "$tmp/udp64.cfg" \
        --no-sock-mem -P 1 -q >/dev/null 2>&1 || true
    sleep 0.2
    after=$(rx_packets)
    awk -v a="$after" -v b="$before" -v s="$secs" 'BEGIN {printf "%.0f\n", (a-b)/s/1000}'
}

tcp_gbps() {
    ip netns exec $A iperf3 -c 10.0.0.2 -t "$secs" -J 2>/dev/null |
        python3 -c 'import json,sys; print("%.2f" % (json.load(sys.stdin)["end"]["sum_received"]["bits_per_second"]/1e9))' ||
        echo 0
}

ping_us() {
    ip netns exec $A ping -c 300 -i 0.002 -q 10.0.0.2 2>/dev/null |
        awk -F/ '/rtt|round-trip/ {printf "%.0f\n", $5*1000}'
}

measure() { # $1 = name
    local name=$1 v
    ip netns exec $B iperf3 -s -D --pidfile "$tmp/iperf.pid" >/dev/null 2>&1
    sleep 0.3
    ping_us >/dev/null # warm up (and learn MACs where something learns)
    v=$(for i in $(seq $runs); do udp_kpps; done | median); echo "BENCH udp64_rx_${name} $v kpps"
    v=$(for i in $(seq $runs); do tcp_gbps; done | median); echo "BENCH tcp_${name} $v Gbit/s"
    v=$(for i in $(seq $runs); do ping_us; done | median); echo "BENCH ping_${name} $v us"
    kill "$(cat "$tmp/iperf.pid")" 2>/dev/null || true
    rm -f "$tmp/iperf.pid"
}

echo "# $(date -u +%FT%TZ) $(nproc) cores, load: $(cut -d' ' -f1-3 /proc/loadavg) (other builds may be running: noisy)"

# --- veth: the limit
if want veth; then
topology direct
measure veth
fi

# --- Linux bridge
if want bridge; then
topology switched
ip netns exec $S sh -c 'for f in /proc/sys/net/bridge/bridge-nf-call-*; do echo 0 > $f; done' 2>/dev/null || true
ip -n $S link add br0 type bridge
ip -n $S link set sa master br0; ip -n $S link set sb master br0; ip -n $S link set br0 up
measure bridge
fi

# --- OVS 3.1 userspace datapath (netdev), private daemons
if want ovs; then
topology switched
d=$tmp/ovs; mkdir -p "$d"
export OVS_RUNDIR=$d OVS_DBDIR=$d OVS_LOGDIR=$d OVS_PKGDATADIR=/usr/share/openvswitch
ovsdb-tool create "$d/conf.db" /usr/share/openvswitch/vswitch.ovsschema
ip netns exec $S ovsdb-server "$d/conf.db" --remote=punix:"$d/db.sock" --pidfile="$d/ovsdb.pid" \
    --unixctl="$d/ovsdb.ctl" --detach --log-file="$d/ovsdb.log"
vsctl() { ovs-vsctl --db=unix:"$d/db.sock" "$@"; }
vsctl --no-wait init
vsctl --no-wait set Open_vSwitch . other_config:pmd-cpu-mask=0x2
ip netns exec $S taskset -c 1 ovs-vswitchd unix:"$d/db.sock" --pidfile="$d/vswitchd.pid" \
    --unixctl="$d/vswitchd.ctl" --detach --log-file="$d/vswitchd.log"
vsctl add-br br0 -- set bridge br0 datapath_type=netdev
vsctl add-port br0 sa; vsctl add-port br0 sb
ip netns exec $A ethtool -K a0 tx off >/dev/null; ip netns exec $B ethtool -K b0 tx off >/dev/null
sleep 1
measure ovs_netdev
for f in "$d"/vswitchd.pid "$d"/ovsdb.pid; do kill "$(cat "$f")" 2>/dev/null || true; done
sleep 0.5
fi

# --- our userspace datapath (offloads left on: TSO frames cross whole, with their vnet header)
ours() { # $1 = name, $2 = dp_switch binary
    topology switched
    ip netns exec $S taskset -c 1 "$2" sa sb >"$tmp/dp.out" 2>"$tmp/dp.err" &
    pids+=($!)
    for i in $(seq 50); do grep -q ready "$tmp/dp.out" 2>/dev/null && break; sleep 0.1; done
    measure "$1"
    kill "${pids[-1]}"; wait "${pids[-1]}" 2>/dev/null || true
    sed -n "s/^STAT \([a-z_]*\) \(.*\)/# $1 datapath \1 \2/p" "$tmp/dp.out"
}
before_switch=${BEFORE_DIR:+$(realpath "$BEFORE_DIR")/tests/bench/datapath/dp_switch}
if want midonet; then
    ours midonet "$dp_switch"
    if [ -n "$before_switch" ]; then ours midonet_before "$before_switch"; fi
fi

# --- new flows per second through an upcall (trivial handler installs a megaflow per miss)
newflows() { # $1 = name, $2 = dp_switch binary
    topology switched
    v=$(for i in $(seq $runs); do
        ip netns exec $S taskset -c 1 "$2" sa sb --upcalls >"$tmp/up.out" 2>&1 &
        pid=$!
        for j in $(seq 50); do grep -q ready "$tmp/up.out" 2>/dev/null && break; sleep 0.1; done
        ip netns exec $A taskset -c 0 timeout "$secs" trafgen --dev a0 --conf "$tmp/newflows.cfg" \
            --no-sock-mem -P 1 -q >/dev/null 2>&1 || true
        kill $pid; wait $pid 2>/dev/null || true
        sed -n 's/^STAT new_flows_per_s //p' "$tmp/up.out"
    done | median)
    echo "BENCH new_flows_$1 ${v:-0} flows/s"
}
if want newflows; then
    newflows midonet "$dp_switch"
    if [ -n "$before_switch" ]; then newflows midonet_before "$before_switch"; fi
fi

# --- classifier
if want classifier; then "$build/tests/bench/datapath/bench_classifier"; fi
