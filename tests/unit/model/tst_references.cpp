// Referential rules against an in-memory resolver: dangling references name their field,
// links/bindings/memberships refuse conflicts with the right status, plans touch exactly the
// objects they should.
#include "common/model/references.h"

#include "fixture.h"

#include <QtTest>

using namespace fixture;
using nlohmann::json;

class TstModelReferences : public QObject
{
    Q_OBJECT
private slots:
    void check_data()
    {
        QTest::addColumn<QString>("type");
        QTest::addColumn<QString>("document"); // NSDB document, $NAME = fixture id
        QTest::addColumn<int>("code");         // 0 = accepted
        QTest::addColumn<QString>("property");

        QTest::newRow("port-ok") << "ports" << R"({"type":"Bridge","deviceId":"$B1"})" << 0 << "";
        QTest::newRow("port-missing-device")
            << "ports" << R"({"type":"Bridge","deviceId":"$NONE"})" << 404 << "deviceId";
        QTest::newRow("router-port-on-a-bridge")
            << "ports" << R"({"type":"Router","deviceId":"$B1","portAddress":"10.9.0.1"})" << 404
            << "deviceId";
        QTest::newRow("port-without-device") << "ports" << R"({"type":"Bridge"})" << 400
                                             << "deviceId";
        QTest::newRow("port-dangling-filter")
            << "ports" << R"({"type":"Bridge","deviceId":"$B1","inboundFilterId":"$NONE"})" << 404
            << "inboundFilterId";
        QTest::newRow("port-dangling-peer")
            << "ports" << R"({"type":"Bridge","deviceId":"$B1","peerId":"$NONE"})" << 404
            << "peerId";
        QTest::newRow("bridge-dangling-filter")
            << "bridges" << R"({"outboundFilterId":"$NONE"})" << 404 << "outboundFilterId";
        QTest::newRow("router-dangling-forward-chain")
            << "routers" << R"({"forwardChainId":"$NONE"})" << 404 << "forwardChainId";
        QTest::newRow("rule-ok") << "rules" << R"({"type":"jump","chainId":"$C1","jumpChainId":"$C2"})"
                                 << 0 << "";
        QTest::newRow("rule-missing-chain") << "rules" << R"({"type":"drop","chainId":"$NONE"})"
                                            << 404 << "chainId";
        QTest::newRow("rule-without-chain") << "rules" << R"({"type":"drop"})" << 400
                                            << "chainId";
        QTest::newRow("rule-missing-jump-target")
            << "rules" << R"({"type":"jump","chainId":"$C1","jumpChainId":"$NONE"})" << 404
            << "jumpChainId";
        QTest::newRow("rule-jump-to-own-chain")
            << "rules" << R"({"type":"jump","chainId":"$C1","jumpChainId":"$C1"})" << 400
            << "jumpChainId";
        QTest::newRow("rule-dangling-in-port")
            << "rules" << R"({"type":"drop","chainId":"$C1","inPorts":["$BP1","$NONE"]})" << 404
            << "inPorts[1]";
        QTest::newRow("rule-dangling-ip-group")
            << "rules" << R"({"type":"drop","chainId":"$C1","ipAddrGroupSrc":"$NONE"})" << 404
            << "ipAddrGroupSrc";
        QTest::newRow("rule-dangling-port-group")
            << "rules" << R"({"type":"drop","chainId":"$C1","outPortGroup":"$NONE"})" << 404
            << "outPortGroup";
        QTest::newRow("rule-dangling-redirect-port")
            << "rules"
            << R"({"type":"l2_transform","chainId":"$C1","flowAction":"redirect","targetPortId":"$NONE"})"
            << 404 << "targetPortId";
        const char *normal =
            R"({"type":"Normal","routerId":"$%1","srcNetworkAddr":"0.0.0.0","dstNetworkAddr":"10.5.0.0","dstNetworkLength":16,"nextHopPort":"$%2"})";
        QTest::newRow("route-ok") << "routes" << QString(normal).arg("R1", "RP1") << 0 << "";
        QTest::newRow("route-next-hop-missing") << "routes" << QString(normal).arg("R1", "NONE")
                                                << 404 << "nextHopPort";
        QTest::newRow("route-next-hop-on-other-router")
            << "routes" << QString(normal).arg("R2", "RP1") << 400 << "nextHopPort";
        QTest::newRow("route-next-hop-bridge-port")
            << "routes" << QString(normal).arg("R1", "BP1") << 400 << "nextHopPort";
        QTest::newRow("route-missing-router") << "routes" << QString(normal).arg("NONE", "RP1")
                                              << 404 << "routerId";
        QTest::newRow("blackhole-route-next-hop-on-other-router")
            << "routes"
            << R"({"type":"BlackHole","routerId":"$R2","srcNetworkAddr":"0.0.0.0","dstNetworkAddr":"10.6.0.0","nextHopPort":"$RP1"})"
            << 400 << "nextHopPort";
        QTest::newRow("blackhole-route-ok")
            << "routes"
            << R"({"type":"BlackHole","routerId":"$R1","srcNetworkAddr":"0.0.0.0","dstNetworkAddr":"10.6.0.0"})"
            << 0 << "";
        QTest::newRow("pool-ok") << "pools" << R"({"loadBalancerId":"$LB1","lbMethod":"ROUND_ROBIN"})"
                                 << 0 << "";
        QTest::newRow("pool-missing-lb")
            << "pools" << R"({"loadBalancerId":"$NONE","lbMethod":"ROUND_ROBIN"})" << 404
            << "loadBalancerId";
        QTest::newRow("pool-missing-health-monitor")
            << "pools"
            << R"({"loadBalancerId":"$LB1","healthMonitorId":"$NONE","lbMethod":"ROUND_ROBIN"})"
            << 404 << "healthMonitorId";
        QTest::newRow("member-missing-pool")
            << "pool_members" << R"({"poolId":"$NONE","address":"10.0.0.1"})" << 404 << "poolId";
        QTest::newRow("vip-missing-pool-is-400")
            << "vips" << R"({"poolId":"$NONE","address":"10.0.0.1"})" << 400 << "poolId";
        QTest::newRow("vip-ok") << "vips" << R"({"poolId":"$P1","address":"10.0.0.1"})" << 0 << "";
        QTest::newRow("router-lb-attached-elsewhere")
            << "routers" << R"({"id":"$R1","loadBalancerId":"$LB1"})" << 409 << "loadBalancerId";
        QTest::newRow("router-keeps-its-own-lb")
            << "routers" << R"({"id":"$R2","loadBalancerId":"$LB1"})" << 0 << "";
        QTest::newRow("bgp-peer-duplicate")
            << "bgp_peers" << R"({"routerId":"$R1","asNumber":65000,"address":"192.0.2.1"})" << 400
            << "address";
        QTest::newRow("bgp-peer-other-as-ok")
            << "bgp_peers" << R"({"routerId":"$R1","asNumber":65001,"address":"192.0.2.1"})" << 0
            << "";
        QTest::newRow("bgp-peer-same-as-other-router-ok")
            << "bgp_peers" << R"({"routerId":"$R2","asNumber":65000,"address":"192.0.2.1"})" << 0
            << "";
        QTest::newRow("bgp-network-missing-router")
            << "bgp_networks" << R"({"routerId":"$NONE","subnetAddress":"10.0.0.0"})" << 404
            << "routerId";
        const char *trace =
            R"({"name":"t","deviceType":"%1","deviceId":"$%2","condition":{"inPorts":["$%3"]}})";
        QTest::newRow("trace-ok") << "traces" << QString(trace).arg("PORT", "BP1", "BP2") << 0
                                  << "";
        QTest::newRow("trace-device-of-other-type")
            << "traces" << QString(trace).arg("BRIDGE", "BP1", "BP2") << 404 << "deviceId";
        QTest::newRow("trace-dangling-condition-port")
            << "traces" << QString(trace).arg("ROUTER", "R1", "NONE") << 404
            << "condition.inPorts[0]";
        QTest::newRow("tunnel-zone-dangling-member")
            << "tunnel_zones"
            << R"({"name":"z","type":"gre","hosts":[{"hostId":"$H1","ipAddress":"1.1.1.1"},{"hostId":"$NONE","ipAddress":"1.1.1.2"}]})"
            << 404 << "hosts[1].hostId";
        QTest::newRow("tunnel-zone-name-taken")
            << "tunnel_zones" << R"({"name":"tz","type":"vxlan"})" << 409 << "name";
        QTest::newRow("tunnel-zone-keeps-own-name")
            << "tunnel_zones" << R"({"id":"$TZ","name":"tz","type":"gre"})" << 0 << "";
        QTest::newRow("port-group-dangling-member") << "port_groups" << R"({"portIds":["$NONE"]})"
                                                    << 404 << "portIds[0]";
        QTest::newRow("chain-dangling-rule") << "chains" << R"({"ruleIds":["$A1","$NONE"]})" << 404
                                             << "ruleIds[1]";
    }
    void check()
    {
        QFETCH(QString, type);
        QFETCH(QString, document);
        QFETCH(int, code);
        QFETCH(QString, property);
        MemoryResolver r = build();
        json doc = json::parse(subst(document));
        auto [got, prop] = outcome([&] { checkReferences(r, type.toStdString(), doc); });
        QCOMPARE(got, code);
        QCOMPARE(QString::fromStdString(prop), property);
    }

