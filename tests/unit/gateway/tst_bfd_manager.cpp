// Two BFD managers talking over loopback (127.0.0.1 and 127.0.0.2, kernel-chosen ports), each
// on its own io_context thread: sessions come Up, a frozen peer is detected as Down within the
// negotiated detection time, a removed peer is signalled as AdminDown, and packets that RFC
// 5881 §5 / RFC 5880 §6.8.6 reject (TTL not 255, A bit, unknown sender) are dropped.
// Multi-hop (RFC 5883): sessions come Up on the multi-hop port, a TTL below 255 is accepted
// there (down to the session's minReceivedTtl) but not on the single-hop port, and packets are
// demultiplexed by (source, destination) address pair and hop mode.
#include "gateway/bfd/manager.h"
#include "tests/support/bfd_manager_thread.h"

#include <QtTest>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/asio/post.hpp>

#include <future>
#include <mutex>
#include <thread>

using namespace midonet::gateway::bfd;
using namespace std::chrono_literals;
namespace asio = boost::asio;
namespace ip = boost::asio::ip;
using Clock = std::chrono::steady_clock;

namespace {

bool waitFor(const std::function<bool()> &ok, std::chrono::milliseconds timeout)
{
    auto end = Clock::now() + timeout;
    while (!ok()) {
        if (Clock::now() >= end) return false;
        std::this_thread::sleep_for(10ms);
    }
    return true;
}

// One manager on its own thread (tests/support/bfd_manager_thread.h), listening on `addr` at
// ephemeral ports; every call goes through its io_context.
Manager::Options nodeOptions(const char *addr, bool singleHop = true, bool multihop = false)
{
    Manager::Options o;
    o.listenV4 = ip::make_address_v4(addr);
    o.listenPort = 0;
    o.multihopListenPort = 0;
    o.singleHop = singleHop;
    o.multihop = multihop;
    o.ipv6 = false;
    return o;
}
using Node = midonet::test::BfdManagerThread;

SessionConfig fast(const char *local, uint16_t remotePort)
{
    SessionConfig c;
    c.desiredMinTx = 50ms;
    c.requiredMinRx = 50ms;
    c.detectMult = 3;
    c.localAddress = ip::make_address(local);
    c.remotePort = remotePort;
    return c;
}

// A raw packet sent with a chosen TTL from a chosen loopback address.
void sendRaw(const char *from, uint16_t port, int ttl, const std::vector<uint8_t> &bytes, const char *to = "127.0.0.1")
{
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    QVERIFY(fd >= 0);
    setsockopt(fd, IPPROTO_IP, IP_TTL, &ttl, sizeof ttl);
    sockaddr_in src{};
    src.sin_family = AF_INET;
    inet_pton(AF_INET, from, &src.sin_addr);
    QCOMPARE(bind(fd, reinterpret_cast<sockaddr *>(&src), sizeof src), 0);
    sockaddr_in dst{};
    dst.sin_family = AF_INET;
    dst.sin_port = htons(port);
    inet_pton(AF_INET, to, &dst.sin_addr);
    QCOMPARE(sendto(fd, bytes.data(), bytes.size(), 0, reinterpret_cast<sockaddr *>(&dst), sizeof dst),
             ssize_t(bytes.size()));
    close(fd);
}

} // namespace

class TstBfdManager : public QObject
{
    Q_OBJECT

    std::unique_ptr<Node> a_, b_;
    uint16_t portA_ = 0, portB_ = 0;

    void bringUp()
    {
        QVERIFY(waitFor([&] { return a_->state("127.0.0.2") == State::Up && b_->state("127.0.0.1") == State::Up; }, 10s));
    }

private slots:
    void init()
    {
        a_ = std::make_unique<Node>("", nodeOptions("127.0.0.1"));
        b_ = std::make_unique<Node>("", nodeOptions("127.0.0.2"));
        QVERIFY(!a_->call([&] { return a_->mgr->start(); }));
        QVERIFY(!b_->call([&] { return b_->mgr->start(); }));
        portA_ = a_->call([&] { return a_->mgr->listenPort(); });
        portB_ = b_->call([&] { return b_->mgr->listenPort(); });
        QVERIFY(portA_ && portB_);
        QVERIFY(!a_->call([&] { return a_->mgr->add(ip::make_address("127.0.0.2"), fast("127.0.0.1", portB_)); }));
        QVERIFY(!b_->call([&] { return b_->mgr->add(ip::make_address("127.0.0.1"), fast("127.0.0.2", portA_)); }));
    }
    void cleanup()
    {
        a_.reset();
        b_.reset();
    }

