// The agent's translation of what the REST API stores into what the simulation runs: objects go
// through their NSDB encoding (as the cluster writes them), into a ModelSet, into a snapshot, and
// packets simulated against it behave as an operator configured them.
#include "agent/topology/snapshot_builder.h"

#include "agent/simulation/simulator.h"
#include "common/packet/builder.h"

#include <QtTest>

using namespace midonet;
using namespace midonet::agent;
using util::IPv4Address;
using util::MacAddress;
using util::Uuid;

namespace {

IPv4Address ip(const char *s) { return *IPv4Address::parse(s); }
MacAddress mac(const char *s) { return *MacAddress::parse(s); }

template <class T> void put(ModelSet &m, const T &obj)
{
    std::string err;
    const bool ok = m.apply(std::string(T::kType), obj.id, model::encode(obj, model::View::Store).dump(), &err);
    if (!ok) qFatal("apply %s: %s", std::string(T::kType).c_str(), err.c_str());
}

struct Cloud {
    Uuid me = Uuid::random(), other = Uuid::random();
    Uuid bridge1 = Uuid::random(), bridge2 = Uuid::random(), router = Uuid::random();
    Uuid vm1Port = Uuid::random(), vm2Port = Uuid::random(), vm3Port = Uuid::random();
    Uuid b1r = Uuid::random(), r1 = Uuid::random(), b2r = Uuid::random(), r2 = Uuid::random();
    Uuid chain = Uuid::random(), dropSsh = Uuid::random();
    MacAddress r1Mac = mac("02:00:00:00:01:01"), r2Mac = mac("02:00:00:00:02:01");
    ModelSet m;

    model::Port exterior(Uuid id, Uuid bridge, Uuid host, const char *ifname, int key)
    {
        model::Port p;
        p.id = id;
        p.type = model::PortType::Bridge;
        p.deviceId = bridge;
        p.hostId = host;
        p.interfaceName = ifname;
        p.tunnelKey = key;
        return p;
    }

    Cloud()
    {
        model::Host h1, h2;
        h1.id = me;
        h1.name = "host-a";
        h2.id = other;
        h2.name = "host-b";
        put(m, h1);
        put(m, h2);
        model::TunnelZone tz;
        tz.id = Uuid::random();
        tz.name = "tz";
        tz.hosts = {{tz.id, me, ip("10.77.0.11")}, {tz.id, other, ip("10.77.0.12")}};
        put(m, tz);

        model::Bridge b1, b2;
        b1.id = bridge1;
        b1.name = "front";
        b2.id = bridge2;
        b2.name = "back";
        put(m, b1);
        put(m, b2);
        put(m, exterior(vm1Port, bridge1, me, "vm1", 11));
        put(m, exterior(vm2Port, bridge1, me, "vm2", 12));
        put(m, exterior(vm3Port, bridge2, other, "vm3", 13));

        model::Router r;
        r.id = router;
        r.name = "edge";
        r.inboundFilterId = chain;
        put(m, r);
        auto routerPort = [&](Uuid id, Uuid peer, const char *cidr, MacAddress mac) {
            model::Port p;
            p.id = id;
            p.type = model::PortType::Router;
            p.deviceId = router;
            p.peerId = peer;
            p.portSubnet = {*util::IPv4Subnet::parse(cidr)};
            p.portAddress = p.portSubnet[0].address;
            p.portMac = mac;
            p.tunnelKey = 100 + int(id.lo & 0xff);
            put(m, p);
        };
        auto bridgeSide = [&](Uuid id, Uuid bridge, Uuid peer) {
            model::Port p;
            p.id = id;
            p.type = model::PortType::Bridge;
            p.deviceId = bridge;
            p.peerId = peer;
            put(m, p);
        };
        routerPort(r1, b1r, "10.0.0.1/24", r1Mac);
        routerPort(r2, b2r, "10.0.1.1/24", r2Mac);
        bridgeSide(b1r, bridge1, r1);
        bridgeSide(b2r, bridge2, r2);

        model::Rule drop;
        drop.id = dropSsh;
        drop.chainId = chain;
        drop.type = model::RuleType::Drop;
        drop.condition.nwProto = 6;
        drop.condition.tpDst = model::PortRange{22, 22};
        put(m, drop);
        model::Chain c;
        c.id = chain;
        c.name = "router-in";
        c.ruleIds = {dropSsh};
        put(m, c);
    }

