// PacketRing: an AF_PACKET socket bound to one interface with memory-mapped rings: a
// TPACKET_V3 receive ring (blocks of variable-size frames, retired by the kernel when full or
// after a timeout, so one wake-up hands over a batch) and a transmit ring (fixed frames, flushed
// with one send() per batch). PACKET_VNET_HDR is on in both directions: every frame starts with
// a VnetHdr carrying its offload state, so a 64 KB TCP segment (GSO) or a frame whose
// checksum is left to the NIC crosses the datapath whole instead of being cut or checksummed in
// software.
//
// Invariants: a received frame stays valid until the block holding it is released (the next
// receive() call), or, for a frame whose VLAN tag the kernel had stripped (re-inserted here),
// until the next frame is handed over; send() copies. The rings are sized for 64 KB + header frames.
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

    // Hands every frame of the ready blocks to f(vnet header, frame) and releases the blocks.
    // At most `maxBlocks` blocks per call (fairness between ports). Returns frames seen.
    size_t receive(const std::function<void(const VnetHdr &, std::span<const uint8_t>)> &f,
                   int maxBlocks = 4);

    // Queues one frame in the transmit ring (false when the ring is full: the frame is dropped
    // and counted); flush() makes the kernel send what is queued.
    bool send(const VnetHdr &vnet, std::span<const uint8_t> frame);
    void flush();
    uint64_t txDropped() const { return txDropped_; }

private:
    int fd_ = -1;
    int ifindex_ = 0;
    uint8_t *rxMap_ = nullptr, *txMap_ = nullptr;
    size_t rxSize_ = 0, txSize_ = 0;
    tpacket_req3 rxReq_{};
    tpacket_req3 txReq_{};
    unsigned rxBlock_ = 0; // next block to look at
    unsigned txFrame_ = 0;
    bool txPending_ = false;
    uint64_t txDropped_ = 0;
    std::vector<uint8_t> tagged_; // a received frame with its offloaded VLAN tag put back
    std::mutex txMu_;
};

} // namespace midonet::dp::userspace
