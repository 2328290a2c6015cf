// The bridge as a user sees it: where frames go, what is learned, what the installed flow
// matches on (the megaflow mask) and what invalidates it (tags).
#include "agent/simulation/simulator.h"

#include "sim_fixture.h"

using namespace simtest;

class TstBridge : public QObject
{
    Q_OBJECT
private slots:
    void forwarding_data()
    {
        QTest::addColumn<int>("dst");    // 0 vm2, 1 unknown, 2 broadcast, 3 remote vm, 4 vm1 itself
        QTest::addColumn<QString>("verdict");
        QTest::addColumn<QString>("actions");
        QTest::newRow("unicast-to-learned-port") << 0 << "forward" << "2";
        QTest::newRow("unknown-unicast-floods-exterior-ports")
            << 1 << "forward"
            << "2,set(tunnel(tun_id=0x67,src=192.168.100.1,dst=192.168.100.2,tos=0x0,ttl=64,flags(key))),99";
        QTest::newRow("broadcast-floods")
            << 2 << "forward"
            << "2,set(tunnel(tun_id=0x67,src=192.168.100.1,dst=192.168.100.2,tos=0x0,ttl=64,flags(key))),99";
        QTest::newRow("remote-port-is-tunnelled-with-its-key")
            << 3 << "forward"
            << "set(tunnel(tun_id=0x67,src=192.168.100.1,dst=192.168.100.2,tos=0x0,ttl=64,flags(key))),99";
        QTest::newRow("destination-equals-source-is-error-drop") << 4 << "error-drop" << "drop";
    }
    void forwarding()
    {
        QFETCH(int, dst);
        QFETCH(QString, verdict);
        QFETCH(QString, actions);
        Fixture f;
        f.buildBridgeA();
        f.learn(kBridgeA, kMacVm1, kVm1);
        f.learn(kBridgeA, kMacVm2, kVm2);
        f.learn(kBridgeA, kMacVmRemote, kVmRemote);
        MacAddress to = dst == 0   ? kMacVm2
                        : dst == 1 ? mac("02:00:00:00:00:99")
                        : dst == 2 ? MacAddress::broadcast()
                        : dst == 3 ? kMacVmRemote
                                   : kMacVm1;
        auto r = f.run(tcp(kMacVm1, to, "10.0.0.11", "10.0.0.12", 40000, 80), kVm1);
        QCOMPARE(simtest::verdict(r), verdict);
        QCOMPARE(simtest::actions(r), actions);
        // A bridge-only flow never looks above L2.
        QVERIFY(r.mask.consulted(Field::InPort));
        QVERIFY(r.mask.consulted(Field::EthDst));
        QVERIFY(!r.mask.consulted(Field::TpDst));
        QVERIFY(!r.mask.consulted(Field::TpSrc));
        QVERIFY(!r.mask.consulted(Field::Ipv4Src));
        QVERIFY(!r.mask.consulted(Field::Ipv4Dst));
        QVERIFY(!r.mask.consulted(Field::IpTtl));
        QVERIFY(r.hasTag(FlowTag::device(kBridgeA)));
        QVERIFY(r.hasTag(FlowTag::device(kVm1)));
    }

    void tagsName_whatTheFlowDependsOn()
    {
        Fixture f;
        f.buildBridgeA();
        f.learn(kBridgeA, kMacVm1, kVm1);
        f.learn(kBridgeA, kMacVm2, kVm2);
        auto r = f.run(tcp(kMacVm1, kMacVm2, "10.0.0.11", "10.0.0.12", 1, 2), kVm1);
        QVERIFY(r.hasTag(FlowTag::vlanPort(kBridgeA, kMacVm2, 0, kVm2)));
        // The source's tag is its own kind: it keeps the MAC learned, a destination's does not.
        QVERIFY(r.hasTag(FlowTag::macSource(kBridgeA, kMacVm1, 0, kVm1)));
        QVERIFY(!r.hasTag(FlowTag::vlanPort(kBridgeA, kMacVm1, 0, kVm1)));
        QVERIFY(r.hasTag(FlowTag::device(kVm2)));
        QVERIFY(!r.hasTag(FlowTag::broadcast(kBridgeA)));

        auto flood = f.run(tcp(kMacVm1, mac("02:00:00:00:00:99"), "10.0.0.11", "10.0.0.12", 1, 2), kVm1);
        QVERIFY(flood.hasTag(FlowTag::vlanFlood(kBridgeA, 0, mac("02:00:00:00:00:99"))));
        QVERIFY(flood.hasTag(FlowTag::broadcast(kBridgeA)));
    }

