#include "gateway/bgp/speaker.h"

#include "gateway/bfd/manager.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ip/v6_only.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstring>
#include <future>
#include <map>
#include <thread>
#include <unordered_map>

namespace midonet::gateway::bgp {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;
using IpAddress = asio::ip::address;

namespace {

class SpeakerCategory : public std::error_category {
public:
    const char *name() const noexcept override { return "bgp-speaker"; }
    std::string message(int e) const override
    {
        switch (SpeakerError(e)) {
        case SpeakerError::AlreadyRunning: return "speaker already running";
        case SpeakerError::ListenFailed: return "cannot listen on the configured address and port";
        case SpeakerError::Md5Failed: return "cannot set the TCP MD5 password (TCP_MD5SIG)";
        case SpeakerError::UnknownPeer: return "no such peer";
        case SpeakerError::InvalidConfig: return "invalid configuration";
        case SpeakerError::NotRunning: return "speaker not running";
        }
        return "unknown speaker error";
    }
};

IpAddress normalise(const IpAddress &a)
{
    if (a.is_v6() && a.to_v6().is_v4_mapped())
        return asio::ip::make_address_v4(asio::ip::v4_mapped, a.to_v6());
    return a;
}

// RFC 2385 through Linux: the key is per (socket, peer address). A v4 peer on an AF_INET6
// socket is keyed by its v4-mapped form, which is what the kernel compares against.
std::error_code setMd5(int fd, bool socketIsV6, const IpAddress &peer, const std::string &key)
{
    tcp_md5sig sig{};
    if (peer.is_v4() && !socketIsV6) {
        auto *sin = reinterpret_cast<sockaddr_in *>(&sig.tcpm_addr);
        sin->sin_family = AF_INET;
        auto b = peer.to_v4().to_bytes();
        std::memcpy(&sin->sin_addr, b.data(), 4);
    } else {
        auto *sin6 = reinterpret_cast<sockaddr_in6 *>(&sig.tcpm_addr);
        sin6->sin6_family = AF_INET6;
        auto v6 = peer.is_v4() ? asio::ip::make_address_v6(asio::ip::v4_mapped, peer.to_v4()) : peer.to_v6();
        auto b = v6.to_bytes();
        std::memcpy(&sin6->sin6_addr, b.data(), 16);
    }
    sig.tcpm_keylen = uint16_t(std::min<size_t>(key.size(), TCP_MD5SIG_MAXKEYLEN));
    std::memcpy(sig.tcpm_key, key.data(), sig.tcpm_keylen);
    if (setsockopt(fd, IPPROTO_TCP, TCP_MD5SIG, &sig, sizeof sig) != 0) return SpeakerError::Md5Failed;
    return {};
}

IpAddress addressFromBytes(const std::vector<uint8_t> &nh)
{
    if (nh.size() == 4) return asio::ip::address_v4({nh[0], nh[1], nh[2], nh[3]});
    if (nh.size() >= 16) {
        asio::ip::address_v6::bytes_type b;
        std::copy(nh.begin(), nh.begin() + 16, b.begin());
        auto global = asio::ip::address_v6(b);
        // 32 octets = global + link-local (RFC 2545 §3); a "global" that is itself link-local
        // (FRR on unnumbered links) is still the best we have.
        return global;
    }
    return {};
}

// Decision process, RFC 4271 §9.1.2.2 in the order listed in speaker.h.
bool better(const RouteInfo &a, const RouteInfo &b)
{
    uint32_t lpA = a.attributes.localPref.value_or(100), lpB = b.attributes.localPref.value_or(100);
    if (lpA != lpB) return lpA > lpB;
    static const AsPath empty;
    const AsPath &pa = a.attributes.asPath ? *a.attributes.asPath : empty;
    const AsPath &pb = b.attributes.asPath ? *b.attributes.asPath : empty;
    unsigned la = asPathLength(pa), lb = asPathLength(pb);
    if (la != lb) return la < lb;
    uint8_t oa = a.attributes.origin.value_or(2), ob = b.attributes.origin.value_or(2);
    if (oa != ob) return oa < ob;
    auto firstAs = [](const AsPath &p) -> uint32_t {
        return !p.empty() && p.front().type == attr::AsSequence ? p.front().asns.front() : 0;
    };
    if (firstAs(pa) == firstAs(pb)) {
        uint32_t ma = a.attributes.med.value_or(0), mb = b.attributes.med.value_or(0);
        if (ma != mb) return ma < mb;
    }
    if (a.ebgp != b.ebgp) return a.ebgp;
    if (a.peerBgpId != b.peerBgpId) return a.peerBgpId < b.peerBgpId;
    return a.peer < b.peer;
}

// One RIB-in slot: the path (owned by the peer's `paths` table, one per UPDATE) with two flags
// in the pointer's low bits: stale (graceful restart) and best (this path is the loc-RIB's for
// the prefix). Eight bytes, and no separate loc-RIB map: the loc-RIB is the set of entries
// marked best, which halves the memory of 100,000 routes (bench_bgp's RSS figures).
class RibEntry {
public:
    RibEntry(const RouteInfo *info, bool best) : bits_(reinterpret_cast<uintptr_t>(info) | (best ? 2 : 0)) {}
    const RouteInfo *info() const { return reinterpret_cast<const RouteInfo *>(bits_ & ~uintptr_t(3)); }
    bool stale() const { return bits_ & 1; }
    bool best() const { return bits_ & 2; }
    void setStale() { bits_ |= 1; }
    void setBest(bool b) { bits_ = b ? (bits_ | 2) : (bits_ & ~uintptr_t(2)); }

private:
    uintptr_t bits_;
};
static_assert(alignof(RouteInfo) >= 4);
using Rib = std::unordered_map<Prefix, RibEntry, PrefixHash>;

} // namespace

const std::error_category &speakerCategory()
{
    static SpeakerCategory c;
    return c;
}

// --------------------------------------------------------------------------------------------
struct Speaker::Impl {
    struct Peer;

    SpeakerConfig config;
    SpeakerObserver *observer;
    asio::io_context io;
    std::thread thread;
    std::unique_ptr<tcp::acceptor> acceptor;
    bool acceptorV6 = false;
    std::map<IpAddress, std::shared_ptr<Peer>> peers;
    std::vector<Prefix> networks; // sorted, unique
    size_t locRibCount = 0; // RIB-in entries marked best, i.e. prefixes with a best path
    std::vector<RouteChange> pendingChanges;
    bool stopping = false;
    std::unique_ptr<bfd::Manager> bfd; // made on the first peer with BFD; lives on our thread

    Impl(SpeakerConfig c, SpeakerObserver *o) : config(std::move(c)), observer(o)
    {
        networks = config.networks;
        std::sort(networks.begin(), networks.end());
        networks.erase(std::unique(networks.begin(), networks.end()), networks.end());
    }

