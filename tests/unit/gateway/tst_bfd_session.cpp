// The BFD state machine of RFC 5880 §6.2/§6.8.6 as a complete table, and two Session objects
// talking over a simulated wire in virtual time: three-way handshake, timer negotiation
// (§6.8.2/6.8.3), detection time (§6.8.4), poll sequence (§6.5), jitter (§6.8.7).
#include "gateway/bfd/session.h"

#include <QtTest>

#include <functional>
#include <set>

using namespace midonet::gateway::bfd;
using namespace std::chrono_literals;
using Clock = Session::Clock;
using Us = std::chrono::microseconds;

Q_DECLARE_METATYPE(State)
Q_DECLARE_METATYPE(Event)
Q_DECLARE_METATYPE(Diag)

namespace {

SessionConfig cfg(Us tx, Us rx, uint8_t mult = 3)
{
    SessionConfig c;
    c.desiredMinTx = tx;
    c.requiredMinRx = rx;
    c.detectMult = mult;
    return c;
}

// Two sessions joined by a zero-latency wire that can be cut in either direction. Time is
// virtual: run() jumps from one deadline to the next.
struct Wire {
    Session a, b;
    Clock::time_point now{};
    bool aToB = true, bToA = true;
    std::vector<std::pair<char, Session::Output>> changes; // who changed, how
    std::vector<Clock::time_point> bPacketsAtA;            // arrival times at A
    std::function<void(char, const ControlPacket &)> onSend;

    Wire(SessionConfig ca, SessionConfig cb) : a(0x1111, ca), b(0x2222, cb) {}

    void send(char from)
    {
        Session &s = from == 'a' ? a : b;
        Session &d = from == 'a' ? b : a;
        auto p = s.nextPacket();
        if (onSend) onSend(from, p);
        if (!(from == 'a' ? aToB : bToA)) return;
        if (from == 'b') bPacketsAtA.push_back(now);
        handle(from == 'a' ? 'b' : 'a', d.receive(p, now));
    }
    void handle(char who, const Session::Output &o)
    {
        Session &s = who == 'a' ? a : b;
        if (o.changed()) changes.emplace_back(who, o);
        if (o.sendNow) {
            send(who);
            if (o.changed()) s.scheduleTx(now, 0.5);
        }
    }
    void start()
    {
        for (char w : {'a', 'b'}) {
            send(w);
            (w == 'a' ? a : b).scheduleTx(now, 0.5);
        }
    }
    void run(Clock::duration d) { runUntil(now + d); }
    void runUntil(Clock::time_point end, std::function<bool()> stop = {})
    {
        while (now < end) {
            auto next = end;
            for (Session *s : {&a, &b})
                if (auto t = s->nextDeadline()) next = std::min(next, *t);
            now = next;
            for (char w : {'a', 'b'}) {
                Session &s = w == 'a' ? a : b;
                if (auto o = s.checkDetection(now)) handle(w, *o);
                if (s.txDue(now)) {
                    send(w);
                    s.scheduleTx(now, 0.5);
                }
            }
            if (stop && stop()) return;
        }
    }
};

} // namespace

class TstBfdSession : public QObject
{
    Q_OBJECT
private slots:
    void tableIsComplete()
    {
        const auto &t = transitionTable();
        std::set<std::string> events;
        for (size_t e = 0; e < kEventCount; ++e) events.insert(toString(Event(e)));
        QCOMPARE(events.size(), kEventCount);
        QVERIFY(!events.count("?"));
        for (size_t s = 0; s < kStateCount; ++s) {
            for (size_t e = 0; e < kEventCount; ++e) {
                const Transition &c = t[s][e];
                QString where = QString("%1 x %2").arg(toString(State(s)), toString(Event(e)));
                QVERIFY2(size_t(c.next) < kStateCount, qPrintable(where));
                QVERIFY2(c.diag == kKeepDiag || c.diag <= uint8_t(Diag::ReverseConcatenatedPathDown), qPrintable(where));
                // Leaving Up or Init for Down always says why.
                if ((State(s) == State::Up || State(s) == State::Init) && c.next == State::Down)
                    QVERIFY2(c.diag != kKeepDiag && c.diag != 0, qPrintable(where));
                // Only the operator leaves AdminDown, and only the operator enters it.
                if (State(s) == State::AdminDown) QCOMPARE(c.next == State::Down, Event(e) == Event::AdminUp);
                if (c.next == State::AdminDown) QVERIFY2(State(s) == State::AdminDown || Event(e) == Event::AdminDown, qPrintable(where));
                // Up needs the peer to have seen us: its Init or Up, never its Down.
                if (State(s) != State::Up && c.next == State::Up)
                    QVERIFY2(Event(e) == Event::RecvInit || Event(e) == Event::RecvUp, qPrintable(where));
            }
        }
    }

