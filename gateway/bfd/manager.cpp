#include "gateway/bfd/manager.h"

#include <boost/asio/ip/udp.hpp>
#include <boost/asio/ip/v6_only.hpp>
#include <boost/asio/steady_timer.hpp>
#include <netinet/in.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <map>
#include <random>

namespace midonet::gateway::bfd {

namespace asio = boost::asio;
using udp = asio::ip::udp;
using IpAddress = asio::ip::address;
using Clock = std::chrono::steady_clock;

namespace {

class ManagerCategory : public std::error_category {
public:
    const char *name() const noexcept override { return "bfd-manager"; }
    std::string message(int e) const override
    {
        switch (ManagerError(e)) {
        case ManagerError::ListenFailed: return "cannot listen on the BFD control port";
        case ManagerError::SourcePortsExhausted: return "no free BFD source port in 49152..65535";
        case ManagerError::SocketFailed: return "BFD socket setup failed";
        case ManagerError::DuplicatePeer: return "a BFD session for that peer exists";
        case ManagerError::UnknownPeer: return "no BFD session for that peer";
        case ManagerError::NotStarted: return "BFD manager not started";
        case ManagerError::NoListener: return "the BFD manager does not listen for that hop mode (single hop / multi-hop)";
        }
        return "unknown BFD manager error";
    }
};

IpAddress normalise(const IpAddress &a)
{
    if (a.is_v6() && a.to_v6().is_v4_mapped())
        return asio::ip::make_address_v4(asio::ip::v4_mapped, a.to_v6());
    return a;
}

constexpr int kTtl = 255;
constexpr std::chrono::seconds kMaxLeaving{5};

} // namespace

const std::error_category &managerCategory()
{
    static ManagerCategory c;
    return c;
}

struct Manager::Impl : std::enable_shared_from_this<Impl> {
    struct Entry {
        IpAddress peer;
        Session session;
        udp::socket sock;
        asio::steady_timer timer;
        uint16_t sourcePort = 0;
        uint64_t in = 0, out = 0, sendErrors = 0;
        uint32_t ups = 0;
        int lastTtl = -1;
        Clock::time_point lastChange = Clock::now();
        std::optional<Clock::time_point> leaveAt; // set once removed: AdminDown until then
        Entry(asio::io_context &io, IpAddress p, uint32_t discr, const SessionConfig &c)
            : peer(p), session(discr, c), sock(io), timer(io)
        {
        }
    };

    asio::io_context &io;
    Callback callback;
    Options options;
    std::unique_ptr<udp::socket> rx4, rx6;   // single hop (RFC 5881)
    std::unique_ptr<udp::socket> mrx4, mrx6; // multi-hop (RFC 5883)
    std::map<IpAddress, std::shared_ptr<Entry>> byPeer;
    std::map<uint32_t, std::shared_ptr<Entry>> byDiscr; // live and leaving sessions
    std::array<uint64_t, 16> drops{};
    std::mt19937_64 rng{std::random_device{}()};
    bool started = false;

    Impl(asio::io_context &i, Callback cb, Options o) : io(i), callback(std::move(cb)), options(o) {}

    double random01() { return std::uniform_real_distribution<double>(0.0, 1.0)(rng); }
    void drop(PacketError e) { ++drops[size_t(e) % drops.size()]; }

    std::error_code openListener(std::unique_ptr<udp::socket> &s, const udp::endpoint &ep, bool multihop)
    {
        s = std::make_unique<udp::socket>(io);
        boost::system::error_code ec;
        s->open(ep.protocol(), ec);
        if (ec) return ec;
        int one = 1;
        if (ep.address().is_v6()) {
            s->set_option(asio::ip::v6_only(true), ec);
            setsockopt(s->native_handle(), IPPROTO_IPV6, IPV6_RECVHOPLIMIT, &one, sizeof one);
            // Multi-hop sessions are told apart by the (source, destination) pair.
            if (multihop) setsockopt(s->native_handle(), IPPROTO_IPV6, IPV6_RECVPKTINFO, &one, sizeof one);
        } else {
            setsockopt(s->native_handle(), IPPROTO_IP, IP_RECVTTL, &one, sizeof one);
            if (multihop) setsockopt(s->native_handle(), IPPROTO_IP, IP_PKTINFO, &one, sizeof one);
        }
        s->bind(ep, ec);
        if (ec) return ec;
        s->non_blocking(true, ec);
        readLoop(s.get(), multihop);
        return {};
    }

