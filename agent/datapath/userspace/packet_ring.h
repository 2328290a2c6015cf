// PacketRing: an AF_PACKET socket bound to one interface with memory-mapped rings: a
// TPACKET_V2 receive ring (one 2 KB slot per frame, handed over as soon as the kernel wrote it:
// no block retire timer, so latency is a wake-up, not a jiffy; under load one wake-up still
// drains many slots) and a transmit ring (fixed frames, flushed with one send() per batch).
// Frames too big for a slot (TSO/GRO, up to 64 KB) come whole through the socket's receive
// queue (PACKET_COPY_THRESH), in order. PACKET_VNET_HDR is on in both directions: every frame starts with
// a VnetHdr carrying its offload state, so a 64 KB TCP segment (GSO) or a frame whose
// checksum is left to the NIC crosses the datapath whole instead of being cut or checksummed in
// software.
//
// Invariants: a received frame is valid only during the callback that gets it (its slot is
// given back right after); send() copies. The rings are sized for 64 KB + header frames.
//
// Thread-safety: receive() belongs to one poll thread; send()/flush() are guarded by the ring's
// own mutex (several poll threads and execute() may output to one port).
#pragma once

#include <linux/if_packet.h>
#include "agent/datapath/userspace/vnet_hdr.h"

#include <cstdint>
#include <functional>
#include <mutex>
#include <span>
#include <string>
#include <vector>

namespace midonet::dp::userspace {

class PacketRing {
public:
    // Binds to `ifname` in the calling thread's network namespace. Throws DatapathError
    // (ENODEV: no such interface).
    explicit PacketRing(const std::string &ifname);
    ~PacketRing();
    PacketRing(const PacketRing &) = delete;
    PacketRing &operator=(const PacketRing &) = delete;

    int fd() const { return fd_; }
    int ifindex() const { return ifindex_; }

    // Hands every ready frame to f(vnet header, frame) and gives its slot back, at most
    // `maxFrames` per call (fairness between ports). Returns frames seen (dropped ones too).
    size_t receive(const std::function<void(const VnetHdr &, std::span<const uint8_t>)> &f,
                   size_t maxFrames = 256);

    // Queues one frame in the transmit ring (false when the ring is full: the frame is dropped
    // and counted); flush() makes the kernel send what is queued.
    bool send(const VnetHdr &vnet, std::span<const uint8_t> frame);
    void flush();
    uint64_t txDropped() const { return txDropped_; }
    // Frames cut to their slot with no whole copy to be had (receive queue full): dropped.
    uint64_t rxTruncated() const { return rxTruncated_; }

private:
    int fd_ = -1;
    int ifindex_ = 0;
    uint8_t *rxMap_ = nullptr, *txMap_ = nullptr;
    size_t rxSize_ = 0, txSize_ = 0;
    tpacket_req rxReq_{};
    tpacket_req txReq_{};
    unsigned rxFrame_ = 0; // next slot to look at
    unsigned txFrame_ = 0;
    bool txPending_ = false;
    uint64_t txDropped_ = 0;
    uint64_t rxTruncated_ = 0;
    std::vector<uint8_t> copyBuf_; // a frame read whole from the receive queue
    std::vector<uint8_t> tagged_; // a received frame with its offloaded VLAN tag put back
    std::mutex txMu_;
};

} // namespace midonet::dp::userspace
