#include "common/flow/flow_key.h"

#include <cstdio>
#include <cstring>

namespace midonet::flow {

namespace {

enum class Kind : uint8_t { Dec, Hex, Hex4, Mac, Ip4, Ip6, Frag };

struct FieldInfo {
    Field field;
    uint16_t offset;
    uint8_t size;
    Kind kind;
    const char *name;      // fieldName()
    const char *shortName; // inside the dpctl group: "src" in "ipv4(src=...)"
};

#define MN_FIELD(F, member, kind, name, shortName)                                                 \
    FieldInfo{Field::F, uint16_t(offsetof(FlowKey, member)),                                       \
              uint8_t(sizeof(FlowKey::member)), Kind::kind, name, shortName}

// Indexed by Field: kFields[size_t(f)].field == f (checked in fieldInfo()).
constexpr FieldInfo kFields[] = {
    MN_FIELD(InPort, inPort, Dec, "in_port", "in_port"),
    MN_FIELD(SkbMark, skbMark, Hex, "skb_mark", "skb_mark"),
    MN_FIELD(TunnelId, tunnelId, Hex, "tun_id", "tun_id"),
    MN_FIELD(TunnelSrc, tunnelSrc, Ip4, "tun_src", "src"),
    MN_FIELD(TunnelDst, tunnelDst, Ip4, "tun_dst", "dst"),
    MN_FIELD(TunnelTos, tunnelTos, Dec, "tun_tos", "tos"),
    MN_FIELD(TunnelTtl, tunnelTtl, Dec, "tun_ttl", "ttl"),
    MN_FIELD(TunnelFlags, tunnelFlags, Hex, "tun_flags", "flags"),
    MN_FIELD(EthSrc, ethSrc, Mac, "eth_src", "src"),
    MN_FIELD(EthDst, ethDst, Mac, "eth_dst", "dst"),
    MN_FIELD(VlanTci, vlanTci, Hex, "vlan_tci", "tci"),
    MN_FIELD(InnerVlanTci, innerVlanTci, Hex, "inner_vlan_tci", "tci"),
    MN_FIELD(EthType, ethType, Hex4, "eth_type", "eth_type"),
    MN_FIELD(Ipv4Src, ipv4Src, Ip4, "ipv4_src", "src"),
    MN_FIELD(Ipv4Dst, ipv4Dst, Ip4, "ipv4_dst", "dst"),
    MN_FIELD(Ipv6Src, ipv6Src, Ip6, "ipv6_src", "src"),
    MN_FIELD(Ipv6Dst, ipv6Dst, Ip6, "ipv6_dst", "dst"),
    MN_FIELD(Ipv6Label, ipv6Label, Hex, "ipv6_label", "label"),
    MN_FIELD(IpProto, ipProto, Dec, "ip_proto", "proto"),
    MN_FIELD(IpTos, ipTos, Dec, "ip_tos", "tos"),
    MN_FIELD(IpTtl, ipTtl, Dec, "ip_ttl", "ttl"),
    MN_FIELD(IpFrag, ipFrag, Frag, "ip_frag", "frag"),
    MN_FIELD(TpSrc, tpSrc, Dec, "tp_src", "src"),
    MN_FIELD(TpDst, tpDst, Dec, "tp_dst", "dst"),
    MN_FIELD(TcpFlags, tcpFlags, Hex, "tcp_flags", "tcp_flags"),
    MN_FIELD(IcmpType, icmpType, Dec, "icmp_type", "type"),
    MN_FIELD(IcmpCode, icmpCode, Dec, "icmp_code", "code"),
    MN_FIELD(IcmpId, icmpId, Dec, "icmp_id", "icmp_id"),
    MN_FIELD(ArpSip, arpSip, Ip4, "arp_sip", "sip"),
    MN_FIELD(ArpTip, arpTip, Ip4, "arp_tip", "tip"),
    MN_FIELD(ArpOp, arpOp, Dec, "arp_op", "op"),
    MN_FIELD(ArpSha, arpSha, Mac, "arp_sha", "sha"),
    MN_FIELD(ArpTha, arpTha, Mac, "arp_tha", "tha"),
    MN_FIELD(NdTarget, ndTarget, Ip6, "nd_target", "target"),
    MN_FIELD(NdSll, ndSll, Mac, "nd_sll", "sll"),
    MN_FIELD(NdTll, ndTll, Mac, "nd_tll", "tll"),
};
#undef MN_FIELD
static_assert(sizeof(kFields) / sizeof(kFields[0]) == size_t(Field::Count));

constexpr bool fieldsInOrder()
{
    for (size_t i = 0; i < size_t(Field::Count); ++i)
        if (size_t(kFields[i].field) != i) return false;
    return true;
}
static_assert(fieldsInOrder(), "kFields must be indexed by Field");

constexpr bool spansAgree()
{
    for (size_t i = 0; i < size_t(Field::Count); ++i)
        if (kFields[i].offset != detail::kFieldSpans[i].offset ||
            kFields[i].size != detail::kFieldSpans[i].size)
            return false;
    return true;
}
static_assert(spansAgree(), "detail::kFieldSpans must agree with kFields");

const FieldInfo &info(Field f) { return kFields[size_t(f)]; }

const uint8_t *bytesOf(const FlowKey &k) { return reinterpret_cast<const uint8_t *>(&k); }
uint8_t *bytesOf(FlowKey &k) { return reinterpret_cast<uint8_t *>(&k); }

constexpr size_t kWords = sizeof(FlowKey) / 8;

uint64_t word(const FlowKey &k, size_t i)
{
    uint64_t w;
    std::memcpy(&w, bytesOf(k) + i * 8, 8);
    return w;
}

uint64_t mix(uint64_t h, uint64_t w)
{
    h ^= w + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
    h *= 0xff51afd7ed558ccdULL;
    return h ^ (h >> 29);
}

bool anyBit(const FlowKey &mask, Field f)
{
    const FieldInfo &fi = info(f);
    const uint8_t *p = bytesOf(mask) + fi.offset;
    for (size_t i = 0; i < fi.size; ++i)
        if (p[i]) return true;
    return false;
}

bool allBits(const FlowKey &mask, Field f)
{
    const FieldInfo &fi = info(f);
    const uint8_t *p = bytesOf(mask) + fi.offset;
    for (size_t i = 0; i < fi.size; ++i)
        if (p[i] != 0xff) return false;
    return true;
}

uint64_t readUnsigned(const FlowKey &k, const FieldInfo &fi)
{
    const uint8_t *p = bytesOf(k) + fi.offset;
    switch (fi.size) {
    case 1: return *p;
    case 2: { uint16_t v; std::memcpy(&v, p, 2); return v; }
    case 4: { uint32_t v; std::memcpy(&v, p, 4); return v; }
    default: { uint64_t v; std::memcpy(&v, p, 8); return v; }
    }
}

std::string formatValue(const FlowKey &k, const FieldInfo &fi)
{
    const uint8_t *p = bytesOf(k) + fi.offset;
    char buf[64];
    switch (fi.kind) {
    case Kind::Dec:
        std::snprintf(buf, sizeof buf, "%llu", (unsigned long long)readUnsigned(k, fi));
        return buf;
    case Kind::Hex:
        std::snprintf(buf, sizeof buf, "0x%llx", (unsigned long long)readUnsigned(k, fi));
        return buf;
    case Kind::Hex4:
        std::snprintf(buf, sizeof buf, "0x%04llx", (unsigned long long)readUnsigned(k, fi));
        return buf;
    case Kind::Mac: {
        MacAddress m;
        std::memcpy(m.bytes.data(), p, 6);
        return m.toString();
    }
    case Kind::Ip4: {
        IPv4Address a;
        std::memcpy(&a.value, p, 4);
        return a.toString();
    }
    case Kind::Ip6: {
        IPv6Address a;
        std::memcpy(a.bytes.data(), p, 16);
        return a.toString();
    }
    case Kind::Frag: {
        auto f = FragType(*p);
        return f == FragType::None ? "no" : f == FragType::First ? "first" : "later";
    }
    }
    return {};
}

// One dpctl group: "name(a=1,b=2)". With a mask, only consulted fields print, partial ones as
// value/mask; the group is left out when none of its fields was consulted.
void printGroup(std::string &out, const char *group, std::initializer_list<Field> fields,
                const FlowKey &key, const FlowKey *mask)
{
    std::string body;
    for (Field f : fields) {
        const FieldInfo &fi = info(f);
        if (mask && !anyBit(*mask, f)) continue;
        if (!body.empty()) body += ',';
        bool single = fields.size() == 1;
        if (!single) {
            body += fi.shortName;
            body += '=';
        }
        body += formatValue(key, fi);
        if (mask && !allBits(*mask, f) && fi.kind != Kind::Frag) {
            body += '/';
            body += formatValue(*mask, fi);
        }
    }
    if (body.empty()) return;
    if (!out.empty()) out += ',';
    out += group;
    out += '(';
    out += body;
    out += ')';
}

void printVlan(std::string &out, uint16_t tci, uint16_t maskTci, bool masked)
{
    char buf[64];
    if (masked && maskTci != 0xffff)
        std::snprintf(buf, sizeof buf, "vlan(vid=%u,pcp=%u/0x%x)", tci & kVlanVidMask, tci >> 13,
                      maskTci);
    else
        std::snprintf(buf, sizeof buf, "vlan(vid=%u,pcp=%u)", tci & kVlanVidMask, tci >> 13);
    if (!out.empty()) out += ',';
    out += buf;
}

std::string printKey(const FlowKey &k, const FlowKey *mask)
{
    std::string out;
    auto consulted = [&](Field f) { return !mask || anyBit(*mask, f); };
    printGroup(out, "in_port", {Field::InPort}, k, mask);
    if (!mask ? k.skbMark != 0 : true) printGroup(out, "skb_mark", {Field::SkbMark}, k, mask);
    if (!mask ? (k.tunnelId || k.tunnelDst.value) : true)
        printGroup(out, "tunnel",
                   {Field::TunnelId, Field::TunnelSrc, Field::TunnelDst, Field::TunnelTos,
                    Field::TunnelTtl, Field::TunnelFlags},
                   k, mask);
    printGroup(out, "eth", {Field::EthSrc, Field::EthDst}, k, mask);
    if ((!mask && k.hasVlan()) || (mask && consulted(Field::VlanTci)))
        printVlan(out, k.vlanTci, mask ? mask->vlanTci : 0xffff, mask != nullptr);
    if ((!mask && (k.innerVlanTci & kVlanPresent)) || (mask && consulted(Field::InnerVlanTci)))
        printVlan(out, k.innerVlanTci, mask ? mask->innerVlanTci : 0xffff, mask != nullptr);
    printGroup(out, "eth_type", {Field::EthType}, k, mask);
    if (k.isIpv4() || (mask && !k.isIpv6() && !k.isArp()))
        printGroup(out, "ipv4",
                   {Field::Ipv4Src, Field::Ipv4Dst, Field::IpProto, Field::IpTos, Field::IpTtl,
                    Field::IpFrag},
                   k, mask);
    if (k.isIpv6())
        printGroup(out, "ipv6",
                   {Field::Ipv6Src, Field::Ipv6Dst, Field::Ipv6Label, Field::IpProto, Field::IpTos,
                    Field::IpTtl, Field::IpFrag},
                   k, mask);
    if (k.isIpv4() || k.isIpv6() || mask) {
        const char *l4 = k.ipProto == kIpProtoTcp    ? "tcp"
                         : k.ipProto == kIpProtoUdp  ? "udp"
                         : k.ipProto == kIpProtoSctp ? "sctp"
                                                     : nullptr;
        if (l4) printGroup(out, l4, {Field::TpSrc, Field::TpDst}, k, mask);
        else if (mask) printGroup(out, "tp", {Field::TpSrc, Field::TpDst}, k, mask);
        if (k.ipProto == kIpProtoTcp || mask)
            printGroup(out, "tcp_flags", {Field::TcpFlags}, k, mask);
        if (k.isIcmp() || mask)
            printGroup(out, k.isIpv6() ? "icmpv6" : "icmp", {Field::IcmpType, Field::IcmpCode}, k,
                       mask);
        if ((!mask && k.isIcmp() && k.icmpId) || mask)
            printGroup(out, "icmp_id", {Field::IcmpId}, k, mask);
        if (k.isIpv6() && k.ipProto == kIpProtoIcmpv6 &&
            (k.icmpType == 135 || k.icmpType == 136 || mask))
            printGroup(out, "nd", {Field::NdTarget, Field::NdSll, Field::NdTll}, k, mask);
    }
    if (k.isArp())
        printGroup(out, "arp",
                   {Field::ArpSip, Field::ArpTip, Field::ArpOp, Field::ArpSha, Field::ArpTha}, k,
                   mask);
    return out;
}

void setBits(FlowKey &k, Field f, uint8_t value)
{
    const FieldInfo &fi = info(f);
    std::memset(bytesOf(k) + fi.offset, value, fi.size);
}

} // namespace

const char *fieldName(Field f) { return f < Field::Count ? info(f).name : "?"; }

bool FlowKey::operator==(const FlowKey &o) const
{
    return std::memcmp(this, &o, sizeof(FlowKey)) == 0;
}

size_t FlowKey::hash() const
{
    uint64_t h = 0x2545f4914f6cdd1dULL;
    for (size_t i = 0; i < kWords; ++i) h = mix(h, word(*this, i));
    return size_t(h);
}

std::string FlowKey::toString() const { return printKey(*this, nullptr); }

FlowMask FlowMask::exact()
{
    FlowMask m;
    for (size_t i = 0; i < size_t(Field::Count); ++i) setBits(m.bits, Field(i), 0xff);
    return m;
}

bool FlowMask::consulted(Field f) const { return f < Field::Count && anyBit(bits, f); }
bool FlowMask::fullyConsulted(Field f) const { return f < Field::Count && allBits(bits, f); }

FlowMask &FlowMask::operator|=(const FlowMask &o)
{
    uint8_t *d = bytesOf(bits);
    const uint8_t *s = bytesOf(o.bits);
    for (size_t i = 0; i < sizeof(FlowKey); ++i) d[i] |= s[i];
    return *this;
}

std::string FlowMask::toString() const
{
    std::string out;
    for (size_t i = 0; i < size_t(Field::Count); ++i) {
        if (!anyBit(bits, Field(i))) continue;
        if (!out.empty()) out += ',';
        out += kFields[i].name;
        if (!allBits(bits, Field(i))) out += "(partial)";
    }
    return out;
}

FlowKey applyMask(const FlowKey &key, const FlowMask &mask)
{
    FlowKey out;
    for (size_t i = 0; i < kWords; ++i) {
        uint64_t w = word(key, i) & word(mask.bits, i);
        std::memcpy(bytesOf(out) + i * 8, &w, 8);
    }
    return out;
}

bool FlowMatch::matches(const FlowKey &k) const
{
    for (size_t i = 0; i < kWords; ++i)
        if ((word(k, i) & word(mask.bits, i)) != word(key, i)) return false;
    return true;
}

size_t FlowMatch::hash() const { return size_t(mix(key.hash(), mask.hash())); }

std::string FlowMatch::toString() const { return printKey(key, &mask.bits); }

} // namespace midonet::flow