    template <class F> auto call(F f) const
    {
        auto &self = const_cast<Impl &>(*this);
        if (self.io.get_executor().running_in_this_thread() || !self.thread.joinable()) return f();
        std::packaged_task<decltype(f())()> task(std::move(f));
        auto fut = task.get_future();
        asio::post(self.io, [&task] { task(); });
        return fut.get();
    }

    // --- RIB -----------------------------------------------------------------------------
    // Re-runs the decision for `p` after `changed`'s RIB-in entry changed (null: a removed
    // peer); `removedBest`: the entry removed was the best one.
    void recompute(const Prefix &p, const Peer *changed, bool removedBest = false);
    // The best entry for `p` and its peer, if any.
    std::pair<Peer *, const RibEntry *> best(const Prefix &p) const;
    void flushChanges()
    {
        if (pendingChanges.empty()) return;
        if (observer) observer->routesChanged(pendingChanges);
        pendingChanges.clear();
    }

    void listen(std::error_code &ec);
    void accept();
    bfd::Manager *bfdManager(std::error_code &ec);
    void bfdChanged(const bfd::StateChange &c);
    void addPeer(const PeerConfig &pc);
    void removePeer(const IpAddress &a);
    void announce(std::vector<Prefix> add);
    void withdrawNetworks(std::vector<Prefix> del);
    PeerStatus status(const Peer &p) const;
};

struct Speaker::Impl::Peer : std::enable_shared_from_this<Peer> {
    Impl &sp;
    PeerConfig cfg;
    Session session;
    asio::steady_timer timer;
    std::optional<Clock::time_point> armedAt;
    asio::steady_timer grTimer; // restart time, then stale-routes time (RFC 4724 §4.2)
    asio::steady_timer probeTimer; // a second connection while Established (see incoming())
    std::unique_ptr<tcp::socket> sock;
    bool sockIncoming = false;
    std::unique_ptr<tcp::socket> dialing;
    std::unique_ptr<tcp::socket> pending; // incoming during OpenSent (collision, §6.8)
    uint64_t generation = 0;
    std::vector<uint8_t> rbuf;
    size_t rlen = 0;
    std::vector<uint8_t> wbuf, wflight;
    bool writing = false;
    bool adminDown = false;

    // Negotiated with the current session.
    OpenMessage remoteOpen;
    bool fourOctet = false, v4 = false, v6 = false, rr = false;
    IpAddress localAddr;
    Clock::time_point establishedAt{};
    bool notificationReceived = false; // why the session went down (GR decision)
    Notification lastNotificationIn;
    bool grStaleHeld = false;           // stale routes kept from an earlier session
    bool bfdFailed = false;             // BFD ended this session: no graceful restart

    Rib ribIn;
    // Paths referenced by ribIn, with how many prefixes use each.
    struct Held {
        std::shared_ptr<const RouteInfo> info;
        size_t refs = 0;
    };
    std::unordered_map<const RouteInfo *, Held> paths;

    void ribPut(const Prefix &p, const std::shared_ptr<const RouteInfo> &info)
    {
        auto [it, inserted] = ribIn.try_emplace(p, info.get(), false);
        if (!inserted) {
            release(it->second.info());
            it->second = RibEntry(info.get(), it->second.best()); // replaced, no longer stale
        }
        auto &h = paths[info.get()];
        if (!h.info) h.info = info;
        ++h.refs;
    }
    // Returns whether the prefix was there, and in *wasBest whether it was the best path.
    bool ribErase(const Prefix &p, bool *wasBest)
    {
        auto it = ribIn.find(p);
        if (it == ribIn.end()) return false;
        *wasBest = it->second.best();
        release(it->second.info());
        ribIn.erase(it);
        return true;
    }
    Rib::iterator ribErase(Rib::iterator it)
    {
        release(it->second.info());
        return ribIn.erase(it);
    }
    void release(const RouteInfo *info)
    {
        auto it = paths.find(info);
        if (it != paths.end() && --it->second.refs == 0) paths.erase(it);
    }
    std::shared_ptr<const RouteInfo> shared(const RouteInfo *info) const
    {
        auto it = paths.find(info);
        return it == paths.end() ? nullptr : it->second.info;
    }
    PeerStatus counters;
    std::error_code lastError;
    std::string lastErrorDetail;
    uint64_t advertised = 0;

    Peer(Impl &s, PeerConfig c)
        : sp(s), cfg(std::move(c)), session(cfg.connectRetry, cfg.holdTime), timer(s.io), grTimer(s.io),
          probeTimer(s.io)
    {
    }
    bool ebgp() const { return cfg.remoteAs != sp.config.localAs; }

    void setError(std::error_code e, std::string detail)
    {
        lastError = e;
        lastErrorDetail = std::move(detail);
        spdlog::info("bgp peer {}: {}: {}", cfg.address.to_string(), e.message(), lastErrorDetail);
    }

    // --- FSM plumbing ---------------------------------------------------------------------
    void fire(Event e, const Notification &n = {})
    {
        auto self = shared_from_this();
        auto out = session.handle(e, Clock::now(), n);
        spdlog::debug("bgp peer {}: {} --{}--> {}", cfg.address.to_string(), toString(out.from),
                      toString(e), toString(out.to));
        using namespace action;
        if (out.actions & SendNotification) {
            setError(SessionError::NotificationSent, out.notification.describe());
            sendNotificationAndClose(out.notification);
        }
        if (out.actions & Disconnect) closeConnection();
        if (out.actions & SessionDown) sessionDown();
        if (out.actions & Connect) dial();
        if (out.actions & SendOpen) sendOpen();
        if (out.actions & SendKeepalive) {
            std::vector<uint8_t> m;
            encodeKeepalive(m);
            send(m);
        }
        if (out.actions & SessionUp) sessionUp();
        if (out.from != out.to && sp.observer) sp.observer->peerStateChanged(sp.status(*this));
        rearm();
        // An incoming connection held during OpenSent is adopted once ours has failed.
        if (pending && !sock && (session.state() == State::Active || session.state() == State::Idle ||
                                 session.state() == State::Connect)) {
            auto s = std::move(pending);
            adopt(std::move(s), true);
        }
    }

    void rearm()
    {
        auto d = session.nextDeadline();
        if (!d) {
            if (armedAt) timer.cancel();
            armedAt.reset();
            return;
        }
        if (armedAt && *armedAt <= *d) return; // fires early, finds nothing, re-arms
        armedAt = *d;
        timer.expires_at(*d);
        std::weak_ptr<Peer> w = shared_from_this();
        timer.async_wait([w](std::error_code ec) {
            auto p = w.lock();
            if (!p || ec) return;
            p->armedAt.reset();
            while (auto ev = p->session.takeExpiredTimer(Clock::now())) {
                if (*ev == Event::HoldTimerExpires) p->setError(SessionError::HoldTimerExpired, "");
                p->fire(*ev);
            }
            p->rearm();
        });
    }

