#include "agent/datapath/userspace/packet_ring.h"

#include "agent/datapath/datapath.h"

#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <net/if.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>

namespace midonet::dp::userspace {

namespace {
// Receive: 64 blocks of 256 KB (16 MB per port): each block holds one whole 64 KB GSO frame or
// thousands of small ones. Blocks retire after 1 ms so a trickle is not held back.
constexpr unsigned kRxBlockSize = 1u << 18;
constexpr unsigned kRxBlocks = 64;
constexpr unsigned kRxRetireMs = 1;
// Transmit: fixed frames large enough for a GSO frame and its headers.
constexpr unsigned kTxFrameSize = 1u << 17;
constexpr unsigned kTxFrames = 128;

[[noreturn]] void fail(int err, const std::string &what)
{
    throw DatapathError(err, what + ": " + std::strerror(err));
}
} // namespace

PacketRing::PacketRing(const std::string &ifname)
{
    ifindex_ = int(if_nametoindex(ifname.c_str()));
    if (!ifindex_)
        throw DatapathError(ENODEV, "userspace: no interface " + ifname);
    fd_ = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd_ < 0)
        fail(errno, "userspace: AF_PACKET socket for " + ifname);
    try {
        int v = TPACKET_V3;
        if (setsockopt(fd_, SOL_PACKET, PACKET_VERSION, &v, sizeof v) < 0)
            fail(errno, "userspace: TPACKET_V3 on " + ifname);
        int one = 1;
        if (setsockopt(fd_, SOL_PACKET, PACKET_VNET_HDR, &one, sizeof one) < 0)
            fail(errno, "userspace: PACKET_VNET_HDR on " + ifname);
        // Our own transmissions must not come back to us as receptions.
        setsockopt(fd_, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof one);
        // Bypass the qdisc: the datapath is the switch, there is nothing to shape here.
        setsockopt(fd_, SOL_PACKET, PACKET_QDISC_BYPASS, &one, sizeof one);

        rxReq_.tp_block_size = kRxBlockSize;
        rxReq_.tp_block_nr = kRxBlocks;
        rxReq_.tp_frame_size = 2048; // V3 ignores it for layout; must divide the block
        rxReq_.tp_frame_nr = kRxBlockSize / 2048 * kRxBlocks;
        rxReq_.tp_retire_blk_tov = kRxRetireMs;
        if (setsockopt(fd_, SOL_PACKET, PACKET_RX_RING, &rxReq_, sizeof rxReq_) < 0)
            fail(errno, "userspace: PACKET_RX_RING on " + ifname);
        txReq_.tp_block_size = kTxFrameSize;
        txReq_.tp_block_nr = kTxFrames;
        txReq_.tp_frame_size = kTxFrameSize;
        txReq_.tp_frame_nr = kTxFrames;
        if (setsockopt(fd_, SOL_PACKET, PACKET_TX_RING, &txReq_, sizeof txReq_) < 0)
            fail(errno, "userspace: PACKET_TX_RING on " + ifname);
        rxSize_ = size_t(kRxBlockSize) * kRxBlocks;
        txSize_ = size_t(kTxFrameSize) * kTxFrames;
        // One mapping holds both rings, RX first.
        void *m = mmap(nullptr, rxSize_ + txSize_, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_LOCKED,
                       fd_, 0);
        if (m == MAP_FAILED)
            m = mmap(nullptr, rxSize_ + txSize_, PROT_READ | PROT_WRITE, MAP_SHARED, fd_, 0);
        if (m == MAP_FAILED)
            fail(errno, "userspace: mmap rings of " + ifname);
        rxMap_ = static_cast<uint8_t *>(m);
        txMap_ = rxMap_ + rxSize_;

        sockaddr_ll sll{};
        sll.sll_family = AF_PACKET;
        sll.sll_protocol = htons(ETH_P_ALL);
        sll.sll_ifindex = ifindex_;
        if (bind(fd_, reinterpret_cast<sockaddr *>(&sll), sizeof sll) < 0)
            fail(errno, "userspace: bind to " + ifname);
    } catch (...) {
        if (rxMap_)
            munmap(rxMap_, rxSize_ + txSize_);
        close(fd_);
        throw;
    }
}

PacketRing::~PacketRing()
{
    if (rxMap_)
        munmap(rxMap_, rxSize_ + txSize_);
    close(fd_);
}

