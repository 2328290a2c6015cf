#!/usr/bin/env bash
# A small MidoNet cloud on one machine, built the way an operator would: a private ZooKeeper,
# one midonet-cluster, three hosts as network namespaces (each running its own midonet-agent with
# the userspace datapath, joined by an underlay Linux bridge with plain IP), VMs as namespaces
# attached by veth to their host. Everything virtual is configured through the REST API.
# The router 'edge' has an uplink on h3 to namespace ${P}-ext (SNAT, floating IP 198.51.100.2 for
# vm2) and, from bgp_gateway.sh, a BGP gateway: host g1 (${P}-g1) whose uplink peers with FRR in
# ${P}-up (case upstream-floating-ip; needs FRR, which installer/install-deps.sh installs).
#
# usage: cloud.sh BUILD_DIR [CASE...]     (as root)
#        cloud.sh BUILD_DIR --hold         build the cloud (with the uplinks and the BGP gateway),
#                                          print how to reach it, keep it until SIGINT/SIGTERM
#                                          (installer/demo.sh uses this)
# Prints one line per case: "CASE <name> PASS|FAIL <details>", and "BENCH ..." lines.
# Exit status: 0 if every case passed. Namespaces, links and processes are removed on exit.
# CLOUD_API_PORT fixes the REST API's port (default: a free one).
# CLOUD_PREFIX (default mne) and CLOUD_UNDERLAY (default 10.77.0) name the namespaces/links and
# the underlay /24, so two clouds (two developers, two tests) can run side by side.
set -uo pipefail
build=$(realpath "$1"); shift
hold=0
# The demo (--hold) shows the uplinks: the external network, vm2's floating IP and the BGP gateway.
if [ "${1:-}" = "--hold" ]; then hold=1; shift; set -- snat floating-ip upstream-floating-ip; fi
src=$(cd "$(dirname "$0")/../../.." && pwd)
source "$src/installer/zookeeper.sh"
want_cases=("$@")

P=${CLOUD_PREFIX:-mne}  # prefix of everything this script creates (set it to run two clouds at once)
BR=${P}-br0     # underlay switch in the root namespace
UNDERLAY=${CLOUD_UNDERLAY:-10.77.0}
work=$(mktemp -d /tmp/midonet-e2e.XXXXXX)
pids=()
failures=0

source "$src/tests/e2e/lib.sh" # log, case_enabled, pass/fail, wait_for, api, create, in_ns, cleanup_stale, e2e_cleanup
API=
cleanup() { e2e_cleanup; } # lib.sh
trap cleanup EXIT

