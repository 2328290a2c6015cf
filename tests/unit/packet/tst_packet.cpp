// Packet parsing and building: round trips through the flow key, checksums, and every way a
// frame can be short or malformed (an error value, never a read past the buffer).
#include "common/packet/packet.h"
#include "common/packet/builder.h"
#include "common/packet/checksum.h"

#include <QtTest>

using namespace midonet;
using namespace midonet::packet;
using flow::FlowKey;

Q_DECLARE_METATYPE(FlowKey)

namespace {
IPv4Address ip(const char *s) { return *IPv4Address::parse(s); }
IPv6Address ip6(const char *s) { return *IPv6Address::parse(s); }
MacAddress mac(const char *s) { return *MacAddress::parse(s); }

FlowKey baseKey(uint16_t ethType)
{
    FlowKey k;
    k.ethSrc = mac("02:00:00:00:00:01");
    k.ethDst = mac("02:00:00:00:00:02");
    k.ethType = ethType;
    return k;
}
FlowKey ipv4Key(uint8_t proto)
{
    FlowKey k = baseKey(flow::kEthTypeIpv4);
    k.ipv4Src = ip("10.0.0.1");
    k.ipv4Dst = ip("10.0.1.2");
    k.ipProto = proto;
    k.ipTtl = 64;
    k.ipTos = 0x10;
    return k;
}
FlowKey tcpKey()
{
    FlowKey k = ipv4Key(flow::kIpProtoTcp);
    k.tpSrc = 40000;
    k.tpDst = 80;
    k.tcpFlags = kTcpSyn;
    return k;
}
FlowKey ipv6Key(uint8_t proto)
{
    FlowKey k = baseKey(flow::kEthTypeIpv6);
    k.ipv6Src = ip6("2001:db8::1");
    k.ipv6Dst = ip6("2001:db8::2");
    k.ipv6Label = 0x12345;
    k.ipProto = proto;
    k.ipTtl = 255;
    return k;
}

// Named frames the tables below refer to.
Buffer frame(const QString &name)
{
    if (name == "tcp") return buildFromKey(tcpKey(), Buffer{1, 2, 3});
    if (name == "udp") {
        FlowKey k = ipv4Key(flow::kIpProtoUdp);
        k.tpSrc = 68;
        k.tpDst = 67;
        return buildFromKey(k);
    }
    if (name == "arp") {
        FlowKey k = baseKey(flow::kEthTypeArp);
        k.ethDst = MacAddress::broadcast();
        k.arpOp = kArpRequest;
        k.arpSip = ip("10.0.0.1");
        k.arpTip = ip("10.0.0.254");
        k.arpSha = k.ethSrc;
        return buildFromKey(k);
    }
    if (name == "ipv6-ns") {
        FlowKey k = ipv6Key(flow::kIpProtoIcmpv6);
        k.icmpType = kIcmpv6NeighborSolicit;
        k.ndTarget = ip6("2001:db8::2");
        k.ndSll = k.ethSrc;
        return buildFromKey(k);
    }
    if (name == "ipv6-tcp") {
        FlowKey k = ipv6Key(flow::kIpProtoTcp);
        k.tpSrc = 1;
        k.tpDst = 2;
        return buildFromKey(k);
    }
    return {};
}

FlowKey keyFor(const QString &name)
{
    if (name == "tcp") return tcpKey();
    if (name == "udp") {
        FlowKey k = ipv4Key(flow::kIpProtoUdp);
        k.tpSrc = 53;
        k.tpDst = 5353;
        return k;
    }
    if (name == "icmp-echo") {
        FlowKey k = ipv4Key(flow::kIpProtoIcmp);
        k.icmpType = kIcmpEchoRequest;
        k.icmpId = 0x4242;
        return k;
    }
    if (name == "icmp-unreachable") {
        FlowKey k = ipv4Key(flow::kIpProtoIcmp);
        k.icmpType = kIcmpUnreachable;
        k.icmpCode = kIcmpUnreachHost;
        return k;
    }
    if (name == "arp-reply") {
        FlowKey k = baseKey(flow::kEthTypeArp);
        k.arpOp = kArpReply;
        k.arpSip = ip("10.0.0.254");
        k.arpTip = ip("10.0.0.1");
        k.arpSha = k.ethSrc;
        k.arpTha = k.ethDst;
        return k;
    }
    if (name == "vlan-tcp") {
        FlowKey k = tcpKey();
        k.vlanTci = 10 | flow::kVlanPresent;
        return k;
    }
    if (name == "vlan-0") {
        FlowKey k = tcpKey();
        k.vlanTci = flow::kVlanPresent;
        return k;
    }
    if (name == "qinq-udp") {
        FlowKey k = keyFor("udp");
        k.vlanTci = 100 | flow::kVlanPresent | 0x2000;
        k.innerVlanTci = 20 | flow::kVlanPresent;
        return k;
    }
    if (name == "fragment-first") {
        FlowKey k = tcpKey();
        k.ipFrag = flow::FragType::First;
        return k;
    }
    if (name == "fragment-later") {
        FlowKey k = ipv4Key(flow::kIpProtoTcp);
        k.ipFrag = flow::FragType::Later;
        return k;
    }
    if (name == "ipv6-udp") {
        FlowKey k = ipv6Key(flow::kIpProtoUdp);
        k.tpSrc = 546;
        k.tpDst = 547;
        return k;
    }
    if (name == "ipv6-ns") {
        FlowKey k = ipv6Key(flow::kIpProtoIcmpv6);
        k.icmpType = kIcmpv6NeighborSolicit;
        k.ndTarget = ip6("2001:db8::2");
        k.ndSll = k.ethSrc;
        return k;
    }
    if (name == "ipv6-na") {
        FlowKey k = ipv6Key(flow::kIpProtoIcmpv6);
        k.icmpType = kIcmpv6NeighborAdvert;
        k.ndTarget = ip6("2001:db8::2");
        k.ndTll = k.ethSrc;
        return k;
    }
    if (name == "ipv6-echo") {
        FlowKey k = ipv6Key(flow::kIpProtoIcmpv6);
        k.icmpType = 128;
        return k;
    }
    if (name == "ipv6-fragment-first") {
        FlowKey k = keyFor("ipv6-udp");
        k.ipFrag = flow::FragType::First;
        return k;
    }
    if (name == "ipv6-fragment-later") {
        FlowKey k = ipv6Key(flow::kIpProtoSctp);
        k.ipFrag = flow::FragType::Later;
        return k;
    }
    if (name == "sctp") {
        FlowKey k = ipv4Key(flow::kIpProtoSctp);
        k.tpSrc = 2905;
        k.tpDst = 2906;
        return k;
    }
    if (name == "unknown-ethertype") return baseKey(0x88cc);
    return {};
}

uint16_t rd16(const Buffer &b, size_t at) { return uint16_t(b[at] << 8 | b[at + 1]); }
} // namespace

