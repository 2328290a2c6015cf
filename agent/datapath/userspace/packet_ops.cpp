#include "agent/datapath/userspace/packet_ops.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cstring>

namespace midonet::dp::userspace {

using namespace midonet::flow;

namespace {

uint16_t rd16(const uint8_t *p) { return uint16_t(p[0] << 8 | p[1]); }
uint32_t rd32(const uint8_t *p) { return uint32_t(p[0]) << 24 | p[1] << 16 | p[2] << 8 | p[3]; }
void wr16(uint8_t *p, uint16_t v)
{
    p[0] = uint8_t(v >> 8);
    p[1] = uint8_t(v);
}
void wr32(uint8_t *p, uint32_t v)
{
    wr16(p, uint16_t(v >> 16));
    wr16(p + 2, uint16_t(v));
}

// One's-complement incremental update (RFC 1624) of a 16-bit field `old` -> `now`.
// For a final checksum (complemented) use update(); for the partial pseudo-header sum that a
// NEEDS_CSUM frame carries (not complemented) use updatePartial().
uint16_t csumAdd(uint32_t sum)
{
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return uint16_t(sum);
}
uint16_t update16(uint16_t check, uint16_t old, uint16_t now)
{
    return uint16_t(~csumAdd(uint32_t(uint16_t(~check)) + uint16_t(~old) + now));
}
uint16_t update32(uint16_t check, uint32_t old, uint32_t now)
{
    check = update16(check, uint16_t(old >> 16), uint16_t(now >> 16));
    return update16(check, uint16_t(old), uint16_t(now));
}
uint16_t partial32(uint16_t sum, uint32_t old, uint32_t now)
{
    uint32_t s = sum;
    s += uint16_t(~(old >> 16)) + uint16_t(~old & 0xffff) + (now >> 16) + (now & 0xffff);
    return csumAdd(s);
}

struct Offsets {
    size_t l3 = 0; // 0 = not IPv4
    size_t l4 = 0;
    uint8_t proto = 0;
    bool laterFrag = false;
};

Offsets ipv4Offsets(const Frame &f)
{
    Offsets o;
    const uint8_t *p = f.data.data();
    size_t len = f.data.size(), off = 12;
    if (len < 14)
        return o;
    uint16_t type = rd16(p + off);
    while ((type == kEthTypeVlan || type == kEthTypeQinQ) && off + 6 <= len) {
        off += 4;
        type = rd16(p + off);
    }
    off += 2;
    if (type != kEthTypeIpv4 || off + 20 > len)
        return o;
    size_t ihl = size_t(p[off] & 0x0f) * 4;
    if (ihl < 20 || off + ihl > len)
        return o;
    o.l3 = off;
    o.proto = p[off + 9];
    o.laterFrag = (rd16(p + off + 6) & 0x1fff) != 0;
    o.l4 = off + ihl;
    return o;
}

// Checksum field offset within the L4 header, 0 if none we maintain.
size_t l4CsumOffset(uint8_t proto)
{
    return proto == kIpProtoTcp ? 16 : proto == kIpProtoUdp ? 6 : 0;
}

void rewriteIpv4Addr(Frame &f, bool src, uint32_t addr)
{
    Offsets o = ipv4Offsets(f);
    if (!o.l3)
        return;
    uint8_t *ip = f.data.data() + o.l3;
    uint8_t *field = ip + (src ? 12 : 16);
    uint32_t old = rd32(field);
    if (old == addr)
        return;
    wr32(field, addr);
    wr16(ip + 10, update32(rd16(ip + 10), old, addr));
    size_t co = l4CsumOffset(o.proto);
    if (!co || o.laterFrag || o.l4 + co + 2 > f.data.size())
        return;
    uint8_t *c = f.data.data() + o.l4 + co;
    uint16_t check = rd16(c);
    if (f.vnet.flags & kVnetNeedsCsum) {
        wr16(c, partial32(check, old, addr));
    } else if (o.proto == kIpProtoUdp && check == 0) {
        // UDP without checksum stays without
    } else {
        check = update32(check, old, addr);
        if (o.proto == kIpProtoUdp && check == 0)
            check = 0xffff;
        wr16(c, check);
    }
}

void rewritePort(Frame &f, bool src, uint16_t port)
{
    Offsets o = ipv4Offsets(f);
    if (!o.l3 || o.laterFrag)
        return;
    if (o.proto != kIpProtoTcp && o.proto != kIpProtoUdp && o.proto != kIpProtoSctp)
        return;
    if (o.l4 + 4 > f.data.size())
        return;
    uint8_t *field = f.data.data() + o.l4 + (src ? 0 : 2);
    uint16_t old = rd16(field);
    wr16(field, port);
    size_t co = l4CsumOffset(o.proto);
    // Ports are not in the pseudo-header: a NEEDS_CSUM frame's partial sum does not change.
    if (!co || (f.vnet.flags & kVnetNeedsCsum) || o.l4 + co + 2 > f.data.size())
        return;
    uint8_t *c = f.data.data() + o.l4 + co;
    uint16_t check = rd16(c);
    if (o.proto == kIpProtoUdp && check == 0)
        return;
    check = update16(check, old, port);
    if (o.proto == kIpProtoUdp && check == 0)
        check = 0xffff;
    wr16(c, check);
}

} // namespace

void extractKey(const uint8_t *p, size_t len, uint32_t inPort, FlowKey &k)
{
    k = FlowKey{};
    k.inPort = inPort;
    if (len < 14)
        return;
    std::memcpy(k.ethDst.bytes.data(), p, 6);
    std::memcpy(k.ethSrc.bytes.data(), p + 6, 6);
    size_t off = 12;
    uint16_t type = rd16(p + off);
    if ((type == kEthTypeVlan || type == kEthTypeQinQ) && off + 6 <= len) {
        k.vlanTci = uint16_t(rd16(p + off + 2) | kVlanPresent);
        off += 4;
        type = rd16(p + off);
        if ((type == kEthTypeVlan) && off + 6 <= len) {
            k.innerVlanTci = uint16_t(rd16(p + off + 2) | kVlanPresent);
            off += 4;
            type = rd16(p + off);
        }
    }
    off += 2;
    if (type < 0x600)
        return; // 802.3 length: no ethertype (the kernel's 802.2 case)
    k.ethType = type;
    const uint8_t *l3 = p + off;
    size_t rem = len - off;
    if (type == kEthTypeIpv4) {
        if (rem < 20)
            return;
        size_t ihl = size_t(l3[0] & 0x0f) * 4;
        if (ihl < 20 || ihl > rem)
            return;
        k.ipTos = l3[1];
        k.ipTtl = l3[8];
        k.ipProto = l3[9];
        k.ipv4Src.value = rd32(l3 + 12);
        k.ipv4Dst.value = rd32(l3 + 16);
        uint16_t fragOff = rd16(l3 + 6);
        if (fragOff & 0x1fff)
            k.ipFrag = FragType::Later;
        else if (fragOff & 0x2000)
            k.ipFrag = FragType::First;
        if (k.ipFrag == FragType::Later)
            return;
        const uint8_t *l4 = l3 + ihl;
        size_t l4len = rem - ihl;
        if ((k.ipProto == kIpProtoTcp || k.ipProto == kIpProtoUdp || k.ipProto == kIpProtoSctp) &&
            l4len >= 4) {
            k.tpSrc = rd16(l4);
            k.tpDst = rd16(l4 + 2);
            if (k.ipProto == kIpProtoTcp && l4len >= 14)
                k.tcpFlags = rd16(l4 + 12) & 0x0fff;
        } else if (k.ipProto == kIpProtoIcmp && l4len >= 2) {
            k.icmpType = l4[0];
            k.icmpCode = l4[1];
            if ((k.icmpType == 0 || k.icmpType == 8) && l4len >= 6)
                k.icmpId = rd16(l4 + 4);
        }
    } else if (type == kEthTypeArp) {
        if (rem < 28 || rd16(l3) != 1 || rd16(l3 + 2) != kEthTypeIpv4 || l3[4] != 6 || l3[5] != 4)
            return;
        k.arpOp = rd16(l3 + 6);
        if (k.arpOp > 0xff) {
            k.arpOp = 0;
            return;
        }
        std::memcpy(k.arpSha.bytes.data(), l3 + 8, 6);
        k.arpSip.value = rd32(l3 + 14);
        std::memcpy(k.arpTha.bytes.data(), l3 + 18, 6);
        k.arpTip.value = rd32(l3 + 24);
    } else if (type == kEthTypeIpv6) {
        if (rem < 40)
            return;
        uint32_t w0 = rd32(l3);
        k.ipTos = uint8_t(w0 >> 20);
        k.ipv6Label = w0 & 0xfffff;
        k.ipProto = l3[6];
        k.ipTtl = l3[7];
        std::memcpy(k.ipv6Src.bytes.data(), l3 + 8, 16);
        std::memcpy(k.ipv6Dst.bytes.data(), l3 + 24, 16);
        const uint8_t *l4 = l3 + 40;
        size_t l4len = rem - 40; // extension headers: not walked (their flows stay at L3)
        if ((k.ipProto == kIpProtoTcp || k.ipProto == kIpProtoUdp || k.ipProto == kIpProtoSctp) &&
            l4len >= 4) {
            k.tpSrc = rd16(l4);
            k.tpDst = rd16(l4 + 2);
            if (k.ipProto == kIpProtoTcp && l4len >= 14)
                k.tcpFlags = rd16(l4 + 12) & 0x0fff;
        } else if (k.ipProto == kIpProtoIcmpv6 && l4len >= 2) {
            k.icmpType = l4[0];
            k.icmpCode = l4[1];
            if ((k.icmpType == 135 || k.icmpType == 136) && l4len >= 24) {
                std::memcpy(k.ndTarget.bytes.data(), l4 + 8, 16);
                for (size_t o = 24; o + 8 <= l4len; o += size_t(l4[o + 1]) * 8) {
                    if (l4[o + 1] == 0)
                        break;
                    if (l4[o] == 1 && k.icmpType == 135)
                        std::memcpy(k.ndSll.bytes.data(), l4 + o + 2, 6);
                    if (l4[o] == 2 && k.icmpType == 136)
                        std::memcpy(k.ndTll.bytes.data(), l4 + o + 2, 6);
                }
            }
        }
    }
}

void finishChecksum(std::vector<uint8_t> &d, const VnetHdr &vnet)
{
    if (!(vnet.flags & kVnetNeedsCsum) || size_t(vnet.csum_start) + vnet.csum_offset + 2 > d.size())
        return;
    // The field holds the pseudo-header sum; summing from csum_start over it completes it.
    uint32_t sum = 0;
    for (size_t i = vnet.csum_start; i < d.size(); i += 2)
        sum += uint32_t(d[i] << 8 | (i + 1 < d.size() ? d[i + 1] : 0));
    uint16_t c = uint16_t(~csumAdd(sum));
    size_t at = size_t(vnet.csum_start) + vnet.csum_offset;
    d[at] = uint8_t(c >> 8);
    d[at + 1] = uint8_t(c);
}

bool segmentTcp(std::span<const uint8_t> frame, const VnetHdr &vnet,
                const std::function<void(std::span<const uint8_t>)> &emit)
{
    const uint8_t *p = frame.data();
    size_t len = frame.size(), l3 = 12;
    if (len < 14 || vnet.gso_size == 0)
        return false;
    uint16_t type = rd16(p + l3);
    while ((type == kEthTypeVlan || type == kEthTypeQinQ) && l3 + 6 <= len) {
        l3 += 4;
        type = rd16(p + l3);
    }
    l3 += 2;
    bool v4 = type == kEthTypeIpv4;
    if (!v4 && type != kEthTypeIpv6)
        return false;
    size_t l4 = v4 ? l3 + size_t(p[l3] & 0x0f) * 4 : l3 + 40;
    if (l4 + 20 > len || p[v4 ? l3 + 9 : l3 + 6] != kIpProtoTcp)
        return false;
    size_t hdr = l4 + size_t(p[l4 + 12] >> 4) * 4;
    if (hdr > len)
        return false;
    const size_t mss = vnet.gso_size;
    const uint32_t seq0 = rd32(p + l4 + 4);
    const uint16_t id0 = v4 ? rd16(p + l3 + 4) : 0;
    const uint8_t flags0 = p[l4 + 13];
    std::vector<uint8_t> seg;
    size_t payload = len - hdr;
    for (size_t off = 0, i = 0; off < payload || (payload == 0 && i == 0); off += mss, ++i) {
        size_t n = std::min(mss, payload - off);
        bool last = off + n >= payload;
        seg.assign(p, p + hdr);
        seg.insert(seg.end(), p + hdr + off, p + hdr + off + n);
        uint8_t *ip = seg.data() + l3, *tcp = seg.data() + l4;
        size_t tcpLen = seg.size() - l4;
        if (v4) {
            wr16(ip + 2, uint16_t(seg.size() - l3));
            wr16(ip + 4, uint16_t(id0 + i));
            wr16(ip + 10, 0);
            uint32_t s = 0;
            for (size_t k = 0; k < l4 - l3; k += 2)
                s += rd16(ip + k);
            wr16(ip + 10, uint16_t(~csumAdd(s)));
        } else {
            wr16(ip + 4, uint16_t(seg.size() - l4));
        }
        wr32(tcp + 4, uint32_t(seq0 + off));
        uint8_t fl = flags0;
        if (!last)
            fl &= uint8_t(~0x09); // FIN and PSH only on the last piece
        if (i > 0)
            fl &= uint8_t(~0x80); // CWR only on the first
        tcp[13] = fl;
        wr16(tcp + 16, 0);
        uint32_t s = kIpProtoTcp + uint32_t(tcpLen);
        if (v4) {
            for (size_t k = 12; k < 20; k += 2)
                s += rd16(ip + k);
        } else {
            for (size_t k = 8; k < 40; k += 2)
                s += rd16(ip + k);
        }
        for (size_t k = 0; k + 1 < tcpLen; k += 2)
            s += rd16(tcp + k);
        if (tcpLen & 1)
            s += uint32_t(tcp[tcpLen - 1]) << 8;
        wr16(tcp + 16, uint16_t(~csumAdd(s)));
        emit(seg);
        if (payload == 0)
            break;
    }
    return true;
}

void setEthSrc(Frame &f, const MacAddress &mac)
{
    if (f.data.size() >= 14)
        std::memcpy(f.data.data() + 6, mac.bytes.data(), 6);
}
void setEthDst(Frame &f, const MacAddress &mac)
{
    if (f.data.size() >= 14)
        std::memcpy(f.data.data(), mac.bytes.data(), 6);
}
void setIpv4Src(Frame &f, uint32_t addr) { rewriteIpv4Addr(f, true, addr); }
void setIpv4Dst(Frame &f, uint32_t addr) { rewriteIpv4Addr(f, false, addr); }

void setIpTos(Frame &f, uint8_t tos)
{
    Offsets o = ipv4Offsets(f);
    if (!o.l3)
        return;
    uint8_t *ip = f.data.data() + o.l3;
    uint16_t old = rd16(ip), now = uint16_t((old & 0xff00) | tos);
    wr16(ip, now);
    wr16(ip + 10, update16(rd16(ip + 10), old, now));
}

void setIpTtl(Frame &f, uint8_t ttl)
{
    Offsets o = ipv4Offsets(f);
    if (!o.l3)
        return;
    uint8_t *ip = f.data.data() + o.l3;
    uint16_t old = rd16(ip + 8), now = uint16_t((old & 0x00ff) | ttl << 8);
    wr16(ip + 8, now);
    wr16(ip + 10, update16(rd16(ip + 10), old, now));
}

void setTpSrc(Frame &f, uint16_t port) { rewritePort(f, true, port); }
void setTpDst(Frame &f, uint16_t port) { rewritePort(f, false, port); }

void pushVlan(Frame &f, uint16_t tpid, uint16_t tci)
{
    if (f.data.size() < 14)
        return;
    uint8_t tag[4];
    wr16(tag, tpid);
    wr16(tag + 2, tci);
    f.data.insert(f.data.begin() + 12, tag, tag + 4);
    if (f.vnet.flags & kVnetNeedsCsum)
        f.vnet.csum_start = uint16_t(f.vnet.csum_start + 4);
    if (f.vnet.hdr_len)
        f.vnet.hdr_len = uint16_t(f.vnet.hdr_len + 4);
}

void popVlan(Frame &f)
{
    if (f.data.size() < 18)
        return;
    uint16_t type = rd16(f.data.data() + 12);
    if (type != kEthTypeVlan && type != kEthTypeQinQ)
        return;
    f.data.erase(f.data.begin() + 12, f.data.begin() + 16);
    if (f.vnet.flags & kVnetNeedsCsum)
        f.vnet.csum_start = uint16_t(f.vnet.csum_start - 4);
    if (f.vnet.hdr_len >= 4)
        f.vnet.hdr_len = uint16_t(f.vnet.hdr_len - 4);
}

} // namespace midonet::dp::userspace
