// VnetHdr: the virtio-net header (struct virtio_net_hdr of linux/virtio_net.h) that
// PACKET_VNET_HDR sockets and IFF_VNET_HDR taps put before every frame. Redeclared because the
// kernel header does not compile as C++ (a member named `class`). Layout is fixed by the ABI:
// 10 bytes, host byte order on little-endian hosts (legacy virtio).
// Thread-safety: plain value.
#pragma once

#include <cstdint>

namespace midonet::dp::userspace {

struct VnetHdr {
    uint8_t flags = 0;       // kVnetNeedsCsum: checksum from csum_start, store at +csum_offset
    uint8_t gso_type = 0;    // kVnetGso*: a segment to cut into gso_size pieces on the way out
    uint16_t hdr_len = 0;    // Ethernet + IP + L4 header length of a GSO frame
    uint16_t gso_size = 0;   // payload bytes per segment (the MSS)
    uint16_t csum_start = 0;
    uint16_t csum_offset = 0;
};
static_assert(sizeof(VnetHdr) == 10);

inline constexpr uint8_t kVnetNeedsCsum = 1;  // VIRTIO_NET_HDR_F_NEEDS_CSUM
inline constexpr uint8_t kVnetGsoNone = 0;    // VIRTIO_NET_HDR_GSO_NONE
inline constexpr uint8_t kVnetGsoTcpv4 = 1;   // VIRTIO_NET_HDR_GSO_TCPV4
inline constexpr uint8_t kVnetGsoTcpv6 = 4;   // VIRTIO_NET_HDR_GSO_TCPV6

} // namespace midonet::dp::userspace
