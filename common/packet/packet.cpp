#include "common/packet/packet.h"

#include <cstdio>
#include <cstring>
#include <optional>

namespace midonet::packet {

const char *toString(ParseError e)
{
    switch (e) {
    case ParseError::Truncated: return "truncated";
    case ParseError::TooManyVlanTags: return "too-many-vlan-tags";
    case ParseError::BadArp: return "bad-arp";
    case ParseError::BadIpVersion: return "bad-ip-version";
    case ParseError::BadIpHeaderLength: return "bad-ip-header-length";
    case ParseError::BadIpTotalLength: return "bad-ip-total-length";
    case ParseError::BadIpv6Extension: return "bad-ipv6-extension";
    case ParseError::BadTcpHeaderLength: return "bad-tcp-header-length";
    case ParseError::BadUdpLength: return "bad-udp-length";
    case ParseError::BadNdOption: return "bad-nd-option";
    }
    return "unknown";
}

std::string Error::toString() const
{
    char buf[160];
    std::snprintf(buf, sizeof buf, "%s at %zu: %s", packet::toString(code), offset, message);
    return buf;
}

namespace {

uint16_t be16(const uint8_t *p) { return uint16_t(p[0] << 8 | p[1]); }
uint32_t be32(const uint8_t *p)
{
    return uint32_t(p[0]) << 24 | uint32_t(p[1]) << 16 | uint32_t(p[2]) << 8 | p[3];
}
MacAddress macAt(const uint8_t *p)
{
    MacAddress m;
    std::memcpy(m.bytes.data(), p, 6);
    return m;
}
IPv6Address ip6At(const uint8_t *p)
{
    IPv6Address a;
    std::memcpy(a.bytes.data(), p, 16);
    return a;
}

Error err(ParseError code, const char *msg, size_t off) { return Error{code, msg, off}; }

// Parses the L4 header at [off, end). Fills p.l4*, or returns an error.
std::optional<Error> parseL4(ParsedPacket &p, uint8_t proto, size_t off, size_t end, bool v6)
{
    const uint8_t *d = p.data.data();
    size_t avail = end - off;
    p.l4Offset = off;
    switch (proto) {
    case flow::kIpProtoTcp: {
        if (avail < kTcpMinHeaderLen)
            return err(ParseError::Truncated, "TCP header needs 20 bytes", off);
        TcpHeader &t = p.tcp;
        t.srcPort = be16(d + off);
        t.dstPort = be16(d + off + 2);
        t.seq = be32(d + off + 4);
        t.ack = be32(d + off + 8);
        t.headerLength = uint8_t((d[off + 12] >> 4) * 4);
        t.flags = be16(d + off + 12) & 0x01ff;
        t.window = be16(d + off + 14);
        t.checksum = be16(d + off + 16);
        t.urgent = be16(d + off + 18);
        if (t.headerLength < kTcpMinHeaderLen)
            return err(ParseError::BadTcpHeaderLength, "TCP data offset below 5", off + 12);
        if (t.headerLength > avail)
            return err(ParseError::Truncated, "TCP options run past the IP payload", off);
        t.options = p.data.subspan(off + kTcpMinHeaderLen, t.headerLength - kTcpMinHeaderLen);
        p.l4 = L4::Tcp;
        p.l4Payload = p.data.subspan(off + t.headerLength, end - off - t.headerLength);
        return std::nullopt;
    }
    case flow::kIpProtoUdp: {
        if (avail < kUdpHeaderLen)
            return err(ParseError::Truncated, "UDP header needs 8 bytes", off);
        UdpHeader &u = p.udp;
        u.srcPort = be16(d + off);
        u.dstPort = be16(d + off + 2);
        u.length = be16(d + off + 4);
        u.checksum = be16(d + off + 6);
        if (u.length < kUdpHeaderLen && !(v6 && u.length == 0)) // 0 = IPv6 jumbogram
            return err(ParseError::BadUdpLength, "UDP length below 8", off + 4);
        p.l4 = L4::Udp;
        p.l4Payload = p.data.subspan(off + kUdpHeaderLen, avail - kUdpHeaderLen);
        return std::nullopt;
    }
    case flow::kIpProtoSctp: {
        if (avail < 12) return err(ParseError::Truncated, "SCTP header needs 12 bytes", off);
        p.udp.srcPort = be16(d + off);
        p.udp.dstPort = be16(d + off + 2);
        p.l4 = L4::Sctp;
        p.l4Payload = p.data.subspan(off + 12, avail - 12);
        return std::nullopt;
    }
    case flow::kIpProtoIcmp: {
        if (v6) break;
        if (avail < kIcmpHeaderLen)
            return err(ParseError::Truncated, "ICMP header needs 8 bytes", off);
        p.icmp.type = d[off];
        p.icmp.code = d[off + 1];
        p.icmp.checksum = be16(d + off + 2);
        p.icmp.rest = be32(d + off + 4);
        p.l4 = L4::Icmp;
        p.l4Payload = p.data.subspan(off + kIcmpHeaderLen, avail - kIcmpHeaderLen);
        return std::nullopt;
    }
    case flow::kIpProtoIcmpv6: {
        if (!v6) break;
        if (avail < 4) return err(ParseError::Truncated, "ICMPv6 header needs 4 bytes", off);
        Icmpv6Header &h = p.icmpv6;
        h.type = d[off];
        h.code = d[off + 1];
        h.checksum = be16(d + off + 2);
        p.l4 = L4::Icmpv6;
        size_t body = off + 4;
        if ((h.type == kIcmpv6NeighborSolicit || h.type == kIcmpv6NeighborAdvert) && h.code == 0) {
            // 4 reserved/flag bytes, then the 16-byte target, then options.
            if (avail < 24)
                return err(ParseError::Truncated, "ND message needs a 16-byte target", off);
            h.ndTarget = ip6At(d + off + 8);
            size_t o = off + 24;
            while (o < end) {
                if (end - o < 2)
                    return err(ParseError::Truncated, "ND option header needs 2 bytes", o);
                uint8_t type = d[o];
                size_t len = size_t(d[o + 1]) * 8;
                if (len == 0) return err(ParseError::BadNdOption, "ND option length 0", o + 1);
                if (len > end - o)
                    return err(ParseError::BadNdOption, "ND option runs past the packet", o);
                if (len >= 8) {
                    if (type == 1 && h.type == kIcmpv6NeighborSolicit) h.ndSll = macAt(d + o + 2);
                    if (type == 2 && h.type == kIcmpv6NeighborAdvert) h.ndTll = macAt(d + o + 2);
                }
                o += len;
            }
        }
        p.l4Payload = p.data.subspan(body, end - body);
        return std::nullopt;
    }
    default: break;
    }
    p.l4 = L4::Other;
    p.l4Payload = p.data.subspan(off, avail);
    return std::nullopt;
}

std::optional<Error> parseIpv4(ParsedPacket &p, size_t off)
{
    const uint8_t *d = p.data.data();
    size_t n = p.data.size();
    if (n - off < kIpv4MinHeaderLen)
        return err(ParseError::Truncated, "IPv4 header needs 20 bytes", off);
    if ((d[off] >> 4) != 4)
        return err(ParseError::BadIpVersion, "ethertype 0x0800 but IP version is not 4", off);
    Ipv4Header &h = p.ipv4;
    h.headerLength = uint8_t((d[off] & 0x0f) * 4);
    if (h.headerLength < kIpv4MinHeaderLen)
        return err(ParseError::BadIpHeaderLength, "IPv4 IHL below 5", off);
    if (h.headerLength > n - off)
        return err(ParseError::Truncated, "IPv4 options run past the frame", off);
    h.tos = d[off + 1];
    h.totalLength = be16(d + off + 2);
    h.id = be16(d + off + 4);
    uint16_t ff = be16(d + off + 6);
    h.dontFragment = ff & 0x4000;
    h.moreFragments = ff & 0x2000;
    h.fragmentOffset = ff & 0x1fff;
    h.ttl = d[off + 8];
    h.protocol = d[off + 9];
    h.checksum = be16(d + off + 10);
    h.src.value = be32(d + off + 12);
    h.dst.value = be32(d + off + 16);
    h.options = p.data.subspan(off + kIpv4MinHeaderLen, h.headerLength - kIpv4MinHeaderLen);
    if (h.totalLength < h.headerLength)
        return err(ParseError::BadIpTotalLength, "IPv4 total length below the header length",
                   off + 2);
    if (h.totalLength > n - off)
        return err(ParseError::Truncated, "IPv4 total length runs past the frame", off + 2);
    p.l3 = L3::Ipv4;
    p.l4End = off + h.totalLength;
    if (h.fragmentOffset != 0) return std::nullopt; // later fragment: no L4 header
    return parseL4(p, h.protocol, off + h.headerLength, p.l4End, false);
}

bool isIpv6Extension(uint8_t nh) { return nh == 0 || nh == 43 || nh == 44 || nh == 60; }

std::optional<Error> parseIpv6(ParsedPacket &p, size_t off)
{
    const uint8_t *d = p.data.data();
    size_t n = p.data.size();
    if (n - off < kIpv6HeaderLen)
        return err(ParseError::Truncated, "IPv6 header needs 40 bytes", off);
    if ((d[off] >> 4) != 6)
        return err(ParseError::BadIpVersion, "ethertype 0x86dd but IP version is not 6", off);
    Ipv6Header &h = p.ipv6;
    uint32_t w = be32(d + off);
    h.trafficClass = uint8_t(w >> 20);
    h.flowLabel = w & 0xfffff;
    h.payloadLength = be16(d + off + 4);
    h.nextHeader = d[off + 6];
    h.hopLimit = d[off + 7];
    h.src = ip6At(d + off + 8);
    h.dst = ip6At(d + off + 24);
    if (h.payloadLength > n - off - kIpv6HeaderLen)
        return err(ParseError::Truncated, "IPv6 payload length runs past the frame", off + 4);
    size_t end = off + kIpv6HeaderLen + h.payloadLength;
    p.l3 = L3::Ipv6;
    p.l4End = end;
    size_t o = off + kIpv6HeaderLen;
    // Bounded walk: a chain longer than this is an attack, not a packet.
    for (int hops = 0; isIpv6Extension(h.nextHeader); ++hops) {
        if (hops == 8)
            return err(ParseError::BadIpv6Extension, "more than 8 IPv6 extension headers", o);
        if (end - o < 8)
            return err(ParseError::Truncated, "IPv6 extension header needs 8 bytes", o);
        uint8_t next = d[o];
        size_t len;
        if (h.nextHeader == 44) {
            uint16_t fo = be16(d + o + 2);
            h.isFragment = true;
            h.fragmentOffset = fo >> 3;
            h.moreFragments = fo & 1;
            len = 8;
        } else {
            len = (size_t(d[o + 1]) + 1) * 8;
        }
        if (len > end - o)
            return err(ParseError::BadIpv6Extension, "IPv6 extension header runs past the payload", o);
        h.nextHeader = next;
        o += len;
        if (h.isFragment && h.fragmentOffset != 0) {
            // Later fragment: the rest is opaque; keep walking no further.
            while (isIpv6Extension(h.nextHeader)) h.nextHeader = 59; // "no next header"
            return std::nullopt;
        }
    }
    return parseL4(p, h.nextHeader, o, end, true);
}

} // namespace

Result<ParsedPacket> parsePacket(Bytes frame)
{
    ParsedPacket p;
    p.data = frame;
    const uint8_t *d = frame.data();
    size_t n = frame.size();
    if (n < kEthHeaderLen) return err(ParseError::Truncated, "Ethernet header needs 14 bytes", 0);
    p.eth.dst = macAt(d);
    p.eth.src = macAt(d + 6);
    size_t off = 12;
    uint16_t type = be16(d + off);
    while (type == flow::kEthTypeVlan || type == flow::kEthTypeQinQ) {
        if (p.eth.vlanCount == 2)
            return err(ParseError::TooManyVlanTags, "more than two VLAN tags", off);
        if (n - off < 2 + kVlanTagLen)
            return err(ParseError::Truncated, "VLAN tag needs 4 bytes and an ethertype", off);
        p.eth.vlans[p.eth.vlanCount++] = VlanTag{type, be16(d + off + 2)};
        off += kVlanTagLen;
        type = be16(d + off);
    }
    p.eth.etherType = type;
    off += 2;
    p.l3Offset = off;
    p.l4End = n;
    if (type == flow::kEthTypeArp) {
        if (n - off < 8) return err(ParseError::Truncated, "ARP header needs 8 bytes", off);
        uint16_t htype = be16(d + off), ptype = be16(d + off + 2);
        if (htype != 1 || ptype != flow::kEthTypeIpv4 || d[off + 4] != 6 || d[off + 5] != 4)
            return err(ParseError::BadArp, "ARP is not Ethernet/IPv4", off);
        if (n - off < kArpLen) return err(ParseError::Truncated, "ARP needs 28 bytes", off);
        p.arp.op = be16(d + off + 6);
        p.arp.sha = macAt(d + off + 8);
        p.arp.spa.value = be32(d + off + 14);
        p.arp.tha = macAt(d + off + 18);
        p.arp.tpa.value = be32(d + off + 24);
        p.l3 = L3::Arp;
        p.l4End = off + kArpLen;
        return p;
    }
    std::optional<Error> e;
    if (type == flow::kEthTypeIpv4) e = parseIpv4(p, off);
    else if (type == flow::kEthTypeIpv6) e = parseIpv6(p, off);
    if (e) return *e;
    return p;
}

flow::FlowKey flowKeyOf(const ParsedPacket &p, uint32_t inPort)
{
    flow::FlowKey k;
    k.inPort = inPort;
    k.ethSrc = p.eth.src;
    k.ethDst = p.eth.dst;
    if (p.eth.vlanCount >= 1) k.vlanTci = p.eth.vlans[0].tci | flow::kVlanPresent;
    if (p.eth.vlanCount >= 2) k.innerVlanTci = p.eth.vlans[1].tci | flow::kVlanPresent;
    k.ethType = p.eth.etherType;
    switch (p.l3) {
    case L3::Arp:
        k.arpOp = p.arp.op;
        k.arpSip = p.arp.spa;
        k.arpTip = p.arp.tpa;
        k.arpSha = p.arp.sha;
        k.arpTha = p.arp.tha;
        return k;
    case L3::Ipv4:
        k.ipv4Src = p.ipv4.src;
        k.ipv4Dst = p.ipv4.dst;
        k.ipProto = p.ipv4.protocol;
        k.ipTos = p.ipv4.tos;
        k.ipTtl = p.ipv4.ttl;
        k.ipFrag = !p.ipv4.isFragment()          ? flow::FragType::None
                   : p.ipv4.fragmentOffset == 0 ? flow::FragType::First
                                                : flow::FragType::Later;
        break;
    case L3::Ipv6:
        k.ipv6Src = p.ipv6.src;
        k.ipv6Dst = p.ipv6.dst;
        k.ipv6Label = p.ipv6.flowLabel;
        k.ipProto = p.ipv6.nextHeader;
        k.ipTos = p.ipv6.trafficClass;
        k.ipTtl = p.ipv6.hopLimit;
        k.ipFrag = !p.ipv6.isFragment          ? flow::FragType::None
                   : p.ipv6.fragmentOffset == 0 ? flow::FragType::First
                                                : flow::FragType::Later;
        break;
    case L3::None: return k;
    }
    switch (p.l4) {
    case L4::Tcp:
        k.tpSrc = p.tcp.srcPort;
        k.tpDst = p.tcp.dstPort;
        k.tcpFlags = p.tcp.flags;
        break;
    case L4::Udp:
    case L4::Sctp:
        k.tpSrc = p.udp.srcPort;
        k.tpDst = p.udp.dstPort;
        break;
    case L4::Icmp:
        k.icmpType = p.icmp.type;
        k.icmpCode = p.icmp.code;
        if (k.icmpType == kIcmpEchoRequest || k.icmpType == kIcmpEchoReply) k.icmpId = p.icmp.id();
        break;
    case L4::Icmpv6:
        k.icmpType = p.icmpv6.type;
        k.icmpCode = p.icmpv6.code;
        k.ndTarget = p.icmpv6.ndTarget;
        k.ndSll = p.icmpv6.ndSll;
        k.ndTll = p.icmpv6.ndTll;
        break;
    case L4::None:
    case L4::Other: break;
    }
    return k;
}

Result<flow::FlowKey> extractFlowKey(Bytes frame, uint32_t inPort)
{
    auto p = parsePacket(frame);
    if (!p) return p.error();
    return flowKeyOf(*p, inPort);
}

} // namespace midonet::packet
