// Chains and rules exactly as MidoNet evaluates them: every condition field with and without
// its invert flag, jump/return, the end of a chain, reject per device type, fragment policy,
// the whole-condition invert, and which fields a rule puts in the megaflow mask.
#include "agent/simulation/simulator.h"

#include "sim_fixture.h"

using namespace simtest;

namespace {

const Uuid kChain = id(300), kRule = id(301), kGroupVm1 = id(310), kGroupOther = id(311);
const Uuid kAddrGroupVm1 = id(312), kAddrGroupOther = id(313);

// Chains on vm1's inbound filter see in-port vm1; those on vm3's outbound filter see out-port
// vm3 (and everything the packet traversed before).
bool onEgress(const QString &field)
{
    return field == "out-ports" || field == "out-port-group" || field == "traversed-device";
}

// Sets `field` on c to a value that matches the test packet (vm1 -> vm3, TCP 40000 -> 80) or not.
void setField(Condition &c, const QString &field, bool matching)
{
    if (field == "no-vlan") c.noVlan = true; // the packet is tagged when not matching
    if (field == "vlan") c.vlan.value = matching ? 7 : 8;
    if (field == "port-group") c.portGroup.value = matching ? kGroupVm1 : kGroupOther;
    if (field == "in-port-group") c.inPortGroup.value = matching ? kGroupVm1 : kGroupOther;
    if (field == "out-port-group") c.outPortGroup.value = matching ? kGroupVm1 : kGroupOther;
    if (field == "in-ports") c.inPorts = {matching ? kVm1 : kVm2};
    if (field == "out-ports") c.outPorts = {matching ? kVm3 : kVm2};
    if (field == "ethertype") c.etherType.value = matching ? 0x0800 : 0x0806;
    if (field == "hw-src") c.ethSrc.value = matching ? kMacVm1 : kMacVm2;
    if (field == "hw-src-masked") {
        c.ethSrc.value = matching ? mac("02:00:00:00:00:ff") : mac("02:00:00:00:01:ff");
        c.ethSrcMask = 0xffffffffff00ULL;
    }
    if (field == "hw-dst") c.ethDst.value = matching ? kMacRouterA : kMacVm2;
    if (field == "tos") c.nwTos.value = matching ? 0 : 4;
    if (field == "proto") c.nwProto.value = matching ? 6 : 17;
    if (field == "src") c.nwSrc.value = cidr(matching ? "10.0.0.0/24" : "10.9.0.0/16");
    if (field == "dst") c.nwDst.value = cidr(matching ? "10.0.1.0/24" : "10.0.2.0/24");
    if (field == "src-port") c.tpSrc.value = matching ? PortRange{40000, 40010} : PortRange{1, 1000};
    if (field == "dst-port") c.tpDst.value = matching ? PortRange{80, 80} : PortRange{81, 90};
    if (field == "ip-address-group-src") c.ipAddrGroupSrc.value = matching ? kAddrGroupVm1 : kAddrGroupOther;
    if (field == "ip-address-group-dst") c.ipAddrGroupDst.value = matching ? kAddrGroupOther : kAddrGroupVm1;
    if (field == "traversed-device") c.traversedDevice.value = matching ? kRouter : id(999);
}

void setInvert(Condition &c, const QString &field, bool invert)
{
    c.noVlanInv = invert;
    c.vlan.invert = c.portGroup.invert = c.inPortGroup.invert = c.outPortGroup.invert = invert;
    c.inPortsInv = c.outPortsInv = invert;
    c.etherType.invert = c.ethSrc.invert = c.ethDst.invert = c.nwTos.invert = invert;
    c.nwProto.invert = c.nwSrc.invert = c.nwDst.invert = c.tpSrc.invert = c.tpDst.invert = invert;
    c.ipAddrGroupSrc.invert = c.ipAddrGroupDst.invert = c.traversedDevice.invert = invert;
    (void)field;
}

struct Scenario {
    Fixture f;
    Scenario()
    {
        f.buildTwoTier();
        f.topo.addPortGroup({kGroupVm1, false});
        f.topo.addPortGroup({kGroupOther, false});
        f.port(kVm1).portGroups = {kGroupVm1};
        f.port(kVm3).portGroups = {kGroupVm1};
        f.topo.addIpAddrGroup({kAddrGroupVm1, {ip("10.0.0.11"), ip("10.0.0.200")}});
        f.topo.addIpAddrGroup({kAddrGroupOther, {ip("10.0.1.3")}});
    }
    SimulationResult run(FlowKey k) { return f.run(k, kVm1); }
};

} // namespace

