// FlowKey / FlowMask / FlowMatch / FlowActions: masked matching, hashing and the dpctl text that
// logs and traces show.
#include "common/flow/flow_key.h"
#include "common/flow/flow_actions.h"
#include "common/flow/flow_tag.h"

#include <QtTest>

#include <unordered_set>

using namespace midonet::flow;
using midonet::util::IPv4Address;
using midonet::util::MacAddress;

namespace {
IPv4Address ip(const char *s) { return *IPv4Address::parse(s); }
MacAddress mac(const char *s) { return *MacAddress::parse(s); }

FlowKey tcpKey()
{
    FlowKey k;
    k.inPort = 3;
    k.ethSrc = mac("02:00:00:00:00:01");
    k.ethDst = mac("02:00:00:00:00:02");
    k.ethType = kEthTypeIpv4;
    k.ipv4Src = ip("10.0.0.1");
    k.ipv4Dst = ip("10.0.1.2");
    k.ipProto = kIpProtoTcp;
    k.ipTtl = 64;
    k.tpSrc = 40000;
    k.tpDst = 80;
    k.tcpFlags = 0x02;
    return k;
}
} // namespace

class TstFlowKey : public QObject
{
    Q_OBJECT
private slots:
    void keyPrintsLikeDpctl()
    {
        QCOMPARE(QString::fromStdString(tcpKey().toString()),
                 QStringLiteral("in_port(3),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),"
                                "eth_type(0x0800),ipv4(src=10.0.0.1,dst=10.0.1.2,proto=6,tos=0,"
                                "ttl=64,frag=no),tcp(src=40000,dst=80),tcp_flags(0x2)"));
    }

    void maskedMatch_data()
    {
        QTest::addColumn<QString>("changedField");
        QTest::addColumn<bool>("stillMatches");
        // The mask consults in_port, eth dst and the /24 of the IPv4 destination only.
        QTest::newRow("same-packet") << "" << true;
        QTest::newRow("other-tcp-port") << "tp_dst" << true;
        QTest::newRow("other-source-ip") << "ipv4_src" << true;
        QTest::newRow("dst-inside-prefix") << "ipv4_dst_low" << true;
        QTest::newRow("dst-outside-prefix") << "ipv4_dst_high" << false;
        QTest::newRow("other-in-port") << "in_port" << false;
        QTest::newRow("other-eth-dst") << "eth_dst" << false;
    }
    void maskedMatch()
    {
        QFETCH(QString, changedField);
        QFETCH(bool, stillMatches);
        FlowMask m;
        m.mark(Field::InPort).mark(Field::EthDst).markIpv4DstPrefix(24);
        FlowMatch match(tcpKey(), m);
        FlowKey k = tcpKey();
        if (changedField == "tp_dst") k.tpDst = 443;
        if (changedField == "ipv4_src") k.ipv4Src = ip("192.168.0.9");
        if (changedField == "ipv4_dst_low") k.ipv4Dst = ip("10.0.1.99");
        if (changedField == "ipv4_dst_high") k.ipv4Dst = ip("10.0.2.2");
        if (changedField == "in_port") k.inPort = 4;
        if (changedField == "eth_dst") k.ethDst = mac("02:00:00:00:00:09");
        QCOMPARE(match.matches(k), stillMatches);
    }

    void matchPrintsOnlyConsultedFields()
    {
        FlowMask m;
        m.mark(Field::InPort).mark(Field::EthType).markIpv4DstPrefix(24);
        FlowMatch match(tcpKey(), m);
        QCOMPARE(QString::fromStdString(match.toString()),
                 QStringLiteral("in_port(3),eth_type(0x0800),ipv4(dst=10.0.1.0/255.255.255.0)"));
        QVERIFY(!m.consulted(Field::TpDst));
        QVERIFY(m.consulted(Field::Ipv4Dst));
        QVERIFY(!m.fullyConsulted(Field::Ipv4Dst));
    }

