// BGP message codec: named raw messages with the value or error they must decode to,
// including truncated and overlong inputs (RFC 4271 §4, §6.1–6.3; RFC 5492; RFC 2918).
#include "gateway/bgp/codec.h"

#include "tests/unit/gateway/hex.h"

#include <QtTest>

#include <variant>

using namespace midonet::gateway::bgp;
namespace bgp = midonet::gateway::bgp;

Q_DECLARE_METATYPE(CodecError)

namespace {

QString ipv4(uint32_t a)
{
    return QString("%1.%2.%3.%4").arg(a >> 24).arg((a >> 16) & 255).arg((a >> 8) & 255).arg(a & 255);
}

QString prefixes(const std::vector<Prefix> &ps)
{
    QStringList l;
    for (auto &p : ps) l << QString::fromStdString(p.toString());
    return l.join(',');
}

// A compact, stable rendering of a decoded message for the tables.
QString describe(const Message &m)
{
    if (auto *o = std::get_if<OpenMessage>(&m)) {
        QString s = QString("OPEN as %1 hold %2 id %3").arg(o->myAs).arg(o->holdTime).arg(ipv4(o->bgpId));
        for (auto f : o->caps.multiprotocol) s += QString(" mp %1/%2").arg(int(f.afi)).arg(f.safi);
        if (o->caps.routeRefresh) s += " rr";
        if (o->caps.fourOctetAs) s += QString(" as4 %1").arg(*o->caps.fourOctetAs);
        if (auto &gr = o->caps.gracefulRestart) {
            s += QString(" gr %1%2%3").arg(gr->restartTime).arg(gr->restarting ? " R" : "").arg(gr->notification ? " N" : "");
            for (auto &f : gr->families) s += QString(" %1/%2%3").arg(int(f.family.afi)).arg(f.family.safi).arg(f.forwardingPreserved ? "F" : "");
        }
        for (auto &u : o->caps.unknown) s += QString(" cap%1[%2]").arg(u.code).arg(u.value.size());
        return s;
    }
    if (auto *u = std::get_if<UpdateView>(&m)) {
        if (u->isIpv4EndOfRib()) return "UPDATE end-of-rib";
        return QString("UPDATE withdrawn [%1] attrs %2 nlri [%3]").arg(prefixes(u->withdrawn)).arg(u->attributes.size()).arg(prefixes(u->nlri));
    }
    if (auto *n = std::get_if<Notification>(&m))
        return QString("NOTIFICATION %1/%2 data %3").arg(n->code).arg(n->subcode).arg(n->data.size());
    if (std::holds_alternative<KeepaliveMessage>(m)) return "KEEPALIVE";
    auto &r = std::get<RouteRefreshMessage>(m);
    return QString("ROUTE-REFRESH %1/%2").arg(int(r.family.afi)).arg(r.family.safi);
}

const char *kOpenFixed = "04 fde9 005a 0a000001"; // v4, AS 65001, hold 90, id 10.0.0.1

} // namespace

