// The flow key: every packet field the Open vSwitch kernel datapath can match on
// (`linux/openvswitch.h`, OVS_KEY_ATTR_*), in one flat value, plus FlowMask (a key-shaped bit
// mask: a 1 bit means "this bit was consulted") and FlowMatch (a key under a mask, the megaflow).
//
// Field map (key attribute -> members):
//   IN_PORT -> inPort            SKB_MARK -> skbMark
//   TUNNEL  -> tunnelId, tunnelSrc, tunnelDst, tunnelTos, tunnelTtl, tunnelFlags
//   ETHERNET -> ethSrc, ethDst   VLAN -> vlanTci (outer), ENCAP+VLAN -> innerVlanTci (QinQ)
//   ETHERTYPE -> ethType (the innermost one, the payload's type)
//   IPV4 -> ipv4Src, ipv4Dst, ipProto, ipTos, ipTtl, ipFrag
//   IPV6 -> ipv6Src, ipv6Dst, ipv6Label, ipProto, ipTos (traffic class), ipTtl (hop limit), ipFrag
//   TCP/UDP/SCTP -> tpSrc, tpDst  TCP_FLAGS -> tcpFlags
//   ICMP/ICMPV6 -> icmpType, icmpCode
//   ARP -> arpSip, arpTip, arpOp, arpSha, arpTha   ND -> ndTarget, ndSll, ndTll
//   (none) -> icmpId: userspace-only, see below.
//
// Invariants:
// - FlowKey has no padding bits (static_assert below): two keys are equal iff their bytes are,
//   so comparison, masking and hashing work on the raw bytes, fast and without per-field code.
// - Fields not present in the packet are zero (an ARP key has zero IP fields, a non-ICMP key zero
//   ICMP fields). extractFlowKey() (common/packet) upholds this; hand-built keys should too.
// - vlanTci follows the OVS convention: 0 means "no tag"; a present tag has the CFI/present bit
//   (0x1000) set, so VLAN 0 with priority 0 is 0x1000, distinct from untagged.
// - IPv4 addresses are host byte order (util::IPv4Address); ports, types and TCIs are host order.
// - icmpId (the ICMP echo identifier) is not an OVS key field. The simulation consults it for
//   ICMP NAT and connection tracking, as MidoNet does; a FlowMatch whose mask includes it cannot
//   be installed in the kernel, and the agent must send such packets to userspace
//   (FlowMask::hasUserspaceOnlyFields()).
// - FlowMatch keeps its key pre-masked (key & mask == key), so equal matches hash equally.
//
// Thread-safety: plain values without shared state; concurrent reads of one object are safe,
// writes need external synchronisation like any value.
#pragma once

#include "common/util/net_types.h"

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <functional>
#include <string>
#include <type_traits>

