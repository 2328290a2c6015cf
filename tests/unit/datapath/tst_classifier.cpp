// The megaflow classifier against a trivial linear reference: after every insert and remove,
// every probe key gets the same answer (the same highest priority, a rule that matches), and
// the classifier's internal invariants hold.
#include "agent/datapath/userspace/classifier.h"

#include <QtTest/QtTest>

#include <random>

using namespace midonet::flow;
using namespace midonet::dp::userspace;

namespace {

// The linear reference: scan everything.
struct Linear {
    std::vector<ClassifierRule *> rules;
    // Highest priority among matching rules, or INT32_MIN when none matches.
    int best(const FlowKey &k) const
    {
        int b = INT32_MIN;
        for (auto *r : rules)
            if (r->match.matches(k))
                b = std::max(b, r->priority);
        return b;
    }
};

// A small key space, so random keys and rules collide and overlap often.
FlowKey randomKey(std::mt19937 &rng)
{
    FlowKey k;
    k.inPort = rng() % 3 + 1;
    k.ethType = rng() % 4 ? kEthTypeIpv4 : kEthTypeArp;
    if (k.isIpv4()) {
        k.ipProto = rng() % 2 ? kIpProtoUdp : kIpProtoTcp;
        k.ipv4Src.value = 0x0a000000u | (rng() % 4);
        k.ipv4Dst.value = 0x0a000000u | (rng() % 4) << 8 | (rng() % 4);
        k.tpSrc = uint16_t(1000 + rng() % 3);
        k.tpDst = uint16_t(80 + rng() % 3);
    } else {
        k.arpOp = uint16_t(rng() % 2 + 1);
        k.arpTip.value = 0x0a000000u | (rng() % 4);
    }
    k.ethSrc = MacAddress::fromU64(0x020000000000ULL | (rng() % 3));
    return k;
}

FlowMask randomMask(std::mt19937 &rng, int distinctMasks)
{
    // A fixed menu of masks; distinctMasks picks how much of it is used.
    int which = int(rng() % unsigned(distinctMasks));
    FlowMask m;
    switch (which % 8) {
    case 0: m.mark(Field::InPort); break;
    case 1: m.mark(Field::InPort).mark(Field::EthType); break;
    case 2: m.mark(Field::EthType).mark(Field::IpProto).mark(Field::TpDst); break;
    case 3: m.mark(Field::EthType).markIpv4DstPrefix(24); break;
    case 4: m.mark(Field::EthType).markIpv4DstPrefix(30).mark(Field::IpProto); break;
    case 5: m.mark(Field::InPort).mark(Field::EthSrc).mark(Field::EthType).mark(Field::Ipv4Src); break;
    case 6: m = FlowMask::exact(); m.bits.icmpId = 0; break;
    case 7: m.mark(Field::EthType).mark(Field::ArpOp).mark(Field::ArpTip); break;
    }
    return m;
}

} // namespace

class TestClassifier : public QObject {
    Q_OBJECT

private slots:
    void emptyMatchesNothing()
    {
        Classifier c;
        std::mt19937 rng(1);
        QVERIFY(!c.lookup(randomKey(rng)));
        QVERIFY(c.checkInvariants().empty());
    }

    void catchAllMatchesEverything()
    {
        Classifier c;
        ClassifierRule any{FlowMatch(FlowKey{}, FlowMask{}), 0};
        QVERIFY(!c.insert(&any));
        std::mt19937 rng(2);
        for (int i = 0; i < 100; ++i)
            QCOMPARE(c.lookup(randomKey(rng)), &any);
    }

    void duplicateInsertReturnsExisting()
    {
        Classifier c;
        FlowKey k;
        k.inPort = 1;
        ClassifierRule a{FlowMatch(k, FlowMask().mark(Field::InPort)), 5};
        ClassifierRule b = a;
        QVERIFY(!c.insert(&a));
        QCOMPARE(c.insert(&b), &a);
        QCOMPARE(c.size(), size_t(1));
        QCOMPARE(c.find(a.match, 5), &a);
        QVERIFY(!c.find(a.match, 4));
    }

