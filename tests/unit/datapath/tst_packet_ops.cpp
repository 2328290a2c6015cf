// Fast-path packet rewrites of the userspace datapath keep checksums valid, and key extraction
// reads what the kernel datapath would.
#include "agent/datapath/userspace/packet_ops.h"

#include <QtTest/QtTest>

using namespace midonet::flow;
using namespace midonet::dp::userspace;

namespace {
uint32_t sum16(const uint8_t *p, size_t n, uint32_t s = 0)
{
    for (size_t i = 0; i + 1 < n; i += 2)
        s += uint32_t(p[i] << 8 | p[i + 1]);
    if (n & 1)
        s += uint32_t(p[n - 1] << 8);
    return s;
}
uint16_t fold(uint32_t s)
{
    while (s >> 16)
        s = (s & 0xffff) + (s >> 16);
    return uint16_t(s);
}
// Ethernet + IPv4 + UDP with valid checksums.
Frame udpFrame()
{
    Frame f;
    std::vector<uint8_t> &d = f.data;
    d = {0x02, 0, 0, 0, 0, 2, 0x02, 0, 0, 0, 0, 1, 0x08, 0x00};
    const char *payload = "payload!";
    uint16_t udpLen = uint16_t(8 + strlen(payload)), ipLen = uint16_t(20 + udpLen);
    uint8_t ip[20] = {0x45, 0, uint8_t(ipLen >> 8), uint8_t(ipLen), 0, 1, 0x40, 0, 64, 17, 0, 0,
                      10, 0, 0, 1, 10, 0, 0, 2};
    uint16_t c = uint16_t(~fold(sum16(ip, 20)));
    ip[10] = uint8_t(c >> 8);
    ip[11] = uint8_t(c);
    d.insert(d.end(), ip, ip + 20);
    uint8_t udp[8] = {0x04, 0xd2, 0x00, 0x35, uint8_t(udpLen >> 8), uint8_t(udpLen), 0, 0};
    d.insert(d.end(), udp, udp + 8);
    d.insert(d.end(), payload, payload + strlen(payload));
    uint32_t ps = sum16(d.data() + 14 + 12, 8) + 17 + udpLen;
    uint16_t uc = uint16_t(~fold(sum16(d.data() + 34, udpLen, ps)));
    d[34 + 6] = uint8_t(uc >> 8);
    d[34 + 7] = uint8_t(uc);
    return f;
}
bool checksumsValid(const Frame &f)
{
    const uint8_t *ip = f.data.data() + 14;
    if (fold(sum16(ip, 20)) != 0xffff)
        return false;
    uint16_t udpLen = uint16_t(ip[20 + 4] << 8 | ip[20 + 5]);
    uint32_t ps = sum16(ip + 12, 8) + 17 + udpLen;
    return fold(sum16(ip + 20, udpLen, ps)) == 0xffff;
}
} // namespace

class TestPacketOps : public QObject {
    Q_OBJECT

private slots:
    void extractUdp()
    {
        Frame f = udpFrame();
        QVERIFY(checksumsValid(f));
        FlowKey k;
        extractKey(f.data.data(), f.data.size(), 7, k);
        QCOMPARE(k.inPort, 7u);
        QCOMPARE(k.ethType, kEthTypeIpv4);
        QCOMPARE(k.ipProto, kIpProtoUdp);
        QCOMPARE(k.ipv4Dst.toString(), std::string("10.0.0.2"));
        QCOMPARE(k.tpSrc, uint16_t(1234));
        QCOMPARE(k.tpDst, uint16_t(53));
        QCOMPARE(k.ipTtl, uint8_t(64));
    }

    void truncatedFramesLeaveDeeperFieldsZero_data()
    {
        QTest::addColumn<int>("length");
        for (int n : {0, 5, 13, 14, 20, 33, 34, 37})
            QTest::newRow(("len-" + std::to_string(n)).c_str()) << n;
    }
    void truncatedFramesLeaveDeeperFieldsZero()
    {
        QFETCH(int, length);
        Frame f = udpFrame();
        FlowKey k;
        extractKey(f.data.data(), size_t(length), 1, k);
        QCOMPARE(k.tpDst, uint16_t(0));
    }

