// BFD Control packet codec: named raw packets with the value or error they must decode to
// (RFC 5880 §4.1-4.4 layout, §6.8.6 packet checks), including truncated and overlong inputs.
#include "gateway/bfd/packet.h"

#include "tests/unit/gateway/hex.h"

#include <QtTest>

using namespace midonet::gateway::bfd;

namespace {

// A compact rendering of a decoded packet for the tables.
QString describe(const ControlPacket &p)
{
    QString s = QString("%1 diag %2 mult %3 my %4 your %5 tx %6 rx %7 echo %8")
                    .arg(toString(p.state))
                    .arg(int(p.diag))
                    .arg(p.detectMult)
                    .arg(p.myDiscriminator)
                    .arg(p.yourDiscriminator)
                    .arg(p.desiredMinTxUs)
                    .arg(p.requiredMinRxUs)
                    .arg(p.requiredMinEchoRxUs);
    if (p.poll) s += " P";
    if (p.final) s += " F";
    if (p.controlPlaneIndependent) s += " C";
    if (p.demand) s += " D";
    if (p.auth) s += QString(" auth %1 key %2 [%3]").arg(int(p.auth->type)).arg(p.auth->keyId).arg(p.auth->data.size());
    return s;
}

// Version 1, then the given byte 0 low bits / byte 1 / mult / length, then the 20 octets of
// discriminators and intervals: my 1, your 2, tx 100000, rx 200000, echo 0.
const char *kBody = "00000001 00000002 000186a0 00030d40 00000000";

QByteArray pkt(const char *head, const char *tail = "") { return hexBytes(head) + hexBytes(kBody) + hexBytes(tail); }

} // namespace

class TstBfdPacket : public QObject
{
    Q_OBJECT
private slots:
    void decode_data()
    {
        QTest::addColumn<QByteArray>("raw");
        QTest::addColumn<int>("error"); // PacketError, 0 = decodes
        QTest::addColumn<QString>("value");
        auto ok = [](const char *name, QByteArray raw, const char *value) {
            QTest::newRow(name) << raw << 0 << QString(value);
        };
        auto bad = [](const char *name, QByteArray raw, PacketError e) {
            QTest::newRow(name) << raw << int(e) << QString();
        };
        const char *upValue = "Up diag 0 mult 3 my 1 your 2 tx 100000 rx 200000 echo 0";
        ok("up", pkt("20 c0 03 18"), upValue);
        ok("down-diag-detect-expired", pkt("21 40 05 18"),
           "Down diag 1 mult 5 my 1 your 2 tx 100000 rx 200000 echo 0");
        ok("init-poll", pkt("20 a0 03 18"), "Init diag 0 mult 3 my 1 your 2 tx 100000 rx 200000 echo 0 P");
        ok("up-final-cpi", pkt("20 d8 03 18"), "Up diag 0 mult 3 my 1 your 2 tx 100000 rx 200000 echo 0 F C");
        ok("up-demand", pkt("20 c2 03 18"), "Up diag 0 mult 3 my 1 your 2 tx 100000 rx 200000 echo 0 D");
        ok("admin-down-your-zero", hexBytes("27 00 03 18 00000001 00000000 000f4240 000f4240 00000000"),
           "AdminDown diag 7 mult 3 my 1 your 0 tx 1000000 rx 1000000 echo 0");
        ok("down-your-zero", hexBytes("20 40 03 18 00000009 00000000 000f4240 000f4240 00000000"),
           "Down diag 0 mult 3 my 9 your 0 tx 1000000 rx 1000000 echo 0");
        // Octets past Length are not part of the packet.
        ok("trailing-octets-ignored", pkt("20 c0 03 18", "deadbeef"), upValue);
        ok("auth-simple-password", pkt("20 c4 03 1d", "01 05 07 61 62"),
           "Up diag 0 mult 3 my 1 your 2 tx 100000 rx 200000 echo 0 auth 1 key 7 [2]");
        ok("auth-keyed-md5", pkt("20 c4 03 30", "02 18 01 00 00000001 00112233445566778899aabbccddeeff"),
           "Up diag 0 mult 3 my 1 your 2 tx 100000 rx 200000 echo 0 auth 2 key 1 [21]");
        ok("auth-meticulous-sha1",
           pkt("20 c4 03 34", "05 1c 02 00 00000009 00112233445566778899aabbccddeeff00112233"),
           "Up diag 0 mult 3 my 1 your 2 tx 100000 rx 200000 echo 0 auth 5 key 2 [25]");

        bad("empty", QByteArray(), PacketError::Truncated);
        bad("short", hexBytes("20 c0 03 18 00000001"), PacketError::Truncated);
        bad("length-past-payload", pkt("20 c0 03 1c"), PacketError::Truncated);
        bad("version-0", pkt("00 c0 03 18"), PacketError::BadVersion);
        bad("version-2", pkt("40 c0 03 18"), PacketError::BadVersion);
        bad("length-below-24", pkt("20 c0 03 17"), PacketError::BadLength);
        bad("auth-bit-length-24", pkt("20 c4 03 18"), PacketError::BadLength);
        bad("detect-mult-zero", pkt("20 c0 00 18"), PacketError::ZeroDetectMult);
        bad("multipoint", pkt("20 c1 03 18"), PacketError::MultipointSet);
        bad("my-discriminator-zero", hexBytes("20 c0 03 18 00000000 00000002 000186a0 00030d40 00000000"),
            PacketError::ZeroMyDiscriminator);
        bad("your-zero-in-up", hexBytes("20 c0 03 18 00000001 00000000 000186a0 00030d40 00000000"),
            PacketError::ZeroYourDiscriminator);
        bad("your-zero-in-init", hexBytes("20 80 03 18 00000001 00000000 000186a0 00030d40 00000000"),
            PacketError::ZeroYourDiscriminator);
        bad("auth-type-zero", pkt("20 c4 03 1c", "00 04 01 61"), PacketError::UnknownAuthType);
        bad("auth-type-6", pkt("20 c4 03 1c", "06 04 01 61"), PacketError::UnknownAuthType);
        bad("auth-simple-empty-password", pkt("20 c4 03 1b", "01 03 01"), PacketError::BadAuthLength);
        bad("auth-simple-17-octets", pkt("20 c4 03 2c", "01 14 01 6161616161616161616161616161616161"),
            PacketError::BadAuthLength);
        bad("auth-md5-wrong-length", pkt("20 c4 03 30", "02 1c 01 00 00000001 00112233445566778899aabbccddeeff"),
            PacketError::BadAuthLength);
        bad("auth-section-past-length", pkt("20 c4 03 1c", "01 05 07 61 62"), PacketError::AuthTruncated);
    }

