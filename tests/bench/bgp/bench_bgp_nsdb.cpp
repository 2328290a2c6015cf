// The L3 gateway's learned routes end to end, 100,000 IPv4 prefixes (issue 9's NSDB goal: under
// 2 s, withdrawal likewise), on a real ZooKeeper:
//   FRR (coalesce-time 0) -> our speaker's loc-RIB -> learned-route chunks in the NSDB (the agent's
//   writer: common/model/learned_routes.h, flushed every 100 ms as agent/gateway/gateways.h
//   does) -> another agent's TopologyCache -> a simulation snapshot whose router holds all
//   100,000 learned routes.
//   Then FRR's bgpd stops (Cease): withdrawals -> chunks removed -> the other agent's snapshot
//   has none left.
// BENCH lines (seconds, one run): Established -> loc-RIB complete, Established -> visible in the
// other agent's snapshot, loc-RIB complete -> visible (the NSDB part alone), session down ->
// gone from the other agent's snapshot. Needs root (namespaces, FRR) and ZooKeeper.
#include "agent/topology/topology_cache.h"
#include "common/model/learned_routes.h"
#include "common/model/model.h"
#include "common/store/zookeeper_store.h"
#include "gateway/bgp/speaker.h"
#include "tests/interop/bgp/peers.h"
#include "tests/support/zookeeper_server.h"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <mutex>
#include <thread>

using namespace midonet;
using namespace midonet::gateway::bgp;
using namespace std::chrono_literals;
namespace ip = boost::asio::ip;

namespace {

constexpr uint32_t kOurAs = 4200000001u;
constexpr int kCount = 100000;
const std::string kSrc = MIDONET_BGP_BENCH_DIR;

int64_t nowNs() { return std::chrono::steady_clock::now().time_since_epoch().count(); }
void bench(const char *name, double value, const char *unit) { std::printf("BENCH %s %.3f %s\n", name, value, unit); }

// The agent's gateway writer, reduced to what matters here: loc-RIB changes into chunks, a
// flusher every 100 ms.
struct Writer : SpeakerObserver {
    std::mutex mu;
    model::LearnedRouteBuckets buckets;
    std::atomic<long> rib{0};
    std::atomic<int64_t> establishedNs{0}, ribDoneNs{0}, downNs{0}, ribEmptyNs{0};
    util::IPv4Address gw = *util::IPv4Address::parse("10.0.1.2");
    explicit Writer(util::Uuid port) : buckets(port) {}
    void routesChanged(std::span<const RouteChange> changes) override
    {
        std::lock_guard lock(mu);
        long n = rib;
        for (const auto &c : changes) {
            const uint32_t a = uint32_t(c.prefix.bytes[0]) << 24 | uint32_t(c.prefix.bytes[1]) << 16 |
                               uint32_t(c.prefix.bytes[2]) << 8 | c.prefix.bytes[3];
            const util::IPv4Subnet dst{util::IPv4Address{a}, c.prefix.length};
            if (c.withdrawn) buckets.set(dst, std::nullopt), --n;
            else buckets.set(dst, gw), ++n;
        }
        rib = n;
        if (n >= kCount && !ribDoneNs) ribDoneNs = nowNs();
        if (n == 0 && ribDoneNs && !ribEmptyNs) ribEmptyNs = nowNs();
    }
    void peerStateChanged(const PeerStatus &p) override
    {
        if (p.state == State::Established && !establishedNs) establishedNs = nowNs();
        if (p.state != State::Established && establishedNs && !downNs) downNs = nowNs();
    }
};

template <class T> void put(store::Store &s, const T &obj)
{
    s.create(std::string(T::kType), obj.id, model::encode(obj, model::View::Store).dump());
}

size_t learnedIn(agent::TopologyCache &cache, const util::Uuid &router)
{
    auto [snap, gen] = cache.snapshot();
    const auto *r = snap->router(router);
    size_t n = 0;
    if (r)
        for (const auto &rt : r->routes) n += rt.learned;
    return n;
}

} // namespace

