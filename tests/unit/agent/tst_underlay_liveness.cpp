// Underlay liveness (agent/host/underlay_liveness.h): which hosts run a BFD session with each
// other (both ends must agree from the NSDB alone), what a BFD state change means for the peer
// host, and what "its ports are inactive here" does to the virtual router: ECMP leaves through
// the remaining gateways only, and the flows that must go carry the tags that are invalidated.
#include "agent/host/underlay_liveness.h"
#include "agent/simulation/simulator.h"
#include "common/model/bridge.h"
#include "agent/topology/snapshot_builder.h"
#include "common/packet/builder.h"

#include <QtTest>

#include <set>

using namespace midonet;
using namespace midonet::agent;
using util::IPv4Address;
using util::MacAddress;
using util::Uuid;
namespace bfd = midonet::gateway::bfd;

namespace {

IPv4Address ip(const char *s) { return *IPv4Address::parse(s); }
MacAddress mac(const char *s) { return *MacAddress::parse(s); }

template <class T> void put(ModelSet &m, const T &obj)
{
    std::string err;
    const bool ok = m.apply(std::string(T::kType), obj.id, model::encode(obj, model::View::Store).dump(), &err);
    if (!ok) qFatal("apply %s: %s", std::string(T::kType).c_str(), err.c_str());
}

// Hosts: a and c (compute), g1 and g2 (each binds an uplink of router `edge`), x (binds an uplink
// too but is in no tunnel zone). BGP peers are added per test row.
struct Cloud {
    std::map<std::string, Uuid> host;
    std::map<std::string, Uuid> uplink; // by host name
    std::map<std::string, IPv4Address> underlay;
    Uuid router = Uuid::random(), tenantPort = Uuid::random();
    Uuid cPort = Uuid::random(), g1Plain = Uuid::random(); // exterior, but no BGP peer in their subnets
    MacAddress tenantMac = mac("02:00:00:00:00:01");
    ModelSet m;

    Cloud()
    {
        model::TunnelZone tz;
        tz.id = Uuid::random();
        tz.name = "tz";
        int i = 0;
        for (const char *n : {"a", "c", "g1", "g2", "x"}) {
            ++i;
            model::Host h;
            h.id = Uuid::random();
            h.name = n;
            put(m, h);
            host[n] = h.id;
            underlay[n] = IPv4Address{(10u << 24) | (77u << 16) | uint32_t(10 + i)};
            if (std::string(n) != "x") tz.hosts.push_back({tz.id, h.id, underlay[n]});
        }
        put(m, tz);
        model::Router r;
        r.id = router;
        r.name = "edge";
        r.asNumber = 64512;
        put(m, r);
        // The tenant side: an exterior router port on host a (the VM's host simulates).
        routerPort(tenantPort, "a", "10.0.0.1/24", tenantMac, 10);
        routerPort(cPort, "c", "10.2.0.1/24", mac("02:00:00:00:00:0c"), 11);
        routerPort(g1Plain, "g1", "10.3.0.1/24", mac("02:00:00:00:00:0d"), 12);
        int n = 0;
        for (const char *g : {"g1", "g2", "x"}) {
            ++n;
            uplink[g] = Uuid::random();
            routerPort(uplink[g], g, ("10.1." + std::to_string(n) + ".1/24").c_str(),
                       MacAddress{{0x02, 0, 0, 0, 1, uint8_t(n)}}, 20 + n);
        }
    }

    void routerPort(Uuid id, const char *h, const char *cidr, MacAddress portMac, int key)
    {
        model::Port p;
        p.id = id;
        p.type = model::PortType::Router;
        p.deviceId = router;
        p.hostId = host[h];
        p.interfaceName = std::string("if-") + h;
        p.portSubnet = {*util::IPv4Subnet::parse(cidr)};
        p.portAddress = p.portSubnet[0].address;
        p.portMac = portMac;
        p.tunnelKey = key;
        put(m, p);
    }

    // A BGP peer of the router at `address` (in an uplink's subnet or not).
    void peer(const char *address)
    {
        model::BgpPeer b;
        b.id = Uuid::random();
        b.routerId = router;
        b.asNumber = 64513;
        b.address = ip(address);
        put(m, b);
    }

    // 0.0.0.0/0 via the uplinks of g1 and g2 (ECMP), upstream next hops 10.1.n.2.
    void defaultRoutes()
    {
        int n = 0;
        for (const char *g : {"g1", "g2"}) {
            ++n;
            model::Route r;
            r.id = Uuid::random();
            r.routerId = router;
            r.dstNetworkAddr = ip("0.0.0.0");
            r.nextHopPort = uplink[g];
            r.nextHopGateway = ip(("10.1." + std::to_string(n) + ".2").c_str());
            r.weight = 100;
            put(m, r);
        }
    }

