// The router and whole pipelines through it: VM -> bridge -> router -> bridge -> VM, ARP wait
// and resume, ICMP errors built as real packets and delivered back, ECMP, and every drop.
#include "agent/simulation/simulator.h"

#include "sim_fixture.h"

#include <set>

using namespace simtest;

namespace {
FlowKey vm1ToVm3(uint16_t sport = 40000)
{
    return tcp(kMacVm1, kMacRouterA, "10.0.0.11", "10.0.1.3", sport, 80);
}
} // namespace

class TstRouter : public QObject
{
    Q_OBJECT
private slots:
    void vmToVmThroughRouter()
    {
        Fixture f;
        f.buildTwoTier();
        auto r = f.run(vm1ToVm3(), kVm1);
        QCOMPARE(verdict(r), QString("forward"));
        QCOMPARE(actions(r), QString("set(eth(src=02:aa:00:00:00:02)),set(eth(dst=02:00:00:00:01:03)),"
                                     "set(ipv4(ttl=63)),3"));
        // Routing read the destination and the TTL, not the ports.
        QVERIFY(r.mask.fullyConsulted(Field::Ipv4Dst));
        QVERIFY(r.mask.consulted(Field::IpTtl));
        QVERIFY(!r.mask.consulted(Field::TpDst));
        QVERIFY(!r.mask.consulted(Field::TpSrc));
        QVERIFY(r.hasTag(FlowTag::device(kBridgeA)));
        QVERIFY(r.hasTag(FlowTag::device(kRouter)));
        QVERIFY(r.hasTag(FlowTag::device(kBridgeB)));
        QVERIFY(r.hasTag(FlowTag::route(kRouter, derivedId(kRouterB, 2))));
        QVERIFY(r.hasTag(FlowTag::arpEntry(kRouter, ip("10.0.1.3"))));
        QVERIFY(r.hasTag(FlowTag::destinationIp(kRouter, ip("10.0.1.3"))));
        QVERIFY(r.hasTag(FlowTag::vlanPort(kBridgeB, kMacVm3, 0, kVm3)));
        // The frame the datapath emits is what vm3 must see.
        FlowKey out = flow::applyActions(r.key, r.actions);
        QCOMPARE(out.ethDst, kMacVm3);
        QCOMPARE(out.ipTtl, uint8_t(63));
    }

    void toRemoteVmIsTunnelled()
    {
        Fixture f;
        f.buildTwoTier();
        f.learn(kBridgeA, kMacVmRemote, kVmRemote);
        f.arp(kRouter, ip("10.0.0.13"), kMacVmRemote);
        auto r = f.run(tcp(kMacVm3, kMacRouterB, "10.0.1.3", "10.0.0.13", 5, 6), kVm3);
        QCOMPARE(actions(r),
                 QString("set(eth(src=02:aa:00:00:00:01)),set(eth(dst=02:00:00:00:00:03)),set(ipv4(ttl=63)),"
                         "set(tunnel(tun_id=0x67,src=192.168.100.1,dst=192.168.100.2,tos=0x0,ttl=64,flags(key))),99"));
        QVERIFY(r.hasTag(FlowTag::tunnelKey(103)));
    }

    void toUpstreamViaGateway()
    {
        Fixture f;
        f.buildTwoTier();
        auto r = f.run(tcp(kMacVm1, kMacRouterA, "10.0.0.11", "8.8.8.8", 1, 53), kVm1);
        QCOMPARE(actions(r), QString("set(eth(src=02:aa:00:00:00:03)),set(eth(dst=02:ff:00:00:00:01)),"
                                     "set(ipv4(ttl=63)),10"));
        QVERIFY(r.hasTag(FlowTag::route(kRouter, kDefaultRoute)));
        QVERIFY(r.hasTag(FlowTag::arpEntry(kRouter, ip("192.0.2.254"))));
    }

