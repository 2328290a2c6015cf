// Path attributes: named raw attribute blocks with the RFC 7606 action, the first problem and
// the attributes kept; encode/decode round trips including AS_TRANS/AS4_PATH (RFC 6793).
#include "gateway/bgp/attributes.h"

#include "tests/unit/gateway/hex.h"

#include <QtTest>

#include <algorithm>
#include <array>
#include <set>

using namespace midonet::gateway::bgp;

namespace {
// Well-formed pieces, 4-octet AS session.
const char *kOrigin = "40 01 01 00";
const char *kPath4 = "40 02 06 02 01 0000fdea";   // AS_SEQUENCE 65002
const char *kPath2 = "40 02 04 02 01 fdea";        // same on a 2-octet session
const char *kNextHop = "40 03 04 0a000001";        // 10.0.0.1
QByteArray good4() { return hexBytes(kOrigin) + hexBytes(kPath4) + hexBytes(kNextHop); }
} // namespace

class TstAttributes : public QObject
{
    Q_OBJECT
private slots:
    void decode_data()
    {
        QTest::addColumn<QByteArray>("raw");
        QTest::addColumn<bool>("fourOctet");
        QTest::addColumn<bool>("ebgp");
        QTest::addColumn<bool>("hasNlri");
        QTest::addColumn<int>("action");  // ErrorAction
        QTest::addColumn<int>("problem"); // first AttributeError, 0 = none
        QTest::addColumn<QString>("kept");
        using A = ErrorAction;
        using E = AttributeError;
        auto row = [](const char *name, QByteArray raw, A a, int e, const char *kept, bool four = true,
                      bool ebgp = true, bool nlri = true) {
            QTest::newRow(name) << raw << four << ebgp << nlri << int(a) << e << QString(kept);
        };
        const char *base = "origin igp, as-path 65002, next-hop 10.0.0.1";
        row("well-formed", good4(), A::None, 0, base);
        row("with-med", good4() + hexBytes("80 04 04 00000005"), A::None, 0,
            "origin igp, as-path 65002, next-hop 10.0.0.1, med 5");
        row("extended-length-origin", hexBytes("50 01 0001 00") + hexBytes(kPath4) + hexBytes(kNextHop), A::None, 0, base);
        row("empty-block-withdraw-only", QByteArray(), A::None, 0, "", true, true, false);
        // RFC 7606 §7.1 ORIGIN
        row("origin-length-2", hexBytes("40 01 02 0000") + hexBytes(kPath4) + hexBytes(kNextHop), A::TreatAsWithdraw,
            int(E::BadLength), "as-path 65002, next-hop 10.0.0.1");
        row("origin-value-3", hexBytes("40 01 01 03") + hexBytes(kPath4) + hexBytes(kNextHop), A::TreatAsWithdraw,
            int(E::BadOrigin), "origin ?, as-path 65002, next-hop 10.0.0.1");
        row("origin-marked-optional", hexBytes("c0 01 01 00") + hexBytes(kPath4) + hexBytes(kNextHop),
            A::TreatAsWithdraw, int(E::FlagsMismatch), "as-path 65002, next-hop 10.0.0.1");
        // §7.2 AS_PATH
        row("as-path-segment-type-5", hexBytes(kOrigin) + hexBytes("40 02 06 05 01 0000fdea") + hexBytes(kNextHop),
            A::TreatAsWithdraw, int(E::MalformedAsPath), "origin igp, next-hop 10.0.0.1");
        row("as-path-segment-overruns", hexBytes(kOrigin) + hexBytes("40 02 06 02 02 0000fdea") + hexBytes(kNextHop),
            A::TreatAsWithdraw, int(E::MalformedAsPath), "origin igp, next-hop 10.0.0.1");
        row("as-path-empty-segment", hexBytes(kOrigin) + hexBytes("40 02 02 02 00") + hexBytes(kNextHop),
            A::TreatAsWithdraw, int(E::MalformedAsPath), "origin igp, next-hop 10.0.0.1");
        row("as-path-2-octet-on-4-octet-session", hexBytes(kOrigin) + hexBytes(kPath2) + hexBytes(kNextHop),
            A::TreatAsWithdraw, int(E::MalformedAsPath), "origin igp, next-hop 10.0.0.1");
        // §7.3 NEXT_HOP
        row("next-hop-length-5", hexBytes(kOrigin) + hexBytes(kPath4) + hexBytes("40 03 05 0a00000100"),
            A::TreatAsWithdraw, int(E::BadLength), "origin igp, as-path 65002");
        row("next-hop-zero", hexBytes(kOrigin) + hexBytes(kPath4) + hexBytes("40 03 04 00000000"), A::TreatAsWithdraw,
            int(E::BadNextHop), "origin igp, as-path 65002, next-hop 0.0.0.0");
        row("next-hop-multicast", hexBytes(kOrigin) + hexBytes(kPath4) + hexBytes("40 03 04 e0000001"),
            A::TreatAsWithdraw, int(E::BadNextHop), "origin igp, as-path 65002, next-hop 224.0.0.1");
        // §3.d missing well-known attributes
        row("missing-next-hop", hexBytes(kOrigin) + hexBytes(kPath4), A::TreatAsWithdraw, int(E::MissingWellKnown),
            "origin igp, as-path 65002");
        row("missing-origin", hexBytes(kPath4) + hexBytes(kNextHop), A::TreatAsWithdraw, int(E::MissingWellKnown),
            "as-path 65002, next-hop 10.0.0.1");
        row("missing-all-without-nlri", hexBytes("80 04 04 00000005"), A::None, 0, "med 5", true, true, false);
        // §7.4 MED, §7.5 LOCAL_PREF
        row("med-length-2", good4() + hexBytes("80 04 02 0005"), A::TreatAsWithdraw, int(E::BadLength), base);
        row("local-pref-from-ebgp-ignored", good4() + hexBytes("40 05 04 000000c8"), A::None, 0, base);
        row("local-pref-from-ibgp", hexBytes(kOrigin) + hexBytes("40 02 00") + hexBytes(kNextHop) + hexBytes("40 05 04 000000c8"),
            A::None, 0, "origin igp, as-path (empty), next-hop 10.0.0.1, local-pref 200", true, false);
        row("local-pref-length-3", good4() + hexBytes("40 05 03 0000c8"), A::TreatAsWithdraw, int(E::BadLength), base);
        // §7.6 ATOMIC_AGGREGATE, §7.7 AGGREGATOR: attribute-discard
        row("atomic-aggregate-with-value", good4() + hexBytes("40 06 01 00"), A::AttributeDiscard, int(E::BadLength), base);
        row("aggregator-length-6-on-4-octet", good4() + hexBytes("c0 07 06 fdea 0a000001"), A::AttributeDiscard,
            int(E::BadLength), base);
        row("aggregator-ok", good4() + hexBytes("c0 07 08 0000fdea 0a000001"), A::None, 0,
            "origin igp, as-path 65002, next-hop 10.0.0.1, aggregator 65002 10.0.0.1");
        // §7.8 COMMUNITIES
        row("communities-length-3", good4() + hexBytes("c0 08 03 000102"), A::TreatAsWithdraw, int(E::BadLength), base);
        row("communities-ok", good4() + hexBytes("c0 08 04 fdea0064"), A::None, 0,
            "origin igp, as-path 65002, next-hop 10.0.0.1, communities 65002:100");
        // §3.g duplicates
        row("duplicate-med", good4() + hexBytes("80 04 04 00000005 80 04 04 00000009"), A::AttributeDiscard,
            int(E::Duplicate), "origin igp, as-path 65002, next-hop 10.0.0.1, med 5");
        row("duplicate-mp-reach", hexBytes(kOrigin) + hexBytes(kPath4) +
            hexBytes("80 0e 15 0002 01 10 20010db8000000000000000000000001 00") +
            hexBytes("80 0e 15 0002 01 10 20010db8000000000000000000000001 00"),
            A::SessionReset, int(E::DuplicateMp), "origin igp, as-path 65002, mp-reach afi 2 next-hop 2001:db8::1 nlri 0",
            true, true, false);
        // §7.11/7.12 MP_REACH / MP_UNREACH: session reset
        row("mp-reach-ipv6", hexBytes(kOrigin) + hexBytes(kPath4) +
            hexBytes("80 0e 1c 0002 01 10 20010db8000000000000000000000001 00 30 20010db80001"),
            A::None, 0, "origin igp, as-path 65002, mp-reach afi 2 next-hop 2001:db8::1 nlri 1", true, true, false);
        row("mp-reach-truncated", hexBytes(kOrigin) + hexBytes(kPath4) + hexBytes("80 0e 03 0001 01"),
            A::SessionReset, int(E::MalformedMpReach), "origin igp, as-path 65002", true, true, false);
        row("mp-reach-ipv6-next-hop-length-4", hexBytes(kOrigin) + hexBytes(kPath4) + hexBytes("80 0e 09 0002 01 04 0a000001 00"),
            A::SessionReset, int(E::MalformedMpReach), "origin igp, as-path 65002", true, true, false);
        row("mp-reach-prefix-too-long", hexBytes(kOrigin) + hexBytes(kPath4) +
            hexBytes("80 0e 17 0002 01 10 20010db8000000000000000000000001 00 81 00"),
            A::SessionReset, int(E::MalformedMpReach), "origin igp, as-path 65002", true, true, false);
        row("mp-unreach-end-of-rib", hexBytes("80 0f 03 0002 01"), A::None, 0, "mp-unreach afi 2 withdrawn 0", true, true, false);
        row("mp-unreach-prefix-cut", hexBytes("80 0f 05 0002 01 30 20"), A::SessionReset, int(E::MalformedMpUnreach), "",
            true, true, false);
        // §4 attribute length overrun
        row("attribute-overruns-block", hexBytes(kOrigin) + hexBytes(kPath4) + hexBytes("40 03 09 0a000001"),
            A::TreatAsWithdraw, int(E::AttributeOverrun), "origin igp, as-path 65002");
        row("attribute-header-cut", good4() + hexBytes("40"), A::TreatAsWithdraw, int(E::AttributeOverrun), base);
        // unknown attributes (RFC 4271 §5, §6.3)
        row("unknown-well-known", good4() + hexBytes("40 63 01 00"), A::SessionReset, int(E::UnrecognisedWellKnown), base);
        row("unknown-optional-transitive-kept", good4() + hexBytes("c0 63 01 07"), A::None, 0, base);
        row("unknown-optional-non-transitive-dropped", good4() + hexBytes("80 63 01 07"), A::None, 0, base);
        // RFC 6793: 2-octet session with AS4_PATH
        row("as4-path-merged", hexBytes(kOrigin) + hexBytes("40 02 06 02 02 fdea 5ba0") + hexBytes(kNextHop) +
            hexBytes("c0 11 06 02 01 fa56ea01"),
            A::None, 0, "origin igp, as-path 65002 4200000001, next-hop 10.0.0.1", false);
        row("as4-path-longer-than-as-path-ignored", hexBytes(kOrigin) + hexBytes(kPath2) + hexBytes(kNextHop) +
            hexBytes("c0 11 0a 02 02 fa56ea01 fa56ea02"),
            A::None, 0, base, false);
        row("as4-path-malformed-discarded", hexBytes(kOrigin) + hexBytes(kPath2) + hexBytes(kNextHop) + hexBytes("c0 11 03 02 01 00"),
            A::AttributeDiscard, int(E::MalformedAsPath), base, false);
        row("as4-path-on-4-octet-session-ignored", good4() + hexBytes("c0 11 06 02 01 fa56ea01"), A::None, 0, base);
        row("first-as-not-peer", hexBytes(kOrigin) + hexBytes("40 02 06 02 01 0000fdeb") + hexBytes(kNextHop),
            A::TreatAsWithdraw, int(E::FirstAsMismatch), "origin igp, as-path 65003, next-hop 10.0.0.1");
    }