    void readLoop(udp::socket *s, bool multihop)
    {
        s->async_wait(udp::socket::wait_read, [w = weak_from_this(), s, multihop](boost::system::error_code ec) {
            auto self = w.lock();
            if (!self || ec) return;
            self->drain(*s, multihop);
            if (s->is_open()) self->readLoop(s, multihop);
        });
    }

    void drain(udp::socket &s, bool multihop)
    {
        for (int i = 0; i < 256 && s.is_open(); ++i) {
            std::array<uint8_t, 512> buf;
            sockaddr_storage from{};
            alignas(cmsghdr) std::array<char, 256> ctrl;
            iovec iov{buf.data(), buf.size()};
            msghdr mh{};
            mh.msg_name = &from;
            mh.msg_namelen = sizeof from;
            mh.msg_iov = &iov;
            mh.msg_iovlen = 1;
            mh.msg_control = ctrl.data();
            mh.msg_controllen = ctrl.size();
            ssize_t n = recvmsg(s.native_handle(), &mh, MSG_DONTWAIT);
            if (n < 0) return;
            int ttl = -1;
            IpAddress dst; // unspecified unless the listener asked for it (multi-hop)
            for (cmsghdr *c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c)) {
                if ((c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_TTL) ||
                    (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_HOPLIMIT)) {
                    std::memcpy(&ttl, CMSG_DATA(c), sizeof ttl);
                } else if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO) {
                    in_pktinfo pi;
                    std::memcpy(&pi, CMSG_DATA(c), sizeof pi);
                    dst = asio::ip::address_v4(ntohl(pi.ipi_addr.s_addr));
                } else if (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_PKTINFO) {
                    in6_pktinfo pi;
                    std::memcpy(&pi, CMSG_DATA(c), sizeof pi);
                    asio::ip::address_v6::bytes_type b;
                    std::memcpy(b.data(), &pi.ipi6_addr, 16);
                    dst = normalise(asio::ip::address_v6(b));
                }
            }
            IpAddress src;
            if (from.ss_family == AF_INET) {
                auto *sa = reinterpret_cast<sockaddr_in *>(&from);
                src = asio::ip::address_v4(ntohl(sa->sin_addr.s_addr));
            } else if (from.ss_family == AF_INET6) {
                auto *sa = reinterpret_cast<sockaddr_in6 *>(&from);
                asio::ip::address_v6::bytes_type b;
                std::memcpy(b.data(), &sa->sin6_addr, 16);
                src = normalise(asio::ip::address_v6(b, sa->sin6_scope_id));
            } else {
                continue;
            }
            received(src, dst, ttl, multihop, std::span<const uint8_t>(buf.data(), size_t(n)));
        }
    }

    // Whether `e` is the session of a packet from `src` to `dst` that came in on the listener
    // of hop mode `multihop` (RFC 5881 §3 / RFC 5883 §3).
    static bool owns(const Entry &e, const IpAddress &src, const IpAddress &dst, bool multihop)
    {
        const auto &c = e.session.config();
        if (c.multihop != multihop || e.peer != src) return false;
        if (!multihop || c.localAddress.is_unspecified() || dst.is_unspecified()) return true;
        return normalise(c.localAddress) == dst;
    }

    void received(const IpAddress &src, const IpAddress &dst, int ttl, bool multihop, std::span<const uint8_t> bytes)
    {
        // RFC 5881 §5 (no authentication): single hop means nobody decremented it.
        if (!multihop && ttl != kTtl) return drop(PacketError::BadTtl);
        ControlPacket p;
        if (auto ec = decode(bytes, p)) return drop(PacketError(ec.value()));
        if (p.auth) return drop(PacketError::AuthenticationNotInUse);
        std::shared_ptr<Entry> e;
        if (p.yourDiscriminator != 0) {
            auto it = byDiscr.find(p.yourDiscriminator);
            if (it == byDiscr.end() || !owns(*it->second, src, dst, multihop) || it->second->leaveAt)
                return drop(PacketError::UnknownDiscriminator);
            e = it->second;
        } else {
            auto it = byPeer.find(src);
            if (it == byPeer.end() || !owns(*it->second, src, dst, multihop)) return drop(PacketError::NoSession);
            e = it->second;
        }
        // RFC 5883 §5: how many hops a multi-hop peer may be away is the session's choice.
        if (multihop && ttl < int(e->session.config().minReceivedTtl)) return drop(PacketError::BadTtl);
        e->lastTtl = ttl;
        ++e->in;
        auto now = Clock::now();
        auto o = e->session.receive(p, now);
        apply(e, o, now);
        rearm(e);
    }

    void send(Entry &e)
    {
        std::vector<uint8_t> bytes;
        encode(e.session.nextPacket(), bytes);
        boost::system::error_code ec;
        e.sock.send_to(asio::buffer(bytes), udp::endpoint(e.peer, destinationPort(e.session.config())), 0, ec);
        if (ec) ++e.sendErrors;
        else ++e.out;
    }

    void apply(const std::shared_ptr<Entry> &e, const Session::Output &o, Clock::time_point now)
    {
        if (o.sendNow) {
            send(*e);
            if (o.changed()) e->session.scheduleTx(now, random01());
        }
        if (!o.changed()) return;
        e->lastChange = now;
        if (o.to == State::Up) ++e->ups;
        spdlog::info("bfd peer {}: {} -> {} ({}; peer says {})", e->peer.to_string(), toString(o.from),
                     toString(o.to), toString(o.diag), toString(o.remoteState));
        if (e->leaveAt || !callback) return;
        auto it = byPeer.find(e->peer);
        if (it == byPeer.end() || it->second != e) return;
        callback(StateChange{e->peer, o.from, o.to, o.diag, o.remoteState});
    }

    void onTimer(const std::shared_ptr<Entry> &e)
    {
        auto now = Clock::now();
        if (e->leaveAt && now >= *e->leaveAt) return close(e);
        if (auto o = e->session.checkDetection(now)) apply(e, *o, now);
        if (e->session.txDue(now)) {
            send(*e);
            e->session.scheduleTx(now, random01());
        }
        rearm(e);
    }

    void rearm(const std::shared_ptr<Entry> &e)
    {
        auto d = e->session.nextDeadline();
        if (e->leaveAt) d = d ? std::min(*d, *e->leaveAt) : *e->leaveAt;
        if (!d) {
            e->timer.cancel();
            return;
        }
        e->timer.expires_at(*d);
        e->timer.async_wait([w = weak_from_this(), e](boost::system::error_code ec) {
            auto self = w.lock();
            if (!self || ec) return;
            self->onTimer(e);
        });
    }

    void close(const std::shared_ptr<Entry> &e)
    {
        e->timer.cancel();
        boost::system::error_code ec;
        e->sock.close(ec);
        auto d = byDiscr.find(e->session.localDiscriminator());
        if (d != byDiscr.end() && d->second == e) byDiscr.erase(d);
        auto p = byPeer.find(e->peer);
        if (p != byPeer.end() && p->second == e) byPeer.erase(p);
    }

    uint32_t newDiscriminator()
    {
        for (;;) {
            auto d = uint32_t(rng());
            if (d != 0 && !byDiscr.count(d)) return d;
        }
    }

    // RFC 5881 §4: a source port in 49152..65535, tried from a random point on.
    std::error_code openSessionSocket(Entry &e)
    {
        const auto &cfg = e.session.config();
        bool v6 = e.peer.is_v6();
        boost::system::error_code ec;
        e.sock.open(v6 ? udp::v6() : udp::v4(), ec);
        if (ec) return ManagerError::SocketFailed;
        int ttl = kTtl;
        int rc = v6 ? setsockopt(e.sock.native_handle(), IPPROTO_IPV6, IPV6_UNICAST_HOPS, &ttl, sizeof ttl)
                    : setsockopt(e.sock.native_handle(), IPPROTO_IP, IP_TTL, &ttl, sizeof ttl);
        if (rc != 0) return ManagerError::SocketFailed;
        e.sock.non_blocking(true, ec);
        IpAddress local = cfg.localAddress.is_unspecified() || cfg.localAddress.is_v6() != v6
                              ? (v6 ? IpAddress(asio::ip::address_v6::any()) : IpAddress(asio::ip::address_v4::any()))
                              : cfg.localAddress;
        constexpr uint32_t kRange = kSourcePortMax - kSourcePortMin + 1;
        uint32_t start = uint32_t(rng() % kRange);
        for (uint32_t i = 0; i < kRange; ++i) {
            auto port = uint16_t(kSourcePortMin + (start + i) % kRange);
            e.sock.bind(udp::endpoint(local, port), ec);
            if (!ec) {
                e.sourcePort = port;
                return {};
            }
            if (ec != asio::error::address_in_use) return ec;
        }
        return ManagerError::SourcePortsExhausted;
    }

    std::error_code add(const IpAddress &peerIn, const SessionConfig &cfg)
    {
        if (!started) return ManagerError::NotStarted;
        auto peer = normalise(peerIn);
        if (byPeer.count(peer)) return ManagerError::DuplicatePeer;
        if (!(cfg.multihop ? (peer.is_v6() ? mrx6 : mrx4) : (peer.is_v6() ? rx6 : rx4)))
            return ManagerError::NoListener;
        auto e = std::make_shared<Entry>(io, peer, newDiscriminator(), cfg);
        if (auto ec = openSessionSocket(*e)) return ec;
        byPeer[peer] = e;
        byDiscr[e->session.localDiscriminator()] = e;
        auto now = Clock::now();
        send(*e);
        e->session.scheduleTx(now, random01());
        rearm(e);
        spdlog::info("bfd peer {}: {} session started (discriminator {}, source port {}, tx {} us, rx {} us, x{})",
                     peer.to_string(), cfg.multihop ? "multi-hop" : "single-hop", e->session.localDiscriminator(),
                     e->sourcePort, cfg.desiredMinTx.count(), cfg.requiredMinRx.count(), int(cfg.detectMult));
        return {};
    }

    void remove(const IpAddress &peerIn)
    {
        auto it = byPeer.find(normalise(peerIn));
        if (it == byPeer.end()) return;
        auto e = it->second;
        byPeer.erase(it);
        auto now = Clock::now();
        e->leaveAt = now + std::min<Clock::duration>(std::max<Clock::duration>(e->session.detectionTime(),
                                                                               std::chrono::milliseconds(1)),
                                                     kMaxLeaving);
        auto o = e->session.adminDown(now);
        apply(e, o, now);
        rearm(e);
    }
};