    void danglingMessageNamesFieldAndId()
    {
        MemoryResolver r = build();
        json doc = {{"outboundFilterId", id("NONE").toString()}};
        try {
            checkReferences(r, "bridges", doc);
            QFAIL("dangling reference accepted");
        } catch (const ReferenceError &e) {
            QCOMPARE(QString(e.what()),
                     QString::fromStdString("outboundFilterId refers to chains " +
                                            id("NONE").toString() + ", which does not exist"));
            QCOMPARE(e.toJson()["code"], json(404));
        }
    }

    void link_data()
    {
        QTest::addColumn<QString>("port");
        QTest::addColumn<QString>("peer");
        QTest::addColumn<bool>("allowBridgeToBridge");
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("property");
        QTest::newRow("bridge-router") << "BP2" << "RP2" << false << 0 << "";
        QTest::newRow("router-router") << "RP2" << "RP3" << false << 0 << "";
        QTest::newRow("bridge-bridge-refused") << "BP2" << "BP3" << false << 400 << "peerId";
        QTest::newRow("bridge-bridge-allowed") << "BP2" << "BP3" << true << 0 << "";
        QTest::newRow("bridge-bridge-vlan-side") << "BP2" << "BV" << false << 0 << "";
        QTest::newRow("port-to-itself") << "BP2" << "BP2" << false << 400 << "peerId";
        QTest::newRow("same-device") << "RP1" << "RP2" << false << 409 << "peerId";
        QTest::newRow("missing-peer") << "BP2" << "NONE" << false << 404 << "peerId";
        QTest::newRow("missing-port") << "NONE" << "RP2" << false << 404 << "id";
        QTest::newRow("already-linked") << "BP4" << "RP2" << false << 409 << "id";
        QTest::newRow("peer-already-linked") << "RP2" << "BP4" << false << 409 << "peerId";
        QTest::newRow("exterior-port") << "BP5" << "RP2" << false << 409 << "id";
    }
    void link()
    {
        QFETCH(QString, port);
        QFETCH(QString, peer);
        QFETCH(bool, allowBridgeToBridge);
        QFETCH(int, code);
        QFETCH(QString, property);
        MemoryResolver r = build();
        std::vector<StoreOp> ops;
        auto [got, prop] = outcome([&] {
            ops = planLink(r, id(port.toStdString()), id(peer.toStdString()),
                           LinkOptions{allowBridgeToBridge});
        });
        QCOMPARE(got, code);
        QCOMPARE(QString::fromStdString(prop), property);
        if (code) return;
        QCOMPARE(ops.size(), size_t(2));
        r.apply(ops);
        QCOMPARE(r.find<Port>(id(port.toStdString()))->peerId, id(peer.toStdString()));
        QCOMPARE(r.find<Port>(id(peer.toStdString()))->peerId, id(port.toStdString()));
        QVERIFY(r.find<Port>(id(port.toStdString()))->isInterior());
    }