    void decode()
    {
        QFETCH(QByteArray, raw);
        QFETCH(bool, fourOctet);
        QFETCH(bool, ebgp);
        QFETCH(bool, hasNlri);
        QFETCH(int, action);
        QFETCH(int, problem);
        QFETCH(QString, kept);
        AttributeContext ctx{fourOctet, ebgp, ebgp ? 65002u : 0u};
        auto r = decodeAttributes(bytesOf(raw), ctx, hasNlri);
        QCOMPARE(QString(toString(r.action)), QString(toString(ErrorAction(action))));
        if (problem) {
            QVERIFY(!r.problems.empty());
            QCOMPARE(r.problems.front().error, std::error_code(AttributeError(problem)));
        } else {
            QVERIFY(r.problems.empty());
        }
        if (r.action == ErrorAction::SessionReset) QCOMPARE(int(r.notification.code), 3);
        QCOMPARE(QString::fromStdString(formatAttributes(r.attrs)), kept);
    }

    void unknownTransitiveGetsPartialBit()
    {
        auto raw = good4() + hexBytes("c0 63 01 07");
        auto r = decodeAttributes(bytesOf(raw), {}, true);
        QCOMPARE(r.attrs.unrecognised.size(), size_t(1));
        QCOMPARE(int(r.attrs.unrecognised[0].flags), 0xe0);
    }

