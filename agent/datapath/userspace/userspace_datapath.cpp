#include "agent/datapath/userspace/userspace_datapath.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <spdlog/spdlog.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>

namespace midonet::dp::userspace {

using namespace midonet::flow;

namespace {
constexpr uint32_t kMaxPorts = 1024;
constexpr size_t kVxlanHdr = 8;

[[noreturn]] void fail(int err, const std::string &what)
{
    throw DatapathError(err, what + ": " + std::strerror(err));
}

void setLinkUp(const std::string &ifname)
{
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return;
    ifreq ifr{};
    std::strncpy(ifr.ifr_name, ifname.c_str(), IFNAMSIZ - 1);
    if (ioctl(fd, SIOCGIFFLAGS, &ifr) == 0) {
        ifr.ifr_flags |= IFF_UP;
        ioctl(fd, SIOCSIFFLAGS, &ifr);
    }
    close(fd);
}

bool modifiesPacket(const FlowActions &actions)
{
    for (const FlowAction &a : actions)
        if (!std::holds_alternative<OutputAction>(a) && !std::holds_alternative<UserspaceAction>(a))
            return true;
    return false;
}
} // namespace

struct UserspaceDatapath::Port {
    uint32_t number = 0;
    std::string name;
    PortType type = PortType::Netdev;
    uint16_t vxlanPort = 0;
    std::unique_ptr<PacketRing> ring; // Netdev
    int tapFd = -1;                   // Internal
    int udpFd = -1;                   // Vxlan
    uint32_t localIp = 0;             // Vxlan: our underlay address (host order), 0 = any
    std::mutex ioMu;                  // tap and UDP writes from several threads
    std::atomic<uint64_t> rxPackets{0}, txPackets{0}, rxBytes{0}, txBytes{0}, txDropped{0};
    ~Port()
    {
        if (tapFd >= 0)
            close(tapFd);
        if (udpFd >= 0)
            close(udpFd);
    }
    int fd() const { return ring ? ring->fd() : tapFd >= 0 ? tapFd : udpFd; }
};

struct UserspaceDatapath::FlowEntry : ClassifierRule {
    FlowActions actions;
    bool modifies = false;
    uint64_t created = 0;
    std::atomic<uint64_t> packets{0}, bytes{0}, lastUsed{0};
    std::atomic<uint16_t> tcpFlags{0};
};

struct UserspaceDatapath::Thread {
    unsigned index = 0;
    int wakeFd = -1;
    std::thread thread;
    // Exact-match cache: direct-mapped, private to the thread, validated by generation.
    struct EmcEntry {
        FlowKey key;
        FlowEntry *flow = nullptr;
        uint64_t generation = 0;
    };
    std::vector<EmcEntry> emc;
    std::shared_ptr<const PortMap> ports;
    uint64_t portsVersion = ~0ull;
    Frame scratch;             // reused for packets whose actions rewrite them
    std::vector<Port *> dirty; // rings with queued frames to flush at the end of the batch
};

UserspaceDatapath::UserspaceDatapath(const std::string &name, const DatapathOptions &opts)
    : name_(name), opts_(opts), upcalls_(opts.upcallQueuePerPort)
{
    portsSnapshot_ = std::make_shared<PortMap>();
    size_t emcSize = 1;
    while (emcSize < std::max<size_t>(opts.exactCacheEntries, 1))
        emcSize <<= 1;
    int n = std::max(1, opts.pollThreads);
    for (int i = 0; i < n; ++i) {
        auto t = std::make_unique<Thread>();
        t->index = unsigned(i);
        t->wakeFd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
        t->emc.resize(emcSize);
        threads_.push_back(std::move(t));
    }
    for (auto &t : threads_)
        t->thread = std::thread([this, p = t.get()] { pollLoop(p); });
}

UserspaceDatapath::~UserspaceDatapath()
{
    stop_ = true;
    for (auto &t : threads_) {
        uint64_t one = 1;
        [[maybe_unused]] auto r = write(t->wakeFd, &one, sizeof one);
    }
    for (auto &t : threads_) {
        t->thread.join();
        close(t->wakeFd);
    }
    upcalls_.wakeAll();
}

void UserspaceDatapath::destroy()
{
    std::lock_guard lk(portsMu_);
    ports_.clear(); // closes rings, taps (the kernel deletes non-persistent taps) and sockets
    publishPorts();
    destroyed_ = true;
}

// ---- ports ----

void UserspaceDatapath::publishPorts()
{
    portsSnapshot_ = std::make_shared<PortMap>(ports_);
    portsVersion_.fetch_add(1);
    for (auto &t : threads_) {
        uint64_t one = 1;
        [[maybe_unused]] auto r = write(t->wakeFd, &one, sizeof one);
    }
}

std::shared_ptr<UserspaceDatapath::Port> UserspaceDatapath::port(uint32_t number)
{
    std::lock_guard lk(portsMu_);
    auto it = ports_.find(number);
    return it == ports_.end() ? nullptr : it->second;
}

uint32_t UserspaceDatapath::addPort(const PortSpec &spec)
{
    if (spec.name.empty() || spec.name.size() >= IFNAMSIZ)
        throw DatapathError(EINVAL, "userspace: bad port name '" + spec.name + "'");
    std::lock_guard lk(portsMu_);
    for (auto &[n, p] : ports_)
        if (p->name == spec.name)
            throw DatapathError(EEXIST, "userspace: port " + spec.name + " exists");
    uint32_t number = 1;
    if (spec.number) {
        number = *spec.number;
        if (number == 0 || number >= kMaxPorts || ports_.count(number))
            throw DatapathError(EEXIST, "userspace: port number " + std::to_string(number) +
                                            " taken or invalid");
    } else {
        while (ports_.count(number))
            ++number;
        if (number >= kMaxPorts)
            throw DatapathError(EFBIG, "userspace: too many ports");
    }
    auto p = std::make_shared<Port>();
    p->number = number;
    p->name = spec.name;
    p->type = spec.type;
    switch (spec.type) {
    case PortType::Netdev:
        p->ring = std::make_unique<PacketRing>(spec.name);
        break;
    case PortType::Internal: {
        p->tapFd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
        if (p->tapFd < 0)
            fail(errno, "userspace: open /dev/net/tun for " + spec.name);
        ifreq ifr{};
        ifr.ifr_flags = IFF_TAP | IFF_NO_PI | IFF_VNET_HDR;
        std::strncpy(ifr.ifr_name, spec.name.c_str(), IFNAMSIZ - 1);
        if (ioctl(p->tapFd, TUNSETIFF, &ifr) < 0)
            fail(errno == EBUSY ? EEXIST : errno, "userspace: create tap " + spec.name);
        int hdr = sizeof(VnetHdr);
        ioctl(p->tapFd, TUNSETVNETHDRSZ, &hdr);
        // Let the host hand us whole TSO segments and unchecksummed frames, as on veths.
        ioctl(p->tapFd, TUNSETOFFLOAD, TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6);
        setLinkUp(spec.name);
        break;
    }
    case PortType::Vxlan: {
        p->vxlanPort = spec.vxlanPort;
        p->localIp = opts_.vxlanLocalIp.value;
        p->udpFd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        if (p->udpFd < 0)
            fail(errno, "userspace: UDP socket for " + spec.name);
        int one = 1;
        setsockopt(p->udpFd, IPPROTO_IP, IP_PKTINFO, &one, sizeof one);
        setsockopt(p->udpFd, IPPROTO_IP, IP_RECVTTL, &one, sizeof one);
        setsockopt(p->udpFd, IPPROTO_IP, IP_RECVTOS, &one, sizeof one);
        int buf = 8 << 20;
        setsockopt(p->udpFd, SOL_SOCKET, SO_RCVBUF, &buf, sizeof buf);
        sockaddr_in sa{};
        sa.sin_family = AF_INET;
        sa.sin_port = htons(spec.vxlanPort);
        sa.sin_addr.s_addr = htonl(p->localIp);
        if (bind(p->udpFd, reinterpret_cast<sockaddr *>(&sa), sizeof sa) < 0)
            fail(errno == EADDRINUSE ? EEXIST : errno,
                 "userspace: bind VXLAN port " + std::to_string(spec.vxlanPort));
        break;
    }
    }
    ports_[number] = p;
    publishPorts();
    return number;
}

void UserspaceDatapath::removePort(uint32_t number)
{
    {
        std::lock_guard lk(portsMu_);
        if (!ports_.erase(number))
            throw DatapathError(ENOENT, "userspace: no port " + std::to_string(number));
        publishPorts();
    }
    upcalls_.removePort(number);
}

namespace {
PortInfo infoOf(const UserspaceDatapath::Port &p);
}

std::vector<PortInfo> UserspaceDatapath::listPorts()
{
    std::vector<PortInfo> out;
    std::lock_guard lk(portsMu_);
    for (auto &[n, p] : ports_)
        out.push_back(infoOf(*p));
    return out;
}

PortInfo UserspaceDatapath::portByName(const std::string &name)
{
    std::lock_guard lk(portsMu_);
    for (auto &[n, p] : ports_)
        if (p->name == name)
            return infoOf(*p);
    throw DatapathError(ENOENT, "userspace: no port named " + name);
}

namespace {
PortInfo infoOf(const UserspaceDatapath::Port &p)
{
    PortInfo i;
    i.number = p.number;
    i.name = p.name;
    i.type = p.type;
    i.vxlanPort = p.vxlanPort;
    i.stats.rxPackets = p.rxPackets;
    i.stats.txPackets = p.txPackets;
    i.stats.rxBytes = p.rxBytes;
    i.stats.txBytes = p.txBytes;
    i.stats.txDropped = p.txDropped + (p.ring ? p.ring->txDropped() : 0);
    i.stats.rxDropped = p.ring ? p.ring->rxTruncated() : 0;
    return i;
}
} // namespace

// ---- flows ----

namespace {
// Control calls announce themselves so the poll threads step aside between batches (glibc's
// rwlock prefers readers, and a busy poll loop would otherwise starve a writer).
struct WriteLock {
    std::atomic<int> &waiting;
    std::unique_lock<std::shared_mutex> lk;
    WriteLock(std::shared_mutex &m, std::atomic<int> &w) : waiting(w), lk(m, std::defer_lock)
    {
        waiting.fetch_add(1);
        lk.lock();
        waiting.fetch_sub(1);
    }
};
} // namespace

Flow UserspaceDatapath::snapshot(const FlowEntry &e) const
{
    Flow f;
    f.match = e.match;
    f.actions = e.actions;
    f.stats.packets = e.packets.load(std::memory_order_relaxed);
    f.stats.bytes = e.bytes.load(std::memory_order_relaxed);
    f.stats.lastUsedMs = e.lastUsed.load(std::memory_order_relaxed);
    f.stats.tcpFlags = e.tcpFlags.load(std::memory_order_relaxed);
    return f;
}

void UserspaceDatapath::putFlow(const FlowMatch &match, const FlowActions &actions, PutMode mode)
{
    WriteLock w(tableMu_, writersWaiting_);
    auto it = flows_.find(match);
    if (it != flows_.end()) {
        if (mode == PutMode::Create)
            throw DatapathError(EEXIST, "userspace: flow exists: " + match.toString());
        // Poll threads read actions under the shared lock; we hold it exclusively.
        it->second->actions = actions;
        it->second->modifies = modifiesPacket(actions);
        return;
    }
    if (mode == PutMode::Modify)
        throw DatapathError(ENOENT, "userspace: no flow " + match.toString());
    if (flows_.size() >= opts_.maxFlows)
        throw DatapathError(EFBIG, "userspace: flow table full (" +
                                       std::to_string(opts_.maxFlows) + " flows)");
    auto e = std::make_unique<FlowEntry>();
    e->match = match;
    e->actions = actions;
    e->modifies = modifiesPacket(actions);
    e->created = monotonicMs();
    classifier_.insert(e.get());
    flows_.emplace(match, std::move(e));
}

std::optional<Flow> UserspaceDatapath::getFlow(const FlowMatch &match)
{
    std::shared_lock lk(tableMu_);
    auto it = flows_.find(match);
    if (it == flows_.end())
        return std::nullopt;
    return snapshot(*it->second);
}

void UserspaceDatapath::removeEntry(FlowEntry *e)
{
    classifier_.remove(e);
    // Exact-match caches may still point at e: a new generation invalidates them all.
    generation_.fetch_add(1);
}

FlowStats UserspaceDatapath::deleteFlow(const FlowMatch &match)
{
    WriteLock w(tableMu_, writersWaiting_);
    auto it = flows_.find(match);
    if (it == flows_.end())
        throw DatapathError(ENOENT, "userspace: no flow " + match.toString());
    FlowStats st = snapshot(*it->second).stats;
    removeEntry(it->second.get());
    flows_.erase(it);
    return st;
}

std::vector<Flow> UserspaceDatapath::dumpFlows()
{
    std::shared_lock lk(tableMu_);
    std::vector<Flow> out;
    out.reserve(flows_.size());
    for (auto &[m, e] : flows_)
        out.push_back(snapshot(*e));
    return out;
}

void UserspaceDatapath::flushFlows()
{
    WriteLock w(tableMu_, writersWaiting_);
    classifier_.clear();
    flows_.clear();
    generation_.fetch_add(1);
}

std::vector<Flow> UserspaceDatapath::expireIdleFlows(std::chrono::milliseconds idle)
{
    WriteLock w(tableMu_, writersWaiting_);
    uint64_t now = monotonicMs();
    std::vector<Flow> out;
    for (auto it = flows_.begin(); it != flows_.end();) {
        FlowEntry &e = *it->second;
        uint64_t last = std::max(e.lastUsed.load(), e.created);
        if (last < now && now - last >= uint64_t(idle.count())) { // a forwarding thread may stamp after our read
            out.push_back(snapshot(e));
            removeEntry(&e);
            it = flows_.erase(it);
        } else {
            ++it;
        }
    }
    classifier_.resort(); // a good moment to reorder masks by recent hits
    return out;
}

// ---- packets ----

void UserspaceDatapath::output(Thread *t, uint32_t portNo, const VnetHdr &vnet,
                               std::span<const uint8_t> frame, const SetTunnelAction *tunnel)
{
    std::shared_ptr<Port> keep;
    Port *p = nullptr;
    if (t) {
        auto it = t->ports->find(portNo);
        if (it != t->ports->end())
            p = it->second.get();
    } else {
        keep = port(portNo);
        p = keep.get();
    }
    if (!p)
        return; // output to a port that is gone: dropped, as in the kernel
    switch (p->type) {
    case PortType::Netdev:
        if (p->ring->send(vnet, frame)) {
            p->txPackets.fetch_add(1, std::memory_order_relaxed);
            p->txBytes.fetch_add(frame.size(), std::memory_order_relaxed);
            if (t) {
                if (std::find(t->dirty.begin(), t->dirty.end(), p) == t->dirty.end())
                    t->dirty.push_back(p);
            } else {
                p->ring->flush();
            }
        }
        return;
    case PortType::Internal: {
        iovec iov[2] = {{const_cast<VnetHdr *>(&vnet), sizeof vnet},
                        {const_cast<uint8_t *>(frame.data()), frame.size()}};
        std::lock_guard lk(p->ioMu);
        if (writev(p->tapFd, iov, 2) < 0) {
            p->txDropped.fetch_add(1, std::memory_order_relaxed);
        } else {
            p->txPackets.fetch_add(1, std::memory_order_relaxed);
            p->txBytes.fetch_add(frame.size(), std::memory_order_relaxed);
        }
        return;
    }
    case PortType::Vxlan: {
        if (!tunnel) { // output to a tunnel without a tunnel set: dropped, as in the kernel
            p->txDropped.fetch_add(1, std::memory_order_relaxed);
            return;
        }
        uint8_t hdr[kVxlanHdr] = {0x08, 0, 0, 0, 0, 0, 0, 0}; // I flag: the VNI is valid
        uint32_t vni = uint32_t(tunnel->tunnelId & 0xffffff);
        hdr[4] = uint8_t(vni >> 16);
        hdr[5] = uint8_t(vni >> 8);
        hdr[6] = uint8_t(vni);
        sockaddr_in dst{};
        dst.sin_family = AF_INET;
        dst.sin_port = htons(p->vxlanPort);
        dst.sin_addr.s_addr = htonl(tunnel->dst.value);
        auto sendOne = [&](std::span<const uint8_t> payload) {
            iovec iov[2] = {{hdr, kVxlanHdr},
                            {const_cast<uint8_t *>(payload.data()), payload.size()}};
            msghdr mh{};
            mh.msg_name = &dst;
            mh.msg_namelen = sizeof dst;
            mh.msg_iov = iov;
            mh.msg_iovlen = 2;
            if (sendmsg(p->udpFd, &mh, MSG_DONTWAIT) < 0) {
                p->txDropped.fetch_add(1, std::memory_order_relaxed);
            } else {
                p->txPackets.fetch_add(1, std::memory_order_relaxed);
                p->txBytes.fetch_add(payload.size(), std::memory_order_relaxed);
            }
        };
        if (vnet.gso_type != kVnetGsoNone) {
            // A UDP socket has no TSO: cut the segment here, as the NIC would have.
            if (!segmentTcp(frame, vnet, sendOne))
                p->txDropped.fetch_add(1, std::memory_order_relaxed);
            return;
        }
        if (vnet.flags & kVnetNeedsCsum) {
            // The checksum was left to the NIC: finish it before it leaves in a UDP payload.
            std::vector<uint8_t> fixed(frame.begin(), frame.end());
            finishChecksum(fixed, vnet);
            sendOne(fixed);
            return;
        }
        sendOne(frame);
        return;
    }
    }
}

void UserspaceDatapath::runActions(Thread *t, const FlowActions &actions,
                                   const VnetHdr &vnet, std::span<const uint8_t> frame,
                                   const FlowKey &key, bool modifies)
{
    const SetTunnelAction *tunnel = nullptr;
    auto upcallAction = [&](const UserspaceAction &u, std::span<const uint8_t> bytes,
                            const VnetHdr &vh) {
        Upcall up;
        up.kind = Upcall::Kind::Action;
        up.inPort = key.inPort;
        up.key = key;
        up.packet.assign(bytes.begin(), bytes.end());
        finishChecksum(up.packet, vh);
        up.cookie = u.cookie;
        upcalls_.push(std::move(up)); // not a miss: no tier counter moves
    };
    if (!modifies) { // the common case: outputs straight from the receive ring, no copy
        for (const FlowAction &a : actions) {
            if (auto *o = std::get_if<OutputAction>(&a))
                output(t, o->port, vnet, frame, nullptr);
            else if (auto *u = std::get_if<UserspaceAction>(&a))
                upcallAction(*u, frame, vnet);
        }
        return;
    }
    Frame local;
    Frame &f = t ? t->scratch : local;
    f.data.assign(frame.begin(), frame.end());
    f.vnet = vnet;
    for (const FlowAction &action : actions) {
        std::visit(
            [&](const auto &a) {
                using T = std::decay_t<decltype(a)>;
                if constexpr (std::is_same_v<T, OutputAction>)
                    output(t, a.port, f.vnet, f.data, tunnel);
                else if constexpr (std::is_same_v<T, UserspaceAction>)
                    upcallAction(a, f.data, f.vnet);
                else if constexpr (std::is_same_v<T, SetTunnelAction>)
                    tunnel = &a;
                else if constexpr (std::is_same_v<T, SetEthSrcAction>)
                    setEthSrc(f, a.mac);
                else if constexpr (std::is_same_v<T, SetEthDstAction>)
                    setEthDst(f, a.mac);
                else if constexpr (std::is_same_v<T, SetIpv4SrcAction>)
                    setIpv4Src(f, a.addr.value);
                else if constexpr (std::is_same_v<T, SetIpv4DstAction>)
                    setIpv4Dst(f, a.addr.value);
                else if constexpr (std::is_same_v<T, SetIpTosAction>)
                    setIpTos(f, a.tos);
                else if constexpr (std::is_same_v<T, SetIpTtlAction>)
                    setIpTtl(f, a.ttl);
                else if constexpr (std::is_same_v<T, SetTpSrcAction>)
                    setTpSrc(f, a.port);
                else if constexpr (std::is_same_v<T, SetTpDstAction>)
                    setTpDst(f, a.port);
                else if constexpr (std::is_same_v<T, PushVlanAction>)
                    pushVlan(f, a.tpid, uint16_t(a.tci & ~kVlanPresent));
                else if constexpr (std::is_same_v<T, PopVlanAction>)
                    popVlan(f);
            },
            action);
    }
}

void UserspaceDatapath::process(Thread &t, Port &in, const VnetHdr &vnet,
                                std::span<const uint8_t> frame, const FlowKey *tunnelMeta,
                                uint64_t now)
{
    in.rxPackets.fetch_add(1, std::memory_order_relaxed);
    in.rxBytes.fetch_add(frame.size(), std::memory_order_relaxed);
    FlowKey key;
    extractKey(frame.data(), frame.size(), in.number, key);
    if (tunnelMeta) {
        key.tunnelId = tunnelMeta->tunnelId;
        key.tunnelSrc = tunnelMeta->tunnelSrc;
        key.tunnelDst = tunnelMeta->tunnelDst;
        key.tunnelTos = tunnelMeta->tunnelTos;
        key.tunnelTtl = tunnelMeta->tunnelTtl;
        key.tunnelFlags = tunnelMeta->tunnelFlags;
    }
    size_t h = key.hash();
    auto &slot = t.emc[h & (t.emc.size() - 1)];
    uint64_t gen = generation_.load(std::memory_order_acquire);
    FlowEntry *flow = nullptr;
    if (slot.flow && slot.generation == gen && slot.key == key) {
        flow = slot.flow;
        exactHit_.fetch_add(1, std::memory_order_relaxed);
    } else if ((flow = static_cast<FlowEntry *>(classifier_.lookup(key)))) {
        megaflowHit_.fetch_add(1, std::memory_order_relaxed);
        slot.key = key;
        slot.flow = flow;
        slot.generation = gen;
    } else {
        Upcall u;
        u.kind = Upcall::Kind::Miss;
        u.inPort = in.number;
        u.key = key;
        u.packet.assign(frame.begin(), frame.end());
        finishChecksum(u.packet, vnet); // the agent gets a packet valid on its own
        // Count before the push: once queued, the agent may pop it and read the stats before
        // this thread runs again, and must see the upcall counted.
        upcall_.fetch_add(1, std::memory_order_relaxed);
        if (!upcalls_.push(std::move(u))) {
            upcall_.fetch_sub(1, std::memory_order_relaxed);
            lost_.fetch_add(1, std::memory_order_relaxed);
        }
        return;
    }
    flow->packets.fetch_add(1, std::memory_order_relaxed);
    flow->bytes.fetch_add(frame.size(), std::memory_order_relaxed);
    if (flow->lastUsed.load(std::memory_order_relaxed) != now)
        flow->lastUsed.store(now, std::memory_order_relaxed);
    if (key.tcpFlags & ~flow->tcpFlags.load(std::memory_order_relaxed))
        flow->tcpFlags.fetch_or(key.tcpFlags, std::memory_order_relaxed);
    runActions(&t, flow->actions, vnet, frame, key, flow->modifies);
}

void UserspaceDatapath::pollLoop(Thread *t)
{
    std::vector<pollfd> pfds;
    std::vector<Port *> mine;
    std::vector<uint8_t> buf(65536 + 256);
    while (!stop_) {
        uint64_t v = portsVersion_.load();
        if (v != t->portsVersion) {
            std::lock_guard lk(portsMu_);
            t->ports = portsSnapshot_;
            t->portsVersion = portsVersion_.load();
            mine.clear();
            for (auto &[n, p] : *t->ports)
                if (n % threads_.size() == t->index)
                    mine.push_back(p.get());
        }
        pfds.clear();
        pfds.push_back({t->wakeFd, POLLIN, 0});
        for (Port *p : mine)
            pfds.push_back({p->fd(), POLLIN, 0});
        int r = poll(pfds.data(), pfds.size(), 100);
        if (r < 0 && errno != EINTR)
            break;
        if (pfds[0].revents) {
            uint64_t x;
            [[maybe_unused]] auto rr = read(t->wakeFd, &x, sizeof x);
        }
        if (r <= 0)
            continue;
        // Keep receiving while any port has work, each port a bounded share per round.
        for (int round = 0; round < 64 && !stop_; ++round) {
            while (writersWaiting_.load(std::memory_order_relaxed) > 0)
                std::this_thread::yield();
            size_t work = 0;
            uint64_t now = monotonicMs();
            {
                std::shared_lock lk(tableMu_);
                for (Port *p : mine) {
                    if (p->ring) {
                        work += p->ring->receive(
                            [&](const VnetHdr &vh, std::span<const uint8_t> fr) {
                                process(*t, *p, vh, fr, nullptr, now);
                            });
                    } else if (p->tapFd >= 0) {
                        for (int i = 0; i < 64; ++i) {
                            ssize_t n = read(p->tapFd, buf.data(), buf.size());
                            if (n < ssize_t(sizeof(VnetHdr)))
                                break;
                            VnetHdr vh;
                            std::memcpy(&vh, buf.data(), sizeof vh);
                            process(*t, *p, vh,
                                    {buf.data() + sizeof vh, size_t(n) - sizeof vh}, nullptr, now);
                            ++work;
                        }
                    } else if (p->udpFd >= 0) {
                        for (int i = 0; i < 64; ++i) {
                            sockaddr_in from{};
                            char cbuf[256];
                            iovec iov{buf.data(), buf.size()};
                            msghdr mh{};
                            mh.msg_name = &from;
                            mh.msg_namelen = sizeof from;
                            mh.msg_iov = &iov;
                            mh.msg_iovlen = 1;
                            mh.msg_control = cbuf;
                            mh.msg_controllen = sizeof cbuf;
                            ssize_t n = recvmsg(p->udpFd, &mh, MSG_DONTWAIT);
                            if (n < 0)
                                break;
                            ++work;
                            if (size_t(n) < kVxlanHdr + 14 || !(buf[0] & 0x08))
                                continue; // not VXLAN with a VNI: dropped
                            FlowKey meta;
                            meta.tunnelId = uint64_t(buf[4]) << 16 | buf[5] << 8 | buf[6];
                            meta.tunnelSrc.value = ntohl(from.sin_addr.s_addr);
                            meta.tunnelFlags = kTunnelFlagKey;
                            for (cmsghdr *c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c)) {
                                if (c->cmsg_level != IPPROTO_IP)
                                    continue;
                                if (c->cmsg_type == IP_PKTINFO) {
                                    in_pktinfo pi;
                                    std::memcpy(&pi, CMSG_DATA(c), sizeof pi);
                                    meta.tunnelDst.value = ntohl(pi.ipi_addr.s_addr);
                                } else if (c->cmsg_type == IP_TTL) {
                                    int ttl;
                                    std::memcpy(&ttl, CMSG_DATA(c), sizeof ttl);
                                    meta.tunnelTtl = uint8_t(ttl);
                                } else if (c->cmsg_type == IP_TOS) {
                                    meta.tunnelTos = *CMSG_DATA(c);
                                }
                            }
                            VnetHdr none{};
                            process(*t, *p, none,
                                    {buf.data() + kVxlanHdr, size_t(n) - kVxlanHdr}, &meta, now);
                        }
                    }
                }
            }
            for (Port *p : t->dirty)
                p->ring->flush();
            t->dirty.clear();
            if (!work)
                break;
        }
    }
}

void UserspaceDatapath::execute(std::span<const uint8_t> packet, const FlowKey &key,
                                const FlowActions &actions)
{
    VnetHdr none{};
    runActions(nullptr, actions, none, packet, key, modifiesPacket(actions));
}

size_t UserspaceDatapath::pollUpcalls(std::vector<Upcall> &out, size_t max,
                                      std::chrono::milliseconds timeout)
{
    return upcalls_.pop(out, max, timeout);
}

uint32_t UserspaceDatapath::upcallPid(uint32_t port)
{
    if (!this->port(port))
        throw DatapathError(ENOENT, "userspace: no port " + std::to_string(port));
    return port + 1; // any non-zero value: userspace actions always come back to this object
}

DatapathStats UserspaceDatapath::stats()
{
    DatapathStats s;
    s.exactHit = exactHit_.load();
    s.megaflowHit = megaflowHit_.load();
    s.upcall = upcall_.load();
    s.lost = lost_.load();
    std::shared_lock lk(tableMu_);
    s.flows = flows_.size();
    s.masks = classifier_.subtableCount();
    return s;
}

} // namespace midonet::dp::userspace