    std::shared_ptr<const sim::TopologySnapshot> snapshot(const std::set<std::string> &unreachable) const
    {
        LocalBindings local;
        local.localHost = host.at("a");
        local.tunnelDpPort = 9;
        local.dpPortOf = [this](const Uuid &p) -> uint32_t { return p == tenantPort ? 1 : 0; };
        std::set<Uuid> down;
        for (const auto &n : unreachable) down.insert(host.at(n));
        local.hostReachable = [down](const Uuid &h) { return !down.count(h); };
        return buildSnapshot(m, local);
    }

    std::string nameOf(const Uuid &h) const
    {
        for (const auto &[n, id] : host)
            if (id == h) return n;
        return "?";
    }
};

packet::Buffer udpOut(MacAddress dstMac, uint16_t sport)
{
    packet::Ipv4Spec ips;
    ips.src = ip("10.0.0.5");
    ips.dst = ip("192.0.2.7");
    ips.protocol = flow::kIpProtoUdp;
    auto l4 = packet::udp(sport, 53, {}, ips.src, ips.dst);
    return packet::ethernet(dstMac, mac("52:54:00:00:00:05"), flow::kEthTypeIpv4, packet::ipv4(ips, l4));
}

std::optional<std::pair<uint64_t, IPv4Address>> tunnelOf(const flow::FlowActions &actions)
{
    for (const auto &a : actions)
        if (auto *t = std::get_if<flow::SetTunnelAction>(&a)) return std::make_pair(t->tunnelId, t->dst);
    return std::nullopt;
}

QString names(const std::set<std::string> &s)
{
    QStringList l;
    for (const auto &n : s) l << QString::fromStdString(n);
    return l.join(',');
}

std::set<std::string> parseNames(const QString &s)
{
    std::set<std::string> out;
    for (const auto &n : s.split(',', Qt::SkipEmptyParts)) out.insert(n.toStdString());
    return out;
}

} // namespace

class TstUnderlayLiveness : public QObject
{
    Q_OBJECT
private slots:
    void sessions_data()
    {
        QTest::addColumn<QString>("self");
        QTest::addColumn<QString>("peers");    // BGP peer addresses of router edge
        QTest::addColumn<QString>("expected"); // hosts `self` runs a session with
        // Uplink subnets: g1 10.1.1.0/24, g2 10.1.2.0/24, x 10.1.3.0/24.
        QTest::newRow("compute host: every gateway of its zone") << "a" << "10.1.1.2,10.1.2.2" << "g1,g2";
        QTest::newRow("gateway: every host of its zone") << "g1" << "10.1.1.2,10.1.2.2" << "a,c,g2";
        QTest::newRow("gateway without a peer is a plain host") << "a" << "10.1.1.2" << "g1";
        QTest::newRow("plain host seen by the gateway") << "g2" << "10.1.1.2" << "g1";
        QTest::newRow("two plain hosts: no session") << "c" << "10.1.1.2" << "g1";
        QTest::newRow("no gateway anywhere: no session") << "a" << "" << "";
        QTest::newRow("peer outside every uplink's subnet makes no gateway") << "a" << "192.0.2.1" << "";
        QTest::newRow("gateway outside the tunnel zone: no session") << "a" << "10.1.3.2" << "";
        QTest::newRow("host outside the tunnel zone runs none") << "x" << "10.1.1.2,10.1.3.2" << "";
    }
    void sessions()
    {
        QFETCH(QString, self);
        QFETCH(QString, peers);
        QFETCH(QString, expected);
        Cloud c;
        for (const auto &p : peers.split(',', Qt::SkipEmptyParts)) c.peer(p.toLatin1().constData());
        auto got = livenessPeers(c.m, c.host[self.toStdString()]);
        std::set<std::string> gotNames;
        for (const auto &[h, addr] : got) {
            gotNames.insert(c.nameOf(h));
            QCOMPARE(addr.address, c.underlay[c.nameOf(h)]);
            QCOMPARE(addr.local, c.underlay[self.toStdString()]);
        }
        QCOMPARE(names(gotNames), names(parseNames(expected)));
        // Both ends agree: every peer found runs a session back with `self`.
        for (const auto &[h, addr] : got) QVERIFY(livenessPeers(c.m, h).count(c.host[self.toStdString()]));
    }

