// Our BGP speaker against real peers: FRR 8.4 and BIRD 2, each in its own network namespace,
// and a crafted peer on loopback that sends malformed attributes (RFC 7606). The speaker runs
// in this process on a thread moved into the "us" namespace (Speaker::start's threadInit).
//
//   us (10.0.1.1, fd00:1::1) ── veth ── frr (10.0.1.2, fd00:1::2)  AS 65002
//   us (10.0.2.1)            ── veth ── bird (10.0.2.2)            AS 65003
//   our AS 4200000001 (4-octet, RFC 6793) everywhere.
#include "gateway/bgp/speaker.h"

#include "tests/interop/bgp/peers.h"

#include <QtTest>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <nlohmann/json.hpp>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <memory>
#include <mutex>

using namespace midonet::gateway::bgp;
using namespace std::chrono_literals;
namespace ip = boost::asio::ip;

namespace {

constexpr uint32_t kOurAs = 4200000001u;
constexpr uint32_t kFrrAs = 65002, kBirdAs = 65003;
const std::string kSrc = MIDONET_BGP_INTEROP_DIR;

Prefix P(const char *s) { return *Prefix::parse(s); }

struct Recorder : SpeakerObserver {
    std::mutex m;
    std::vector<RouteChange> changes;
    std::vector<std::pair<std::string, Afi>> eors;
    void routesChanged(std::span<const RouteChange> c) override
    {
        std::lock_guard l(m);
        changes.insert(changes.end(), c.begin(), c.end());
    }
    void endOfRib(const ip::address &peer, Afi afi) override
    {
        std::lock_guard l(m);
        eors.emplace_back(peer.to_string(), afi);
    }
    bool sawWithdraw(const Prefix &p)
    {
        std::lock_guard l(m);
        for (auto &c : changes)
            if (c.prefix == p && c.withdrawn) return true;
        return false;
    }
};

PeerConfig peerConfig(const char *addr, uint32_t as)
{
    PeerConfig p;
    p.address = ip::make_address(addr);
    p.remoteAs = as;
    p.holdTime = 30;
    p.connectRetry = 1s;
    return p;
}

// --- crafted peer: raw bytes, so the codec is not tested with itself ---
std::vector<uint8_t> bgp(uint8_t type, std::vector<uint8_t> body)
{
    std::vector<uint8_t> m(16, 0xff);
    size_t len = 19 + body.size();
    m.push_back(uint8_t(len >> 8));
    m.push_back(uint8_t(len));
    m.push_back(type);
    m.insert(m.end(), body.begin(), body.end());
    return m;
}

struct RawPeer {
    int fd = -1;
    ~RawPeer()
    {
        if (fd >= 0) close(fd);
    }
    bool connectTo(uint16_t port)
    {
        fd = socket(AF_INET, SOCK_STREAM, 0);
        timeval tv{5, 0};
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        sockaddr_in sa{};
        sa.sin_family = AF_INET;
        sa.sin_port = htons(port);
        sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        return ::connect(fd, reinterpret_cast<sockaddr *>(&sa), sizeof sa) == 0;
    }
    void send(const std::vector<uint8_t> &m) { QVERIFY(::write(fd, m.data(), m.size()) == ssize_t(m.size())); }
    // Reads one message; returns its type (0 on EOF/timeout) and body.
    uint8_t read(std::vector<uint8_t> *body = nullptr)
    {
        uint8_t h[19];
        if (!readAll(h, 19)) return 0;
        size_t len = size_t(h[16]) << 8 | h[17];
        std::vector<uint8_t> b(len - 19);
        if (!b.empty() && !readAll(b.data(), b.size())) return 0;
        if (body) *body = b;
        return h[18];
    }
    // Skips KEEPALIVEs and UPDATEs (the speaker's End-of-RIB).
    uint8_t readSkipping(std::vector<uint8_t> *body = nullptr)
    {
        for (;;) {
            uint8_t t = read(body);
            if (t != 4 && t != 2) return t;
        }
    }
    bool readAll(uint8_t *p, size_t n)
    {
        while (n) {
            ssize_t r = ::read(fd, p, n);
            if (r <= 0) return false;
            p += r;
            n -= size_t(r);
        }
        return true;
    }
};

const std::vector<uint8_t> kAsPath65200 = {0x40, 0x02, 0x06, 0x02, 0x01, 0x00, 0x00, 0xfe, 0xb0};
const std::vector<uint8_t> kOriginIgp = {0x40, 0x01, 0x01, 0x00};
const std::vector<uint8_t> kNextHop = {0x40, 0x03, 0x04, 0x7f, 0x00, 0x00, 0x02};

std::vector<uint8_t> update(std::vector<std::vector<uint8_t>> attrs, std::vector<uint8_t> nlri)
{
    std::vector<uint8_t> a;
    for (auto &x : attrs) a.insert(a.end(), x.begin(), x.end());
    std::vector<uint8_t> body{0, 0, uint8_t(a.size() >> 8), uint8_t(a.size())};
    body.insert(body.end(), a.begin(), a.end());
    body.insert(body.end(), nlri.begin(), nlri.end());
    return bgp(2, body);
}

} // namespace

