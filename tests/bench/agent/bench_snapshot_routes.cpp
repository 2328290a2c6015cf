// bench_snapshot_routes: what one learned-route change costs the agent (issue 9). A provider
// router with 100,000 BGP-learned /24s in the NSDB's 64 chunks (common/model/learned_routes.h,
// decoded as TopologyCache does) via one uplink, plus a default route and two tenant-facing
// ports; then the same 100,000 learned by a second gateway too (200,000 routes, ECMP pairs).
// Prints the CPU time of buildSnapshot() (every chunk change rebuilds the snapshot on the
// next packet) and of decoding one changed chunk; medians of 5.
#include "agent/topology/snapshot_builder.h"
#include "common/model/learned_routes.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <ctime>

using namespace midonet;
using util::IPv4Address;
using util::IPv4Subnet;
using util::Uuid;

namespace {

double threadCpuSeconds()
{
    timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) + double(ts.tv_nsec) * 1e-9;
}

template <class F> double medianMs(int runs, F &&f)
{
    std::vector<double> t;
    for (int i = 0; i < runs; ++i) {
        const double s = threadCpuSeconds();
        f();
        t.push_back((threadCpuSeconds() - s) * 1e3);
    }
    std::sort(t.begin(), t.end());
    return t[t.size() / 2];
}

Uuid id(uint64_t n) { return Uuid{0xbe4c5a0000000000ULL, n}; }

} // namespace

int main()
{
    constexpr int kLearned = 100000;
    agent::ModelSet m;
    const Uuid host = id(1), router = id(2), uplink = id(3);
    model::Router r;
    r.id = router;
    m.routers[router] = r;
    model::Port up;
    up.id = uplink;
    up.type = model::PortType::Router;
    up.deviceId = router;
    up.hostId = host;
    up.interfaceName = "up0";
    up.portAddress = *IPv4Address::parse("192.0.2.1");
    up.networkLength = 24;
    m.ports[uplink] = up;
    for (uint64_t t = 0; t < 2; ++t) { // tenant-facing ports
        model::Port p;
        p.id = id(10 + t);
        p.type = model::PortType::Router;
        p.deviceId = router;
        p.portAddress = IPv4Address{0x0a000001u + uint32_t(t << 8)};
        p.networkLength = 24;
        m.ports[p.id] = p;
    }
    model::Route def;
    def.id = id(20);
    def.routerId = router;
    def.nextHopPort = uplink;
    def.nextHopGateway = *IPv4Address::parse("192.0.2.254");
    m.routes[def.id] = def;

    // The chunks one gateway writes for its uplink, decoded into the router's learned routes.
    std::vector<std::pair<unsigned, std::string>> chunks;
    auto learnVia = [&](const Uuid &port) {
        model::LearnedRouteBuckets buckets(port);
        for (uint32_t i = 0; i < uint32_t(kLearned); ++i)
            buckets.set(IPv4Subnet{IPv4Address{0x14000000u + (i << 8)}, 24}, *IPv4Address::parse("192.0.2.254"));
        chunks = buckets.takeDirty();
        auto &entries = m.learnedRoutes[router];
        for (const auto &[bucket, value] : chunks) {
            const std::string key = port.toString() + "." + std::to_string(bucket);
            entries[key] = *model::decodeLearnedRoutes(router, key, value);
        }
    };
    agent::LocalBindings local;
    local.localHost = host;
    size_t sink = 0;
    auto buildMs = [&](size_t expected) {
        return medianMs(5, [&] {
            auto snap = agent::buildSnapshot(m, local);
            size_t learned = 0;
            for (const auto &rt : snap->router(router)->routes) learned += rt.learned;
            if (learned != expected) {
                std::fprintf(stderr, "expected %zu learned routes in the snapshot, got %zu\n", expected, learned);
                std::exit(1);
            }
            sink += learned;
        });
    };
    learnVia(uplink);
    std::printf("BENCH snapshot_build_100k_learned_routes %.1f ms\n", buildMs(kLearned));
    model::Port up2 = up;
    up2.id = id(4);
    up2.interfaceName = "up1";
    m.ports[up2.id] = up2;
    learnVia(up2.id);
    std::printf("BENCH snapshot_build_2x100k_learned_routes_ecmp %.1f ms\n", buildMs(2 * kLearned));
    const std::string key0 = Uuid(id(4)).toString() + "." + std::to_string(chunks[0].first);
    const double decode = medianMs(5, [&] {
        sink += model::decodeLearnedRoutes(router, key0, chunks[0].second)->size();
    });
    std::printf("BENCH learned_routes_decode_one_chunk %.2f ms\n", decode);
    return sink == 42 ? 1 : 0;
}