    void sessionsComeUp()
    {
        bringUp();
        auto s = *a_->status("127.0.0.2");
        QCOMPARE(s.local.to_string(), std::string("127.0.0.1"));
        QVERIFY(s.sourcePort >= kSourcePortMin);
        QVERIFY(s.remoteDiscriminator != 0);
        QCOMPARE(s.remoteDiscriminator, b_->status("127.0.0.1")->localDiscriminator);
        QVERIFY(s.packetsIn > 0 && s.packetsOut > 0);
        QCOMPARE(s.upTransitions, 1u);
        auto c = *a_->lastChange();
        QCOMPARE(c.to, State::Up);
        QCOMPARE(c.peer.to_string(), std::string("127.0.0.2"));
        // The fast intervals apply once Up (the poll sequence completes): 3 x 50 ms.
        QVERIFY(waitFor([&] { return a_->status("127.0.0.2")->detectionTime == 150ms; }, 5s));
        QVERIFY(waitFor([&] { return a_->status("127.0.0.2")->txInterval == 50ms; }, 5s));
        QCOMPARE(a_->call([&] { return a_->mgr->add(ip::make_address("127.0.0.2"), fast("127.0.0.1", portB_)); }),
                 std::error_code(ManagerError::DuplicatePeer));
    }

    void frozenPeerIsDetected()
    {
        bringUp();
        QVERIFY(waitFor([&] { return a_->status("127.0.0.2")->detectionTime == 150ms; }, 5s));
        auto frozenAt = Clock::now();
        b_->freeze();
        QVERIFY(waitFor([&] { return a_->firstChangeTo(State::Down, frozenAt).has_value(); }, 5s));
        auto took = a_->firstChangeTo(State::Down, frozenAt)->first - frozenAt;
        auto c = *a_->lastChange();
        QCOMPARE(c.from, State::Up);
        QCOMPARE(c.diag, Diag::ControlDetectionTimeExpired);
        QCOMPARE(c.remoteState, State::Down);
        qInfo("detected a frozen peer after %lld ms (detection time 150 ms)",
              (long long)std::chrono::duration_cast<std::chrono::milliseconds>(took).count());
        // Far below the one-second slow rate a session runs at while not Up.
        QVERIFY(took < 2s);
        // Thawed, the two agree again.
        b_->thaw();
        bringUp();
        QCOMPARE(a_->status("127.0.0.2")->upTransitions, 2u);
    }

    void removedPeerSignalsAdminDown()
    {
        bringUp();
        auto t = Clock::now();
        b_->call([&] { b_->mgr->remove(ip::make_address("127.0.0.1")); return 0; });
        QVERIFY(!b_->status("127.0.0.1"));
        QVERIFY(waitFor([&] { return a_->firstChangeTo(State::Down, t).has_value(); }, 5s));
        auto c = *a_->lastChange();
        QCOMPARE(c.diag, Diag::NeighborSignaledSessionDown);
        QCOMPARE(c.remoteState, State::AdminDown); // RFC 5882 §3.2: the client must not react
    }

    void adminDownAndUp()
    {
        bringUp();
        auto t = Clock::now();
        QVERIFY(!a_->call([&] { return a_->mgr->setAdminDown(ip::make_address("127.0.0.2"), true); }));
        QCOMPARE(a_->state("127.0.0.2"), State::AdminDown);
        QVERIFY(waitFor([&] { return b_->firstChangeTo(State::Down, t).has_value(); }, 5s));
        QCOMPARE(b_->lastChange()->remoteState, State::AdminDown);
        QVERIFY(!a_->call([&] { return a_->mgr->setAdminDown(ip::make_address("127.0.0.2"), false); }));
        bringUp();
    }

