#!/usr/bin/env bash
# The L3 BGP gateway end to end: a private ZooKeeper, one midonet-cluster, three hosts as network
# namespaces (h1 runs a VM; g1 and g2 are gateway hosts), each with its own midonet-agent
# (userspace datapath), and an FRR "upstream" namespace peering with the provider router through
# an uplink port on each gateway host:
#
#   upstream (FRR, AS 64513, client net 10.82.9.0/24)
#     eth1 10.82.1.2 --- tap-up1 (g1) = router port 10.82.1.1/24  \
#     eth2 10.82.2.2 --- tap-up2 (g2) = router port 10.82.2.1/24   > router 'provider' AS 64512
#   vm1 10.82.50.2 (h1) --- bridge 'tenant' --- router port 10.82.50.1/24
#   floating IP 10.82.100.2 -> vm1; BGP network 10.82.100.0/24 advertised by the router.
#
# usage: gateway.sh BUILD_DIR [CASE...]     (as root)
# Prints "CASE <name> PASS|FAIL <details>" per case and "BENCH ..." lines; exit 0 if all passed.
# GW_PREFIX (default mng) and GW_UNDERLAY (default 10.82.0) name namespaces/links and the
# underlay /24. Everything created is removed on exit (KEEP_E2E=1 keeps the logs).
# GW_BFD_MS (default 100; 0 = off): BFD with every peer at that interval (x3 to detect), on the
# agents (--bgp-bfd-interval-ms) and in FRR (bfdd); off, the 3 s hold timer detects failures.
# GW_UNDERLAY_BFD_MS (default GW_BFD_MS; 0 = off): the agents' BFD with each other over the
# underlay (--underlay-bfd-interval-ms); off, h1 sees g1 dead when its ZooKeeper session expires.
# GW_ZK_SESSION_MS (default 10000): the agents' ZooKeeper session, as long as in production so
# the failover case proves that neither direction waits for it.
set -uo pipefail
build=$(realpath "$1"); shift
src=$(cd "$(dirname "$0")/../../.." && pwd)
source "$src/installer/zookeeper.sh"
want_cases=("$@")

P=${GW_PREFIX:-mng}
BR=${P}-br0
UNDERLAY=${GW_UNDERLAY:-10.82.0}
BFD_MS=${GW_BFD_MS:-100}
ZK_SESSION_MS=${GW_ZK_SESSION_MS:-10000}
UNDERLAY_BFD_MS=${GW_UNDERLAY_BFD_MS:-$BFD_MS}
MY_AS=64512
UP_AS=64513
work=$(mktemp -d /tmp/midonet-e2e-gw.XXXXXX)
chmod 755 "$work"
pids=()
failures=0