    void macLearning()
    {
        Fixture f;
        f.buildBridgeA();
        auto r = f.run(tcp(kMacVm1, kMacVm2, "10.0.0.11", "10.0.0.12", 1, 2), kVm1);
        QCOMPARE(r.stateChanges.size(), size_t(1));
        auto *learned = std::get_if<MacLearned>(&r.stateChanges[0].change);
        QVERIFY(learned);
        QCOMPARE(learned->mac, kMacVm1);
        QCOMPARE(learned->port, kVm1);
        QCOMPARE(learned->vlan, uint16_t(0));
        QCOMPARE(simtest::actions(r).count(',') >= 1, true); // flooded: vm2 unknown yet
        f.apply(r);
        // The reply now goes straight to vm1, and vm2 is learned in turn.
        auto back = f.run(tcp(kMacVm2, kMacVm1, "10.0.0.12", "10.0.0.11", 2, 1), kVm2);
        QCOMPARE(simtest::actions(back), QString("1"));
        QCOMPARE(back.stateChanges.size(), size_t(1));
        // Learned again from the same port: no change.
        f.apply(back);
        auto again = f.run(tcp(kMacVm2, kMacVm1, "10.0.0.12", "10.0.0.11", 2, 1), kVm2);
        QVERIFY(again.stateChanges.empty());
    }

    void macMovesToAnotherPort()
    {
        Fixture f;
        f.buildBridgeA();
        f.learn(kBridgeA, kMacVm1, kVm2); // vm1's MAC was last seen on vm2's port
        auto r = f.run(tcp(kMacVm1, MacAddress::broadcast(), "10.0.0.11", "10.0.0.12", 1, 2), kVm1);
        QCOMPARE(r.stateChanges.size(), size_t(1));
        QCOMPARE(std::get<MacLearned>(r.stateChanges[0].change).port, kVm1);
    }

    void drops_data()
    {
        QTest::addColumn<QString>("what");
        QTest::addColumn<QString>("verdict");
        QTest::addColumn<QString>("reason");
        QTest::newRow("multicast-source") << "multicast-source" << "drop" << "multicast-source";
        QTest::newRow("bridge-admin-down") << "bridge-down" << "drop" << "bridge-admin-down";
        QTest::newRow("ingress-port-admin-down") << "port-down" << "drop" << "port-admin-down";
        QTest::newRow("egress-port-admin-down") << "egress-down" << "drop" << "port-admin-down";
        QTest::newRow("destination-learned-on-in-port") << "hairpin" << "error-drop" << "hairpin";
        QTest::newRow("unknown-ingress-port") << "unknown-port" << "error-drop" << "unknown-port";
        QTest::newRow("egress-port-inactive") << "inactive" << "drop" << "port-inactive";
        QTest::newRow("egress-port-unplugged") << "unplugged" << "error-drop" << "port-unplugged";
        QTest::newRow("malformed-frame") << "malformed" << "drop" << "malformed-packet";
    }
    void drops()
    {
        QFETCH(QString, what);
        QFETCH(QString, verdict);
        QFETCH(QString, reason);
        Fixture f;
        f.buildBridgeA();
        f.learn(kBridgeA, kMacVm2, kVm2);
        FlowKey k = tcp(kMacVm1, kMacVm2, "10.0.0.11", "10.0.0.12", 1, 2);
        Uuid in = kVm1;
        if (what == "multicast-source") k.ethSrc = mac("01:00:5e:00:00:01");
        if (what == "bridge-down") f.bridge(kBridgeA).adminUp = false;
        if (what == "port-down") f.port(kVm1).adminUp = false;
        if (what == "egress-down") f.port(kVm2).adminUp = false;
        if (what == "hairpin") f.learn(kBridgeA, kMacVm2, kVm1);
        if (what == "unknown-port") in = id(999);
        if (what == "inactive") f.port(kVm2).active = false;
        if (what == "unplugged") f.port(kVm2).hostId = Uuid{};
        SimulationResult r;
        if (what == "malformed") {
            packet::Buffer b = packet::buildFromKey(k);
            b.resize(20); // cut inside the IPv4 header
            r = f.runFrame(b, in);
        } else {
            r = f.run(k, in);
        }
        QCOMPARE(simtest::verdict(r), verdict);
        QCOMPARE(simtest::reason(r), reason);
        QVERIFY(r.actions.empty());
        if (what == "bridge-down" || what == "port-down") QVERIFY(r.generated.empty()); // no reject hook
    }

