// Stateful features end to end: SNAT out and the reply back, port blocks and exhaustion,
// floating IPs (static NAT), port forwarding (dynamic DNAT), connection tracking
// (return flows accepted, new inbound connections dropped), and the L4 load balancer.
#include "agent/simulation/simulator.h"

#include "sim_fixture.h"

#include <map>

using namespace simtest;

namespace {

const Uuid kIn = id(400), kOut = id(401);

template <class T> std::vector<T> changesOf(const SimulationResult &r)
{
    std::vector<T> out;
    for (const auto &c : r.stateChanges)
        if (auto *x = std::get_if<T>(&c.change)) out.push_back(*x);
    return out;
}

// Router R masquerades 10.0.0.0/16 behind 192.0.2.1 on the uplink, ports [from, to].
void addSnat(Fixture &f, uint16_t from = 1024, uint16_t to = 65535)
{
    Rule &snat = f.addRule(kOut, id(402), RuleAction::Accept, RuleKind::Snat);
    snat.cond.outPorts = {kUplink};
    snat.cond.nwSrc.value = cidr("10.0.0.0/16");
    snat.natTargets = {NatTarget{ip("192.0.2.1"), ip("192.0.2.1"), from, to}};
    Rule &rev = f.addRule(kIn, id(403), RuleAction::Accept, RuleKind::RevSnat);
    rev.cond.inPorts = {kUplink};
    rev.cond.nwDst.value = cidr("192.0.2.1/32");
    f.router(kRouter).outboundFilter = kOut;
    f.router(kRouter).inboundFilter = kIn;
}

FlowKey fromUpstream(const char *src, const char *dst, uint16_t sport, uint16_t dport)
{
    return tcp(kMacUpstream, kMacUplink, src, dst, sport, dport);
}

// The LB scenario: VIP 192.0.2.100:80 on router R, members vm3 (10.0.1.3) and vm4 (10.0.1.4).
struct Lb {
    Fixture f;
    const Uuid lb = id(500), vip = id(501), pool = id(502), m1 = id(503), m2 = id(504), vm4 = id(505);
    Lb(uint32_t w1 = 1, uint32_t w2 = 1, bool sticky = false)
    {
        f.buildTwoTier();
        f.addExterior(vm4, kBridgeB, 4);
        f.learn(kBridgeB, mac("02:00:00:00:01:04"), vm4);
        f.arp(kRouter, ip("10.0.1.4"), mac("02:00:00:00:01:04"));
        f.topo.addLoadBalancer(LoadBalancer{lb, true, {vip}});
        Vip v;
        v.id = vip;
        v.loadBalancerId = lb;
        v.poolId = pool;
        v.address = ip("192.0.2.100");
        v.port = 80;
        f.topo.addVip(v);
        Pool p;
        p.id = pool;
        p.loadBalancerId = lb;
        p.stickySourceIp = sticky;
        p.members = {PoolMember{m1, ip("10.0.1.3"), 8080, w1, true, MemberStatus::Active},
                     PoolMember{m2, ip("10.0.1.4"), 8080, w2, true, MemberStatus::Active}};
        f.topo.addPool(p);
        f.router(kRouter).loadBalancer = lb;
    }
    Pool &poolRef() { return const_cast<Pool &>(*f.topo.pool(pool)); }
    // Which member a connection went to (by the rewritten destination).
    int member(const SimulationResult &r)
    {
        if (r.verdict != Verdict::Forward) return 0;
        FlowKey k = flow::applyActions(r.key, r.actions);
        return k.ipv4Dst == ip("10.0.1.3") ? 1 : k.ipv4Dst == ip("10.0.1.4") ? 2 : -1;
    }
};

} // namespace