    void equalMatchesHashEqual()
    {
        FlowMask m;
        m.mark(Field::EthDst);
        FlowKey a = tcpKey(), b = tcpKey();
        b.tpDst = 1; // not consulted: same megaflow
        FlowMatch ma(a, m), mb(b, m);
        QVERIFY(ma == mb);
        QCOMPARE(ma.hash(), mb.hash());
        std::unordered_set<FlowMatch> set{ma, mb};
        QCOMPARE(set.size(), size_t(1));
        QVERIFY(a.hash() != b.hash());
    }

    void exactMaskConsultsEverything()
    {
        FlowMask m = FlowMask::exact();
        for (int f = 0; f < int(Field::Count); ++f) QVERIFY(m.fullyConsulted(Field(f)));
        QVERIFY(m.hasUserspaceOnlyFields());
        QVERIFY(!FlowMask{}.hasUserspaceOnlyFields());
    }

    void actionsPrint_data()
    {
        QTest::addColumn<int>("which");
        QTest::addColumn<QString>("text");
        QTest::newRow("drop") << 0 << "drop";
        QTest::newRow("output") << 1 << "5";
        QTest::newRow("tunnel-then-output")
            << 2 << "set(tunnel(tun_id=0x7,src=192.168.1.1,dst=192.168.1.2,tos=0x0,ttl=64,flags(key))),9";
        QTest::newRow("nat-rewrite") << 3 << "set(ipv4(src=1.2.3.4)),set(tp(src=1024)),2";
        QTest::newRow("vlan") << 4 << "pop_vlan,push_vlan(vid=20,pcp=0),1";
    }
    void actionsPrint()
    {
        QFETCH(int, which);
        QFETCH(QString, text);
        FlowActions acts;
        if (which == 1) acts = {OutputAction{5}};
        if (which == 2)
            acts = {SetTunnelAction{7, ip("192.168.1.1"), ip("192.168.1.2"), 0, 64, kTunnelFlagKey},
                    OutputAction{9}};
        if (which == 3) acts = {SetIpv4SrcAction{ip("1.2.3.4")}, SetTpSrcAction{1024}, OutputAction{2}};
        if (which == 4) acts = {PopVlanAction{}, PushVlanAction{kEthTypeVlan, 20 | kVlanPresent}, OutputAction{1}};
        QCOMPARE(QString::fromStdString(toString(acts)), text);
    }

    void applyActionsRewritesKey()
    {
        FlowActions acts{SetIpv4SrcAction{ip("1.2.3.4")}, SetTpSrcAction{1024}, SetIpTtlAction{63},
                         PushVlanAction{kEthTypeVlan, 10 | kVlanPresent}};
        FlowKey k = applyActions(tcpKey(), acts);
        QCOMPARE(k.ipv4Src, ip("1.2.3.4"));
        QCOMPARE(k.tpSrc, uint16_t(1024));
        QCOMPARE(k.ipTtl, uint8_t(63));
        QCOMPARE(k.vlanId(), uint16_t(10));
        QVERIFY(hashActions(acts) != hashActions({}));
    }

    void tagsCompareAndPrint()
    {
        auto id = *midonet::util::Uuid::parse("11111111-2222-3333-4444-555555555555");
        FlowTag t = FlowTag::arpEntry(id, ip("10.0.0.1"));
        QCOMPARE(QString::fromStdString(t.toString()),
                 QStringLiteral("arp-entry:11111111-2222-3333-4444-555555555555/10.0.0.1"));
        QVERIFY(t == FlowTag::arpEntry(id, ip("10.0.0.1")));
        QVERIFY(!(t == FlowTag::arpEntry(id, ip("10.0.0.2"))));
        QCOMPARE(t.hash(), FlowTag::arpEntry(id, ip("10.0.0.1")).hash());
    }
};

QTEST_GUILESS_MAIN(TstFlowKey)
#include "tst_flow_key.moc"