class TstRules : public QObject
{
    Q_OBJECT
private slots:
    void conditionFields_data()
    {
        QTest::addColumn<QString>("field");
        QTest::addColumn<bool>("matching");
        QTest::addColumn<bool>("invert");
        for (const char *field :
             {"no-vlan", "vlan", "port-group", "in-port-group", "out-port-group", "in-ports", "out-ports",
              "ethertype", "hw-src", "hw-src-masked", "hw-dst", "tos", "proto", "src", "dst", "src-port",
              "dst-port", "ip-address-group-src", "ip-address-group-dst", "traversed-device"}) {
            for (bool matching : {true, false})
                for (bool invert : {false, true}) {
                    QString name = QString("%1-%2%3").arg(field, matching ? "matches" : "differs",
                                                          invert ? "-inverted" : "");
                    QTest::newRow(qPrintable(name)) << QString(field) << matching << invert;
                }
        }
    }
    void conditionFields()
    {
        QFETCH(QString, field);
        QFETCH(bool, matching);
        QFETCH(bool, invert);
        Scenario s;
        Rule &r = s.f.addRule(kChain, kRule, RuleAction::Drop);
        setField(r.cond, field, matching);
        setInvert(r.cond, field, invert);
        if (onEgress(field)) s.f.port(kVm3).outboundFilter = kChain;
        else s.f.port(kVm1).inboundFilter = kChain;
        FlowKey k = tcp(kMacVm1, kMacRouterA, "10.0.0.11", "10.0.1.3", 40000, 80);
        if (field == "vlan" || (field == "no-vlan" && !matching)) k.vlanTci = 7 | flow::kVlanPresent;
        auto res = s.run(k);
        const bool expectDrop = matching != invert;
        QCOMPARE(reason(res) == "filter-drop", expectDrop);
        QCOMPARE(res.hasTag(FlowTag::rule(kChain, kRule)), expectDrop);
    }

    void packetWithoutIpNeverMatchesCidrUnlessInverted_data()
    {
        QTest::addColumn<bool>("invert");
        QTest::newRow("plain") << false;
        QTest::newRow("inverted") << true;
    }
    void packetWithoutIpNeverMatchesCidrUnlessInverted()
    {
        QFETCH(bool, invert);
        Scenario s;
        Rule &r = s.f.addRule(kChain, kRule, RuleAction::Drop);
        r.cond.nwSrc.value = cidr("0.0.0.0/0");
        r.cond.nwSrc.invert = invert;
        s.f.port(kVm1).inboundFilter = kChain;
        auto res = s.f.run(arpRequest(kMacVm1, "10.0.0.11", "10.0.0.77"), kVm1);
        QCOMPARE(reason(res) == "filter-drop", invert);
    }

    void icmpTypeAndCodeInPortFields()
    {
        Scenario s;
        Rule &r = s.f.addRule(kChain, kRule, RuleAction::Drop);
        r.cond.nwProto.value = 1;
        r.cond.tpSrc.value = PortRange{8, 8}; // echo request
        r.cond.tpDst.value = PortRange{0, 0}; // code 0
        s.f.port(kVm1).inboundFilter = kChain;
        auto res = s.run(icmpEcho(kMacVm1, kMacRouterA, "10.0.0.11", "10.0.1.3"));
        QCOMPARE(reason(res), QString("filter-drop"));
        QVERIFY(res.mask.consulted(Field::IcmpType));
        QVERIFY(res.mask.consulted(Field::IcmpCode));
    }

    void fragmentPolicy_data()
    {
        QTest::addColumn<int>("policy"); // FragmentPolicy
        QTest::addColumn<int>("frag");   // FragType of the packet
        QTest::addColumn<bool>("matches");
        QTest::newRow("any-matches-later-fragment") << int(FragmentPolicy::Any) << 2 << true;
        QTest::newRow("header-matches-unfragmented") << int(FragmentPolicy::Header) << 0 << true;
        QTest::newRow("header-matches-first-fragment") << int(FragmentPolicy::Header) << 1 << true;
        QTest::newRow("header-skips-later-fragment") << int(FragmentPolicy::Header) << 2 << false;
        QTest::newRow("nonheader-matches-later-fragment") << int(FragmentPolicy::Nonheader) << 2 << true;
        QTest::newRow("nonheader-skips-first-fragment") << int(FragmentPolicy::Nonheader) << 1 << false;
        QTest::newRow("unfragmented-matches-unfragmented") << int(FragmentPolicy::Unfragmented) << 0 << true;
        QTest::newRow("unfragmented-skips-first-fragment") << int(FragmentPolicy::Unfragmented) << 1 << false;
    }
    void fragmentPolicy()
    {
        QFETCH(int, policy);
        QFETCH(int, frag);
        QFETCH(bool, matches);
        Scenario s;
        Rule &r = s.f.addRule(kChain, kRule, RuleAction::Drop);
        r.cond.fragmentPolicy = FragmentPolicy(policy);
        // `inverted` never applies to the fragment policy.
        r.cond.conjunctionInv = false;
        s.f.port(kVm1).inboundFilter = kChain;
        FlowKey k = tcp(kMacVm1, kMacRouterA, "10.0.0.11", "10.0.1.3", 40000, 80);
        k.ipFrag = flow::FragType(frag);
        if (frag == 2) k.tpSrc = k.tpDst = k.tcpFlags = 0;
        QCOMPARE(reason(s.run(k)) == "filter-drop", matches);
    }