class TstNat : public QObject
{
    Q_OBJECT
private slots:
    void snatOutAndReplyBack()
    {
        Fixture f;
        f.buildTwoTier();
        addSnat(f);
        FlowKey out = udp(kMacVm1, kMacRouterA, "10.0.0.11", "8.8.8.8", 40000, 53);
        auto r = f.run(out, kVm1);
        QCOMPARE(verdict(r), QString("forward"));
        QVERIFY(r.carriesState);
        auto claims = changesOf<NatBlockClaimed>(r);
        QCOMPARE(claims.size(), size_t(1));
        QCOMPARE(claims[0].ip, ip("192.0.2.1"));
        QCOMPARE(claims[0].device, kRouter);
        QVERIFY(claims[0].block >= 16);
        auto bindings = changesOf<NatBindingAdded>(r);
        QCOMPARE(bindings.size(), size_t(2)); // forward key and its mirror
        const uint16_t natPort = bindings[0].binding.port;
        QCOMPARE(natPort / kNatBlockSize, claims[0].block);
        QCOMPARE(bindings[1].key.type, NatKeyType::RevSnat);
        FlowKey sent = flow::applyActions(r.key, r.actions);
        QCOMPARE(sent.ipv4Src, ip("192.0.2.1"));
        QCOMPARE(sent.tpSrc, natPort);
        QVERIFY(actions(r).endsWith(",10"));
        // NAT flows match the exact connection.
        for (Field fl : {Field::Ipv4Src, Field::Ipv4Dst, Field::TpSrc, Field::TpDst, Field::IpProto})
            QVERIFY(r.mask.fullyConsulted(fl));
        QVERIFY(r.hasTag(FlowTag::nat(bindings[0].key.hash())));
        f.apply(r);

        // The same connection again: the binding is reused, nothing new.
        auto again = f.run(out, kVm1);
        QVERIFY(changesOf<NatBindingAdded>(again).empty());
        QCOMPARE(actions(again), actions(r));

        // The reply comes back to vm1 with its own address and port.
        FlowKey reply = udp(kMacUpstream, kMacUplink, "8.8.8.8", "192.0.2.1", 53, natPort);
        auto back = f.run(reply, kUplink);
        QCOMPARE(verdict(back), QString("forward"));
        FlowKey got = flow::applyActions(back.key, back.actions);
        QCOMPARE(got.ipv4Dst, ip("10.0.0.11"));
        QCOMPARE(got.tpDst, uint16_t(40000));
        QCOMPARE(got.ethDst, kMacVm1);
        QVERIFY(actions(back).endsWith(",1"));
        QVERIFY(QString::fromStdString(back.traceText()).contains("reverse nat"));
    }

    void snatUsesOwnedBlocksAndSharesPortsAcrossDestinations()
    {
        Fixture f;
        f.buildTwoTier();
        addSnat(f, 5000, 5000); // one port: block 78
        auto first = f.run(udp(kMacVm1, kMacRouterA, "10.0.0.11", "8.8.8.8", 1111, 53), kVm1);
        QCOMPARE(changesOf<NatBindingAdded>(first).at(0).binding.port, uint16_t(5000));
        QCOMPARE(changesOf<NatBlockClaimed>(first).at(0).block, uint16_t(78));
        f.apply(first);
        // Another connection to another destination may share the port.
        auto second = f.run(udp(kMacVm1, kMacRouterA, "10.0.0.11", "1.1.1.1", 2222, 53), kVm1);
        QCOMPARE(verdict(second), QString("forward"));
        QVERIFY(changesOf<NatBlockClaimed>(second).empty()); // the owned block is used
        QCOMPARE(changesOf<NatBindingAdded>(second).at(0).binding.port, uint16_t(5000));
        f.apply(second);
        // A third to the same destination as the first has no port left anywhere.
        auto third = f.run(udp(kMacVm1, kMacRouterA, "10.0.0.11", "8.8.8.8", 3333, 53), kVm1);
        QCOMPARE(verdict(third), QString("drop"));
        QCOMPARE(reason(third), QString("nat-exhausted"));
    }

    void snatSkipsBlocksHeldElsewhere()
    {
        Fixture f;
        f.buildTwoTier();
        addSnat(f, 1024, 1151); // blocks 16 and 17
        f.state.natBlocks[NatBlockKey{kRouter, ip("192.0.2.1")}].heldElsewhere = {16};
        auto r = f.run(udp(kMacVm1, kMacRouterA, "10.0.0.11", "8.8.8.8", 1, 53), kVm1);
        QCOMPARE(changesOf<NatBlockClaimed>(r).at(0).block, uint16_t(17));
        QCOMPARE(changesOf<NatBindingAdded>(r).at(0).binding.port, uint16_t(1088));
    }

    void snatIcmpKeepsId()
    {
        Fixture f;
        f.buildTwoTier();
        addSnat(f);
        auto r = f.run(icmpEcho(kMacVm1, kMacRouterA, "10.0.0.11", "8.8.8.8", 0x1234), kVm1);
        QCOMPARE(verdict(r), QString("forward"));
        FlowKey sent = flow::applyActions(r.key, r.actions);
        QCOMPARE(sent.ipv4Src, ip("192.0.2.1"));
        QCOMPARE(sent.icmpId, uint16_t(0x1234));
        QVERIFY(r.userspaceOnly); // the ICMP id is not a kernel key field
    }