    void arpSuppression_data()
    {
        QTest::addColumn<QString>("target");
        QTest::addColumn<QString>("verdict");
        QTest::addColumn<QString>("answerMac");
        QTest::newRow("router-port-ip-answered-by-bridge") << "10.0.0.1" << "no-op" << "02:aa:00:00:00:01";
        QTest::newRow("seeded-ip-mac-entry-answered") << "10.0.0.50" << "no-op" << "02:00:00:00:00:50";
        QTest::newRow("unknown-ip-is-flooded") << "10.0.0.77" << "forward" << "";
    }
    void arpSuppression()
    {
        QFETCH(QString, target);
        QFETCH(QString, verdict);
        QFETCH(QString, answerMac);
        Fixture f;
        f.buildTwoTier();
        f.bridge(kBridgeA).ipMacTable[ip("10.0.0.50")] = mac("02:00:00:00:00:50");
        auto r = f.run(arpRequest(kMacVm1, "10.0.0.11", target.toLatin1().constData()), kVm1);
        QCOMPARE(simtest::verdict(r), verdict);
        if (answerMac.isEmpty()) {
            QVERIFY(r.generated.empty());
            QVERIFY(r.hasTag(FlowTag::arpRequest(kBridgeA)));
            QVERIFY(!simtest::actions(r).contains("tun_id=0x6e")); // never flooded to routers
            return;
        }
        QCOMPARE(r.generated.size(), size_t(1));
        QCOMPARE(r.generated[0].fromPort, kVm1);
        FlowKey reply = generatedKey(r);
        QCOMPARE(reply.arpOp, packet::kArpReply);
        QCOMPARE(QString::fromStdString(reply.arpSha.toString()), answerMac);
        QCOMPARE(reply.arpSip, ip(target.toLatin1().constData()));
        QCOMPARE(reply.arpTha, kMacVm1);
        QCOMPARE(reply.ethDst, kMacVm1);
        // Delivering the reply: out of vm1's port.
        auto out = f.sim.simulateGenerated(r.generated[0].frame, kVm1, f.topo, f.state, f.env);
        QCOMPARE(simtest::actions(out), QString("1"));
    }

    void gratuitousArpUpdatesIpMacAndFloods()
    {
        Fixture f;
        f.buildBridgeA();
        auto r = f.run(arpRequest(kMacVm1, "10.0.0.11", "10.0.0.11"), kVm1);
        QCOMPARE(simtest::verdict(r), QString("forward"));
        bool found = false;
        for (const auto &c : r.stateChanges)
            if (auto *g = std::get_if<BridgeIpMacLearned>(&c.change))
                found = g->ip == ip("10.0.0.11") && g->mac == kMacVm1;
        QVERIFY(found);
    }