    void arpWaitAndResume()
    {
        Fixture f;
        f.buildTwoTier();
        f.state.arps.erase(ArpKey{kRouter, ip("10.0.1.3")});
        auto r = f.run(vm1ToVm3(), kVm1);
        QCOMPARE(verdict(r), QString("wait-for-arp"));
        QCOMPARE(r.waitingForArp, ip("10.0.1.3"));
        QCOMPARE(r.waitingRouter, kRouter);
        QVERIFY(r.hasTag(FlowTag::arpEntry(kRouter, ip("10.0.1.3"))));
        QCOMPARE(r.generated.size(), size_t(1));
        QCOMPARE(r.generated[0].fromPort, kRouterB);
        FlowKey req = generatedKey(r);
        QCOMPARE(req.arpOp, packet::kArpRequest);
        QCOMPARE(req.arpTip, ip("10.0.1.3"));
        QCOMPARE(req.arpSip, ip("10.0.1.1"));
        QCOMPARE(req.arpSha, kMacRouterB);
        QVERIFY(req.ethDst.isBroadcast());
        QVERIFY(QString::fromStdString(r.traceText()).contains("packet waits"));

        // The request leaves router port B into bridge B, which floods it to vm3.
        auto sent = f.sim.simulateGenerated(r.generated[0].frame, kRouterB, f.topo, f.state, f.env);
        QCOMPARE(actions(sent), QString("3"));

        // vm3 answers; the reply reaches the router, which learns the entry.
        packet::Buffer reply = packet::ethernet(
            kMacRouterB, kMacVm3, flow::kEthTypeArp,
            packet::arp(packet::kArpReply, kMacVm3, ip("10.0.1.3"), kMacRouterB, ip("10.0.1.1")));
        auto learned = f.runFrame(reply, kVm3);
        QCOMPARE(verdict(learned), QString("no-op"));
        bool arpLearned = false;
        for (const auto &c : learned.stateChanges)
            if (auto *a = std::get_if<ArpLearned>(&c.change))
                arpLearned = a->ip == ip("10.0.1.3") && a->mac == kMacVm3 && a->router == kRouter;
        QVERIFY(arpLearned);
        f.apply(learned);

        auto resumed = f.run(vm1ToVm3(), kVm1);
        QCOMPARE(verdict(resumed), QString("forward"));
        QVERIFY(actions(resumed).endsWith(",3"));
    }

    void expiredArpEntryIsResolvedAgain()
    {
        Fixture f;
        f.buildTwoTier();
        f.state.arps[ArpKey{kRouter, ip("10.0.1.3")}].expiresAtMs = 1000;
        f.env.nowMs = 2000;
        QCOMPARE(verdict(f.run(vm1ToVm3(), kVm1)), QString("wait-for-arp"));
        f.env.nowMs = 500;
        QCOMPARE(verdict(f.run(vm1ToVm3(), kVm1)), QString("forward"));
    }

    // Past its stale time an entry still forwards (no packet waits), and the router asks for
    // the next hop again in the background; before it, no ARP request is sent.
    void staleArpEntryForwardsAndAsksAgain_data()
    {
        QTest::addColumn<uint64_t>("now");
        QTest::addColumn<bool>("asks");
        QTest::newRow("fresh") << uint64_t(500) << false;
        QTest::newRow("stale") << uint64_t(1500) << true;
    }
    void staleArpEntryForwardsAndAsksAgain()
    {
        QFETCH(uint64_t, now);
        QFETCH(bool, asks);
        Fixture f;
        f.buildTwoTier();
        auto &e = f.state.arps[ArpKey{kRouter, ip("10.0.1.3")}];
        e.staleAtMs = 1000;
        e.expiresAtMs = 5000;
        f.env.nowMs = now;
        auto r = f.run(vm1ToVm3(), kVm1);
        QCOMPARE(verdict(r), QString("forward"));
        QVERIFY(actions(r).endsWith(",3"));
        QCOMPARE(r.generated.size(), size_t(asks ? 1 : 0));
        if (asks) {
            QCOMPARE(QString(r.generated[0].what), QString("arp-request"));
            QCOMPARE(generatedKey(r).arpTip, ip("10.0.1.3"));
        }
    }