    void floatingIp()
    {
        Fixture f;
        f.buildTwoTier();
        Rule &dnat = f.addRule(kIn, id(410), RuleAction::Accept, RuleKind::Dnat);
        dnat.cond.nwDst.value = cidr("192.0.2.10/32");
        dnat.natTargets = {NatTarget{ip("10.0.0.11"), ip("10.0.0.11"), 0, 0}};
        Rule &snat = f.addRule(kOut, id(411), RuleAction::Accept, RuleKind::Snat);
        snat.cond.nwSrc.value = cidr("10.0.0.11/32");
        snat.cond.outPorts = {kUplink};
        snat.natTargets = {NatTarget{ip("192.0.2.10"), ip("192.0.2.10"), 0, 0}};
        f.router(kRouter).inboundFilter = kIn;
        f.router(kRouter).outboundFilter = kOut;

        auto in = f.run(fromUpstream("203.0.113.5", "192.0.2.10", 5555, 22), kUplink);
        QCOMPARE(verdict(in), QString("forward"));
        QCOMPARE(flow::applyActions(in.key, in.actions).ipv4Dst, ip("10.0.0.11"));
        QVERIFY(actions(in).endsWith(",1"));
        QVERIFY(in.stateChanges.empty()); // static NAT keeps no state
        QVERIFY(!in.mask.consulted(Field::TpDst)); // and does not care about ports
        QVERIFY(!in.mask.consulted(Field::TpSrc));

        auto out = f.run(tcp(kMacVm1, kMacRouterA, "10.0.0.11", "203.0.113.5", 22, 5555), kVm1);
        QCOMPARE(flow::applyActions(out.key, out.actions).ipv4Src, ip("192.0.2.10"));
        QVERIFY(actions(out).endsWith(",10"));
    }

    void portForwardingWithDynamicDnat()
    {
        Fixture f;
        f.buildTwoTier();
        Rule &dnat = f.addRule(kIn, id(420), RuleAction::Accept, RuleKind::Dnat);
        dnat.cond.nwDst.value = cidr("192.0.2.1/32");
        dnat.cond.tpDst.value = PortRange{8080, 8080};
        dnat.natTargets = {NatTarget{ip("10.0.0.11"), ip("10.0.0.11"), 80, 80}};
        Rule &rev = f.addRule(kOut, id(421), RuleAction::Accept, RuleKind::RevDnat);
        rev.cond.nwSrc.value = cidr("10.0.0.11/32");
        f.router(kRouter).inboundFilter = kIn;
        f.router(kRouter).outboundFilter = kOut;

        auto in = f.run(fromUpstream("203.0.113.5", "192.0.2.1", 5555, 8080), kUplink);
        QCOMPARE(verdict(in), QString("forward"));
        FlowKey got = flow::applyActions(in.key, in.actions);
        QCOMPARE(got.ipv4Dst, ip("10.0.0.11"));
        QCOMPARE(got.tpDst, uint16_t(80));
        QCOMPARE(changesOf<NatBindingAdded>(in).size(), size_t(2));
        f.apply(in);

        auto reply = f.run(tcp(kMacVm1, kMacRouterA, "10.0.0.11", "203.0.113.5", 80, 5555), kVm1);
        FlowKey back = flow::applyActions(reply.key, reply.actions);
        QCOMPARE(back.ipv4Src, ip("192.0.2.1"));
        QCOMPARE(back.tpSrc, uint16_t(8080));
    }

    void matchNwDstRewritten_data()
    {
        QTest::addColumn<bool>("dnat");
        QTest::addColumn<bool>("invert");
        QTest::addColumn<bool>("drops");
        QTest::newRow("rewritten-matches") << true << false << true;
        QTest::newRow("not-rewritten-no-match") << false << false << false;
        QTest::newRow("rewritten-inverted") << true << true << false;
        QTest::newRow("not-rewritten-inverted") << false << true << true;
    }
    void matchNwDstRewritten()
    {
        QFETCH(bool, dnat);
        QFETCH(bool, invert);
        QFETCH(bool, drops);
        Fixture f;
        f.buildTwoTier();
        if (dnat) {
            Rule &d = f.addRule(kIn, id(430), RuleAction::Accept, RuleKind::Dnat);
            d.natTargets = {NatTarget{ip("10.0.0.11"), ip("10.0.0.11"), 0, 0}};
            f.router(kRouter).inboundFilter = kIn;
        }
        Rule &r = f.addRule(kOut, id(431), RuleAction::Drop);
        r.cond.matchNwDstRewritten = true;
        r.cond.nwDstRewrittenInv = invert;
        f.router(kRouter).outboundFilter = kOut;
        auto res = f.run(fromUpstream("203.0.113.5", dnat ? "192.0.2.10" : "10.0.0.11", 1, 2), kUplink);
        QCOMPARE(reason(res) == "filter-drop", drops);
    }

