// BFD against FRR 8.4's bfdd and BIRD 2, through our BGP speaker (PeerConfig::bfd), in network
// namespaces:
//
//   us (10.0.3.1, fd00:3::1) ── veth ── frr (10.0.3.2, fd00:3::2)  AS 65002: zebra, bfdd, bgpd
//   us (10.0.4.1)            ── veth ── bird (10.0.4.2)            AS 65003: bgp "bfd on"
//
// bgpd asks bfdd for a session per neighbour ("neighbor X bfd profile fast", 100 ms x 3). We
// check that both sides see the sessions Up with the negotiated timers, then break the path
// two ways (bfdd frozen with SIGSTOP; the peer's link set down) and measure the time from the
// failure to our speaker reporting the peer's routes withdrawn: it must be BFD's detection
// time (300 ms), not the 30 s hold timer, and graceful restart (on in FRR) must not keep them.
// Each failure prints BENCH lines.
#include "gateway/bgp/speaker.h"

#include "tests/interop/bgp/peers.h"

#include <QtTest>
#include <fcntl.h>
#include <nlohmann/json.hpp>
#include <sched.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <mutex>
#include <sstream>

using namespace midonet::gateway;
using namespace midonet::gateway::bgp;
using namespace std::chrono_literals;
namespace ip = boost::asio::ip;
using Clock = std::chrono::steady_clock;

