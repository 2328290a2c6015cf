// The FSM table of RFC 4271 §8: complete, consistent, and the transitions a peer relies on;
// timers driven by explicit time points.
#include "gateway/bgp/session.h"

#include <QtTest>

#include <set>

using namespace midonet::gateway::bgp;
using namespace std::chrono_literals;

class TstSession : public QObject
{
    Q_OBJECT
private slots:
    void tableIsComplete()
    {
        const auto &t = transitionTable();
        QCOMPARE(t.size(), kStateCount);
        std::set<std::string> stateNames, eventNames;
        for (size_t s = 0; s < kStateCount; ++s) stateNames.insert(toString(State(s)));
        for (size_t e = 0; e < kEventCount; ++e) eventNames.insert(toString(Event(e)));
        QCOMPARE(stateNames.size(), kStateCount);
        QCOMPARE(eventNames.size(), kEventCount);
        QVERIFY(!stateNames.count("?") && !eventNames.count("?"));
        for (size_t s = 0; s < kStateCount; ++s) {
            QCOMPARE(t[s].size(), kEventCount);
            for (size_t e = 0; e < kEventCount; ++e) {
                const Transition &c = t[s][e];
                QString where = QString("%1 x %2").arg(toString(State(s)), toString(Event(e)));
                QVERIFY2(size_t(c.next) < kStateCount, qPrintable(where));
                if (c.actions & action::SendNotification) QVERIFY2(c.notifyCode != 0, qPrintable(where));
                else QVERIFY2(c.notifyCode == 0, qPrintable(where));
                // Leaving Established always releases (or marks stale) the routes.
                if (State(s) == State::Established && c.next != State::Established)
                    QVERIFY2(c.actions & action::SessionDown, qPrintable(where));
                else QVERIFY2(!(c.actions & action::SessionDown), qPrintable(where));
                // Entering Established announces our routes.
                bool entering = State(s) != State::Established && c.next == State::Established;
                QCOMPARE(bool(c.actions & action::SessionUp), entering);
                // A connected session that falls back to Idle drops its connection.
                bool connected = State(s) >= State::OpenSent;
                if (connected && c.next == State::Idle) QVERIFY2(c.actions & action::Disconnect, qPrintable(where));
                // Updates are processed only when Established.
                if (c.actions & action::ProcessUpdate) QCOMPARE(State(s), State::Established);
            }
        }
        // Established is reachable only from OpenConfirm on KEEPALIVE.
        int ways = 0;
        for (size_t s = 0; s < kStateCount; ++s)
            for (size_t e = 0; e < kEventCount; ++e)
                if (State(s) != State::Established && t[s][e].next == State::Established) {
                    ++ways;
                    QCOMPARE(State(s), State::OpenConfirm);
                    QCOMPARE(Event(e), Event::KeepAliveMsg);
                }
        QCOMPARE(ways, 1);
    }

    void transitions_data()
    {
        QTest::addColumn<int>("from");
        QTest::addColumn<int>("event");
        QTest::addColumn<int>("to");
        QTest::addColumn<uint>("mustHave");
        QTest::addColumn<int>("notifyCode");
        QTest::addColumn<int>("notifySubcode");
        using S = State;
        using E = Event;
        namespace a = action;
        auto row = [](const char *n, S f, E e, S t, uint32_t must, int code = 0, int sub = 0) {
            QTest::newRow(n) << int(f) << int(e) << int(t) << uint(must) << code << sub;
        };
        row("idle-start-dials", S::Idle, E::ManualStart, S::Connect, a::Connect);
        row("idle-passive-start-waits", S::Idle, E::ManualStartPassive, S::Active, 0);
        row("idle-accepts-incoming", S::Idle, E::TcpConnectionConfirmed, S::OpenSent, a::SendOpen);
        row("idle-retry-restarts", S::Idle, E::ConnectRetryTimerExpires, S::Connect, a::Connect);
        row("connect-up-sends-open", S::Connect, E::TcpConnectionConfirmed, S::OpenSent, a::SendOpen);
        row("connect-fail-to-active", S::Connect, E::TcpConnectionFails, S::Active, 0);
        row("active-retry-dials", S::Active, E::ConnectRetryTimerExpires, S::Connect, a::Connect);
        row("opensent-open-to-openconfirm", S::OpenSent, E::BgpOpen, S::OpenConfirm, a::SendKeepalive);
        row("opensent-hold-expires", S::OpenSent, E::HoldTimerExpires, S::Idle, a::SendNotification, 4, 0);
        row("opensent-keepalive-is-fsm-error", S::OpenSent, E::KeepAliveMsg, S::Idle, a::SendNotification, 5, 1);
        row("opensent-collision", S::OpenSent, E::OpenCollisionDump, S::Idle, a::SendNotification, 6, 7);
        row("opensent-tcp-fail-to-active", S::OpenSent, E::TcpConnectionFails, S::Active, a::Disconnect);
        row("openconfirm-keepalive-establishes", S::OpenConfirm, E::KeepAliveMsg, S::Established, a::SessionUp);
        row("openconfirm-update-is-fsm-error", S::OpenConfirm, E::UpdateMsg, S::Idle, a::SendNotification, 5, 2);
        row("openconfirm-notification", S::OpenConfirm, E::NotifMsg, S::Idle, a::Disconnect);
        row("established-update", S::Established, E::UpdateMsg, S::Established, a::ProcessUpdate);
        row("established-refresh", S::Established, E::RouteRefreshMsg, S::Established, a::ProcessRefresh);
        row("established-open-is-fsm-error", S::Established, E::BgpOpen, S::Idle, a::SendNotification | a::SessionDown, 5, 3);
        row("established-hold-expires", S::Established, E::HoldTimerExpires, S::Idle, a::SendNotification | a::SessionDown, 4, 0);
        row("established-stop-ceases", S::Established, E::ManualStop, S::Idle, a::SendNotification | a::SessionDown, 6, 2);
        row("established-tcp-fails", S::Established, E::TcpConnectionFails, S::Idle, a::SessionDown);
        row("established-keepalive-timer", S::Established, E::KeepaliveTimerExpires, S::Established, a::SendKeepalive);
    }
    void transitions()
    {
        QFETCH(int, from);
        QFETCH(int, event);
        QFETCH(int, to);
        QFETCH(uint, mustHave);
        QFETCH(int, notifyCode);
        QFETCH(int, notifySubcode);
        const Transition &c = transitionTable()[size_t(from)][size_t(event)];
        QCOMPARE(int(c.next), to);
        QCOMPARE(c.actions & mustHave, uint32_t(mustHave));
        if (notifyCode) {
            QCOMPARE(int(c.notifyCode), notifyCode);
            QCOMPARE(int(c.notifySubcode), notifySubcode);
        }
    }