    void wholeConditionInvert_data()
    {
        QTest::addColumn<bool>("fieldMatches");
        QTest::addColumn<bool>("fragmentOk");
        QTest::addColumn<bool>("drops");
        QTest::newRow("match-becomes-no-match") << true << true << false;
        QTest::newRow("no-match-becomes-match") << false << true << true;
        QTest::newRow("fragment-policy-failure-is-not-inverted") << false << false << false;
    }
    void wholeConditionInvert()
    {
        QFETCH(bool, fieldMatches);
        QFETCH(bool, fragmentOk);
        QFETCH(bool, drops);
        Scenario s;
        Rule &r = s.f.addRule(kChain, kRule, RuleAction::Drop);
        r.cond.conjunctionInv = true;
        r.cond.nwProto.value = fieldMatches ? 6 : 17;
        if (!fragmentOk) r.cond.fragmentPolicy = FragmentPolicy::Nonheader;
        s.f.port(kVm1).inboundFilter = kChain;
        QCOMPARE(reason(s.run(tcp(kMacVm1, kMacRouterA, "10.0.0.11", "10.0.1.3", 1, 2))) == "filter-drop", drops);
    }

    void jumpAndReturn_data()
    {
        QTest::addColumn<int>("proto");
        QTest::addColumn<QString>("reason");
        // main: jump -> sub; accept-all.   sub: return if UDP; drop.
        QTest::newRow("jump-chain-drops-tcp") << 6 << "filter-drop";
        QTest::newRow("return-continues-in-caller") << 17 << "none";
    }
    void jumpAndReturn()
    {
        QFETCH(int, proto);
        QFETCH(QString, reason);
        Scenario s;
        const Uuid sub = id(320);
        Rule &j = s.f.addRule(kChain, id(321), RuleAction::Jump, RuleKind::Jump);
        j.jumpTo = sub;
        s.f.addRule(kChain, id(322), RuleAction::Accept);
        Rule &ret = s.f.addRule(sub, id(323), RuleAction::Return);
        ret.cond.nwProto.value = 17;
        s.f.addRule(sub, id(324), RuleAction::Drop);
        s.f.port(kVm1).inboundFilter = kChain;
        FlowKey k = proto == 6 ? tcp(kMacVm1, kMacRouterA, "10.0.0.11", "10.0.1.3", 1, 2)
                               : udp(kMacVm1, kMacRouterA, "10.0.0.11", "10.0.1.3", 1, 2);
        auto res = s.run(k);
        QCOMPARE(simtest::reason(res), reason);
        QVERIFY(res.hasTag(FlowTag::device(sub)));
        if (proto == 6) QVERIFY(res.hasTag(FlowTag::rule(sub, id(324))));
        else QVERIFY(res.hasTag(FlowTag::rule(kChain, id(322))));
        QString t = QString::fromStdString(res.traceText());
        QVERIFY2(t.contains("rule " + QString::fromStdString(id(321).toString()) + " matched, action jump"), qPrintable(t));
    }

