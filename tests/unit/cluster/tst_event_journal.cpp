// The change journal behind /events: resume without gaps or duplicates.
#include "cluster/event_journal.h"

#include <QtTest>

using namespace midonet::cluster;

namespace {
ChangeEvent ev(uint64_t v) { return ChangeEvent{v, "bridges", "id" + std::to_string(v), "update", nullptr, ""}; }
} // namespace

class TstEventJournal : public QObject
{
    Q_OBJECT
private slots:
    void resumeGetsExactlyTheMissedChanges()
    {
        EventJournal j(100);
        j.start(10);
        for (uint64_t v = 11; v <= 20; ++v) j.append(ev(v));
        std::vector<uint64_t> live;
        auto b = j.subscribe(15, [&](const ChangeEvent &e) { live.push_back(e.version); });
        QVERIFY(b.complete);
        QCOMPARE(b.events.size(), size_t(5));
        QCOMPARE(b.events.front().version, uint64_t(16));
        j.append(ev(21));
        j.append(ev(21)); // duplicate delivery ignored
        QCOMPARE(live, (std::vector<uint64_t>{21}));
        j.unsubscribe(b.subscription);
        j.append(ev(22));
        QCOMPARE(live.size(), size_t(1));
    }
    void tooOldIsIncomplete()
    {
        EventJournal j(3);
        j.start(0);
        for (uint64_t v = 1; v <= 10; ++v) j.append(ev(v));
        auto b = j.subscribe(2, [](const ChangeEvent &) {});
        QVERIFY(!b.complete);
        QCOMPARE(b.events.size(), size_t(3));
        auto c = j.subscribe(7, [](const ChangeEvent &) {});
        QVERIFY(c.complete);
        QCOMPARE(c.events.size(), size_t(3));
    }
    void beforeStartIsIncomplete()
    {
        EventJournal j(10);
        j.start(100);
        QVERIFY(!j.subscribe(50, [](const ChangeEvent &) {}).complete);
        QVERIFY(j.subscribe(100, [](const ChangeEvent &) {}).complete);
    }
};

QTEST_GUILESS_MAIN(TstEventJournal)
#include "tst_event_journal.moc"