    void conntrackReturnFlowAcceptedNewInboundDropped()
    {
        Fixture f;
        f.buildTwoTier();
        Rule &ret = f.addRule(kIn, id(440), RuleAction::Accept);
        ret.cond.inPorts = {kUplink};
        ret.cond.matchForwardFlow = false; // return-flow
        Rule &drop = f.addRule(kIn, id(441), RuleAction::Drop);
        drop.cond.inPorts = {kUplink};
        f.router(kRouter).inboundFilter = kIn;

        auto out = f.run(tcp(kMacVm1, kMacRouterA, "10.0.0.11", "203.0.113.5", 40000, 443), kVm1);
        QCOMPARE(verdict(out), QString("forward"));
        auto ct = changesOf<ConnTrackAdded>(out);
        QCOMPARE(ct.size(), size_t(1));
        QCOMPARE(ct[0].key.src, ip("203.0.113.5"));
        QCOMPARE(ct[0].key.srcPort, uint16_t(443));
        QCOMPARE(ct[0].key.dst, ip("10.0.0.11"));
        QCOMPARE(ct[0].key.dstPort, uint16_t(40000));
        QCOMPARE(ct[0].key.device, kRouter);
        QVERIFY(out.carriesState);

        // Before the state exists, the reply is a new inbound connection: dropped, and the drop
        // flow carries the conntrack key's tag so the key's arrival removes it.
        FlowKey reply = fromUpstream("203.0.113.5", "10.0.0.11", 443, 40000);
        auto early = f.run(reply, kUplink);
        QCOMPARE(reason(early), QString("filter-drop"));
        QVERIFY(early.hasTag(FlowTag::connTrack(ct[0].key.hash())));

        f.apply(out);
        auto back = f.run(reply, kUplink);
        QCOMPARE(verdict(back), QString("forward"));
        QVERIFY(actions(back).endsWith(",1"));
        QVERIFY(QString::fromStdString(back.traceText()).contains("return flow"));

        auto fresh = f.run(fromUpstream("203.0.113.5", "10.0.0.11", 1234, 22), kUplink);
        QCOMPARE(reason(fresh), QString("filter-drop"));
    }

    void noConntrackWithoutFlowRules()
    {
        Fixture f;
        f.buildTwoTier();
        auto out = f.run(tcp(kMacVm1, kMacRouterA, "10.0.0.11", "203.0.113.5", 40000, 443), kVm1);
        QVERIFY(changesOf<ConnTrackAdded>(out).empty());
        QVERIFY(out.hasTag(FlowTag::conntrackPolicy()));
        QVERIFY(!out.mask.consulted(Field::TpSrc));
    }

    void lbSpreadsByWeight_data()
    {
        QTest::addColumn<uint>("w1");
        QTest::addColumn<uint>("w2");
        QTest::newRow("equal-weights") << 1u << 1u;
        QTest::newRow("one-to-three") << 1u << 3u;
    }
    void lbSpreadsByWeight()
    {
        QFETCH(uint, w1);
        QFETCH(uint, w2);
        Lb t(w1, w2);
        std::map<int, int> count;
        for (uint16_t i = 0; i < 400; ++i) {
            t.f.env.entropy = i * 7919u + 1;
            auto r = t.f.run(fromUpstream("203.0.113.5", "192.0.2.100", uint16_t(20000 + i), 80), kUplink);
            count[t.member(r)]++;
            if (i == 0) {
                QVERIFY(r.hasTag(FlowTag::device(t.vip)));
                QCOMPARE(flow::applyActions(r.key, r.actions).tpDst, uint16_t(8080));
            }
        }
        QCOMPARE(count[1] + count[2], 400);
        double share2 = count[2] / 400.0, expected = double(w2) / (w1 + w2);
        QVERIFY2(share2 > expected - 0.1 && share2 < expected + 0.1,
                 qPrintable(QString("member 2 got %1 of 400").arg(count[2])));
    }

