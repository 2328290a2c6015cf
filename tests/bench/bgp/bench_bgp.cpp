// 100,000 IPv4 prefixes, timed from session Established, medians of BENCH_BGP_RUNS (5) runs, peers measured side
// by side in the same run (DESIGN.md "Performance claims"):
//   frr_to_speaker   FRR (coalesce-time 0) -> our speaker's loc-RIB
//   frr_to_bird      FRR (coalesce-time 0) -> BIRD (the bar for the line above)
//   speaker_to_bird  our speaker -> BIRD
//   speaker_to_frr   our speaker -> FRR
//   bird_to_frr      BIRD -> FRR (the bar for the line above)
// plus peak RSS of our process, BIRD and FRR's bgpd. Needs root (namespaces, daemons).
// Start times come from each receiver's own view of Established (our observer; BIRD's log in
// ms); end times from polling the receiver with a deadline.
#include "gateway/bgp/speaker.h"

#include "tests/interop/bgp/peers.h"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <iomanip>
#include <sstream>
#include <fcntl.h>
#include <sched.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace midonet::gateway::bgp;
using namespace std::chrono_literals;
namespace ip = boost::asio::ip;
using Wall = std::chrono::system_clock;

namespace {

constexpr uint32_t kOurAs = 4200000001u;
constexpr int kCount = 100000;
// Runs per figure (medians): BENCH_BGP_RUNS, default 5. FRR starts sending 60-90 ms after
// Established whoever the receiver is (its own timers, seen in packet captures), so the
// FRR -> receiver figures differ by that noise more than by the receivers; more runs narrow it.
int runsFromEnv()
{
    const char *v = std::getenv("BENCH_BGP_RUNS");
    int n = v ? std::atoi(v) : 5;
    return n >= 1 && n <= 50 ? n : 5;
}
const int kRuns = runsFromEnv();
const std::string kSrc = MIDONET_BGP_BENCH_DIR;

Prefix nth(int i) { return *Prefix::v4((11u << 24) + (uint32_t(i) << 8), 24); }

struct Counter : SpeakerObserver {
    std::atomic<long> routes{0};
    std::atomic<int64_t> establishedNs{0}, doneNs{0}, firstNs{0};
    long target = kCount;
    void routesChanged(std::span<const RouteChange> c) override
    {
        long n = routes;
        if (!firstNs) firstNs = Wall::now().time_since_epoch().count();
        for (auto &r : c) n += r.withdrawn ? -1 : 1;
        routes = n;
        if (n >= target && !doneNs) doneNs = Wall::now().time_since_epoch().count();
    }
    void peerStateChanged(const PeerStatus &p) override
    {
        if (p.state == State::Established && !establishedNs) establishedNs = Wall::now().time_since_epoch().count();
    }
};

long selfPeakRssKb() { return mnbgp::peakRssKbOf(getpid()); }

long selfRssKb()
{
    std::ifstream in("/proc/self/status");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind("VmRSS:", 0) == 0) return std::atol(line.c_str() + 6);
    return 0;
}

// One speaker phase, run in a child process so its peak RSS is the speaker's alone (not the
// bench's configuration strings or earlier phases), as BIRD's and FRR's are their own.
struct Result {
    bool ok = false;
    double seconds = 0;      // Established -> last route
    double firstRoute = 0;   // Established -> first route (receiving phases)
    long peakRssKb = 0;
    long ribKb = 0;          // RSS growth while the routes arrived
};

template <class F> Result inChild(F phase)
{
    int fds[2];
    if (pipe(fds) != 0) return {};
    std::fflush(nullptr);
    pid_t pid = fork();
    if (pid == 0) {
        close(fds[0]);
        Result r = phase();
        r.peakRssKb = selfPeakRssKb();
        (void)!write(fds[1], &r, sizeof r);
        _exit(0); // no destructors: the namespaces and daemons belong to the parent
    }
    close(fds[1]);
    Result r;
    if (read(fds[0], &r, sizeof r) != ssize_t(sizeof r)) r = {};
    close(fds[0]);
    waitpid(pid, nullptr, 0);
    return r;
}

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : v[v.size() / 2];
}

long localOffsetSeconds();

// BIRD's "state changed to up" log line, "YYYY-MM-DD HH:MM:SS.mmm <info> <proto>: ...".
int64_t birdEstablishedNs(const std::string &log)
{
    std::ifstream in(log);
    std::string line;
    while (std::getline(in, line)) {
        if (line.find("BGP session established") == std::string::npos &&
            line.find("changed state from feeding to up") == std::string::npos &&
            line.find("State changed to up") == std::string::npos)
            continue;
        std::tm tm{};
        std::istringstream ss(line.substr(0, 19));
        ss >> std::get_time(&tm, "%Y-%m-%d %H:%M:%S");
        int ms = std::atoi(line.substr(20, 3).c_str());
        return (int64_t(timegm(&tm)) * 1000 + ms) * 1000000 - int64_t(localOffsetSeconds()) * 1000000000;
    }
    return 0;
}