    // --- BFD (RFC 5882) ----------------------------------------------------------------------
    void startBfd()
    {
        if (!cfg.bfd) return;
        std::error_code ec;
        auto *m = sp.bfdManager(ec);
        auto c = *cfg.bfd;
        if (c.localAddress.is_unspecified()) c.localAddress = cfg.localAddress;
        if (m) ec = m->add(cfg.address, c);
        if (ec) setError(ec, "starting BFD; the hold timer alone detects failures");
    }

    // The forwarding path to the peer failed: end the session now rather than at the hold timer.
    void bfdDown(const bfd::StateChange &c)
    {
        ++counters.bfdDownEvents;
        State st = session.state();
        if (st == State::Idle || st == State::Connect || st == State::Active) return;
        setError(c.diag, "BFD session down");
        bfdFailed = true;
        closeConnection();
        fire(Event::TcpConnectionFails);
    }

    // --- connections ----------------------------------------------------------------------
    void dial()
    {
        if (cfg.passive || adminDown) return;
        dialing.reset();
        auto s = std::make_unique<tcp::socket>(sp.io);
        boost::system::error_code bec;
        s->open(cfg.address.is_v4() ? tcp::v4() : tcp::v6(), bec);
        std::error_code ec = bec;
        if (!ec && !cfg.md5Password.empty()) ec = setMd5(s->native_handle(), cfg.address.is_v6(), cfg.address, cfg.md5Password);
        if (!ec && !cfg.localAddress.is_unspecified()) {
            s->bind(tcp::endpoint(cfg.localAddress, 0), bec);
            ec = bec;
        }
        if (ec) {
            setError(ec, "preparing the connection");
            asio::post(sp.io, [w = weak_from_this()] {
                if (auto p = w.lock()) p->fire(Event::TcpConnectionFails);
            });
            return;
        }
        s->set_option(tcp::no_delay(true), bec);
        dialing = std::move(s);
        auto gen = ++generation;
        dialing->async_connect(tcp::endpoint(cfg.address, cfg.remotePort),
                               [w = weak_from_this(), gen](std::error_code ec) {
                                   auto p = w.lock();
                                   if (!p || gen != p->generation || !p->dialing) return;
                                   if (ec) {
                                       p->dialing.reset();
                                       p->setError(SessionError::ConnectionFailed, ec.message());
                                       p->fire(Event::TcpConnectionFails);
                                       return;
                                   }
                                   p->adopt(std::move(p->dialing), false);
                               });
    }

    void adopt(std::unique_ptr<tcp::socket> s, bool incoming)
    {
        sock = std::move(s);
        sockIncoming = incoming;
        ++generation;
        rbuf.assign(65536, 0);
        rlen = 0;
        wbuf.clear();
        boost::system::error_code ec;
        localAddr = normalise(sock->local_endpoint(ec).address());
        sock->set_option(tcp::no_delay(true), ec);
        read();
        fire(Event::TcpConnectionConfirmed);
    }

    // A connection from the peer's address arrived on the listener.
    void incoming(std::unique_ptr<tcp::socket> s)
    {
        if (adminDown) return;
        State st = session.state();
        if (st == State::Idle || st == State::Connect || st == State::Active) {
            dialing.reset();
            closeConnection();
            adopt(std::move(s), true);
        } else if (st == State::OpenSent) {
            if (sockIncoming) { // the peer gave up on its first try: the new one wins
                closeConnection();
                fire(Event::TcpConnectionFails);
                if (!sock) adopt(std::move(s), true);
                return;
            }
            pending = std::move(s); // resolved when their OPEN tells us their identifier
        } else if (st == State::OpenConfirm) {
            pending = std::move(s);
            resolveCollision();
        } else { // Established
            // Either the tail of a connection collision (the peer's own dial, which it drops
            // itself) or a peer that restarted without our noticing (RFC 4724 §4.2). Probe the
            // old connection with a KEEPALIVE: a restarted peer's kernel answers with a reset
            // and fire() then adopts the new one; otherwise it is refused as a collision
            // (RFC 4271 §6.8).
            if (pending) rejectSocket(std::move(pending), {notify::Cease, notify::CeaseCollision, {}});
            pending = std::move(s);
            std::vector<uint8_t> ka;
            encodeKeepalive(ka);
            send(ka);
            probeTimer.expires_after(std::chrono::seconds(2));
            probeTimer.async_wait([w = weak_from_this()](std::error_code ec) {
                auto p = w.lock();
                if (!p || ec || !p->pending) return;
                p->rejectSocket(std::move(p->pending), {notify::Cease, notify::CeaseCollision, {}});
            });
        }
    }

    // RFC 4271 §6.8: the connection opened by the speaker with the higher identifier survives.
    void resolveCollision()
    {
        if (!pending) return;
        bool keepOurs = sp.config.routerId > remoteOpen.bgpId;
        bool currentIsOurs = !sockIncoming;
        if (keepOurs == currentIsOurs) {
            rejectSocket(std::move(pending), {notify::Cease, notify::CeaseCollision, {}});
            return;
        }
        setError(SessionError::CollisionResolved, "kept the peer's connection");
        fire(Event::OpenCollisionDump); // closes the current one; adopts pending via fire()
    }

    void rejectSocket(std::unique_ptr<tcp::socket> s, const Notification &n)
    {
        auto buf = std::make_shared<std::vector<uint8_t>>();
        auto shared = std::shared_ptr<tcp::socket>(std::move(s));
        encodeNotification(n, *buf);
        asio::async_write(*shared, asio::buffer(*buf), [buf, shared](std::error_code, size_t) {
            boost::system::error_code ec;
            shared->shutdown(tcp::socket::shutdown_both, ec);
            shared->close(ec);
        });
    }

    void closeConnection()
    {
        if (!sock) return;
        ++generation;
        boost::system::error_code ec;
        // Unsent table data is pointless now; a NOTIFICATION went out through its own write.
        sock->shutdown(tcp::socket::shutdown_both, ec);
        sock->close(ec);
        sock.reset();
        writing = false;
        wbuf.clear();
    }

    void sendNotificationAndClose(const Notification &n)
    {
        if (!sock) return;
        auto s = std::move(sock);
        ++generation;
        writing = false;
        wbuf.clear();
        rejectSocket(std::move(s), n);
    }

    void send(const std::vector<uint8_t> &bytes)
    {
        if (!sock) return;
        wbuf.insert(wbuf.end(), bytes.begin(), bytes.end());
        flushWrites();
    }

