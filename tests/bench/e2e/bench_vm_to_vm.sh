#!/usr/bin/env bash
# VM to VM across two hypervisor hosts, three ways side by side in one run (issue 7, "Benchmark"):
#   linux-bridge-vxlan  a Linux bridge + kernel VXLAN device (id 100, port 4789) in each host
#   ovs-netdev-vxlan    Open vSwitch userspace datapath (datapath_type=netdev), private daemons per host
#   midonet             our midonet-agent (--datapath userspace) per host, ZooKeeper + midonet-cluster,
#                       one virtual bridge configured through the REST API
# Each path gets fresh namespaces: hosts mnb-h1/mnb-h2 on an underlay Linux bridge (mnb-br0, plain
# IP) in the root namespace, VMs mnb-vm1/mnb-vm2 attached to their host by veth. Measured VM1 -> VM2,
# each a median of RUNS (3) runs: 64-byte UDP received (kpps), TCP throughput (Gbit/s), ping
# latency (avg and p99 µs over PINGS pings at 1 ms), new TCP connections per second.
#
# usage: bench_vm_to_vm.sh BUILD_DIR [PATH...]     (as root; PATH: linux-bridge-vxlan ovs-netdev-vxlan midonet)
#   BUILD_DIR/agent/midonet-agent and BUILD_DIR/cluster/midonet-cluster are used for "midonet".
#   env: RUNS=3 PINGS=1000 UDP_SECONDS=3 TCP_SECONDS=3 CONN_SECONDS=2 KEEP_BENCH=1 (keep the temp dir)
# Prints "BENCH <path>_<metric> <value> <unit>" lines on stdout, then a table with ratios relative
# to linux-bridge-vxlan. Diagnostics go to stderr. Everything created is named mnb-* and removed on exit.
set -uo pipefail
build=$(realpath "${1:?usage: $0 BUILD_DIR [PATH...]}"); shift
src=$(cd "$(dirname "$0")/../../.." && pwd)
source "$src/tests/e2e/lib.sh" # log, in_ns, wait_for, api, created_id, create (as the e2e scripts)
want_paths=("$@")
[ ${#want_paths[@]} -eq 0 ] && want_paths=(linux-bridge-vxlan ovs-netdev-vxlan midonet)
[ "$(id -u)" = 0 ] || { echo "SKIP bench_vm_to_vm: needs root (namespaces, veth, bridges)"; exit 0; }

RUNS=${RUNS:-3}
PINGS=${PINGS:-1000}
UDP_SECONDS=${UDP_SECONDS:-3}
TCP_SECONDS=${TCP_SECONDS:-3}
CONN_SECONDS=${CONN_SECONDS:-2}

P=mnb
BR=${P}-br0
UNDERLAY=10.78.0
VM1_IP=10.0.0.1 VM2_IP=10.0.0.2
work=$(mktemp -d /tmp/mnb-bench.XXXXXX)
pids=()     # processes of the current path
allpids=()  # every process started, for the exit trap

stop_pids() {
  local p
  for p in "$@"; do kill "$p" 2>/dev/null; done
  for _ in 1 2 3 4 5 6 7 8 9 10; do
    local alive=0; for p in "$@"; do kill -0 "$p" 2>/dev/null && alive=1; done
    [ $alive = 0 ] && break; sleep 0.1
  done
  for p in "$@"; do kill -9 "$p" 2>/dev/null; done
  for p in "$@"; do wait "$p" 2>/dev/null; done
}
teardown_topology() {
  [ ${#pids[@]} -gt 0 ] && stop_pids "${pids[@]}"
  pids=()
  # `ip netns exec` forks, so the pids above are its parents: also stop whatever still runs in
  # our namespaces (all of it started here), else a daemon keeps its namespace and links alive.
  local ns nspids=()
  for ns in $(ip netns list | awk '{print $1}' | grep "^${P}-"); do
    mapfile -t -O ${#nspids[@]} nspids < <(ip netns pids "$ns" 2>/dev/null)
  done
  [ ${#nspids[@]} -gt 0 ] && stop_pids "${nspids[@]}"
  for ns in $(ip netns list | awk '{print $1}' | grep "^${P}-"); do ip netns del "$ns" 2>/dev/null; done
  ip link del "$BR" 2>/dev/null
  return 0
}
cleanup() {
  [ ${#allpids[@]} -gt 0 ] && stop_pids "${allpids[@]}"
  pids=()
  teardown_topology
  [ -n "${KEEP_BENCH:-}" ] && log "kept $work" || rm -rf "$work"
}
trap cleanup EXIT
trap '[ "$BASHPID" = $$ ] && exit 130' INT TERM   # subshells ignore stray signals
start_bg() { # start_bg LOGFILE CMD...: runs CMD in the background, remembers its pid
  "${@:2}" >"$1" 2>&1 &
  pids+=($!); allpids+=($!)
}


# ---- topology common to all paths ----
# The underlay MTU is 1600 so the VMs keep 1500 and the 50 bytes of VXLAN fit without fragments.
underlay_up() {
  teardown_topology
  # Links of deleted namespaces go away asynchronously in the kernel: wait for the old ones.
  wait_for 10 sh -c "! ip link show ${P}-h1u && ! ip link show ${P}-h2u" || log "stale ${P}-h*u links remain"
  ip link add "$BR" type bridge
  ip link set "$BR" mtu 1600
  ip addr add "$UNDERLAY.1/24" dev "$BR"
  ip link set "$BR" up
  local n ns
  for n in 1 2; do
    ns=${P}-h$n
    ip netns add "$ns"
    ip link add "${P}-h${n}u" mtu 1600 type veth peer name u0 mtu 1600 netns "$ns"
    ip link set "${P}-h${n}u" master "$BR" up
    in_ns "$ns" ip link set lo up
    in_ns "$ns" ip link set u0 up
    # br_netfilter is on in every new namespace and costs a bridge ~15 %: off in the hosts.
    in_ns "$ns" sysctl -qw net.bridge.bridge-nf-call-iptables=0 net.bridge.bridge-nf-call-ip6tables=0 \
        net.bridge.bridge-nf-call-arptables=0 2>/dev/null
  done
}
host_ip() { echo "$UNDERLAY.1$1"; }
add_vm() { # add_vm N: VM namespace mnb-vmN, eth0 <-> tap-vmN in host mnb-hN
  local n=$1 vm=${P}-vm$1 host=${P}-h$1
  ip netns add "$vm"
  ip link add eth0 netns "$vm" type veth peer name "tap-vm$n" netns "$host"
  in_ns "$vm" ip link set lo up
  in_ns "$vm" ip link set eth0 address "02:00:00:00:00:0$n"
  in_ns "$vm" ip addr add "10.0.0.$n/24" dev eth0
  in_ns "$vm" ip link set eth0 up
  # Wide port range and TIME_WAIT reuse so the connection-rate loop never runs out of ports.
  in_ns "$vm" sysctl -qw net.ipv4.ip_local_port_range="1024 65000" net.ipv4.tcp_tw_reuse=1
  in_ns "$host" ip link set "tap-vm$n" up
}
# Userspace datapaths forward whole frames: the sender's kernel must fill checksums (tx off).
vm_tx_off() { local n; for n in 1 2; do in_ns ${P}-vm$n ethtool -K eth0 tx off >/dev/null 2>&1; done; }

# ---- path 1: Linux bridge + kernel VXLAN ----
setup_linux_bridge_vxlan() {
  underlay_up
  local n other ns
  for n in 1 2; do
    other=$(( 3 - n )); ns=${P}-h$n
    in_ns "$ns" ip addr add "$(host_ip $n)/24" dev u0
    in_ns "$ns" ip link add br0 type bridge
    in_ns "$ns" ip link add vxlan100 type vxlan id 100 dstport 4789 local "$(host_ip $n)" \
        remote "$(host_ip $other)" dev u0
    in_ns "$ns" ip link set vxlan100 mtu 1500
    add_vm "$n"
    in_ns "$ns" ip link set vxlan100 master br0 up
    in_ns "$ns" ip link set "tap-vm$n" master br0
    in_ns "$ns" ip link set br0 up
  done
}

# ---- path 2: Open vSwitch netdev + VXLAN, private daemons per host ----
ovs() { local n=$1; shift; in_ns ${P}-h$n ovs-vsctl --timeout=10 --db="unix:$work/ovs$n/db.sock" "$@"; }
ovs_appctl() { local n=$1; shift; in_ns ${P}-h$n ovs-appctl --timeout=10 -t "$work/ovs$n/vswitchd.ctl" "$@"; }
setup_ovs_netdev_vxlan() {
  underlay_up
  local n other ns d
  for n in 1 2; do
    other=$(( 3 - n )); ns=${P}-h$n; d=$work/ovs$n
    rm -rf "$d"; mkdir -p "$d"
    ovsdb-tool create "$d/conf.db" /usr/share/openvswitch/vswitch.ovsschema >/dev/null || return 1
    export OVS_RUNDIR=$d OVS_LOGDIR=$d OVS_DBDIR=$d
    start_bg "$d/ovsdb-server.out" in_ns "$ns" ovsdb-server "$d/conf.db" --remote="punix:$d/db.sock" \
        --unixctl="$d/ovsdb.ctl" --pidfile="$d/ovsdb.pid" --log-file="$d/ovsdb.log"
    wait_for 10 test -S "$d/db.sock" || { log "ovsdb-server $n did not start"; return 1; }
    ovs "$n" --no-wait init
    start_bg "$d/ovs-vswitchd.out" in_ns "$ns" ovs-vswitchd "unix:$d/db.sock" --unixctl="$d/vswitchd.ctl" \
        --pidfile="$d/vswitchd.pid" --log-file="$d/vswitchd.log"
    unset OVS_RUNDIR OVS_LOGDIR OVS_DBDIR
    wait_for 10 test -S "$d/vswitchd.ctl" || { log "ovs-vswitchd $n did not start"; return 1; }
    # Userspace tunnels leave through an OVS bridge that owns the underlay address (br-phy).
    ovs "$n" add-br br-phy -- set bridge br-phy datapath_type=netdev \
        -- add-port br-phy u0 || return 1
    in_ns "$ns" ip addr add "$(host_ip $n)/24" dev br-phy
    in_ns "$ns" ip link set br-phy mtu 1600 up
    add_vm "$n"
    ovs "$n" add-br br-int -- set bridge br-int datapath_type=netdev \
        -- add-port br-int "tap-vm$n" \
        -- add-port br-int vx0 -- set interface vx0 type=vxlan \
           options:remote_ip="$(host_ip $other)" options:key=100 options:dst_port=4789 || return 1
    in_ns "$ns" ip link set br-int up
  done
  vm_tx_off
  # Underlay neighbours before the first tunnelled packet.
  wait_for 10 in_ns ${P}-h1 ping -c 1 -W 1 "$(host_ip 2)" || log "underlay ping h1 -> h2 failed"
  in_ns ${P}-h2 ping -c 1 -W 1 "$(host_ip 1)" >/dev/null 2>&1
}

# ---- path 3: midonet ----
# The REST helpers below are copied (not sourced) from tests/e2e/cloud/cloud.sh, which runs its
# cloud when sourced; ZooKeeper comes from installer/zookeeper.sh, which is meant to be sourced.
API=
host_id() { jq -r ".[] | select(.name==\"h$1\") | .id" <<<"$(api GET /hosts)"; }
bind_port() { api POST "/hosts/$(host_id "$2")/ports" "{\"portId\":\"$1\",\"interfaceName\":\"$3\"}" >/dev/null; }
agent_bound() {
  [ "$("$build/agent/midonet-agent" --status --state-dir "$work/mn/h$1" | sed -n 's/^ports *\([0-9]*\) bound.*/\1/p')" = "$2" ]
}
all_alive() { [ "$(api GET /hosts | jq '[.[] | select(.alive)] | length')" = 2 ]; }
MIDONET_ERROR=
setup_midonet() {
  MIDONET_ERROR=
  local agent=$build/agent/midonet-agent cluster=$build/cluster/midonet-cluster
  [ -x "$agent" ] && [ -x "$cluster" ] || { MIDONET_ERROR="no $agent or $cluster"; return 1; }
  # shellcheck source=/dev/null
  source "$src/installer/zookeeper.sh"
  underlay_up
  rm -rf "$work/mn"; mkdir -p "$work/mn"
  local zk_port zk_pid api_port n
  zk_port=$(free_port)
  zk_pid=$(zk_start "$work/mn/zk" "$zk_port" "$UNDERLAY.1") || { MIDONET_ERROR="ZooKeeper did not start"; return 1; }
  pids+=("$zk_pid"); allpids+=("$zk_pid")
  local zk=$UNDERLAY.1:$zk_port
  api_port=$(free_port)
  start_bg "$work/mn/cluster.log" "$cluster" --store zookeeper --zookeeper "$zk" \
      --listen "127.0.0.1:$api_port" --auth none
  API=http://127.0.0.1:$api_port/midonet-api
  wait_for 20 api GET /system_state || { MIDONET_ERROR="cluster did not start: $(tail -3 "$work/mn/cluster.log")"; return 1; }
  for n in 1 2; do
    in_ns ${P}-h$n ip addr add "$(host_ip $n)/24" dev u0
    mkdir -p "$work/mn/h$n"
    start_bg "$work/mn/h$n/agent.log" in_ns ${P}-h$n "$agent" --zookeeper "$zk" --datapath userspace \
        --datapath-name "mnb$n" --state-dir "$work/mn/h$n" --host-name "h$n" \
        --tunnel-zone tz0 --tunnel-ip "$(host_ip $n)" --log-level "${AGENT_LOG:-warn}"
  done
  wait_for 30 all_alive || { MIDONET_ERROR="agents did not come up: $(tail -2 "$work/mn/h1/agent.log" | tr '\n' ' ')"; return 1; }
  add_vm 1; add_vm 2
  vm_tx_off
  local br p1 p2
  br=$(create /bridges '{"name":"bench","tenantId":"bench"}') || { MIDONET_ERROR="API: bridge create failed"; return 1; }
  p1=$(create "/bridges/$br/ports" '{"type":"Bridge"}') && p2=$(create "/bridges/$br/ports" '{"type":"Bridge"}') &&
    bind_port "$p1" 1 tap-vm1 && bind_port "$p2" 2 tap-vm2 || { MIDONET_ERROR="API: ports/bindings failed"; return 1; }
  wait_for 10 agent_bound 1 1 && wait_for 10 agent_bound 2 1 || { MIDONET_ERROR="ports not bound by the agents"; return 1; }
}
midonet_status() {
  local n
  for n in 1 2; do "$build/agent/midonet-agent" --status --state-dir "$work/mn/h$n" 2>&1 | sed "s/^/  h$n: /" >&2; done
}

# ---- measurements (VM1 -> VM2) ----
median() { sort -g | awk '{a[NR]=$1} END {if (NR==0) {print "nan"; exit} if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }

warm_up() { # ARP and MAC learning both ways before anything is timed
  wait_for 15 in_ns ${P}-vm1 ping -c 1 -W 1 $VM2_IP || return 1
  in_ns ${P}-vm2 ping -c 1 -W 1 $VM1_IP >/dev/null 2>&1
  in_ns ${P}-vm1 ping -c 5 -i 0.01 -W 1 $VM2_IP >/dev/null 2>&1
  return 0
}

# 64-byte frames (60 + FCS): Ethernet 14 + IPv4 20 + UDP 8 + 18 bytes of payload, one sender
# process (-P 1), counted as packets received on VM2's eth0 over a timed window.
udp_kpps_once() {
  local cfg=$work/udp64.cfg
  cat >"$cfg" <<CFG
{ eth(da=02:00:00:00:00:02, sa=02:00:00:00:00:01), ipv4(sa=$VM1_IP, da=$VM2_IP, ttl=64),
  udp(sp=40000, dp=9), fill(0x41, 18) }
CFG
  local rx=/sys/class/net/eth0/statistics/rx_packets tx=/sys/class/net/eth0/statistics/tx_packets
  # trafgen signals its whole process group when it stops, so it runs in a session (and group)
  # of its own; the window starts once it says it is running, and the group is stopped after.
  setsid ip netns exec ${P}-vm1 timeout -s INT $((UDP_SECONDS + 30)) trafgen --dev eth0 --conf "$cfg" \
      --no-sock-mem --notouch-irq -P 1 -C -q >"$work/trafgen.log" 2>&1 &
  local tg=$!
  allpids+=($tg)
  wait_for 20 grep -q Running "$work/trafgen.log" || log "trafgen did not start: $(tail -2 "$work/trafgen.log")"
  sleep 0.3
  # Each counter is read together with its own timestamp (entering a namespace takes
  # milliseconds on a loaded machine): rate = delta / its own window.
  local rx0 tx0 rx1 tx1
  rx0=$(in_ns ${P}-vm2 sh -c "cat $rx; date +%s%N"); tx0=$(in_ns ${P}-vm1 sh -c "cat $tx; date +%s%N")
  sleep "$UDP_SECONDS"
  rx1=$(in_ns ${P}-vm2 sh -c "cat $rx; date +%s%N"); tx1=$(in_ns ${P}-vm1 sh -c "cat $tx; date +%s%N")
  kill -INT -- -"$tg" 2>/dev/null; wait $tg 2>/dev/null
  printf '%s\n' $rx0 $rx1 $tx0 $tx1 | awk '{v[NR]=$1}
      END {printf "%.1f %.1f\n", (v[3]-v[1]) / ((v[4]-v[2]) / 1e9) / 1000, (v[7]-v[5]) / ((v[8]-v[6]) / 1e9) / 1000}'
}

tcp_gbps_once() {
  in_ns ${P}-vm2 iperf3 -s -1 -p 5201 >/dev/null 2>&1 &
  local srv=$!
  allpids+=($srv)
  wait_for 5 in_ns ${P}-vm2 sh -c 'ss -ltn | grep -q :5201'
  local out
  out=$(in_ns ${P}-vm1 timeout $((TCP_SECONDS + 15)) iperf3 -c $VM2_IP -p 5201 -t "$TCP_SECONDS" -J 2>&1)
  kill $srv 2>/dev/null; wait $srv 2>/dev/null
  jq -e '.end.sum_received.bits_per_second / 1e9 * 1000 | round / 1000' <<<"$out" 2>/dev/null ||
    { log "iperf3: $(jq -r '.error // empty' <<<"$out" 2>/dev/null || tail -2 <<<"$out")"; echo nan; }
}

ping_once() { # prints "avg_us p99_us loss_pct"
  in_ns ${P}-vm1 ping -c "$PINGS" -i 0.001 -W 1 $VM2_IP 2>/dev/null |
    sed -n 's/.*time=\([0-9.]*\) ms.*/\1/p' |
    sort -g | awk -v want="$PINGS" '{a[NR]=$1*1000; s+=$1*1000}
      END {if (NR==0) {print "nan nan 100"; exit}
           i=int(NR*0.99+0.999); if (i<1) i=1; if (i>NR) i=NR
           printf "%.0f %.0f %.1f\n", s/NR, a[i], (want-NR)*100/want}'
}

# Connection rate: the client connects, waits for the server's close (EOF) and closes: a full
# open/close per connection, one at a time, for CONN_SECONDS.
conn_server() {
  cat <<'PY'
import socket
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("0.0.0.0", 5300)); s.listen(4096)
while True:
    c, _ = s.accept(); c.close()
PY
}
conn_client() {
  cat <<'PY'
import socket, sys, time
host, secs = sys.argv[1], float(sys.argv[2])
n = fail = 0; end = time.monotonic() + secs; start = time.monotonic()
while time.monotonic() < end:
    c = socket.socket(); c.settimeout(1.0)
    try:
        c.connect((host, 5300)); c.recv(1); n += 1
    except OSError:
        fail += 1
    finally:
        c.close()
el = time.monotonic() - start
print(f"{n / el:.0f} {fail}")
PY
}
conn_once() {
  in_ns ${P}-vm2 python3 -c "$(conn_server)" >/dev/null 2>&1 &
  local srv=$!
  allpids+=($srv)
  wait_for 5 in_ns ${P}-vm2 sh -c 'ss -ltn | grep -q :5300'
  local out
  out=$(in_ns ${P}-vm1 timeout $((CONN_SECONDS + 20)) python3 -c "$(conn_client)" $VM2_IP "$CONN_SECONDS" 2>&1)
  kill $srv 2>/dev/null; wait $srv 2>/dev/null
  [ "$(awk '{print $2}' <<<"$out")" = 0 ] || log "conn: $(awk '{print $2}' <<<"$out") failed connects"
  awk 'NF==2 {print $1; exit} {print "nan"; exit}' <<<"$out"
}

declare -A R   # R[path,metric] = median
measure_path() { # measure_path PATH: fills R, prints BENCH lines
  local path=$1 key=${1//-/_} i
  local udp=() off=() tcp=() avg=() p99=() loss=() conn=()
  for i in $(seq 1 "$RUNS"); do
    local u; u=$(udp_kpps_once); udp+=("${u% *}"); off+=("${u#* }")
    tcp+=("$(tcp_gbps_once)")
    local p; p=$(ping_once); read -r a q l <<<"$p"; avg+=("$a"); p99+=("$q"); loss+=("$l")
    conn+=("$(conn_once)")
    log "$path run $i: udp ${udp[-1]} kpps rx (${off[-1]} offered), tcp ${tcp[-1]} Gbit/s, ping avg ${a} p99 ${q} us (loss ${l}%), conn ${conn[-1]}/s"
  done
  R[$path,udp]=$(printf '%s\n' "${udp[@]}" | median)
  R[$path,offered]=$(printf '%s\n' "${off[@]}" | median)
  R[$path,tcp]=$(printf '%s\n' "${tcp[@]}" | median)
  R[$path,avg]=$(printf '%s\n' "${avg[@]}" | median)
  R[$path,p99]=$(printf '%s\n' "${p99[@]}" | median)
  R[$path,loss]=$(printf '%s\n' "${loss[@]}" | median)
  R[$path,conn]=$(printf '%s\n' "${conn[@]}" | median)
  echo "BENCH ${key}_udp64_kpps ${R[$path,udp]} kpps"
  echo "BENCH ${key}_udp64_offered_kpps ${R[$path,offered]} kpps"
  echo "BENCH ${key}_tcp_gbps ${R[$path,tcp]} Gbit/s"
  echo "BENCH ${key}_ping_avg_us ${R[$path,avg]} us"
  echo "BENCH ${key}_ping_p99_us ${R[$path,p99]} us"
  echo "BENCH ${key}_ping_loss_pct ${R[$path,loss]} %"
  echo "BENCH ${key}_tcp_conn_per_s ${R[$path,conn]} conn/s"
}

# ---- main ----
log "load before: $(uptime)"
declare -A STATUS
for path in "${want_paths[@]}"; do
  log "== $path"
  case $path in
    linux-bridge-vxlan) setup_linux_bridge_vxlan; ok=$? ;;
    ovs-netdev-vxlan) setup_ovs_netdev_vxlan; ok=$? ;;
    midonet) setup_midonet; ok=$? ;;
    *) log "unknown path $path"; continue ;;
  esac
  if [ $ok != 0 ]; then
    STATUS[$path]="set-up failed: ${MIDONET_ERROR:-see stderr}"
  elif ! warm_up; then
    STATUS[$path]="no traffic: VM1 cannot ping VM2"
    [ "$path" = midonet ] && { midonet_status; for n in 1 2; do tail -5 "$work/mn/h$n/agent.log" | sed "s/^/  h$n log: /" >&2; done; }
  else
    STATUS[$path]=ok
    measure_path "$path"
    [ "$path" = midonet ] && midonet_status
  fi
  [ "${STATUS[$path]}" = ok ] || { log "$path: ${STATUS[$path]}"; echo "BENCH_FAIL ${path//-/_} ${STATUS[$path]}"; }
  teardown_topology
done
log "load after: $(uptime)"

# ---- table: ratios relative to linux-bridge-vxlan ----
ratio() { # ratio VALUE BASE
  awk -v v="$1" -v b="$2" 'BEGIN {if (v=="" || b=="" || v=="nan" || b=="nan" || b+0==0) print "-"; else printf "%.2f", v/b}'
}
base=linux-bridge-vxlan
echo
printf '%-20s %14s %11s %13s %12s %12s %11s\n' path udp64_kpps_rx offered tcp_gbit/s ping_avg_us ping_p99_us conn/s
for path in "${want_paths[@]}"; do
  if [ "${STATUS[$path]:-}" != ok ]; then printf '%-20s %s\n' "$path" "${STATUS[$path]:-not run}"; continue; fi
  printf '%-20s %14s %11s %13s %12s %12s %11s\n' "$path" "${R[$path,udp]}" "${R[$path,offered]}" "${R[$path,tcp]}" \
      "${R[$path,avg]}" "${R[$path,p99]}" "${R[$path,conn]}"
  if [ "$path" != $base ] && [ "${STATUS[$base]:-}" = ok ]; then
    printf '%-20s %14s %11s %13s %12s %12s %11s\n' "  x $base" "$(ratio "${R[$path,udp]}" "${R[$base,udp]}")" "" \
        "$(ratio "${R[$path,tcp]}" "${R[$base,tcp]}")" "$(ratio "${R[$path,avg]}" "${R[$base,avg]}")" \
        "$(ratio "${R[$path,p99]}" "${R[$base,p99]}")" "$(ratio "${R[$path,conn]}" "${R[$base,conn]}")"
  fi
done