int main()
{
    if (auto why = mnbgp::missingPrerequisite(); !why.empty()) return std::printf("SKIP bench_bgp_nsdb: %s\n", why.c_str()), 0;
    if (auto why = test::zooKeeperUnavailableReason(); !why.empty())
        return std::printf("SKIP bench_bgp_nsdb: %s\n", why.c_str()), 0;
    test::ZooKeeperServer zk;
    store::ZooKeeperStore::Options o;
    o.servers = zk.connectString();
    store::ZooKeeperStore gatewayStore(o), otherStore(o);

    // A router with an uplink (the gateway's port) and a port bound on the other agent's host,
    // so the other agent loads the router (lazy loading follows its ports).
    const util::Uuid host = util::Uuid::random(), router = util::Uuid::random(), uplink = util::Uuid::random(),
                     local = util::Uuid::random();
    model::Host h;
    h.id = host;
    h.name = "other";
    put(gatewayStore, h);
    model::Router r;
    r.id = router;
    r.asNumber = kOurAs;
    put(gatewayStore, r);
    model::Port up;
    up.id = uplink;
    up.type = model::PortType::Router;
    up.deviceId = router;
    up.portSubnet = {*util::IPv4Subnet::parse("10.0.1.1/24")};
    up.portAddress = *util::IPv4Address::parse("10.0.1.1");
    up.portMac = util::MacAddress::parse("ac:ca:ba:00:00:01");
    up.hostId = util::Uuid::random();
    up.interfaceName = "up0";
    up.active = true;
    put(gatewayStore, up);
    model::Port in = up;
    in.id = local;
    in.portSubnet = {*util::IPv4Subnet::parse("10.9.0.1/24")};
    in.portAddress = *util::IPv4Address::parse("10.9.0.1");
    in.hostId = host;
    in.interfaceName = "vm0";
    put(gatewayStore, in);

    agent::LocalBindings lb;
    lb.localHost = host;
    lb.dpPortOf = [&](const util::Uuid &p) { return p == local ? 2u : 0u; };
    agent::TopologyCache cache(otherStore, lb, nullptr);
    cache.start();

    mnbgp::Namespace us("nsdbus"), frrNs("nsdbfrr");
    mnbgp::link(us, "tofrr", "10.0.1.1", "fd00:1::1", frrNs, "tous", "10.0.1.2", "fd00:1::2");
    mnbgp::TempDir dir;
    mnbgp::Frr frr(frrNs, dir.path());
    std::string nets;
    for (int i = 0; i < kCount; ++i)
        nets += "  network " + Prefix::v4((11u << 24) + (uint32_t(i) << 8), 24)->toString() + "\n";
    if (!frr.start(mnbgp::fill(kSrc + "/frr/bgpd.conf", {{"DIR", dir.path()}, {"OUR_AS", std::to_string(kOurAs)},
                                                          {"COUNT", std::to_string(kCount)}, {"NETWORKS", nets}})))
        return std::fprintf(stderr, "FRR did not start\n"), 1;
    mnbgp::waitFor([&] {
        auto out = frr.vtysh("show bgp ipv4 unicast summary json");
        auto p = out.find("\"tableVersion\":");
        return p != std::string::npos && std::atol(out.c_str() + p + 15) >= kCount;
    }, 120s, 200ms);

    Writer w(uplink);
    std::atomic<bool> stop{false};
    std::atomic<size_t> writes{0};
    std::thread flusher([&] {
        while (!stop) {
            std::vector<std::pair<unsigned, std::string>> taken;
            {
                std::lock_guard lock(w.mu);
                taken = w.buckets.takeDirty();
            }
            size_t done = 0;
            w.buckets.write(gatewayStore, router, taken, &done);
            writes += done;
            std::this_thread::sleep_for(100ms);
        }
    });
    SpeakerConfig c;
    c.localAs = kOurAs;
    c.routerId = ip::make_address_v4("10.0.1.1").to_uint();
    PeerConfig p;
    p.address = ip::make_address("10.0.1.2");
    p.remoteAs = 65002;
    p.connectRetry = 1s;
    p.ipv6Unicast = false;
    c.peers = {p};
    Speaker sp(c, &w);
    if (sp.start([&us] { us.enter(); })) return std::fprintf(stderr, "speaker did not start\n"), 1;

    int64_t visibleNs = 0;
    bool ok = mnbgp::waitFor([&] {
        if (learnedIn(cache, router) < size_t(kCount)) return false;
        visibleNs = nowNs();
        return true;
    }, 120s, 10ms);
    if (!ok || !w.ribDoneNs) {
        std::printf("BENCH-MISSING bgp_nsdb_visible_100k (rib %ld, visible %zu)\n", w.rib.load(), learnedIn(cache, router));
        stop = true;
        flusher.join();
        return 1;
    }
    bench("bgp_frr_to_rib_100k", (w.ribDoneNs - w.establishedNs) / 1e9, "s");
    bench("bgp_frr_to_other_agent_snapshot_100k", (visibleNs - w.establishedNs) / 1e9, "s");
    bench("bgp_rib_to_other_agent_snapshot_100k", (visibleNs - w.ribDoneNs) / 1e9, "s");
    std::printf("NSDB writes for 100,000 routes: %zu\n", writes.load());

    // bgpd stops (Cease): every route is withdrawn. stop() waits for the daemons to exit, so it
    // runs beside the measurement.
    std::thread stopper([&] { frr.stop(); });
    int64_t goneNs = 0;
    ok = mnbgp::waitFor([&] {
        if (learnedIn(cache, router) != 0) return false;
        goneNs = nowNs();
        return true;
    }, 120s, 10ms);
    if (ok && w.downNs) {
        bench("bgp_session_down_to_rib_empty_100k", std::max<int64_t>(0, w.ribEmptyNs - w.downNs) / 1e9, "s");
        bench("bgp_withdraw_to_other_agent_snapshot_100k", (goneNs - w.downNs) / 1e9, "s");
        bench("bgp_rib_empty_to_other_agent_snapshot_100k", (goneNs - w.ribEmptyNs) / 1e9, "s");
    }
    else std::printf("BENCH-MISSING bgp_withdraw_to_other_agent_snapshot_100k (%zu left)\n", learnedIn(cache, router));
    stopper.join();
    sp.stop();
    stop = true;
    flusher.join();
    cache.stop();
    return 0;
}