    void unlinkClearsBothSides()
    {
        MemoryResolver r = build();
        auto ops = planUnlink(r, id("RP4"));
        QCOMPARE(ops.size(), size_t(2));
        r.apply(ops);
        QVERIFY(!r.find<Port>(id("RP4"))->peerId);
        QVERIFY(!r.find<Port>(id("BP4"))->peerId);
        QVERIFY(planUnlink(r, id("RP4")).empty());
    }
    void unlinkLeavesAPeerLinkedElsewhere()
    {
        // RP4 says BP4, but BP4 says RP3 (a record written by hand): unlinking RP4 clears RP4
        // only; BP4's link to RP3 stays.
        MemoryResolver r = build();
        Port bp4 = *r.find<Port>(id("BP4"));
        bp4.peerId = id("RP3");
        r.put(bp4);
        auto ops = planUnlink(r, id("RP4"));
        QCOMPARE(ops.size(), size_t(1));
        r.apply(ops);
        QVERIFY(!r.find<Port>(id("RP4"))->peerId);
        QCOMPARE(r.find<Port>(id("BP4"))->peerId, id("RP3"));
    }

    void bind_data()
    {
        QTest::addColumn<QString>("host");
        QTest::addColumn<QString>("port");
        QTest::addColumn<QString>("iface");
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("property");
        QTest::newRow("ok") << "H1" << "BP2" << "tap1" << 0 << "";
        QTest::newRow("router-port-ok") << "H1" << "RP2" << "tap2" << 0 << "";
        QTest::newRow("host-in-no-tunnel-zone") << "H2" << "BP2" << "tap1" << 409 << "hostId";
        QTest::newRow("missing-host") << "NONE" << "BP2" << "tap1" << 404 << "hostId";
        QTest::newRow("missing-port") << "H1" << "NONE" << "tap1" << 404 << "portId";
        QTest::newRow("port-already-bound") << "H1" << "BP5" << "tap9" << 409 << "portId";
        QTest::newRow("interface-in-use") << "H1" << "BP2" << "tap0" << 409 << "interfaceName";
        QTest::newRow("interior-port") << "H1" << "BP4" << "tap3" << 409 << "portId";
    }
    void bind()
    {
        QFETCH(QString, host);
        QFETCH(QString, port);
        QFETCH(QString, iface);
        QFETCH(int, code);
        QFETCH(QString, property);
        MemoryResolver r = build();
        HostInterfacePort b{id(host.toStdString()), id(port.toStdString()), iface.toStdString()};
        std::vector<StoreOp> ops;
        auto [got, prop] = outcome([&] { ops = planBind(r, b); });
        QCOMPARE(got, code);
        QCOMPARE(QString::fromStdString(prop), property);
        if (code) return;
        r.apply(ops);
        auto p = r.find<Port>(id(port.toStdString()));
        QVERIFY(p->isExterior());
        QCOMPARE(QString::fromStdString(*p->interfaceName), iface);
    }

