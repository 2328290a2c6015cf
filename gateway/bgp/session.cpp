#include "gateway/bgp/session.h"

namespace midonet::gateway::bgp {

namespace {

class SessionCategory : public std::error_category {
public:
    const char *name() const noexcept override { return "bgp-session"; }
    std::string message(int e) const override
    {
        switch (SessionError(e)) {
        case SessionError::HoldTimerExpired: return "hold timer expired";
        case SessionError::ConnectionFailed: return "TCP connection failed";
        case SessionError::ConnectionClosed: return "peer closed the TCP connection";
        case SessionError::NotificationReceived: return "NOTIFICATION received";
        case SessionError::NotificationSent: return "NOTIFICATION sent";
        case SessionError::UnexpectedMessage: return "unexpected message for the FSM state";
        case SessionError::CollisionResolved: return "connection collision resolved";
        case SessionError::Stopped: return "stopped";
        case SessionError::BadPeerAs: return "peer AS differs from the configured one";
        case SessionError::BadBgpIdentifier: return "bad BGP identifier";
        case SessionError::NoCommonFamily: return "no address family in common";
        }
        return "unknown session error";
    }
};

using namespace action;
using S = State;

// Dropping the connection after an error: stop everything, retry later.
constexpr uint32_t kDown = Disconnect | StopTimers | StartConnectRetry;

// No default constructor on purpose: a row with fewer than kEventCount cells does not compile,
// so no cell can be left to an implicit "stay in Idle, do nothing".
struct Cell {
    constexpr Cell(S s, uint32_t a, uint8_t c, uint8_t sc) : next(s), actions(a), code(c), subcode(sc) {}
    S next;
    uint32_t actions;
    uint8_t code, subcode;
};

// Every row lists all kEventCount columns in Event order.
// Columns: MStart MStartPassive MStop ConnRetry Hold Keepalive TcpUp TcpFail Open HdrErr OpenErr
//          Collision NotifVerErr Notif KeepaliveMsg Update UpdateErr RouteRefresh
constexpr Cell X(S s, uint32_t a = None, uint8_t c = 0, uint8_t sc = 0) { return Cell(s, a, c, sc); }
constexpr Cell fsmError(uint8_t sub, uint32_t extra = None)
{
    return X(S::Idle, SendNotification | kDown | extra, notify::Fsm, sub);
}
constexpr Cell kFromEvent(uint32_t extra = None)
{
    return X(S::Idle, SendNotification | kDown | extra, kNotifyFromEvent, 0);
}

constexpr Cell kRows[kStateCount][kEventCount] = {
    // Idle: nothing is connected; messages cannot arrive and are ignored.
    {X(S::Connect, Connect | StartConnectRetry), X(S::Active), X(S::Idle, StopTimers),
     X(S::Connect, Connect | StartConnectRetry), X(S::Idle), X(S::Idle),
     X(S::OpenSent, StopConnectRetry | SendOpen | StartHoldLarge), X(S::Idle), X(S::Idle),
     X(S::Idle), X(S::Idle), X(S::Idle), X(S::Idle), X(S::Idle), X(S::Idle), X(S::Idle), X(S::Idle),
     X(S::Idle)},
    // Connect: dialling.
    {X(S::Connect), X(S::Connect), X(S::Idle, Disconnect | StopTimers),
     X(S::Connect, Disconnect | Connect | StartConnectRetry), X(S::Idle, kDown), X(S::Idle, kDown),
     X(S::OpenSent, StopConnectRetry | SendOpen | StartHoldLarge),
     X(S::Active, Disconnect | StartConnectRetry), X(S::Idle, kDown), X(S::Idle, kDown),
     X(S::Idle, kDown), X(S::Idle, kDown), X(S::Idle, kDown), X(S::Idle, kDown), X(S::Idle, kDown),
     X(S::Idle, kDown), X(S::Idle, kDown), X(S::Idle, kDown)},
    // Active: waiting for the peer to connect (or for ConnectRetry to dial again).
    {X(S::Active), X(S::Active), X(S::Idle, Disconnect | StopTimers),
     X(S::Connect, Connect | StartConnectRetry), X(S::Idle, kDown), X(S::Idle, kDown),
     X(S::OpenSent, StopConnectRetry | SendOpen | StartHoldLarge),
     X(S::Active, Disconnect | StartConnectRetry), X(S::Idle, kDown), X(S::Idle, kDown),
     X(S::Idle, kDown), X(S::Idle, kDown), X(S::Idle, kDown), X(S::Idle, kDown), X(S::Idle, kDown),
     X(S::Idle, kDown), X(S::Idle, kDown), X(S::Idle, kDown)},
    // OpenSent: our OPEN is out, waiting for theirs. A second TCP connection is the speaker's
    // collision handling (§6.8), not a transition.
    {X(S::OpenSent), X(S::OpenSent),
     X(S::Idle, SendNotification | Disconnect | StopTimers, notify::Cease, notify::CeaseAdminShutdown),
     fsmError(1), X(S::Idle, SendNotification | kDown, notify::HoldTimer, 0), fsmError(1),
     X(S::OpenSent), X(S::Active, Disconnect | StopTimers | StartConnectRetry),
     X(S::OpenConfirm, SendKeepalive | StartHoldNegotiated | StopConnectRetry), kFromEvent(),
     kFromEvent(), X(S::Idle, SendNotification | kDown, notify::Cease, notify::CeaseCollision),
     X(S::Idle, kDown), X(S::Idle, kDown), fsmError(1), fsmError(1), fsmError(1), fsmError(1)},
    // OpenConfirm: OPENs exchanged, waiting for the first KEEPALIVE.
    {X(S::OpenConfirm), X(S::OpenConfirm),
     X(S::Idle, SendNotification | Disconnect | StopTimers, notify::Cease, notify::CeaseAdminShutdown),
     fsmError(2), X(S::Idle, SendNotification | kDown, notify::HoldTimer, 0),
     X(S::OpenConfirm, SendKeepalive | RestartKeepalive), X(S::OpenConfirm), X(S::Idle, kDown),
     fsmError(2), kFromEvent(), kFromEvent(),
     X(S::Idle, SendNotification | kDown, notify::Cease, notify::CeaseCollision), X(S::Idle, kDown),
     X(S::Idle, kDown), X(S::Established, RestartHold | SessionUp), fsmError(2), fsmError(2),
     fsmError(2)},
    // Established.
    {X(S::Established), X(S::Established),
     X(S::Idle, SendNotification | Disconnect | StopTimers | SessionDown, notify::Cease,
       notify::CeaseAdminShutdown),
     fsmError(3, SessionDown), X(S::Idle, SendNotification | kDown | SessionDown, notify::HoldTimer, 0),
     X(S::Established, SendKeepalive | RestartKeepalive), X(S::Established),
     X(S::Idle, kDown | SessionDown), fsmError(3, SessionDown), kFromEvent(SessionDown),
     kFromEvent(SessionDown),
     X(S::Idle, SendNotification | kDown | SessionDown, notify::Cease, notify::CeaseCollision),
     X(S::Idle, kDown | SessionDown), X(S::Idle, kDown | SessionDown), X(S::Established, RestartHold),
     X(S::Established, RestartHold | ProcessUpdate), kFromEvent(SessionDown),
     X(S::Established, RestartHold | ProcessRefresh)},
};

constexpr std::array<std::array<Transition, kEventCount>, kStateCount> buildTable()
{
    std::array<std::array<Transition, kEventCount>, kStateCount> t{};
    for (size_t s = 0; s < kStateCount; ++s)
        for (size_t e = 0; e < kEventCount; ++e)
            t[s][e] = {kRows[s][e].next, kRows[s][e].actions, kRows[s][e].code, kRows[s][e].subcode};
    return t;
}
constexpr auto kTable = buildTable();

constexpr uint32_t kTimerBits =
    StartConnectRetry | StopConnectRetry | StartHoldLarge | StartHoldNegotiated | RestartHold |
    RestartKeepalive | StopTimers;

} // namespace

const std::error_category &sessionCategory()
{
    static SessionCategory c;
    return c;
}

const char *toString(State s)
{
    static const char *n[] = {"Idle", "Connect", "Active", "OpenSent", "OpenConfirm", "Established"};
    return size_t(s) < kStateCount ? n[size_t(s)] : "?";
}

const char *toString(Event e)
{
    static const char *n[] = {"ManualStart",      "ManualStartPassive", "ManualStop",
                              "ConnectRetryTimerExpires", "HoldTimerExpires", "KeepaliveTimerExpires",
                              "TcpConnectionConfirmed", "TcpConnectionFails", "BgpOpen",
                              "BgpHeaderErr",     "BgpOpenMsgErr",    "OpenCollisionDump",
                              "NotifMsgVerErr",   "NotifMsg",         "KeepAliveMsg",
                              "UpdateMsg",        "UpdateMsgErr",     "RouteRefreshMsg"};
    return size_t(e) < kEventCount ? n[size_t(e)] : "?";
}

const std::array<std::array<Transition, kEventCount>, kStateCount> &transitionTable() { return kTable; }

Session::Output Session::handle(Event e, Clock::time_point now, const Notification &notification)
{
    const Transition &t = kTable[size_t(state_)][size_t(e)];
    Output out;
    out.from = state_;
    out.to = t.next;
    out.actions = t.actions & ~kTimerBits;
    if (t.actions & SendNotification) {
        if (t.notifyCode == kNotifyFromEvent) out.notification = notification;
        else out.notification = {t.notifyCode, t.notifySubcode, {}};
    }
    state_ = t.next;
    applyTimers(t.actions, now);
    return out;
}

void Session::negotiateHoldTime(uint16_t peerHoldTime)
{
    negotiatedHold_ = std::min(configuredHold_, peerHoldTime);
}

std::chrono::milliseconds Session::keepaliveInterval() const
{
    return std::chrono::milliseconds(negotiatedHold_ * 1000 / 3);
}

void Session::applyTimers(uint32_t a, Clock::time_point now)
{
    if (a & StopTimers) connectRetryAt_.reset(), holdAt_.reset(), keepaliveAt_.reset();
    if (a & StopConnectRetry) connectRetryAt_.reset();
    if (a & StartConnectRetry) connectRetryAt_ = now + connectRetry_;
    if (a & StartHoldLarge) holdAt_ = now + std::chrono::minutes(4);
    if (a & StartHoldNegotiated) {
        if (negotiatedHold_) {
            holdAt_ = now + std::chrono::seconds(negotiatedHold_);
            keepaliveAt_ = now + keepaliveInterval();
        } else {
            holdAt_.reset();
            keepaliveAt_.reset();
        }
    }
    if ((a & RestartHold) && negotiatedHold_) holdAt_ = now + std::chrono::seconds(negotiatedHold_);
    if ((a & RestartKeepalive) && negotiatedHold_) keepaliveAt_ = now + keepaliveInterval();
}

std::optional<Session::Clock::time_point> Session::nextDeadline() const
{
    std::optional<Clock::time_point> d;
    for (auto &t : {connectRetryAt_, holdAt_, keepaliveAt_})
        if (t && (!d || *t < *d)) d = t;
    return d;
}

std::optional<Event> Session::takeExpiredTimer(Clock::time_point now)
{
    struct {
        std::optional<Clock::time_point> *at;
        Event ev;
    } timers[] = {{&holdAt_, Event::HoldTimerExpires},
                  {&keepaliveAt_, Event::KeepaliveTimerExpires},
                  {&connectRetryAt_, Event::ConnectRetryTimerExpires}};
    auto *best = &timers[0];
    bool found = false;
    for (auto &t : timers) {
        if (*t.at && **t.at <= now && (!found || **t.at < **best->at)) {
            best = &t;
            found = true;
        }
    }
    if (!found) return std::nullopt;
    best->at->reset();
    return best->ev;
}

} // namespace midonet::gateway::bgp