add_host() { # add_host N
  local n=$1 ns=${P}-h$1
  ip netns add "$ns"
  ip link add "${P}-h${n}u" type veth peer name u0 netns "$ns"
  ip link set "${P}-h${n}u" master "$BR" up
  in_ns "$ns" ip link set lo up
  in_ns "$ns" ip addr add "$UNDERLAY.1$n/24" dev u0
  in_ns "$ns" ip link set u0 up
  mkdir -p "$work/h$n"
  start_agent "$n"
}
declare -A agent_pid
start_agent() { # start_agent N: midonet-agent inside host N's namespace
  # nsenter execs in place (ip netns exec forks), so $! is the agent itself.
  nsenter --net="/run/netns/${P}-h$1" "$build/agent/midonet-agent" --zookeeper "$ZK" --datapath userspace \
      --datapath-name "mn$1" --state-dir "$work/h$1" --host-name "h$1" \
      --tunnel-zone tz0 --tunnel-ip "$UNDERLAY.1$1" --log-level "${AGENT_LOG:-info}" \
      --mac-expiry-ms "${AGENT_MAC_EXPIRY_MS:-3000}" \
      >>"$work/h$1/agent.log" 2>&1 &
  agent_pid[$1]=$!
  pids+=($!)
}
add_vm() { # add_vm NAME HOSTN IP/LEN GW
  local vm=${P}-$1 host=${P}-h$2 tap=tap-$1
  ip netns add "$vm"
  ip link add eth0 netns "$vm" type veth peer name "$tap" netns "$host"
  in_ns "$vm" ip link set lo up
  in_ns "$vm" ip addr add "$3" dev eth0
  in_ns "$vm" ip link set eth0 up
  [ -n "${4:-}" ] && in_ns "$vm" ip route add default via "$4"
  # The userspace datapath forwards whole frames; checksums are filled by the sender's kernel.
  in_ns "$vm" ethtool -K eth0 tx off >/dev/null 2>&1
  in_ns "$host" ip link set "$tap" up
}
start_web() { # start_web VM IP: a web server on VM:80 answering /who with the VM's name
  in_ns ${P}-$1 sh -c "mkdir -p /tmp/${P}-www-$1 && echo $1 > /tmp/${P}-www-$1/who"
  in_ns ${P}-$1 python3 -m http.server 80 --bind "$2" --directory "/tmp/${P}-www-$1" >"$work/www-$1.log" 2>&1 &
  pids+=($!)
  # Python starts slowly on a loaded machine; a test must not blame the network for that.
  wait_for 30 in_ns ${P}-$1 sh -c 'ss -ltn | grep -q ":80 "' ||
    log "web server in $1 not listening after 30 s: $(tail -3 "$work/www-$1.log")"
}
host_id() { jq -r ".[] | select(.name==\"h$1\") | .id" <<<"$(api GET /hosts)"; }
bind_port() { # bind_port PORT_ID HOSTN IFNAME
  api POST "/hosts/$(host_id "$2")/ports" "{\"portId\":\"$1\",\"interfaceName\":\"$3\"}" >/dev/null
}
agent_bound() { # agent_bound HOSTN N: the agent has N ports in its datapath
  [ "$("$build/agent/midonet-agent" --status --state-dir "$work/h$1" | sed -n 's/^ports *\([0-9]*\) bound.*/\1/p')" = "$2" ]
}
all_alive() { [ "$(api GET /hosts | jq '[.[] | select(.alive)] | length')" = 3 ]; }

# ---- set-up ----
cleanup_stale
ip link add "$BR" type bridge
ip addr add "$UNDERLAY.1/24" dev "$BR"
ip link set "$BR" up
zk_port=$(free_port)
zk_pid=$(zk_start "$work/zk" "$zk_port" "$UNDERLAY.1") || exit 1
pids+=("$zk_pid")
ZK=$UNDERLAY.1:$zk_port
api_port=${CLOUD_API_PORT:-$(free_port)}
"$build/cluster/midonet-cluster" --store zookeeper --zookeeper "$ZK" --listen "127.0.0.1:$api_port" \
    --auth none >"$work/cluster.log" 2>&1 &
pids+=($!)
API=http://127.0.0.1:$api_port/midonet-api
wait_for 20 api GET /system_state || { log "cluster did not start: $(tail -5 "$work/cluster.log")"; exit 1; }
for n in 1 2 3; do add_host "$n"; done
if ! wait_for 30 all_alive; then
  log "agents did not come up"; for n in 1 2 3; do tail -5 "$work/h$n/agent.log" >&2; done; exit 1
fi
log "cloud up: ZooKeeper $ZK, API $API, 3 agents alive"

# VMs: vm1 (h1) and vm2 (h2) on bridge 'front' 10.0.0.0/24; vm3 (h3) on 'back' 10.0.1.0/24.
add_vm vm1 1 10.0.0.1/24 10.0.0.254
add_vm vm2 2 10.0.0.2/24 10.0.0.254
add_vm vm3 3 10.0.1.3/24 10.0.1.254
front=$(create /bridges '{"name":"front","tenantId":"demo"}')
back=$(create /bridges '{"name":"back","tenantId":"demo"}')
p1=$(create "/bridges/$front/ports" '{"type":"Bridge"}')
p2=$(create "/bridges/$front/ports" '{"type":"Bridge"}')
p3=$(create "/bridges/$back/ports" '{"type":"Bridge"}')
bind_port "$p1" 1 tap-vm1 && bind_port "$p2" 2 tap-vm2 && bind_port "$p3" 3 tap-vm3 || exit 1
wait_for 10 agent_bound 1 1 && wait_for 10 agent_bound 2 1 && wait_for 10 agent_bound 3 1 ||
  { log "ports not bound by the agents"; exit 1; }

# ---- cases ----
if case_enabled bridge-ping; then
  if out=$(in_ns ${P}-vm1 ping -c 3 -i 0.2 -W 2 10.0.0.2 2>&1); then
    pass bridge-ping "$(grep -o 'rtt.*' <<<"$out")"
  else fail bridge-ping "$(tail -2 <<<"$out" | tr '\n' ' ')"; fi