class TstBgpInterop : public QObject
{
    Q_OBJECT

    std::unique_ptr<mnbgp::Namespace> us_, frrNs_, birdNs_;
    std::unique_ptr<mnbgp::TempDir> frrDir_, birdDir_;
    std::unique_ptr<mnbgp::Frr> frr_;
    std::unique_ptr<mnbgp::Bird> bird_;
    Recorder rec_;
    std::unique_ptr<Speaker> speaker_;
    std::string skip_;

    std::string frrConf(bool extra, const std::string &password = {})
    {
        return mnbgp::fill(kSrc + "/frr/bgpd.conf",
                           {{"DIR", frrDir_->path()},
                            {"OUR_AS", std::to_string(kOurAs)},
                            {"FRR_AS", std::to_string(kFrrAs)},
                            {"EXTRA4", extra ? "network 198.51.100.0/24" : "!"},
                            {"PASSWORD4", password.empty() ? "!" : "neighbor 10.0.1.1 password " + password}});
    }
    std::string birdConf()
    {
        return mnbgp::fill(kSrc + "/bird/bird.conf", {{"DIR", birdDir_->path()},
                                                      {"OUR_AS", std::to_string(kOurAs)},
                                                      {"BIRD_AS", std::to_string(kBirdAs)},
                                                      {"EXTRA_ROUTES", ""},
                                                      {"PASSWORD", ""}});
    }
    nlohmann::json frrRoutes(const char *family)
    {
        auto out = frr_->vtysh(std::string("show bgp ") + family + " unicast json");
        try {
            return nlohmann::json::parse(out).value("routes", nlohmann::json::object());
        } catch (...) {
            return nlohmann::json::object();
        }
    }
    bool frrHas(const char *family, const std::string &prefix) { return frrRoutes(family).contains(prefix); }
    bool established(const char *peer)
    {
        auto s = speaker_->peer(ip::make_address(peer));
        return s && s->state == State::Established;
    }
    bool birdHas(const std::string &prefix)
    {
        auto out = bird_->birdc("show route " + prefix + " protocol midonet");
        return out.find(prefix) != std::string::npos;
    }

private slots:
    void initTestCase()
    {
        skip_ = mnbgp::missingPrerequisite();
        if (!skip_.empty()) QSKIP(skip_.c_str());
        us_ = std::make_unique<mnbgp::Namespace>("us");
        frrNs_ = std::make_unique<mnbgp::Namespace>("frr");
        birdNs_ = std::make_unique<mnbgp::Namespace>("bird");
        mnbgp::link(*us_, "tofrr", "10.0.1.1", "fd00:1::1", *frrNs_, "tous", "10.0.1.2", "fd00:1::2");
        mnbgp::link(*us_, "tobird", "10.0.2.1", "fd00:2::1", *birdNs_, "tous", "10.0.2.2", "fd00:2::2");
        frrDir_ = std::make_unique<mnbgp::TempDir>();
        birdDir_ = std::make_unique<mnbgp::TempDir>();
        frr_ = std::make_unique<mnbgp::Frr>(*frrNs_, frrDir_->path());
        bird_ = std::make_unique<mnbgp::Bird>(*birdNs_, birdDir_->path());
        QVERIFY2(frr_->start(frrConf(true)), "FRR did not start");
        QVERIFY2(bird_->start(birdConf()), "BIRD did not start");

        SpeakerConfig c;
        c.localAs = kOurAs;
        c.routerId = ip::make_address_v4("10.0.1.1").to_uint();
        c.listenAddress = ip::address_v6::any();
        c.listenPort = 179;
        c.networks = {P("203.0.113.0/24"), P("2001:db8:99::/48")};
        c.peers = {peerConfig("10.0.1.2", kFrrAs), peerConfig("fd00:1::2", kFrrAs), peerConfig("10.0.2.2", kBirdAs)};
        // BIRD gets our capabilities one per optional parameter; FRR all in one.
        c.peers[2].capabilitiesInOneParameter = false;
        speaker_ = std::make_unique<Speaker>(c, &rec_);
        auto ns = us_.get();
        auto ec = speaker_->start([ns] { ns->enter(); });
        QVERIFY2(!ec, ec.message().c_str());
    }