    void flushWrites()
    {
        if (writing || wbuf.empty() || !sock) return;
        std::swap(wbuf, wflight);
        wbuf.clear();
        writing = true;
        auto gen = generation;
        asio::async_write(*sock, asio::buffer(wflight), [w = weak_from_this(), gen](std::error_code ec, size_t) {
            auto p = w.lock();
            if (!p || gen != p->generation) return;
            p->writing = false;
            if (ec) {
                p->setError(SessionError::ConnectionClosed, "write: " + ec.message());
                p->fire(Event::TcpConnectionFails);
                return;
            }
            p->flushWrites();
        });
    }

    void read()
    {
        if (rbuf.size() - rlen < 4096) rbuf.resize(rbuf.size() * 2);
        auto gen = generation;
        sock->async_read_some(asio::buffer(rbuf.data() + rlen, rbuf.size() - rlen),
                              [w = weak_from_this(), gen](std::error_code ec, size_t n) {
                                  auto p = w.lock();
                                  if (!p || gen != p->generation) return;
                                  if (ec) {
                                      p->setError(SessionError::ConnectionClosed, ec.message());
                                      p->fire(Event::TcpConnectionFails);
                                      return;
                                  }
                                  p->rlen += n;
                                  p->consume(gen);
                                  p->sp.flushChanges();
                                  if (gen == p->generation && p->sock) p->read();
                              });
    }

    void consume(uint64_t gen)
    {
        size_t off = 0;
        while (gen == generation) {
            std::error_code ec;
            std::span<const uint8_t> avail(rbuf.data() + off, rlen - off);
            size_t len = frameLength(avail, ec);
            if (ec) {
                auto lenField = avail.subspan(16, 2);
                fire(Event::BgpHeaderErr,
                     notificationFor(ec, ec == CodecError::BadMessageLength ? lenField : std::span<const uint8_t>{}));
                return;
            }
            if (len == 0) break;
            handleMessage(avail.first(len));
            off += len;
        }
        if (gen != generation) return;
        std::memmove(rbuf.data(), rbuf.data() + off, rlen - off);
        rlen -= off;
    }

    void handleMessage(std::span<const uint8_t> msg)
    {
        std::error_code ec;
        Message m = decodeMessage(msg, ec);
        if (ec) {
            setError(ec, "decoding message type " + std::to_string(msg[18]));
            bool isOpen = msg[18] == uint8_t(MessageType::Open);
            bool isUpdate = msg[18] == uint8_t(MessageType::Update);
            fire(isOpen ? Event::BgpOpenMsgErr : isUpdate ? Event::UpdateMsgErr : Event::BgpHeaderErr,
                 notificationFor(ec));
            return;
        }
        if (auto *o = std::get_if<OpenMessage>(&m)) return handleOpen(*o);
        if (auto *u = std::get_if<UpdateView>(&m)) {
            ++counters.updatesReceived;
            if (session.state() != State::Established) return fire(Event::UpdateMsg);
            fire(Event::UpdateMsg); // restarts the hold timer
            return handleUpdate(*u);
        }
        if (auto *n = std::get_if<Notification>(&m)) {
            notificationReceived = true;
            lastNotificationIn = *n;
            setError(SessionError::NotificationReceived, n->describe());
            return fire(n->code == notify::Open && n->subcode == 1 ? Event::NotifMsgVerErr : Event::NotifMsg);
        }
        if (std::holds_alternative<KeepaliveMessage>(m)) return fire(Event::KeepAliveMsg);
        if (auto *r = std::get_if<RouteRefreshMessage>(&m)) {
            bool est = session.state() == State::Established;
            fire(Event::RouteRefreshMsg);
            if (est) resend(r->family.afi);
        }
    }

    void handleOpen(const OpenMessage &o)
    {
        if (session.state() != State::OpenSent) return fire(Event::BgpOpen); // FSM error cell
        if (o.effectiveAs() != cfg.remoteAs) {
            setError(SessionError::BadPeerAs, "OPEN says AS " + std::to_string(o.effectiveAs()) +
                                                   ", configured " + std::to_string(cfg.remoteAs));
            uint16_t as2 = uint16_t(o.myAs);
            return fire(Event::BgpOpenMsgErr,
                        {notify::Open, notify::OpenBadPeerAs, {uint8_t(as2 >> 8), uint8_t(as2)}});
        }
        if (!ebgp() && o.bgpId == sp.config.routerId) {
            setError(SessionError::BadBgpIdentifier, "iBGP peer uses our identifier");
            return fire(Event::BgpOpenMsgErr, {notify::Open, 3, {}});
        }
        remoteOpen = o;
        fourOctet = o.caps.fourOctetAs.has_value();
        rr = o.caps.routeRefresh;
        v4 = cfg.ipv4Unicast && o.caps.supports({Afi::Ipv4, kSafiUnicast});
        v6 = cfg.ipv6Unicast && o.caps.supports({Afi::Ipv6, kSafiUnicast});
        session.negotiateHoldTime(o.holdTime);
        notificationReceived = false;
        fire(Event::BgpOpen);
        if (pending) resolveCollision();
    }

    void sendOpen()
    {
        OpenMessage o;
        uint32_t as = sp.config.localAs;
        o.myAs = as > 0xffff ? kAsTrans : uint16_t(as);
        o.holdTime = cfg.holdTime;
        o.bgpId = sp.config.routerId;
        if (cfg.ipv4Unicast) o.caps.multiprotocol.push_back({Afi::Ipv4, kSafiUnicast});
        if (cfg.ipv6Unicast) o.caps.multiprotocol.push_back({Afi::Ipv6, kSafiUnicast});
        o.caps.routeRefresh = true;
        o.caps.fourOctetAs = as;
        // Receiving speaker only (RFC 4724 §3): no families, so we never claim to preserve
        // forwarding; N bit per RFC 8538.
        GracefulRestartCapability gr;
        gr.restartTime = sp.config.gracefulRestartTime;
        gr.notification = true;
        o.caps.gracefulRestart = gr;
        std::vector<uint8_t> m;
        encodeOpen(o, m, cfg.capabilitiesInOneParameter ? CapabilityPacking::OneParameter
                                                              : CapabilityPacking::ParameterEach);
        send(m);
    }

