// Translation between our flow types (common/flow) and the Open vSwitch kernel's Netlink
// attributes (linux/openvswitch.h): flow keys, masks and action lists. Pure functions on byte
// buffers, so they are unit-tested on hosts without the module and reused by the `ovs` backend.
//
// Key attributes we write (OVS_FLOW_ATTR_KEY / _MASK, OVS_PACKET_ATTR_KEY), all multi-byte
// values in network order. "Key" says when the key carries it, "mask" the same for the mask
// (the kernel wants the mask to carry the same set of attributes, with mask values):
//   OVS_KEY_ATTR_IN_PORT    u32      always (key: port number; mask: our inPort mask).
//   OVS_KEY_ATTR_SKB_MARK   u32      when the mask consults skbMark.
//   OVS_KEY_ATTR_TUNNEL     nested   when the mask consults a tunnel field. Inside:
//       OVS_TUNNEL_KEY_ATTR_ID         be64  when the mask consults tunnelId or the key flag
//       OVS_TUNNEL_KEY_ATTR_IPV4_SRC   be32  when non-zero
//       OVS_TUNNEL_KEY_ATTR_IPV4_DST   be32  always: the kernel refuses a tunnel key without a
//                                          destination, so where the mask ignores it the key
//                                          carries 255.255.255.255, masked away
//       OVS_TUNNEL_KEY_ATTR_TOS        u8    always
//       OVS_TUNNEL_KEY_ATTR_TTL        u8    always (required by the kernel)
//       OVS_TUNNEL_KEY_ATTR_DONT_FRAGMENT, _CSUM  flags, when set in tunnelFlags
//   OVS_KEY_ATTR_ETHERNET   struct ovs_key_ethernet  always (we run an L2 datapath; without it
//                                    the kernel takes the flow for an L3 one).
//   OVS_KEY_ATTR_ETHERTYPE  be16     when the mask consults ethType. The kernel always matches
//                                    the ethertype exactly, so a partial mask widens to exact.
//                                    Tagged frames: 0x8100 here, the inner type inside ENCAP.
//   OVS_KEY_ATTR_VLAN       be16     when the key has a tag (vlanTci & kVlanPresent), with
//   OVS_KEY_ATTR_ENCAP      nested   the inner ETHERTYPE and the L3/L4 attributes.
//   OVS_KEY_ATTR_IPV4 / _IPV6 / _ARP struct ovs_key_*  when ethType is that protocol and
//                                    the mask consults ethType (match_validate in the kernel
//                                    rejects L3 attributes otherwise).
//   OVS_KEY_ATTR_TCP / _UDP / _SCTP / _ICMP / _ICMPV6  when the L3 attribute is written, the
//                                    mask consults ipProto fully, and the packet is not a later
//                                    fragment.
//   OVS_KEY_ATTR_TCP_FLAGS  be16     with OVS_KEY_ATTR_TCP.
//   OVS_KEY_ATTR_ND         struct ovs_key_nd  with ICMPV6 types 135/136.
// Read back (upcalls, dumps): the same list; anything else the kernel adds (PRIORITY,
// RECIRC_ID, DP_HASH, CT_*) is ignored, and values under a zero mask are cleared by FlowMatch.
//
// Actions (OVS_FLOW_ATTR_ACTIONS, OVS_PACKET_ATTR_ACTIONS):
//   OutputAction      OVS_ACTION_ATTR_OUTPUT u32 port.
//   UserspaceAction   OVS_ACTION_ATTR_USERSPACE nested: OVS_USERSPACE_ATTR_PID u32 (required),
//                     OVS_USERSPACE_ATTR_USERDATA 8 bytes = the cookie (host order, opaque).
//   SetTunnelAction   OVS_ACTION_ATTR_SET { OVS_KEY_ATTR_TUNNEL {...} } (tunnels cannot use
//                     SET_MASKED).
//   Set* field        OVS_ACTION_ATTR_SET_MASKED { OVS_KEY_ATTR_<header> value then mask }: one
//                     per action, the mask covering the one field. Ports need the flow's
//                     ipProto (the kernel checks the masked flow key says TCP/UDP/SCTP), so the
//                     flow's mask must consult ipProto; EINVAL otherwise.
//   PushVlanAction    OVS_ACTION_ATTR_PUSH_VLAN struct ovs_action_push_vlan (tci with CFI set).
//   PopVlanAction     OVS_ACTION_ATTR_POP_VLAN flag.
//
// Thread-safety: stateless functions.
#pragma once

#include "common/flow/flow_actions.h"
#include "common/flow/flow_key.h"

#include <cstdint>
#include <span>
#include <vector>

namespace midonet::dp::ovs {

using Bytes = std::vector<uint8_t>;

// Appends Netlink attributes (struct nlattr + payload, 4-byte aligned) to a byte buffer.
class AttrWriter {
public:
    explicit AttrWriter(Bytes &out) : out_(out) {}
    void put(uint16_t type, const void *data, size_t len);
    void putU8(uint16_t type, uint8_t v) { put(type, &v, 1); }
    void putU16(uint16_t type, uint16_t v) { put(type, &v, 2); }
    void putU32(uint16_t type, uint32_t v) { put(type, &v, 4); }
    void putU64(uint16_t type, uint64_t v) { put(type, &v, 8); }
    void putBe16(uint16_t type, uint16_t v);
    void putBe32(uint16_t type, uint32_t v);
    void putBe64(uint16_t type, uint64_t v);
    void putFlag(uint16_t type) { put(type, nullptr, 0); }
    size_t beginNest(uint16_t type);
    void endNest(size_t start);

private:
    Bytes &out_;
};

// One attribute seen by forEachAttr: its type (flags stripped) and payload.
struct Attr {
    uint16_t type;
    std::span<const uint8_t> data;
    uint8_t u8() const { return data.empty() ? 0 : data[0]; }
    uint16_t be16() const;
    uint32_t u32() const;
    uint32_t be32() const;
    uint64_t u64() const;
    uint64_t be64() const;
};
// Calls f for each well-formed attribute; stops at the first truncated one.
template <typename F> void forEachAttr(std::span<const uint8_t> buf, F &&f);

// Key and mask attribute lists for one match (see the table above). Throws DatapathError
// EINVAL for a mask the kernel cannot express (userspace-only fields).
void encodeMatch(const flow::FlowMatch &match, Bytes &keyAttrs, Bytes &maskAttrs);
// The exact key of one packet, for OVS_PACKET_CMD_EXECUTE (metadata: in_port, tunnel, mark).
void encodeExecuteKey(const flow::FlowKey &key, Bytes &keyAttrs);
// A key-attribute list (upcall key, dumped key or mask) back into a FlowKey. For a mask pass
// isMask so the ethertype of a tagged flow lands where the key's does.
flow::FlowKey decodeKey(std::span<const uint8_t> attrs, bool isMask = false);

// Action list for a flow whose (masked) key is `match.key`; EINVAL when an action needs a field
// the match does not pin (ports without ipProto) or the kernel cannot do (ICMP id rewrite).
void encodeActions(const flow::FlowActions &actions, const flow::FlowMatch &match, Bytes &out);
flow::FlowActions decodeActions(std::span<const uint8_t> attrs);

} // namespace midonet::dp::ovs

#include "agent/datapath/ovs/ovs_codec_inl.h"