    void jumpEdgeCases_data()
    {
        QTest::addColumn<QString>("what");
        QTest::addColumn<QString>("reason");
        QTest::newRow("missing-target-is-ignored") << "missing" << "filter-drop";
        QTest::newRow("jump-to-self-is-ignored") << "self" << "filter-drop";
        QTest::newRow("second-jump-to-visited-chain-is-skipped") << "twice" << "none";
        QTest::newRow("falling-off-the-end-accepts") << "end" << "none";
        QTest::newRow("top-level-return-accepts") << "return" << "none";
    }
    void jumpEdgeCases()
    {
        QFETCH(QString, what);
        QFETCH(QString, reason);
        Scenario s;
        const Uuid sub = id(330);
        if (what == "missing" || what == "self") {
            Rule &j = s.f.addRule(kChain, id(331), RuleAction::Jump, RuleKind::Jump);
            j.jumpTo = what == "missing" ? id(999) : kChain;
            s.f.addRule(kChain, id(332), RuleAction::Drop);
        }
        if (what == "twice") {
            // sub drops 10.0.1.99. main: jump sub (no drop), DNAT to 10.0.1.99 (continue),
            // jump sub again: skipped, since sub was already visited; so no drop.
            Rule &d = s.f.addRule(sub, id(333), RuleAction::Drop);
            d.cond.nwDst.value = cidr("10.0.1.99/32");
            s.f.addRule(kChain, id(334), RuleAction::Jump, RuleKind::Jump).jumpTo = sub;
            Rule &nat = s.f.addRule(kChain, id(335), RuleAction::Continue, RuleKind::Dnat);
            nat.natTargets = {NatTarget{ip("10.0.1.99"), ip("10.0.1.99"), 0, 0}};
            s.f.addRule(kChain, id(336), RuleAction::Jump, RuleKind::Jump).jumpTo = sub;
        }
        if (what == "end") {
            Rule &r = s.f.addRule(kChain, id(338), RuleAction::Drop);
            r.cond.nwProto.value = 17;
        }
        if (what == "return") {
            s.f.addRule(kChain, id(339), RuleAction::Return);
            s.f.addRule(kChain, id(340), RuleAction::Drop);
        }
        s.f.port(kVm1).inboundFilter = kChain;
        auto res = s.run(tcp(kMacVm1, kMacRouterA, "10.0.0.11", "10.0.1.3", 1, 2));
        QCOMPARE(simtest::reason(res), reason);
    }

    void rejectOnRouterSendsIcmpButBridgeIsSilent()
    {
        Scenario router;
        router.f.addRule(kChain, kRule, RuleAction::Reject);
        router.f.router(kRouter).inboundFilter = kChain;
        auto r = router.run(tcp(kMacVm1, kMacRouterA, "10.0.0.11", "10.0.1.3", 1, 2));
        QCOMPARE(reason(r), QString("filter-reject"));
        QCOMPARE(r.generated.size(), size_t(1));
        QCOMPARE(generatedKey(r).icmpCode, packet::kIcmpUnreachAdminProhibited);

        Scenario bridge;
        bridge.f.addRule(kChain, kRule, RuleAction::Reject);
        bridge.f.bridge(kBridgeA).inboundFilter = kChain;
        auto b = bridge.run(tcp(kMacVm1, kMacRouterA, "10.0.0.11", "10.0.1.3", 1, 2));
        QCOMPARE(reason(b), QString("filter-reject"));
        QVERIFY(b.generated.empty());
    }

    void maskHoldsOnlyWhatRulesRead()
    {
        // A rule on the destination port puts tp_dst in the mask; a /16 source prefix puts 16
        // bits of ipv4_src; a rule whose first field fails reads nothing after it.
        Scenario s;
        Rule &a = s.f.addRule(kChain, id(350), RuleAction::Drop);
        a.cond.nwProto.value = 17;           // fails for TCP ...
        a.cond.tpSrc.value = PortRange{1, 1}; // ... so this is never read
        Rule &b = s.f.addRule(kChain, id(351), RuleAction::Accept);
        b.cond.nwSrc.value = cidr("10.0.0.0/16");
        b.cond.tpDst.value = PortRange{80, 80};
        s.f.port(kVm1).inboundFilter = kChain;
        s.f.learn(kBridgeA, kMacVm2, kVm2);
        auto res = s.run(tcp(kMacVm1, kMacVm2, "10.0.0.11", "10.0.0.12", 40000, 80));
        QCOMPARE(verdict(res), QString("forward"));
        QVERIFY(res.mask.consulted(Field::IpProto));
        QVERIFY(res.mask.fullyConsulted(Field::TpDst));
        QVERIFY(!res.mask.consulted(Field::TpSrc));
        QCOMPARE(res.mask.bits.ipv4Src.value, 0xffff0000u);
        QVERIFY(!res.mask.consulted(Field::Ipv4Dst));
        QVERIFY(res.hasTag(FlowTag::device(kChain)));
        QVERIFY(res.hasTag(FlowTag::rule(kChain, id(351))));
        QVERIFY(!res.hasTag(FlowTag::rule(kChain, id(350))));
    }
};

QTEST_GUILESS_MAIN(TstRules)
#include "tst_rules.moc"