    void ttlExceededSendsIcmpBack()
    {
        Fixture f;
        f.buildTwoTier();
        FlowKey k = vm1ToVm3();
        k.ipTtl = 1;
        auto r = f.run(k, kVm1);
        QCOMPARE(verdict(r), QString("error-drop"));
        QCOMPARE(reason(r), QString("ttl-exceeded"));
        QCOMPARE(r.generated.size(), size_t(1));
        QCOMPARE(QString(r.generated[0].what), QString("icmp-11/0"));
        QCOMPARE(r.generated[0].fromPort, kRouterA);
        auto parsed = packet::parsePacket(r.generated[0].frame);
        QVERIFY(parsed.ok());
        QCOMPARE(parsed->ipv4.src, ip("10.0.0.1"));
        QCOMPARE(parsed->ipv4.dst, ip("10.0.0.11"));
        QCOMPARE(parsed->eth.dst, kMacVm1);
        QCOMPARE(parsed->eth.src, kMacRouterA);
        QCOMPARE(parsed->icmp.type, packet::kIcmpTimeExceeded);
        QCOMPARE(parsed->icmp.code, uint8_t(0));
        // The quote is the original IP header (TTL 1) and the TCP header.
        QCOMPARE(parsed->l4Payload.size(), size_t(40));
        QCOMPARE(parsed->l4Payload[8], uint8_t(1));
        // Valid checksums on the generated packet.
        QCOMPARE(packet::internetChecksum(parsed->l3Bytes().first(20)), uint16_t(0));
        QCOMPARE(packet::internetChecksum(parsed->data.subspan(parsed->l4Offset, parsed->l4End - parsed->l4Offset)),
                 uint16_t(0));
        // It goes back to vm1 through bridge A.
        auto back = f.sim.simulateGenerated(r.generated[0].frame, kRouterA, f.topo, f.state, f.env);
        QCOMPARE(actions(back), QString("1"));
    }

    void icmpEchoToRouterPort()
    {
        Fixture f;
        f.buildTwoTier();
        auto r = f.run(icmpEcho(kMacVm1, kMacRouterA, "10.0.0.11", "10.0.0.1", 0x77), kVm1);
        QCOMPARE(verdict(r), QString("no-op"));
        QCOMPARE(r.generated.size(), size_t(1));
        FlowKey reply = generatedKey(r);
        QCOMPARE(reply.icmpType, packet::kIcmpEchoReply);
        QCOMPARE(reply.icmpId, uint16_t(0x77));
        QCOMPARE(reply.ipv4Src, ip("10.0.0.1"));
        QCOMPARE(reply.ipv4Dst, ip("10.0.0.11"));
        QCOMPARE(reply.ethDst, kMacVm1);
        // Also to another port's address of the same router.
        auto far = f.run(icmpEcho(kMacVm1, kMacRouterA, "10.0.0.11", "192.0.2.1"), kVm1);
        QCOMPARE(verdict(far), QString("no-op"));
        QCOMPARE(generatedKey(far).ipv4Src, ip("192.0.2.1"));
    }

    void routerAnswersArpForItsPort()
    {
        Fixture f;
        f.buildTwoTier();
        FlowKey k = arpRequest(kMacUpstream, "192.0.2.254", "192.0.2.1");
        auto r = f.run(k, kUplink);
        QCOMPARE(verdict(r), QString("no-op"));
        FlowKey reply = generatedKey(r);
        QCOMPARE(reply.arpOp, packet::kArpReply);
        QCOMPARE(reply.arpSha, kMacUplink);
        QCOMPARE(reply.arpTha, kMacUpstream);
        QCOMPARE(r.generated[0].fromPort, kUplink);
        QCOMPARE(r.stateChanges.size(), size_t(1));
        QVERIFY(std::holds_alternative<ArpLearned>(r.stateChanges[0].change));
        // A request from outside the port's subnet is not answered.
        auto foreign = f.run(arpRequest(kMacUpstream, "203.0.113.9", "192.0.2.1"), kUplink);
        QCOMPARE(reason(foreign), QString("arp-not-handled"));
        QVERIFY(foreign.generated.empty());
    }