class TstCodec : public QObject
{
    Q_OBJECT
private slots:
    void decode_data()
    {
        QTest::addColumn<QByteArray>("raw");
        QTest::addColumn<int>("error"); // CodecError, 0 = decodes
        QTest::addColumn<QString>("value");
        auto ok = [](const char *name, QByteArray raw, const char *value) {
            QTest::newRow(name) << raw << 0 << QString(value);
        };
        auto bad = [](const char *name, QByteArray raw, CodecError e) {
            QTest::newRow(name) << raw << int(e) << QString();
        };
        QByteArray marker(16, char(0xff));

        ok("keepalive", bgpMessage(4, {}), "KEEPALIVE");
        bad("keepalive-overlong", bgpMessage(4, hexBytes("00")), CodecError::BadMessageLength);
        bad("header-truncated", marker + hexBytes("00"), CodecError::HeaderTruncated);
        bad("empty", QByteArray(), CodecError::HeaderTruncated);
        bad("bad-marker", QByteArray(15, char(0xff)) + hexBytes("fe 0013 04"), CodecError::BadMarker);
        bad("length-below-19", marker + hexBytes("0012 04"), CodecError::BadMessageLength);
        bad("length-above-4096", marker + hexBytes("1001 04"), CodecError::BadMessageLength);
        bad("type-0", marker + hexBytes("0013 00"), CodecError::BadMessageType);
        bad("type-6", marker + hexBytes("0013 06"), CodecError::BadMessageType);
        bad("length-field-longer-than-buffer", marker + hexBytes("0014 04"), CodecError::LengthMismatch);
        bad("buffer-longer-than-length-field", marker + hexBytes("0013 04 00"), CodecError::LengthMismatch);

        // OPEN: capabilities packed in one optional parameter, or one parameter each.
        ok("open-caps-one-parameter",
           bgpMessage(1, hexBytes(kOpenFixed) + hexBytes("16 02 14 0104 00010001 0104 00020001 0200 4104 fabc1234")),
           "OPEN as 65001 hold 90 id 10.0.0.1 mp 1/1 mp 2/1 rr as4 4206629428");
        ok("open-caps-parameter-each",
           bgpMessage(1, hexBytes(kOpenFixed) + hexBytes("1c 0206 0104 00010001 0206 0104 00020001 0202 0200 0206 4104 fabc1234")),
           "OPEN as 65001 hold 90 id 10.0.0.1 mp 1/1 mp 2/1 rr as4 4206629428");
        ok("open-no-parameters", bgpMessage(1, hexBytes(kOpenFixed) + hexBytes("00")), "OPEN as 65001 hold 90 id 10.0.0.1");
        ok("open-graceful-restart", bgpMessage(1, hexBytes(kOpenFixed) + hexBytes("0a 02 08 4006 c078 00010180")),
           "OPEN as 65001 hold 90 id 10.0.0.1 gr 120 R N 1/1F");
        ok("open-old-route-refresh-code-128", bgpMessage(1, hexBytes(kOpenFixed) + hexBytes("04 02 02 8000")),
           "OPEN as 65001 hold 90 id 10.0.0.1 rr");
        ok("open-unknown-capability-kept", bgpMessage(1, hexBytes(kOpenFixed) + hexBytes("05 02 03 4701 00")),
           "OPEN as 65001 hold 90 id 10.0.0.1 cap71[1]");
        ok("open-hold-zero", bgpMessage(1, hexBytes("04 fde9 0000 0a000001 00")), "OPEN as 65001 hold 0 id 10.0.0.1");
        bad("open-version-3", bgpMessage(1, hexBytes("03 fde9 005a 0a000001 00")), CodecError::UnsupportedVersion);
        bad("open-hold-1", bgpMessage(1, hexBytes("04 fde9 0001 0a000001 00")), CodecError::UnacceptableHoldTime);
        bad("open-hold-2", bgpMessage(1, hexBytes("04 fde9 0002 0a000001 00")), CodecError::UnacceptableHoldTime);
        bad("open-bgp-id-zero", bgpMessage(1, hexBytes("04 fde9 005a 00000000 00")), CodecError::BadBgpIdentifier);
        bad("open-too-short-for-fixed-part", bgpMessage(1, hexBytes("04 fde9 005a 0a0000")), CodecError::BadMessageLength);
        bad("open-opt-length-overruns", bgpMessage(1, hexBytes(kOpenFixed) + hexBytes("08 02 02 0200")),
            CodecError::OptionalParametersOverrun);
        bad("open-opt-length-short", bgpMessage(1, hexBytes(kOpenFixed) + hexBytes("02 02 02 0200")),
            CodecError::OptionalParametersOverrun);
        bad("open-parameter-overruns", bgpMessage(1, hexBytes(kOpenFixed) + hexBytes("04 02 05 0200")),
            CodecError::OptionalParametersOverrun);
        bad("open-capability-overruns-parameter", bgpMessage(1, hexBytes(kOpenFixed) + hexBytes("04 02 02 0104")),
            CodecError::CapabilityOverrun);
        bad("open-capability-header-cut", bgpMessage(1, hexBytes(kOpenFixed) + hexBytes("03 02 01 01")),
            CodecError::CapabilityOverrun);
        bad("open-multiprotocol-length-3", bgpMessage(1, hexBytes(kOpenFixed) + hexBytes("07 02 05 0103 000100")),
            CodecError::CapabilityMalformed);
        bad("open-as4-length-2", bgpMessage(1, hexBytes(kOpenFixed) + hexBytes("06 02 04 4102 fde9")),
            CodecError::CapabilityMalformed);
        bad("open-route-refresh-with-value", bgpMessage(1, hexBytes(kOpenFixed) + hexBytes("05 02 03 0201 00")),
            CodecError::CapabilityMalformed);
        bad("open-graceful-restart-odd-length", bgpMessage(1, hexBytes(kOpenFixed) + hexBytes("07 02 05 4003 007800")),
            CodecError::CapabilityMalformed);
        bad("open-authentication-parameter", bgpMessage(1, hexBytes(kOpenFixed) + hexBytes("03 01 01 00")),
            CodecError::UnsupportedOptionalParameter);

        // UPDATE
        ok("update-end-of-rib", bgpMessage(2, hexBytes("0000 0000")), "UPDATE end-of-rib");
        ok("update-nlri", bgpMessage(2, hexBytes("0000 0004 40010100 18c00002 10ac10 00")),
           "UPDATE withdrawn [] attrs 4 nlri [192.0.2.0/24,172.16.0.0/16,0.0.0.0/0]");
        ok("update-withdrawn", bgpMessage(2, hexBytes("0006 18c00002 08 0a 0000")),
           "UPDATE withdrawn [192.0.2.0/24,10.0.0.0/8] attrs 0 nlri []");
        ok("update-host-bits-masked", bgpMessage(2, hexBytes("0000 0000 17c00003")),
           "UPDATE withdrawn [] attrs 0 nlri [192.0.2.0/23]");
        ok("update-host-route", bgpMessage(2, hexBytes("0000 0000 20c0000201")),
           "UPDATE withdrawn [] attrs 0 nlri [192.0.2.1/32]");
        bad("update-too-short", bgpMessage(2, hexBytes("0000")), CodecError::BadMessageLength);
        bad("update-withdrawn-overruns", bgpMessage(2, hexBytes("0009 18c00002 0000")), CodecError::WithdrawnRoutesOverrun);
        bad("update-attributes-overrun", bgpMessage(2, hexBytes("0000 0009 40010100")), CodecError::PathAttributesOverrun);
        bad("update-prefix-length-33", bgpMessage(2, hexBytes("0000 0000 21c0000201ff")), CodecError::InvalidNetworkField);
        bad("update-prefix-cut-short", bgpMessage(2, hexBytes("0000 0000 18c000")), CodecError::InvalidNetworkField);
        bad("update-withdrawn-prefix-cut-short", bgpMessage(2, hexBytes("0003 18c000 0000")), CodecError::InvalidNetworkField);

        // NOTIFICATION, ROUTE-REFRESH
        ok("notification-cease", bgpMessage(3, hexBytes("0602")), "NOTIFICATION 6/2 data 0");
        ok("notification-with-data", bgpMessage(3, hexBytes("0202 fde9")), "NOTIFICATION 2/2 data 2");
        bad("notification-without-subcode", bgpMessage(3, hexBytes("06")), CodecError::BadMessageLength);
        ok("route-refresh-ipv6", bgpMessage(5, hexBytes("0002 00 01")), "ROUTE-REFRESH 2/1");
        bad("route-refresh-short", bgpMessage(5, hexBytes("0002 00")), CodecError::RouteRefreshLength);
        bad("route-refresh-overlong", bgpMessage(5, hexBytes("0002 00 01 00")), CodecError::RouteRefreshLength);
    }