    void vlanAwareBridge()
    {
        // Bridge V is VLAN-aware: its interior port pV10 (VLAN 10) links to bridge X; the trunk
        // (dp 5) is exterior. Frames from X get tag 10 pushed; tagged frames go back popped.
        Fixture f;
        const Uuid bv = id(50), bx = id(51), trunk = id(52), pv10 = id(53), px = id(54), vmx = id(55);
        f.addBridge(bv);
        f.addBridge(bx);
        f.addExterior(trunk, bv, 5);
        f.addInterior(pv10, bv);
        f.port(pv10).vlanId = 10;
        f.addInterior(px, bx);
        f.link(pv10, px);
        f.addExterior(vmx, bx, 6);
        const MacAddress vmxMac = mac("02:00:00:00:0a:01"), farMac = mac("02:00:00:00:0b:01");
        f.learn(bx, farMac, px);
        f.learn(bv, farMac, trunk, 10);
        auto out = f.run(tcp(vmxMac, farMac, "10.1.0.1", "10.1.0.2", 1, 2), vmx);
        QCOMPARE(simtest::actions(out), QString("push_vlan(vid=10,pcp=0),5"));
        QVERIFY(out.hasTag(FlowTag::vlanPort(bv, farMac, 10, trunk)));

        f.learn(bv, vmxMac, pv10, 10);
        f.learn(bx, vmxMac, vmx);
        FlowKey tagged = tcp(farMac, vmxMac, "10.1.0.2", "10.1.0.1", 2, 1);
        tagged.vlanTci = 10 | flow::kVlanPresent;
        auto back = f.run(tagged, trunk);
        QCOMPARE(simtest::actions(back), QString("pop_vlan,6"));
        QVERIFY(back.mask.consulted(Field::VlanTci));

        // A frame tagged with another VLAN cannot leave through pV10.
        f.learn(bv, vmxMac, pv10, 20);
        tagged.vlanTci = 20 | flow::kVlanPresent;
        auto wrong = f.run(tagged, trunk);
        QCOMPARE(simtest::reason(wrong), QString("vlan-mismatch"));
    }

    void l2GatewayPort()
    {
        // Bridge A's exterior port gw (dp 7, VLAN 10) is an L2 gateway port on a trunk: frames
        // tagged 10 enter with the tag popped; frames for it leave tagged 10. gw2 is the
        // standby gateway port on another host (inactive): nothing goes out or comes in there.
        Fixture f;
        f.buildBridgeA();
        const Uuid gw = id(70), gw2 = id(71);
        f.addExterior(gw, kBridgeA, 7);
        f.port(gw).vlanId = 10;
        f.addExterior(gw2, kBridgeA, 0, kRemoteHost);
        f.port(gw2).vlanId = 10;
        f.port(gw2).active = false;
        f.learn(kBridgeA, kMacVm1, kVm1);
        const MacAddress phys = mac("02:00:00:00:0c:01");

        FlowKey in = tcp(phys, kMacVm1, "10.0.0.50", "10.0.0.11", 1, 2);
        in.vlanTci = 10 | flow::kVlanPresent;
        auto r = f.run(in, gw);
        QCOMPARE(simtest::actions(r), QString("pop_vlan,1"));
        QVERIFY(r.mask.consulted(Field::VlanTci)); // the trunk carries other VLANs too
        bool learned = false;
        for (const auto &c : r.stateChanges)
            if (auto *m = std::get_if<MacLearned>(&c.change))
                learned = m->mac == phys && m->port == gw && m->vlan == 0;
        QVERIFY2(learned, "the physical MAC is learned on the gateway port, untagged table");

        // Untagged and other-VLAN frames on the trunk are not this port's.
        in.vlanTci = 0;
        QCOMPARE(simtest::reason(f.run(in, gw)), QString("vlan-mismatch"));
        in.vlanTci = 20 | flow::kVlanPresent;
        QCOMPARE(simtest::reason(f.run(in, gw)), QString("vlan-mismatch"));

        f.learn(kBridgeA, phys, gw);
        auto out = f.run(tcp(kMacVm1, phys, "10.0.0.11", "10.0.0.50", 2, 1), kVm1);
        QCOMPARE(simtest::actions(out), QString("push_vlan(vid=10,pcp=0),7"));

        // Broadcast from a VM: tagged towards the active gateway, nothing to the standby.
        auto flood = f.run(tcp(kMacVm1, MacAddress::broadcast(), "10.0.0.11", "10.0.0.255", 2, 1), kVm1);
        const QString acts = simtest::actions(flood);
        QVERIFY2(acts.contains("push_vlan(vid=10,pcp=0),7"), qPrintable(acts));
        QVERIFY2(!acts.contains("tun_id=0x47"), qPrintable(acts)); // gw2's tunnel key
        QVERIFY2(acts.contains("pop_vlan,2"), qPrintable(acts)); // VM ports get it untagged

        // A frame arriving through the standby is dropped, not bridged a second time.
        in.vlanTci = 10 | flow::kVlanPresent;
        auto standby = f.run(in, gw2);
        QCOMPARE(simtest::reason(standby), QString("port-inactive"));
        QVERIFY(standby.hasTag(FlowTag::device(gw2)));
        // ... for its VLAN only: the trunk's other VLANs may be active on this host, and a drop
        // flow without the tag in its mask would swallow them too.
        QVERIFY(standby.mask.consulted(Field::VlanTci));
        f.port(gw).adminUp = false;
        auto down = f.run(in, gw);
        QCOMPARE(simtest::reason(down), QString("port-admin-down"));
        QVERIFY(down.mask.consulted(Field::VlanTci));
    }

