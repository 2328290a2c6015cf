// Flow keys, masks and actions through the ovs backend's Netlink encoding and back: what we put
// is what a dump returns (up to the kernel's own normalisations, which the rows spell out).
#include "agent/datapath/ovs/ovs_codec.h"

#include "agent/datapath/datapath.h"

#include <QtTest/QtTest>

#include <linux/openvswitch.h>

#include <set>

using namespace midonet::flow;
using namespace midonet::dp;
using namespace midonet::dp::ovs;

Q_DECLARE_METATYPE(FlowMatch)
Q_DECLARE_METATYPE(FlowActions)

namespace {
FlowKey udpKey()
{
    FlowKey k;
    k.inPort = 3;
    k.ethSrc = MacAddress::fromU64(0x020000000001);
    k.ethDst = MacAddress::fromU64(0x020000000002);
    k.ethType = kEthTypeIpv4;
    k.ipv4Src = *IPv4Address::parse("10.0.0.1");
    k.ipv4Dst = *IPv4Address::parse("10.0.0.2");
    k.ipProto = kIpProtoUdp;
    k.ipTtl = 64;
    k.tpSrc = 1234;
    k.tpDst = 53;
    return k;
}
std::set<uint16_t> topTypes(const Bytes &b)
{
    std::set<uint16_t> t;
    forEachAttr(b, [&](const Attr &a) { t.insert(a.type); });
    return t;
}
} // namespace

class TestOvsCodec : public QObject {
    Q_OBJECT

private slots:
    void matchRoundTrip_data()
    {
        QTest::addColumn<FlowMatch>("match");
        FlowKey k = udpKey();
        QTest::newRow("in-port-only") << FlowMatch(k, FlowMask().mark(Field::InPort));
        QTest::newRow("udp-megaflow")
            << FlowMatch(k, FlowMask().mark(Field::InPort).mark(Field::EthType)
                                .mark(Field::IpProto).markIpv4DstPrefix(24).mark(Field::TpDst));
        FlowKey tcp = k;
        tcp.ipProto = kIpProtoTcp;
        tcp.tcpFlags = 0x002;
        // Every field the kernel carries for a TCP packet (the exact mask also names fields a
        // TCP key has no attribute for, such as ICMP type; the kernel cannot echo those).
        QTest::newRow("tcp-all-kernel-fields")
            << FlowMatch(tcp, FlowMask().mark(Field::InPort).mark(Field::EthSrc)
                                  .mark(Field::EthDst).mark(Field::EthType).mark(Field::Ipv4Src)
                                  .mark(Field::Ipv4Dst).mark(Field::IpProto).mark(Field::IpTos)
                                  .mark(Field::IpTtl).mark(Field::IpFrag).mark(Field::TpSrc)
                                  .mark(Field::TpDst).mark(Field::TcpFlags));
        FlowKey arp;
        arp.inPort = 1;
        arp.ethType = kEthTypeArp;
        arp.arpOp = 1;
        arp.arpSip = *IPv4Address::parse("10.0.0.1");
        arp.arpTip = *IPv4Address::parse("10.0.0.2");
        QTest::newRow("arp") << FlowMatch(arp, FlowMask().mark(Field::EthType).mark(Field::ArpOp)
                                                   .mark(Field::ArpTip).mark(Field::InPort));
        FlowKey tagged = k;
        tagged.vlanTci = kVlanPresent | 10;
        QTest::newRow("vlan-tagged-udp")
            << FlowMatch(tagged, FlowMask().mark(Field::InPort).mark(Field::VlanTci)
                                     .mark(Field::EthType).mark(Field::IpProto).mark(Field::TpDst));
        FlowKey tun = k;
        tun.tunnelId = 100;
        tun.tunnelFlags = kTunnelFlagKey;
        QTest::newRow("tunnel-id-only")
            << FlowMatch(tun, FlowMask().mark(Field::InPort).mark(Field::TunnelId));
        FlowKey v6;
        v6.inPort = 2;
        v6.ethType = kEthTypeIpv6;
        v6.ipv6Dst = *IPv6Address::parse("fd00::2");
        v6.ipProto = kIpProtoIcmpv6;
        v6.icmpType = 128;
        QTest::newRow("ipv6-icmp") << FlowMatch(v6, FlowMask().mark(Field::InPort)
                                                        .mark(Field::EthType).mark(Field::Ipv6Dst)
                                                        .mark(Field::IpProto).mark(Field::IcmpType));
    }

    void matchRoundTrip()
    {
        QFETCH(FlowMatch, match);
        Bytes key, mask;
        encodeMatch(match, key, mask);
        // key and mask carry the same attribute set, as the kernel wants
        QCOMPARE(topTypes(key), topTypes(mask));
        FlowMatch back(decodeKey(key), FlowMask{decodeKey(mask, true)});
        QVERIFY2(back == match, (back.toString() + " != " + match.toString()).c_str());
    }