    std::shared_ptr<const sim::TopologySnapshot> snapshot() const
    {
        LocalBindings local;
        local.localHost = me;
        local.tunnelDpPort = 9;
        local.dpPortOf = [this](const Uuid &p) -> uint32_t {
            if (p == vm1Port) return 1;
            if (p == vm2Port) return 2;
            return 0;
        };
        return buildSnapshot(m, local);
    }
};

packet::Buffer tcpTo(MacAddress dstMac, const char *dst, uint16_t dport)
{
    packet::Ipv4Spec ips;
    ips.src = ip("10.0.0.5");
    ips.dst = ip(dst);
    ips.protocol = flow::kIpProtoTcp;
    packet::TcpSpec t;
    t.srcPort = 40000;
    t.dstPort = dport;
    t.flags = 0x02;
    auto l4 = packet::tcp(t, {}, ips.src, ips.dst);
    return packet::ethernet(dstMac, mac("52:54:00:00:00:01"), flow::kEthTypeIpv4, packet::ipv4(ips, l4));
}

bool hasTunnelTo(const flow::FlowActions &actions, uint64_t key, IPv4Address dst)
{
    for (const auto &a : actions)
        if (auto *t = std::get_if<flow::SetTunnelAction>(&a); t && t->tunnelId == key && t->dst == dst) return true;
    return false;
}

bool outputs(const flow::FlowActions &actions, uint32_t port)
{
    for (const auto &a : actions)
        if (auto *o = std::get_if<flow::OutputAction>(&a); o && o->port == port) return true;
    return false;
}

} // namespace

class TstSnapshotBuilder : public QObject
{
    Q_OBJECT
private slots:
    void snapshotHasWhatTheApiStored()
    {
        Cloud c;
        auto s = c.snapshot();
        QVERIFY(s->finalized());
        QVERIFY(s->bridge(c.bridge1));
        QCOMPARE(QString::fromStdString(s->bridge(c.bridge1)->name), QString("front"));
        QCOMPARE(s->port(c.vm1Port)->dpPortNo, 1u);
        QCOMPARE(s->port(c.vm3Port)->dpPortNo, 0u); // bound on the other host
        QCOMPARE(s->port(c.vm3Port)->tunnelKey, 13u);
        QCOMPARE(s->host(c.other)->tunnelIp, ip("10.77.0.12"));
        QCOMPARE(s->port(c.r1)->ip(), ip("10.0.0.1"));
        QCOMPARE(s->router(c.router)->inboundFilter, c.chain);
        QCOMPARE(s->chain(c.chain)->rules.size(), size_t(1));
    }

    void broadcastFloodsLocallyAndThroughTheTunnel()
    {
        Cloud c;
        auto s = c.snapshot();
        sim::StateTables st;
        auto arp = packet::ethernet(MacAddress::broadcast(), mac("52:54:00:00:00:01"), flow::kEthTypeArp,
                                    packet::arp(1, mac("52:54:00:00:00:01"), ip("10.0.0.5"), MacAddress{}, ip("10.0.0.6")));
        auto r = sim::Simulator().simulate(arp, c.vm1Port, *s, st);
        QCOMPARE(r.verdict, sim::Verdict::Forward);
        QVERIFY2(outputs(r.actions, 2), flow::toString(r.actions).c_str());
        QVERIFY(!outputs(r.actions, 1)); // never back out of the in-port
        // vm3 sits on the other bridge, behind the router: an ARP flood does not reach it.
        QVERIFY(!hasTunnelTo(r.actions, 13, ip("10.77.0.12")));
    }

    void ruleFromTheApiDropsSsh()
    {
        Cloud c;
        auto s = c.snapshot();
        sim::StateTables st;
        st.arps[{c.router, ip("10.0.1.5")}] = {mac("52:54:00:00:00:03")};
        auto r = sim::Simulator().simulate(tcpTo(c.r1Mac, "10.0.1.5", 22), c.vm1Port, *s, st);
        QCOMPARE(r.verdict, sim::Verdict::Drop);
        QCOMPARE(r.reason, sim::DropReason::FilterDrop);
        QVERIFY(r.hasTag(flow::FlowTag::device(c.chain)));
    }