    void decode()
    {
        QFETCH(QByteArray, raw);
        QFETCH(int, error);
        QFETCH(QString, value);
        std::error_code ec;
        Message m = decodeMessage(bytesOf(raw), ec);
        if (error) {
            QCOMPARE(ec, std::error_code(CodecError(error)));
            QVERIFY(!ec.message().empty());
            QVERIFY(notificationFor(ec).code != 0); // every error has a NOTIFICATION
            return;
        }
        QVERIFY2(!ec, ec.message().c_str());
        QCOMPARE(describe(m), value);
    }

    void frameLength_data()
    {
        QTest::addColumn<QByteArray>("stream");
        QTest::addColumn<int>("length");
        QTest::addColumn<int>("error");
        QByteArray ka = bgpMessage(4, {});
        QTest::newRow("empty") << QByteArray() << 0 << 0;
        QTest::newRow("partial-header") << ka.left(10) << 0 << 0;
        QTest::newRow("whole-keepalive") << ka << 19 << 0;
        QTest::newRow("two-messages") << ka + ka << 19 << 0;
        QTest::newRow("header-of-longer-message") << bgpMessage(3, hexBytes("0602")).left(19) << 0 << 0;
        QTest::newRow("bad-marker") << QByteArray(19, 0) << 0 << int(CodecError::BadMarker);
        QTest::newRow("length-5000") << QByteArray(16, char(0xff)) + hexBytes("1388 02") << 0 << int(CodecError::BadMessageLength);
    }
    void frameLength()
    {
        QFETCH(QByteArray, stream);
        QFETCH(int, length);
        QFETCH(int, error);
        std::error_code ec;
        QCOMPARE(int(bgp::frameLength(bytesOf(stream), ec)), length);
        QCOMPARE(ec.value(), error);
    }

    void openRoundTrip_data()
    {
        QTest::addColumn<bool>("oneParameter");
        QTest::newRow("one-parameter") << true;
        QTest::newRow("parameter-each") << false;
    }
    void openRoundTrip()
    {
        QFETCH(bool, oneParameter);
        OpenMessage o;
        o.myAs = kAsTrans;
        o.holdTime = 30;
        o.bgpId = 0x0a000001;
        o.caps.multiprotocol = {{Afi::Ipv4, 1}, {Afi::Ipv6, 1}};
        o.caps.routeRefresh = true;
        o.caps.fourOctetAs = 4200000001u;
        o.caps.gracefulRestart = GracefulRestartCapability{false, true, 120, {{{Afi::Ipv4, 1}, true}}};
        std::vector<uint8_t> out;
        encodeOpen(o, out, oneParameter ? CapabilityPacking::OneParameter : CapabilityPacking::ParameterEach);
        std::error_code ec;
        auto m = decodeMessage(out, ec);
        QVERIFY(!ec);
        QVERIFY(std::get<OpenMessage>(m) == o);
        QCOMPARE(std::get<OpenMessage>(m).effectiveAs(), 4200000001u);
    }