source "$src/tests/e2e/lib.sh" # log, case_enabled, pass/fail, wait_for, api, create, in_ns, cleanup_stale, e2e_cleanup
API=
kill_frr() {
  for f in "$work"/frr/bgpd.pid "$work"/frr/bfdd.pid "$work"/frr/zebra.pid; do
    [ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null
  done
}
cleanup() { kill_frr; e2e_cleanup 0.5; } # lib.sh
trap cleanup EXIT
# Service namespaces the agents made (mbgp-<port>) for ports of this run: an agent killed with
# -9 leaves its namespace behind.
cleanup_service_ns() {
  for port in "$@"; do
    ns=mbgp-${port:0:8}
    ip netns pids "$ns" 2>/dev/null | xargs -r kill -9 2>/dev/null
    ip netns del "$ns" 2>/dev/null
  done
}

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

declare -A agent_pid
add_host() { # add_host NAME INDEX
  local h=$1 i=$2 ns=${P}-$1
  ip netns add "$ns"
  ip link add "${P}-${h}u" type veth peer name u0 netns "$ns"
  ip link set "${P}-${h}u" master "$BR" up
  in_ns "$ns" ip link set lo up
  in_ns "$ns" ip addr add "$UNDERLAY.1$i/24" dev u0
  in_ns "$ns" ip link set u0 up
  mkdir -p "$work/$h"
  host_idx[$h]=$i
  start_agent_for "$h"
}
declare -A host_idx
start_agent_for() { # start_agent_for NAME: midonet-agent inside that host's namespace
  local h=$1
  nsenter --net="/run/netns/${P}-$h" "$build/agent/midonet-agent" --zookeeper "$ZK" --datapath userspace \
      --datapath-name "mn$h" --state-dir "$work/$h" --host-name "$P-$h" \
      --tunnel-zone tz0 --tunnel-ip "$UNDERLAY.1${host_idx[$h]}" --zookeeper-session-timeout "$ZK_SESSION_MS" \
      --bgp-bfd-interval-ms "$BFD_MS" --underlay-bfd-interval-ms "$UNDERLAY_BFD_MS" \
      --log-level "${AGENT_LOG:-info}" >>"$work/$h/agent.log" 2>&1 &
  agent_pid[$h]=$!
  pids+=($!)
}
host_id() { jq -r ".[] | select(.name==\"$P-$1\") | .id" <<<"$(api GET /hosts)"; }
bind_port() { api POST "/hosts/$(host_id "$2")/ports" "{\"portId\":\"$1\",\"interfaceName\":\"$3\"}" >/dev/null; }
all_alive() { [ "$(api GET /hosts | jq "[.[] | select(.alive and (.name | startswith(\"$P-\")))] | length")" = 3 ]; }

vtysh_up() { vtysh --vty_socket "$work/frr" -c "$1" 2>/dev/null; }

# ---- set-up ----
for bin in /usr/lib/frr/bgpd /usr/lib/frr/zebra /usr/bin/vtysh; do
  [ -x "$bin" ] || { echo "CASE setup FAIL $bin missing (apt-get install frr)"; exit 1; }
done
cleanup_stale
ip link add "$BR" type bridge
ip addr add "$UNDERLAY.1/24" dev "$BR"
ip link set "$BR" up
zk_port=$(free_port)
# Ticks short enough for the agents' session timeout to be honoured (ZooKeeper allows 2-20
# ticks): 500 ms allows 1-10 s.
export ZK_TICK_MS=${ZK_TICK_MS:-500}
zk_pid=$(zk_start "$work/zk" "$zk_port" "$UNDERLAY.1") || exit 1
pids+=("$zk_pid")
ZK=$UNDERLAY.1:$zk_port
api_port=$(free_port)
"$build/cluster/midonet-cluster" --store zookeeper --zookeeper "$ZK" --listen "127.0.0.1:$api_port" \
    --auth none >"$work/cluster.log" 2>&1 &
pids+=($!)
API=http://127.0.0.1:$api_port/midonet-api
wait_for 20 api GET /system_state || { log "cluster did not start: $(tail -5 "$work/cluster.log")"; exit 1; }
add_host h1 1; add_host g1 2; add_host g2 3
# An agent that lost ZooKeeper while starting (a loaded machine, a short session) gives up; start
# it again, as systemd would (Restart=on-failure), and say so.
for attempt in 1 2 3; do
  wait_for 20 all_alive && break
  for h in h1 g1 g2; do
    kill -0 "${agent_pid[$h]}" 2>/dev/null || {
      log "agent $h exited while starting ($(tail -n 1 "$work/$h/agent.log")); restarting it"
      start_agent_for "$h"
    }
  done
done
all_alive || { log "agents did not come up"; tail -n 5 "$work"/*/agent.log >&2; exit 1; }

# The upstream: FRR in its own namespace, one link to each gateway host, a client network.
UP=${P}-up
ip netns add "$UP"
in_ns "$UP" ip link set lo up
ip link add eth1 netns "$UP" type veth peer name tap-up1 netns "${P}-g1"
ip link add eth2 netns "$UP" type veth peer name tap-up2 netns "${P}-g2"
in_ns "$UP" ip addr add 10.82.1.2/24 dev eth1
in_ns "$UP" ip addr add 10.82.2.2/24 dev eth2
for i in $(seq 1 8); do in_ns "$UP" ip addr add "10.82.9.$i/32" dev lo; done
for l in eth1 eth2; do in_ns "$UP" ip link set "$l" up; done
for l in eth1 eth2; do in_ns "$UP" ethtool -K "$l" tx off >/dev/null 2>&1; done
in_ns "$UP" sysctl -q -w net.ipv4.fib_multipath_hash_policy=1
in_ns "${P}-g1" ip link set tap-up1 up
in_ns "${P}-g2" ip link set tap-up2 up
mkdir -p "$work/frr"
cat >"$work/frr/bgpd.conf" <<CONF
frr defaults traditional
hostname ${P}-upstream
log file $work/frr/bgpd.log
!
router bgp $UP_AS
 bgp router-id 10.82.9.1
 no bgp ebgp-requires-policy
 no bgp network import-check
 timers bgp 1 3
 neighbor 10.82.1.1 remote-as $MY_AS
 neighbor 10.82.1.1 timers 1 3
 neighbor 10.82.1.1 timers connect 1
 neighbor 10.82.2.1 remote-as $MY_AS
 neighbor 10.82.2.1 timers 1 3
 neighbor 10.82.2.1 timers connect 1
$( [ "$BFD_MS" -gt 0 ] && printf ' neighbor 10.82.1.1 bfd profile gw\n neighbor 10.82.2.1 bfd profile gw\n' )
 !
 address-family ipv4 unicast
  network 10.82.9.0/24
  maximum-paths 4
 exit-address-family
!
CONF
echo "hostname ${P}-zebra" >"$work/frr/zebra.conf"
echo "log file $work/frr/zebra.log" >>"$work/frr/zebra.conf"
chown -R frr:frr "$work/frr"
# FRR writes /var/tmp/frr: a private /var/tmp in its own mount namespace.
in_ns "$UP" unshare -m sh -c "mount -t tmpfs tmpfs /var/tmp && exec /usr/lib/frr/zebra -d -f $work/frr/zebra.conf -i $work/frr/zebra.pid -z $work/frr/zserv.api --vty_socket $work/frr -u frr -g frr"
wait_for 10 test -S "$work/frr/zserv.api" || { log "zebra did not start"; exit 1; }
if [ "$BFD_MS" -gt 0 ]; then
  printf 'log file %s/bfdd.log\nbfd\n profile gw\n  receive-interval %s\n  transmit-interval %s\n  detect-multiplier 3\n !\n!\n' \
      "$work/frr" "$BFD_MS" "$BFD_MS" >"$work/frr/bfdd.conf"
  chown frr:frr "$work/frr/bfdd.conf"
  in_ns "$UP" unshare -m sh -c "mount -t tmpfs tmpfs /var/tmp && exec /usr/lib/frr/bfdd -d -f $work/frr/bfdd.conf -i $work/frr/bfdd.pid -z $work/frr/zserv.api --vty_socket $work/frr -u frr -g frr"
  wait_for 10 test -S "$work/frr/bfdd.vty" || { log "bfdd did not start"; exit 1; }
fi
in_ns "$UP" unshare -m sh -c "mount -t tmpfs tmpfs /var/tmp && exec /usr/lib/frr/bgpd -d -f $work/frr/bgpd.conf -i $work/frr/bgpd.pid -z $work/frr/zserv.api --vty_socket $work/frr -u frr -g frr"
wait_for 10 test -S "$work/frr/bgpd.vty" || { log "bgpd did not start"; exit 1; }

# The virtual side: tenant bridge with vm1, provider router with two uplinks and BGP.
ip netns add "${P}-vm1"
ip link add eth0 netns "${P}-vm1" type veth peer name tap-vm1 netns "${P}-h1"
in_ns "${P}-vm1" ip link set lo up
in_ns "${P}-vm1" ip addr add 10.82.50.2/24 dev eth0
in_ns "${P}-vm1" ip link set eth0 up
in_ns "${P}-vm1" ip route add default via 10.82.50.1
in_ns "${P}-vm1" ethtool -K eth0 tx off >/dev/null 2>&1
in_ns "${P}-h1" ip link set tap-vm1 up

tenant=$(create /bridges '{"name":"tenant","tenantId":"demo"}')
vmport=$(create "/bridges/$tenant/ports" '{"type":"Bridge"}')
router=$(create /routers "{\"name\":\"provider\",\"tenantId\":\"demo\",\"asNumber\":$MY_AS}")
rin=$(create "/routers/$router/ports" '{"type":"Router","portAddress":"10.82.50.1","networkAddress":"10.82.50.0","networkLength":24}')
bin=$(create "/bridges/$tenant/ports" '{"type":"Bridge"}')
api POST "/ports/$rin/link" "{\"peerId\":\"$bin\"}" >/dev/null
up1=$(create "/routers/$router/ports" '{"type":"Router","portAddress":"10.82.1.1","networkAddress":"10.82.1.0","networkLength":24}')
up2=$(create "/routers/$router/ports" '{"type":"Router","portAddress":"10.82.2.1","networkAddress":"10.82.2.0","networkLength":24}')
trap 'cleanup_service_ns "$up1" "$up2"; cleanup' EXIT
bind_port "$vmport" h1 tap-vm1 && bind_port "$up1" g1 tap-up1 && bind_port "$up2" g2 tap-up2 || exit 1
# Floating IP 10.82.100.2 for vm1: dnat in, snat out (as MidoNet does it).
in_chain=$(create /chains '{"name":"fip-in","tenantId":"demo"}')
out_chain=$(create /chains '{"name":"fip-out","tenantId":"demo"}')
for up in "$up1" "$up2"; do
  api POST "/chains/$in_chain/rules" "{\"type\":\"dnat\",\"flowAction\":\"accept\",\"inPorts\":[\"$up\"],\"nwDstAddress\":\"10.82.100.2\",\"nwDstLength\":32,\"natTargets\":[{\"addressFrom\":\"10.82.50.2\",\"addressTo\":\"10.82.50.2\",\"portFrom\":0,\"portTo\":0}]}" >/dev/null
  api POST "/chains/$out_chain/rules" "{\"type\":\"snat\",\"flowAction\":\"accept\",\"outPorts\":[\"$up\"],\"nwSrcAddress\":\"10.82.50.2\",\"nwSrcLength\":32,\"natTargets\":[{\"addressFrom\":\"10.82.100.2\",\"addressTo\":\"10.82.100.2\",\"portFrom\":0,\"portTo\":0}]}" >/dev/null
done
body=$(api GET "/routers/$router" | jq -c ".inboundFilterId=\"$in_chain\" | .outboundFilterId=\"$out_chain\"")
api PUT "/routers/$router" "$body" >/dev/null
peer1=$(create "/routers/$router/bgp_peers" "{\"asNumber\":$UP_AS,\"address\":\"10.82.1.2\",\"holdTime\":5,\"connectRetry\":5}")
peer2=$(create "/routers/$router/bgp_peers" "{\"asNumber\":$UP_AS,\"address\":\"10.82.2.2\",\"holdTime\":5,\"connectRetry\":5}")
create "/routers/$router/bgp_networks" '{"subnetAddress":"10.82.100.0","subnetLength":24}' >/dev/null
in_ns "${P}-vm1" sh -c "mkdir -p $work/www && echo vm1 > $work/www/who"
in_ns "${P}-vm1" python3 -m http.server 80 --bind 10.82.50.2 --directory "$work/www" >/dev/null 2>&1 &
pids+=($!)

# ---- cases ----
established() { [ "$(vtysh_up "show bgp ipv4 unicast summary json" | jq "[.peers[] | select(.state==\"Established\")] | length")" = 2 ]; }
t0=$(now_ms)
if wait_for 30 established; then
  pass sessions "both gateways Established with FRR in $(( $(now_ms) - t0 )) ms after configuration"
else
  fail sessions "$(vtysh_up 'show bgp ipv4 unicast summary' | tail -4 | tr '\n' ' ')"
  tail -n 5 "$work/g1/agent.log" "$work/g2/agent.log" >&2
fi

if case_enabled bfd && [ "$BFD_MS" -gt 0 ]; then
  bfd_up() { [ "$(vtysh_up "show bfd peers json" | jq '[.[] | select(.status=="up")] | length')" = 2 ]; }
  if wait_for 15 bfd_up; then pass bfd "FRR's bfdd has both gateways up ($(vtysh_up 'show bfd peers json' | jq -c '[.[] | {peer, "rx": ."receive-interval", "tx": ."transmit-interval"}]'))"
  else fail bfd "$(vtysh_up 'show bfd peers brief' | tr '\n' ' ')"; fi
fi

ecmp_paths() { in_ns "$UP" ip route show 10.82.100.0/24 | grep -c via; }
if case_enabled ecmp-upstream; then
  if wait_for 15 sh -c "[ \$(ip netns exec $UP ip route show 10.82.100.0/24 | grep -c nexthop) = 2 ]"; then
    pass ecmp-upstream "FRR installs 10.82.100.0/24 via $(vtysh_up 'show ip route 10.82.100.0/24 json' | jq -r '.[][0].nexthops | map(.ip) | join(" and ")')"
  else fail ecmp-upstream "FRR's route: $(vtysh_up 'show ip route 10.82.100.0/24' | tr '\n' ' ')"; fi
fi

learned_in_router() { [ "$(api GET "/routers/$router/routes" | jq '[.[] | select(.learned and .dstNetworkAddr=="10.82.9.0")] | length')" = "$1" ]; }
if case_enabled learned-routes; then
  if wait_for 15 learned_in_router 2; then
    pass learned-routes "10.82.9.0/24 is a learned route of the router via both uplinks (GET /routers/{id}/routes)"
  else fail learned-routes "routes: $(api GET "/routers/$router/routes" | jq -c '[.[] | {dstNetworkAddr,dstNetworkLength,learned,nextHopGateway}]')"; fi
fi

if case_enabled peer-status; then
  st_ok() { api GET "/bgp_peers/$peer1" | jq -e '.sessionState=="Established" and .prefixesReceived==1 and .prefixesAdvertised==1 and (.hostId|length)>0 and .uptimeSeconds>=0' >/dev/null; }
  if wait_for 10 st_ok; then
    pass peer-status "$(api GET "/bgp_peers/$peer1" | jq -c '{sessionState,prefixesReceived,prefixesAdvertised,uptimeSeconds}')"
  else fail peer-status "$(api GET "/bgp_peers/$peer1" | jq -c .)"; fi
fi

if case_enabled cli-peer-status; then
  # midonet-cli shows the agent's view of each session (read-only fields of bgp-peer).
  cli_ok() {
    out=$("$build/cli/midonet-cli" --midonet-url "$API" -A -e router "$router" bgp-peer list 2>&1)
    grep -q 'state Established' <<<"$out" && grep -q 'received 1' <<<"$out" && grep -q 'advertised 1' <<<"$out"
  }
  # The agents write the status at most once a second: poll.
  if wait_for 10 cli_ok; then
    pass cli-peer-status "$(grep -m1 'state Established' <<<"$out")"
  else fail cli-peer-status "$(tr '\n' ' ' <<<"$out" | cut -c1-400)"; fi
fi

reach() { # reach SRC: ping and HTTP to the floating IP from the upstream's client address SRC
  in_ns "$UP" ping -c 1 -W 2 -I "$1" 10.82.100.2 >/dev/null 2>&1 &&
    [ "$(in_ns "$UP" curl -s --max-time 3 --interface "$1" http://10.82.100.2/who)" = vm1 ]
}
if case_enabled floating-ip; then
  ok=0
  for i in $(seq 1 8); do wait_for 10 reach "10.82.9.$i" && ok=$((ok + 1)); done
  if [ "$ok" = 8 ]; then pass floating-ip "ping and HTTP from 8 upstream addresses reach vm1 via 10.82.100.2"
  else fail floating-ip "$ok of 8 upstream addresses reached vm1"; fi
fi

if case_enabled peer-removed; then
  # The API removes g2's peer while everything runs: g2's session ends (FRR keeps only the path
  # via g1, the router only the route via g1) and g1's session is not touched; re-created, the
  # peer comes back on its own.
  conns() { vtysh_up "show bgp neighbors 10.82.1.1 json" | jq '.["10.82.1.1"].connectionsEstablished'; }
  one_path() { [ "$(ecmp_paths)" = 1 ]; }
  two_paths() { [ "$(in_ns "$UP" ip route show 10.82.100.0/24 | grep -c nexthop)" = 2 ]; }
  before=$(conns)
  api DELETE "/bgp_peers/$peer2" >/dev/null
  t0=$(now_ms)
  if wait_for 15 one_path && wait_for 10 learned_in_router 1; then
    gone_ms=$(( $(now_ms) - t0 ))
    peer2=$(create "/routers/$router/bgp_peers" "{\"asNumber\":$UP_AS,\"address\":\"10.82.2.2\",\"holdTime\":5,\"connectRetry\":5}")
    t1=$(now_ms)
    if wait_for 20 two_paths && wait_for 10 learned_in_router 2 && [ "$(conns)" = "$before" ]; then
      pass peer-removed "peer deleted: path and learned route via g2 gone in ${gone_ms} ms; re-created: back in $(( $(now_ms) - t1 )) ms; g1's session untouched ($before connection(s))"
    else fail peer-removed "re-created peer: FRR paths $(ecmp_paths), g1 connections $before -> $(conns)"; fi
  else fail peer-removed "after deleting g2's peer: FRR paths $(ecmp_paths), routes $(api GET "/routers/$router/routes" | jq -c '[.[] | select(.learned) | .nextHopGateway]')"; fi
fi

# Outbound ECMP, counted where it arrives: OUT_FLOWS UDP flows from vm1 (distinct source ports,
# one 5-tuple each) to an upstream address; tcpdump on the upstream's two links records which
# flows came in through which gateway (static SNAT keeps the ports). h1's virtual router picks
# the uplink by the 5-tuple, so with both gateways alive both must carry some.
OUT_FLOWS=32
capture_links() { # capture_links TAG: tcpdump on eth1 (from g1) and eth2 (from g2)
  for l in eth1 eth2; do
    in_ns "$UP" tcpdump -i "$l" -n -tt -l -U 'udp and dst port 5001' >"$work/out-$l-$1.log" 2>/dev/null &
    pids+=($!); capturers+=($!)
  done
}
stop_captures() { for c in "${capturers[@]}"; do kill "$c" 2>/dev/null; done; capturers=(); }
send_flows() { # send_flows BASE_PORT: one datagram on each of OUT_FLOWS flows
  in_ns "${P}-vm1" python3 -c '
import socket, sys
base, n = int(sys.argv[1]), int(sys.argv[2])
for i in range(n):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("10.82.50.2", base + i))
    s.sendto(b"x", ("10.82.9.1", 5001))
    s.close()
' "$1" "$OUT_FLOWS"
}
flows_on() { # flows_on LINK TAG BASE: the source ports of BASE's flows seen on LINK, one per line
  awk -v b="$3" -v n="$OUT_FLOWS" '$4 == ">" { k = split($3, a, "."); p = a[k] + 0; if (p >= b && p < b + n) print p }' \
      "$work/out-$1-$2.log" 2>/dev/null | sort -u
}
count_on() { flows_on "$@" | wc -l; }
count_all() { sort -u <(flows_on eth1 "$1" "$2") <(flows_on eth2 "$1" "$2") | wc -l; }
capturers=()

if case_enabled ecmp-outbound; then
  capture_links spread
  both_carry() {
    send_flows 41000
    [ "$(count_all spread 41000)" = "$OUT_FLOWS" ] && [ "$(count_on eth1 spread 41000)" -gt 0 ] &&
      [ "$(count_on eth2 spread 41000)" -gt 0 ]
  }
  if wait_for 20 both_carry; then
    pass ecmp-outbound "$OUT_FLOWS UDP flows from vm1 leave through both gateways: $(count_on eth1 spread 41000) via g1, $(count_on eth2 spread 41000) via g2"
  else fail ecmp-outbound "of $OUT_FLOWS flows from vm1, $(count_on eth1 spread 41000) arrived via g1 and $(count_on eth2 spread 41000) via g2 ($(count_all spread 41000) distinct)"; fi
  stop_captures
fi

if case_enabled failover; then
  # Continuous pings from 8 upstream addresses (spread over both gateways by FRR's L4 ECMP
  # hash and the virtual router's); kill -9 g1's agent; measure the longest gap in replies.
  # vm1 records when each request reaches it: a gap there is the INBOUND direction's (FRR's
  # ECMP, upstream BFD); the rest of a reply gap is the OUTBOUND direction's (h1's virtual
  # router picking an uplink).
  in_ns "${P}-vm1" tcpdump -i eth0 -n -tt -l -U 'icmp[icmptype] == icmp-echo' >"$work/vm1-requests.log" 2>/dev/null &
  pids+=($!); capturer=$!
  for i in $(seq 1 8); do
    in_ns "$UP" ping -D -i 0.02 -W 1 -I "10.82.9.$i" 10.82.100.2 >"$work/ping$i.log" 2>&1 &
    pids+=($!); pingers+=($!)
  done
  sleep 2
  kill -9 "${agent_pid[g1]}"
  t_kill=$(date +%s.%N)
  # Wait until every pinger answers again after the kill (or 20 s).
  recovered() {
    for i in $(seq 1 8); do
      awk -v t="$t_kill" -F'[][]' '/bytes from/ && $2 > t + 0.5 {f=1} END {exit !f}' "$work/ping$i.log" || return 1
    done
  }
  wait_for 25 recovered; rec=$?
  if case_enabled failover-outbound; then
    # Right after the failover, well inside g1's ZooKeeper session (its learned route is still
    # in the NSDB): every flow, the ones h1 had sent via g1 (41000..) and new ones (42000..),
    # must leave through g2, none lost on the way to the dead host.
    capture_links after
    all_via_g2() {
      send_flows 41000; send_flows 42000
      [ "$(count_on eth2 after 41000)" = "$OUT_FLOWS" ] && [ "$(count_on eth2 after 42000)" = "$OUT_FLOWS" ]
    }
    wait_for 3 all_via_g2; ok=$?
    since_kill=$(awk -v t="$t_kill" -v n="$(date +%s.%N)" 'BEGIN {printf "%d", (n - t) * 1000}')
    g1_route=no; learned_in_router 2 && g1_route=yes
    stop_captures
    out_counts="$(count_on eth2 after 41000)+$(count_on eth2 after 42000) via g2, $(count_on eth1 after 41000)+$(count_on eth1 after 42000) via g1"
  fi
  sleep 0.5
  for p in "${pingers[@]}"; do kill "$p" 2>/dev/null; done
  kill "$capturer" 2>/dev/null
  worst=0 worst_in=0
  for i in $(seq 1 8); do
    # Longest gap between consecutive replies after the kill: how long this flow had no path.
    gap=$(awk -v t="$t_kill" -F'[][]' '/bytes from/ { if ($2 > t - 1) { if (p) { g = $2 - p; if (g > m) m = g } p = $2 } } END {printf "%d", m * 1000}' "$work/ping$i.log")
    [ "$gap" -gt "$worst" ] && worst=$gap
    # The same for requests reaching vm1 (inbound only).
    gap=$(awk -v t="$t_kill" -v src="10.82.9.$i" '$3 == src && $1 > t - 1 { if (p) { g = $1 - p; if (g > m) m = g } p = $1 } END {printf "%d", m * 1000}' "$work/vm1-requests.log")
    [ "$gap" -gt "$worst_in" ] && worst_in=$gap
  done
  frr_paths=$(ecmp_paths)
  # With BFD both ways (upstream and underlay) no flow may wait for the ZooKeeper session.
  limit=$(( BFD_MS > 0 && UNDERLAY_BFD_MS > 0 ? 1000 : 25000 ))
  if [ "$rec" = 0 ] && [ "$worst" -ge "$limit" ]; then
    fail failover "every flow answered again, but the longest gap was ${worst} ms (limit ${limit} ms; requests reaching vm1: ${worst_in} ms, so the rest was the outbound direction; ZooKeeper session $((ZK_SESSION_MS / 1000)) s)"
  elif [ "$rec" = 0 ]; then
    detect="hold timer 3 s"; [ "$BFD_MS" -gt 0 ] && detect="BFD ${BFD_MS} ms x 3 upstream, underlay BFD $([ "$UNDERLAY_BFD_MS" -gt 0 ] && echo "${UNDERLAY_BFD_MS} ms x 3" || echo off), hold timer 3 s"
    pass failover "kill -9 of g1's agent: every flow answered again; longest gap ${worst} ms (requests reaching vm1: ${worst_in} ms) ($detect, ZooKeeper session $((ZK_SESSION_MS / 1000)) s); FRR now has $frr_paths nexthop(s)"
    if [ "$BFD_MS" -gt 0 ] && [ "$UNDERLAY_BFD_MS" = 0 ]; then echo "BENCH e2e_gateway_failover_no_underlay_bfd_worst_gap_ms $worst ms"
    elif [ "$BFD_MS" -gt 0 ]; then echo "BENCH e2e_gateway_failover_bfd_worst_gap_ms $worst ms"
    else echo "BENCH e2e_gateway_failover_hold_timer_worst_gap_ms $worst ms"; fi
    echo "BENCH e2e_gateway_failover_inbound_worst_gap_ms $worst_in ms"
  else fail failover "not every flow recovered within 25 s (worst gap so far ${worst} ms)"; fi
  if case_enabled failover-outbound; then
    # The learned route via g1 still being there proves the NSDB had no part in it.
    if [ "$ok" = 0 ] && [ "$(count_on eth1 after 41000)" = 0 ] && [ "$(count_on eth1 after 42000)" = 0 ] && [ "$g1_route" = yes ]; then
      pass failover-outbound "${since_kill} ms after the kill all $((2 * OUT_FLOWS)) flows from vm1 leave via g2, none via g1 (g1's learned route still in the NSDB: $g1_route; ZooKeeper session $((ZK_SESSION_MS / 1000)) s)"
    else fail failover-outbound "${since_kill} ms after the kill, of $((2 * OUT_FLOWS)) flows: $out_counts (g1's learned route still in the NSDB: $g1_route)"; fi
  fi
  if wait_for $((ZK_SESSION_MS / 1000 + 10)) learned_in_router 1; then pass failover-routes "g1's learned routes left the NSDB with its session"
  else fail failover-routes "$(api GET "/routers/$router/routes" | jq -c '[.[] | select(.learned)]')"; fi
fi

if case_enabled failback && case_enabled failover; then
  # g1's agent starts again (as systemd would restart it): BGP and the underlay session come
  # back, and the flows h1 had moved to g2 (41000..) spread over both gateways again.
  start_agent_for g1
  t0=$(now_ms)
  seen_back() { grep -q "reachable again over the underlay" "$work/h1/agent.log"; }
  if wait_for 30 established && wait_for 15 learned_in_router 2 && wait_for 10 seen_back; then
    back_ms=$(( $(now_ms) - t0 ))
    capture_links back
    spread_again() {
      send_flows 41000
      [ "$(count_all back 41000)" = "$OUT_FLOWS" ] && [ "$(count_on eth1 back 41000)" -gt 0 ] &&
        [ "$(count_on eth2 back 41000)" -gt 0 ]
    }
    if wait_for 20 spread_again; then
      pass failback "g1's agent started again: BGP, learned route and h1's underlay session back in ${back_ms} ms; the $OUT_FLOWS flows h1 had moved to g2 leave through both again ($(count_on eth1 back 41000) via g1, $(count_on eth2 back 41000) via g2)"
    else fail failback "after g1 came back, of $OUT_FLOWS flows $(count_on eth1 back 41000) via g1, $(count_on eth2 back 41000) via g2"; fi
    stop_captures
  else fail failback "g1 not back within 55 s: FRR $(vtysh_up 'show bgp ipv4 unicast summary' | tail -4 | tr '\n' ' '); h1 saw g1 back: $(seen_back && echo yes || echo no)"; fi
fi

for h in h1 g1 g2; do
  "$build/agent/midonet-agent" --status --state-dir "$work/$h" 2>/dev/null | sed "s/^/$h: /" >&2
done
exit $(( failures > 0 ))
