// Packet building: each function returns the bytes of one layer with its payload appended, and
// fills in lengths and checksums, so layers compose inside out:
//   ethernet(dst, src, kEthTypeIpv4, ipv4(ip, tcp(t, payload, ip.src, ip.dst)))
// buildFromKey() builds a whole frame from a flow key (tests, benchmarks, and the simulation's
// generated packets such as ARP requests).
//
// Invariants: every packet built here parses back with parsePacket() to the same field values,
// with valid IPv4 header and L4 checksums.
// Thread-safety: pure functions; results are new vectors owned by the caller.
#pragma once

#include "common/flow/flow_key.h"
#include "common/packet/packet.h"

#include <cstdint>
#include <initializer_list>
#include <vector>

namespace midonet::packet {

using Buffer = std::vector<uint8_t>;

Buffer ethernet(MacAddress dst, MacAddress src, uint16_t etherType, Bytes payload,
                std::initializer_list<VlanTag> vlans = {});

Buffer arp(uint16_t op, MacAddress sha, IPv4Address spa, MacAddress tha, IPv4Address tpa);

struct Ipv4Spec {
    IPv4Address src, dst;
    uint8_t protocol = 0;
    uint8_t tos = 0;
    uint8_t ttl = 64;
    uint16_t id = 0;
    bool dontFragment = false, moreFragments = false;
    uint16_t fragmentOffset = 0; // 8-byte units
    std::vector<uint8_t> options; // padded with zeros (EOL) to a multiple of 4
};
Buffer ipv4(const Ipv4Spec &spec, Bytes payload);

struct Ipv6Spec {
    IPv6Address src, dst;
    uint8_t nextHeader = 0;
    uint8_t hopLimit = 64;
    uint8_t trafficClass = 0;
    uint32_t flowLabel = 0;
};
Buffer ipv6(const Ipv6Spec &spec, Bytes payload);

struct TcpSpec {
    uint16_t srcPort = 0, dstPort = 0;
    uint32_t seq = 0, ack = 0;
    uint16_t flags = kTcpSyn;
    uint16_t window = 65535;
};
// The IP addresses are for the pseudo-header checksum.
Buffer tcp(const TcpSpec &spec, Bytes payload, IPv4Address src, IPv4Address dst);
Buffer tcp(const TcpSpec &spec, Bytes payload, const IPv6Address &src, const IPv6Address &dst);
Buffer udp(uint16_t srcPort, uint16_t dstPort, Bytes payload, IPv4Address src, IPv4Address dst);
Buffer udp(uint16_t srcPort, uint16_t dstPort, Bytes payload, const IPv6Address &src,
           const IPv6Address &dst);
// rest: id<<16|seq for echo, MTU for frag-needed, 0 otherwise.
Buffer icmp(uint8_t type, uint8_t code, uint32_t rest, Bytes payload);
Buffer icmpv6(uint8_t type, uint8_t code, Bytes body, const IPv6Address &src,
              const IPv6Address &dst);
// Neighbor solicitation (with SLL) or advertisement (with TLL, solicited+override flags).
Buffer neighborSolicit(const IPv6Address &target, MacAddress sll, const IPv6Address &src,
                       const IPv6Address &dst);
Buffer neighborAdvert(const IPv6Address &target, MacAddress tll, const IPv6Address &src,
                      const IPv6Address &dst);

// A whole frame whose flow key (extractFlowKey, ignoring in_port, skb_mark, tunnel and
// tcp_flags-less protocols) equals `key`, with `payload` after the L4 header.
Buffer buildFromKey(const flow::FlowKey &key, Bytes payload = {});

} // namespace midonet::packet