    // Rows straight from RFC 5880 §6.8.6 ("If bfd.SessionState is Down / Init / Up ...").
    void transitions_data()
    {
        QTest::addColumn<State>("from");
        QTest::addColumn<Event>("event");
        QTest::addColumn<State>("to");
        QTest::addColumn<int>("diag"); // -1: kept
        auto row = [](const char *n, State f, Event e, State t, int d) { QTest::newRow(n) << f << e << t << d; };
        row("down-recv-down-init", State::Down, Event::RecvDown, State::Init, 0);
        row("down-recv-init-up", State::Down, Event::RecvInit, State::Up, 0);
        row("down-recv-up-stays", State::Down, Event::RecvUp, State::Down, -1);
        row("init-recv-init-up", State::Init, Event::RecvInit, State::Up, 0);
        row("init-recv-up-up", State::Init, Event::RecvUp, State::Up, 0);
        row("init-recv-admindown", State::Init, Event::RecvAdminDown, State::Down, 3);
        row("up-recv-down", State::Up, Event::RecvDown, State::Down, 3);
        row("up-recv-admindown", State::Up, Event::RecvAdminDown, State::Down, 3);
        row("up-timeout", State::Up, Event::DetectionTimeExpired, State::Down, 1);
        row("init-timeout", State::Init, Event::DetectionTimeExpired, State::Down, 1);
        row("down-timeout-stays", State::Down, Event::DetectionTimeExpired, State::Down, -1);
        row("up-admin-down", State::Up, Event::AdminDown, State::AdminDown, 7);
        row("admindown-discards", State::AdminDown, Event::RecvUp, State::AdminDown, -1);
        row("admindown-admin-up", State::AdminDown, Event::AdminUp, State::Down, 0);
    }
    void transitions()
    {
        QFETCH(State, from);
        QFETCH(Event, event);
        QFETCH(State, to);
        QFETCH(int, diag);
        const Transition &c = transitionTable()[size_t(from)][size_t(event)];
        QCOMPARE(c.next, to);
        QCOMPARE(int(c.diag == kKeepDiag ? -1 : c.diag), diag);
    }

    void handshakeAndNegotiation()
    {
        // A wants to send every 100 ms and receive no faster than every 300 ms; B 50/100 ms.
        Wire w(cfg(100ms, 300ms), cfg(50ms, 100ms, 5));
        // Not Up yet: at least one second advertised and used (§6.8.3).
        QCOMPARE(w.a.advertisedTx(), Us(1s));
        w.start();
        w.runUntil(w.now + 10s, [&] { return w.a.state() == State::Up && w.b.state() == State::Up; });
        QCOMPARE(w.a.state(), State::Up);
        QCOMPARE(w.b.state(), State::Up);
        // Both start Down, B's Down takes A to Init, A's Init takes B to Up, B's Up takes A to Up.
        QVERIFY(w.changes.size() >= 3);
        QCOMPARE(w.a.remoteDiscriminator(), 0x2222u);
        QCOMPARE(w.b.remoteDiscriminator(), 0x1111u);
        // Let the poll sequences started by going Up finish.
        w.run(2s);
        QVERIFY(!w.a.pollActive());
        QVERIFY(!w.b.pollActive());
        QCOMPARE(w.a.advertisedTx(), Us(100ms));
        // A sends every max(100 ms, B's 100 ms); B every max(50 ms, A's 300 ms).
        QCOMPARE(*w.a.txInterval(), Us(100ms));
        QCOMPARE(*w.b.txInterval(), Us(300ms));
        // A detects B gone after B's 5 x max(A's RX 300 ms, B's TX 50 ms); B after 3 x 100 ms.
        QCOMPARE(w.a.detectionTime(), Us(1500ms));
        QCOMPARE(w.b.detectionTime(), Us(300ms));
        QCOMPARE(w.a.state(), State::Up);
    }