    // --- routes ---------------------------------------------------------------------------
    void handleUpdate(const UpdateView &u)
    {
        AttributeContext ctx{fourOctet, ebgp(), ebgp() ? cfg.remoteAs : 0};
        auto res = decodeAttributes(u.attributes, ctx, !u.nlri.empty());
        auto describe = [&] {
            std::string d;
            for (auto &p : res.problems) {
                const AttributeRow *row = findAttributeRow(p.code);
                d += (d.empty() ? "" : "; ") + std::string(row ? row->name : "attribute " + std::to_string(p.code)) +
                     ": " + p.error.message() + " (" + toString(p.action) + ")";
            }
            return d;
        };
        if (res.action == ErrorAction::SessionReset) {
            setError(res.problems.empty() ? std::error_code(AttributeError::MalformedMpReach) : res.problems.front().error,
                     describe());
            return fire(Event::UpdateMsgErr, res.notification);
        }
        std::vector<std::pair<Prefix, bool>> changed; // prefix, removed entry was best
        auto remove = [&](const Prefix &p) {
            bool wasBest = false;
            if (ribErase(p, &wasBest)) changed.emplace_back(p, wasBest);
        };
        if (res.action == ErrorAction::TreatAsWithdraw) {
            ++counters.treatAsWithdraw;
            lastError = res.problems.front().error;
            lastErrorDetail = describe();
            spdlog::warn("bgp peer {}: {}", cfg.address.to_string(), lastErrorDetail);
            for (auto &p : u.withdrawn) remove(p);
            for (auto &p : u.nlri) remove(p);
            if (res.attrs.mpReach) for (auto &p : res.attrs.mpReach->nlri) remove(p);
            if (res.attrs.mpUnreach) for (auto &p : res.attrs.mpUnreach->withdrawn) remove(p);
            for (auto &[p, b] : changed) sp.recompute(p, this, b);
            return;
        }
        if (res.action == ErrorAction::AttributeDiscard) {
            ++counters.attributeDiscard;
            lastError = res.problems.front().error;
            lastErrorDetail = describe();
        }
        // End-of-RIB (RFC 4724 §2): empty UPDATE for IPv4, lone empty MP_UNREACH otherwise.
        if (u.isIpv4EndOfRib()) return endOfRib(Afi::Ipv4);
        const auto &a = res.attrs;
        if (u.withdrawn.empty() && u.nlri.empty() && a.mpUnreach && a.mpUnreach->withdrawn.empty() &&
            !a.mpReach && !a.origin && !a.asPath)
            return endOfRib(a.mpUnreach->family.afi);

        for (auto &p : u.withdrawn) remove(p);
        if (a.mpUnreach) for (auto &p : a.mpUnreach->withdrawn) remove(p);
        bool loop = a.asPath && asPathContains(*a.asPath, sp.config.localAs);
        auto store = [&](const std::vector<Prefix> &nlri, IpAddress nh) {
            if (nlri.empty()) return;
            if (loop) {
                counters.loopsDropped += nlri.size();
                for (auto &p : nlri) remove(p);
                return;
            }
            auto info = std::make_shared<RouteInfo>();
            info->attributes = a;
            if (info->attributes.mpReach) info->attributes.mpReach->nlri.clear();
            info->attributes.mpUnreach.reset();
            info->nextHop = nh;
            info->peer = cfg.address;
            info->peerBgpId = remoteOpen.bgpId;
            info->ebgp = ebgp();
            std::shared_ptr<const RouteInfo> shared = std::move(info);
            for (auto &p : nlri) {
                ribPut(p, shared);
                changed.emplace_back(p, false);
            }
        };
        if (!u.nlri.empty()) store(u.nlri, a.nextHop ? IpAddress(asio::ip::address_v4(*a.nextHop)) : IpAddress());
        if (a.mpReach) store(a.mpReach->nlri, addressFromBytes(a.mpReach->nextHop));
        for (auto &[p, b] : changed) sp.recompute(p, this, b);
    }

    void endOfRib(Afi afi)
    {
        spdlog::debug("bgp peer {}: End-of-RIB for AFI {}", cfg.address.to_string(), int(afi));
        flushStale(afi);
        if (sp.observer) sp.observer->endOfRib(cfg.address, afi);
    }

    void flushStale(std::optional<Afi> afi)
    {
        std::vector<std::pair<Prefix, bool>> gone;
        for (auto it = ribIn.begin(); it != ribIn.end();) {
            if (it->second.stale() && (!afi || it->first.afi == *afi)) {
                gone.emplace_back(it->first, it->second.best());
                it = ribErase(it);
            } else {
                ++it;
            }
        }
        for (auto &[p, b] : gone) sp.recompute(p, this, b);
        bool anyStale = std::any_of(ribIn.begin(), ribIn.end(), [](auto &e) { return e.second.stale(); });
        if (!anyStale) {
            grStaleHeld = false;
            grTimer.cancel();
        }
        sp.flushChanges();
    }

    void sessionDown()
    {
        counters.uptime = {};
        // RFC 4724 §4.2 / RFC 8538: keep the routes of the families the peer preserves across
        // a restart, unless it told us by NOTIFICATION (without the N bit on both sides, or a
        // Hard Reset) that it is not coming back this way.
        const auto &gr = remoteOpen.caps.gracefulRestart;
        bool keep = gr && !gr->families.empty() && gr->restartTime > 0 && !adminDown && !sp.stopping && !bfdFailed;
        if (keep && notificationReceived)
            keep = gr->notification && !(lastNotificationIn.code == notify::Cease &&
                                         lastNotificationIn.subcode == notify::CeaseHardReset);
        std::vector<std::pair<Prefix, bool>> gone;
        for (auto it = ribIn.begin(); it != ribIn.end();) {
            bool famKept = keep && std::any_of(gr->families.begin(), gr->families.end(), [&](auto &f) {
                               return f.family.afi == it->first.afi && f.family.safi == kSafiUnicast;
                           });
            if (famKept) {
                it->second.setStale();
                ++it;
            } else {
                gone.emplace_back(it->first, it->second.best());
                it = ribErase(it);
            }
        }
        for (auto &[p, b] : gone) sp.recompute(p, this, b);
        sp.flushChanges();
        advertised = 0;
        if (!ribIn.empty()) {
            grStaleHeld = true;
            startGrTimer(std::chrono::seconds(gr->restartTime));
            spdlog::info("bgp peer {}: keeping {} routes stale for {} s (graceful restart)",
                         cfg.address.to_string(), ribIn.size(), gr->restartTime);
        }
    }

    void startGrTimer(std::chrono::seconds d)
    {
        grTimer.expires_after(d);
        grTimer.async_wait([w = weak_from_this()](std::error_code ec) {
            auto p = w.lock();
            if (!p || ec) return;
            spdlog::info("bgp peer {}: graceful restart timer expired, dropping stale routes",
                         p->cfg.address.to_string());
            p->flushStale(std::nullopt);
        });
    }