size_t PacketRing::receive(
    const std::function<void(const VnetHdr &, std::span<const uint8_t>)> &f, int maxBlocks)
{
    size_t frames = 0;
    for (int b = 0; b < maxBlocks; ++b) {
        auto *desc = reinterpret_cast<tpacket_block_desc *>(rxMap_ + size_t(rxBlock_) * kRxBlockSize);
        std::atomic_ref<uint32_t> status(desc->hdr.bh1.block_status);
        if (!(status.load(std::memory_order_acquire) & TP_STATUS_USER))
            break;
        uint32_t n = desc->hdr.bh1.num_pkts;
        auto *h = reinterpret_cast<tpacket3_hdr *>(reinterpret_cast<uint8_t *>(desc) +
                                                   desc->hdr.bh1.offset_to_first_pkt);
        for (uint32_t i = 0; i < n; ++i) {
            const uint8_t *mac = reinterpret_cast<const uint8_t *>(h) + h->tp_mac;
            VnetHdr vnet;
            std::memcpy(&vnet, mac - sizeof vnet, sizeof vnet);
            if ((h->tp_status & TP_STATUS_VLAN_VALID) && h->tp_snaplen >= 12) {
                // The kernel took the 802.1Q tag out of the frame (VLAN offload, e.g. a veth
                // fed by a VLAN-filtering bridge) and reports it beside it: put it back, so
                // keys, flows and trunks see the frame as it was on the wire.
                const uint16_t tpid = (h->tp_status & TP_STATUS_VLAN_TPID_VALID) && h->hv1.tp_vlan_tpid
                                          ? h->hv1.tp_vlan_tpid : uint16_t(ETH_P_8021Q);
                const uint16_t tci = uint16_t(h->hv1.tp_vlan_tci);
                tagged_.assign(mac, mac + 12);
                const uint8_t tag[4] = {uint8_t(tpid >> 8), uint8_t(tpid), uint8_t(tci >> 8), uint8_t(tci)};
                tagged_.insert(tagged_.end(), tag, tag + 4);
                tagged_.insert(tagged_.end(), mac + 12, mac + h->tp_snaplen);
                if (vnet.flags & kVnetNeedsCsum) vnet.csum_start = uint16_t(vnet.csum_start + 4);
                if (vnet.hdr_len) vnet.hdr_len = uint16_t(vnet.hdr_len + 4);
                f(vnet, {tagged_.data(), tagged_.size()});
            } else {
                f(vnet, {mac, h->tp_snaplen});
            }
            ++frames;
            h = reinterpret_cast<tpacket3_hdr *>(reinterpret_cast<uint8_t *>(h) + h->tp_next_offset);
        }
        status.store(TP_STATUS_KERNEL, std::memory_order_release);
        rxBlock_ = (rxBlock_ + 1) % kRxBlocks;
    }
    return frames;
}

bool PacketRing::send(const VnetHdr &vnet, std::span<const uint8_t> frame)
{
    std::lock_guard lk(txMu_);
    // TX frames use the tpacket3_hdr layout; the data starts at the aligned header end, with
    // the VnetHdr first when PACKET_VNET_HDR is on.
    constexpr size_t dataOff = TPACKET_ALIGN(sizeof(tpacket3_hdr));
    if (frame.size() + sizeof vnet + dataOff > kTxFrameSize) {
        ++txDropped_;
        return false;
    }
    auto *h = reinterpret_cast<tpacket3_hdr *>(txMap_ + size_t(txFrame_) * kTxFrameSize);
    std::atomic_ref<uint32_t> status(h->tp_status);
    uint32_t st = status.load(std::memory_order_acquire);
    if (st != TP_STATUS_AVAILABLE && st != TP_STATUS_WRONG_FORMAT) {
        // Ring full: give the kernel the queued frames and look once more.
        if (txPending_) {
            ::send(fd_, nullptr, 0, MSG_DONTWAIT);
            txPending_ = false;
        }
        st = status.load(std::memory_order_acquire);
        if (st != TP_STATUS_AVAILABLE && st != TP_STATUS_WRONG_FORMAT) {
            ++txDropped_;
            return false;
        }
    }
    uint8_t *data = reinterpret_cast<uint8_t *>(h) + dataOff;
    std::memcpy(data, &vnet, sizeof vnet);
    std::memcpy(data + sizeof vnet, frame.data(), frame.size());
    h->tp_len = uint32_t(frame.size() + sizeof vnet);
    h->tp_snaplen = h->tp_len;
    h->tp_next_offset = 0;
    status.store(TP_STATUS_SEND_REQUEST, std::memory_order_release);
    txFrame_ = (txFrame_ + 1) % kTxFrames;
    txPending_ = true;
    return true;
}

void PacketRing::flush()
{
    std::lock_guard lk(txMu_);
    if (!txPending_)
        return;
    ::send(fd_, nullptr, 0, MSG_DONTWAIT);
    txPending_ = false;
}

} // namespace midonet::dp::userspace