    void higherPriorityWinsAcrossMasks()
    {
        Classifier c;
        FlowKey k;
        k.inPort = 1;
        k.ethType = kEthTypeIpv4;
        k.ipv4Dst.value = 0x0a000102;
        ClassifierRule wide{FlowMatch(k, FlowMask().mark(Field::InPort)), 1};
        ClassifierRule narrow{FlowMatch(k, FlowMask().mark(Field::InPort).mark(Field::EthType)
                                                .markIpv4DstPrefix(24)),
                              10};
        c.insert(&wide);
        c.insert(&narrow);
        QCOMPARE(c.lookup(k), &narrow);
        FlowKey other = k;
        other.ipv4Dst.value = 0x0b000000;
        QCOMPARE(c.lookup(other), &wide);
        c.remove(&narrow);
        QCOMPARE(c.lookup(k), &wide);
        QVERIFY(c.checkInvariants().empty());
    }

    void equalPriorityStopsAtFirstHit()
    {
        // The datapath's case: all priorities equal, so one probe per subtable until a hit.
        Classifier c;
        std::vector<std::unique_ptr<ClassifierRule>> rules;
        for (uint32_t port = 1; port <= 8; ++port) {
            FlowKey k;
            k.inPort = port;
            FlowMask m;
            m.mark(Field::InPort);
            if (port % 2)
                m.mark(Field::EthType);
            k.ethType = kEthTypeIpv4;
            rules.push_back(std::make_unique<ClassifierRule>(ClassifierRule{FlowMatch(k, m), 0}));
            c.insert(rules.back().get());
        }
        QCOMPARE(c.subtableCount(), size_t(2));
        FlowKey k;
        k.inPort = 3;
        k.ethType = kEthTypeIpv4;
        for (int i = 0; i < 100; ++i)
            c.lookup(k);
        c.resort(); // the busy mask goes first
        int probes = 0;
        QCOMPARE(c.lookup(k, &probes), rules[2].get());
        QCOMPARE(probes, 1);
    }

    void randomAgainstLinear_data()
    {
        QTest::addColumn<unsigned>("seed");
        QTest::addColumn<int>("masks");
        QTest::addColumn<int>("priorities");
        QTest::addColumn<int>("operations");
        QTest::newRow("one-mask-one-priority") << 11u << 1 << 1 << 300;
        QTest::newRow("few-masks-one-priority") << 12u << 3 << 1 << 400;
        QTest::newRow("all-masks-one-priority") << 13u << 8 << 1 << 600;
        QTest::newRow("all-masks-three-priorities") << 14u << 8 << 3 << 600;
        QTest::newRow("all-masks-many-priorities") << 15u << 8 << 50 << 800;
        QTest::newRow("overlap-heavy") << 16u << 4 << 2 << 1000;
    }

    void randomAgainstLinear()
    {
        QFETCH(unsigned, seed);
        QFETCH(int, masks);
        QFETCH(int, priorities);
        QFETCH(int, operations);
        std::mt19937 rng(seed);
        Classifier c;
        Linear ref;
        std::vector<std::unique_ptr<ClassifierRule>> owned;
        std::vector<FlowKey> probes;
        for (int i = 0; i < 64; ++i)
            probes.push_back(randomKey(rng));

        for (int op = 0; op < operations; ++op) {
            bool insert = ref.rules.empty() || rng() % 3 != 0;
            if (insert) {
                auto r = std::make_unique<ClassifierRule>();
                r->match = FlowMatch(randomKey(rng), randomMask(rng, masks));
                r->priority = int(rng() % unsigned(priorities));
                ClassifierRule *existing = c.insert(r.get());
                bool refHas = std::any_of(ref.rules.begin(), ref.rules.end(), [&](auto *x) {
                    return x->match == r->match && x->priority == r->priority;
                });
                QCOMPARE(existing != nullptr, refHas);
                if (!existing) {
                    ref.rules.push_back(r.get());
                    owned.push_back(std::move(r));
                }
            } else {
                size_t i = rng() % ref.rules.size();
                QVERIFY(c.remove(ref.rules[i]));
                QVERIFY(!c.remove(ref.rules[i])); // twice: not there any more
                ref.rules.erase(ref.rules.begin() + long(i));
            }
            std::string bad = c.checkInvariants();
            QVERIFY2(bad.empty(), bad.c_str());
            QCOMPARE(c.size(), ref.rules.size());
            if (op % 7 == 0)
                c.resort();
            for (const FlowKey &k : probes) {
                ClassifierRule *got = c.lookup(k);
                int want = ref.best(k);
                if (want == INT32_MIN) {
                    QVERIFY2(!got, k.toString().c_str());
                } else {
                    QVERIFY2(got, k.toString().c_str());
                    QVERIFY(got->match.matches(k));
                    QCOMPARE(got->priority, want);
                }
            }
        }
    }
};

QTEST_GUILESS_MAIN(TestClassifier)
#include "tst_classifier.moc"