    void decode()
    {
        QFETCH(QByteArray, raw);
        QFETCH(int, error);
        QFETCH(QString, value);
        ControlPacket p;
        auto ec = midonet::gateway::bfd::decode(bytesOf(raw), p);
        if (error) {
            QCOMPARE(ec, std::error_code(PacketError(error)));
            QVERIFY(!ec.message().empty());
            return;
        }
        QVERIFY2(!ec, ec.message().c_str());
        QCOMPARE(describe(p), value);
        // What decodes encodes back to the same octets (up to Length).
        std::vector<uint8_t> out;
        encode(p, out);
        QCOMPARE(fromVector(out), raw.left(uint8_t(raw[3])));
    }

    void encodeLayout()
    {
        ControlPacket p;
        p.state = State::Init;
        p.diag = Diag::NeighborSignaledSessionDown;
        p.poll = true;
        p.detectMult = 4;
        p.myDiscriminator = 0x01020304;
        p.yourDiscriminator = 0xa0b0c0d0;
        p.desiredMinTxUs = 1000000;
        p.requiredMinRxUs = 300000;
        std::vector<uint8_t> out;
        encode(p, out);
        QCOMPARE(fromVector(out), hexBytes("23 a0 04 18 01020304 a0b0c0d0 000f4240 000493e0 00000000"));
    }

    void encodeNeverSetsPollAndFinal()
    {
        ControlPacket p;
        p.myDiscriminator = 1;
        p.poll = p.final = true;
        std::vector<uint8_t> out;
        encode(p, out);
        QCOMPARE(out[1] & 0x30, 0x20); // P kept, F dropped (RFC 5880 §6.8.7)
    }

    void namesAndMessages()
    {
        for (int s = 0; s < int(kStateCount); ++s) QVERIFY(QString(toString(State(s))) != "?");
        for (int d = 0; d <= 8; ++d) QVERIFY(!QString(toString(Diag(d))).startsWith("unknown"));
        for (int e = 1; e <= int(PacketError::BadTtl); ++e)
            QVERIFY(!make_error_code(PacketError(e)).message().starts_with("unknown"));
        QCOMPARE(std::error_code(Diag::ControlDetectionTimeExpired).message(),
                 std::string("BFD: control detection time expired"));
    }
};

QTEST_GUILESS_MAIN(TstBfdPacket)
#include "tst_bfd_packet.moc"
