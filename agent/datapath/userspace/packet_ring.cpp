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
// Receive: TPACKET_V2, one fixed slot per frame, handed to us (and poll() woken) the moment the
// kernel has written it: no block retire timer, so a lone packet is not held back (TPACKET_V3
// blocks wait until full or until their timer, one jiffy at best). 8,192 slots of 2 KB (16 MB
// per port) hold any frame up to the MTU with its headers; a bigger one (a TSO/GRO frame up to
// 64 KB) gets PACKET_COPY_THRESH treatment: its slot is marked TP_STATUS_COPY and the whole
// frame waits on the socket's receive queue, read with one recv().
constexpr unsigned kRxFrameSize = 2048;
constexpr unsigned kRxBlockSize = 1u << 16;
constexpr unsigned kRxBlocks = 256;
constexpr unsigned kRxFrames = kRxBlockSize / kRxFrameSize * kRxBlocks;
constexpr int kRxQueueBytes = 8 << 20; // room for ~100 whole 64 KB frames behind COPY slots
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
        int v = TPACKET_V2;
        if (setsockopt(fd_, SOL_PACKET, PACKET_VERSION, &v, sizeof v) < 0)
            fail(errno, "userspace: TPACKET_V2 on " + ifname);
        int one = 1;
        if (setsockopt(fd_, SOL_PACKET, PACKET_VNET_HDR, &one, sizeof one) < 0)
            fail(errno, "userspace: PACKET_VNET_HDR on " + ifname);
        // Our own transmissions must not come back to us as receptions.
        setsockopt(fd_, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof one);
        // Bypass the qdisc: the datapath is the switch, there is nothing to shape here.
        setsockopt(fd_, SOL_PACKET, PACKET_QDISC_BYPASS, &one, sizeof one);

        // Frames longer than a slot: the whole frame goes to the receive queue (any non-zero
        // threshold turns this on), which must be able to hold several 64 KB frames.
        setsockopt(fd_, SOL_PACKET, PACKET_COPY_THRESH, &one, sizeof one);
        if (setsockopt(fd_, SOL_SOCKET, SO_RCVBUFFORCE, &kRxQueueBytes, sizeof kRxQueueBytes) < 0)
            setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &kRxQueueBytes, sizeof kRxQueueBytes);

        rxReq_.tp_block_size = kRxBlockSize;
        rxReq_.tp_block_nr = kRxBlocks;
        rxReq_.tp_frame_size = kRxFrameSize;
        rxReq_.tp_frame_nr = kRxFrames;
        if (setsockopt(fd_, SOL_PACKET, PACKET_RX_RING, &rxReq_, sizeof rxReq_) < 0)
            fail(errno, "userspace: PACKET_RX_RING on " + ifname);
        txReq_.tp_block_size = kTxFrameSize;
        txReq_.tp_block_nr = kTxFrames;
        txReq_.tp_frame_size = kTxFrameSize;
        txReq_.tp_frame_nr = kTxFrames;
        if (setsockopt(fd_, SOL_PACKET, PACKET_TX_RING, &txReq_, sizeof txReq_) < 0)
            fail(errno, "userspace: PACKET_TX_RING on " + ifname);
        rxSize_ = size_t(kRxBlockSize) * kRxBlocks;
        copyBuf_.resize(sizeof(VnetHdr) + 65536 + 4);
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
    const std::function<void(const VnetHdr &, std::span<const uint8_t>)> &f, size_t maxFrames)
{
    size_t frames = 0;
    while (frames < maxFrames) {
        auto *h = reinterpret_cast<tpacket2_hdr *>(rxMap_ + size_t(rxFrame_) * kRxFrameSize);
        std::atomic_ref<uint32_t> status(h->tp_status);
        const uint32_t st = status.load(std::memory_order_acquire);
        if (!(st & TP_STATUS_USER))
            break;
        VnetHdr vnet;
        const uint8_t *mac = reinterpret_cast<const uint8_t *>(h) + h->tp_mac;
        size_t len = h->tp_snaplen;
        bool ok = true;
        if (st & TP_STATUS_COPY) {
            // Too big for a slot: the whole frame, virtio-net header first, is on the socket's
            // receive queue, queued before the slot was handed over (same order).
            ssize_t n = recv(fd_, copyBuf_.data(), copyBuf_.size(), MSG_DONTWAIT | MSG_TRUNC);
            if (n >= ssize_t(sizeof vnet) && size_t(n) <= copyBuf_.size()) {
                std::memcpy(&vnet, copyBuf_.data(), sizeof vnet);
                mac = copyBuf_.data() + sizeof vnet;
                len = size_t(n) - sizeof vnet;
            } else {
                ok = false;
            }
        } else if (h->tp_snaplen < h->tp_len) {
            ok = false; // cut to the slot and no room left on the queue for the whole frame
        } else {
            std::memcpy(&vnet, mac - sizeof vnet, sizeof vnet);
        }
        if (!ok) {
            ++rxTruncated_;
        } else if ((st & TP_STATUS_VLAN_VALID) && len >= 12) {
            // The kernel took the 802.1Q tag out of the frame (VLAN offload, e.g. a veth
            // fed by a VLAN-filtering bridge) and reports it beside it: put it back, so
            // keys, flows and trunks see the frame as it was on the wire.
            const uint16_t tpid = (st & TP_STATUS_VLAN_TPID_VALID) && h->tp_vlan_tpid
                                      ? h->tp_vlan_tpid : uint16_t(ETH_P_8021Q);
            const uint16_t tci = uint16_t(h->tp_vlan_tci);
            tagged_.assign(mac, mac + 12);
            const uint8_t tag[4] = {uint8_t(tpid >> 8), uint8_t(tpid), uint8_t(tci >> 8), uint8_t(tci)};
            tagged_.insert(tagged_.end(), tag, tag + 4);
            tagged_.insert(tagged_.end(), mac + 12, mac + len);
            if (vnet.flags & kVnetNeedsCsum) vnet.csum_start = uint16_t(vnet.csum_start + 4);
            if (vnet.hdr_len) vnet.hdr_len = uint16_t(vnet.hdr_len + 4);
            f(vnet, {tagged_.data(), tagged_.size()});
        } else {
            f(vnet, {mac, len});
        }
        ++frames;
        status.store(TP_STATUS_KERNEL, std::memory_order_release);
        rxFrame_ = (rxFrame_ + 1) % kRxFrames;
    }
    return frames;
}

bool PacketRing::send(const VnetHdr &vnet, std::span<const uint8_t> frame)
{
    std::lock_guard lk(txMu_);
    // TX frames use the tpacket2_hdr layout (the socket's version); the data starts at the
    // aligned header end, with the VnetHdr first when PACKET_VNET_HDR is on.
    constexpr size_t dataOff = TPACKET_ALIGN(sizeof(tpacket2_hdr));
    if (frame.size() + sizeof vnet + dataOff > kTxFrameSize) {
        ++txDropped_;
        return false;
    }
    auto *h = reinterpret_cast<tpacket2_hdr *>(txMap_ + size_t(txFrame_) * kTxFrameSize);
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