    void detectionTimeExpires()
    {
        Wire w(cfg(100ms, 100ms), cfg(100ms, 100ms));
        w.start();
        w.runUntil(w.now + 10s, [&] { return w.a.state() == State::Up && w.b.state() == State::Up; });
        w.run(2s);
        QCOMPARE(w.a.state(), State::Up);
        w.changes.clear();
        w.bToA = false; // B's packets no longer reach A
        auto cut = w.now;
        w.runUntil(w.now + 5s, [&] { return w.a.state() != State::Up; });
        QCOMPARE(w.a.state(), State::Down);
        QCOMPARE(w.a.diag(), Diag::ControlDetectionTimeExpired);
        QCOMPARE(w.a.remoteDiscriminator(), 0u); // §6.8.1
        // Exactly one detection time after the last packet that arrived, which came at most one
        // interval before the cut.
        QVERIFY(!w.bPacketsAtA.empty());
        QCOMPARE(w.now - w.bPacketsAtA.back(), Clock::duration(300ms));
        QVERIFY(w.now - cut <= Clock::duration(400ms));
        // A told B it is Down; B (still hearing A) follows, diag 3.
        QCOMPARE(w.b.state(), State::Down);
        QCOMPARE(w.b.diag(), Diag::NeighborSignaledSessionDown);
        // Mended: back Up.
        w.bToA = true;
        w.runUntil(w.now + 10s, [&] { return w.a.state() == State::Up && w.b.state() == State::Up; });
        QCOMPARE(w.a.state(), State::Up);
        QCOMPARE(w.b.state(), State::Up);
    }

    void remoteAdminDownIsSignalled()
    {
        Wire w(cfg(100ms, 100ms), cfg(100ms, 100ms));
        w.start();
        w.runUntil(w.now + 10s, [&] { return w.a.state() == State::Up && w.b.state() == State::Up; });
        w.changes.clear();
        w.handle('b', w.b.adminDown(w.now));
        QCOMPARE(w.b.state(), State::AdminDown);
        QCOMPARE(w.a.state(), State::Down);
        QCOMPARE(w.a.diag(), Diag::NeighborSignaledSessionDown);
        bool sawA = false;
        for (auto &[who, o] : w.changes)
            if (who == 'a') {
                sawA = true;
                QCOMPARE(o.remoteState, State::AdminDown); // RFC 5882 §3.2: clients hold still
            }
        QVERIFY(sawA);
        // B in AdminDown discards A's packets and keeps no detection timer.
        w.run(5s);
        QCOMPARE(w.b.state(), State::AdminDown);
        QCOMPARE(w.a.state(), State::Down);
        w.handle('b', w.b.adminUp(w.now));
        w.runUntil(w.now + 10s, [&] { return w.a.state() == State::Up && w.b.state() == State::Up; });
        QCOMPARE(w.a.state(), State::Up);
    }