class TstPacket : public QObject
{
    Q_OBJECT
private slots:
    void roundTrip_data()
    {
        QTest::addColumn<QString>("name");
        for (const char *n : {"tcp", "udp", "icmp-echo", "icmp-unreachable", "arp-reply",
                              "vlan-tcp", "vlan-0", "qinq-udp", "fragment-first", "fragment-later",
                              "ipv6-udp", "ipv6-ns", "ipv6-na", "ipv6-echo", "ipv6-fragment-first",
                              "ipv6-fragment-later", "sctp", "unknown-ethertype"})
            QTest::newRow(n) << QString(n);
    }
    void roundTrip()
    {
        QFETCH(QString, name);
        FlowKey k = keyFor(name);
        Buffer b = buildFromKey(k, Buffer{0xde, 0xad});
        auto got = extractFlowKey(b, 7);
        QVERIFY2(got.ok(), got.ok() ? "" : got.error().toString().c_str());
        k.inPort = 7;
        QCOMPARE(QString::fromStdString(got->toString()), QString::fromStdString(k.toString()));
        QVERIFY(*got == k);
    }

    void checksumsAreValid_data()
    {
        QTest::addColumn<QString>("name");
        for (const char *n : {"tcp", "udp", "ipv6-tcp", "ipv6-ns"}) QTest::newRow(n) << QString(n);
    }
    void checksumsAreValid()
    {
        QFETCH(QString, name);
        Buffer b = frame(name);
        auto p = parsePacket(b);
        QVERIFY(p.ok());
        Bytes l4 = Bytes(b).subspan(p->l4Offset, p->l4End - p->l4Offset);
        uint32_t pseudo = p->l3 == L3::Ipv4
                              ? pseudoHeaderSum(p->ipv4.src, p->ipv4.dst, p->ipv4.protocol,
                                                uint32_t(l4.size()))
                              : pseudoHeaderSum(p->ipv6.src, p->ipv6.dst, p->ipv6.nextHeader,
                                                uint32_t(l4.size()));
        QCOMPARE(checksumFinish(checksumPartial(l4, pseudo)), uint16_t(0));
        if (p->l3 == L3::Ipv4)
            QCOMPARE(internetChecksum(Bytes(b).subspan(p->l3Offset, p->ipv4.headerLength)),
                     uint16_t(0));
    }