namespace midonet::flow {

using util::IPv4Address;
using util::IPv6Address;
using util::MacAddress;

// Ethertypes and IP protocols the datapath understands.
inline constexpr uint16_t kEthTypeIpv4 = 0x0800;
inline constexpr uint16_t kEthTypeArp = 0x0806;
inline constexpr uint16_t kEthTypeVlan = 0x8100;  // 802.1Q
inline constexpr uint16_t kEthTypeQinQ = 0x88a8;  // 802.1ad service tag
inline constexpr uint16_t kEthTypeIpv6 = 0x86dd;
inline constexpr uint8_t kIpProtoIcmp = 1;
inline constexpr uint8_t kIpProtoTcp = 6;
inline constexpr uint8_t kIpProtoUdp = 17;
inline constexpr uint8_t kIpProtoIcmpv6 = 58;
inline constexpr uint8_t kIpProtoSctp = 132;

// OVS_FRAG_TYPE_*: where an IP packet stands among fragments.
enum class FragType : uint8_t { None = 0, First = 1, Later = 2 };

// OVS tunnel flags (TUNNEL_* in the kernel, the bits OVS userspace prints).
inline constexpr uint16_t kTunnelFlagCsum = 0x01;
inline constexpr uint16_t kTunnelFlagKey = 0x04;
inline constexpr uint16_t kTunnelFlagDontFragment = 0x0100;

inline constexpr uint16_t kVlanPresent = 0x1000; // CFI bit, OVS's "tag present" marker
inline constexpr uint16_t kVlanVidMask = 0x0fff;

struct FlowKey {
    // 8-byte fields first, then 4, 2, 1 byte ones: no padding (checked below).
    uint64_t tunnelId = 0;
    uint32_t inPort = 0;  // datapath port number
    uint32_t skbMark = 0;
    IPv4Address tunnelSrc, tunnelDst;
    IPv4Address ipv4Src, ipv4Dst;
    IPv4Address arpSip, arpTip;
    uint32_t ipv6Label = 0; // 20-bit flow label
    IPv6Address ipv6Src, ipv6Dst;
    IPv6Address ndTarget;
    uint16_t tunnelFlags = 0;
    uint16_t vlanTci = 0;      // outer tag, see invariants
    uint16_t innerVlanTci = 0; // second tag of a QinQ frame
    uint16_t ethType = 0;
    uint16_t tpSrc = 0, tpDst = 0; // TCP/UDP/SCTP ports
    uint16_t tcpFlags = 0;
    uint16_t arpOp = 0;
    uint16_t icmpId = 0; // userspace-only, see invariants
    MacAddress ethSrc, ethDst;
    MacAddress arpSha, arpTha;
    MacAddress ndSll, ndTll;
    uint8_t tunnelTos = 0, tunnelTtl = 0;
    uint8_t ipProto = 0, ipTos = 0, ipTtl = 0;
    FragType ipFrag = FragType::None;
    uint8_t icmpType = 0, icmpCode = 0;
    uint8_t reserved[6] = {}; // always zero; makes the size a multiple of 8

    bool hasVlan() const { return vlanTci & kVlanPresent; }
    uint16_t vlanId() const { return vlanTci & kVlanVidMask; }
    bool isIpv4() const { return ethType == kEthTypeIpv4; }
    bool isIpv6() const { return ethType == kEthTypeIpv6; }
    bool isArp() const { return ethType == kEthTypeArp; }
    bool hasPorts() const
    {
        return (isIpv4() || isIpv6()) && ipFrag != FragType::Later &&
               (ipProto == kIpProtoTcp || ipProto == kIpProtoUdp || ipProto == kIpProtoSctp);
    }
    bool isIcmp() const
    {
        return (isIpv4() && ipProto == kIpProtoIcmp) || (isIpv6() && ipProto == kIpProtoIcmpv6);
    }

    bool operator==(const FlowKey &o) const;
    size_t hash() const;
    // ovs-dpctl dump-flows style, fields by ethertype: "in_port(3),eth(src=..,dst=..),..."
    std::string toString() const;
};

static_assert(std::has_unique_object_representations_v<FlowKey>, "FlowKey must have no padding");
static_assert(sizeof(FlowKey) % 8 == 0);

// Names every field so masks can be set per field and traces can say what was consulted.
enum class Field : uint8_t {
    InPort, SkbMark,
    TunnelId, TunnelSrc, TunnelDst, TunnelTos, TunnelTtl, TunnelFlags,
    EthSrc, EthDst, VlanTci, InnerVlanTci, EthType,
    Ipv4Src, Ipv4Dst, Ipv6Src, Ipv6Dst, Ipv6Label, IpProto, IpTos, IpTtl, IpFrag,
    TpSrc, TpDst, TcpFlags, IcmpType, IcmpCode, IcmpId,
    ArpSip, ArpTip, ArpOp, ArpSha, ArpTha,
    NdTarget, NdSll, NdTll,
    Count
};
const char *fieldName(Field f); // "ipv4_src", as in the dpctl output

namespace detail {
// Where each Field lives inside FlowKey, indexed by Field, so marking a field is an inline
// memset on the simulation's hot path. flow_key.cpp checks it against its own field table.
struct FieldSpan {
    uint16_t offset;
    uint8_t size;
};
#define MN_SPAN(m) FieldSpan{uint16_t(offsetof(FlowKey, m)), uint8_t(sizeof(FlowKey::m))}
inline constexpr FieldSpan kFieldSpans[] = {
    MN_SPAN(inPort), MN_SPAN(skbMark),
    MN_SPAN(tunnelId), MN_SPAN(tunnelSrc), MN_SPAN(tunnelDst), MN_SPAN(tunnelTos),
    MN_SPAN(tunnelTtl), MN_SPAN(tunnelFlags),
    MN_SPAN(ethSrc), MN_SPAN(ethDst), MN_SPAN(vlanTci), MN_SPAN(innerVlanTci), MN_SPAN(ethType),
    MN_SPAN(ipv4Src), MN_SPAN(ipv4Dst), MN_SPAN(ipv6Src), MN_SPAN(ipv6Dst), MN_SPAN(ipv6Label),
    MN_SPAN(ipProto), MN_SPAN(ipTos), MN_SPAN(ipTtl), MN_SPAN(ipFrag),
    MN_SPAN(tpSrc), MN_SPAN(tpDst), MN_SPAN(tcpFlags), MN_SPAN(icmpType), MN_SPAN(icmpCode),
    MN_SPAN(icmpId),
    MN_SPAN(arpSip), MN_SPAN(arpTip), MN_SPAN(arpOp), MN_SPAN(arpSha), MN_SPAN(arpTha),
    MN_SPAN(ndTarget), MN_SPAN(ndSll), MN_SPAN(ndTll),
};
#undef MN_SPAN
static_assert(sizeof(kFieldSpans) / sizeof(kFieldSpans[0]) == size_t(Field::Count));
} // namespace detail

// A key-shaped mask. Bits set = consulted; a default mask consults nothing (matches any packet).
struct FlowMask {
    FlowKey bits;