Manager::Manager(asio::io_context &io, Callback callback, Options options)
    : impl_(std::make_shared<Impl>(io, std::move(callback), options))
{
}

Manager::~Manager() { stop(); }

std::error_code Manager::start()
{
    auto &m = *impl_;
    if (m.started) return {};
    struct Kind {
        bool wanted;
        uint16_t port;
        std::unique_ptr<udp::socket> &v4, &v6;
        bool multihop;
    };
    for (Kind k : {Kind{m.options.singleHop, m.options.listenPort, m.rx4, m.rx6, false},
                   Kind{m.options.multihop, m.options.multihopListenPort, m.mrx4, m.mrx6, true}}) {
        if (!k.wanted) continue;
        if (auto ec = m.openListener(k.v4, udp::endpoint(m.options.listenV4, k.port), k.multihop)) {
            spdlog::error("bfd: cannot listen on {}:{} ({}): {}", m.options.listenV4.to_string(), k.port,
                          k.multihop ? "multi-hop" : "single hop", ec.message());
            boost::system::error_code ignored;
            for (auto *s : {&m.rx4, &m.rx6, &m.mrx4, &m.mrx6})
                if (*s) (*s)->close(ignored), s->reset();
            return ManagerError::ListenFailed;
        }
        if (m.options.ipv6) {
            uint16_t port = k.port ? k.port : k.v4->local_endpoint().port();
            if (auto ec = m.openListener(k.v6, udp::endpoint(m.options.listenV6, port), k.multihop)) {
                spdlog::warn("bfd: no IPv6 listener on port {}: {}", port, ec.message());
                k.v6.reset();
            }
        }
    }
    m.started = true;
    return {};
}