    void routedTrafficIsTunnelledToTheEgressHost()
    {
        Cloud c;
        auto s = c.snapshot();
        sim::StateTables st;
        st.arps[{c.router, ip("10.0.1.5")}] = {mac("52:54:00:00:00:03")};
        st.macs[{c.bridge2, 0, mac("52:54:00:00:00:03")}] = c.vm3Port;
        auto r = sim::Simulator().simulate(tcpTo(c.r1Mac, "10.0.1.5", 80), c.vm1Port, *s, st);
        QCOMPARE(r.verdict, sim::Verdict::Forward);
        QVERIFY2(hasTunnelTo(r.actions, 13, ip("10.77.0.12")), flow::toString(r.actions).c_str());
        QVERIFY(outputs(r.actions, 9));
        QVERIFY(r.hasTag(flow::FlowTag::device(c.router)));
    }

    void ruleConversion_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<int>("kind");
        QTest::addColumn<int>("action");
        QTest::addColumn<int>("fragmentPolicy");
        QTest::newRow("accept-any") << QByteArray(R"({"type":"accept"})") << int(sim::RuleKind::Literal)
                                    << int(sim::RuleAction::Accept) << int(sim::FragmentPolicy::Any);
        QTest::newRow("drop-with-port-range-is-header")
            << QByteArray(R"({"type":"drop","nwProto":6,"tpDst":{"start":22,"end":22}})")
            << int(sim::RuleKind::Literal) << int(sim::RuleAction::Drop) << int(sim::FragmentPolicy::Header);
        QTest::newRow("snat-continue-is-unfragmented")
            << QByteArray(R"({"type":"snat","flowAction":"continue","natTargets":[{"addressFrom":"1.1.1.1","addressTo":"1.1.1.1","portFrom":1024,"portTo":65535}]})")
            << int(sim::RuleKind::Snat) << int(sim::RuleAction::Continue) << int(sim::FragmentPolicy::Unfragmented);
        QTest::newRow("floating-ip-dnat-is-any")
            << QByteArray(R"({"type":"dnat","flowAction":"accept","natTargets":[{"addressFrom":"10.0.0.5","addressTo":"10.0.0.5","portFrom":0,"portTo":0}]})")
            << int(sim::RuleKind::Dnat) << int(sim::RuleAction::Accept) << int(sim::FragmentPolicy::Any);
        QTest::newRow("rev-snat-accept") << QByteArray(R"({"type":"rev_snat","flowAction":"accept"})")
                                         << int(sim::RuleKind::RevSnat) << int(sim::RuleAction::Accept)
                                         << int(sim::FragmentPolicy::Any);
        QTest::newRow("return") << QByteArray(R"({"type":"return"})") << int(sim::RuleKind::Literal)
                                << int(sim::RuleAction::Return) << int(sim::FragmentPolicy::Any);
    }
    void ruleConversion()
    {
        QFETCH(QByteArray, json);
        QFETCH(int, kind);
        QFETCH(int, action);
        QFETCH(int, fragmentPolicy);
        auto rule = model::decodeText<model::Rule>(json.toStdString(), model::DecodeOptions::apiInput());
        // The API fills fragmentPolicy on create; a stored rule without it gets the same default.
        rule.condition.fragmentPolicy.reset();
        auto s = toSimRule(rule);
        QCOMPARE(int(s.kind), kind);
        QCOMPARE(int(s.action), action);
        QCOMPARE(int(s.cond.fragmentPolicy), fragmentPolicy);
    }

    void undecodableObjectsAreRefusedNotHalfApplied()
    {
        ModelSet m;
        std::string err;
        const Uuid id = Uuid::random();
        QVERIFY(!m.apply("bridges", id, "{not json", &err));
        QVERIFY(!err.empty());
        QVERIFY(m.bridges.empty());
        QVERIFY(!m.apply("no_such_type", id, "{}", &err));
        QVERIFY(err.find("no_such_type") != std::string::npos);
    }
};

QTEST_GUILESS_MAIN(TstSnapshotBuilder)
#include "tst_snapshot_builder.moc"
