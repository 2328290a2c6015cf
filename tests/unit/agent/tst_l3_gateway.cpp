// The L3 gateway's pure parts: the steering rules the packet handler applies before simulating
// (service_ports.h), the learned-routes chunks in the NSDB (common/model/learned_routes.h:
// batched writes, ephemeral, decoded into router routes), and which ports of a host run a
// gateway with which peers (Gateways::wanted).
#include "agent/gateway/gateways.h"
#include "agent/gateway/service_ports.h"
#include "common/model/learned_routes.h"
#include "common/store/memory_store.h"

#include <QtTest/QtTest>

using namespace midonet;
using namespace midonet::agent;

namespace {
util::Uuid id(uint64_t n) { return util::Uuid{0x6a7e, n}; }
util::IPv4Address ip(const char *s) { return *util::IPv4Address::parse(s); }
util::IPv4Subnet net(const char *s) { return *util::IPv4Subnet::parse(s); }

flow::FlowKey tcp(uint32_t inPort, const char *dst, uint16_t sport, uint16_t dport)
{
    flow::FlowKey k;
    k.inPort = inPort;
    k.ethType = flow::kEthTypeIpv4;
    k.ipv4Src = ip("10.1.0.2");
    k.ipv4Dst = ip(dst);
    k.ipProto = flow::kIpProtoTcp;
    k.tpSrc = sport;
    k.tpDst = dport;
    return k;
}
uint32_t outPort(const SteerDecision &d)
{
    return d.actions.size() == 1 ? std::get<flow::OutputAction>(d.actions[0]).port : 0;
}
} // namespace

class TstL3Gateway : public QObject
{
    Q_OBJECT
private slots:
    void steering()
    {
        ServicePorts s;
        QCOMPARE(int(s.steer(tcp(5, "10.1.0.1", 40000, 179)).kind), int(SteerDecision::Kind::None));
        s.set({id(1), /*uplink dp*/ 5, /*service dp*/ 9, ip("10.1.0.1")});
        // BGP to the port's address, either direction of the connection: service port only.
        auto d = s.steer(tcp(5, "10.1.0.1", 40000, 179));
        QCOMPARE(int(d.kind), int(SteerDecision::Kind::Only));
        QCOMPARE(outPort(d), 9u);
        QVERIFY(d.mask.bits.tpSrc == 0xffff && d.mask.bits.tpDst == 0xffff && d.mask.bits.ipv4Dst.value == 0xffffffff);
        QCOMPARE(outPort(s.steer(tcp(5, "10.1.0.1", 179, 40000))), 9u);
        // Other TCP to the port, BGP to another address, BGP arriving on another port: simulated.
        QCOMPARE(int(s.steer(tcp(5, "10.1.0.1", 40000, 22)).kind), int(SteerDecision::Kind::None));
        QCOMPARE(int(s.steer(tcp(5, "10.1.0.7", 40000, 179)).kind), int(SteerDecision::Kind::None));
        QCOMPARE(int(s.steer(tcp(6, "10.1.0.1", 40000, 179)).kind), int(SteerDecision::Kind::None));
        // BFD (UDP 3784) to the port: service port.
        auto bfd = tcp(5, "10.1.0.1", 49152, 3784);
        bfd.ipProto = flow::kIpProtoUdp;
        QCOMPARE(outPort(s.steer(bfd)), 9u);
        // Everything from the service port leaves through the uplink unchanged.
        auto out = tcp(9, "10.1.0.2", 179, 40000);
        d = s.steer(out);
        QCOMPARE(int(d.kind), int(SteerDecision::Kind::Only));
        QCOMPARE(outPort(d), 5u);
        // ARP reply for the port's address: a copy to the service, and the router sees it too.
        flow::FlowKey arp;
        arp.inPort = 5;
        arp.ethType = flow::kEthTypeArp;
        arp.arpOp = 2;
        arp.arpTip = ip("10.1.0.1");
        QCOMPARE(int(s.steer(arp).kind), int(SteerDecision::Kind::CopyThenSimulate));
        arp.arpOp = 1; // requests are the router's to answer
        QCOMPARE(int(s.steer(arp).kind), int(SteerDecision::Kind::None));
        s.erase(id(1));
        QCOMPARE(int(s.steer(tcp(5, "10.1.0.1", 40000, 179)).kind), int(SteerDecision::Kind::None));
    }