    void cleanupTestCase()
    {
        if (speaker_) speaker_->stop();
        speaker_.reset();
        frr_.reset();
        bird_.reset();
        us_.reset();
        frrNs_.reset();
        birdNs_.reset();
    }

    void frrSessionUp()
    {
        QVERIFY2(mnbgp::waitFor([&] { return established("10.0.1.2"); }, 20s),
                 speaker_->peer(ip::make_address("10.0.1.2"))->lastErrorDetail.c_str());
        auto s = *speaker_->peer(ip::make_address("10.0.1.2"));
        QVERIFY(s.fourOctetAs);
        QVERIFY(s.routeRefresh);
        QVERIFY(s.gracefulRestart);
        QVERIFY(s.ipv4);
        QVERIFY(!s.ipv6); // FRR activates only IPv4 on this neighbour
        QVERIFY(mnbgp::waitFor([&] { return established("fd00:1::2"); }, 20s));
    }

    void frrRoutesBothWays()
    {
        QVERIFY(mnbgp::waitFor([&] { return speaker_->lookup(P("192.0.2.0/24")).has_value(); }, 10s));
        auto r = *speaker_->lookup(P("192.0.2.0/24"));
        QCOMPARE(r.best->nextHop.to_string(), std::string("10.0.1.2"));
        QCOMPARE(formatAsPath(*r.best->attributes.asPath), std::string("65002"));
        QVERIFY(speaker_->lookup(P("198.51.100.0/24")).has_value());
        // FRR sees our 4-octet AS in the path (RFC 6793 both ways).
        QVERIFY(mnbgp::waitFor([&] { return frrHas("ipv4", "203.0.113.0/24"); }, 10s));
        auto path = frrRoutes("ipv4")["203.0.113.0/24"][0].value("path", std::string());
        QCOMPARE(path, std::to_string(kOurAs));
        auto s = *speaker_->peer(ip::make_address("10.0.1.2"));
        QCOMPARE(s.prefixesAdvertised, uint64_t(1));
        QVERIFY(s.prefixesReceived >= 2);
    }

    void frrLoopDropped()
    {
        // FRR prepends our AS on 198.18.0.0/24: RFC 4271 §9.1.2 loop detection drops it.
        QVERIFY(mnbgp::waitFor([&] { return speaker_->peer(ip::make_address("10.0.1.2"))->loopsDropped > 0; }, 10s));
        QVERIFY(!speaker_->lookup(P("198.18.0.0/24")));
    }

    void frrIpv6Routes()
    {
        QVERIFY(mnbgp::waitFor([&] { return speaker_->lookup(P("2001:db8:1::/48")).has_value(); }, 10s));
        QCOMPARE(speaker_->lookup(P("2001:db8:1::/48"))->best->nextHop.to_string(), std::string("fd00:1::2"));
        QVERIFY(mnbgp::waitFor([&] { return frrHas("ipv6", "2001:db8:99::/48"); }, 10s));
    }

    void frrWithdraw()
    {
        speaker_->withdraw({P("203.0.113.0/24")});
        QVERIFY(mnbgp::waitFor([&] { return !frrHas("ipv4", "203.0.113.0/24"); }, 10s));
        frr_->vtysh("configure terminal\nrouter bgp 65002\naddress-family ipv4 unicast\nno network 198.51.100.0/24");
        QVERIFY(mnbgp::waitFor([&] { return !speaker_->lookup(P("198.51.100.0/24")); }, 10s));
        QVERIFY(rec_.sawWithdraw(P("198.51.100.0/24")));
        // Back as before, for the next cases.
        speaker_->announce({P("203.0.113.0/24")});
        frr_->vtysh("configure terminal\nrouter bgp 65002\naddress-family ipv4 unicast\nnetwork 198.51.100.0/24");
        QVERIFY(mnbgp::waitFor([&] { return frrHas("ipv4", "203.0.113.0/24"); }, 10s));
        QVERIFY(mnbgp::waitFor([&] { return speaker_->lookup(P("198.51.100.0/24")).has_value(); }, 10s));
    }

