// bench_topology_load [TENANTS]: a private ZooKeeper holds TENANTS tenants (bridge, router linked
// to it, a filter chain with 10 rules, a bound VM port each); an agent's topology cache starts on
// the host of tenant 0's VM. Prints how long the cache takes to start and how many objects it
// loads, against reading every collection (what an agent without lazy loading does).
#include "agent/topology/topology_cache.h"
#include "common/model/codec.h"
#include "common/store/zookeeper_store.h"
#include "tests/support/zookeeper_server.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>

using namespace midonet;
using util::Uuid;

namespace {

template <class T> store::Op create(const T &obj)
{
    return store::Op::create(std::string(T::kType), obj.id, model::encode(obj, model::View::Store).dump());
}

double secondsSince(std::chrono::steady_clock::time_point t0)
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

} // namespace

int main(int argc, char **argv)
{
    const int tenants = argc > 1 ? std::atoi(argv[1]) : 1000;
    test::ZooKeeperServer zk;
    store::ZooKeeperStore::Options o;
    o.servers = zk.connectString();
    store::ZooKeeperStore st(o);

    Uuid myHost;
    size_t objects = 0;
    auto t0 = std::chrono::steady_clock::now();
    for (int t = 0; t < tenants; ++t) {
        std::vector<store::Op> ops;
        const Uuid host = Uuid::random();
        if (t == 0) myHost = host;
        model::Bridge b;
        b.id = Uuid::random();
        model::Chain c;
        c.id = Uuid::random();
        model::Router r;
        r.id = Uuid::random();
        r.inboundFilterId = c.id;
        for (int i = 0; i < 10; ++i) {
            model::Rule rule;
            rule.id = Uuid::random();
            rule.chainId = c.id;
            rule.type = model::RuleType::Drop;
            rule.condition.nwProto = 6;
            rule.condition.tpDst = model::PortRange{22, 22};
            c.ruleIds.push_back(rule.id);
            ops.push_back(create(rule));
        }
        model::Port vm, bp, rp;
        vm.id = Uuid::random();
        vm.deviceId = b.id;
        vm.hostId = host;
        vm.interfaceName = "tap" + std::to_string(t);
        bp.id = Uuid::random();
        bp.deviceId = b.id;
        rp.id = Uuid::random();
        rp.type = model::PortType::Router;
        rp.deviceId = r.id;
        rp.portSubnet = {*util::IPv4Subnet::parse("10.0.0.1/24")};
        rp.portAddress = rp.portSubnet[0].address;
        rp.portMac = *util::MacAddress::parse("02:00:00:00:00:01");
        bp.peerId = rp.id;
        rp.peerId = bp.id;
        for (const auto &op : {create(b), create(c), create(r), create(vm), create(bp), create(rp)}) ops.push_back(op);
        objects += ops.size();
        st.multi(ops);
        if ((t + 1) % 200 == 0) std::fprintf(stderr, "  %d/%d tenants written\n", t + 1, tenants);
    }
    std::printf("BENCH topology_nsdb_objects %zu objects (%d tenants, written in %.1f s)\n", objects, tenants,
                secondsSince(t0));

    agent::LocalBindings local;
    local.localHost = myHost;
    agent::TopologyCache cache(st, local, {});
    t0 = std::chrono::steady_clock::now();
    cache.start();
    const double lazy = secondsSince(t0);
    size_t lazyObjects = 0;
    for (const auto &[type, n] : cache.lazyLoaded()) lazyObjects += n;
    const auto m = cache.models();
    std::printf("BENCH topology_lazy_start_s %.3f s (%zu devices/chains/rules loaded; %zu ports, %zu routes as index)\n",
                lazy, lazyObjects, m.ports.size(), m.routes.size());

    // Without lazy loading: every collection read and decoded (what the cache did before).
    t0 = std::chrono::steady_clock::now();
    agent::ModelSet all;
    size_t read = 0;
    for (const auto &type : agent::ModelSet::types())
        for (const auto &obj : st.list(type)) {
            all.apply(type, obj.id, obj.data);
            ++read;
        }
    const double full = secondsSince(t0);
    std::printf("BENCH topology_full_read_s %.3f s (%zu objects)\n", full, read);
    std::printf("BENCH topology_lazy_speedup %.1f x\n", full / std::max(lazy, 1e-6));
    cache.stop();
    return 0;
}