    void learnedRoutesAreBatchedEphemeralAndDecoded()
    {
        auto db = store::MemoryStore::newDatabase();
        auto writer = std::make_unique<store::MemoryStore>(db);
        store::MemoryStore reader(db);
        const util::Uuid router = id(10), port = id(11);
        writer->create("routers", router, "{}");
        model::LearnedRouteBuckets b(port);
        for (uint32_t i = 0; i < 10'000; ++i)
            b.set({util::IPv4Address{0x0a000000u + (i << 8)}, 24}, ip("10.1.0.2"));
        QCOMPARE(b.size(), size_t(10'000));
        const size_t writes = b.flush(*writer, router);
        QVERIFY2(writes <= model::LearnedRouteBuckets::kBuckets, "one write per chunk, never per route");
        QVERIFY(!b.dirty());
        size_t total = 0;
        for (const auto &e : reader.entries(model::learnedRoutesTable(router))) {
            QVERIFY(e.ephemeral);
            auto routes = model::decodeLearnedRoutes(router, e.key, e.value);
            QVERIFY(routes);
            for (const auto &r : *routes) {
                QVERIFY(r.learned);
                QCOMPARE(*r.nextHopPort, port);
                QCOMPARE(*r.nextHopGateway, ip("10.1.0.2"));
                QCOMPARE(r.dstNetworkLength, 24);
            }
            total += routes->size();
        }
        QCOMPARE(total, size_t(10'000));
        // A withdrawal rewrites only its chunk.
        b.set(net("10.0.5.0/24"), std::nullopt);
        QCOMPARE(b.flush(*writer, router), size_t(1));
        // The writer's session ends: every chunk is gone for the others.
        writer.reset();
        QVERIFY(reader.entries(model::learnedRoutesTable(router)).empty());
        QVERIFY(!model::decodeLearnedRoutes(router, "not-a-key", "10.0.0.0/8 1.2.3.4\n"));
    }

    void wantedGatewaysAndTheirPeers()
    {
        ModelSet m;
        const util::Uuid host = id(1), router = id(2), uplink = id(3), inner = id(4);
        model::Router r;
        r.id = router;
        r.asNumber = 64512;
        m.routers[router] = r;
        model::Port p;
        p.id = uplink;
        p.type = model::PortType::Router;
        p.deviceId = router;
        p.hostId = host;
        p.interfaceName = "up0";
        p.portSubnet = {net("10.1.0.1/24")};
        p.portAddress = ip("10.1.0.1");
        p.portMac = util::MacAddress::parse("ac:ca:ba:00:00:01");
        m.ports[uplink] = p;
        model::Port q = p; // another bound port of the router, no peer in its subnet
        q.id = inner;
        q.interfaceName = "in0";
        q.portSubnet = {net("10.2.0.1/24")};
        q.portAddress = ip("10.2.0.1");
        m.ports[inner] = q;
        QVERIFY(Gateways::wanted(m, host).empty()); // no peers yet
        model::BgpPeer a;
        a.id = id(5);
        a.routerId = router;
        a.asNumber = 64513;
        a.address = ip("10.1.0.2");
        m.bgpPeers[a.id] = a;
        model::BgpPeer far = a; // not in any bound port's subnet
        far.id = id(6);
        far.address = ip("192.0.2.9");
        m.bgpPeers[far.id] = far;
        model::BgpNetwork n;
        n.id = id(7);
        n.routerId = router;
        n.subnetAddress = ip("198.51.100.0");
        n.subnetLength = 24;
        m.bgpNetworks[n.id] = n;
        auto w = Gateways::wanted(m, host);
        QCOMPARE(w.size(), size_t(1));
        const auto &g = w.at(uplink);
        QCOMPARE(g.localAs, 64512u);
        QCOMPARE(g.address, net("10.1.0.1/24"));
        QCOMPARE(g.peers.size(), size_t(1));
        QCOMPARE(g.peers[0].address, ip("10.1.0.2"));
        QCOMPARE(g.networks.size(), size_t(1));
        QVERIFY(Gateways::wanted(m, id(99)).empty()); // another host runs nothing
        m.routers[router].asNumber = 0;                // no AS: no BGP
        QVERIFY(Gateways::wanted(m, host).empty());
    }
};

QTEST_GUILESS_MAIN(TstL3Gateway)
#include "tst_l3_gateway.moc"
