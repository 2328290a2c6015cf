// Multi-hop BFD (RFC 5883) between our bfd::Manager and FRR 8.4's bfdd ("peer X multihop
// local-address Y"), one router apart in different subnets:
//
//   us mh<pid>u (10.92.1.2/24) ── veth ── router mh<pid>r (ip_forward) ── veth ── frr mh<pid>f (10.92.2.2/24)
//
// Both sides must see the session Up with our 100 ms x 3 timers and bfdd's packets must reach
// us with TTL 254 (the router decremented it: single hop would refuse them). Then the path
// breaks three ways (bfdd frozen with SIGSTOP, FRR's link set down, our manager frozen) and
// the side that lost its peer must report Down within the detection time. Prints BENCH lines.
// Root only (namespaces), FRR's bfdd installed; skips otherwise.
#include "gateway/bfd/manager.h"

#include "tests/interop/bgp/peers.h"
#include "tests/support/bfd_manager_thread.h"

#include <QtTest>
#include <fcntl.h>
#include <nlohmann/json.hpp>
#include <sched.h>
#include <signal.h>
#include <unistd.h>

#include <boost/asio/post.hpp>

#include <cstdio>
#include <future>
#include <mutex>
#include <thread>

using namespace midonet::gateway;
using namespace std::chrono_literals;
namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

namespace {

constexpr int kIntervalMs = 100;
const std::string kSrc = MIDONET_BFD_INTEROP_DIR;
const char *const kUs = "10.92.1.2";
const char *const kFrr = "10.92.2.2";

long long ms(Clock::duration d) { return std::chrono::duration_cast<std::chrono::milliseconds>(d).count(); }

// Namespace "mh<pid><role>" (this test's prefix), deleted with whatever still runs in it.
struct Ns {
    std::string name;
    explicit Ns(const std::string &role) : name("mh" + std::to_string(getpid()) + role)
    {
        int rc = 0;
        auto out = mnbgp::sh("ip netns add " + name, &rc);
        if (rc != 0) throw std::runtime_error("ip netns add " + name + ": " + out);
        ip("link set lo up");
    }
    ~Ns()
    {
        std::string pids = mnbgp::sh("ip netns pids " + name);
        std::replace(pids.begin(), pids.end(), '\n', ' ');
        if (pids.find_first_not_of(' ') != std::string::npos) mnbgp::sh("kill -9 " + pids);
        mnbgp::sh("ip netns del " + name);
    }
    std::string ip(const std::string &cmd) const { return mnbgp::sh("ip -n " + name + " " + cmd); }
    std::string exec(const std::string &cmd) const
    {
        return mnbgp::sh("ip netns exec " + name + " sh -c '" + cmd + "'");
    }
};

// zebra and bfdd in `ns`, every file in `dir` (as tst_bfd_interop starts them, without bgpd).
class FrrBfdd {
public:
    FrrBfdd(const Ns &ns, std::string dir) : ns_(ns), dir_(std::move(dir)) {}
    ~FrrBfdd()
    {
        cont();
        for (const char *d : {"bfdd", "zebra"}) {
            long p = pid(d);
            if (p <= 0) continue;
            ::kill(pid_t(p), SIGTERM);
            mnbgp::waitFor([&] { return ::kill(pid_t(p), 0) != 0; }, 5s);
        }
    }
    bool start(const std::string &bfddConf)
    {
        mnbgp::writeFile(dir_ + "/zebra.conf", "hostname mh-zebra\nlog file " + dir_ + "/zebra.log\n");
        mnbgp::writeFile(dir_ + "/bfdd.conf", bfddConf);
        mnbgp::sh("chown -R frr:frr " + dir_);
        daemon("zebra", "");
        if (!waitFile("zserv.api")) return false;
        daemon("bfdd", "--bfdctl " + dir_ + "/bfdd.sock");
        return waitFile("bfdd.vty");
    }
    long pid(const char *d) const { return mnbgp::pidFromFile(dir_ + "/" + d + ".pid"); }
    void stop() { ::kill(pid_t(pid("bfdd")), SIGSTOP), stopped_ = true; }
    void cont()
    {
        if (stopped_) ::kill(pid_t(pid("bfdd")), SIGCONT);
        stopped_ = false;
    }
    nlohmann::json peer(const std::string &address) const
    {
        try {
            auto out = mnbgp::sh("vtysh --vty_socket " + dir_ + " -c 'show bfd peers json'");
            for (auto &p : nlohmann::json::parse(out))
                if (p.value("peer", "") == address) return p;
        } catch (...) {
        }
        return nlohmann::json::object();
    }
    std::string log() const { return mnbgp::sh("tail -n 20 " + dir_ + "/bfdd.log"); }

private:
    void daemon(const char *d, const std::string &extra)
    {
        // FRR always writes /var/tmp/frr: a private /var/tmp in its own mount namespace.
        ns_.exec(std::string("unshare -m sh -c \"mount -t tmpfs tmpfs /var/tmp && exec /usr/lib/frr/") + d + " -d -f " +
                 dir_ + "/" + d + ".conf -i " + dir_ + "/" + d + ".pid -z " + dir_ + "/zserv.api --vty_socket " + dir_ +
                 " -u frr -g frr " + extra + "\"");
    }
    bool waitFile(const std::string &f)
    {
        return mnbgp::waitFor([&] { return access((dir_ + "/" + f).c_str(), F_OK) == 0; }, 10s);
    }
    const Ns &ns_;
    std::string dir_;
    bool stopped_ = false;
};

// Our manager on its own thread inside namespace `ns`, listening for multi-hop only.
bfd::Manager::Options multihopOnly()
{
    bfd::Manager::Options o;
    o.singleHop = false;
    o.multihop = true;
    o.ipv6 = false;
    return o;
}
using Ours = midonet::test::BfdManagerThread;

} // namespace

