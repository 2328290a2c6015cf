// When an agent forgets the MAC and ARP entries it knows (agent/state/learned_state.h): a MAC
// stays while frames from it flow and goes macExpiry after; one re-learned on another host is
// never removed from here; stale ARP entries refresh their flows once; expired ones go.
#include "agent/state/learned_state.h"

#include <QtTest>

#include <set>

using namespace midonet;
using agent::LearnedStateExpiry;
using flow::FlowTag;

namespace {
const util::Uuid kBridge = *util::Uuid::parse("00000000-0000-0000-0000-0000000000b1");
const util::Uuid kRouter = *util::Uuid::parse("00000000-0000-0000-0000-0000000000a1");
const util::Uuid kPort1 = *util::Uuid::parse("00000000-0000-0000-0000-000000000001");
const util::Uuid kPort2 = *util::Uuid::parse("00000000-0000-0000-0000-000000000002");
const util::MacAddress kMac = *util::MacAddress::parse("52:54:00:00:00:01");
const util::MacAddress kMac2 = *util::MacAddress::parse("52:54:00:00:00:02");
const util::IPv4Address kIp = *util::IPv4Address::parse("10.0.0.1");

// Flows the test pretends are installed, by tag.
struct Flows {
    std::set<std::string> tags;
    bool operator()(const FlowTag &t) const { return tags.count(t.toString()) != 0; }
};
} // namespace

class TstLearnedState : public QObject {
    Q_OBJECT

    static sim::MacLearned learned(util::Uuid port = kPort1) { return {kBridge, 0, kMac, port}; }
    static void apply(sim::StateTables &st, const std::vector<sim::StateChange> &cs, uint64_t now)
    {
        for (const auto &c : cs) st.apply(c, now);
    }

private slots:
    void macLivesWhileItsFlowsDoAndGoesAfter()
    {
        LearnedStateExpiry e(1000);
        sim::StateTables st;
        st.apply({learned()}, 0);
        e.learnedMac(learned(), 0);
        Flows flows;
        flows.tags.insert(FlowTag::macSource(kBridge, kMac, 0, kPort1).toString());
        // Frames keep coming for 10 s: never forgotten.
        for (uint64_t t = 0; t <= 10'000; t += 500) QVERIFY(e.sweep(t, st, flows).forget.empty());
        // Its flows go at 10 s: still there 0.9 s later, forgotten at 1 s.
        flows.tags.clear();
        QVERIFY(e.sweep(10'900, st, flows).forget.empty());
        auto due = e.sweep(11'000, st, flows);
        QCOMPARE(due.forget.size(), size_t(1));
        QVERIFY(std::holds_alternative<sim::MacForgotten>(due.forget[0].change));
        QCOMPARE(due.unpublishMacs.size(), size_t(1));
        QCOMPARE(due.unpublishMacs[0].port, kPort1);
        apply(st, due.forget, 11'000);
        QVERIFY(st.macPort(kBridge, 0, kMac) == nullptr);
        QCOMPARE(e.ownedMacs(), size_t(0));
    }

    // Flows going TO the MAC do not keep it: a VM that left must not stay learned because
    // somebody still sends to it.
    void trafficToTheMacDoesNotKeepIt()
    {
        LearnedStateExpiry e(1000);
        sim::StateTables st;
        st.apply({learned()}, 0);
        e.learnedMac(learned(), 0);
        Flows flows;
        flows.tags.insert(FlowTag::vlanPort(kBridge, kMac, 0, kPort1).toString());
        QCOMPARE(e.sweep(1000, st, flows).forget.size(), size_t(1));
    }

    // The MAC moved: another host re-learned it on its port. Ours is no longer the entry, so
    // nothing is forgotten or removed from the NSDB by us.
    void macRelearnedElsewhereIsNotRemoved()
    {
        LearnedStateExpiry e(1000);
        sim::StateTables st;
        st.apply({learned()}, 0);
        e.learnedMac(learned(), 0);
        e.remoteMac(learned(kPort2));
        st.apply({learned(kPort2)}, 100);
        auto due = e.sweep(5000, st, Flows{});
        QVERIFY(due.forget.empty());
        QVERIFY(due.unpublishMacs.empty());
        QCOMPARE(e.ownedMacs(), size_t(0));
        // Our own write echoed back by the NSDB watch keeps it ours.
        e.learnedMac({kBridge, 0, kMac2, kPort1}, 0);
        st.apply({sim::MacLearned{kBridge, 0, kMac2, kPort1}}, 0);
        e.remoteMac({kBridge, 0, kMac2, kPort1});
        QCOMPARE(e.sweep(5000, st, Flows{}).unpublishMacs.size(), size_t(1));
    }

    // A forgotten MAC from another host only goes if it still points at the port it named.
    void forgettingAMovedMacKeepsTheNewPort()
    {
        sim::StateTables st;
        st.apply({learned(kPort2)}, 0);
        st.apply({sim::MacForgotten{kBridge, 0, kMac, kPort1}}, 0);
        QVERIFY(st.macPort(kBridge, 0, kMac) && *st.macPort(kBridge, 0, kMac) == kPort2);
    }

    void arpStaleRefreshesOnceThenExpires()
    {
        LearnedStateExpiry e;
        sim::StateTables st;
        st.arpStaleMs = 1000;
        st.arpExpiryMs = 3000;
        const sim::ArpLearned a{kRouter, kIp, kMac};
        st.apply({a}, 0);
        e.learnedArp(a);
        Flows flows;
        flows.tags.insert(FlowTag::arpEntry(kRouter, kIp).toString());
        QVERIFY(e.sweep(500, st, flows).refresh.empty());
        QCOMPARE(e.sweep(1000, st, flows).refresh.size(), size_t(1)); // stale: re-simulate once
        QVERIFY(e.sweep(1500, st, flows).refresh.empty());
        // Answered again at 2 s: fresh until 3 s, stale again then, refreshed once more.
        st.apply({a}, 2000);
        QVERIFY(e.sweep(2500, st, flows).refresh.empty());
        QCOMPARE(e.sweep(3000, st, flows).refresh.size(), size_t(1));
        // No answer: expired at 5 s, forgotten and removed from the NSDB (we wrote it).
        auto due = e.sweep(5000, st, flows);
        QCOMPARE(due.forget.size(), size_t(1));
        QVERIFY(std::holds_alternative<sim::ArpForgotten>(due.forget[0].change));
        QCOMPARE(due.unpublishArps.size(), size_t(1));
        apply(st, due.forget, 5000);
        QVERIFY(st.arp(kRouter, kIp) == nullptr);
    }

    // An entry another agent wrote expires here too, but only its writer removes it.
    void arpLearnedElsewhereIsNotUnpublished()
    {
        LearnedStateExpiry e;
        sim::StateTables st;
        st.arpStaleMs = 1000;
        st.arpExpiryMs = 2000;
        st.apply({sim::ArpLearned{kRouter, kIp, kMac}}, 0);
        auto due = e.sweep(2000, st, Flows{});
        QCOMPARE(due.forget.size(), size_t(1));
        QVERIFY(due.unpublishArps.empty());
    }
};

QTEST_GUILESS_MAIN(TstLearnedState)
#include "tst_learned_state.moc"