    void knownChecksum()
    {
        // The RFC 1071 worked example: 0001 f203 f4f5 f6f7 sums to ddf2, checksum 220d.
        Buffer b{0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7};
        QCOMPARE(internetChecksum(b), uint16_t(0x220d));
    }

    void ipv4Options()
    {
        Ipv4Spec s;
        s.src = ip("1.1.1.1");
        s.dst = ip("2.2.2.2");
        s.protocol = flow::kIpProtoUdp;
        s.options = {0x94, 0x04, 0x00, 0x00, 0x01}; // router alert + a NOP-ish byte, padded to 8
        Buffer l4 = udp(1, 2, Buffer{9}, s.src, s.dst);
        Buffer b = ethernet(mac("02:00:00:00:00:02"), mac("02:00:00:00:00:01"), flow::kEthTypeIpv4,
                            ipv4(s, l4));
        auto p = parsePacket(b);
        QVERIFY(p.ok());
        QCOMPARE(int(p->ipv4.headerLength), 28);
        QCOMPARE(p->ipv4.options.size(), size_t(8));
        QCOMPARE(p->udp.dstPort, uint16_t(2));
        QCOMPARE(p->l4Payload.size(), size_t(1));
    }

    void ethernetPaddingIsNotPayload()
    {
        Buffer b = frame("udp");
        size_t realEnd = b.size();
        b.resize(b.size() + 18, 0); // minimum-size frame padding
        auto p = parsePacket(b);
        QVERIFY(p.ok());
        QCOMPARE(p->l4End, realEnd);
        QCOMPARE(p->l4Payload.size(), size_t(0));
    }

    // Every prefix of a valid frame shorter than it: an error or (for prefixes that are
    // themselves complete frames, such as a bare Ethernet header of an unknown type) a value.
    void everyTruncationIsAnError_data()
    {
        QTest::addColumn<QString>("name");
        for (const char *n : {"tcp", "udp", "arp", "ipv6-ns", "ipv6-tcp"})
            QTest::newRow(n) << QString(n);
    }
    void everyTruncationIsAnError()
    {
        QFETCH(QString, name);
        Buffer full = frame(name);
        for (size_t len = 0; len < full.size(); ++len) {
            // A fresh heap copy of exactly len bytes so ASan would flag any over-read.
            std::vector<uint8_t> cut(full.begin(), full.begin() + len);
            auto p = parsePacket(cut);
            QVERIFY2(!p.ok(), qPrintable(QString("length %1 parsed").arg(len)));
            QCOMPARE(p.error().code, ParseError::Truncated);
        }
    }

    void malformed_data()
    {
        QTest::addColumn<QString>("base");
        QTest::addColumn<int>("offset"); // byte to overwrite (-1: none)
        QTest::addColumn<int>("value");
        QTest::addColumn<QString>("error");
        // Offsets: Ethernet 0..13, IPv4 header from 14, TCP from 34.
        QTest::newRow("valid-tcp") << "tcp" << -1 << 0 << "";
        QTest::newRow("ipv4-ihl-below-5") << "tcp" << 14 << 0x44 << "bad-ip-header-length";
        QTest::newRow("ipv4-ihl-past-frame") << "tcp" << 14 << 0x4f << "truncated";
        QTest::newRow("ipv4-version-6") << "tcp" << 14 << 0x65 << "bad-ip-version";
        QTest::newRow("ipv4-total-below-header") << "tcp" << 17 << 10 << "bad-ip-total-length";
        QTest::newRow("ipv4-total-past-frame") << "tcp" << 16 << 0x10 << "truncated";
        QTest::newRow("tcp-data-offset-below-5") << "tcp" << 46 << 0x40 << "bad-tcp-header-length";
        QTest::newRow("tcp-options-past-packet") << "tcp" << 46 << 0xf0 << "truncated";
        QTest::newRow("udp-length-below-8") << "udp" << 39 << 4 << "bad-udp-length";
        QTest::newRow("arp-hlen-not-6") << "arp" << 18 << 8 << "bad-arp";
        QTest::newRow("arp-not-ipv4") << "arp" << 16 << 0x86 << "bad-arp";
        QTest::newRow("ipv6-version-4") << "ipv6-tcp" << 14 << 0x40 << "bad-ip-version";
        QTest::newRow("ipv6-payload-past-frame") << "ipv6-tcp" << 18 << 0x10 << "truncated";
        // NS: IPv6 14..53, ICMPv6 from 54, option header at 54+24=78 (type) and 79 (length).
        QTest::newRow("nd-option-length-0") << "ipv6-ns" << 79 << 0 << "bad-nd-option";
        QTest::newRow("nd-option-past-end") << "ipv6-ns" << 79 << 2 << "bad-nd-option";
    }
    void malformed()
    {
        QFETCH(QString, base);
        QFETCH(int, offset);
        QFETCH(int, value);
        QFETCH(QString, error);
        Buffer b = frame(base);
        if (offset >= 0) b.at(size_t(offset)) = uint8_t(value);
        auto p = parsePacket(b);
        if (error.isEmpty()) {
            QVERIFY(p.ok());
            return;
        }
        QVERIFY(!p.ok());
        QCOMPARE(QString(toString(p.error().code)), error);
        QVERIFY(!QString::fromStdString(p.error().toString()).isEmpty());
    }