    void l2GatewayHostsRunSessions_data()
    {
        QTest::addColumn<int>("vlan");     // the bridge port's vlanId (0: none)
        QTest::addColumn<bool>("bound");   // bound to host c's interface
        QTest::addColumn<QString>("ofA");  // a's sessions
        QTest::addColumn<QString>("ofC");  // c's sessions
        QTest::newRow("VLAN port on a trunk: c is a gateway host") << 10 << true << "c" << "a,g1,g2";
        QTest::newRow("plain bridge port: no gateway") << 0 << true << "" << "";
        QTest::newRow("VLAN port not bound: no gateway") << 10 << false << "" << "";
    }
    void l2GatewayHostsRunSessions()
    {
        // No BGP peers: only the L2 gateway port can make a gateway host.
        QFETCH(int, vlan);
        QFETCH(bool, bound);
        QFETCH(QString, ofA);
        QFETCH(QString, ofC);
        Cloud c;
        model::Bridge b;
        b.id = Uuid::random();
        b.name = "br";
        put(c.m, b);
        model::Port p;
        p.id = Uuid::random();
        p.type = model::PortType::Bridge;
        p.deviceId = b.id;
        if (vlan) p.vlanId = vlan;
        if (bound) {
            p.hostId = c.host["c"];
            p.interfaceName = "trunk0";
        }
        put(c.m, p);
        bool agree = true;
        auto namesOf = [&](const char *self) {
            std::set<std::string> out;
            for (const auto &[h, addr] : livenessPeers(c.m, c.host[self])) {
                out.insert(c.nameOf(h));
                agree = agree && livenessPeers(c.m, h).count(c.host[self]) == 1; // both ends agree
            }
            return out;
        };
        QCOMPARE(names(namesOf("a")), names(parseNames(ofA)));
        QCOMPARE(names(namesOf("c")), names(parseNames(ofC)));
        QVERIFY2(agree, "every peer found runs a session back");
        QCOMPARE(livenessHosts(c.m).count(c.host["c"]), size_t(vlan && bound));
        QVERIFY(gatewayHosts(c.m).empty()); // the L3 set is unchanged: L2 ports are never made inactive
    }

    void verdict_data()
    {
        using S = bfd::State;
        using V = LivenessVerdict;
        QTest::addColumn<int>("from");
        QTest::addColumn<int>("to");
        QTest::addColumn<int>("remote");
        QTest::addColumn<bool>("everUp");
        QTest::addColumn<int>("expected");
        QTest::newRow("up: reachable") << int(S::Init) << int(S::Up) << int(S::Up) << false << int(V::Reachable);
        QTest::newRow("detection time expired after up") << int(S::Up) << int(S::Down) << int(S::Up) << true << int(V::Unreachable);
        QTest::newRow("peer says down after up") << int(S::Up) << int(S::Down) << int(S::Down) << true << int(V::Unreachable);
        QTest::newRow("never up: no news") << int(S::Down) << int(S::Init) << int(S::Down) << false << int(V::NoChange);
        QTest::newRow("init timed out, never up") << int(S::Init) << int(S::Down) << int(S::Init) << false << int(V::NoChange);
        QTest::newRow("init timed out after an earlier up") << int(S::Init) << int(S::Down) << int(S::Init) << true << int(V::NoChange);
        QTest::newRow("peer stopped on purpose") << int(S::Up) << int(S::Down) << int(S::AdminDown) << true << int(V::Reachable);
        QTest::newRow("we stopped on purpose") << int(S::Up) << int(S::AdminDown) << int(S::Up) << true << int(V::Reachable);
    }
    void verdict()
    {
        QFETCH(int, from);
        QFETCH(int, to);
        QFETCH(int, remote);
        QFETCH(bool, everUp);
        QFETCH(int, expected);
        QCOMPARE(int(judge(bfd::State(from), bfd::State(to), bfd::State(remote), everUp)), expected);
    }

    void outboundEcmp_data()
    {
        QTest::addColumn<QString>("unreachable");
        QTest::addColumn<QString>("expected"); // gateways that carry some of 32 flows
        QTest::newRow("both gateways reachable: both carry flows") << "" << "g1,g2";
        QTest::newRow("g1 unreachable: everything via g2") << "g1" << "g2";
        QTest::newRow("g2 unreachable: everything via g1") << "g2" << "g1";
        QTest::newRow("both unreachable: no route") << "g1,g2" << "";
        QTest::newRow("a compute host unreachable changes nothing") << "c" << "g1,g2";
    }
    void outboundEcmp()
    {
        QFETCH(QString, unreachable);
        QFETCH(QString, expected);
        Cloud c;
        c.peer("10.1.1.2");
        c.peer("10.1.2.2");
        c.defaultRoutes();
        auto s = c.snapshot(parseNames(unreachable));
        sim::StateTables st;
        st.arps[{c.router, ip("10.1.1.2")}] = {mac("52:54:00:00:01:02")};
        st.arps[{c.router, ip("10.1.2.2")}] = {mac("52:54:00:00:02:02")};
        std::set<std::string> carriers;
        for (uint16_t sport = 40000; sport < 40032; ++sport) {
            auto r = sim::Simulator().simulate(udpOut(c.tenantMac, sport), c.tenantPort, *s, st);
            if (expected.isEmpty()) {
                QCOMPARE(r.reason, sim::DropReason::NoRoute);
                // Up again must re-simulate it: it carries the router's tag.
                QVERIFY(r.hasTag(flow::FlowTag::device(c.router)));
                continue;
            }
            QCOMPARE(r.verdict, sim::Verdict::Forward);
            auto t = tunnelOf(r.actions);
            QVERIFY2(t, flow::toString(r.actions).c_str());
            std::string via = t->first == 21 ? "g1" : t->first == 22 ? "g2" : "?";
            QCOMPARE(t->second, c.underlay[via]);
            carriers.insert(via);
            // Down of `via` must remove it (the port's tag); up of the other gateway must
            // re-spread it (the router's tag): exactly what livenessTags() names.
            const auto down = livenessTags(c.m, c.host[via], true);
            QVERIFY(std::any_of(down.begin(), down.end(), [&](const auto &tag) { return r.hasTag(tag); }));
            const auto up = livenessTags(c.m, c.host[via == "g1" ? "g2" : "g1"], false);
            QVERIFY(std::any_of(up.begin(), up.end(), [&](const auto &tag) { return r.hasTag(tag); }));
        }
        QCOMPARE(names(carriers), expected);
    }