    void sessionUp()
    {
        bfdFailed = false;
        establishedAt = Clock::now();
        ++counters.establishedTransitions;
        if (grStaleHeld) {
            // RFC 4724 §4.2: families the restarted peer no longer preserves go now; the rest wait
            // for its End-of-RIB, at most the stale-routes time.
            const auto &gr = remoteOpen.caps.gracefulRestart;
            for (Afi afi : {Afi::Ipv4, Afi::Ipv6}) {
                bool preserved = gr && std::any_of(gr->families.begin(), gr->families.end(), [&](auto &f) {
                                     return f.family.afi == afi && f.forwardingPreserved;
                                 });
                if (!preserved) flushStale(afi);
            }
            if (grStaleHeld) startGrTimer(sp.config.staleRoutesTime);
        }
        for (Afi afi : {Afi::Ipv4, Afi::Ipv6}) {
            if (!(afi == Afi::Ipv4 ? v4 : v6)) continue;
            std::vector<Prefix> fam;
            for (auto &n : sp.networks)
                if (n.afi == afi) fam.push_back(n);
            advertise(fam, false);
            sendEndOfRib(afi);
        }
    }

    void resend(Afi afi)
    {
        if (!(afi == Afi::Ipv4 ? v4 : v6)) return;
        std::vector<Prefix> fam;
        for (auto &n : sp.networks)
            if (n.afi == afi) fam.push_back(n);
        advertised -= std::min<uint64_t>(advertised, fam.size());
        advertise(fam, false);
    }

    void sendEndOfRib(Afi afi)
    {
        std::vector<uint8_t> m;
        if (afi == Afi::Ipv4) {
            encodeUpdate({}, {}, {}, m);
        } else {
            PathAttributes a;
            a.mpUnreach = MpUnreach{{afi, kSafiUnicast}, {}};
            std::vector<uint8_t> attrs;
            encodeAttributes(a, {fourOctet, ebgp(), 0}, attrs);
            encodeUpdate({}, attrs, {}, m);
        }
        send(m);
    }

    PathAttributes ourAttributes() const
    {
        PathAttributes a;
        a.origin = attr::OriginIgp;
        a.asPath = AsPath{};
        if (ebgp()) a.asPath->push_back({attr::AsSequence, {sp.config.localAs}});
        else a.localPref = 100;
        return a;
    }

    std::vector<uint8_t> ipv6NextHop() const
    {
        asio::ip::address_v6 nh;
        if (localAddr.is_v6()) nh = localAddr.to_v6();
        else if (!sp.config.ipv6NextHop.is_unspecified()) nh = sp.config.ipv6NextHop;
        else if (localAddr.is_v4()) nh = asio::ip::make_address_v6(asio::ip::v4_mapped, localAddr.to_v4());
        auto b = nh.to_bytes();
        return {b.begin(), b.end()};
    }

