// Packet parsing: Ethernet (with up to two 802.1Q / 802.1ad tags), ARP, IPv4 (options,
// fragments), IPv6 (extension headers, fragments), ICMP, ICMPv6 (with Neighbor Discovery),
// TCP, UDP and SCTP ports; and the flow key of a packet, as the OVS datapath would compute it.
//
// parsePacket() is a view: the ParsedPacket points into the caller's buffer (spans for options
// and payload), decodes every header into host-order fields, and never allocates.
//
// Invariants:
// - Every read is bounds-checked against the buffer; a header that does not fit, or one whose
//   length fields contradict the buffer or each other, gives an Error, never a read past the end.
// - IPv4 total length and the IPv6 payload length bound the layers above them: Ethernet padding
//   after the IP packet is not taken as L4 data.
// - Non-first fragments have no L4 header (l4 == L4::None), like OVS (frag=later).
// - Checksums are not verified by parsing (the datapath does not either); use the
//   checksum helpers (checksum.h) where it matters.
// - l3 / l4 say which header structs are meaningful; the others are zero.
//
// Thread-safety: pure functions over caller-owned memory; the ParsedPacket is a value that
// borrows the buffer, which must outlive it and stay unchanged.
#pragma once

#include "common/flow/flow_key.h"
#include "common/packet/result.h"
#include "common/util/net_types.h"

#include <cstdint>
#include <span>

namespace midonet::packet {

using util::IPv4Address;
using util::IPv6Address;
using util::MacAddress;

using Bytes = std::span<const uint8_t>;

inline constexpr size_t kEthHeaderLen = 14;
inline constexpr size_t kVlanTagLen = 4;
inline constexpr size_t kArpLen = 28;
inline constexpr size_t kIpv4MinHeaderLen = 20;
inline constexpr size_t kIpv6HeaderLen = 40;
inline constexpr size_t kTcpMinHeaderLen = 20;
inline constexpr size_t kUdpHeaderLen = 8;
inline constexpr size_t kIcmpHeaderLen = 8;

// TCP flag bits as in the header's low 9 bits (and OVS tcp_flags).
inline constexpr uint16_t kTcpFin = 0x01, kTcpSyn = 0x02, kTcpRst = 0x04, kTcpPsh = 0x08,
                          kTcpAck = 0x10, kTcpUrg = 0x20;

// ICMP types and codes the agent produces or interprets.
inline constexpr uint8_t kIcmpEchoReply = 0, kIcmpUnreachable = 3, kIcmpEchoRequest = 8,
                         kIcmpTimeExceeded = 11;
inline constexpr uint8_t kIcmpUnreachNet = 0, kIcmpUnreachHost = 1, kIcmpUnreachFragNeeded = 4,
                         kIcmpUnreachAdminProhibited = 13;
inline constexpr uint8_t kIcmpv6NeighborSolicit = 135, kIcmpv6NeighborAdvert = 136;

inline constexpr uint16_t kArpRequest = 1, kArpReply = 2;

struct VlanTag {
    uint16_t tpid = flow::kEthTypeVlan;
    uint16_t tci = 0; // PCP(3) DEI(1) VID(12) as on the wire
    uint16_t vid() const { return tci & 0x0fff; }
};

struct EthernetHeader {
    MacAddress dst, src;
    VlanTag vlans[2];      // outermost first
    uint8_t vlanCount = 0;
    uint16_t etherType = 0; // of the payload, after the tags
};

struct ArpHeader {
    uint16_t op = 0;
    MacAddress sha;
    IPv4Address spa;
    MacAddress tha;
    IPv4Address tpa;
};

struct Ipv4Header {
    uint8_t headerLength = 0; // bytes (IHL * 4)
    uint8_t tos = 0;
    uint16_t totalLength = 0;
    uint16_t id = 0;
    bool dontFragment = false, moreFragments = false;
    uint16_t fragmentOffset = 0; // in 8-byte units
    uint8_t ttl = 0;
    uint8_t protocol = 0;
    uint16_t checksum = 0;
    IPv4Address src, dst;
    Bytes options;
    bool isFragment() const { return moreFragments || fragmentOffset != 0; }
};

struct Ipv6Header {
    uint8_t trafficClass = 0;
    uint32_t flowLabel = 0;
    uint16_t payloadLength = 0;
    uint8_t nextHeader = 0; // the upper-layer protocol after extension headers
    uint8_t hopLimit = 0;
    IPv6Address src, dst;
    bool isFragment = false;
    bool moreFragments = false;
    uint16_t fragmentOffset = 0; // 8-byte units
};

struct TcpHeader {
    uint16_t srcPort = 0, dstPort = 0;
    uint32_t seq = 0, ack = 0;
    uint8_t headerLength = 0; // bytes
    uint16_t flags = 0;       // low 9 bits
    uint16_t window = 0, checksum = 0, urgent = 0;
    Bytes options;
};

struct UdpHeader {
    uint16_t srcPort = 0, dstPort = 0, length = 0, checksum = 0;
};

struct IcmpHeader {
    uint8_t type = 0, code = 0;
    uint16_t checksum = 0;
    uint32_t rest = 0; // id<<16|seq for echo, next-hop MTU in the low 16 bits for frag-needed
    uint16_t id() const { return uint16_t(rest >> 16); }
    uint16_t sequence() const { return uint16_t(rest); }
};

struct Icmpv6Header {
    uint8_t type = 0, code = 0;
    uint16_t checksum = 0;
    IPv6Address ndTarget;    // NS / NA only
    MacAddress ndSll, ndTll; // from the ND options, zero when absent
};

enum class L3 : uint8_t { None, Arp, Ipv4, Ipv6 };
enum class L4 : uint8_t { None, Tcp, Udp, Sctp, Icmp, Icmpv6, Other };

struct ParsedPacket {
    Bytes data;       // the whole frame
    EthernetHeader eth;
    L3 l3 = L3::None;
    ArpHeader arp;
    Ipv4Header ipv4;
    Ipv6Header ipv6;
    L4 l4 = L4::None;
    TcpHeader tcp;
    UdpHeader udp; // SCTP ports are kept here too (srcPort/dstPort)
    IcmpHeader icmp;
    Icmpv6Header icmpv6;
    size_t l3Offset = 0;   // start of the IP/ARP header
    size_t l4Offset = 0;   // start of the L4 header (0 if none)
    size_t l4End = 0;      // end of the IP packet (Ethernet padding excluded)
    Bytes l4Payload;       // after the L4 header (ICMP: after the 8-byte header)

    Bytes l3Bytes() const { return data.subspan(l3Offset, l4End - l3Offset); }
};

Result<ParsedPacket> parsePacket(Bytes frame);

// The flow key of a parsed packet. inPort is the datapath port it arrived on.
flow::FlowKey flowKeyOf(const ParsedPacket &p, uint32_t inPort = 0);
// parse + flowKeyOf.
Result<flow::FlowKey> extractFlowKey(Bytes frame, uint32_t inPort = 0);

} // namespace midonet::packet
