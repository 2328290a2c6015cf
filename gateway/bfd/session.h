// Session: one BFD session in asynchronous mode (RFC 5880 §6.1), its state machine and its
// timers, without sockets or clocks of its own, so tests drive it with explicit time points.
//
// The state machine is one table, kTransitions[state][event], with every cell filled: the next
// state and the diagnostic to set (or keep). Its events are the four states a received packet
// can carry, the detection timer and the two administrative commands.
//
//   RFC 5880 §6.2     the state machine (AdminDown, Down, Init, Up; three-way handshake)
//   RFC 5880 §6.8.1   state variables (bfd.SessionState, RemoteDiscr, RemoteMinRxInterval, ...)
//   RFC 5880 §6.8.2/3 timer negotiation: we send every max(bfd.DesiredMinTxInterval, remote
//                     RequiredMinRxInterval); at least one second while not Up; never
//                     periodically when the remote RequiredMinRxInterval is 0
//   RFC 5880 §6.8.4   detection time: remote Detect Mult x max(bfd.RequiredMinRxInterval,
//                     remote Desired Min TX Interval); RemoteDiscr zeroed when it expires
//   RFC 5880 §6.5     poll sequence: a change of the intervals we advertise sets P until a
//                     packet with F arrives; a larger TX interval (or a smaller RX interval)
//                     takes effect only then, while Up (§6.8.3); a P received is answered at
//                     once with F
//   RFC 5880 §6.8.6   reception, after the owner selected the session and checked
//                     authentication; a session in AdminDown discards every packet
//   RFC 5880 §6.8.7   jitter: each interval reduced by a random 0-25% (10-25% when
//                     bfd.DetectMult is 1); P and F never both set
//
// Not implemented: demand mode (we never set D; a peer's D bit is recorded but we keep sending,
// which §6.6 allows as "the system MAY continue"), the echo function (we advertise Required Min
// Echo RX 0), authentication (the owner discards packets with the A bit).
//
// Invariants: every [state][event] cell is defined (tests check it); the detection timer runs
// only after a packet was accepted and never in AdminDown; periodic transmission stops when the
// remote RequiredMinRxInterval is 0.
//
// Thread-safety: none; a Session belongs to its manager's thread.
#pragma once

#include "gateway/bfd/config.h"
#include "gateway/bfd/packet.h"

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>

namespace midonet::gateway::bfd {

enum class Event : uint8_t {
    RecvAdminDown,        // a packet with State AdminDown
    RecvDown,
    RecvInit,
    RecvUp,
    DetectionTimeExpired, // no packet for the detection time
    AdminDown,            // local command: stop the session (bfd.SessionState = AdminDown)
    AdminUp,              // local command: start it again
};
inline constexpr size_t kEventCount = 7;
const char *toString(Event e);

inline constexpr uint8_t kKeepDiag = 0xff;
struct Transition {
    State next;
    uint8_t diag; // a Diag, or kKeepDiag
};

// The whole state machine; exposed for tests and documentation.
const std::array<std::array<Transition, kEventCount>, kStateCount> &transitionTable();

class Session {
public:
    using Clock = std::chrono::steady_clock;
    using Us = std::chrono::microseconds;
    static constexpr Us kSlowTx{1'000'000}; // §6.8.3: at least one second while not Up

    struct Output {
        State from = State::Down;
        State to = State::Down;
        Diag diag = Diag::None;            // bfd.LocalDiag after the event
        State remoteState = State::Down;   // what the peer said last (AdminDown: RFC 5882 §3.2)
        bool sendNow = false;              // a Final is due, or the state changed
        bool changed() const { return from != to; }
    };

    // Starts in Down (or AdminDown), sending nothing until scheduleTx() is called.
    Session(uint32_t localDiscr, const SessionConfig &config, bool adminDown = false);

    // A packet that decode() accepted and the owner selected for this session.
    Output receive(const ControlPacket &p, Clock::time_point now);
    // Fires DetectionTimeExpired if the detection time has passed by `now`.
    std::optional<Output> checkDetection(Clock::time_point now);
    Output adminDown(Clock::time_point now);
    Output adminUp(Clock::time_point now);
    // New intervals/multiplier: starts a poll sequence if what we advertise changes.
    void reconfigure(const SessionConfig &config, Clock::time_point now);

    // --- transmission -----------------------------------------------------------------------
    // The next periodic packet; sets P during a poll sequence, F once after a received P.
    ControlPacket nextPacket();
    bool txDue(Clock::time_point now) const { return nextTx_ && now >= *nextTx_; }
    // Schedules the next periodic packet from `now`; `random01` in [0, 1) picks the jitter.
    void scheduleTx(Clock::time_point now, double random01);
    // The unjittered periodic interval; nullopt when the peer asks for no packets (RequiredMinRx 0).
    std::optional<Us> txInterval() const;
    Us detectionTime() const;
    // Earliest of the next transmission and the detection deadline.
    std::optional<Clock::time_point> nextDeadline() const;

    // --- state ------------------------------------------------------------------------------
    State state() const { return state_; }
    State remoteState() const { return remoteState_; }
    Diag diag() const { return diag_; }
    uint32_t localDiscriminator() const { return localDiscr_; }
    uint32_t remoteDiscriminator() const { return remoteDiscr_; }
    bool pollActive() const { return pollActive_; }
    Us advertisedTx() const { return advTx_; }
    Us advertisedRx() const { return advRx_; }
    Us remoteMinRx() const { return remoteMinRx_; }
    Us remoteDesiredTx() const { return remoteDesiredTx_; }
    uint8_t remoteDetectMult() const { return remoteDetectMult_; }
    const SessionConfig &config() const { return config_; }

private:
    Output run(Event e);
    void updateAdvertised(State now);

    uint32_t localDiscr_;
    SessionConfig config_;
    State state_ = State::Down;
    State remoteState_ = State::Down;
    Diag diag_ = Diag::None;
    uint32_t remoteDiscr_ = 0;
    Us remoteMinRx_{1};         // §6.8.1: initial value 1 microsecond
    Us remoteDesiredTx_{0};
    uint8_t remoteDetectMult_ = 0;
    bool remoteDemand_ = false;
    Us advTx_, advRx_;          // what our packets say
    Us useTx_, useRx_;          // what our timers use (they lag advTx_/advRx_ during a poll)
    bool pollActive_ = false;
    bool finalPending_ = false;
    std::optional<Clock::time_point> nextTx_, detectAt_;
};

} // namespace midonet::gateway::bfd
