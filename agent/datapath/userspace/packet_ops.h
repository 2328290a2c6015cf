// Fast-path packet operations of the userspace datapath on raw Ethernet frames: flow key
// extraction and the header rewrites the actions ask for (set fields with checksum fix-ups,
// push/pop VLAN), aware of the virtio-net header that carries offload metadata (a frame with
// kVnetNeedsCsum holds only the pseudo-header sum in its L4 checksum field).
//
// Invariants: extractKey() fills the fields the OVS kernel datapath would (flow_key.h), zeros
// the rest, never reads past `len`; a truncated header leaves the deeper fields zero.
// Rewrites keep every checksum valid (or, for NEEDS_CSUM frames, the partial sum consistent).
//
// Thread-safety: stateless functions on caller-owned buffers.
#pragma once

#include "common/flow/flow_actions.h"
#include "common/flow/flow_key.h"

#include "agent/datapath/userspace/vnet_hdr.h"

#include <cstdint>
#include <functional>
#include <span>
#include <vector>

namespace midonet::dp::userspace {

void extractKey(const uint8_t *frame, size_t len, uint32_t inPort, flow::FlowKey &key);

// A frame being forwarded: bytes (Ethernet onwards) plus its offload header.
struct Frame {
    std::vector<uint8_t> data;
    VnetHdr vnet{};
};

// Completes a checksum left to the NIC (kVnetNeedsCsum) in place, as the kernel does before a
// packet goes to userspace or into a tunnel: the frame is then valid without its vnet header.
void finishChecksum(std::vector<uint8_t> &data, const VnetHdr &vnet);

// Cuts a GSO frame (kVnetGsoTcpv4/v6: one large TCP segment with its offload header) into
// frames of at most vnet.gso_size payload bytes, each with valid IP and TCP checksums, as a NIC
// would, and hands each to `emit`. Returns false (emitting nothing) for a frame it cannot cut.
// Needed where a frame leaves through something without offloads, such as a VXLAN UDP socket.
bool segmentTcp(std::span<const uint8_t> frame, const VnetHdr &vnet,
                const std::function<void(std::span<const uint8_t>)> &emit);

void setEthSrc(Frame &f, const flow::MacAddress &mac);
void setEthDst(Frame &f, const flow::MacAddress &mac);
// IPv4 rewrites fix the IP header checksum and the TCP/UDP checksum (pseudo-header fields).
void setIpv4Src(Frame &f, uint32_t addr);
void setIpv4Dst(Frame &f, uint32_t addr);
void setIpTos(Frame &f, uint8_t tos);
void setIpTtl(Frame &f, uint8_t ttl);
void setTpSrc(Frame &f, uint16_t port);
void setTpDst(Frame &f, uint16_t port);
void pushVlan(Frame &f, uint16_t tpid, uint16_t tci); // tci without the kVlanPresent bit
void popVlan(Frame &f);

} // namespace midonet::dp::userspace
