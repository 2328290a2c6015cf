// Simulations per second on one thread for typical pipelines, parse included:
//   bridge unicast; bridge -> router -> bridge; the same with a 100- and a 1,000-rule chain on
//   the router (no rule matches until the last); SNAT of a new connection and of an
//   established one; and bridge -> router -> bridge with the trace switched on.
// Each figure is the median of 3 runs of about 0.3 s of this thread's CPU time
// (CLOCK_THREAD_CPUTIME_ID): "per core", and steady when other processes share the machine
// (wall-clock rates would mostly measure the scheduler). Goals (issue 5): bridge unicast
// >= 1,000,000/s; bridge -> router -> bridge with 1,000 rules >= 200,000/s.
#include "agent/simulation/simulator.h"
#include "common/packet/builder.h"

#include <algorithm>
#include <ctime>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>

using namespace midonet;
using namespace midonet::sim;

namespace {

Uuid id(uint64_t n) { return Uuid{0xbe4c000000000000ULL, n}; }
IPv4Address ip(const char *s) { return *IPv4Address::parse(s); }
MacAddress mac(const char *s) { return *MacAddress::parse(s); }

const Uuid kHost = id(1), kBrA = id(10), kBrB = id(11), kRouter = id(20);
const Uuid kVm1 = id(101), kVm2 = id(102), kVm3 = id(103), kUplink = id(104);
const Uuid kBrAPort = id(110), kBrBPort = id(111), kRtA = id(120), kRtB = id(121);
const Uuid kChain = id(300);
const MacAddress kMac1 = mac("02:00:00:00:00:01"), kMac2 = mac("02:00:00:00:00:02"),
                 kMac3 = mac("02:00:00:00:01:03"), kMacRA = mac("02:aa:00:00:00:01"),
                 kMacRB = mac("02:aa:00:00:00:02"), kMacUp = mac("02:aa:00:00:00:03");

struct World {
    TopologySnapshot topo;
    StateTables state;

    explicit World(int rules, bool snat)
    {
        topo.localHost = kHost;
        topo.addHost({kHost, ip("192.168.100.1")});
        topo.addBridge(Bridge{kBrA, "a", true, {}, {}, {}});
        topo.addBridge(Bridge{kBrB, "b", true, {}, {}, {}});
        auto ext = [&](Uuid pid, Uuid dev, uint32_t dp, DeviceType t = DeviceType::Bridge) {
            Port p;
            p.id = pid;
            p.deviceId = dev;
            p.deviceType = t;
            p.hostId = kHost;
            p.dpPortNo = dp;
            topo.addPort(p);
        };
        ext(kVm1, kBrA, 1);
        ext(kVm2, kBrA, 2);
        ext(kVm3, kBrB, 3);
        auto rport = [&](Uuid pid, MacAddress m, const char *a) {
            Port p;
            p.id = pid;
            p.deviceId = kRouter;
            p.deviceType = DeviceType::Router;
            p.mac = m;
            p.address = *IPv4Subnet::parse(a);
            return p;
        };
        Port ra = rport(kRtA, kMacRA, "10.0.0.1/24"), rb = rport(kRtB, kMacRB, "10.0.1.1/24");
        Port up = rport(kUplink, kMacUp, "192.0.2.1/24");
        up.hostId = kHost;
        up.dpPortNo = 10;
        ra.peerId = kBrAPort;
        rb.peerId = kBrBPort;
        topo.addPort(ra);
        topo.addPort(rb);
        topo.addPort(up);
        Port ba;
        ba.id = kBrAPort;
        ba.deviceId = kBrA;
        ba.peerId = kRtA;
        topo.addPort(ba);
        Port bb = ba;
        bb.id = kBrBPort;
        bb.deviceId = kBrB;
        bb.peerId = kRtB;
        topo.addPort(bb);
        Router r;
        r.id = kRouter;
        Route def;
        def.id = id(130);
        def.dst = *IPv4Subnet::parse("0.0.0.0/0");
        def.nextHopPort = kUplink;
        def.gateway = ip("192.0.2.254");
        r.routes.push_back(def);
        if (rules > 0) {
            Chain c{kChain, "bench", {}, {}};
            for (int i = 0; i < rules; ++i) {
                Rule rule;
                rule.id = id(1000 + i);
                rule.action = RuleAction::Drop;
                // 172.16.x.y/32 sources: never the benchmark's packets.
                rule.cond.nwSrc.value = IPv4Subnet{IPv4Address{0xac100000u + uint32_t(i)}, 32};
                c.rules.push_back(rule);
            }
            topo.addChain(c);
            r.inboundFilter = kChain;
        }
        if (snat) {
            Chain c{id(301), "snat", {}, {}};
            Rule rule;
            rule.id = id(5000);
            rule.kind = RuleKind::Snat;
            rule.action = RuleAction::Accept;
            rule.cond.outPorts = {kUplink};
            rule.natTargets = {NatTarget{ip("192.0.2.1"), ip("192.0.2.1"), 1024, 65535}};
            c.rules.push_back(rule);
            topo.addChain(c);
            r.outboundFilter = c.id;
            auto &blocks = state.natBlocks[NatBlockKey{kRouter, ip("192.0.2.1")}].owned;
            for (uint16_t b = 16; b < 1024; ++b) blocks.push_back(b);
        }
        topo.addRouter(r);
        topo.finalize();
        state.macs[MacKey{kBrA, 0, kMac1}] = kVm1;
        state.macs[MacKey{kBrA, 0, kMac2}] = kVm2;
        state.macs[MacKey{kBrB, 0, kMac3}] = kVm3;
        state.arps[ArpKey{kRouter, ip("10.0.1.3")}] = ArpEntry{kMac3, false, UINT64_MAX};
        state.arps[ArpKey{kRouter, ip("192.0.2.254")}] = ArpEntry{mac("02:ff:00:00:00:01"), false, UINT64_MAX};
    }
};

flow::FlowKey tcpKey(MacAddress src, MacAddress dst, const char *a, const char *b, uint16_t sport)
{
    flow::FlowKey k;
    k.ethSrc = src;
    k.ethDst = dst;
    k.ethType = flow::kEthTypeIpv4;
    k.ipv4Src = ip(a);
    k.ipv4Dst = ip(b);
    k.ipProto = flow::kIpProtoTcp;
    k.ipTtl = 64;
    k.tpSrc = sport;
    k.tpDst = 80;
    k.tcpFlags = packet::kTcpSyn;
    return k;
}

double threadCpuSeconds()
{
    timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) + double(ts.tv_nsec) * 1e-9;
}