namespace {

constexpr uint32_t kOurAs = 4200000001u;
constexpr int kIntervalMs = 100;
const std::string kSrc = MIDONET_BFD_INTEROP_DIR;

Prefix P(const char *s) { return *Prefix::parse(s); }

long long ms(Clock::duration d) { return std::chrono::duration_cast<std::chrono::milliseconds>(d).count(); }

// Network namespace "mnf-<pid>-<role>" (this test's own prefix, so it never meets the BGP
// tests' mnbgp-* ones), deleted with whatever still runs in it by the destructor.
class Ns {
public:
    explicit Ns(const std::string &role) : name_("mnf-" + std::to_string(getpid()) + "-" + role)
    {
        int rc = 0;
        auto out = mnbgp::sh("ip netns add " + name_, &rc);
        if (rc != 0) throw std::runtime_error("ip netns add " + name_ + ": " + out);
        // No DAD wait; IPv6 addresses survive "ip link set down" (the test mends links).
        exec("sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0 "
             "net.ipv6.conf.all.keep_addr_on_down=1 net.ipv6.conf.default.keep_addr_on_down=1; ip link set lo up");
    }
    ~Ns()
    {
        // Whatever we started in it (FRR daemons left behind by a failed test).
        std::string pids = mnbgp::sh("ip netns pids " + name_);
        std::replace(pids.begin(), pids.end(), '\n', ' ');
        if (pids.find_first_not_of(' ') != std::string::npos) mnbgp::sh("kill -9 " + pids);
        mnbgp::sh("ip netns del " + name_);
    }
    const std::string &name() const { return name_; }
    std::string exec(const std::string &cmd, int *rc = nullptr) const
    {
        return mnbgp::sh("ip netns exec " + name_ + " sh -c '" + cmd + "'", rc);
    }
    void enter() const
    {
        int fd = open(("/run/netns/" + name_).c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0 || setns(fd, CLONE_NEWNET) != 0) throw std::runtime_error("setns " + name_);
        close(fd);
    }

private:
    std::string name_;
};

// zebra, bfdd and bgpd in `ns`, every file (sockets, pids, logs) in `dir`.
class FrrBfd {
public:
    FrrBfd(const Ns &ns, std::string dir) : ns_(ns), dir_(std::move(dir)) {}
    ~FrrBfd()
    {
        cont();
        for (const char *d : {"bgpd", "bfdd", "zebra"}) kill(d, SIGTERM);
    }
    bool start(const std::string &bfddConf, const std::string &bgpdConf)
    {
        mnbgp::writeFile(dir_ + "/zebra.conf", "hostname mnf-zebra\nlog file " + dir_ + "/zebra.log\n");
        mnbgp::writeFile(dir_ + "/bfdd.conf", bfddConf);
        mnbgp::writeFile(dir_ + "/bgpd.conf", bgpdConf);
        mnbgp::sh("chown -R frr:frr " + dir_);
        if (!daemon("zebra", "") || !waitFile("zserv.api")) return false;
        if (!daemon("bfdd", "--bfdctl " + dir_ + "/bfdd.sock") || !waitFile("bfdd.vty")) return false;
        return daemon("bgpd", "-n") && waitFile("bgpd.vty");
    }
    long pid(const char *d) const { return mnbgp::pidFromFile(dir_ + "/" + d + ".pid"); }
    void stop() { ::kill(pid_t(pid("bfdd")), SIGSTOP), stopped_ = true; }
    void cont()
    {
        if (stopped_) ::kill(pid_t(pid("bfdd")), SIGCONT);
        stopped_ = false;
    }
    std::string vtysh(const std::string &cmd) const
    {
        return mnbgp::sh("vtysh --vty_socket " + dir_ + " -c '" + cmd + "'");
    }
    nlohmann::json bfdPeer(const std::string &peer) const
    {
        try {
            for (auto &p : nlohmann::json::parse(vtysh("show bfd peers json")))
                if (p.value("peer", "") == peer) return p;
        } catch (...) {
        }
        return nlohmann::json::object();
    }
    std::string logs() const { return mnbgp::sh("tail -n 20 " + dir_ + "/bfdd.log " + dir_ + "/bgpd.log"); }

private:
    bool daemon(const char *d, const std::string &extra)
    {
        // FRR always writes /var/tmp/frr: give it a private /var/tmp in its own mount namespace.
        ns_.exec(std::string("unshare -m sh -c \"mount -t tmpfs tmpfs /var/tmp && exec /usr/lib/frr/") + d +
                 " -d -f " + dir_ + "/" + d + ".conf -i " + dir_ + "/" + d + ".pid -z " + dir_ +
                 "/zserv.api --vty_socket " + dir_ + " -u frr -g frr " + extra + "\"");
        return true;
    }
    bool waitFile(const std::string &f)
    {
        return mnbgp::waitFor([&] { return access((dir_ + "/" + f).c_str(), F_OK) == 0; }, 10s);
    }
    void kill(const char *d, int sig)
    {
        long p = pid(d);
        if (p <= 0) return;
        ::kill(pid_t(p), sig);
        mnbgp::waitFor([&] { return ::kill(pid_t(p), 0) != 0; }, 5s);
    }
    const Ns &ns_;
    std::string dir_;
    bool stopped_ = false;
};

// BIRD 2 in `ns` (as root, as tests/interop/bgp runs it), its files in `dir`.
class BirdBfd {
public:
    BirdBfd(const Ns &ns, std::string dir) : ns_(ns), dir_(std::move(dir)) {}
    ~BirdBfd()
    {
        long p = pid();
        if (p <= 0) return;
        ::kill(pid_t(p), SIGCONT);
        ::kill(pid_t(p), SIGTERM);
        mnbgp::waitFor([&] { return ::kill(pid_t(p), 0) != 0; }, 5s);
    }
    bool start(const std::string &conf)
    {
        mnbgp::writeFile(dir_ + "/bird.conf", conf);
        int rc = 0;
        auto out = ns_.exec("bird -c " + dir_ + "/bird.conf -s " + dir_ + "/bird.ctl -P " + dir_ + "/bird.pid", &rc);
        if (rc != 0) {
            std::fprintf(stderr, "bird: %s\n", out.c_str());
            return false;
        }
        return mnbgp::waitFor([&] { return access((dir_ + "/bird.ctl").c_str(), F_OK) == 0; }, 10s);
    }
    long pid() const { return mnbgp::pidFromFile(dir_ + "/bird.pid"); }
    void signal(int sig) const { ::kill(pid_t(pid()), sig); }
    std::string birdc(const std::string &cmd) const { return mnbgp::sh("birdc -s " + dir_ + "/bird.ctl " + cmd); }
    // "show bfd sessions" lists one line per session: address, interface, state, ...
    bool bfdUp(const std::string &peer) const
    {
        std::stringstream ss(birdc("show bfd sessions"));
        for (std::string line; std::getline(ss, line);)
            if (line.rfind(peer + " ", 0) == 0 && line.find(" Up ") != std::string::npos) return true;
        return false;
    }
    // The session's line of "show bfd sessions", split in words (its last two: interval, timeout).
    std::vector<std::string> bfdSession(const std::string &peer) const
    {
        std::stringstream ss(birdc("show bfd sessions"));
        for (std::string line; std::getline(ss, line);)
            if (line.rfind(peer + " ", 0) == 0) {
                std::vector<std::string> words;
                std::stringstream ls(line);
                for (std::string w; ls >> w;) words.push_back(w);
                return words;
            }
        return {};
    }
    std::string log() const { return mnbgp::sh("tail -n 20 " + dir_ + "/bird.log"); }

private:
    const Ns &ns_;
    std::string dir_;
};

// What the speaker told us, stamped on arrival.
struct Recorder : SpeakerObserver {
    std::mutex m;
    std::vector<std::pair<Clock::time_point, RouteChange>> changes;
    void routesChanged(std::span<const RouteChange> c) override
    {
        std::lock_guard l(m);
        auto now = Clock::now();
        for (auto &x : c) changes.emplace_back(now, x);
    }
    std::vector<std::pair<Clock::time_point, PeerStatus>> states;
    void peerStateChanged(const PeerStatus &p) override
    {
        std::lock_guard l(m);
        states.emplace_back(Clock::now(), p);
    }
    // The first report after `t` of `peer` in a BGP state other than Established.
    std::optional<std::pair<Clock::time_point, PeerStatus>> leftEstablished(const std::string &peer, Clock::time_point t)
    {
        std::lock_guard l(m);
        for (auto &[at, s] : states)
            if (at >= t && s.address.to_string() == peer && s.state != State::Established) return std::pair{at, s};
        return std::nullopt;
    }
    std::optional<Clock::time_point> withdrawnAfter(const Prefix &p, Clock::time_point t)
    {
        std::lock_guard l(m);
        for (auto &[at, c] : changes)
            if (at >= t && c.prefix == p && c.withdrawn) return at;
        return std::nullopt;
    }
};

} // namespace

