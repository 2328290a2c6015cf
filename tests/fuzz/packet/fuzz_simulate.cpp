// libFuzzer target: arbitrary frames through the whole simulator (bridge -> router -> bridge,
// with SNAT, conntrack rules and a load balancer) entering on any of its ports. Whatever the
// bytes, simulate() returns a result: no crash, no read outside the frame (ASan), no undefined
// behaviour (UBSan); generated packets parse; actions are empty unless the verdict is Forward.
#include "agent/simulation/simulator.h"
#include "common/packet/packet.h"

#include <cstdlib>
#include <vector>

using namespace midonet;
using namespace midonet::sim;

namespace {

Uuid id(uint64_t n) { return Uuid{0xf022000000000000ULL, n}; }
IPv4Address ip(const char *s) { return *IPv4Address::parse(s); }
MacAddress mac(uint64_t v) { return MacAddress::fromU64(v); }

struct World {
    TopologySnapshot topo;
    StateTables state;
    std::vector<Uuid> ingress;

    World()
    {
        const Uuid host = id(1), bA = id(10), bB = id(11), r = id(20), lb = id(30);
        topo.localHost = host;
        topo.tunnelDpPort = 99;
        topo.addHost({host, ip("192.168.0.1")});
        topo.addHost({id(2), ip("192.168.0.2")});
        for (Uuid b : {bA, bB}) {
            Bridge br;
            br.id = b;
            br.ipMacTable[ip("10.0.0.50")] = mac(0x020000000050);
            topo.addBridge(br);
        }
        auto ext = [&](uint64_t n, Uuid dev, DeviceType t, Uuid h) {
            Port p;
            p.id = id(n);
            p.deviceId = dev;
            p.deviceType = t;
            p.hostId = h;
            p.dpPortNo = uint32_t(n);
            p.tunnelKey = uint32_t(n);
            topo.addPort(p);
            return p.id;
        };
        ingress = {ext(101, bA, DeviceType::Bridge, host), ext(102, bA, DeviceType::Bridge, id(2)),
                   ext(103, bB, DeviceType::Bridge, host)};
        Port vlanPort;
        vlanPort.id = id(104);
        vlanPort.deviceId = bB;
        vlanPort.vlanId = 10;
        vlanPort.peerId = id(105);
        topo.addPort(vlanPort);
        Port far = vlanPort;
        far.id = id(105);
        far.deviceId = bA;
        far.vlanId = 0;
        far.peerId = id(104);
        topo.addPort(far);
        auto rport = [&](uint64_t n, uint64_t m, const char *a, Uuid peer) {
            Port p;
            p.id = id(n);
            p.deviceId = r;
            p.deviceType = DeviceType::Router;
            p.mac = mac(m);
            p.address = *IPv4Subnet::parse(a);
            p.peerId = peer;
            topo.addPort(p);
        };
        rport(120, 0x02aa00000001, "10.0.0.1/24", id(110));
        rport(121, 0x02aa00000002, "10.0.1.1/24", id(111));
        rport(122, 0x02aa00000003, "192.0.2.1/24", {});
        const_cast<Port *>(topo.port(id(122)))->hostId = host;
        ingress.push_back(id(122));
        for (auto [n, dev, peer] : {std::tuple{110, bA, 120}, std::tuple{111, bB, 121}}) {
            Port p;
            p.id = id(n);
            p.deviceId = dev;
            p.peerId = id(peer);
            topo.addPort(p);
        }
        Router rt;
        rt.id = r;
        rt.loadBalancer = lb;
        Route def;
        def.id = id(130);
        def.dst = *IPv4Subnet::parse("0.0.0.0/0");
        def.nextHopPort = id(122);
        def.gateway = ip("192.0.2.254");
        rt.routes.push_back(def);
        Chain in{id(200), "in", {}, {}}, out{id(201), "out", {}, {}};
        Rule ret;
        ret.id = id(202);
        ret.cond.matchForwardFlow = false;
        in.rules.push_back(ret);
        Rule rev;
        rev.id = id(203);
        rev.kind = RuleKind::RevSnat;
        in.rules.push_back(rev);
        Rule icmp;
        icmp.id = id(204);
        icmp.action = RuleAction::Drop;
        icmp.cond.icmpDataSrc.value = *IPv4Subnet::parse("10.0.0.0/8");
        icmp.cond.fragmentPolicy = FragmentPolicy::Header;
        in.rules.push_back(icmp);
        Rule snat;
        snat.id = id(205);
        snat.kind = RuleKind::Snat;
        snat.cond.outPorts = {id(122)};
        snat.natTargets = {NatTarget{ip("192.0.2.1"), ip("192.0.2.1"), 1024, 2047}};
        out.rules.push_back(snat);
        rt.inboundFilter = in.id;
        rt.outboundFilter = out.id;
        topo.addChain(in);
        topo.addChain(out);
        topo.addRouter(rt);
        topo.addLoadBalancer(LoadBalancer{lb, true, {id(31)}});
        Vip v;
        v.id = id(31);
        v.loadBalancerId = lb;
        v.poolId = id(32);
        v.address = ip("192.0.2.100");
        v.port = 80;
        topo.addVip(v);
        Pool pool;
        pool.id = id(32);
        pool.loadBalancerId = lb;
        pool.members = {PoolMember{id(33), ip("10.0.1.3"), 8080, 1, true, MemberStatus::Active}};
        topo.addPool(pool);
        topo.finalize();
        state.arps[ArpKey{r, ip("192.0.2.254")}] = ArpEntry{mac(0x02ff00000001), false, UINT64_MAX};
        state.macs[MacKey{bA, 0, mac(0x020000000001)}] = id(101);
    }
};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static World w;
    static Simulator sim;
    if (size < 1) return 0;
    const Uuid in = w.ingress[data[0] % w.ingress.size()];
    std::vector<uint8_t> frame(data + 1, data + size);
    SimulationEnv env{size, size * 31, true};
    SimulationResult r = sim.simulate(frame, in, w.topo, w.state, env);
    if (r.verdict != Verdict::Forward && !r.actions.empty()) std::abort();
    (void)r.traceText();
    for (const auto &c : r.stateChanges) (void)c.toString();
    for (const auto &g : r.generated) {
        if (!packet::parsePacket(g.frame)) std::abort();
        SimulationResult gr = sim.simulateGenerated(g.frame, g.fromPort, w.topo, w.state, env);
        (void)gr;
    }
    return 0;
}