// Runs `one` repeatedly for ~0.3 s of CPU; returns calls per CPU second. `sink` defeats
// dead-code removal.
double rate(const std::function<size_t(uint64_t)> &one, size_t &sink)
{
    uint64_t n = 0;
    const double start = threadCpuSeconds();
    double elapsed = 0;
    while (elapsed < 0.3) {
        for (int i = 0; i < 1000; ++i) sink += one(n++);
        elapsed = threadCpuSeconds() - start;
    }
    return double(n) / elapsed;
}

void bench(const char *name, const std::function<size_t(uint64_t)> &one)
{
    size_t sink = 0;
    double runs[3];
    for (double &r : runs) r = rate(one, sink);
    std::sort(runs, runs + 3);
    std::printf("BENCH %s %.0f sims/s\n", name, runs[1]);
    if (sink == 42) std::printf(" ");
}

} // namespace

int main()
{
    Simulator sim;
    SimulationEnv env;
    env.trace = false;

    World plain(0, false), rules100(100, false), rules1000(1000, false), snat(0, true);
    auto l2 = packet::buildFromKey(tcpKey(kMac1, kMac2, "10.0.0.11", "10.0.0.12", 40000));
    auto l3 = packet::buildFromKey(tcpKey(kMac1, kMacRA, "10.0.0.11", "10.0.1.3", 40000));

    auto check = [](const SimulationResult &r, const char *what) {
        if (r.verdict != Verdict::Forward) {
            std::fprintf(stderr, "%s: not forwarded:\n%s", what, r.traceText().c_str());
            std::exit(1);
        }
    };
    check(sim.simulate(l2, kVm1, plain.topo, plain.state, env), "bridge");
    check(sim.simulate(l3, kVm1, rules1000.topo, rules1000.state, env), "1000 rules");

    bench("simulate_bridge_unicast", [&](uint64_t) {
        return sim.simulate(l2, kVm1, plain.topo, plain.state, env).actions.size();
    });
    bench("simulate_bridge_router_bridge", [&](uint64_t) {
        return sim.simulate(l3, kVm1, plain.topo, plain.state, env).actions.size();
    });
    bench("simulate_bridge_router_bridge_100_rules", [&](uint64_t) {
        return sim.simulate(l3, kVm1, rules100.topo, rules100.state, env).actions.size();
    });
    bench("simulate_bridge_router_bridge_1000_rules", [&](uint64_t) {
        return sim.simulate(l3, kVm1, rules1000.topo, rules1000.state, env).actions.size();
    });
    // New connections: a different source port each time; the state is not updated, so every
    // packet allocates (the first free port of the owned blocks).
    std::vector<packet::Buffer> fresh;
    for (uint16_t p = 0; p < 4096; ++p)
        fresh.push_back(packet::buildFromKey(tcpKey(kMac1, kMacRA, "10.0.0.11", "8.8.8.8", uint16_t(10000 + p))));
    {
        auto r = sim.simulate(fresh[0], kVm1, snat.topo, snat.state, env);
        check(r, "snat");
        if (r.stateChanges.size() != 2) { // forward and reverse NAT keys: a real allocation
            std::fprintf(stderr, "snat: expected a new binding\n");
            return 1;
        }
    }
    bench("simulate_snat_new_connection", [&](uint64_t n) {
        return sim.simulate(fresh[n % fresh.size()], kVm1, snat.topo, snat.state, env).stateChanges.size();
    });
    {
        auto r = sim.simulate(fresh[0], kVm1, snat.topo, snat.state, env);
        for (const auto &c : r.stateChanges) snat.state.apply(c);
    }
    bench("simulate_snat_established", [&](uint64_t) {
        return sim.simulate(fresh[0], kVm1, snat.topo, snat.state, env).actions.size();
    });
    SimulationEnv traced;
    bench("simulate_bridge_router_bridge_traced", [&](uint64_t) {
        return sim.simulate(l3, kVm1, plain.topo, plain.state, traced).trace.size();
    });
    return 0;
}