void Manager::stop()
{
    auto &m = *impl_;
    if (!m.started) return;
    m.started = false;
    auto now = Clock::now();
    auto all = m.byDiscr;
    m.callback = nullptr; // no callbacks after stop()
    for (auto &[d, e] : all) {
        if (!e->leaveAt) {
            e->session.adminDown(now);
            m.send(*e);
        }
        m.close(e);
    }
    m.byPeer.clear();
    m.byDiscr.clear();
    boost::system::error_code ec;
    for (auto *s : {&m.rx4, &m.rx6, &m.mrx4, &m.mrx6}) {
        if (*s) (*s)->close(ec);
        s->reset();
    }
}

uint16_t Manager::listenPort() const
{
    boost::system::error_code ec;
    return impl_->rx4 ? impl_->rx4->local_endpoint(ec).port() : 0;
}

uint16_t Manager::multihopListenPort() const
{
    boost::system::error_code ec;
    return impl_->mrx4 ? impl_->mrx4->local_endpoint(ec).port() : 0;
}

std::error_code Manager::add(const IpAddress &peer, const SessionConfig &config)
{
    if (auto ec = validate(config)) return ec;
    return impl_->add(peer, config);
}

void Manager::remove(const IpAddress &peer) { impl_->remove(peer); }

std::error_code Manager::reconfigure(const IpAddress &peerIn, const SessionConfig &config)
{
    if (auto ec = validate(config)) return ec;
    auto peer = normalise(peerIn);
    auto it = impl_->byPeer.find(peer);
    if (it == impl_->byPeer.end()) return ManagerError::UnknownPeer;
    auto &old = it->second->session.config();
    if (old.localAddress != config.localAddress || old.remotePort != config.remotePort ||
        old.multihop != config.multihop) {
        impl_->remove(peer);
        return impl_->add(peer, config);
    }
    auto now = Clock::now();
    it->second->session.reconfigure(config, now);
    impl_->rearm(it->second);
    return {};
}