class TstBfdInterop : public QObject
{
    Q_OBJECT

    std::unique_ptr<Ns> us_, frrNs_, birdNs_;
    std::unique_ptr<mnbgp::TempDir> dir_, birdDir_;
    std::unique_ptr<FrrBfd> frr_;
    std::unique_ptr<BirdBfd> bird_;
    Recorder rec_;
    std::unique_ptr<Speaker> speaker_;

    std::optional<PeerStatus> peer(const char *a) { return speaker_->peer(ip::make_address(a)); }
    bool upBothWays(const char *ours, const char *theirs, const Prefix &route)
    {
        auto s = peer(ours);
        return s && s->state == State::Established && s->bfdState == bfd::State::Up &&
               frr_->bfdPeer(theirs).value("status", "") == "up" && speaker_->lookup(route).has_value();
    }
    void waitUp()
    {
        bool ok = mnbgp::waitFor([&] { return upBothWays("10.0.3.2", "10.0.3.1", P("192.0.2.0/24")); }, 60s);
        if (!ok) qWarning("%s", frr_->logs().c_str());
        QVERIFY2(ok, peer("10.0.3.2")->lastErrorDetail.c_str());
        QVERIFY(mnbgp::waitFor([&] { return upBothWays("fd00:3::2", "fd00:3::1", P("2001:db8:1::/48")); }, 30s));
    }

    void waitBirdUp()
    {
        bool ok = mnbgp::waitFor([&] {
            auto s = peer("10.0.4.2");
            return s && s->state == State::Established && s->bfdState == bfd::State::Up && bird_->bfdUp("10.0.4.1") &&
                   speaker_->lookup(P("198.51.100.0/24")).has_value();
        }, 60s);
        if (!ok) qWarning("%s", bird_->log().c_str());
        QVERIFY2(ok, peer("10.0.4.2")->lastErrorDetail.c_str());
    }