    void roundTrip_data()
    {
        QTest::addColumn<bool>("fourOctet");
        QTest::newRow("four-octet-session") << true;
        QTest::newRow("two-octet-session-as-trans") << false;
    }
    void roundTrip()
    {
        QFETCH(bool, fourOctet);
        PathAttributes a;
        a.origin = attr::OriginIgp;
        a.asPath = AsPath{{attr::AsSequence, {4200000001u, 65002}}, {attr::AsSet, {1, 2}}};
        a.nextHop = 0x0a000001;
        a.med = 7;
        a.atomicAggregate = true;
        a.aggregator = Aggregator{4200000001u, 0x0a000002};
        a.communities = std::vector<uint32_t>{0xfdea0064};
        a.mpReach = MpReach{{Afi::Ipv6, 1}, std::vector<uint8_t>(16, 0x20), {*Prefix::parse("2001:db8::/32")}};
        a.unrecognised = {{0xe0, 99, {1, 2, 3}}};
        AttributeContext ctx{fourOctet, true, 0};
        std::vector<uint8_t> out;
        encodeAttributes(a, ctx, out);
        if (!fourOctet) { // AS_TRANS in AS_PATH, the truth in AS4_PATH
            const std::array<uint8_t, 2> asTrans{0x5b, 0xa0};
            QVERIFY(std::search(out.begin(), out.end(), asTrans.begin(), asTrans.end()) != out.end());
        }
        auto r = decodeAttributes(out, ctx, true);
        QCOMPARE(QString(toString(r.action)), QString("none"));
        QCOMPARE(QString::fromStdString(formatAttributes(r.attrs)), QString::fromStdString(formatAttributes(a)));
        QVERIFY(r.attrs == a);
    }