long localOffsetSeconds()
{
    time_t now = time(nullptr);
    std::tm lt{};
    localtime_r(&now, &lt);
    return lt.tm_gmtoff;
}

long birdRouteCount(const mnbgp::Bird &b)
{
    auto out = b.birdc("show route count");
    auto pos = out.find(" of ");
    if (pos == std::string::npos) return 0;
    auto start = out.rfind('\n', pos);
    return std::atol(out.c_str() + (start == std::string::npos ? 0 : start + 1));
}

long frrPrefixesFrom(const mnbgp::Frr &f, const std::string &peer)
{
    auto out = f.vtysh("show bgp ipv4 unicast summary json");
    auto pos = out.find("\"" + peer + "\"");
    if (pos == std::string::npos) return 0;
    auto p = out.find("\"pfxRcd\":", pos);
    return p == std::string::npos ? 0 : std::atol(out.c_str() + p + 9);
}

long frrTableVersion(const mnbgp::Frr &f)
{
    auto out = f.vtysh("show bgp ipv4 unicast summary json");
    auto p = out.find("\"tableVersion\":");
    return p == std::string::npos ? 0 : std::atol(out.c_str() + p + 15);
}

// FRR's "%ADJCHANGE: neighbor <peer>... Up" line, "YYYY/MM/DD HH:MM:SS.mmm ..." (log timestamp
// precision 3).
int64_t frrEstablishedNs(const std::string &log, const std::string &peer)
{
    std::ifstream in(log);
    std::string line;
    while (std::getline(in, line)) {
        if (line.find("ADJCHANGE: neighbor " + peer) == std::string::npos || line.find(" Up") == std::string::npos)
            continue;
        std::tm tm{};
        std::istringstream ss(line.substr(0, 19));
        ss >> std::get_time(&tm, "%Y/%m/%d %H:%M:%S");
        int ms = std::atoi(line.substr(20, 3).c_str());
        return (int64_t(timegm(&tm)) * 1000 + ms) * 1000000 - int64_t(localOffsetSeconds()) * 1000000000;
    }
    return 0;
}

int64_t nowNs() { return Wall::now().time_since_epoch().count(); }

std::string frrConf(const std::string &dir, bool withNetworks)
{
    std::string nets;
    if (withNetworks) {
        nets.reserve(kCount * 32);
        for (int i = 0; i < kCount; ++i) nets += "  network " + nth(i).toString() + "\n";
    }
    return mnbgp::fill(kSrc + "/frr/bgpd.conf",
                       {{"DIR", dir}, {"OUR_AS", std::to_string(kOurAs)}, {"COUNT", std::to_string(kCount)}, {"NETWORKS", nets}});
}

std::string birdConf(const std::string &dir, const char *name, const char *peer, uint32_t peerAs)
{
    return mnbgp::fill(kSrc + "/bird/bird.conf",
                       {{"DIR", dir}, {"NAME", name}, {"PEER", peer}, {"PEER_AS", std::to_string(peerAs)}});
}

std::string birdSenderConf(const std::string &dir)
{
    std::string routes;
    routes.reserve(kCount * 40);
    for (int i = 0; i < kCount; ++i) routes += "  route " + nth(i).toString() + " blackhole;\n";
    return mnbgp::fill(kSrc + "/bird/bird-sender.conf", {{"DIR", dir}, {"ROUTES", routes}});
}

SpeakerConfig speakerConfig(bool withNetworks, const char *peer, uint32_t peerAs, bool passive = false)
{
    SpeakerConfig c;
    c.localAs = kOurAs;
    c.routerId = ip::make_address_v4("10.0.1.1").to_uint();
    c.listenAddress = ip::address_v4::any();
    PeerConfig p;
    p.address = ip::make_address(peer);
    p.remoteAs = peerAs;
    p.connectRetry = 1s;
    p.ipv6Unicast = false;
    p.passive = passive;
    c.peers = {p};
    if (withNetworks)
        for (int i = 0; i < kCount; ++i) c.networks.push_back(nth(i));
    return c;
}

void bench(const char *name, double value, const char *unit) { std::printf("BENCH %s %.3f %s\n", name, value, unit); }

} // namespace