    void tooManyVlanTags()
    {
        Buffer inner = frame("tcp");
        Buffer b = ethernet(mac("02:00:00:00:00:02"), mac("02:00:00:00:00:01"), flow::kEthTypeIpv4,
                            Bytes(inner).subspan(14),
                            {{flow::kEthTypeQinQ, 1}, {flow::kEthTypeVlan, 2}, {flow::kEthTypeVlan, 3}});
        auto p = parsePacket(b);
        QVERIFY(!p.ok());
        QCOMPARE(p.error().code, ParseError::TooManyVlanTags);
    }

    void ipv6ExtensionChain_data()
    {
        QTest::addColumn<int>("count");
        QTest::addColumn<bool>("ok");
        QTest::newRow("one-hop-by-hop") << 1 << true;
        QTest::newRow("eight-headers") << 8 << true;
        QTest::newRow("nine-headers") << 9 << false;
    }
    void ipv6ExtensionChain()
    {
        QFETCH(int, count);
        QFETCH(bool, ok);
        Buffer l4 = udp(1, 2, {}, ip6("::1"), ip6("::2"));
        Buffer ext;
        for (int i = 0; i < count; ++i) {
            uint8_t next = i + 1 == count ? flow::kIpProtoUdp : 60;
            Buffer h{next, 0, 1, 4, 0, 0, 0, 0}; // 8 bytes, PadN
            ext.insert(ext.end(), h.begin(), h.end());
        }
        ext.insert(ext.end(), l4.begin(), l4.end());
        Ipv6Spec s{ip6("::1"), ip6("::2"), 0, 64, 0, 0};
        Buffer b = ethernet(mac("02:00:00:00:00:02"), mac("02:00:00:00:00:01"), flow::kEthTypeIpv6,
                            ipv6(s, ext));
        auto p = parsePacket(b);
        QCOMPARE(p.ok(), ok);
        if (ok) {
            QCOMPARE(p->l4, L4::Udp);
            QCOMPARE(p->udp.dstPort, uint16_t(2));
        } else {
            QCOMPARE(p.error().code, ParseError::BadIpv6Extension);
        }
    }

    void ipv6Fragments()
    {
        Buffer l4 = udp(1, 2, {}, ip6("::1"), ip6("::2"));
        for (int later = 0; later < 2; ++later) {
            Buffer ext{flow::kIpProtoUdp, 0, 0, uint8_t(later ? 0x08 : 0x01), 0, 0, 0, 1};
            ext.insert(ext.end(), l4.begin(), l4.end());
            Ipv6Spec s{ip6("::1"), ip6("::2"), 44, 64, 0, 0};
            Buffer b = ethernet(mac("02:00:00:00:00:02"), mac("02:00:00:00:00:01"),
                                flow::kEthTypeIpv6, ipv6(s, ext));
            auto k = extractFlowKey(b);
            QVERIFY(k.ok());
            QCOMPARE(k->ipFrag, later ? flow::FragType::Later : flow::FragType::First);
            QCOMPARE(k->tpDst, uint16_t(later ? 0 : 2));
        }
    }

    void tcpFlagsAndPorts()
    {
        FlowKey k = tcpKey();
        k.tcpFlags = kTcpSyn | kTcpAck;
        Buffer b = buildFromKey(k);
        auto p = parsePacket(b);
        QVERIFY(p.ok());
        QCOMPARE(p->tcp.flags, uint16_t(kTcpSyn | kTcpAck));
        QCOMPARE(rd16(b, 34), uint16_t(40000));
    }
};

QTEST_GUILESS_MAIN(TstPacket)
#include "tst_packet.moc"