    void drops_data()
    {
        QTest::addColumn<QString>("what");
        QTest::addColumn<QString>("verdict");
        QTest::addColumn<QString>("reason");
        QTest::addColumn<QString>("icmp"); // generated packet, "" for none
        QTest::newRow("no-route-net-unreachable") << "no-route" << "short-drop" << "no-route" << "icmp-3/0";
        QTest::newRow("blackhole-route-silent") << "blackhole" << "error-drop" << "blackhole-route" << "";
        QTest::newRow("reject-route-admin-prohibited") << "reject" << "short-drop" << "reject-route" << "icmp-3/13";
        QTest::newRow("router-admin-down") << "router-down" << "drop" << "router-admin-down" << "icmp-3/13";
        QTest::newRow("router-port-admin-down") << "port-down" << "drop" << "port-admin-down" << "icmp-3/13";
        QTest::newRow("wrong-destination-mac") << "wrong-mac" << "drop" << "not-for-router" << "";
        QTest::newRow("vlan-tagged-frame") << "vlan" << "drop" << "vlan-tagged-to-router" << "";
        QTest::newRow("ipv6-frame") << "ipv6" << "drop" << "not-ipv4" << "";
        QTest::newRow("arp-failed-host-unreachable") << "arp-failed" << "error-drop" << "host-unreachable" << "icmp-3/1";
        QTest::newRow("arp-failed-via-gateway-net-unreachable") << "gw-failed" << "error-drop" << "host-unreachable" << "icmp-3/0";
        QTest::newRow("local-address-not-echo") << "local-tcp" << "error-drop" << "local-not-handled" << "";
        QTest::newRow("egress-port-without-address") << "no-address" << "drop" << "egress-no-address" << "";
        QTest::newRow("no-icmp-error-for-icmp-error") << "icmp-error-ttl" << "error-drop" << "ttl-exceeded" << "";
        QTest::newRow("no-icmp-error-for-later-fragment") << "fragment-ttl" << "error-drop" << "ttl-exceeded" << "";
        QTest::newRow("in-filter-drop-of-first-fragment") << "fragment-drop" << "error-drop" << "fragment-dropped" << "icmp-3/4";
        QTest::newRow("in-filter-reject") << "filter-reject" << "drop" << "filter-reject" << "icmp-3/13";
        QTest::newRow("out-filter-drop") << "out-filter-drop" << "drop" << "filter-drop" << "";
        QTest::newRow("destination-is-egress-port-address") << "dst-egress" << "drop" << "dst-is-egress-port" << "";
    }
    void drops()
    {
        QFETCH(QString, what);
        QFETCH(QString, verdict);
        QFETCH(QString, reason);
        QFETCH(QString, icmp);
        Fixture f;
        f.buildTwoTier();
        FlowKey k = vm1ToVm3();
        if (what == "no-route") {
            f.router(kRouter).routes.clear();
            k.ipv4Dst = ip("8.8.8.8");
        }
        if (what == "blackhole" || what == "reject") {
            Route rt;
            rt.id = id(140);
            rt.dst = cidr("10.0.1.0/28");
            rt.nextHop = what == "blackhole" ? NextHop::Blackhole : NextHop::Reject;
            f.router(kRouter).routes.push_back(rt);
        }
        if (what == "router-down") f.router(kRouter).adminUp = false;
        if (what == "port-down") f.port(kRouterA).adminUp = false;
        if (what == "wrong-mac") {
            k.ethDst = mac("02:aa:00:00:00:99");
            f.learn(kBridgeA, k.ethDst, kBridgeAToRouter);
        }
        if (what == "vlan") k.vlanTci = 5 | flow::kVlanPresent;
        if (what == "ipv6") {
            k.ethType = flow::kEthTypeIpv6;
            k.ipv4Src = k.ipv4Dst = {};
            k.ipv6Src = *util::IPv6Address::parse("2001:db8::1");
            k.ipv6Dst = *util::IPv6Address::parse("2001:db8::2");
        }
        if (what == "arp-failed") f.state.arps[ArpKey{kRouter, ip("10.0.1.3")}].failed = true;
        if (what == "gw-failed") {
            f.state.arps[ArpKey{kRouter, ip("192.0.2.254")}].failed = true;
            k.ipv4Dst = ip("8.8.8.8");
        }
        if (what == "local-tcp") k.ipv4Dst = ip("10.0.0.1");
        if (what == "no-address") f.port(kRouterB).address = IPv4Subnet{};
        if (what == "no-address") {
            Route rt;
            rt.id = id(141);
            rt.dst = cidr("10.0.1.0/24");
            rt.nextHopPort = kRouterB;
            f.router(kRouter).routes.push_back(rt);
        }
        if (what == "icmp-error-ttl") {
            k = icmpEcho(kMacVm1, kMacRouterA, "10.0.0.11", "10.0.1.3");
            k.icmpType = packet::kIcmpUnreachable;
            k.icmpId = 0;
            k.ipTtl = 1;
        }
        if (what == "fragment-ttl") {
            k.ipFrag = flow::FragType::Later;
            k.tpSrc = k.tpDst = 0;
            k.tcpFlags = 0;
            k.ipTtl = 1;
        }
        if (what == "fragment-drop" || what == "filter-reject") {
            const Uuid c = id(150);
            f.addRule(c, id(151), what == "fragment-drop" ? RuleAction::Drop : RuleAction::Reject);
            f.router(kRouter).inboundFilter = c;
            if (what == "fragment-drop") k.ipFrag = flow::FragType::First;
        }
        if (what == "out-filter-drop") {
            const Uuid c = id(152);
            f.addRule(c, id(153), RuleAction::Drop);
            f.router(kRouter).outboundFilter = c;
        }
        if (what == "dst-egress") {
            // An out-filter DNAT onto the egress port's own address.
            Rule &d = f.addRule(id(154), id(155), RuleAction::Accept, RuleKind::Dnat);
            d.natTargets = {NatTarget{ip("10.0.1.1"), ip("10.0.1.1"), 0, 0}};
            f.router(kRouter).outboundFilter = id(154);
        }
        auto r = f.run(k, kVm1);
        QCOMPARE(simtest::verdict(r), verdict);
        QCOMPARE(simtest::reason(r), reason);
        QVERIFY(r.actions.empty());
        if (icmp.isEmpty()) {
            QVERIFY(r.generated.empty());
        } else {
            QCOMPARE(r.generated.size(), size_t(1));
            QCOMPARE(QString(r.generated[0].what), icmp);
            FlowKey e = generatedKey(r);
            QCOMPARE(e.ipv4Dst, ip("10.0.0.11"));
            QCOMPARE(e.ipv4Src, ip("10.0.0.1"));
        }
    }