    void rejectedPackets()
    {
        bringUp();
        auto discrB = b_->status("127.0.0.1")->localDiscriminator;
        auto discrA = a_->status("127.0.0.2")->localDiscriminator;
        auto packet = [&](bool auth, uint32_t your) {
            ControlPacket p;
            p.state = your ? State::Up : State::Down;
            p.myDiscriminator = discrB;
            p.yourDiscriminator = your;
            p.desiredMinTxUs = p.requiredMinRxUs = 50000;
            if (auth) p.auth = AuthSection{AuthType::SimplePassword, 1, {'x'}};
            std::vector<uint8_t> out;
            encode(p, out);
            return out;
        };
        auto drops = [&](PacketError e) { return a_->call([&] { return a_->mgr->dropped(e); }); };
        sendRaw("127.0.0.2", portA_, 64, packet(false, discrA));
        QVERIFY(waitFor([&] { return drops(PacketError::BadTtl) == 1; }, 5s));
        sendRaw("127.0.0.2", portA_, 255, packet(true, discrA));
        QVERIFY(waitFor([&] { return drops(PacketError::AuthenticationNotInUse) == 1; }, 5s));
        sendRaw("127.0.0.3", portA_, 255, packet(false, 0));
        QVERIFY(waitFor([&] { return drops(PacketError::NoSession) == 1; }, 5s));
        // The right discriminator from the wrong address is not the session's.
        sendRaw("127.0.0.3", portA_, 255, packet(false, discrA));
        QVERIFY(waitFor([&] { return drops(PacketError::UnknownDiscriminator) == 1; }, 5s));
        sendRaw("127.0.0.2", portA_, 255, {0x20, 0xc0});
        QVERIFY(waitFor([&] { return drops(PacketError::Truncated) == 1; }, 5s));
        // None of it disturbed the session.
        QCOMPARE(a_->state("127.0.0.2"), State::Up);
        QCOMPARE(a_->status("127.0.0.2")->upTransitions, 1u);
    }

    void multihopSessionsComeUp()
    {
        // Only single hop is listened for here: a multi-hop session has nowhere to hear from.
        auto mh = fast("127.0.0.1", portB_);
        mh.multihop = true;
        QCOMPARE(a_->call([&] { return a_->mgr->add(ip::make_address("127.0.0.9"), mh); }),
                 std::error_code(ManagerError::NoListener));

        Node x("", nodeOptions("127.0.0.1", false, true)), y("", nodeOptions("127.0.0.2", false, true));
        QVERIFY(!x.call([&] { return x.mgr->start(); }));
        QVERIFY(!y.call([&] { return y.mgr->start(); }));
        auto px = x.call([&] { return x.mgr->multihopListenPort(); });
        auto py = y.call([&] { return y.mgr->multihopListenPort(); });
        QVERIFY(px && py);
        QCOMPARE(x.call([&] { return x.mgr->listenPort(); }), uint16_t(0));
        auto cx = fast("127.0.0.1", py), cy = fast("127.0.0.2", px);
        cx.multihop = cy.multihop = true;
        cx.minReceivedTtl = cy.minReceivedTtl = 250;
        QVERIFY(!x.call([&] { return x.mgr->add(ip::make_address("127.0.0.2"), cx); }));
        QVERIFY(!y.call([&] { return y.mgr->add(ip::make_address("127.0.0.1"), cy); }));
        QVERIFY(waitFor([&] { return x.state("127.0.0.2") == State::Up && y.state("127.0.0.1") == State::Up; }, 10s));
        auto s = *x.status("127.0.0.2");
        QVERIFY(s.multihop);
        QCOMPARE(s.lastReceivedTtl, 255); // loopback: no router in between
        // The same state machine: the fast timers apply once Up, a frozen peer is detected.
        QVERIFY(waitFor([&] { return x.status("127.0.0.2")->detectionTime == 150ms; }, 5s));
        auto frozenAt = Clock::now();
        y.freeze();
        QVERIFY(waitFor([&] { return x.firstChangeTo(State::Down, frozenAt).has_value(); }, 5s));
        QCOMPARE(x.lastChange()->diag, Diag::ControlDetectionTimeExpired);
        QVERIFY(x.firstChangeTo(State::Down, frozenAt)->first - frozenAt < 2s);
    }