    // Packs as many prefixes per UPDATE as fit in 4096 octets; one attribute set for all.
    void advertise(const std::vector<Prefix> &prefixes, bool withdrawOnly)
    {
        if (prefixes.empty() || !sock) return;
        AttributeContext ctx{fourOctet, ebgp(), 0};
        std::vector<uint8_t> out, attrs;
        out.reserve(prefixes.size() * 5 + 4096);
        size_t updates = 0;
        auto chunks = [&](Afi afi, auto &&emit) {
            std::vector<Prefix> chunk;
            size_t size = 0, budget = 0;
            for (auto &p : prefixes) {
                if (p.afi != afi) continue;
                if (chunk.empty()) budget = emit(chunk, true);
                if (size + encodedPrefixSize(p) > budget) {
                    emit(chunk, false);
                    chunk.clear();
                    size = 0;
                    budget = emit(chunk, true);
                }
                chunk.push_back(p);
                size += encodedPrefixSize(p);
            }
            if (!chunk.empty()) emit(chunk, false);
        };
        if (v4) {
            chunks(Afi::Ipv4, [&](std::vector<Prefix> &c, bool budgetOnly) -> size_t {
                if (budgetOnly) {
                    attrs.clear();
                    if (!withdrawOnly) {
                        auto a = ourAttributes();
                        a.nextHop = localAddr.is_v4() ? localAddr.to_v4().to_uint() : sp.config.routerId;
                        encodeAttributes(a, ctx, attrs);
                    }
                    return kMaxMessageSize - kHeaderSize - 4 - attrs.size();
                }
                if (withdrawOnly) encodeUpdate(c, {}, {}, out);
                else encodeUpdate({}, attrs, c, out);
                ++updates;
                return 0;
            });
        }
        if (v6) {
            chunks(Afi::Ipv6, [&](std::vector<Prefix> &c, bool budgetOnly) -> size_t {
                if (budgetOnly) {
                    // MP attribute headers: flags, code, 2-octet length, AFI/SAFI, next hop.
                    attrs.clear();
                    if (!withdrawOnly) {
                        auto a = ourAttributes();
                        a.mpReach = MpReach{{Afi::Ipv6, kSafiUnicast}, ipv6NextHop(), {}};
                        encodeAttributes(a, ctx, attrs);
                    }
                    return kMaxMessageSize - kHeaderSize - 4 - attrs.size() - 8;
                }
                PathAttributes a;
                if (withdrawOnly) {
                    a.mpUnreach = MpUnreach{{Afi::Ipv6, kSafiUnicast}, c};
                } else {
                    a = ourAttributes();
                    a.mpReach = MpReach{{Afi::Ipv6, kSafiUnicast}, ipv6NextHop(), c};
                }
                std::vector<uint8_t> full;
                encodeAttributes(a, ctx, full);
                encodeUpdate({}, full, {}, out);
                ++updates;
                return 0;
            });
        }
        size_t fam = 0;
        for (auto &p : prefixes) fam += (p.afi == Afi::Ipv4 ? v4 : v6) ? 1 : 0;
        if (withdrawOnly) advertised -= std::min<uint64_t>(advertised, fam);
        else advertised += fam;
        counters.updatesSent += updates;
        send(out);
    }
};

// --- Impl -----------------------------------------------------------------------------------

void Speaker::Impl::recompute(const Prefix &p, const Peer *changed, bool removedBest)
{
    RibEntry *oldBest = nullptr, *newBest = nullptr;
    Peer *newPeer = nullptr;
    for (auto &[addr, peer] : peers) {
        auto it = peer->ribIn.find(p);
        if (it == peer->ribIn.end()) continue;
        if (it->second.best()) oldBest = &it->second;
        if (!newBest || better(*it->second.info(), *newBest->info())) {
            newBest = &it->second;
            newPeer = peer.get();
        }
    }
    if (!newBest) { // nothing left (an old best would still be here)
        if (removedBest) {
            --locRibCount;
            pendingChanges.push_back({p, true, nullptr});
        }
        return;
    }
    // Same best path, untouched: nothing the observer has not seen.
    if (newBest == oldBest && newPeer != changed) return;
    if (oldBest && oldBest != newBest) oldBest->setBest(false);
    newBest->setBest(true);
    if (!oldBest && !removedBest) ++locRibCount;
    pendingChanges.push_back({p, false, newPeer->shared(newBest->info())});
}

std::pair<Speaker::Impl::Peer *, const RibEntry *> Speaker::Impl::best(const Prefix &p) const
{
    for (auto &[addr, peer] : peers) {
        auto it = peer->ribIn.find(p);
        if (it != peer->ribIn.end() && it->second.best()) return {peer.get(), &it->second};
    }
    return {nullptr, nullptr};
}

void Speaker::Impl::listen(std::error_code &result)
{
    boost::system::error_code ec;
    struct Out {
        std::error_code &r;
        boost::system::error_code &e;
        ~Out() { if (!r) r = e; }
    } out{result, ec};
    auto addr = config.listenAddress;
    acceptor = std::make_unique<tcp::acceptor>(io);
    tcp::endpoint ep(addr, config.listenPort);
    acceptor->open(ep.protocol(), ec);
    if (ec) return;
    acceptorV6 = addr.is_v6();
    if (acceptorV6) acceptor->set_option(asio::ip::v6_only(false), ec);
    acceptor->set_option(tcp::acceptor::reuse_address(true), ec);
    for (auto &[a, p] : peers)
        if (!p->cfg.md5Password.empty())
            if (auto e = setMd5(acceptor->native_handle(), acceptorV6, a, p->cfg.md5Password)) {
                result = e;
                return;
            }
    acceptor->bind(ep, ec);
    if (!ec) acceptor->listen(asio::socket_base::max_listen_connections, ec);
    if (ec) return;
    accept();
}

bfd::Manager *Speaker::Impl::bfdManager(std::error_code &ec)
{
    if (!bfd) {
        auto m = std::make_unique<bfd::Manager>(io, [this](const bfd::StateChange &c) { bfdChanged(c); });
        if ((ec = m->start())) return nullptr; // retried with the next peer that wants BFD
        bfd = std::move(m);
    }
    return bfd.get();
}

// RFC 5882 §3.2/§4.3: only Up -> Down because packets stopped or the peer signalled Down is a
// failure; AdminDown from the peer means it stopped BFD on purpose and BGP carries on.
void Speaker::Impl::bfdChanged(const bfd::StateChange &c)
{
    auto it = peers.find(c.peer);
    if (it == peers.end()) return;
    auto p = it->second;
    if (c.from == bfd::State::Up && c.to == bfd::State::Down && c.remoteState != bfd::State::AdminDown) {
        spdlog::info("bgp peer {}: BFD down ({}), ending the session", c.peer.to_string(), bfd::toString(c.diag));
        p->bfdDown(c);
    }
    if (observer) observer->peerStateChanged(status(*p));
}

void Speaker::Impl::accept()
{
    acceptor->async_accept([this](boost::system::error_code ec, tcp::socket s) {
        if (ec == asio::error::operation_aborted || !acceptor || !acceptor->is_open()) return;
        if (!ec) {
            boost::system::error_code e2;
            auto remote = normalise(s.remote_endpoint(e2).address());
            auto it = peers.find(remote);
            if (it == peers.end() || e2) {
                spdlog::info("bgp: refusing connection from unconfigured {}", remote.to_string());
                s.close(e2);
            } else {
                it->second->incoming(std::make_unique<tcp::socket>(std::move(s)));
            }
        }
        accept();
    });
}

void Speaker::Impl::addPeer(const PeerConfig &pc)
{
    auto a = normalise(pc.address);
    if (peers.count(a)) removePeer(a);
    auto cfg = pc;
    cfg.address = a;
    auto p = std::make_shared<Peer>(*this, cfg);
    peers[a] = p;
    if (acceptor && !cfg.md5Password.empty()) {
        if (auto e = setMd5(acceptor->native_handle(), acceptorV6, a, cfg.md5Password))
            p->setError(e, "listening socket");
    }
    p->startBfd();
    p->fire(cfg.passive ? Event::ManualStartPassive : Event::ManualStart);
}

void Speaker::Impl::removePeer(const IpAddress &addr)
{
    auto it = peers.find(normalise(addr));
    if (it == peers.end()) return;
    auto p = it->second;
    p->adminDown = true;
    p->setError(SessionError::Stopped, "peer removed");
    if (bfd && p->cfg.bfd) bfd->remove(p->cfg.address); // AdminDown: the peer's BGP must not react
    if (p->session.state() == State::Established) p->fire(Event::ManualStop);
    else {
        p->fire(Event::ManualStop);
        p->closeConnection();
    }
    p->grTimer.cancel();
    p->probeTimer.cancel();
    p->timer.cancel();
    p->dialing.reset();
    p->pending.reset();
    std::vector<std::pair<Prefix, bool>> had;
    for (auto &[pf, e] : p->ribIn) had.emplace_back(pf, e.best());
    p->ribIn.clear();
    p->paths.clear();
    if (acceptor && !p->cfg.md5Password.empty()) setMd5(acceptor->native_handle(), acceptorV6, p->cfg.address, "");
    peers.erase(it);
    for (auto &[pf, b] : had) recompute(pf, nullptr, b);
    flushChanges();
}

void Speaker::Impl::announce(std::vector<Prefix> add)
{
    std::sort(add.begin(), add.end());
    std::vector<Prefix> fresh;
    std::set_difference(add.begin(), add.end(), networks.begin(), networks.end(), std::back_inserter(fresh));
    fresh.erase(std::unique(fresh.begin(), fresh.end()), fresh.end());
    std::vector<Prefix> merged;
    std::merge(networks.begin(), networks.end(), fresh.begin(), fresh.end(), std::back_inserter(merged));
    networks = std::move(merged);
    for (auto &[a, p] : peers)
        if (p->session.state() == State::Established) p->advertise(fresh, false);
}

void Speaker::Impl::withdrawNetworks(std::vector<Prefix> del)
{
    std::sort(del.begin(), del.end());
    std::vector<Prefix> gone, rest;
    std::set_intersection(networks.begin(), networks.end(), del.begin(), del.end(), std::back_inserter(gone));
    gone.erase(std::unique(gone.begin(), gone.end()), gone.end());
    std::set_difference(networks.begin(), networks.end(), gone.begin(), gone.end(), std::back_inserter(rest));
    networks = std::move(rest);
    for (auto &[a, p] : peers)
        if (p->session.state() == State::Established) p->advertise(gone, true);
}

PeerStatus Speaker::Impl::status(const Peer &p) const
{
    PeerStatus s = p.counters;
    s.address = p.cfg.address;
    s.remoteAs = p.cfg.remoteAs;
    s.state = p.session.state();
    bool est = s.state == State::Established;
    s.uptime = est ? std::chrono::duration_cast<std::chrono::seconds>(Clock::now() - p.establishedAt)
                   : std::chrono::seconds(0);
    s.prefixesReceived = p.ribIn.size();
    s.staleRoutes = size_t(std::count_if(p.ribIn.begin(), p.ribIn.end(), [](auto &e) { return e.second.stale(); }));
    s.prefixesAdvertised = est ? p.advertised : 0;
    s.remoteId = p.remoteOpen.bgpId;
    s.holdTime = p.session.holdTime();
    s.fourOctetAs = p.fourOctet;
    s.routeRefresh = p.rr;
    s.gracefulRestart = p.remoteOpen.caps.gracefulRestart.has_value();
    s.ipv4 = p.v4;
    s.ipv6 = p.v6;
    s.lastError = p.lastError;
    s.lastErrorDetail = p.lastErrorDetail;
    if (p.cfg.bfd) {
        auto b = bfd ? bfd->status(p.cfg.address) : std::nullopt;
        s.bfdState = b ? b->state : bfd::State::AdminDown;
    }
    return s;
}

// --- Speaker --------------------------------------------------------------------------------

Speaker::Speaker(SpeakerConfig config, SpeakerObserver *observer)
    : impl_(std::make_unique<Impl>(std::move(config), observer))
{
}

Speaker::~Speaker() { stop(); }

std::error_code Speaker::start(std::function<void()> threadInit)
{
    if (impl_->thread.joinable()) return SpeakerError::AlreadyRunning;
    std::string detail;
    if (auto e = validate(impl_->config, &detail)) {
        spdlog::error("bgp: {}", detail);
        return SpeakerError::InvalidConfig;
    }
    std::promise<std::error_code> ready;
    auto fut = ready.get_future();
    impl_->io.restart();
    impl_->stopping = false;
    impl_->thread = std::thread([this, &ready, threadInit = std::move(threadInit)] {
        if (threadInit) threadInit();
        auto work = asio::make_work_guard(impl_->io);
        std::error_code ec;
        // Peers first (without starting) so the listener gets their MD5 keys before binding.
        for (auto &pc : impl_->config.peers) {
            auto cfg = pc;
            cfg.address = normalise(pc.address);
            impl_->peers[cfg.address] = std::make_shared<Impl::Peer>(*impl_, cfg);
        }
        if (impl_->config.listen) {
            impl_->listen(ec);
            if (!ec) boundPort_ = impl_->acceptor->local_endpoint().port();
        }
        if (ec) {
            ready.set_value(ec == SpeakerError::Md5Failed ? ec : std::error_code(SpeakerError::ListenFailed));
            return;
        }
        for (auto &[a, p] : impl_->peers) {
            p->startBfd();
            p->fire(p->cfg.passive ? Event::ManualStartPassive : Event::ManualStart);
        }
        ready.set_value({});
        impl_->io.run();
    });
    auto ec = fut.get();
    if (ec) {
        impl_->thread.join();
        impl_->peers.clear();
    }
    return ec;
}

void Speaker::stop()
{
    if (!impl_->thread.joinable()) return;
    asio::post(impl_->io, [this] {
        impl_->stopping = true;
        std::vector<IpAddress> all;
        for (auto &[a, p] : impl_->peers) all.push_back(a);
        for (auto &a : all) impl_->removePeer(a);
        if (impl_->acceptor) {
            boost::system::error_code ec;
            impl_->acceptor->close(ec);
        }
        if (impl_->bfd) impl_->bfd->stop();
        // Let the Cease NOTIFICATIONs go out, then stop.
        auto t = std::make_shared<asio::steady_timer>(impl_->io, std::chrono::milliseconds(50));
        t->async_wait([this, t](std::error_code) { impl_->io.stop(); });
    });
    impl_->thread.join();
    impl_->acceptor.reset();
    impl_->bfd.reset();
    impl_->locRibCount = 0;
}

void Speaker::addPeer(PeerConfig peer)
{
    asio::post(impl_->io, [this, peer = std::move(peer)] { impl_->addPeer(peer); });
}
void Speaker::removePeer(const IpAddress &peer)
{
    asio::post(impl_->io, [this, peer] { impl_->removePeer(peer); });
}
void Speaker::announce(std::vector<Prefix> networks)
{
    asio::post(impl_->io, [this, n = std::move(networks)]() mutable { impl_->announce(std::move(n)); });
}
void Speaker::withdraw(std::vector<Prefix> networks)
{
    asio::post(impl_->io, [this, n = std::move(networks)]() mutable { impl_->withdrawNetworks(std::move(n)); });
}
void Speaker::requestRouteRefresh(const IpAddress &peer)
{
    asio::post(impl_->io, [this, peer] {
        auto it = impl_->peers.find(normalise(peer));
        if (it == impl_->peers.end() || it->second->session.state() != State::Established || !it->second->rr) return;
        auto &p = *it->second;
        std::vector<uint8_t> m;
        if (p.v4) encodeRouteRefresh({{Afi::Ipv4, kSafiUnicast}, 0}, m);
        if (p.v6) encodeRouteRefresh({{Afi::Ipv6, kSafiUnicast}, 0}, m);
        p.send(m);
    });
}

std::vector<PeerStatus> Speaker::peers() const
{
    return impl_->call([this] {
        std::vector<PeerStatus> out;
        for (auto &[a, p] : impl_->peers) out.push_back(impl_->status(*p));
        return out;
    });
}

std::optional<PeerStatus> Speaker::peer(const IpAddress &a) const
{
    return impl_->call([this, a]() -> std::optional<PeerStatus> {
        auto it = impl_->peers.find(normalise(a));
        if (it == impl_->peers.end()) return std::nullopt;
        return impl_->status(*it->second);
    });
}

std::vector<LocRibEntry> Speaker::locRib() const
{
    return impl_->call([this] {
        std::vector<LocRibEntry> out;
        out.reserve(impl_->locRibCount);
        for (auto &[a, peer] : impl_->peers)
            for (auto &[p, e] : peer->ribIn)
                if (e.best()) out.push_back({p, peer->shared(e.info()), e.stale()});
        std::sort(out.begin(), out.end(), [](auto &x, auto &y) { return x.prefix < y.prefix; });
        return out;
    });
}

size_t Speaker::locRibSize() const
{
    return impl_->call([this] { return impl_->locRibCount; });
}

std::optional<LocRibEntry> Speaker::lookup(const Prefix &p) const
{
    return impl_->call([this, p]() -> std::optional<LocRibEntry> {
        auto [peer, e] = impl_->best(p);
        if (!peer) return std::nullopt;
        return LocRibEntry{p, peer->shared(e->info()), e->stale()};
    });
}

} // namespace midonet::gateway::bgp
