# The demo cloud's BGP gateway: sourced by cloud.sh once the floating-ip case has made vm2's
# floating IP 198.51.100.2 (chains $in_chain/$out_chain on router $router). Adds
#
#   upstream ${P}-up (FRR bgpd+zebra, AS 64513) eth0 10.83.0.2/30
#       --- tap-up (host g1, namespace ${P}-g1, its own midonet-agent)
#       = router 'edge' uplink 10.83.0.1/30, router AS 64512, BGP network 198.51.100.0/24
#
# The upstream has no static route: it reaches 198.51.100.0/24 only through what BGP tells it.
# Case upstream-floating-ip: FRR installs the route, ping + HTTP to 198.51.100.2 answer vm2,
# the peer's sessionState is Established in the API and in midonet-cli.
# Prints "BENCH e2e_cloud_bgp_route_in_frr_s": peer configured -> route in FRR's RIB.
# Uses cloud.sh's helpers and variables (P, UNDERLAY, work, build, ZK, API, pids, api, create...).

BGP_MY_AS=64512
BGP_UP_AS=64513
UPNS=${P}-up
frr_vtysh() { vtysh --vty_socket "$work/frr" -c "$1" 2>/dev/null; }

bgp_gateway_missing() { # prints what of FRR is missing, if anything
  local bin; for bin in /usr/lib/frr/bgpd /usr/lib/frr/zebra /usr/bin/vtysh; do
    [ -x "$bin" ] || echo "$bin"
  done
}

# The agent's BGP speaker lives in a service namespace mbgp-<port id prefix> that is not under
# ${P}-: remove it on exit too (an agent killed with -9 leaves it behind).
bgp_cleanup_service_ns() {
  [ -n "${bgp_uplink:-}" ] || return 0
  local ns=mbgp-${bgp_uplink:0:8}
  ip netns pids "$ns" 2>/dev/null | xargs -r kill -9 2>/dev/null
  ip netns del "$ns" 2>/dev/null
}

bgp_gateway_setup() {
  # Gateway host g1: a namespace on the underlay with its own agent, like h1..h3.
  local ns=${P}-g1
  ip netns add "$ns"
  ip link add "${P}-g1u" type veth peer name u0 netns "$ns"
  ip link set "${P}-g1u" master "$BR" up
  in_ns "$ns" ip link set lo up
  in_ns "$ns" ip addr add "$UNDERLAY.21/24" dev u0
  in_ns "$ns" ip link set u0 up
  mkdir -p "$work/g1"
  nsenter --net="/run/netns/$ns" "$build/agent/midonet-agent" --zookeeper "$ZK" --datapath userspace \
      --datapath-name mng1 --state-dir "$work/g1" --host-name g1 \
      --tunnel-zone tz0 --tunnel-ip "$UNDERLAY.21" --log-level "${AGENT_LOG:-info}" \
      >>"$work/g1/agent.log" 2>&1 &
  agent_pid[g1]=$!
  pids+=($!)
  g1_alive() { api GET /hosts | jq -e '.[] | select(.name=="g1") | .alive' >/dev/null; }
  wait_for 30 g1_alive || { log "g1's agent did not come up: $(tail -3 "$work/g1/agent.log")"; return 1; }

  # The upstream: FRR in its own namespace, a veth to g1.
  ip netns add "$UPNS"
  in_ns "$UPNS" ip link set lo up
  ip link add eth0 netns "$UPNS" type veth peer name tap-up netns "$ns"
  in_ns "$UPNS" ip addr add 10.83.0.2/30 dev eth0
  in_ns "$UPNS" ip link set eth0 up
  in_ns "$UPNS" ethtool -K eth0 tx off >/dev/null 2>&1
  in_ns "$ns" ip link set tap-up up
  chmod 755 "$work"
  mkdir -p "$work/frr"
  cat >"$work/frr/bgpd.conf" <<CONF
frr defaults traditional
hostname ${P}-upstream
log file $work/frr/bgpd.log
!
router bgp $BGP_UP_AS
 bgp router-id 10.83.0.2
 no bgp ebgp-requires-policy
 timers bgp 1 3
 neighbor 10.83.0.1 remote-as $BGP_MY_AS
 neighbor 10.83.0.1 timers 1 3
 neighbor 10.83.0.1 timers connect 1
!
CONF
  printf 'hostname %s-zebra\nlog file %s/zebra.log\n' "$P" "$work/frr" >"$work/frr/zebra.conf"
  chown -R frr:frr "$work/frr"
  # FRR writes /var/tmp/frr: a private /var/tmp in its own mount namespace.
  in_ns "$UPNS" unshare -m sh -c "mount -t tmpfs tmpfs /var/tmp && exec /usr/lib/frr/zebra -d -f $work/frr/zebra.conf -i $work/frr/zebra.pid -z $work/frr/zserv.api --vty_socket $work/frr -u frr -g frr"
  wait_for 10 test -S "$work/frr/zserv.api" || { log "zebra did not start"; return 1; }
  in_ns "$UPNS" unshare -m sh -c "mount -t tmpfs tmpfs /var/tmp && exec /usr/lib/frr/bgpd -d -f $work/frr/bgpd.conf -i $work/frr/bgpd.pid -z $work/frr/zserv.api --vty_socket $work/frr -u frr -g frr"
  wait_for 10 test -S "$work/frr/bgpd.vty" || { log "bgpd did not start"; return 1; }

  # The virtual side: a second uplink of router 'edge', bound on g1; vm2's floating IP also
  # through it (dnat in, snat out, first in the chains); the router speaks BGP.
  bgp_uplink=$(create "/routers/$router/ports" '{"type":"Router","portAddress":"10.83.0.1","networkAddress":"10.83.0.0","networkLength":30}')
  api POST "/hosts/$(api GET /hosts | jq -r '.[] | select(.name=="g1") | .id')/ports" \
      "{\"portId\":\"$bgp_uplink\",\"interfaceName\":\"tap-up\"}" >/dev/null || return 1
  g1_bound() { [ "$("$build/agent/midonet-agent" --status --state-dir "$work/g1" | sed -n 's/^ports *\([0-9]*\) bound.*/\1/p')" = 1 ]; }
  wait_for 10 g1_bound || log "g1's agent has not bound tap-up after 10 s"
  api POST "/chains/$in_chain/rules" "{\"type\":\"dnat\",\"flowAction\":\"accept\",\"inPorts\":[\"$bgp_uplink\"],\"nwDstAddress\":\"198.51.100.2\",\"nwDstLength\":32,\"natTargets\":[{\"addressFrom\":\"10.0.0.2\",\"addressTo\":\"10.0.0.2\",\"portFrom\":0,\"portTo\":0}],\"position\":1}" >/dev/null
  api POST "/chains/$out_chain/rules" "{\"type\":\"snat\",\"flowAction\":\"accept\",\"outPorts\":[\"$bgp_uplink\"],\"nwSrcAddress\":\"10.0.0.2\",\"nwSrcLength\":32,\"natTargets\":[{\"addressFrom\":\"198.51.100.2\",\"addressTo\":\"198.51.100.2\",\"portFrom\":0,\"portTo\":0}],\"position\":1}" >/dev/null
  local body; body=$(api GET "/routers/$router" | jq -c ".asNumber=$BGP_MY_AS")
  api PUT "/routers/$router" "$body" >/dev/null || return 1
  create "/routers/$router/bgp_networks" '{"subnetAddress":"198.51.100.0","subnetLength":24}' >/dev/null || return 1
  bgp_peer=$(create "/routers/$router/bgp_peers" "{\"asNumber\":$BGP_UP_AS,\"address\":\"10.83.0.2\",\"holdTime\":5,\"connectRetry\":5}") || return 1
  bgp_t_peer=$(date +%s%N)
}