    void bridgeChainsSkipTaggedFrames()
    {
        Fixture f;
        f.buildBridgeA();
        f.learn(kBridgeA, kMacVm2, kVm2);
        const Uuid chain = id(60);
        f.addRule(chain, id(61), RuleAction::Drop);
        f.bridge(kBridgeA).inboundFilter = chain;
        FlowKey k = tcp(kMacVm1, kMacVm2, "10.0.0.11", "10.0.0.12", 1, 2);
        QCOMPARE(simtest::reason(f.run(k, kVm1)), QString("filter-drop"));
        k.vlanTci = 7 | flow::kVlanPresent;
        QCOMPARE(simtest::verdict(f.run(k, kVm1)), QString("forward"));
    }

    void inFilterDropStillLearns()
    {
        Fixture f;
        f.buildBridgeA();
        const Uuid chain = id(60);
        f.addRule(chain, id(61), RuleAction::Drop);
        f.bridge(kBridgeA).inboundFilter = chain;
        auto r = f.run(tcp(kMacVm1, kMacVm2, "10.0.0.11", "10.0.0.12", 1, 2), kVm1);
        QCOMPARE(simtest::reason(r), QString("filter-drop"));
        QCOMPARE(r.stateChanges.size(), size_t(1));
        QVERIFY(std::holds_alternative<MacLearned>(r.stateChanges[0].change));
    }

    void outPortsIsNullForFloods()
    {
        // A bridge out-filter rule on out-ports sees the port for unicast only.
        Fixture f;
        f.buildBridgeA();
        f.learn(kBridgeA, kMacVm2, kVm2);
        const Uuid chain = id(62);
        f.addRule(chain, id(63), RuleAction::Drop).cond.outPorts = {kVm2};
        f.bridge(kBridgeA).outboundFilter = chain;
        auto uni = f.run(tcp(kMacVm1, kMacVm2, "10.0.0.11", "10.0.0.12", 1, 2), kVm1);
        QCOMPARE(reason(uni), QString("filter-drop"));
        auto flood = f.run(tcp(kMacVm1, MacAddress::broadcast(), "10.0.0.11", "10.0.0.12", 1, 2), kVm1);
        QCOMPARE(verdict(flood), QString("forward"));
        QVERIFY(actions(flood).startsWith("2,"));
    }

    void floodWithNowhereToGo()
    {
        Fixture f;
        f.addBridge(kBridgeA);
        f.addExterior(kVm1, kBridgeA, 1);
        auto r = f.run(tcp(kMacVm1, MacAddress::broadcast(), "10.0.0.11", "10.0.0.12", 1, 2), kVm1);
        QCOMPARE(verdict(r), QString("drop"));
        QCOMPARE(reason(r), QString("no-output"));
    }

    void traceSaysWhy()
    {
        Fixture f;
        f.buildBridgeA();
        f.learn(kBridgeA, kMacVm2, kVm2);
        auto r = f.run(tcp(kMacVm1, kMacVm2, "10.0.0.11", "10.0.0.12", 1, 2), kVm1);
        QString t = QString::fromStdString(r.traceText());
        QVERIFY2(t.contains("bridge " + QString::fromStdString(kBridgeA.toString()) + ": unicast to port " +
                            QString::fromStdString(kVm2.toString())),
                 qPrintable(t));
        QVERIFY(t.contains("output to datapath port 2"));
        QVERIFY(t.endsWith("verdict: forward\n"));
    }
};

QTEST_GUILESS_MAIN(TstBridge)
#include "tst_bridge.moc"