    void userspaceOnlyFieldRefused()
    {
        FlowKey k = udpKey();
        k.ipProto = kIpProtoIcmp;
        FlowMask m;
        m.mark(Field::IcmpId);
        Bytes a, b;
        try {
            encodeMatch(FlowMatch(k, m), a, b);
            QFAIL("icmpId cannot be matched by the kernel");
        } catch (const DatapathError &e) {
            QCOMPARE(e.errnum(), EINVAL);
        }
    }

    void l3AttributesOnlyWithEthType()
    {
        Bytes key, mask;
        encodeMatch(FlowMatch(udpKey(), FlowMask().mark(Field::InPort)), key, mask);
        auto t = topTypes(key);
        QVERIFY(t.count(OVS_KEY_ATTR_IN_PORT));
        QVERIFY(t.count(OVS_KEY_ATTR_ETHERNET));
        QVERIFY(!t.count(OVS_KEY_ATTR_ETHERTYPE));
        QVERIFY(!t.count(OVS_KEY_ATTR_IPV4));
    }

    void actionsRoundTrip_data()
    {
        QTest::addColumn<FlowActions>("actions");
        SetTunnelAction t;
        t.tunnelId = 0x1234;
        t.dst = *IPv4Address::parse("192.168.1.2");
        t.src = *IPv4Address::parse("192.168.1.1");
        t.ttl = 64;
        QTest::newRow("output") << FlowActions{OutputAction{2}};
        QTest::newRow("drop") << FlowActions{};
        QTest::newRow("tunnel-then-output") << FlowActions{t, OutputAction{5}};
        QTest::newRow("set-fields")
            << FlowActions{SetEthSrcAction{MacAddress::fromU64(0x020000000009)},
                           SetEthDstAction{MacAddress::fromU64(0x02000000000a)},
                           SetIpv4DstAction{*IPv4Address::parse("10.9.9.9")},
                           SetIpTtlAction{9}, SetTpDstAction{8080}, OutputAction{1}};
        QTest::newRow("vlan") << FlowActions{PushVlanAction{kEthTypeVlan, uint16_t(kVlanPresent | 7)},
                                             OutputAction{1}, PopVlanAction{}, OutputAction{2}};
        QTest::newRow("userspace") << FlowActions{UserspaceAction{77, 0xdeadbeef}};
    }

    void actionsRoundTrip()
    {
        QFETCH(FlowActions, actions);
        FlowMatch m(udpKey(), FlowMask().mark(Field::InPort).mark(Field::EthType)
                                  .mark(Field::IpProto));
        Bytes b;
        encodeActions(actions, m, b);
        QCOMPARE(toString(decodeActions(b)), toString(actions));
    }

    void vlanActionsOnTheWire()
    {
        // L2 gateway trunks: what the kernel gets for push/pop (linux/openvswitch.h): PUSH_VLAN
        // carries struct ovs_action_push_vlan {be16 tpid; be16 tci} with the CFI bit set (the
        // module refuses a TCI without it), POP_VLAN is an empty flag.
        FlowMatch m(udpKey(), FlowMask().mark(Field::InPort));
        Bytes b;
        encodeActions({PushVlanAction{kEthTypeVlan, 10}, OutputAction{7}, PopVlanAction{}}, m, b);
        std::vector<std::pair<uint16_t, std::vector<uint8_t>>> got;
        forEachAttr(b, [&](const Attr &a) { got.push_back({a.type, {a.data.begin(), a.data.end()}}); });
        QCOMPARE(got.size(), size_t(3));
        QCOMPARE(got[0].first, uint16_t(OVS_ACTION_ATTR_PUSH_VLAN));
        QCOMPARE(got[0].second, (std::vector<uint8_t>{0x81, 0x00, 0x10, 0x0a}));
        QCOMPARE(got[1].first, uint16_t(OVS_ACTION_ATTR_OUTPUT));
        QCOMPARE(got[2].first, uint16_t(OVS_ACTION_ATTR_POP_VLAN));
        QVERIFY(got[2].second.empty());
    }

    void portRewriteNeedsIpProto()
    {
        FlowMatch m(udpKey(), FlowMask().mark(Field::InPort));
        Bytes b;
        try {
            encodeActions({SetTpDstAction{1}}, m, b);
            QFAIL("a port rewrite needs the flow to pin ip_proto");
        } catch (const DatapathError &e) {
            QCOMPARE(e.errnum(), EINVAL);
        }
    }

    void truncatedAttributesAreIgnored()
    {
        Bytes key, mask;
        FlowMask all = FlowMask::exact();
        all.bits.icmpId = 0;
        all.bits.innerVlanTci = 0;
        encodeMatch(FlowMatch(udpKey(), all), key, mask);
        for (size_t cut = 0; cut < key.size(); cut += 3) {
            Bytes part(key.begin(), key.begin() + long(cut));
            decodeKey(part); // must not read past the end (ASan/valgrind would tell)
        }
    }
};

QTEST_GUILESS_MAIN(TestOvsCodec)
#include "tst_ovs_codec.moc"