bgp_gateway_case() {
  local name=upstream-floating-ip missing
  missing=$(bgp_gateway_missing)
  if [ -n "$missing" ]; then
    fail $name "FRR is not installed ($(tr '\n' ' ' <<<"$missing")missing; installer/install-deps.sh installs it)"
    return
  fi
  trap 'bgp_cleanup_service_ns; cleanup' EXIT
  if ! bgp_gateway_setup; then fail $name "set-up of g1/upstream failed (see log)"; return; fi
  frr_has_route() {
    frr_vtysh 'show ip route bgp json' | jq -e '."198.51.100.0/24" | length > 0' >/dev/null
  }
  if ! wait_for 60 frr_has_route; then
    fail $name "FRR has no BGP route to 198.51.100.0/24 60 s after the peer was configured: $(frr_vtysh 'show bgp ipv4 unicast summary' | tail -3 | tr '\n' ' ') peer: $(api GET "/bgp_peers/$bgp_peer" | jq -c '{sessionState}')"
    tail -n 5 "$work/g1/agent.log" >&2
    return
  fi
  local secs; secs=$(awk -v a="$bgp_t_peer" -v b="$(date +%s%N)" 'BEGIN {printf "%.2f", (b-a)/1e9}')
  echo "BENCH e2e_cloud_bgp_route_in_frr_s $secs s"
  local out who="" state cli_out=""
  api_established() { api GET "/bgp_peers/$bgp_peer" | jq -e '.sessionState=="Established"' >/dev/null; }
  cli_established() {
    cli_out=$("$build/cli/midonet-cli" --midonet-url "$API" -A -e router "$router" bgp-peer list 2>&1)
    grep -q 'state Established' <<<"$cli_out"
  }
  # The agent writes the session status at most once a second: poll.
  wait_for 10 api_established; state=$(api GET "/bgp_peers/$bgp_peer" | jq -r .sessionState)
  if [ -x "$build/cli/midonet-cli" ]; then wait_for 10 cli_established; cli_established; fi
  if out=$(in_ns "$UPNS" ping -c 2 -i 0.3 -W 3 198.51.100.2 2>&1) &&
     who=$(in_ns "$UPNS" curl -s --max-time 5 http://198.51.100.2/who) && [ "$who" = vm2 ] &&
     [ "$state" = Established ] &&
     { [ ! -x "$build/cli/midonet-cli" ] || grep -q 'state Established' <<<"$cli_out"; }; then
    pass $name "FRR learned 198.51.100.0/24 via $(frr_vtysh 'show ip route bgp json' | jq -r '."198.51.100.0/24"[0].nexthops[0].ip') in ${secs} s; ping and HTTP from the upstream reach vm2; peer sessionState $state (API and midonet-cli)"
  else
    fail $name "ping: $(tail -1 <<<"$out"); http: '$who'; API sessionState: $state; cli: $(grep -m1 -i state <<<"$cli_out")"
  fi
}