    void ecmpSpreadsByFiveTuple()
    {
        Fixture f;
        f.buildTwoTier();
        for (int i = 0; i < 2; ++i) {
            Route rt;
            rt.id = id(160 + i);
            rt.dst = cidr("198.51.100.0/24");
            rt.nextHopPort = kUplink;
            rt.gateway = ip(i == 0 ? "192.0.2.254" : "192.0.2.253");
            f.router(kRouter).routes.push_back(rt);
        }
        f.arp(kRouter, ip("192.0.2.253"), mac("02:ff:00:00:00:02"));
        std::set<Uuid> used;
        for (uint16_t sport = 1000; sport < 1064; ++sport) {
            auto r = f.run(tcp(kMacVm1, kMacRouterA, "10.0.0.11", "198.51.100.7", sport, 443), kVm1);
            QCOMPARE(verdict(r), QString("forward"));
            QVERIFY(r.mask.consulted(Field::TpSrc)); // the choice depends on the connection
            for (int i = 0; i < 2; ++i)
                if (r.hasTag(FlowTag::route(kRouter, id(160 + i)))) used.insert(id(160 + i));
            // The same connection always takes the same path.
            auto again = f.run(tcp(kMacVm1, kMacRouterA, "10.0.0.11", "198.51.100.7", sport, 443), kVm1);
            QCOMPARE(actions(again), actions(r));
        }
        QCOMPARE(used.size(), size_t(2));
    }