std::error_code Manager::setAdminDown(const IpAddress &peerIn, bool down)
{
    auto it = impl_->byPeer.find(normalise(peerIn));
    if (it == impl_->byPeer.end()) return ManagerError::UnknownPeer;
    auto e = it->second;
    auto now = Clock::now();
    auto o = down ? e->session.adminDown(now) : e->session.adminUp(now);
    impl_->apply(e, o, now);
    impl_->rearm(e);
    return {};
}

std::optional<SessionStatus> Manager::status(const IpAddress &peer) const
{
    auto it = impl_->byPeer.find(normalise(peer));
    if (it == impl_->byPeer.end()) return std::nullopt;
    const auto &e = *it->second;
    const auto &s = e.session;
    SessionStatus st;
    st.peer = e.peer;
    boost::system::error_code ec;
    auto lep = e.sock.local_endpoint(ec);
    if (!ec) st.local = lep.address();
    st.sourcePort = e.sourcePort;
    st.multihop = s.config().multihop;
    st.lastReceivedTtl = e.lastTtl;
    st.state = s.state();
    st.remoteState = s.remoteState();
    st.diag = s.diag();
    st.localDiscriminator = s.localDiscriminator();
    st.remoteDiscriminator = s.remoteDiscriminator();
    st.txInterval = s.txInterval().value_or(std::chrono::microseconds(0));
    st.detectionTime = s.detectionTime();
    st.packetsIn = e.in;
    st.packetsOut = e.out;
    st.sendErrors = e.sendErrors;
    st.upTransitions = e.ups;
    st.lastChange = e.lastChange;
    return st;
}

std::vector<SessionStatus> Manager::sessions() const
{
    std::vector<SessionStatus> v;
    for (auto &[a, e] : impl_->byPeer) v.push_back(*status(a));
    return v;
}

uint64_t Manager::dropped(PacketError reason) const { return impl_->drops[size_t(reason) % impl_->drops.size()]; }

} // namespace midonet::gateway::bfd