    void rewritesKeepChecksums_data()
    {
        QTest::addColumn<int>("op");
        QTest::newRow("ipv4-src") << 0;
        QTest::newRow("ipv4-dst") << 1;
        QTest::newRow("tp-src") << 2;
        QTest::newRow("tp-dst") << 3;
        QTest::newRow("ttl") << 4;
        QTest::newRow("tos") << 5;
    }
    void rewritesKeepChecksums()
    {
        QFETCH(int, op);
        Frame f = udpFrame();
        switch (op) {
        case 0: setIpv4Src(f, 0xc0a80101); break;
        case 1: setIpv4Dst(f, 0xac100005); break;
        case 2: setTpSrc(f, 40000); break;
        case 3: setTpDst(f, 8053); break;
        case 4: setIpTtl(f, 3); break;
        case 5: setIpTos(f, 0xb8); break;
        }
        QVERIFY(checksumsValid(f));
        FlowKey k;
        extractKey(f.data.data(), f.data.size(), 1, k);
        if (op == 1)
            QCOMPARE(k.ipv4Dst.value, 0xac100005u);
        if (op == 3)
            QCOMPARE(k.tpDst, uint16_t(8053));
    }

    void tsoSegmentIsCutLikeANic()
    {
        // Ethernet + IPv4 + TCP with 2500 payload bytes, MSS 1000: three segments.
        std::vector<uint8_t> d = {0x02, 0, 0, 0, 0, 2, 0x02, 0, 0, 0, 0, 1, 0x08, 0x00};
        uint8_t ip[20] = {0x45, 0, 0, 0, 0x12, 0x34, 0x40, 0, 64, 6, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2};
        d.insert(d.end(), ip, ip + 20);
        uint8_t tcp[20] = {0x04, 0xd2, 0x00, 0x50, 0, 0, 0x10, 0, 0, 0, 0, 0, 0x50, 0x19, 0xff, 0xff,
                           0, 0, 0, 0}; // seq 4096, flags FIN|PSH|ACK
        d.insert(d.end(), tcp, tcp + 20);
        for (int i = 0; i < 2500; ++i)
            d.push_back(uint8_t(i));
        VnetHdr v;
        v.gso_type = kVnetGsoTcpv4;
        v.gso_size = 1000;
        v.flags = kVnetNeedsCsum;
        v.csum_start = 34;
        v.csum_offset = 16;
        std::vector<std::vector<uint8_t>> segs;
        QVERIFY(segmentTcp(d, v, [&](std::span<const uint8_t> s) { segs.emplace_back(s.begin(), s.end()); }));
        QCOMPARE(segs.size(), size_t(3));
        uint32_t expectSeq = 4096;
        for (size_t i = 0; i < segs.size(); ++i) {
            const auto &s = segs[i];
            const uint8_t *ipp = s.data() + 14, *t = s.data() + 34;
            QCOMPARE(fold(sum16(ipp, 20)), uint16_t(0xffff));
            size_t tcpLen = s.size() - 34;
            uint32_t ps = sum16(ipp + 12, 8) + 6 + uint32_t(tcpLen);
            QCOMPARE(fold(sum16(t, tcpLen, ps)), uint16_t(0xffff));
            QCOMPARE(uint32_t(t[4] << 24 | t[5] << 16 | t[6] << 8 | t[7]), expectSeq);
            QCOMPARE(size_t(ipp[2] << 8 | ipp[3]), s.size() - 14);
            bool last = i + 1 == segs.size();
            QCOMPARE(bool(t[13] & 0x01), last); // FIN only on the last
            expectSeq += uint32_t(tcpLen - 20);
        }
        QCOMPARE(expectSeq, 4096u + 2500u);
    }

    void pushPopVlanRestoresFrame()
    {
        Frame f = udpFrame();
        auto orig = f.data;
        pushVlan(f, kEthTypeVlan, 42);
        FlowKey k;
        extractKey(f.data.data(), f.data.size(), 1, k);
        QCOMPARE(k.vlanTci, uint16_t(kVlanPresent | 42));
        QCOMPARE(k.ethType, kEthTypeIpv4);
        QCOMPARE(k.tpDst, uint16_t(53));
        popVlan(f);
        QVERIFY(f.data == orig);
    }
};

QTEST_GUILESS_MAIN(TestPacketOps)
#include "tst_packet_ops.moc"