    void lowerWeightAndSourcePrefixWin()
    {
        Fixture f;
        f.buildTwoTier();
        f.arp(kRouter, ip("192.0.2.253"), mac("02:ff:00:00:00:02"));
        auto add = [&](uint64_t n, const char *src, const char *gw, uint32_t weight) {
            Route rt;
            rt.id = id(n);
            rt.dst = cidr("198.51.100.0/24");
            rt.src = cidr(src);
            rt.nextHopPort = kUplink;
            rt.gateway = ip(gw);
            rt.weight = weight;
            f.router(kRouter).routes.push_back(rt);
        };
        add(170, "0.0.0.0/0", "192.0.2.254", 200);
        add(171, "0.0.0.0/0", "192.0.2.253", 100);
        add(172, "10.0.1.0/24", "192.0.2.254", 10);
        auto fromA = f.run(tcp(kMacVm1, kMacRouterA, "10.0.0.11", "198.51.100.7", 1, 2), kVm1);
        QVERIFY(fromA.hasTag(FlowTag::route(kRouter, id(171))));
        QVERIFY(fromA.mask.consulted(Field::Ipv4Src)); // source-prefix routes read the source
        auto fromB = f.run(tcp(kMacVm3, kMacRouterB, "10.0.1.3", "198.51.100.7", 1, 2), kVm3);
        QVERIFY(fromB.hasTag(FlowTag::route(kRouter, id(172))));
    }

    void loopGuardStopsAfterTwelveDevices()
    {
        // Two routers whose default routes point at each other.
        Fixture f;
        const Uuid r1 = id(200), r2 = id(201), p1 = id(202), p2 = id(203), ext = id(204);
        for (auto [rid, pid, gw, m, a] : {std::tuple{r1, p1, "172.16.0.2", "02:bb:00:00:00:01", "172.16.0.1/30"},
                                          std::tuple{r2, p2, "172.16.0.1", "02:bb:00:00:00:02", "172.16.0.2/30"}}) {
            Router r;
            r.id = rid;
            Route def;
            def.id = derivedId(rid, 9);
            def.dst = cidr("0.0.0.0/0");
            def.nextHopPort = pid;
            def.gateway = ip(gw);
            r.routes.push_back(def);
            f.topo.addRouter(r);
            f.addRouterPort(pid, rid, mac(m), a);
        }
        f.link(p1, p2);
        f.addRouterPort(ext, r1, mac("02:bb:00:00:00:03"), "172.17.0.1/24");
        f.port(ext).hostId = kLocalHost;
        f.port(ext).dpPortNo = 7;
        auto r = f.run(tcp(mac("02:00:00:00:00:77"), mac("02:bb:00:00:00:03"), "172.17.0.5", "8.8.8.8", 1, 2), ext);
        QCOMPARE(verdict(r), QString("error-drop"));
        QCOMPARE(reason(r), QString("loop-guard"));
    }
};

QTEST_GUILESS_MAIN(TstRouter)
#include "tst_router.moc"