// --receive-in <namespace>: FRR -> speaker in this fresh process; prints one RESULT line.
int receiveChild(const std::string &ns)
{
    Result r;
    Counter obs;
    long before = selfRssKb();
    // Passive, so FRR dials us as it dials BIRD in the FRR -> BIRD phase (BIRD waits its connect
    // delay): FRR starts its updates ~25 ms later on a session it accepted than on one it dialled
    // (packet captures), so the same direction for both receivers keeps that out of the comparison.
    Speaker sp(speakerConfig(false, "10.0.1.2", 65002, true), &obs);
    if (sp.start([&ns] {
            int fd = open(("/run/netns/" + ns).c_str(), O_RDONLY | O_CLOEXEC);
            if (fd < 0 || setns(fd, CLONE_NEWNET) != 0) std::abort();
            close(fd);
        }))
        return 1;
    r.ok = mnbgp::waitFor([&] { return obs.doneNs != 0; }, 60s, 5ms);
    r.seconds = (obs.doneNs - obs.establishedNs) / 1e9;
    r.firstRoute = (obs.firstNs - obs.establishedNs) / 1e9;
    r.ribKb = selfRssKb() - before;
    r.peakRssKb = selfPeakRssKb();
    sp.stop();
    std::printf("RESULT %d %.6f %.6f %ld %ld\n", int(r.ok), r.seconds, r.firstRoute, r.peakRssKb, r.ribKb);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 3 && std::string(argv[1]) == "--receive-in") return receiveChild(argv[2]);
    char exe[4096] = {};
    if (readlink("/proc/self/exe", exe, sizeof exe - 1) <= 0) return 1;
    const std::string self = exe;
    if (auto why = mnbgp::missingPrerequisite(); !why.empty()) {
        std::printf("SKIP bench_bgp: %s\n", why.c_str());
        return 0;
    }
    std::vector<double> frrToUs, frrToUsFirst, frrToUsOwn, frrToBird, usToBird, usToFrr, birdToFrr, ribKb;
    long birdSendRss = 0;
    long birdRss = 0, birdFromUsRss = 0, frrRss = 0, usRecvRss = 0, usSendRss = 0;
    for (int run = 0; run < kRuns; ++run) {
        mnbgp::Namespace us("bus"), frrNs("bfrr"), birdNs("bbird");
        mnbgp::link(us, "tofrr", "10.0.1.1", "fd00:1::1", frrNs, "tous", "10.0.1.2", "fd00:1::2");
        mnbgp::link(us, "tobird", "10.0.2.1", "fd00:2::1", birdNs, "tous", "10.0.2.2", "fd00:2::2");
        mnbgp::link(frrNs, "tobird", "10.0.3.1", "fd00:3::1", birdNs, "tofrr", "10.0.3.2", "fd00:3::2");
        auto enter = [&us] { us.enter(); };

        // 1. FRR -> our speaker.
        {
            mnbgp::TempDir dir;
            mnbgp::Frr frr(frrNs, dir.path());
            if (!frr.start(frrConf(dir.path(), true))) return std::fprintf(stderr, "FRR did not start\n"), 1;
            // FRR has taken its configuration once its table holds every network.
            mnbgp::waitFor([&] { return frrTableVersion(frr) >= kCount; }, 120s, 200ms);
            // A fresh process (this program re-executed), so its peak RSS is the speaker's and
            // the libraries' alone, as BIRD's and FRR's figures are theirs.
            Result r;
            auto out = mnbgp::sh(self + " --receive-in " + us.name());
            auto pos = out.find("RESULT ");
            int okFlag = 0;
            if (pos != std::string::npos)
                std::sscanf(out.c_str() + pos, "RESULT %d %lf %lf %ld %ld", &okFlag, &r.seconds, &r.firstRoute,
                            &r.peakRssKb, &r.ribKb);
            r.ok = okFlag;
            if (r.ok) {
                frrToUs.push_back(r.seconds);
                frrToUsFirst.push_back(r.firstRoute);
                frrToUsOwn.push_back(r.seconds - r.firstRoute); // FRR's start delay taken out
                ribKb.push_back(r.ribKb);
            }
            usRecvRss = std::max(usRecvRss, r.peakRssKb);

            // 2. FRR -> BIRD, same FRR, same table.
            mnbgp::TempDir bdir;
            mnbgp::Bird bird(birdNs, bdir.path());
            bird.start(birdConf(bdir.path(), "frr", "10.0.3.1", 65002));
            int64_t end = 0;
            bool ok = mnbgp::waitFor([&] {
                if (birdRouteCount(bird) < kCount) return false;
                end = nowNs();
                return true;
            }, 60s, 5ms);
            int64_t start = birdEstablishedNs(bdir.path() + "/bird.log");
            if (ok && start) frrToBird.push_back((end - start) / 1e9);
            birdRss = std::max(birdRss, bird.peakRssKb());
            frrRss = std::max(frrRss, frr.bgpdPeakRssKb());
            bird.stop();
            frr.stop();
        }
        // 3. our speaker -> BIRD.
        {
            mnbgp::TempDir bdir;
            mnbgp::Bird bird(birdNs, bdir.path());
            bird.start(birdConf(bdir.path(), "midonet", "10.0.2.1", kOurAs));
            Result r = inChild([&] {
                Result r;
                Counter obs;
                Speaker sp(speakerConfig(true, "10.0.2.2", 65003), &obs);
                if (sp.start(enter)) return r;
                int64_t end = 0;
                r.ok = mnbgp::waitFor([&] {
                    if (birdRouteCount(bird) < kCount) return false;
                    end = nowNs();
                    return true;
                }, 60s, 5ms) && obs.establishedNs;
                r.seconds = (end - obs.establishedNs) / 1e9;
                sp.stop();
                return r;
            });
            if (r.ok) usToBird.push_back(r.seconds);
            usSendRss = std::max(usSendRss, r.peakRssKb);
            birdFromUsRss = std::max(birdFromUsRss, bird.peakRssKb());
            bird.stop();
        }
        // 4. our speaker -> FRR.
        {
            mnbgp::TempDir dir;
            mnbgp::Frr frr(frrNs, dir.path());
            frr.start(frrConf(dir.path(), false));
            Result r = inChild([&] {
                Result r;
                Counter obs;
                Speaker sp(speakerConfig(true, "10.0.1.2", 65002), &obs);
                if (sp.start(enter)) return r;
                int64_t end = 0;
                r.ok = mnbgp::waitFor([&] {
                    if (frrPrefixesFrom(frr, "10.0.1.1") < kCount) return false;
                    end = nowNs();
                    return true;
                }, 60s, 5ms) && obs.establishedNs;
                r.seconds = (end - obs.establishedNs) / 1e9;
                sp.stop();
                return r;
            });
            if (r.ok) usToFrr.push_back(r.seconds);

            // 5. BIRD -> the same FRR (the bar for the line above).
            mnbgp::TempDir bdir;
            mnbgp::Bird bird(birdNs, bdir.path());
            bird.start(birdSenderConf(bdir.path()));
            int64_t end = 0;
            bool ok = mnbgp::waitFor([&] {
                if (frrPrefixesFrom(frr, "10.0.3.2") < kCount) return false;
                end = nowNs();
                return true;
            }, 90s, 5ms);
            int64_t start = frrEstablishedNs(dir.path() + "/bgpd.log", "10.0.3.2");
            if (ok && start) birdToFrr.push_back((end - start) / 1e9);
            birdSendRss = std::max(birdSendRss, bird.peakRssKb());
            bird.stop();
            frr.stop();
        }
        std::fprintf(stderr, "run %d done\n", run + 1);
    }
    auto report = [](const char *name, const std::vector<double> &v) {
        std::fprintf(stderr, "samples %s:", name);
        for (double x : v) std::fprintf(stderr, " %.3f", x);
        std::fprintf(stderr, "\n");
        if (v.size() == size_t(kRuns)) bench(name, median(v), "s");
        else std::printf("BENCH-MISSING %s (%zu of %d runs completed)\n", name, v.size(), kRuns);
    };
    report("bgp_frr_to_speaker_100k", frrToUs);
    report("bgp_frr_to_speaker_first_route", frrToUsFirst);
    report("bgp_frr_to_speaker_first_to_last_route", frrToUsOwn);
    report("bgp_frr_to_bird_100k", frrToBird);
    report("bgp_speaker_to_bird_100k", usToBird);
    report("bgp_speaker_to_frr_100k", usToFrr);
    report("bgp_bird_to_frr_100k", birdToFrr);
    bench("bgp_speaker_peak_rss_receiving_100k", usRecvRss / 1024.0, "MB");
    bench("bgp_speaker_rib_growth_100k", median(std::vector<double>(ribKb.begin(), ribKb.end())) / 1024.0, "MB");
    bench("bgp_speaker_peak_rss_sending_100k", usSendRss / 1024.0, "MB");
    bench("bgp_bird_peak_rss_receiving_100k_from_frr", birdRss / 1024.0, "MB");
    bench("bgp_bird_peak_rss_receiving_100k_from_speaker", birdFromUsRss / 1024.0, "MB");
    bench("bgp_frr_bgpd_peak_rss_100k", frrRss / 1024.0, "MB");
    bench("bgp_bird_peak_rss_sending_100k", birdSendRss / 1024.0, "MB");
    return 0;
}
