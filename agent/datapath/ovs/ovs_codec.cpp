#include "agent/datapath/ovs/ovs_codec.h"

#include "agent/datapath/datapath.h"

#include <arpa/inet.h>
#include <endian.h>
#include <linux/openvswitch.h>

#include <cstring>
#include <type_traits>

namespace midonet::dp::ovs {

using namespace midonet::flow;

// ---- AttrWriter / Attr ----

void AttrWriter::put(uint16_t type, const void *data, size_t len)
{
    nlattr hdr{uint16_t(NLA_HDRLEN + len), type};
    size_t off = out_.size();
    out_.resize(off + NLA_ALIGN(NLA_HDRLEN + len), 0);
    std::memcpy(out_.data() + off, &hdr, sizeof hdr);
    if (len)
        std::memcpy(out_.data() + off + NLA_HDRLEN, data, len);
}
void AttrWriter::putBe16(uint16_t type, uint16_t v) { putU16(type, htons(v)); }
void AttrWriter::putBe32(uint16_t type, uint32_t v) { putU32(type, htonl(v)); }
void AttrWriter::putBe64(uint16_t type, uint64_t v) { putU64(type, htobe64(v)); }

size_t AttrWriter::beginNest(uint16_t type)
{
    size_t start = out_.size();
    put(uint16_t(type | NLA_F_NESTED), nullptr, 0);
    return start;
}

void AttrWriter::endNest(size_t start)
{
    nlattr hdr;
    std::memcpy(&hdr, out_.data() + start, sizeof hdr);
    hdr.nla_len = uint16_t(out_.size() - start);
    std::memcpy(out_.data() + start, &hdr, sizeof hdr);
}

namespace {
template <typename T> T rd(std::span<const uint8_t> d)
{
    T v{};
    std::memcpy(&v, d.data(), std::min(sizeof v, d.size()));
    return v;
}
} // namespace

uint16_t Attr::be16() const { return ntohs(rd<uint16_t>(data)); }
uint32_t Attr::u32() const { return rd<uint32_t>(data); }
uint32_t Attr::be32() const { return ntohl(rd<uint32_t>(data)); }
uint64_t Attr::u64() const { return rd<uint64_t>(data); }
uint64_t Attr::be64() const { return be64toh(rd<uint64_t>(data)); }

// ---- keys ----

namespace {

bool consultsTunnel(const FlowKey &m)
{
    return m.tunnelId || m.tunnelSrc.value || m.tunnelDst.value || m.tunnelTos || m.tunnelTtl ||
           m.tunnelFlags;
}

void putTunnel(AttrWriter &w, uint16_t type, const FlowKey &v, bool isMask, const FlowKey &m);
void putTunnel(AttrWriter &w, uint16_t type, const FlowKey &v, bool isMask)
{
    putTunnel(w, type, v, isMask, v);
}

// `m` decides which attributes appear (the mask for flows, the value itself for actions).
void putTunnel(AttrWriter &w, uint16_t type, const FlowKey &v, bool isMask, const FlowKey &m)
{
    size_t nest = w.beginNest(type);
    if ((m.tunnelFlags & kTunnelFlagKey) || m.tunnelId || (v.tunnelFlags & kTunnelFlagKey))
        w.putBe64(OVS_TUNNEL_KEY_ATTR_ID, v.tunnelId);
    if (v.tunnelSrc.value)
        w.putBe32(OVS_TUNNEL_KEY_ATTR_IPV4_SRC, v.tunnelSrc.value);
    // The kernel refuses a tunnel key without destination even where the mask ignores it; a
    // placeholder under a zero mask is masked away (and we send the same one on get/delete).
    uint32_t dst = v.tunnelDst.value;
    if (!isMask && !dst && !m.tunnelDst.value)
        dst = 0xffffffff;
    w.putBe32(OVS_TUNNEL_KEY_ATTR_IPV4_DST, dst);
    w.putU8(OVS_TUNNEL_KEY_ATTR_TOS, v.tunnelTos);
    w.putU8(OVS_TUNNEL_KEY_ATTR_TTL, v.tunnelTtl);
    if (v.tunnelFlags & kTunnelFlagDontFragment)
        w.putFlag(OVS_TUNNEL_KEY_ATTR_DONT_FRAGMENT);
    if (v.tunnelFlags & kTunnelFlagCsum)
        w.putFlag(OVS_TUNNEL_KEY_ATTR_CSUM);
    w.endNest(nest);
}

void putIpv4(AttrWriter &w, const FlowKey &v)
{
    ovs_key_ipv4 k{};
    k.ipv4_src = htonl(v.ipv4Src.value);
    k.ipv4_dst = htonl(v.ipv4Dst.value);
    k.ipv4_proto = v.ipProto;
    k.ipv4_tos = v.ipTos;
    k.ipv4_ttl = v.ipTtl;
    k.ipv4_frag = uint8_t(v.ipFrag);
    w.put(OVS_KEY_ATTR_IPV4, &k, sizeof k);
}

void putIpv6(AttrWriter &w, const FlowKey &v)
{
    ovs_key_ipv6 k{};
    std::memcpy(k.ipv6_src, v.ipv6Src.bytes.data(), 16);
    std::memcpy(k.ipv6_dst, v.ipv6Dst.bytes.data(), 16);
    k.ipv6_label = htonl(v.ipv6Label);
    k.ipv6_proto = v.ipProto;
    k.ipv6_tclass = v.ipTos;
    k.ipv6_hlimit = v.ipTtl;
    k.ipv6_frag = uint8_t(v.ipFrag);
    w.put(OVS_KEY_ATTR_IPV6, &k, sizeof k);
}

void putArp(AttrWriter &w, const FlowKey &v)
{
    ovs_key_arp k{};
    k.arp_sip = htonl(v.arpSip.value);
    k.arp_tip = htonl(v.arpTip.value);
    k.arp_op = htons(v.arpOp);
    std::memcpy(k.arp_sha, v.arpSha.bytes.data(), 6);
    std::memcpy(k.arp_tha, v.arpTha.bytes.data(), 6);
    w.put(OVS_KEY_ATTR_ARP, &k, sizeof k);
}

void putPorts(AttrWriter &w, uint16_t type, const FlowKey &v)
{
    ovs_key_tcp k{htons(v.tpSrc), htons(v.tpDst)}; // tcp, udp and sctp share the layout
    w.put(type, &k, sizeof k);
}

void putIcmp(AttrWriter &w, uint16_t type, const FlowKey &v)
{
    ovs_key_icmp k{v.icmpType, v.icmpCode};
    w.put(type, &k, sizeof k);
}

void putNd(AttrWriter &w, const FlowKey &v)
{
    ovs_key_nd k{};
    std::memcpy(k.nd_target, v.ndTarget.bytes.data(), 16);
    std::memcpy(k.nd_sll, v.ndSll.bytes.data(), 6);
    std::memcpy(k.nd_tll, v.ndTll.bytes.data(), 6);
    w.put(OVS_KEY_ATTR_ND, &k, sizeof k);
}

// Writes the attributes after ETHERNET (ethertype, L3, L4) of `v` (the key or the mask), the
// choice of attributes always made from the key `k` and mask `m` so key and mask carry the
// same set.
void putL2Payload(AttrWriter &w, const FlowKey &k, const FlowKey &m, const FlowKey &v, bool isMask)
{
    if (!m.ethType)
        return;
    w.putBe16(OVS_KEY_ATTR_ETHERTYPE, isMask ? 0xffff : k.ethType);
    bool l4 = m.ipProto == 0xff && k.ipFrag != FragType::Later;
    if (k.ethType == kEthTypeIpv4) {
        putIpv4(w, v);
        if (l4 && k.ipProto == kIpProtoTcp) {
            putPorts(w, OVS_KEY_ATTR_TCP, v);
            w.putBe16(OVS_KEY_ATTR_TCP_FLAGS, v.tcpFlags);
        } else if (l4 && k.ipProto == kIpProtoUdp) {
            putPorts(w, OVS_KEY_ATTR_UDP, v);
        } else if (l4 && k.ipProto == kIpProtoSctp) {
            putPorts(w, OVS_KEY_ATTR_SCTP, v);
        } else if (l4 && k.ipProto == kIpProtoIcmp) {
            putIcmp(w, OVS_KEY_ATTR_ICMP, v);
        }
    } else if (k.ethType == kEthTypeIpv6) {
        putIpv6(w, v);
        if (l4 && k.ipProto == kIpProtoTcp) {
            putPorts(w, OVS_KEY_ATTR_TCP, v);
            w.putBe16(OVS_KEY_ATTR_TCP_FLAGS, v.tcpFlags);
        } else if (l4 && k.ipProto == kIpProtoUdp) {
            putPorts(w, OVS_KEY_ATTR_UDP, v);
        } else if (l4 && k.ipProto == kIpProtoSctp) {
            putPorts(w, OVS_KEY_ATTR_SCTP, v);
        } else if (l4 && k.ipProto == kIpProtoIcmpv6) {
            putIcmp(w, OVS_KEY_ATTR_ICMPV6, v);
            if (m.icmpType == 0xff && (k.icmpType == 135 || k.icmpType == 136))
                putNd(w, v);
        }
    } else if (k.ethType == kEthTypeArp) {
        putArp(w, v);
    }
}

void putKeyOrMask(AttrWriter &w, const FlowKey &k, const FlowKey &m, bool isMask)
{
    const FlowKey &v = isMask ? m : k;
    if (m.innerVlanTci)
        throw DatapathError(EINVAL, "ovs: matching on the inner tag of a QinQ frame is not "
                                    "supported");
    w.putU32(OVS_KEY_ATTR_IN_PORT, v.inPort);
    if (m.skbMark)
        w.putU32(OVS_KEY_ATTR_SKB_MARK, v.skbMark);
    if (consultsTunnel(m))
        putTunnel(w, OVS_KEY_ATTR_TUNNEL, v, isMask, m);
    ovs_key_ethernet eth{};
    std::memcpy(eth.eth_src, v.ethSrc.bytes.data(), 6);
    std::memcpy(eth.eth_dst, v.ethDst.bytes.data(), 6);
    w.put(OVS_KEY_ATTR_ETHERNET, &eth, sizeof eth);
    if (k.vlanTci & kVlanPresent) {
        // A tagged flow: outer ethertype 802.1Q, the TCI, then the payload inside ENCAP. The
        // kernel wants the CFI bit exact in the mask.
        w.putBe16(OVS_KEY_ATTR_ETHERTYPE, isMask ? 0xffff : kEthTypeVlan);
        w.putBe16(OVS_KEY_ATTR_VLAN, isMask ? uint16_t(m.vlanTci | kVlanPresent) : k.vlanTci);
        size_t nest = w.beginNest(OVS_KEY_ATTR_ENCAP);
        putL2Payload(w, k, m, v, isMask);
        w.endNest(nest);
    } else {
        putL2Payload(w, k, m, v, isMask);
    }
}

void decodeTunnel(std::span<const uint8_t> attrs, FlowKey &k, bool isMask = false)
{
    forEachAttr(attrs, [&](const Attr &a) {
        switch (a.type) {
        case OVS_TUNNEL_KEY_ATTR_ID:
            k.tunnelId = a.be64();
            if (!isMask) // in a mask, the attribute's presence is not a consulted flag bit
                k.tunnelFlags |= kTunnelFlagKey;
            break;
        case OVS_TUNNEL_KEY_ATTR_IPV4_SRC: k.tunnelSrc.value = a.be32(); break;
        case OVS_TUNNEL_KEY_ATTR_IPV4_DST: k.tunnelDst.value = a.be32(); break;
        case OVS_TUNNEL_KEY_ATTR_TOS: k.tunnelTos = a.u8(); break;
        case OVS_TUNNEL_KEY_ATTR_TTL: k.tunnelTtl = a.u8(); break;
        case OVS_TUNNEL_KEY_ATTR_DONT_FRAGMENT: k.tunnelFlags |= kTunnelFlagDontFragment; break;
        case OVS_TUNNEL_KEY_ATTR_CSUM: k.tunnelFlags |= kTunnelFlagCsum; break;
        default: break; // TP_SRC/TP_DST/OAM...: not part of our key
        }
    });
}

void decodeInto(std::span<const uint8_t> attrs, FlowKey &k, bool isMask, bool &sawEthType)
{
    forEachAttr(attrs, [&](const Attr &a) {
        switch (a.type) {
        case OVS_KEY_ATTR_IN_PORT: k.inPort = a.u32(); break;
        case OVS_KEY_ATTR_SKB_MARK: k.skbMark = a.u32(); break;
        case OVS_KEY_ATTR_TUNNEL: decodeTunnel(a.data, k, isMask); break;
        case OVS_KEY_ATTR_ETHERNET: {
            auto e = rd<ovs_key_ethernet>(a.data);
            std::memcpy(k.ethSrc.bytes.data(), e.eth_src, 6);
            std::memcpy(k.ethDst.bytes.data(), e.eth_dst, 6);
            break;
        }
        case OVS_KEY_ATTR_VLAN: k.vlanTci = a.be16(); break;
        case OVS_KEY_ATTR_ETHERTYPE:
            // The outer 802.1Q type is implied by vlanTci; the inner one (in ENCAP) wins.
            if (isMask || a.be16() != kEthTypeVlan || !sawEthType)
                k.ethType = a.be16();
            sawEthType = true;
            break;
        case OVS_KEY_ATTR_ENCAP: decodeInto(a.data, k, isMask, sawEthType); break;
        case OVS_KEY_ATTR_IPV4: {
            auto v = rd<ovs_key_ipv4>(a.data);
            k.ipv4Src.value = ntohl(v.ipv4_src);
            k.ipv4Dst.value = ntohl(v.ipv4_dst);
            k.ipProto = v.ipv4_proto;
            k.ipTos = v.ipv4_tos;
            k.ipTtl = v.ipv4_ttl;
            k.ipFrag = FragType(v.ipv4_frag);
            break;
        }
        case OVS_KEY_ATTR_IPV6: {
            auto v = rd<ovs_key_ipv6>(a.data);
            std::memcpy(k.ipv6Src.bytes.data(), v.ipv6_src, 16);
            std::memcpy(k.ipv6Dst.bytes.data(), v.ipv6_dst, 16);
            k.ipv6Label = ntohl(v.ipv6_label);
            k.ipProto = v.ipv6_proto;
            k.ipTos = v.ipv6_tclass;
            k.ipTtl = v.ipv6_hlimit;
            k.ipFrag = FragType(v.ipv6_frag);
            break;
        }
        case OVS_KEY_ATTR_TCP:
        case OVS_KEY_ATTR_UDP:
        case OVS_KEY_ATTR_SCTP: {
            auto v = rd<ovs_key_tcp>(a.data);
            k.tpSrc = ntohs(v.tcp_src);
            k.tpDst = ntohs(v.tcp_dst);
            break;
        }
        case OVS_KEY_ATTR_TCP_FLAGS: k.tcpFlags = a.be16(); break;
        case OVS_KEY_ATTR_ICMP:
        case OVS_KEY_ATTR_ICMPV6: {
            auto v = rd<ovs_key_icmp>(a.data);
            k.icmpType = v.icmp_type;
            k.icmpCode = v.icmp_code;
            break;
        }
        case OVS_KEY_ATTR_ARP: {
            auto v = rd<ovs_key_arp>(a.data);
            k.arpSip.value = ntohl(v.arp_sip);
            k.arpTip.value = ntohl(v.arp_tip);
            k.arpOp = ntohs(v.arp_op);
            std::memcpy(k.arpSha.bytes.data(), v.arp_sha, 6);
            std::memcpy(k.arpTha.bytes.data(), v.arp_tha, 6);
            break;
        }
        case OVS_KEY_ATTR_ND: {
            auto v = rd<ovs_key_nd>(a.data);
            std::memcpy(k.ndTarget.bytes.data(), v.nd_target, 16);
            std::memcpy(k.ndSll.bytes.data(), v.nd_sll, 6);
            std::memcpy(k.ndTll.bytes.data(), v.nd_tll, 6);
            break;
        }
        default: break; // PRIORITY, RECIRC_ID, DP_HASH, CT_*...: outside our key
        }
    });
}

} // namespace

void encodeMatch(const FlowMatch &match, Bytes &keyAttrs, Bytes &maskAttrs)
{
    if (match.mask.hasUserspaceOnlyFields())
        throw DatapathError(EINVAL, "ovs: the mask consults icmpId, which the kernel cannot "
                                    "match; handle such packets in userspace");
    AttrWriter kw(keyAttrs), mw(maskAttrs);
    putKeyOrMask(kw, match.key, match.mask.bits, false);
    putKeyOrMask(mw, match.key, match.mask.bits, true);
}

void encodeExecuteKey(const FlowKey &key, Bytes &keyAttrs)
{
    AttrWriter w(keyAttrs);
    w.putU32(OVS_KEY_ATTR_IN_PORT, key.inPort);
    if (key.skbMark)
        w.putU32(OVS_KEY_ATTR_SKB_MARK, key.skbMark);
    if (key.tunnelDst.value)
        putTunnel(w, OVS_KEY_ATTR_TUNNEL, key, false);
    // The kernel parses the packet itself; the L2 attributes only tell it this is Ethernet.
    ovs_key_ethernet eth{};
    std::memcpy(eth.eth_src, key.ethSrc.bytes.data(), 6);
    std::memcpy(eth.eth_dst, key.ethDst.bytes.data(), 6);
    w.put(OVS_KEY_ATTR_ETHERNET, &eth, sizeof eth);
}

FlowKey decodeKey(std::span<const uint8_t> attrs, bool isMask)
{
    FlowKey k;
    bool sawEthType = false;
    decodeInto(attrs, k, isMask, sawEthType);
    return k;
}

// ---- actions ----

namespace {

template <typename T> void putMasked(AttrWriter &w, uint16_t keyType, const T &value, const T &mask)
{
    size_t nest = w.beginNest(OVS_ACTION_ATTR_SET_MASKED);
    uint8_t buf[2 * sizeof(T)];
    std::memcpy(buf, &value, sizeof(T));
    std::memcpy(buf + sizeof(T), &mask, sizeof(T));
    w.put(keyType, buf, sizeof buf);
    w.endNest(nest);
}

uint16_t l4Attr(const FlowMatch &m, const char *what)
{
    bool l3 = m.mask.bits.ethType && (m.key.isIpv4() || m.key.isIpv6());
    if (l3 && m.mask.bits.ipProto == 0xff) {
        switch (m.key.ipProto) {
        case kIpProtoTcp: return OVS_KEY_ATTR_TCP;
        case kIpProtoUdp: return OVS_KEY_ATTR_UDP;
        case kIpProtoSctp: return OVS_KEY_ATTR_SCTP;
        default: break;
        }
    }
    throw DatapathError(EINVAL, std::string("ovs: ") + what +
                                    " needs a flow that matches ip_proto TCP, UDP or SCTP");
}

void requireIpv4(const FlowMatch &m, const char *what)
{
    if (!m.mask.bits.ethType || !m.key.isIpv4())
        throw DatapathError(EINVAL, std::string("ovs: ") + what +
                                        " needs a flow that matches eth_type IPv4");
}

} // namespace

void encodeActions(const FlowActions &actions, const FlowMatch &match, Bytes &out)
{
    AttrWriter w(out);
    for (const FlowAction &action : actions) {
        std::visit(
            [&](const auto &a) {
                using T = std::decay_t<decltype(a)>;
                if constexpr (std::is_same_v<T, OutputAction>) {
                    w.putU32(OVS_ACTION_ATTR_OUTPUT, a.port);
                } else if constexpr (std::is_same_v<T, UserspaceAction>) {
                    size_t nest = w.beginNest(OVS_ACTION_ATTR_USERSPACE);
                    w.putU32(OVS_USERSPACE_ATTR_PID, a.pid);
                    w.putU64(OVS_USERSPACE_ATTR_USERDATA, a.cookie);
                    w.endNest(nest);
                } else if constexpr (std::is_same_v<T, SetTunnelAction>) {
                    FlowKey t;
                    t.tunnelId = a.tunnelId;
                    t.tunnelSrc = a.src;
                    t.tunnelDst = a.dst;
                    t.tunnelTos = a.tos;
                    t.tunnelTtl = a.ttl;
                    t.tunnelFlags = a.flags;
                    size_t nest = w.beginNest(OVS_ACTION_ATTR_SET);
                    putTunnel(w, OVS_KEY_ATTR_TUNNEL, t, false);
                    w.endNest(nest);
                } else if constexpr (std::is_same_v<T, SetEthSrcAction> ||
                                     std::is_same_v<T, SetEthDstAction>) {
                    ovs_key_ethernet v{}, m{};
                    bool src = std::is_same_v<T, SetEthSrcAction>;
                    std::memcpy(src ? v.eth_src : v.eth_dst, a.mac.bytes.data(), 6);
                    std::memset(src ? m.eth_src : m.eth_dst, 0xff, 6);
                    putMasked(w, OVS_KEY_ATTR_ETHERNET, v, m);
                } else if constexpr (std::is_same_v<T, SetIpv4SrcAction> ||
                                     std::is_same_v<T, SetIpv4DstAction> ||
                                     std::is_same_v<T, SetIpTosAction> ||
                                     std::is_same_v<T, SetIpTtlAction>) {
                    requireIpv4(match, "set(ipv4)");
                    ovs_key_ipv4 v{}, m{};
                    if constexpr (std::is_same_v<T, SetIpv4SrcAction>) {
                        v.ipv4_src = htonl(a.addr.value);
                        m.ipv4_src = 0xffffffff;
                    } else if constexpr (std::is_same_v<T, SetIpv4DstAction>) {
                        v.ipv4_dst = htonl(a.addr.value);
                        m.ipv4_dst = 0xffffffff;
                    } else if constexpr (std::is_same_v<T, SetIpTosAction>) {
                        v.ipv4_tos = a.tos;
                        m.ipv4_tos = 0xff;
                    } else {
                        v.ipv4_ttl = a.ttl;
                        m.ipv4_ttl = 0xff;
                    }
                    putMasked(w, OVS_KEY_ATTR_IPV4, v, m);
                } else if constexpr (std::is_same_v<T, SetTpSrcAction> ||
                                     std::is_same_v<T, SetTpDstAction>) {
                    uint16_t type = l4Attr(match, "set(tp port)");
                    ovs_key_tcp v{}, m{};
                    if constexpr (std::is_same_v<T, SetTpSrcAction>) {
                        v.tcp_src = htons(a.port);
                        m.tcp_src = 0xffff;
                    } else {
                        v.tcp_dst = htons(a.port);
                        m.tcp_dst = 0xffff;
                    }
                    putMasked(w, type, v, m);
                } else if constexpr (std::is_same_v<T, PushVlanAction>) {
                    ovs_action_push_vlan p{htons(a.tpid), htons(uint16_t(a.tci | kVlanPresent))};
                    w.put(OVS_ACTION_ATTR_PUSH_VLAN, &p, sizeof p);
                } else if constexpr (std::is_same_v<T, PopVlanAction>) {
                    w.putFlag(OVS_ACTION_ATTR_POP_VLAN);
                }
            },
            action);
    }
}

namespace {

void decodeSetMasked(std::span<const uint8_t> attrs, FlowActions &out)
{
    forEachAttr(attrs, [&](const Attr &a) {
        size_t half = a.data.size() / 2;
        auto val = a.data.first(half), msk = a.data.subspan(half);
        switch (a.type) {
        case OVS_KEY_ATTR_ETHERNET: {
            auto v = rd<ovs_key_ethernet>(val), m = rd<ovs_key_ethernet>(msk);
            if (m.eth_src[0] | m.eth_src[5]) {
                SetEthSrcAction s;
                std::memcpy(s.mac.bytes.data(), v.eth_src, 6);
                out.push_back(s);
            }
            if (m.eth_dst[0] | m.eth_dst[5]) {
                SetEthDstAction s;
                std::memcpy(s.mac.bytes.data(), v.eth_dst, 6);
                out.push_back(s);
            }
            break;
        }
        case OVS_KEY_ATTR_IPV4: {
            auto v = rd<ovs_key_ipv4>(val), m = rd<ovs_key_ipv4>(msk);
            if (m.ipv4_src)
                out.push_back(SetIpv4SrcAction{{ntohl(v.ipv4_src)}});
            if (m.ipv4_dst)
                out.push_back(SetIpv4DstAction{{ntohl(v.ipv4_dst)}});
            if (m.ipv4_tos)
                out.push_back(SetIpTosAction{v.ipv4_tos});
            if (m.ipv4_ttl)
                out.push_back(SetIpTtlAction{v.ipv4_ttl});
            break;
        }
        case OVS_KEY_ATTR_TCP:
        case OVS_KEY_ATTR_UDP:
        case OVS_KEY_ATTR_SCTP: {
            auto v = rd<ovs_key_tcp>(val), m = rd<ovs_key_tcp>(msk);
            if (m.tcp_src)
                out.push_back(SetTpSrcAction{ntohs(v.tcp_src)});
            if (m.tcp_dst)
                out.push_back(SetTpDstAction{ntohs(v.tcp_dst)});
            break;
        }
        default: break;
        }
    });
}

} // namespace

FlowActions decodeActions(std::span<const uint8_t> attrs)
{
    FlowActions out;
    forEachAttr(attrs, [&](const Attr &a) {
        switch (a.type) {
        case OVS_ACTION_ATTR_OUTPUT: out.push_back(OutputAction{a.u32()}); break;
        case OVS_ACTION_ATTR_USERSPACE: {
            UserspaceAction u;
            forEachAttr(a.data, [&](const Attr &b) {
                if (b.type == OVS_USERSPACE_ATTR_PID)
                    u.pid = b.u32();
                else if (b.type == OVS_USERSPACE_ATTR_USERDATA)
                    u.cookie = b.u64();
            });
            out.push_back(u);
            break;
        }
        case OVS_ACTION_ATTR_SET:
            forEachAttr(a.data, [&](const Attr &b) {
                if (b.type != OVS_KEY_ATTR_TUNNEL)
                    return;
                FlowKey t;
                decodeTunnel(b.data, t);
                SetTunnelAction s;
                s.tunnelId = t.tunnelId;
                s.src = t.tunnelSrc;
                s.dst = t.tunnelDst;
                s.tos = t.tunnelTos;
                s.ttl = t.tunnelTtl;
                s.flags = t.tunnelFlags;
                out.push_back(s);
            });
            break;
        case OVS_ACTION_ATTR_SET_MASKED: decodeSetMasked(a.data, out); break;
        case OVS_ACTION_ATTR_PUSH_VLAN: {
            auto p = rd<ovs_action_push_vlan>(a.data);
            out.push_back(PushVlanAction{ntohs(p.vlan_tpid), ntohs(p.vlan_tci)});
            break;
        }
        case OVS_ACTION_ATTR_POP_VLAN: out.push_back(PopVlanAction{}); break;
        default: break;
        }
    });
    return out;
}

} // namespace midonet::dp::ovs