class TstBfdMultihopInterop : public QObject {
    Q_OBJECT

    std::unique_ptr<Ns> us_, r_, frrNs_;
    std::unique_ptr<mnbgp::TempDir> dir_;
    std::unique_ptr<FrrBfdd> frr_;
    std::unique_ptr<Ours> ours_;

    bool upBothWays()
    {
        auto s = ours_->status(kFrr);
        auto p = frr_->peer(kUs);
        return s && s->state == bfd::State::Up && p.value("status", "") == "up" &&
               p.value("remote-receive-interval", 0) == kIntervalMs && s->detectionTime == 300ms;
    }
    void waitUp()
    {
        bool ok = mnbgp::waitFor([&] { return upBothWays(); }, 30s);
        if (!ok) qWarning("%s", frr_->log().c_str());
        QVERIFY2(ok, "the multi-hop session with bfdd did not come Up both ways");
    }
    // Time from `breakIt` to our session leaving Up because bfdd went silent.
    void measureOurs(const char *what, const std::function<void()> &breakIt)
    {
        auto t0 = Clock::now();
        breakIt();
        std::optional<std::pair<Clock::time_point, bfd::StateChange>> down;
        QVERIFY(
            mnbgp::waitFor([&] { return (down = ours_->firstChangeTo(bfd::State::Down, t0)).has_value(); }, 10s, 5ms));
        QCOMPARE(down->second.diag, bfd::Diag::ControlDetectionTimeExpired);
        auto took = down->first - t0;
        std::printf("BENCH bfd_multihop_frr_%s_to_down_ms %lld ms\n", what, ms(took));
        std::fflush(stdout);
        QVERIFY2(took < 1500ms, qPrintable(QString("%1 ms").arg(ms(took))));
    }

private slots:
    void initTestCase()
    {
        auto skip = mnbgp::missingPrerequisite();
        if (skip.empty() && access("/usr/lib/frr/bfdd", X_OK) != 0) skip = "/usr/lib/frr/bfdd is not installed";
        if (!skip.empty()) QSKIP(skip.c_str());
        us_ = std::make_unique<Ns>("u");
        r_ = std::make_unique<Ns>("r");
        frrNs_ = std::make_unique<Ns>("f");
        r_->ip("link add mh-ru type veth peer name mh-ur netns " + us_->name);
        r_->ip("link add mh-rf type veth peer name mh-fr netns " + frrNs_->name);
        r_->ip("addr add 10.92.1.1/24 dev mh-ru");
        r_->ip("addr add 10.92.2.1/24 dev mh-rf");
        r_->ip("link set mh-ru up");
        r_->ip("link set mh-rf up");
        r_->exec("sysctl -qw net.ipv4.ip_forward=1");
        us_->ip("addr add 10.92.1.2/24 dev mh-ur");
        us_->ip("link set mh-ur up");
        us_->ip("route add default via 10.92.1.1");
        frrNs_->ip("addr add 10.92.2.2/24 dev mh-fr");
        frrNs_->ip("link set mh-fr up");
        frrNs_->ip("route add default via 10.92.2.1");

        dir_ = std::make_unique<mnbgp::TempDir>();
        frr_ = std::make_unique<FrrBfdd>(*frrNs_, dir_->path());
        std::map<std::string, std::string> vars{
            {"DIR", dir_->path()}, {"PEER", kUs}, {"LOCAL", kFrr}, {"INTERVAL_MS", std::to_string(kIntervalMs)}};
        QVERIFY2(frr_->start(mnbgp::fill(kSrc + "/frr/bfdd-multihop.conf", vars)), "FRR (zebra, bfdd) did not start");

        ours_ = std::make_unique<Ours>(us_->name, multihopOnly());
        QVERIFY(!ours_->call([&] { return ours_->mgr->start(); }));
        bfd::SessionConfig c;
        c.desiredMinTx = c.requiredMinRx = std::chrono::milliseconds(kIntervalMs);
        c.detectMult = 3;
        c.localAddress = asio::ip::make_address(kUs);
        c.multihop = true;
        c.minReceivedTtl = 250;
        QVERIFY(!ours_->call([&] { return ours_->mgr->add(asio::ip::make_address(kFrr), c); }));
    }