    void updateRoundTrip()
    {
        std::vector<Prefix> w{*Prefix::parse("10.0.0.0/8")}, n{*Prefix::parse("192.0.2.0/24"), *Prefix::parse("0.0.0.0/0")};
        std::vector<uint8_t> attrs{0x40, 1, 1, 0};
        std::vector<uint8_t> out;
        encodeUpdate(w, attrs, n, out);
        std::error_code ec;
        auto m = decodeMessage(out, ec);
        QVERIFY(!ec);
        auto &u = std::get<UpdateView>(m);
        QVERIFY(u.withdrawn == w);
        QVERIFY(u.nlri == n);
        QCOMPARE(u.attributes.size(), size_t(4));
    }

    void otherRoundTrips()
    {
        std::vector<uint8_t> out;
        encodeKeepalive(out);
        encodeNotification({6, 2, {1, 2}}, out);
        encodeRouteRefresh({{Afi::Ipv6, 1}, 0}, out);
        std::error_code ec;
        size_t off = 0;
        QStringList seen;
        while (off < out.size()) {
            std::span<const uint8_t> rest(out.data() + off, out.size() - off);
            size_t len = bgp::frameLength(rest, ec);
            QVERIFY(len > 0 && !ec);
            seen << describe(decodeMessage(rest.first(len), ec));
            QVERIFY(!ec);
            off += len;
        }
        QCOMPARE(seen, QStringList({"KEEPALIVE", "NOTIFICATION 6/2 data 2", "ROUTE-REFRESH 2/1"}));
    }

    void notificationMapping_data()
    {
        QTest::addColumn<int>("error");
        QTest::addColumn<int>("code");
        QTest::addColumn<int>("subcode");
        QTest::newRow("bad-marker") << int(CodecError::BadMarker) << 1 << 1;
        QTest::newRow("bad-length") << int(CodecError::BadMessageLength) << 1 << 2;
        QTest::newRow("bad-type") << int(CodecError::BadMessageType) << 1 << 3;
        QTest::newRow("version") << int(CodecError::UnsupportedVersion) << 2 << 1;
        QTest::newRow("bgp-id") << int(CodecError::BadBgpIdentifier) << 2 << 3;
        QTest::newRow("opt-param") << int(CodecError::UnsupportedOptionalParameter) << 2 << 4;
        QTest::newRow("hold-time") << int(CodecError::UnacceptableHoldTime) << 2 << 6;
        QTest::newRow("attr-list") << int(CodecError::PathAttributesOverrun) << 3 << 1;
        QTest::newRow("network-field") << int(CodecError::InvalidNetworkField) << 3 << 10;
        QTest::newRow("refresh-length") << int(CodecError::RouteRefreshLength) << 7 << 1;
    }
    void notificationMapping()
    {
        QFETCH(int, error);
        QFETCH(int, code);
        QFETCH(int, subcode);
        auto n = notificationFor(CodecError(error));
        QCOMPARE(int(n.code), code);
        QCOMPARE(int(n.subcode), subcode);
    }

    void prefixParse_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("printed");
        QTest::newRow("ipv4") << "10.1.0.0/16" << "10.1.0.0/16";
        QTest::newRow("ipv4-host-bits") << "10.1.2.3/16" << "10.1.0.0/16";
        QTest::newRow("ipv6") << "2001:db8::/32" << "2001:db8::/32";
        QTest::newRow("ipv6-host-bits") << "2001:db8::1/64" << "2001:db8::/64";
        QTest::newRow("ipv4-33") << "10.0.0.0/33" << "";
        QTest::newRow("ipv6-129") << "::/129" << "";
        QTest::newRow("no-length") << "10.0.0.0" << "";
        QTest::newRow("junk-length") << "10.0.0.0/2x" << "";
        QTest::newRow("empty-length") << "10.0.0.0/" << "";
    }
    void prefixParse()
    {
        QFETCH(QString, text);
        QFETCH(QString, printed);
        auto p = Prefix::parse(text.toStdString());
        QCOMPARE(p ? QString::fromStdString(p->toString()) : QString(), printed);
    }
};



QTEST_GUILESS_MAIN(TstCodec)
#include "tst_codec.moc"
