// Flow actions: what the datapath does with a packet that matched a flow, following the OVS
// kernel actions (OVS_ACTION_ATTR_OUTPUT, SET / SET_MASKED, PUSH_VLAN, POP_VLAN, USERSPACE).
// A FlowActions list runs in order; an empty list drops the packet (as in OVS).
//
// Set actions carry one field each and change only that field: the datapath backend turns them
// into OVS_ACTION_ATTR_SET_MASKED with a mask covering just that field (consecutive sets of the
// same header may be merged). SetTunnel is the OVS "set(tunnel(...))" that must precede the
// output to a tunnel (VXLAN) port.
//
// Invariants: value types; FlowAction compares and hashes by content.
// Thread-safety: plain values, no shared state.
#pragma once

#include "common/flow/flow_key.h"

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace midonet::flow {

struct OutputAction {
    uint32_t port = 0; // datapath port number
    bool operator==(const OutputAction &) const = default;
};

struct SetTunnelAction {
    uint64_t tunnelId = 0; // VNI / tunnel key
    IPv4Address src, dst;
    uint8_t tos = 0, ttl = 64;
    uint16_t flags = kTunnelFlagKey;
    bool operator==(const SetTunnelAction &) const = default;
};

struct SetEthSrcAction { MacAddress mac; bool operator==(const SetEthSrcAction &) const = default; };
struct SetEthDstAction { MacAddress mac; bool operator==(const SetEthDstAction &) const = default; };
struct SetIpv4SrcAction { IPv4Address addr; bool operator==(const SetIpv4SrcAction &) const = default; };
struct SetIpv4DstAction { IPv4Address addr; bool operator==(const SetIpv4DstAction &) const = default; };
struct SetIpTosAction { uint8_t tos = 0; bool operator==(const SetIpTosAction &) const = default; };
struct SetIpTtlAction { uint8_t ttl = 0; bool operator==(const SetIpTtlAction &) const = default; };
// L4 ports of the packet's protocol (TCP, UDP or SCTP); for ICMP echo the identifier.
struct SetTpSrcAction { uint16_t port = 0; bool operator==(const SetTpSrcAction &) const = default; };
struct SetTpDstAction { uint16_t port = 0; bool operator==(const SetTpDstAction &) const = default; };

struct PushVlanAction {
    uint16_t tpid = kEthTypeVlan;
    uint16_t tci = 0; // with kVlanPresent set, as in the key
    bool operator==(const PushVlanAction &) const = default;
};
struct PopVlanAction { bool operator==(const PopVlanAction &) const = default; };

// Send the packet to the agent (OVS_ACTION_ATTR_USERSPACE); cookie says why.
struct UserspaceAction {
    uint32_t pid = 0;
    uint64_t cookie = 0;
    bool operator==(const UserspaceAction &) const = default;
};

using FlowAction =
    std::variant<OutputAction, SetTunnelAction, SetEthSrcAction, SetEthDstAction, SetIpv4SrcAction,
                 SetIpv4DstAction, SetIpTosAction, SetIpTtlAction, SetTpSrcAction, SetTpDstAction,
                 PushVlanAction, PopVlanAction, UserspaceAction>;

using FlowActions = std::vector<FlowAction>; // empty = drop

size_t hashActions(const FlowActions &actions);
std::string toString(const FlowAction &action); // "set(eth(src=..))", "3", "push_vlan(vid=10,pcp=0)"
// dpctl style: "set(tunnel(tun_id=0x5,dst=10.0.0.2,ttl=64,flags(key))),4" or "drop".
std::string toString(const FlowActions &actions);

// What the actions do to a key: the key a packet would have after them (outputs ignored;
// tunnel sets go to the tunnel fields). Used by tests and the userspace datapath.
FlowKey applyActions(const FlowKey &key, const FlowActions &actions);

} // namespace midonet::flow