fi

if case_enabled bridge-tcp; then
  in_ns ${P}-vm2 iperf3 -s -1 -p 5201 >/dev/null 2>&1 &
  srv=$!
  wait_for 5 in_ns ${P}-vm2 sh -c 'ss -ltn | grep -q 5201'
  if out=$(in_ns ${P}-vm1 timeout 20 iperf3 -c 10.0.0.2 -p 5201 -t 2 -J 2>&1); then
    gbps=$(jq '.end.sum_received.bits_per_second / 1e9 * 1000 | round / 1000' <<<"$out")
    pass bridge-tcp "${gbps} Gbit/s"
    echo "BENCH e2e_bridge_tcp_cross_host ${gbps} Gbit/s"
  else fail bridge-tcp "$(tail -3 <<<"$out" | tr '\n' ' ')"; fi
  kill $srv 2>/dev/null
fi

# Router between the bridges: ports with addresses, linked to a port on each bridge.
router=$(create /routers '{"name":"edge","tenantId":"demo"}')
r1=$(create "/routers/$router/ports" '{"type":"Router","portAddress":"10.0.0.254","networkAddress":"10.0.0.0","networkLength":24}')
r2=$(create "/routers/$router/ports" '{"type":"Router","portAddress":"10.0.1.254","networkAddress":"10.0.1.0","networkLength":24}')
b1=$(create "/bridges/$front/ports" '{"type":"Bridge"}')
b2=$(create "/bridges/$back/ports" '{"type":"Bridge"}')
api POST "/ports/$r1/link" "{\"peerId\":\"$b1\"}" >/dev/null
api POST "/ports/$r2/link" "{\"peerId\":\"$b2\"}" >/dev/null

if case_enabled router-ping; then
  if out=$(in_ns ${P}-vm1 ping -c 3 -i 0.2 -W 2 10.0.1.3 2>&1); then
    pass router-ping "$(grep -o 'rtt.*' <<<"$out")"
  else fail router-ping "$(tail -2 <<<"$out" | tr '\n' ' ')"; fi
fi

if case_enabled ttl-exceeded; then
  out=$(in_ns ${P}-vm1 ping -c 1 -t 1 -W 2 10.0.1.3 2>&1)
  if grep -q 'Time to live exceeded' <<<"$out"; then pass ttl-exceeded "$(grep -o 'From [0-9.]*' <<<"$out" | head -1)"
  else fail ttl-exceeded "$(head -3 <<<"$out" | tr '\n' ' ')"; fi
fi

if case_enabled net-unreachable; then
  out=$(in_ns ${P}-vm1 ping -c 1 -W 2 192.0.2.1 2>&1)
  if grep -qi 'unreachable' <<<"$out"; then pass net-unreachable "$(grep -i -o 'From.*' <<<"$out" | head -1)"
  else fail net-unreachable "$(head -3 <<<"$out" | tr '\n' ' ')"; fi
fi

if case_enabled bad-binding; then
  # A binding to an interface h1 does not have: the agent says so (status and log), and traffic
  # between the VMs that are bound goes on.
  bad=$(create "/bridges/$front/ports" '{"type":"Bridge"}')
  bind_port "$bad" 1 nosuchif0
  if wait_for 10 sh -c "'$build/agent/midonet-agent' --status --state-dir '$work/h1' | grep -q 'PROBLEM $bad.*nosuchif0 does not exist'" &&
     grep -q "port $bad cannot be bound" "$work/h1/agent.log" &&
     in_ns ${P}-vm1 ping -c 2 -i 0.2 -W 2 10.0.1.3 >/dev/null 2>&1; then
    pass bad-binding "reported in status and log; routing between vm1 and vm3 unaffected"
  else fail bad-binding "$("$build/agent/midonet-agent" --status --state-dir "$work/h1" | grep -i problem)"; fi
  api DELETE "/ports/$bad" >/dev/null
fi