    void lbStickyBySourceIp()
    {
        Lb t(1, 1, true);
        t.f.env.entropy = 42;
        auto first = t.f.run(fromUpstream("203.0.113.5", "192.0.2.100", 30000, 80), kUplink);
        int chosen = t.member(first);
        QVERIFY(chosen > 0);
        QVERIFY(!first.mask.consulted(Field::TpSrc)); // sticky: the client port does not matter
        t.f.apply(first);
        for (uint16_t i = 1; i < 30; ++i) {
            t.f.env.entropy = i * 104729u;
            auto r = t.f.run(fromUpstream("203.0.113.5", "192.0.2.100", uint16_t(30000 + i), 80), kUplink);
            QCOMPARE(t.member(r), chosen);
            QVERIFY(changesOf<NatBindingAdded>(r).empty());
        }
    }

    void lbOnlyHealthyMembers_data()
    {
        QTest::addColumn<QString>("what");
        QTest::addColumn<int>("member"); // 0 = dropped
        QTest::newRow("inactive-member-skipped") << "inactive" << 1;
        QTest::newRow("admin-down-member-skipped") << "admin-down" << 1;
        QTest::newRow("zero-weight-member-skipped") << "zero-weight" << 1;
        QTest::newRow("all-down-pool-drops") << "all-down" << 0;
        QTest::newRow("pool-admin-down-drops") << "pool-down" << 0;
    }
    void lbOnlyHealthyMembers()
    {
        QFETCH(QString, what);
        QFETCH(int, member);
        Lb t;
        auto &m2 = t.poolRef().members[1];
        if (what == "inactive") m2.status = MemberStatus::Inactive;
        if (what == "admin-down") m2.adminUp = false;
        if (what == "zero-weight") m2.weight = 0;
        if (what == "all-down") {
            m2.status = MemberStatus::Inactive;
            t.poolRef().members[0].status = MemberStatus::Inactive;
        }
        if (what == "pool-down") t.poolRef().adminUp = false;
        for (uint16_t i = 0; i < 50; ++i) {
            t.f.env.entropy = i + 1;
            auto r = t.f.run(fromUpstream("203.0.113.5", "192.0.2.100", uint16_t(100 + i), 80), kUplink);
            QCOMPARE(t.member(r), member);
            if (member == 0) QCOMPARE(reason(r), QString("pool-down"));
        }
    }

    void lbAcceptSkipsRouterInFilterAndReturnIsRewritten()
    {
        Lb t;
        t.f.addRule(kIn, id(510), RuleAction::Drop).cond.inPorts = {kUplink};
        t.f.router(kRouter).inboundFilter = kIn;
        auto in = t.f.run(fromUpstream("203.0.113.5", "192.0.2.100", 4444, 80), kUplink);
        QCOMPARE(verdict(in), QString("forward"));
        t.f.apply(in);
        FlowKey to = flow::applyActions(in.key, in.actions);
        const char *memberIp = to.ipv4Dst == ip("10.0.1.3") ? "10.0.1.3" : "10.0.1.4";
        MacAddress memberMac = to.ipv4Dst == ip("10.0.1.3") ? kMacVm3 : mac("02:00:00:00:01:04");
        const Uuid memberPort = to.ipv4Dst == ip("10.0.1.3") ? kVm3 : t.vm4;
        auto reply = t.f.run(tcp(memberMac, kMacRouterB, memberIp, "203.0.113.5", 8080, 4444), memberPort);
        QVERIFY2(reply.verdict == Verdict::Forward, reply.traceText().c_str());
        FlowKey back = flow::applyActions(reply.key, reply.actions);
        QCOMPARE(back.ipv4Src, ip("192.0.2.100"));
        QCOMPARE(back.tpSrc, uint16_t(80));
        QVERIFY(actions(reply).endsWith(",10"));
        // Once the VIP is gone, the member's replies are dropped.
        const_cast<LoadBalancer *>(t.f.topo.loadBalancer(t.lb))->vips.clear();
        auto orphan = t.f.run(tcp(memberMac, kMacRouterB, memberIp, "203.0.113.5", 8080, 4444), memberPort);
        QCOMPARE(reason(orphan), QString("lb-return-invalid"));
        const_cast<LoadBalancer *>(t.f.topo.loadBalancer(t.lb))->vips = {t.vip};
        // Non-VIP traffic still meets the in-filter.
        auto other = t.f.run(fromUpstream("203.0.113.5", "10.0.1.3", 4444, 80), kUplink);
        QCOMPARE(reason(other), QString("filter-drop"));
    }
};

QTEST_GUILESS_MAIN(TstNat)
#include "tst_nat.moc"