    void notificationFromEvent()
    {
        Session s(1s, 90);
        auto t0 = Session::Clock::time_point{};
        s.handle(Event::ManualStart, t0);
        s.handle(Event::TcpConnectionConfirmed, t0);
        auto out = s.handle(Event::BgpOpenMsgErr, t0, Notification{2, 2, {0xfd, 0xe9}});
        QCOMPARE(out.to, State::Idle);
        QVERIFY(out.notification == (Notification{2, 2, {0xfd, 0xe9}}));
    }

    void timersFollowTheSession()
    {
        Session s(5s, 9);
        auto t0 = Session::Clock::time_point{} + 100s;
        s.handle(Event::ManualStart, t0);
        QCOMPARE(*s.nextDeadline(), t0 + 5s); // connect retry
        s.handle(Event::TcpConnectionConfirmed, t0);
        QCOMPARE(*s.nextDeadline(), t0 + 4min); // large hold timer while waiting for OPEN
        s.negotiateHoldTime(30);
        QCOMPARE(s.holdTime(), uint16_t(9));
        s.handle(Event::BgpOpen, t0);
        QCOMPARE(*s.nextDeadline(), t0 + 3s); // keepalive = hold / 3
        s.handle(Event::KeepAliveMsg, t0 + 1s);
        QCOMPARE(s.state(), State::Established);
        QVERIFY(!s.takeExpiredTimer(t0 + 2s));
        QCOMPARE(*s.takeExpiredTimer(t0 + 3s), Event::KeepaliveTimerExpires);
        auto out = s.handle(Event::KeepaliveTimerExpires, t0 + 3s);
        QVERIFY(out.actions & action::SendKeepalive);
        QCOMPARE(*s.nextDeadline(), t0 + 6s);
        s.handle(Event::KeepAliveMsg, t0 + 5s); // hold restarted: t0 + 14s
        QCOMPARE(*s.takeExpiredTimer(t0 + 20s), Event::KeepaliveTimerExpires); // t0 + 6s comes first
        QCOMPARE(*s.takeExpiredTimer(t0 + 20s), Event::HoldTimerExpires);
        out = s.handle(Event::HoldTimerExpires, t0 + 20s);
        QCOMPARE(out.to, State::Idle);
        QVERIFY(out.notification == (Notification{4, 0, {}}));
        QCOMPARE(*s.nextDeadline(), t0 + 25s); // retry later
    }

    void holdTimeZeroMeansNoTimers()
    {
        Session s(5s, 0);
        auto t0 = Session::Clock::time_point{};
        s.handle(Event::ManualStart, t0);
        s.handle(Event::TcpConnectionConfirmed, t0);
        s.negotiateHoldTime(90);
        s.handle(Event::BgpOpen, t0);
        s.handle(Event::KeepAliveMsg, t0);
        QCOMPARE(s.state(), State::Established);
        QVERIFY(!s.nextDeadline());
    }
};

QTEST_GUILESS_MAIN(TstSession)
#include "tst_session.moc"