    void frrRouteRefresh()
    {
        // FRR answers our ROUTE-REFRESH with its table again; the RIB is unchanged.
        size_t before = speaker_->locRibSize();
        auto updates = speaker_->peer(ip::make_address("10.0.1.2"))->updatesReceived;
        speaker_->requestRouteRefresh(ip::make_address("10.0.1.2"));
        QVERIFY(mnbgp::waitFor([&] { return speaker_->peer(ip::make_address("10.0.1.2"))->updatesReceived > updates; }, 10s));
        QCOMPARE(speaker_->locRibSize(), before);
    }

    void frrGracefulRestart()
    {
        // bgpd crashes (SIGKILL: no NOTIFICATION). Its routes stay, stale (RFC 4724 §4.2).
        frr_->killBgpd(SIGKILL);
        QVERIFY(mnbgp::waitFor([&] { return !established("10.0.1.2"); }, 10s));
        auto r = speaker_->lookup(P("192.0.2.0/24"));
        QVERIFY(r.has_value());
        QVERIFY(r->stale);
        QVERIFY(speaker_->lookup(P("198.51.100.0/24")).has_value());
        // It comes back without 198.51.100.0/24: after its End-of-RIB only that one is gone.
        QVERIFY(frr_->startBgpd(frrConf(false)));
        QVERIFY(mnbgp::waitFor([&] { return established("10.0.1.2"); }, 20s));
        QVERIFY(mnbgp::waitFor([&] { return !speaker_->lookup(P("198.51.100.0/24")); }, 15s));
        r = speaker_->lookup(P("192.0.2.0/24"));
        QVERIFY(r.has_value());
        QVERIFY(!r->stale);
        QVERIFY(mnbgp::waitFor([&] { return frrHas("ipv4", "203.0.113.0/24"); }, 10s));
    }

    void frrMd5Password()
    {
        frr_->killBgpd(SIGTERM);
        speaker_->removePeer(ip::make_address("10.0.1.2"));
        QVERIFY(frr_->startBgpd(frrConf(true, "mnbgp-secret")));
        auto p = peerConfig("10.0.1.2", kFrrAs);
        p.md5Password = "mnbgp-secret";
        speaker_->addPeer(p);
        QVERIFY2(mnbgp::waitFor([&] { return established("10.0.1.2"); }, 20s),
                 speaker_->peer(ip::make_address("10.0.1.2"))->lastErrorDetail.c_str());
        QVERIFY(mnbgp::waitFor([&] { return speaker_->lookup(P("198.51.100.0/24")).has_value(); }, 10s));
        QVERIFY(mnbgp::waitFor([&] { return frrHas("ipv4", "203.0.113.0/24"); }, 10s));
    }

    void birdSessionAndRoutes()
    {
        QVERIFY2(mnbgp::waitFor([&] { return established("10.0.2.2"); }, 20s),
                 speaker_->peer(ip::make_address("10.0.2.2"))->lastErrorDetail.c_str());
        QVERIFY(mnbgp::waitFor([&] { return speaker_->lookup(P("100.64.0.0/24")).has_value(); }, 10s));
        QCOMPARE(speaker_->lookup(P("100.64.0.0/24"))->best->nextHop.to_string(), std::string("10.0.2.2"));
        QVERIFY(mnbgp::waitFor([&] { return birdHas("203.0.113.0/24"); }, 10s));
        auto out = bird_->birdc("show route 203.0.113.0/24 all protocol midonet");
        QVERIFY2(out.find(std::to_string(kOurAs)) != std::string::npos, out.c_str());
    }

    void birdWithdraw()
    {
        speaker_->withdraw({P("203.0.113.0/24")});
        QVERIFY(mnbgp::waitFor([&] { return !birdHas("203.0.113.0/24"); }, 10s));
        speaker_->announce({P("203.0.113.0/24")});
        QVERIFY(mnbgp::waitFor([&] { return birdHas("203.0.113.0/24"); }, 10s));
    }