    // Breaks the path to `who` with `breakIt`; measures how long until `route` was withdrawn.
    void measure(const char *what, const std::function<void()> &breakIt, const char *who = "10.0.3.2",
                 const Prefix &route = P("192.0.2.0/24"), const char *daemon = "frr")
    {
        auto before = peer(who)->bfdDownEvents;
        auto t0 = Clock::now();
        breakIt();
        auto t1 = Clock::now();
        std::optional<Clock::time_point> gone;
        QVERIFY(mnbgp::waitFor([&] { return (gone = rec_.withdrawnAfter(route, t0)).has_value(); }, 20s));
        // The session may come back soon after (FRR's bgpd redials), so look at what the
        // speaker reported when it left Established, not at its state now.
        auto left = rec_.leftEstablished(who, t0);
        QVERIFY(left.has_value());
        const PeerStatus &s = left->second;
        QCOMPARE(s.bfdState, bfd::State::Down);
        QCOMPARE(s.bfdDownEvents, before + 1);
        QCOMPARE(&s.lastError.category(), &bfd::diagCategory());
        QCOMPARE(s.lastError, std::error_code(bfd::Diag::ControlDetectionTimeExpired));
        // Withdrawn as the session ended, not kept stale for graceful restart (FRR offers it).
        QCOMPARE(s.staleRoutes, uint64_t(0));
        QVERIFY(*gone <= left->first);
        auto took = *gone - t0;
        std::printf("BENCH bfd_%s_%s_to_routes_withdrawn_ms %lld ms\n", daemon, what, ms(took));
        std::printf("BENCH bfd_%s_%s_command_ms %lld ms\n", daemon, what, ms(t1 - t0));
        std::printf("BENCH bfd_%s_detection_time_ms %d ms\n", daemon, 3 * kIntervalMs);
        std::fflush(stdout);
        // BFD's 3 x 100 ms, with room for a loaded machine; the hold timer would take 30 s.
        QVERIFY2(took < 3s, qPrintable(QString("%1 ms").arg(ms(took))));
    }

private slots:
    void initTestCase()
    {
        auto skip = mnbgp::missingPrerequisite();
        if (skip.empty() && access("/usr/lib/frr/bfdd", X_OK) != 0) skip = "/usr/lib/frr/bfdd is not installed";
        if (!skip.empty()) QSKIP(skip.c_str());
        us_ = std::make_unique<Ns>("us");
        frrNs_ = std::make_unique<Ns>("frr");
        mnbgp::sh("ip -n " + us_->name() + " link add mnf-frr type veth peer name mnf-us netns " + frrNs_->name());
        for (auto [ns, ifn, v4, v6] : {std::tuple{us_.get(), "mnf-frr", "10.0.3.1", "fd00:3::1"},
                                       std::tuple{frrNs_.get(), "mnf-us", "10.0.3.2", "fd00:3::2"}}) {
            mnbgp::sh("ip -n " + ns->name() + " addr add " + v4 + "/24 dev " + ifn);
            mnbgp::sh("ip -n " + ns->name() + " addr add " + v6 + "/64 dev " + ifn + " nodad");
            mnbgp::sh("ip -n " + ns->name() + " link set " + ifn + " up");
        }
        birdNs_ = std::make_unique<Ns>("bird");
        mnbgp::sh("ip -n " + us_->name() + " link add mnf-bird type veth peer name mnf-us netns " + birdNs_->name());
        mnbgp::sh("ip -n " + us_->name() + " addr add 10.0.4.1/24 dev mnf-bird");
        mnbgp::sh("ip -n " + birdNs_->name() + " addr add 10.0.4.2/24 dev mnf-us");
        mnbgp::sh("ip -n " + us_->name() + " link set mnf-bird up");
        mnbgp::sh("ip -n " + birdNs_->name() + " link set mnf-us up");
        dir_ = std::make_unique<mnbgp::TempDir>();
        birdDir_ = std::make_unique<mnbgp::TempDir>();
        frr_ = std::make_unique<FrrBfd>(*frrNs_, dir_->path());
        std::map<std::string, std::string> vars{{"DIR", dir_->path()},
                                                {"OUR_AS", std::to_string(kOurAs)},
                                                {"INTERVAL_MS", std::to_string(kIntervalMs)}};
        QVERIFY2(frr_->start(mnbgp::fill(kSrc + "/frr/bfdd.conf", vars), mnbgp::fill(kSrc + "/frr/bgpd.conf", vars)),
                 "FRR (zebra, bfdd, bgpd) did not start");
        bird_ = std::make_unique<BirdBfd>(*birdNs_, birdDir_->path());
        vars["DIR"] = birdDir_->path();
        QVERIFY2(bird_->start(mnbgp::fill(kSrc + "/bird/bird.conf", vars)), "BIRD did not start");

        SpeakerConfig c;
        c.localAs = kOurAs;
        c.routerId = ip::make_address_v4("10.0.3.1").to_uint();
        c.listenAddress = ip::address_v6::any();
        c.networks = {P("203.0.113.0/24")};
        for (const char *a : {"10.0.3.2", "fd00:3::2", "10.0.4.2"}) {
            PeerConfig p;
            p.address = ip::make_address(a);
            p.remoteAs = std::string(a) == "10.0.4.2" ? 65003 : 65002;
            p.holdTime = 30;
            p.connectRetry = 1s;
            bfd::SessionConfig b;
            b.desiredMinTx = b.requiredMinRx = std::chrono::milliseconds(kIntervalMs);
            b.detectMult = 3;
            p.bfd = b;
            c.peers.push_back(p);
        }
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

    void sessionsUpBothWays()
    {
        waitUp();
        // FRR sees our packets: the session is up on its side with our 100 ms timers, reached
        // through the poll sequence we start when going Up (we advertise 1 s while Down).
        QVERIFY(mnbgp::waitFor([&] {
            auto p = frr_->bfdPeer("10.0.3.1");
            return p.value("remote-receive-interval", 0) == kIntervalMs && p.value("remote-transmit-interval", 0) == kIntervalMs;
        }, 10s));
        auto p = frr_->bfdPeer("10.0.3.1");
        QCOMPARE(p.value("remote-detect-multiplier", 0), 3);
        QVERIFY(p.value("remote-id", 0LL) != 0);
        QVERIFY(frr_->bfdPeer("fd00:3::1").value("status", "") == "up");
    }

    void frozenBfddTakesBgpDown()
    {
        waitUp();
        measure("bfdd_frozen", [&] { frr_->stop(); });
        frr_->cont();
        // bfdd thaws, sees us Down, and everything comes back without help.
        waitUp();
    }

    void linkDownTakesBgpDown()
    {
        waitUp();
        measure("link_down", [&] { frrNs_->exec("ip link set mnf-us down"); });
        // The IPv6 session shares the link: it goes down the same way.
        QVERIFY(mnbgp::waitFor([&] { return peer("fd00:3::2")->bfdState == bfd::State::Down; }, 5s));
        QVERIFY(mnbgp::waitFor([&] { return !speaker_->lookup(P("2001:db8:1::/48")); }, 5s));
        frrNs_->exec("ip link set mnf-us up");
        waitUp();
        QVERIFY(peer("10.0.3.2")->establishedTransitions >= 3);
    }

    void birdUpBothWays()
    {
        waitBirdUp();
        // BIRD sends every 100 ms and times out after 300 ms: it took our timers.
        QVERIFY2(mnbgp::waitFor([&] {
            auto w = bird_->bfdSession("10.0.4.1");
            return w.size() >= 2 && w[w.size() - 2] == "0.100" && w.back() == "0.300";
        }, 10s), bird_->birdc("show bfd sessions").c_str());
    }

    void frozenBirdTakesBgpDown()
    {
        waitBirdUp();
        measure("frozen", [&] { bird_->signal(SIGSTOP); }, "10.0.4.2", P("198.51.100.0/24"), "bird");
        bird_->signal(SIGCONT);
        waitBirdUp();
    }

    void birdLinkDownTakesBgpDown()
    {
        waitBirdUp();
        measure("link_down", [&] { birdNs_->exec("ip link set mnf-us down"); }, "10.0.4.2", P("198.51.100.0/24"), "bird");
        birdNs_->exec("ip link set mnf-us up");
        waitBirdUp();
    }
};

QTEST_GUILESS_MAIN(TstBfdInterop)
#include "tst_bfd_interop.moc"
