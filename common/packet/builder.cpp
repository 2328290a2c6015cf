#include "common/packet/builder.h"

#include "common/packet/checksum.h"

namespace midonet::packet {

namespace {

void put16(Buffer &b, uint16_t v)
{
    b.push_back(uint8_t(v >> 8));
    b.push_back(uint8_t(v));
}
void put32(Buffer &b, uint32_t v)
{
    put16(b, uint16_t(v >> 16));
    put16(b, uint16_t(v));
}
void putMac(Buffer &b, const MacAddress &m) { b.insert(b.end(), m.bytes.begin(), m.bytes.end()); }
void putIp6(Buffer &b, const IPv6Address &a) { b.insert(b.end(), a.bytes.begin(), a.bytes.end()); }
void set16(Buffer &b, size_t at, uint16_t v)
{
    b[at] = uint8_t(v >> 8);
    b[at + 1] = uint8_t(v);
}
void append(Buffer &b, Bytes p) { b.insert(b.end(), p.begin(), p.end()); }

Buffer tcpHeader(const TcpSpec &s, Bytes payload)
{
    Buffer b;
    b.reserve(kTcpMinHeaderLen + payload.size());
    put16(b, s.srcPort);
    put16(b, s.dstPort);
    put32(b, s.seq);
    put32(b, s.ack);
    put16(b, uint16_t(5 << 12 | (s.flags & 0x01ff)));
    put16(b, s.window);
    put16(b, 0); // checksum
    put16(b, 0); // urgent
    append(b, payload);
    return b;
}

Buffer udpHeader(uint16_t sp, uint16_t dp, Bytes payload)
{
    Buffer b;
    b.reserve(kUdpHeaderLen + payload.size());
    put16(b, sp);
    put16(b, dp);
    put16(b, uint16_t(kUdpHeaderLen + payload.size()));
    put16(b, 0);
    append(b, payload);
    return b;
}

// SCTP common header with a zero checksum: the parser and the datapath key only read the ports.
Buffer sctpHeader(uint16_t sp, uint16_t dp, Bytes payload)
{
    Buffer b;
    put16(b, sp);
    put16(b, dp);
    put32(b, 0);
    put32(b, 0);
    append(b, payload);
    return b;
}

} // namespace

Buffer ethernet(MacAddress dst, MacAddress src, uint16_t etherType, Bytes payload,
                std::initializer_list<VlanTag> vlans)
{
    Buffer b;
    b.reserve(kEthHeaderLen + vlans.size() * kVlanTagLen + payload.size());
    putMac(b, dst);
    putMac(b, src);
    for (const VlanTag &t : vlans) {
        put16(b, t.tpid);
        put16(b, t.tci);
    }
    put16(b, etherType);
    append(b, payload);
    return b;
}

Buffer arp(uint16_t op, MacAddress sha, IPv4Address spa, MacAddress tha, IPv4Address tpa)
{
    Buffer b;
    b.reserve(kArpLen);
    put16(b, 1);
    put16(b, flow::kEthTypeIpv4);
    b.push_back(6);
    b.push_back(4);
    put16(b, op);
    putMac(b, sha);
    put32(b, spa.value);
    putMac(b, tha);
    put32(b, tpa.value);
    return b;
}

Buffer ipv4(const Ipv4Spec &s, Bytes payload)
{
    size_t optLen = (s.options.size() + 3) / 4 * 4;
    size_t hl = kIpv4MinHeaderLen + optLen;
    Buffer b;
    b.reserve(hl + payload.size());
    b.push_back(uint8_t(0x40 | hl / 4));
    b.push_back(s.tos);
    put16(b, uint16_t(hl + payload.size()));
    put16(b, s.id);
    put16(b, uint16_t((s.dontFragment ? 0x4000 : 0) | (s.moreFragments ? 0x2000 : 0) |
                      (s.fragmentOffset & 0x1fff)));
    b.push_back(s.ttl);
    b.push_back(s.protocol);
    put16(b, 0);
    put32(b, s.src.value);
    put32(b, s.dst.value);
    b.insert(b.end(), s.options.begin(), s.options.end());
    b.resize(hl, 0);
    set16(b, 10, internetChecksum(Bytes(b.data(), hl)));
    append(b, payload);
    return b;
}

Buffer ipv6(const Ipv6Spec &s, Bytes payload)
{
    Buffer b;
    b.reserve(kIpv6HeaderLen + payload.size());
    put32(b, 6u << 28 | uint32_t(s.trafficClass) << 20 | (s.flowLabel & 0xfffff));
    put16(b, uint16_t(payload.size()));
    b.push_back(s.nextHeader);
    b.push_back(s.hopLimit);
    putIp6(b, s.src);
    putIp6(b, s.dst);
    append(b, payload);
    return b;
}

Buffer tcp(const TcpSpec &s, Bytes payload, IPv4Address src, IPv4Address dst)
{
    Buffer b = tcpHeader(s, payload);
    uint32_t sum = pseudoHeaderSum(src, dst, flow::kIpProtoTcp, uint32_t(b.size()));
    set16(b, 16, checksumFinish(checksumPartial(b, sum)));
    return b;
}

Buffer tcp(const TcpSpec &s, Bytes payload, const IPv6Address &src, const IPv6Address &dst)
{
    Buffer b = tcpHeader(s, payload);
    uint32_t sum = pseudoHeaderSum(src, dst, flow::kIpProtoTcp, uint32_t(b.size()));
    set16(b, 16, checksumFinish(checksumPartial(b, sum)));
    return b;
}

Buffer udp(uint16_t sp, uint16_t dp, Bytes payload, IPv4Address src, IPv4Address dst)
{
    Buffer b = udpHeader(sp, dp, payload);
    uint16_t c = checksumFinish(
        checksumPartial(b, pseudoHeaderSum(src, dst, flow::kIpProtoUdp, uint32_t(b.size()))));
    set16(b, 6, c == 0 ? 0xffff : c); // 0 means "no checksum" in UDP over IPv4
    return b;
}

Buffer udp(uint16_t sp, uint16_t dp, Bytes payload, const IPv6Address &src, const IPv6Address &dst)
{
    Buffer b = udpHeader(sp, dp, payload);
    uint16_t c = checksumFinish(
        checksumPartial(b, pseudoHeaderSum(src, dst, flow::kIpProtoUdp, uint32_t(b.size()))));
    set16(b, 6, c == 0 ? 0xffff : c);
    return b;
}

Buffer icmp(uint8_t type, uint8_t code, uint32_t rest, Bytes payload)
{
    Buffer b;
    b.reserve(kIcmpHeaderLen + payload.size());
    b.push_back(type);
    b.push_back(code);
    put16(b, 0);
    put32(b, rest);
    append(b, payload);
    set16(b, 2, internetChecksum(b));
    return b;
}

Buffer icmpv6(uint8_t type, uint8_t code, Bytes body, const IPv6Address &src,
              const IPv6Address &dst)
{
    Buffer b;
    b.reserve(4 + body.size());
    b.push_back(type);
    b.push_back(code);
    put16(b, 0);
    append(b, body);
    uint32_t sum = pseudoHeaderSum(src, dst, flow::kIpProtoIcmpv6, uint32_t(b.size()));
    set16(b, 2, checksumFinish(checksumPartial(b, sum)));
    return b;
}

Buffer neighborSolicit(const IPv6Address &target, MacAddress sll, const IPv6Address &src,
                       const IPv6Address &dst)
{
    Buffer body;
    put32(body, 0);
    putIp6(body, target);
    body.push_back(1); // source link-layer address option
    body.push_back(1);
    putMac(body, sll);
    return icmpv6(kIcmpv6NeighborSolicit, 0, body, src, dst);
}

Buffer neighborAdvert(const IPv6Address &target, MacAddress tll, const IPv6Address &src,
                      const IPv6Address &dst)
{
    Buffer body;
    put32(body, 0x60000000); // solicited, override
    putIp6(body, target);
    body.push_back(2); // target link-layer address option
    body.push_back(1);
    putMac(body, tll);
    return icmpv6(kIcmpv6NeighborAdvert, 0, body, src, dst);
}

Buffer buildFromKey(const flow::FlowKey &k, Bytes payload)
{
    std::initializer_list<VlanTag> none{};
    VlanTag outer{k.innerVlanTci ? flow::kEthTypeQinQ : flow::kEthTypeVlan,
                  uint16_t(k.vlanTci & ~flow::kVlanPresent)};
    VlanTag inner{flow::kEthTypeVlan, uint16_t(k.innerVlanTci & ~flow::kVlanPresent)};
    auto frame = [&](uint16_t type, Bytes l3) {
        if (k.innerVlanTci & flow::kVlanPresent)
            return ethernet(k.ethDst, k.ethSrc, type, l3, {outer, inner});
        if (k.hasVlan()) return ethernet(k.ethDst, k.ethSrc, type, l3, {outer});
        return ethernet(k.ethDst, k.ethSrc, type, l3, none);
    };
    if (k.isArp()) return frame(k.ethType, arp(k.arpOp, k.arpSha, k.arpSip, k.arpTha, k.arpTip));
    if (k.isIpv4()) {
        Ipv4Spec s;
        s.src = k.ipv4Src;
        s.dst = k.ipv4Dst;
        s.protocol = k.ipProto;
        s.tos = k.ipTos;
        s.ttl = k.ipTtl;
        s.moreFragments = k.ipFrag != flow::FragType::None;
        s.fragmentOffset = k.ipFrag == flow::FragType::Later ? 1 : 0;
        Buffer l4;
        if (k.ipFrag == flow::FragType::Later) {
            l4.assign(payload.begin(), payload.end());
        } else if (k.ipProto == flow::kIpProtoTcp) {
            TcpSpec t;
            t.srcPort = k.tpSrc;
            t.dstPort = k.tpDst;
            t.flags = k.tcpFlags;
            l4 = tcp(t, payload, k.ipv4Src, k.ipv4Dst);
        } else if (k.ipProto == flow::kIpProtoUdp) {
            l4 = udp(k.tpSrc, k.tpDst, payload, k.ipv4Src, k.ipv4Dst);
        } else if (k.ipProto == flow::kIpProtoSctp) {
            l4 = sctpHeader(k.tpSrc, k.tpDst, payload);
        } else if (k.ipProto == flow::kIpProtoIcmp) {
            l4 = icmp(k.icmpType, k.icmpCode, uint32_t(k.icmpId) << 16, payload);
        } else {
            l4.assign(payload.begin(), payload.end());
        }
        return frame(k.ethType, ipv4(s, l4));
    }
    if (k.isIpv6()) {
        Ipv6Spec s;
        s.src = k.ipv6Src;
        s.dst = k.ipv6Dst;
        s.nextHeader = k.ipProto;
        s.hopLimit = k.ipTtl;
        s.trafficClass = k.ipTos;
        s.flowLabel = k.ipv6Label;
        Buffer l4;
        if (k.ipFrag == flow::FragType::Later) {
            l4.assign(payload.begin(), payload.end());
        } else if (k.ipProto == flow::kIpProtoTcp) {
            TcpSpec t;
            t.srcPort = k.tpSrc;
            t.dstPort = k.tpDst;
            t.flags = k.tcpFlags;
            l4 = tcp(t, payload, k.ipv6Src, k.ipv6Dst);
        } else if (k.ipProto == flow::kIpProtoUdp) {
            l4 = udp(k.tpSrc, k.tpDst, payload, k.ipv6Src, k.ipv6Dst);
        } else if (k.ipProto == flow::kIpProtoSctp) {
            l4 = sctpHeader(k.tpSrc, k.tpDst, payload);
        } else if (k.ipProto == flow::kIpProtoIcmpv6 && k.icmpType == kIcmpv6NeighborSolicit) {
            l4 = neighborSolicit(k.ndTarget, k.ndSll, k.ipv6Src, k.ipv6Dst);
        } else if (k.ipProto == flow::kIpProtoIcmpv6 && k.icmpType == kIcmpv6NeighborAdvert) {
            l4 = neighborAdvert(k.ndTarget, k.ndTll, k.ipv6Src, k.ipv6Dst);
        } else if (k.ipProto == flow::kIpProtoIcmpv6) {
            Buffer body(4, 0);
            body.insert(body.end(), payload.begin(), payload.end());
            l4 = icmpv6(k.icmpType, k.icmpCode, body, k.ipv6Src, k.ipv6Dst);
        } else {
            l4.assign(payload.begin(), payload.end());
        }
        if (k.ipFrag != flow::FragType::None) {
            // Fragment extension header: offset 1 (8 bytes) for a later fragment, M set for first.
            Buffer frag{k.ipProto, 0, 0, uint8_t(k.ipFrag == flow::FragType::Later ? 0x08 : 0x01),
                        0, 0, 0, 1};
            frag.insert(frag.end(), l4.begin(), l4.end());
            l4.swap(frag);
            s.nextHeader = 44;
        }
        return frame(k.ethType, ipv6(s, l4));
    }
    return frame(k.ethType, payload);
}

} // namespace midonet::packet