    void multihopReceivePath()
    {
        // One manager listening for both hop modes on every loopback address: a multi-hop
        // session with 127.0.0.5 (from 127.0.0.1) and a single-hop one with 127.0.0.6.
        Node n("", nodeOptions("0.0.0.0", true, true));
        QVERIFY(!n.call([&] { return n.mgr->start(); }));
        auto single = n.call([&] { return n.mgr->listenPort(); });
        auto multi = n.call([&] { return n.mgr->multihopListenPort(); });
        QVERIFY(single && multi && single != multi);
        auto mh = fast("127.0.0.1", 9); // nobody answers on the discard port
        mh.multihop = true;
        mh.minReceivedTtl = 100;
        QVERIFY(!n.call([&] { return n.mgr->add(ip::make_address("127.0.0.5"), mh); }));
        QVERIFY(!n.call([&] { return n.mgr->add(ip::make_address("127.0.0.6"), fast("127.0.0.1", 9)); }));
        auto discr = n.status("127.0.0.5")->localDiscriminator;
        auto packet = [&](uint32_t your) {
            ControlPacket p;
            p.state = State::Down;
            p.myDiscriminator = 0x5555;
            p.yourDiscriminator = your;
            p.desiredMinTxUs = p.requiredMinRxUs = 50000;
            std::vector<uint8_t> out;
            encode(p, out);
            return out;
        };
        auto drops = [&](PacketError e) { return n.call([&] { return n.mgr->dropped(e); }); };
        auto in = [&](const char *peer) { return n.status(peer)->packetsIn; };

        // TTL 200 on the single-hop port: refused (RFC 5881 §5), the session never sees it.
        sendRaw("127.0.0.6", single, 200, packet(0));
        QVERIFY(waitFor([&] { return drops(PacketError::BadTtl) == 1; }, 5s));
        QCOMPARE(in("127.0.0.6"), uint64_t(0));
        // The multi-hop session's peer on the single-hop port: not its session (hop modes
        // never mix), even with TTL 255.
        sendRaw("127.0.0.5", single, 255, packet(0));
        QVERIFY(waitFor([&] { return drops(PacketError::NoSession) == 1; }, 5s));
        // Right pair, wrong destination (127.0.0.3 is not the session's local address).
        sendRaw("127.0.0.5", multi, 200, packet(0), "127.0.0.3");
        QVERIFY(waitFor([&] { return drops(PacketError::NoSession) == 2; }, 5s));
        sendRaw("127.0.0.5", multi, 200, packet(discr), "127.0.0.3");
        QVERIFY(waitFor([&] { return drops(PacketError::UnknownDiscriminator) == 1; }, 5s));
        // Right source, wrong hop mode: the single-hop session's peer on the multi-hop port.
        sendRaw("127.0.0.6", multi, 255, packet(0));
        QVERIFY(waitFor([&] { return drops(PacketError::NoSession) == 3; }, 5s));
        QCOMPARE(in("127.0.0.5"), uint64_t(0));
        // Below the session's minimum TTL (100): refused.
        sendRaw("127.0.0.5", multi, 99, packet(0));
        QVERIFY(waitFor([&] { return drops(PacketError::BadTtl) == 2; }, 5s));
        QCOMPARE(in("127.0.0.5"), uint64_t(0));
        // TTL 200 (55 routers away) to the right pair on the multi-hop port: the session takes
        // it (the peer says Down, so we go Init) whether matched by address or discriminator.
        sendRaw("127.0.0.5", multi, 200, packet(0));
        QVERIFY(waitFor([&] { return in("127.0.0.5") == 1; }, 5s));
        QCOMPARE(n.status("127.0.0.5")->lastReceivedTtl, 200);
        QCOMPARE(n.state("127.0.0.5"), State::Init);
        sendRaw("127.0.0.5", multi, 100, packet(discr));
        QVERIFY(waitFor([&] { return in("127.0.0.5") == 2; }, 5s));
        QCOMPARE(n.status("127.0.0.5")->lastReceivedTtl, 100);
        QCOMPARE(drops(PacketError::BadTtl), uint64_t(2));
        QCOMPARE(in("127.0.0.6"), uint64_t(0));
    }
};

QTEST_GUILESS_MAIN(TstBfdManager)
#include "tst_bfd_manager.moc"