    void downTagsSpareOtherFlows()
    {
        // A host's death invalidates only flows to its own ports, not the router's other flows.
        Cloud c;
        c.peer("10.1.1.2");
        const auto down = livenessTags(c.m, c.host["g1"], true);
        QCOMPARE(down.size(), size_t(1)); // not g1's other port
        QVERIFY(down[0] == flow::FlowTag::device(c.uplink["g1"]));
        const auto up = livenessTags(c.m, c.host["g1"], false);
        QVERIFY(std::find(up.begin(), up.end(), flow::FlowTag::device(c.router)) != up.end());
        QVERIFY(livenessTags(c.m, c.host["c"], true).empty()); // binds no gateway port
    }

    void onlyGatewayPortsGoInactive_data()
    {
        QTest::addColumn<QString>("unreachable");
        QTest::addColumn<QString>("port");
        QTest::addColumn<bool>("active");
        QTest::newRow("uplink of the lost gateway") << "g1" << "uplink-g1" << false;
        QTest::newRow("uplink of the other gateway") << "g1" << "uplink-g2" << true;
        // No other path exists to a non-gateway port, and a crashed agent's kernel datapath may
        // still deliver to it: it stays as it is.
        QTest::newRow("other port of the lost gateway") << "g1" << "g1-plain" << true;
        QTest::newRow("port of a lost compute host") << "c" << "c-port" << true;
        QTest::newRow("own port, whatever is said of this host") << "a" << "tenant" << true;
        QTest::newRow("everyone reachable") << "" << "uplink-g1" << true;
    }
    void onlyGatewayPortsGoInactive()
    {
        QFETCH(QString, unreachable);
        QFETCH(QString, port);
        QFETCH(bool, active);
        Cloud c;
        c.peer("10.1.1.2");
        c.peer("10.1.2.2");
        const std::map<QString, Uuid> ports = {{"uplink-g1", c.uplink["g1"]}, {"uplink-g2", c.uplink["g2"]},
                                               {"g1-plain", c.g1Plain}, {"c-port", c.cPort},
                                               {"tenant", c.tenantPort}};
        auto s = c.snapshot(parseNames(unreachable));
        QCOMPARE(s->port(ports.at(port))->active, active);
    }

    // Every host uses the same hop mode whatever its underlay looks like (multi-hop, RFC 5883):
    // two ends that picked differently would never hear each other.
    void sessionsAreMultihop()
    {
        UnderlayLivenessConfig cfg;
        QCOMPARE(cfg.port, bfd::kMultihopControlPort);
        cfg.interval = std::chrono::milliseconds(50);
        cfg.multiplier = 4;
        cfg.maxHops = 3;
        UnderlayPeer p{ip("10.2.0.5"), ip("10.1.0.5")};
        auto c = livenessSessionConfig(cfg, p);
        QVERIFY(c.multihop);
        QCOMPARE(bfd::destinationPort(c), uint16_t(4784));
        QCOMPARE(int(c.minReceivedTtl), 252); // leaf, spine, leaf
        QCOMPARE(c.localAddress.to_string(), std::string("10.1.0.5"));
        QCOMPARE(c.desiredMinTx, std::chrono::microseconds(50000));
        QCOMPARE(int(c.detectMult), 4);
        QVERIFY(!bfd::validate(c));
        auto o = livenessManagerOptions(cfg);
        QVERIFY(o.multihop && !o.singleHop);
        QCOMPARE(o.multihopListenPort, uint16_t(4784));
    }
};

QTEST_GUILESS_MAIN(TstUnderlayLiveness)
#include "tst_underlay_liveness.moc"