if case_enabled bad-route; then
  # A route to nowhere: its next hop is a router port neither linked nor bound. The agents say
  # so (status and log) and routing between the VMs goes on; the problem clears when it goes.
  loose=$(create "/routers/$router/ports" '{"type":"Router","portAddress":"10.99.0.1","networkAddress":"10.99.0.0","networkLength":24}')
  badroute=$(create "/routers/$router/routes" "{\"type\":\"Normal\",\"srcNetworkAddr\":\"0.0.0.0\",\"srcNetworkLength\":0,\"dstNetworkAddr\":\"10.98.0.0\",\"dstNetworkLength\":16,\"nextHopPort\":\"$loose\",\"weight\":100}")
  if wait_for 10 sh -c "'$build/agent/midonet-agent' --status --state-dir '$work/h1' | grep -q 'PROBLEM routes $badroute.*goes nowhere'" &&
     wait_for 5 grep -q "configuration problem: routes $badroute" "$work/h1/agent.log" &&
     in_ns ${P}-vm1 ping -c 2 -i 0.2 -W 2 10.0.1.3 >/dev/null 2>&1; then
    api DELETE "/routes/$badroute" >/dev/null
    if wait_for 10 sh -c "! '$build/agent/midonet-agent' --status --state-dir '$work/h1' | grep -q 'PROBLEM routes'"; then
      pass bad-route "route to nowhere reported in status and log, gone when deleted; routing unaffected"
    else fail bad-route "problem still reported after the route was deleted"; fi
  else fail bad-route "$("$build/agent/midonet-agent" --status --state-dir "$work/h1" | grep -i problem)"; fi
  api DELETE "/ports/$loose" >/dev/null
fi

sent_times() { # ping -D output -> send time of each answered request, one per line
  sed -n 's/^\[\([0-9.]*\)\].*time=\([0-9.]*\) ms.*/\1 \2/p' "$1" | awk '{printf "%.6f\n", $1 - $2/1000}'
}
if case_enabled drop-rule; then
  # A running ping (every 5 ms) from vm1 to vm3; an ICMP drop rule becomes the router's inbound
  # filter through the API. Per trial: time from the API's reply to the sending of the last
  # request still answered (negative: the agents enforced it before the API's reply arrived). Then the filter goes
  # and traffic must flow again. Several trials give the distribution.
  chain=$(create /chains '{"name":"no-icmp","tenantId":"demo"}')
  api POST "/chains/$chain/rules" '{"type":"drop","nwProto":1,"position":1}' >/dev/null
  in_ns ${P}-vm1 ping -D -i 0.005 -W 1 10.0.1.3 >"$work/ping.log" 2>&1 &
  pinger=$!
  wait_for 5 grep -q 'bytes from' "$work/ping.log"
  lat=() ok=1 restored=1 trials=${DROP_RULE_TRIALS:-20}
  for trial in $(seq 1 "$trials"); do
    body=$(api GET "/routers/$router" | jq -c ".inboundFilterId=\"$chain\"")
    api PUT "/routers/$router" "$body" >/dev/null
    t_api=$(date +%s.%N)
    sleep 0.4
    # When the last answered request was SENT (reply time minus its rtt): replies are slow when
    # the machine is loaded, and a late reply to an early request says nothing about the rule.
    last=$(sent_times "$work/ping.log" | tail -1)
    lat+=("$(awk -v a="$t_api" -v l="$last" 'BEGIN {printf "%.1f", (l-a)*1000}')")
    late=$(sent_times "$work/ping.log" | awk -v t="$t_api" '$1 > t + 0.1 {n++} END {print n+0}')
    [ "$late" = 0 ] || ok=0
    body=$(api GET "/routers/$router" | jq -c '.inboundFilterId=null')
    api PUT "/routers/$router" "$body" >/dev/null
    t_off=$(date +%s.%N)
    wait_for 5 awk -v t="$t_off" -F'[][]' '/bytes from/ && $2 > t {f=1} END {exit !f}' "$work/ping.log" || restored=0
  done
  # `ip netns exec` may fork: stop the ping itself, not only the process we started.
  kill $pinger 2>/dev/null; pkill -f "ping -D -i 0.005 -W 1 10.0.1.3" 2>/dev/null; wait $pinger 2>/dev/null
  sorted=$(printf '%s\n' "${lat[@]}" | sort -g | tr '\n' ' ')
  # Percentiles by nearest rank over the trials.
  pct() { printf '%s\n' "${lat[@]}" | sort -g | awk -v p="$1" '{v[NR]=$1} END {i=int((p*NR+99)/100); if (i<1) i=1; print v[i]}'; }
  p50=$(pct 50) p90=$(pct 90) p99=$(pct 99) worst=$(pct 100)
  if [ "$ok" = 1 ]; then
    pass drop-rule "last answered request vs API reply over $trials trials (ms): p50 $p50, p90 $p90, p99 $p99, max $worst; all: $sorted"
    echo "BENCH e2e_rule_enforcement_p50_ms $p50 ms"
    echo "BENCH e2e_rule_enforcement_p99_ms $p99 ms"
    echo "BENCH e2e_rule_enforcement_worst_ms $worst ms"
  else fail drop-rule "requests sent more than 100 ms after the API replied were still answered; trials (ms): $sorted"; fi
  if [ "$restored" = 1 ]; then pass drop-rule-removed "ping flows again after each removal"
  else fail drop-rule-removed "ping still blocked after the filter was removed"; fi