    void bindTrunk()
    {
        // L2 gateway ports share a trunk interface by VLAN; the same VLAN twice, or an access
        // port beside them, is refused naming the field at fault.
        MemoryResolver r = build();
        auto withVlan = [&](const char *name, int vlan) {
            Port p = *r.find<Port>(id(name));
            p.vlanId = vlan;
            r.put(p);
        };
        withVlan("BP1", 10);
        withVlan("BP2", 20);
        withVlan("BP3", 10); // another bridge, same VLAN
        r.apply(planBind(r, {id("H1"), id("BP1"), "trunk0"}));
        r.apply(planBind(r, {id("H1"), id("BP2"), "trunk0"}));
        QCOMPARE(r.find<Port>(id("BP2"))->interfaceName.value_or(""), std::string("trunk0"));
        QCOMPARE(outcome([&] { planBind(r, {id("H1"), id("BP3"), "trunk0"}); }),
                 std::pair(409, std::string("vlanId")));
        try {
            planBind(r, {id("H1"), id("BP3"), "trunk0"});
        } catch (const std::exception &e) {
            QVERIFY2(std::string(e.what()).find("VLAN 10 of interface trunk0") != std::string::npos, e.what());
        }
        QCOMPARE(outcome([&] { planBind(r, {id("H1"), id("RP2"), "trunk0"}); }),
                 std::pair(409, std::string("interfaceName")));
        r.apply(planBind(r, {id("H1"), id("BP3"), "trunk1"})); // another interface: fine
    }

    void unbind()
    {
        MemoryResolver r = build();
        QCOMPARE(outcome([&] { planUnbind(r, id("H2"), id("BP5")); }).first, 404);
        r.apply(planUnbind(r, id("H1"), id("BP5")));
        auto p = r.find<Port>(id("BP5"));
        QVERIFY(!p->hostId && !p->interfaceName);
    }