    static FlowMask exact(); // every bit of every field (reserved bytes stay 0)

    FlowMask &mark(Field f) // the whole field
    {
        const detail::FieldSpan &s = detail::kFieldSpans[size_t(f)];
        std::memset(reinterpret_cast<uint8_t *>(&bits) + s.offset, 0xff, s.size);
        return *this;
    }
    // The top `length` bits, OR-ed with what is there.
    FlowMask &markIpv4SrcPrefix(int length)
    {
        if (length > 0) bits.ipv4Src.value |= length >= 32 ? ~0u : ~(~0u >> length);
        return *this;
    }
    FlowMask &markIpv4DstPrefix(int length)
    {
        if (length > 0) bits.ipv4Dst.value |= length >= 32 ? ~0u : ~(~0u >> length);
        return *this;
    }
    bool consulted(Field f) const; // any bit of the field
    bool fullyConsulted(Field f) const;
    bool hasUserspaceOnlyFields() const { return bits.icmpId != 0; }
    FlowMask &operator|=(const FlowMask &o);
    bool operator==(const FlowMask &o) const { return bits == o.bits; }
    size_t hash() const { return bits.hash(); }
    std::string toString() const; // the consulted field names, comma separated
};

// key & mask, field by field (bytewise).
FlowKey applyMask(const FlowKey &key, const FlowMask &mask);

// A megaflow: matches every key whose masked bits equal the stored key's.
struct FlowMatch {
    FlowKey key; // pre-masked
    FlowMask mask;

    FlowMatch() = default;
    FlowMatch(const FlowKey &k, const FlowMask &m) : key(applyMask(k, m)), mask(m) {}
    bool matches(const FlowKey &k) const; // (k & mask) == key, without building a copy
    bool operator==(const FlowMatch &o) const { return key == o.key && mask == o.mask; }
    size_t hash() const;
    // dpctl style; a partly masked field prints "value/mask", an unconsulted one is left out.
    std::string toString() const;
};

} // namespace midonet::flow

template <> struct std::hash<midonet::flow::FlowKey> {
    size_t operator()(const midonet::flow::FlowKey &k) const noexcept { return k.hash(); }
};
template <> struct std::hash<midonet::flow::FlowMask> {
    size_t operator()(const midonet::flow::FlowMask &m) const noexcept { return m.hash(); }
};
template <> struct std::hash<midonet::flow::FlowMatch> {
    size_t operator()(const midonet::flow::FlowMatch &m) const noexcept { return m.hash(); }
};