fi

if case_enabled snat; then
  # The router's uplink: port 192.0.2.1/24 bound on h3 to an "external" namespace that has no
  # route back to the VMs' 10.0.0.0/16. vm1 (on h1) reaches it only if SNAT to 192.0.2.1 works,
  # and the reply enters on h3, which must already know the binding (flow state from h1).
  ip netns add ${P}-ext
  ip link add eth0 netns ${P}-ext type veth peer name tap-ext netns ${P}-h3
  in_ns ${P}-ext ip link set lo up
  in_ns ${P}-ext ip addr add 192.0.2.100/24 dev eth0
  in_ns ${P}-ext ip link set eth0 up
  in_ns ${P}-h3 ip link set tap-ext up
  r3=$(create "/routers/$router/ports" '{"type":"Router","portAddress":"192.0.2.1","networkAddress":"192.0.2.0","networkLength":24}')
  bind_port "$r3" 3 tap-ext
  wait_for 10 agent_bound 3 2
  out_chain=$(create /chains '{"name":"snat-out","tenantId":"demo"}')
  in_chain=$(create /chains '{"name":"snat-in","tenantId":"demo"}')
  api POST "/chains/$out_chain/rules" "{\"type\":\"snat\",\"flowAction\":\"accept\",\"outPorts\":[\"$r3\"],\"nwSrcAddress\":\"10.0.0.0\",\"nwSrcLength\":16,\"natTargets\":[{\"addressFrom\":\"192.0.2.1\",\"addressTo\":\"192.0.2.1\",\"portFrom\":1024,\"portTo\":65535}]}" >/dev/null
  api POST "/chains/$in_chain/rules" "{\"type\":\"rev_snat\",\"flowAction\":\"accept\",\"inPorts\":[\"$r3\"],\"nwDstAddress\":\"192.0.2.1\",\"nwDstLength\":32}" >/dev/null
  body=$(api GET "/routers/$router" | jq -c ".inboundFilterId=\"$in_chain\" | .outboundFilterId=\"$out_chain\"")
  api PUT "/routers/$router" "$body" >/dev/null
  if out=$(in_ns ${P}-vm1 ping -c 3 -i 0.3 -W 3 192.0.2.100 2>&1); then
    fs=$("$build/agent/midonet-agent" --status --state-dir "$work/h1" | sed -n 's/^flow state *//p')
    pass snat "vm1 -> 192.0.2.100 via 192.0.2.1; h1 flow state: $fs"
  else fail snat "$(tail -2 <<<"$out" | tr '\n' ' ')"; fi
fi