    void birdRestart()
    {
        bird_->kill(SIGKILL);
        QVERIFY(mnbgp::waitFor([&] { return !established("10.0.2.2"); }, 10s));
        auto r = speaker_->lookup(P("100.64.0.0/24"));
        QVERIFY(r.has_value());
        QVERIFY(r->stale);
        QVERIFY(bird_->start(birdConf()));
        QVERIFY(mnbgp::waitFor([&] { return established("10.0.2.2"); }, 20s));
        QVERIFY(mnbgp::waitFor([&] {
            auto x = speaker_->lookup(P("100.64.0.0/24"));
            return x && !x->stale;
        }, 10s));
    }

    // RFC 7606 against a crafted peer on loopback (a second speaker in this thread's namespace).
    void craftedPeerMalformedAttributes()
    {
        SpeakerConfig c;
        c.localAs = 65100;
        c.routerId = ip::make_address_v4("10.255.0.1").to_uint();
        c.listenAddress = ip::make_address("127.0.0.1");
        c.listenPort = 0;
        auto p = peerConfig("127.0.0.1", 65200);
        p.passive = true;
        c.peers = {p};
        Speaker sp(c);
        QVERIFY(!sp.start());
        RawPeer peer;
        QVERIFY(peer.connectTo(sp.listenPort()));
        QCOMPARE(peer.read(), uint8_t(1)); // its OPEN
        // OPEN: AS 65200, hold 30, id 10.255.0.2; capabilities one per optional parameter.
        peer.send(bgp(1, {4, 0xfe, 0xb0, 0, 30, 10, 255, 0, 2, 16,
                          2, 6, 1, 4, 0, 1, 0, 1,          // multiprotocol IPv4 unicast
                          2, 6, 65, 4, 0, 0, 0xfe, 0xb0}));// four-octet AS 65200
        peer.send(bgp(4, {}));
        QCOMPARE(peer.read(), uint8_t(4));
        QVERIFY(mnbgp::waitFor([&] { return sp.peer(ip::make_address("127.0.0.1"))->state == State::Established; }, 5s));
        auto at = [&](const char *s) { return sp.lookup(P(s)).has_value(); };

        peer.send(update({kOriginIgp, kAsPath65200, kNextHop}, {24, 10, 99, 0, 24, 10, 99, 1}));
        QVERIFY(mnbgp::waitFor([&] { return at("10.99.0.0/24") && at("10.99.1.0/24"); }, 5s));

        // ORIGIN with length 2: treat-as-withdraw (RFC 7606 §7.1); 10.99.0.0/24 goes away.
        peer.send(update({{0x40, 0x01, 0x02, 0x00, 0x00}, kAsPath65200, kNextHop}, {24, 10, 99, 0}));
        QVERIFY(mnbgp::waitFor([&] { return !at("10.99.0.0/24"); }, 5s));
        QVERIFY(at("10.99.1.0/24"));
        auto st = *sp.peer(ip::make_address("127.0.0.1"));
        QCOMPARE(st.state, State::Established);
        QCOMPARE(st.treatAsWithdraw, uint64_t(1));
        QCOMPARE(st.lastError, std::error_code(AttributeError::BadLength));

        // ATOMIC_AGGREGATE with a value: attribute-discard (§7.6); the route is kept.
        peer.send(update({kOriginIgp, kAsPath65200, kNextHop, {0x40, 0x06, 0x01, 0x00}}, {24, 10, 99, 2}));
        QVERIFY(mnbgp::waitFor([&] { return at("10.99.2.0/24"); }, 5s));
        QVERIFY(!sp.lookup(P("10.99.2.0/24"))->best->attributes.atomicAggregate);
        QCOMPARE(sp.peer(ip::make_address("127.0.0.1"))->attributeDiscard, uint64_t(1));

        // Still up: keepalives flow.
        peer.send(bgp(4, {}));
        QCOMPARE(sp.peer(ip::make_address("127.0.0.1"))->state, State::Established);

        // A truncated MP_REACH_NLRI cannot be withdrawn: session reset (§7.11), NOTIFICATION 3/x.
        peer.send(update({kOriginIgp, kAsPath65200, {0x80, 0x0e, 0x03, 0x00, 0x01, 0x01}}, {}));
        std::vector<uint8_t> body;
        QCOMPARE(peer.readSkipping(&body), uint8_t(3));
        QCOMPARE(body.at(0), uint8_t(3));
        QVERIFY(mnbgp::waitFor([&] { return !at("10.99.1.0/24"); }, 5s));
        sp.stop();
    }
};

QTEST_GUILESS_MAIN(TstBgpInterop)
#include "tst_bgp_interop.moc"