    void pollSequenceDefersLongerTx()
    {
        Wire w(cfg(100ms, 100ms), cfg(100ms, 100ms));
        w.start();
        w.runUntil(w.now + 10s, [&] { return w.a.state() == State::Up && w.b.state() == State::Up; });
        w.run(2s);
        QVERIFY(!w.a.pollActive());
        QCOMPARE(*w.a.txInterval(), Us(100ms));
        // A slows down to 500 ms while Up: P on its packets, old interval until B's Final.
        w.a.reconfigure(cfg(500ms, 100ms), w.now);
        QVERIFY(w.a.pollActive());
        QCOMPARE(*w.a.txInterval(), Us(100ms));
        auto p = w.a.nextPacket();
        QVERIFY(p.poll);
        QVERIFY(!p.final);
        QCOMPARE(p.desiredMinTxUs, 500000u);
        auto o = w.b.receive(p, w.now);
        QVERIFY(o.sendNow); // a Final at once, outside the schedule
        auto f = w.b.nextPacket();
        QVERIFY(f.final);
        QVERIFY(!f.poll);
        QVERIFY(!w.b.nextPacket().final); // only once
        QCOMPARE(*w.a.txInterval(), Us(100ms));
        w.a.receive(f, w.now);
        QVERIFY(!w.a.pollActive());
        QCOMPARE(*w.a.txInterval(), Us(500ms));
        // B now detects A after 3 x 500 ms.
        QCOMPARE(w.b.detectionTime(), Us(1500ms));
    }

    void shorterRxWaitsForFinal()
    {
        Wire w(cfg(100ms, 300ms), cfg(100ms, 100ms));
        w.start();
        w.runUntil(w.now + 10s, [&] { return w.a.state() == State::Up && w.b.state() == State::Up; });
        w.run(2s);
        QCOMPARE(w.a.detectionTime(), Us(900ms));
        w.a.reconfigure(cfg(100ms, 100ms), w.now);
        // Until B has acknowledged, A's detection time still assumes 300 ms (§6.8.3).
        QCOMPARE(w.a.detectionTime(), Us(900ms));
        w.run(1s);
        QVERIFY(!w.a.pollActive());
        QCOMPARE(w.a.detectionTime(), Us(300ms));
    }

    void jitter()
    {
        Session s(1, cfg(100ms, 100ms));
        ControlPacket p;
        p.state = State::Down;
        p.myDiscriminator = 7;
        p.detectMult = 3;
        p.desiredMinTxUs = 1000000;
        p.requiredMinRxUs = 2000000; // the peer wants at most one packet per 2 s
        Clock::time_point t0{};
        s.receive(p, t0);
        QCOMPARE(*s.txInterval(), Us(2s));
        s.scheduleTx(t0, 0.0);
        QCOMPARE(*s.nextDeadline(), t0 + Us(2s));
        s.scheduleTx(t0, 0.999999);
        QVERIFY(*s.nextDeadline() >= t0 + Us(1500ms));
        QVERIFY(*s.nextDeadline() < t0 + Us(1501ms));
        // Detect Mult 1: 75..90% (§6.8.7).
        Session one(2, cfg(100ms, 100ms, 1));
        one.receive(p, t0);
        one.scheduleTx(t0, 0.0);
        QCOMPARE(*one.nextDeadline(), t0 + Us(1800ms));
        one.scheduleTx(t0, 0.999999);
        QVERIFY(*one.nextDeadline() >= t0 + Us(1500ms));
        // RequiredMinRx 0: no periodic packets at all.
        p.requiredMinRxUs = 0;
        s.receive(p, t0);
        QVERIFY(!s.txInterval());
        s.scheduleTx(t0, 0.5);
        QVERIFY(!s.txDue(t0 + 1h));
    }

    void packetsCarryTheVariables()
    {
        Session s(0xabcd, cfg(200ms, 300ms, 4));
        auto p = s.nextPacket();
        QCOMPARE(p.state, State::Down);
        QCOMPARE(p.myDiscriminator, 0xabcdu);
        QCOMPARE(p.yourDiscriminator, 0u);
        QCOMPARE(p.detectMult, uint8_t(4));
        QCOMPARE(p.desiredMinTxUs, 1000000u); // slow while not Up
        QCOMPARE(p.requiredMinRxUs, 300000u);
        QCOMPARE(p.requiredMinEchoRxUs, 0u);
        QVERIFY(!p.poll && !p.final && !p.demand && !p.auth);
    }
};

QTEST_GUILESS_MAIN(TstBfdSession)
#include "tst_bfd_session.moc"