    void cleanupTestCase()
    {
        ours_.reset();
        frr_.reset();
        us_.reset();
        frrNs_.reset();
        r_.reset();
    }

    void upBothWaysThroughRouter()
    {
        waitUp();
        auto p = frr_->peer(kUs);
        QCOMPARE(p.value("multihop", false), true);
        QCOMPARE(p.value("local", ""), std::string(kFrr));
        QCOMPARE(p.value("remote-transmit-interval", 0), kIntervalMs);
        QCOMPARE(p.value("remote-detect-multiplier", 0), 3);
        auto s = *ours_->status(kFrr);
        QCOMPARE(s.remoteDiscriminator, p.value("id", 0u));
        QCOMPARE(p.value("remote-id", 0u), s.localDiscriminator);
        QCOMPARE(s.lastReceivedTtl, 254); // bfdd sends 255; one router in between
        QCOMPARE(s.txInterval, std::chrono::microseconds(kIntervalMs * 1000));
    }

    void frozenBfddDetected()
    {
        waitUp();
        measureOurs("bfdd_frozen", [&] { frr_->stop(); });
        frr_->cont();
        waitUp();
    }

    void frrLinkDownDetected()
    {
        waitUp();
        measureOurs("link_down", [&] { frrNs_->ip("link set mh-fr down"); });
        frrNs_->ip("link set mh-fr up");
        frrNs_->ip("route replace default via 10.92.2.1");
        waitUp();
    }

    void bfddDetectsUsFrozen()
    {
        waitUp();
        auto t0 = Clock::now();
        ours_->freeze();
        bool down = mnbgp::waitFor([&] { return frr_->peer(kUs).value("status", "") == "down"; }, 10s, 10ms);
        auto took = Clock::now() - t0; // vtysh polling adds its own latency (tens of ms)
        ours_->thaw();
        QVERIFY2(down, frr_->log().c_str());
        std::printf("BENCH bfd_multihop_frr_sees_us_frozen_ms %lld ms\n", ms(took));
        std::fflush(stdout);
        QVERIFY2(took < 2s, qPrintable(QString("%1 ms").arg(ms(took))));
        waitUp();
    }
};

QTEST_GUILESS_MAIN(TstBfdMultihopInterop)
#include "tst_bfd_multihop_interop.moc"