    void tunnelZoneMembers()
    {
        MemoryResolver r = build();
        TunnelZoneHost m{id("TZ"), id("H2"), *IPv4Address::parse("192.168.0.2")};
        r.apply(planAddTunnelZoneMember(r, m));
        QCOMPARE(r.find<TunnelZone>(id("TZ"))->hosts.size(), size_t(2));
        // The stored member does not repeat its zone (the container says it).
        auto stored = r.get("tunnel_zones", id("TZ"))->at("hosts").back();
        QVERIFY2(stored.value("tunnelZoneId", json()).is_null(), stored.dump().c_str());
        QCOMPARE(outcome([&] { planAddTunnelZoneMember(r, m); }), std::pair(409, std::string("hostId")));
        m.hostId = id("NONE");
        QCOMPARE(outcome([&] { planAddTunnelZoneMember(r, m); }).first, 404);
        r.apply(planRemoveTunnelZoneMember(r, id("TZ"), id("H2")));
        QCOMPARE(r.find<TunnelZone>(id("TZ"))->hosts.size(), size_t(1));
        QCOMPARE(outcome([&] { planRemoveTunnelZoneMember(r, id("TZ"), id("H2")); }).first, 404);
    }

    void portGroupMembers()
    {
        MemoryResolver r = build();
        r.apply(planAddPortGroupMember(r, {id("PG1"), id("BP2")}));
        QCOMPARE(r.find<PortGroup>(id("PG1"))->portIds,
                 (std::vector<Uuid>{id("BP1"), id("BP2")}));
        QCOMPARE(outcome([&] { planAddPortGroupMember(r, {id("PG1"), id("BP1")}); }).first, 409);
        QCOMPARE(outcome([&] { planAddPortGroupMember(r, {id("PG1"), id("NONE")}); }).first, 404);
        QCOMPARE(outcome([&] { planRemovePortGroupMember(r, id("PG1"), id("BP3")); }).first, 404);
        r.apply(planRemovePortGroupMember(r, id("PG1"), id("BP1")));
        QCOMPARE(r.find<PortGroup>(id("PG1"))->portIds, std::vector<Uuid>{id("BP2")});
    }

    void ipAddrGroupAddresses()
    {
        MemoryResolver r = build();
        auto a = decode<IpAddrGroupAddr>(json{{"addr", "2001:DB8:0::1"}, {"version", 6}},
                                         DecodeOptions::apiInput());
        a.ipAddrGroupId = id("IG1");
        r.apply(planAddIpAddrGroupAddr(r, a));
        QCOMPARE(r.find<IpAddrGroup>(id("IG1"))->addresses,
                 std::vector<std::string>{"2001:db8::1"}); // canonical text
        QCOMPARE(outcome([&] { planAddIpAddrGroupAddr(r, a); }).first, 409);
        QVERIFY(planRemoveIpAddrGroupAddr(r, id("IG1"), "10.0.0.1").empty());
        r.apply(planRemoveIpAddrGroupAddr(r, id("IG1"), "2001:db8::1"));
        QVERIFY(r.find<IpAddrGroup>(id("IG1"))->addresses.empty());
    }

    void macTableEntries()
    {
        MemoryResolver r = build();
        auto mac = *midonet::util::MacAddress::parse("02:00:00:00:00:01");
        QCOMPARE(outcome([&] { checkMacPortEntry(r, id("B1"), {mac, id("BP1"), std::nullopt}); })
                     .first,
                 0);
        QCOMPARE(outcome([&] { checkMacPortEntry(r, id("B1"), {mac, id("BP3"), std::nullopt}); }),
                 std::pair(400, std::string("portId")));
        QCOMPARE(outcome([&] { checkMacPortEntry(r, id("B2"), {mac, id("BV"), 11}); }),
                 std::pair(400, std::string("vlanId")));
        QCOMPARE(outcome([&] { checkMacPortEntry(r, id("B2"), {mac, id("BV"), 10}); }).first, 0);
        QCOMPARE(outcome([&] { checkMacPortEntry(r, id("NONE"), {mac, id("BV"), 10}); }).first,
                 404);
    }
};

QTEST_GUILESS_MAIN(TstModelReferences)
#include "tst_references.moc"
