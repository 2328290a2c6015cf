// Flow tags: the names of everything an installed flow depended on, so that a change to one of
// them removes exactly the flows that carry its tag (MidoNet's FlowTagger). The simulation emits
// them; the agent's flow table indexes flows by them; NSDB and state-table watchers emit the tag
// of what changed.
//
// A tag is (kind, up to two ids, two integers); each kind says what its fields mean:
//   Device(id)                         port, bridge, router, chain, LB, pool, ... passed
//   Rule(chain, rule)                  a rule that matched or was evaluated with a decision
//   VlanPort(bridge, mac, vlan, port)  a MAC entry used (source learned or destination found)
//   VlanFlood(bridge, vlan, mac)       an unknown-unicast flood (a new MAC learned removes it)
//   Broadcast(bridge)                  any flood (exterior port set changed)
//   ArpRequest(bridge)                 a flooded ARP request
//   BridgePort(bridge, routerPort)     a peer router port's MAC/IP used on a bridge
//   Route(router, route)               a route chosen
//   DestinationIp(router, ip)          a routing decision for that destination
//   ArpEntry(router, ip)               an ARP cache entry used (or found missing)
//   ConnTrack(hash)                    a conntrack key looked up or written
//   Nat(hash)                          a NAT key looked up or written
//   TunnelKey(key)                     a tunnel key used
//   ConntrackPolicy()                  the flow skipped conntrack registration because no rule
//                                      in the topology tests `flow` (see agent/simulation)
// Invariants: equal tags compare and hash equal; unused fields are zero.
// Thread-safety: plain values, no shared state.
#pragma once

#include "common/util/net_types.h"
#include "common/util/uuid.h"

#include <compare>
#include <cstdint>
#include <functional>
#include <string>

namespace midonet::flow {

enum class TagKind : uint8_t {
    Device, Rule, VlanPort, VlanFlood, Broadcast, ArpRequest, BridgePort, Route, DestinationIp,
    ArpEntry, ConnTrack, Nat, TunnelKey, ConntrackPolicy, MacSource
};

struct FlowTag {
    TagKind kind = TagKind::Device;
    util::Uuid a, b;
    uint64_t x = 0;
    uint64_t y = 0;

    static FlowTag device(util::Uuid id) { return {TagKind::Device, id, {}, 0, 0}; }
    static FlowTag rule(util::Uuid chain, util::Uuid rule) { return {TagKind::Rule, chain, rule, 0, 0}; }
    static FlowTag vlanPort(util::Uuid bridge, util::MacAddress mac, uint16_t vlan, util::Uuid port)
    {
        return {TagKind::VlanPort, bridge, port, mac.toU64(), vlan};
    }
    static FlowTag vlanFlood(util::Uuid bridge, uint16_t vlan, util::MacAddress mac)
    {
        return {TagKind::VlanFlood, bridge, {}, mac.toU64(), vlan};
    }
    static FlowTag broadcast(util::Uuid bridge) { return {TagKind::Broadcast, bridge, {}, 0, 0}; }
    static FlowTag arpRequest(util::Uuid bridge) { return {TagKind::ArpRequest, bridge, {}, 0, 0}; }
    static FlowTag bridgePort(util::Uuid bridge, util::Uuid routerPort)
    {
        return {TagKind::BridgePort, bridge, routerPort, 0, 0};
    }
    static FlowTag route(util::Uuid router, util::Uuid route) { return {TagKind::Route, router, route, 0, 0}; }
    static FlowTag destinationIp(util::Uuid router, util::IPv4Address ip)
    {
        return {TagKind::DestinationIp, router, {}, ip.value, 0};
    }
    static FlowTag arpEntry(util::Uuid router, util::IPv4Address ip)
    {
        return {TagKind::ArpEntry, router, {}, ip.value, 0};
    }
    static FlowTag connTrack(uint64_t keyHash) { return {TagKind::ConnTrack, {}, {}, keyHash, 0}; }
    static FlowTag nat(uint64_t keyHash) { return {TagKind::Nat, {}, {}, keyHash, 0}; }
    static FlowTag tunnelKey(uint32_t key) { return {TagKind::TunnelKey, {}, {}, key, 0}; }
    static FlowTag conntrackPolicy() { return {TagKind::ConntrackPolicy, {}, {}, 0, 0}; }
    // Flows whose frames come FROM `mac` on `port` (they keep the MAC learned there alive;
    // vlanPort tags the flows going TO it).
    static FlowTag macSource(util::Uuid bridge, util::MacAddress mac, uint16_t vlan, util::Uuid port)
    {
        return {TagKind::MacSource, bridge, port, mac.toU64(), vlan};
    }

    auto operator<=>(const FlowTag &) const = default;
    size_t hash() const;
    std::string toString() const; // "device:<uuid>", "route:<router>/<route>", ...
};

} // namespace midonet::flow

template <> struct std::hash<midonet::flow::FlowTag> {
    size_t operator()(const midonet::flow::FlowTag &t) const noexcept { return t.hash(); }
};
