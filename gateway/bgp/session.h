// Session: the BGP finite state machine of RFC 4271 §8 for one peer, and its three timers.
//
// The FSM is one table, kTransitions[state][event], with every cell filled: the next state, the
// actions to take (a bit set) and, where a NOTIFICATION is sent, its code and subcode. The
// Session object only looks cells up, runs the timer actions itself and hands the I/O actions
// back to its owner (the speaker), so it is testable without sockets or clocks.
//
//   RFC 4271 §8.2.2  states, events and transitions (events numbered as there where they exist)
//   RFC 4271 §10     ConnectRetry, Hold (4 minutes before OPEN), Keepalive (hold/3) timers
//   RFC 6608         FSM error subcodes (unexpected message in OpenSent/OpenConfirm/Established)
//   RFC 2918         ROUTE-REFRESH as an Established-only event
//
// Deviation from RFC 4271, on purpose: Idle accepts an incoming connection (the "passive
// automatic start" option of §8.1.1) and a ConnectRetry expiry in Idle restarts the session, so
// a gateway reconverges without an operator and a restarting peer is not refused. ManualStop is
// sticky: the owner does not feed events to a stopped session except ManualStart.
//
// Invariants: every [state][event] cell is defined (tests check it); timers run only in the
// states RFC 4271 runs them in; hold time 0 means no hold and no keepalive timer.
//
// Thread-safety: none; one Session belongs to one peer and is used on the speaker's thread.
#pragma once

#include "gateway/bgp/codec.h"

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <system_error>

namespace midonet::gateway::bgp {

enum class SessionError {
    HoldTimerExpired = 1,
    ConnectionFailed,     // TCP connect failed or was refused
    ConnectionClosed,     // the peer closed TCP without a NOTIFICATION
    NotificationReceived,
    NotificationSent,     // we had to reset (decode error, RFC 7606 session-reset, ...)
    UnexpectedMessage,    // FSM error (RFC 6608)
    CollisionResolved,    // this connection lost connection collision resolution (§6.8)
    Stopped,              // ManualStop: peer removed or speaker stopped
    BadPeerAs,            // OPEN's AS differs from the configured remote AS
    BadBgpIdentifier,     // OPEN's identifier equals ours (eBGP) or is invalid
    NoCommonFamily,       // nothing both sides carry
};
const std::error_category &sessionCategory();
inline std::error_code make_error_code(SessionError e) { return {int(e), sessionCategory()}; }

enum class State : uint8_t { Idle, Connect, Active, OpenSent, OpenConfirm, Established };
inline constexpr size_t kStateCount = 6;
const char *toString(State s);

enum class Event : uint8_t {
    ManualStart,              // 1
    ManualStartPassive,       // 5: wait for the peer to connect, never dial
    ManualStop,               // 2
    ConnectRetryTimerExpires, // 9
    HoldTimerExpires,         // 10
    KeepaliveTimerExpires,    // 11
    TcpConnectionConfirmed,   // 16/17: a connection is up (ours or theirs)
    TcpConnectionFails,       // 18
    BgpOpen,                  // 19: a valid OPEN arrived
    BgpHeaderErr,             // 21
    BgpOpenMsgErr,            // 22
    OpenCollisionDump,        // 23
    NotifMsgVerErr,           // 24
    NotifMsg,                 // 25
    KeepAliveMsg,             // 26
    UpdateMsg,                // 27
    UpdateMsgErr,             // 28: an UPDATE whose RFC 7606 action is session-reset
    RouteRefreshMsg,          // RFC 2918
};
inline constexpr size_t kEventCount = 18;
const char *toString(Event e);

// What a transition asks for. Timer bits are run by Session; the rest by the owner, in this
// order: SendNotification, Disconnect, SessionDown, Connect, SendOpen, SendKeepalive,
// SessionUp, ProcessUpdate, ProcessRefresh.
namespace action {
inline constexpr uint32_t None = 0;
inline constexpr uint32_t Connect = 1u << 0;          // dial (unless passive)
inline constexpr uint32_t Disconnect = 1u << 1;       // drop the TCP connection
inline constexpr uint32_t SendOpen = 1u << 2;
inline constexpr uint32_t SendKeepalive = 1u << 3;
inline constexpr uint32_t SendNotification = 1u << 4; // the cell's code, or the event's
inline constexpr uint32_t StartConnectRetry = 1u << 5;
inline constexpr uint32_t StopConnectRetry = 1u << 6;
inline constexpr uint32_t StartHoldLarge = 1u << 7;   // 4 minutes, waiting for OPEN
inline constexpr uint32_t StartHoldNegotiated = 1u << 8; // hold + keepalive timers
inline constexpr uint32_t RestartHold = 1u << 9;
inline constexpr uint32_t RestartKeepalive = 1u << 10;
inline constexpr uint32_t StopTimers = 1u << 11;      // all three
inline constexpr uint32_t SessionUp = 1u << 12;       // entered Established: advertise
inline constexpr uint32_t SessionDown = 1u << 13;     // left Established: flush or keep stale
inline constexpr uint32_t ProcessUpdate = 1u << 14;
inline constexpr uint32_t ProcessRefresh = 1u << 15;
} // namespace action

struct Transition {
    State next;
    uint32_t actions;
    uint8_t notifyCode;    // kNotifyFromEvent: the caller supplies it (decode errors)
    uint8_t notifySubcode;
};
inline constexpr uint8_t kNotifyFromEvent = 0xff;

// The whole FSM; exposed for tests and documentation.
const std::array<std::array<Transition, kEventCount>, kStateCount> &transitionTable();

class Session {
public:
    using Clock = std::chrono::steady_clock;

    struct Output {
        State from = State::Idle;
        State to = State::Idle;
        uint32_t actions = 0;  // owner's actions; timer bits already applied
        Notification notification; // to send, when actions has SendNotification
    };

    Session(std::chrono::milliseconds connectRetry, uint16_t holdTime)
        : connectRetry_(connectRetry), configuredHold_(holdTime)
    {
    }

    // Runs one event. `notification` is what to send for cells marked kNotifyFromEvent.
    Output handle(Event e, Clock::time_point now, const Notification &notification = {});

    // Before feeding BgpOpen: hold = min(ours, theirs) (RFC 4271 §4.2); keepalive = hold / 3.
    void negotiateHoldTime(uint16_t peerHoldTime);

    State state() const { return state_; }
    uint16_t holdTime() const { return negotiatedHold_; }
    std::chrono::milliseconds keepaliveInterval() const;

    // Earliest running timer; nullopt when none runs.
    std::optional<Clock::time_point> nextDeadline() const;
    // If a timer has expired by `now`, stops it and returns its event (earliest first).
    std::optional<Event> takeExpiredTimer(Clock::time_point now);

private:
    void applyTimers(uint32_t actions, Clock::time_point now);

    State state_ = State::Idle;
    std::chrono::milliseconds connectRetry_;
    uint16_t configuredHold_;
    uint16_t negotiatedHold_ = 0;
    std::optional<Clock::time_point> connectRetryAt_, holdAt_, keepaliveAt_;
};

} // namespace midonet::gateway::bgp

template <> struct std::is_error_code_enum<midonet::gateway::bgp::SessionError> : std::true_type {};