    void longAsPathUsesExtendedLength()
    {
        PathAttributes a;
        a.origin = 0;
        a.asPath = AsPath{{attr::AsSequence, std::vector<uint32_t>(300, 65002)}};
        a.nextHop = 0x0a000001;
        std::vector<uint8_t> out;
        encodeAttributes(a, {}, out);
        auto r = decodeAttributes(out, {}, true);
        QCOMPARE(QString(toString(r.action)), QString("none"));
        QCOMPARE(asPathLength(*r.attrs.asPath), 300u);
    }

    void tableHasOneRowPerAttribute()
    {
        std::set<uint8_t> codes;
        for (auto &row : attributeTable()) {
            QVERIFY2(codes.insert(row.code).second, row.name);
            QVERIFY(row.decode && row.encode && row.format);
            QVERIFY(row.onMalformed != ErrorAction::None);
            QCOMPARE(findAttributeRow(row.code), &row);
        }
        // RFC 7606 §7: spot checks of the prescribed actions.
        QCOMPARE(findAttributeRow(attr::Origin)->onMalformed, ErrorAction::TreatAsWithdraw);
        QCOMPARE(findAttributeRow(attr::AtomicAggregate)->onMalformed, ErrorAction::AttributeDiscard);
        QCOMPARE(findAttributeRow(attr::Aggregator)->onMalformed, ErrorAction::AttributeDiscard);
        QCOMPARE(findAttributeRow(attr::MpReach)->onMalformed, ErrorAction::SessionReset);
        QCOMPARE(findAttributeRow(attr::As4Path)->onMalformed, ErrorAction::AttributeDiscard);
        QVERIFY(!findAttributeRow(99));
    }
};

QTEST_GUILESS_MAIN(TstAttributes)
#include "tst_attributes.moc"