if case_enabled floating-ip && case_enabled snat; then
  # Floating IP 198.51.100.2 for vm2 (static NAT both ways on the router, as MidoNet does it:
  # dnat inbound, snat outbound); the external side routes 198.51.100.0/24 to the uplink.
  in_ns ${P}-ext ip route add 198.51.100.0/24 via 192.0.2.1
  api POST "/chains/$in_chain/rules" "{\"type\":\"dnat\",\"flowAction\":\"accept\",\"inPorts\":[\"$r3\"],\"nwDstAddress\":\"198.51.100.2\",\"nwDstLength\":32,\"natTargets\":[{\"addressFrom\":\"10.0.0.2\",\"addressTo\":\"10.0.0.2\",\"portFrom\":0,\"portTo\":0}],\"position\":1}" >/dev/null
  api POST "/chains/$out_chain/rules" "{\"type\":\"snat\",\"flowAction\":\"accept\",\"outPorts\":[\"$r3\"],\"nwSrcAddress\":\"10.0.0.2\",\"nwSrcLength\":32,\"natTargets\":[{\"addressFrom\":\"198.51.100.2\",\"addressTo\":\"198.51.100.2\",\"portFrom\":0,\"portTo\":0}],\"position\":1}" >/dev/null
  start_web vm2 10.0.0.2
  if out=$(in_ns ${P}-ext ping -c 2 -i 0.3 -W 3 198.51.100.2 2>&1) &&
     who=$(in_ns ${P}-ext curl -s --max-time 5 http://198.51.100.2/who) && [ "$who" = vm2 ]; then
    pass floating-ip "ping and HTTP from outside reach vm2 (h2) through its floating IP"
  else fail floating-ip "ping: $(tail -1 <<<"$out"); http: '${who:-}'"; fi
fi

# The BGP gateway host g1 and the FRR upstream (bgp_gateway.sh), using the floating IP above.
if case_enabled upstream-floating-ip && case_enabled floating-ip && case_enabled snat; then
  source "$src/tests/e2e/cloud/bgp_gateway.sh"
  bgp_gateway_case
fi

if [ "$hold" = 1 ]; then
  # A second tenant and a firewall chain, so the demo shows isolation and rules too.
  other=$(create /bridges '{"name":"tenant-b-net","tenantId":"tenant-b"}')
  create "/bridges/$other/ports" '{"type":"Bridge"}' >/dev/null
  web=$(create /chains '{"name":"web-in","tenantId":"demo"}')
  api POST "/chains/$web/rules" '{"type":"accept","nwProto":6,"tpDst":{"start":80,"end":80},"position":1}' >/dev/null
  api POST "/chains/$web/rules" '{"type":"accept","nwProto":1,"position":2}' >/dev/null
  api POST "/chains/$web/rules" '{"type":"drop","nwProto":6,"tpDst":{"start":22,"end":22},"position":3}' >/dev/null
  cat <<INFO
==> demo cloud is up
    REST API     $API   (midonet-cli --midonet-url $API -A)
    ZooKeeper    $ZK
    hosts        h1 h2 h3 (namespaces ${P}-h1..3), agents' status: midonet-agent --status --state-dir $work/h1
    VMs          vm1 10.0.0.1 (h1), vm2 10.0.0.2 (h2) on bridge 'front'; vm3 10.0.1.3 (h3) on 'back';
                 router 'edge' joins them.  Try: ip netns exec ${P}-vm1 ping 10.0.1.3
    also         bridge 'tenant-b-net' of tenant 'tenant-b'; chain 'web-in' (accept 80, ICMP; drop 22)
    uplinks      router port 192.0.2.1 on h3 to namespace ${P}-ext; vm2's floating IP 198.51.100.2
    BGP gateway  host g1 (namespace ${P}-g1): router port 10.83.0.1/30 peers (AS 64512) with FRR in
                 namespace ${P}-up (AS 64513, 10.83.0.2), which learns 198.51.100.0/24 by BGP only.
                 Try: ip netns exec ${P}-up ping 198.51.100.2
                      ip netns exec ${P}-up curl http://198.51.100.2/who
                      vtysh --vty_socket $work/frr -c 'show ip route bgp'
                      midonet-cli --midonet-url $API -A -e router $router bgp-peer list
    logs         $work
INFO
  trap 'exit 0' INT TERM
  while true; do sleep 3600 & wait $!; done
fi

if case_enabled load-balancer && case_enabled floating-ip; then
  # An L4 load balancer on the router: VIP 198.51.100.20:80 -> vm1:80 (h1) and vm2:80 (h2).
  start_web vm1 10.0.0.1
  lb=$(create /load_balancers '{"adminStateUp":true}')
  body=$(api GET "/routers/$router" | jq -c ".loadBalancerId=\"$lb\"")
  api PUT "/routers/$router" "$body" >/dev/null
  pool=$(create /pools "{\"loadBalancerId\":\"$lb\",\"lbMethod\":\"ROUND_ROBIN\"}")
  create /pool_members "{\"poolId\":\"$pool\",\"address\":\"10.0.0.1\",\"protocolPort\":80}" >/dev/null
  create /pool_members "{\"poolId\":\"$pool\",\"address\":\"10.0.0.2\",\"protocolPort\":80}" >/dev/null
  create /vips "{\"poolId\":\"$pool\",\"address\":\"198.51.100.20\",\"protocolPort\":80}" >/dev/null
  : >"$work/lb.txt"
  for i in $(seq 1 16); do in_ns ${P}-ext curl -s --max-time 3 http://198.51.100.20/who >>"$work/lb.txt"; done
  n1=$(grep -c vm1 "$work/lb.txt"); n2=$(grep -c vm2 "$work/lb.txt")
  if [ "$n1" -gt 0 ] && [ "$n2" -gt 0 ] && [ $((n1 + n2)) = 16 ]; then
    pass load-balancer "16 connections to the VIP: $n1 to vm1, $n2 to vm2"
  else fail load-balancer "16 connections to the VIP: $n1 to vm1, $n2 to vm2, $((16 - n1 - n2)) failed"; fi
fi

if case_enabled mac-move; then
  # vm2's MAC and IP move from h2 to a new port on h3 (a live migration): once the moved VM
  # speaks, the bridge learns the new port everywhere and vm1's traffic follows it.
  mac2=$(in_ns ${P}-vm2 cat /sys/class/net/eth0/address)
  p4=$(create "/bridges/$front/ports" '{"type":"Bridge"}')
  ip netns add ${P}-vm2b
  ip link add eth0 netns ${P}-vm2b type veth peer name tap-vm2b netns ${P}-h3
  in_ns ${P}-vm2b ip link set lo up
  in_ns ${P}-vm2b ip link set eth0 address "$mac2"
  in_ns ${P}-vm2b ip addr add 10.0.0.2/24 dev eth0
  in_ns ${P}-vm2b ethtool -K eth0 tx off >/dev/null 2>&1
  in_ns ${P}-h3 ip link set tap-vm2b up
  bind_port "$p4" 3 tap-vm2b
  n3=$(( $("$build/agent/midonet-agent" --status --state-dir "$work/h3" | sed -n 's/^ports *\([0-9]*\) bound.*/\1/p') + 1 ))
  wait_for 10 agent_bound 3 "$n3"
  in_ns ${P}-vm1 ping -c 1 -W 1 10.0.0.2 >/dev/null 2>&1 # flows to the old place exist
  in_ns ${P}-vm2 ip link set eth0 down
  in_ns ${P}-vm2b ip link set eth0 up
  in_ns ${P}-vm2b ping -c 1 -W 2 10.0.0.1 >/dev/null 2>&1 # the moved VM speaks: learned on p4
  if wait_for 5 in_ns ${P}-vm1 ping -c 1 -W 1 10.0.0.2; then
    pass mac-move "vm1 reaches $mac2 on its new port (h3)"
  else fail mac-move "vm1 cannot reach 10.0.0.2 after its MAC moved to h3"; fi
  in_ns ${P}-vm2b ip link set eth0 down
  in_ns ${P}-vm2 ip link set eth0 up
  in_ns ${P}-vm2 ping -c 1 -W 2 10.0.0.1 >/dev/null 2>&1 # and back
fi

if case_enabled agent-restart; then
  # kill -9 of h2's agent while vm1 talks to vm2. The userspace datapath lives in the agent's
  # process, so its flows die with it (the kernel backend would keep forwarding); after the
  # restart new flows must work again within a second of the agent being up.
  kill -9 "${agent_pid[2]}"; wait "${agent_pid[2]}" 2>/dev/null
  t_kill=$(date +%s%N)
  in_ns ${P}-vm1 ping -c 1 -W 1 10.0.0.2 >/dev/null 2>&1 && lost=no || lost=yes
  # A ping every 20 ms across the restart: the first reply after the agent starts says when
  # traffic came back (a ping -W 1 loop would add up to a second of its own). vm1's neighbour
  # entry for vm2 is pinned meanwhile: otherwise vm1's kernel gives up on vm2 during the outage
  # and re-ARPs only once a second, which measures the guest's timer, not the agent.
  mac2=$(in_ns ${P}-vm2 cat /sys/class/net/eth0/address)
  in_ns ${P}-vm1 ip neigh replace 10.0.0.2 lladdr "$mac2" dev eth0 nud permanent
  in_ns ${P}-vm1 ping -D -i 0.02 -W 1 10.0.0.2 >"$work/restart-ping.log" 2>&1 &
  pinger=$!
  t_start=$(date +%s.%N)
  start_agent 2
  wait_for 20 grep -q 'port .* bound to tap-vm2' <(tail -n 5 "$work/h2/agent.log"; true) ||
    wait_for 20 agent_bound 2 1
  t_up=$(date +%s.%N)
  wait_for 5 awk -v t="$t_start" -F'[][]' '/bytes from/ && $2 > t {f=1} END {exit !f}' "$work/restart-ping.log"
  kill $pinger 2>/dev/null; pkill -f "ping -D -i 0.02 -W 1 10.0.0.2" 2>/dev/null; wait $pinger 2>/dev/null
  in_ns ${P}-vm1 ip neigh del 10.0.0.2 dev eth0 2>/dev/null
  # When the first reply ARRIVED after the agent started (conservative: a request sent earlier
  # and parked counts from its answer).
  first=$(awk -v t="$t_start" -F'[][]' '/bytes from/ && $2 > t {print $2; exit}' "$work/restart-ping.log")
  if [ -n "$first" ]; then
    from_start=$(awk -v a="$t_start" -v f="$first" 'BEGIN {printf "%.0f", (f-a)*1000}')
    from_bound=$(awk -v a="$t_up" -v f="$first" 'BEGIN {printf "%.0f", (f-a)*1000}')
    pass agent-restart "traffic stopped with the agent: $lost; first reply ${from_start} ms after the agent started, ${from_bound} ms after its ports were seen bound"
    echo "BENCH e2e_agent_restart_to_traffic_ms $from_start ms"
  else fail agent-restart "vm1 cannot reach vm2 5 s after h2's agent came back"; fi
fi

if case_enabled mac-expiry; then
  # A VM on h3 talks, so its MAC is in the bridge's shared MAC table (visible in the API); then its
  # port is unbound (the VM deleted): its flows go, and the agent that learned the MAC forgets it
  # ${AGENT_MAC_EXPIRY_MS:-3000} ms later: the entry leaves the NSDB and every agent's table.
  add_vm vm5 3 10.0.0.5/24
  p5=$(create "/bridges/$front/ports" '{"type":"Bridge"}')
  mac5=$(in_ns ${P}-vm5 cat /sys/class/net/eth0/address)
  n3=$(( $("$build/agent/midonet-agent" --status --state-dir "$work/h3" | sed -n 's/^ports *\([0-9]*\) bound.*/\1/p') + 1 ))
  bind_port "$p5" 3 tap-vm5
  wait_for 10 agent_bound 3 "$n3"
  mac_known() { api GET "/bridges/$front/mac_table" | jq -e --arg m "$mac5" 'any(.[]; .macAddr == $m)' >/dev/null; }
  if ! { wait_for 5 in_ns ${P}-vm5 ping -c 1 -W 1 10.0.0.1 >/dev/null && wait_for 5 mac_known; }; then
    fail mac-expiry "vm5's MAC $mac5 never appeared in the bridge's MAC table"
  else
    t0=$(date +%s%N)
    api DELETE "/hosts/$(host_id 3)/ports/$p5" >/dev/null
    if wait_for 20 sh -c "! curl -s '$API/bridges/$front/mac_table' | jq -e --arg m '$mac5' 'any(.[]; .macAddr == \$m)' >/dev/null"; then
      ms=$(( ($(date +%s%N) - t0) / 1000000 ))
      pass mac-expiry "vm5's MAC left the bridge's MAC table ${ms} ms after its port was unbound (expiry ${AGENT_MAC_EXPIRY_MS:-3000} ms)"
      echo "BENCH e2e_mac_forgotten_after_unbind_ms $ms ms"
    else fail mac-expiry "vm5's MAC $mac5 still in the MAC table 20 s after its port was unbound"; fi
  fi
fi

for n in 1 2 3; do
  "$build/agent/midonet-agent" --status --state-dir "$work/h$n" | sed "s/^/h$n: /" >&2
done
exit $(( failures > 0 ))
