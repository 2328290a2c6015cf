#include "gateway/bfd/session.h"

#include <algorithm>

namespace midonet::gateway::bfd {

namespace {

using S = State;

// No default constructor: a row with fewer than kEventCount cells does not compile.
struct Cell {
    constexpr Cell(S s, uint8_t d) : next(s), diag(d) {}
    S next;
    uint8_t diag;
};
constexpr Cell X(S s, uint8_t d = kKeepDiag) { return Cell(s, d); }
constexpr uint8_t D(Diag d) { return uint8_t(d); }

// RFC 5880 §6.2 and the state-machine steps of §6.8.6. Rows in State order (wire values),
// columns in Event order:
//   RecvAdminDown RecvDown RecvInit RecvUp DetectionTimeExpired AdminDown AdminUp
constexpr Cell kRows[kStateCount][kEventCount] = {
    // AdminDown: §6.8.6 discards every packet; only the operator brings it back (to Down).
    {X(S::AdminDown), X(S::AdminDown), X(S::AdminDown), X(S::AdminDown), X(S::AdminDown), X(S::AdminDown),
     X(S::Down, D(Diag::None))},
    // Down: the peer's Down moves us to Init, its Init to Up (three-way handshake); its Up
    // means it has not seen us go down yet: stay.
    {X(S::Down), X(S::Init, D(Diag::None)), X(S::Up, D(Diag::None)), X(S::Down), X(S::Down),
     X(S::AdminDown, D(Diag::AdministrativelyDown)), X(S::Down)},
    // Init: waiting for the peer to say Init or Up.
    {X(S::Down, D(Diag::NeighborSignaledSessionDown)), X(S::Init), X(S::Up, D(Diag::None)),
     X(S::Up, D(Diag::None)), X(S::Down, D(Diag::ControlDetectionTimeExpired)),
     X(S::AdminDown, D(Diag::AdministrativelyDown)), X(S::Init)},
    // Up: the peer going Down or AdminDown, or silence, brings us Down.
    {X(S::Down, D(Diag::NeighborSignaledSessionDown)), X(S::Down, D(Diag::NeighborSignaledSessionDown)),
     X(S::Up), X(S::Up), X(S::Down, D(Diag::ControlDetectionTimeExpired)),
     X(S::AdminDown, D(Diag::AdministrativelyDown)), X(S::Up)},
};

constexpr std::array<std::array<Transition, kEventCount>, kStateCount> buildTable()
{
    std::array<std::array<Transition, kEventCount>, kStateCount> t{};
    for (size_t s = 0; s < kStateCount; ++s)
        for (size_t e = 0; e < kEventCount; ++e) t[s][e] = {kRows[s][e].next, kRows[s][e].diag};
    return t;
}
constexpr auto kTable = buildTable();

Event eventFor(State received)
{
    switch (received) {
    case State::AdminDown: return Event::RecvAdminDown;
    case State::Down: return Event::RecvDown;
    case State::Init: return Event::RecvInit;
    case State::Up: return Event::RecvUp;
    }
    return Event::RecvDown;
}

using Us = std::chrono::microseconds;
uint32_t wire(Us v) { return uint32_t(std::min<int64_t>(v.count(), UINT32_MAX)); }

} // namespace

const char *toString(Event e)
{
    switch (e) {
    case Event::RecvAdminDown: return "RecvAdminDown";
    case Event::RecvDown: return "RecvDown";
    case Event::RecvInit: return "RecvInit";
    case Event::RecvUp: return "RecvUp";
    case Event::DetectionTimeExpired: return "DetectionTimeExpired";
    case Event::AdminDown: return "AdminDown";
    case Event::AdminUp: return "AdminUp";
    }
    return "?";
}

const std::array<std::array<Transition, kEventCount>, kStateCount> &transitionTable() { return kTable; }

Session::Session(uint32_t localDiscr, const SessionConfig &config, bool adminDown)
    : localDiscr_(localDiscr), config_(config)
{
    state_ = adminDown ? State::AdminDown : State::Down;
    if (adminDown) diag_ = Diag::AdministrativelyDown;
    advTx_ = useTx_ = std::max(config_.desiredMinTx, kSlowTx);
    advRx_ = useRx_ = config_.requiredMinRx;
}

Session::Output Session::run(Event e)
{
    const Transition &t = kTable[size_t(state_)][size_t(e)];
    Output o;
    o.from = state_;
    o.to = t.next;
    if (t.diag != kKeepDiag) diag_ = Diag(t.diag);
    state_ = t.next;
    if (o.changed()) {
        o.sendNow = true; // tell the peer at once rather than at the next interval
        updateAdvertised(o.to);
        if (state_ == State::AdminDown) detectAt_.reset();
    }
    o.diag = diag_;
    o.remoteState = remoteState_;
    return o;
}

// §6.8.3: the advertised TX interval is at least a second while not Up; any change of what we
// advertise starts a poll sequence. While Up, a longer TX or a shorter RX interval waits for the
// peer's Final; otherwise it applies at once.
void Session::updateAdvertised(State after)
{
    Us tx = after == State::Up ? config_.desiredMinTx : std::max(config_.desiredMinTx, kSlowTx);
    Us rx = config_.requiredMinRx;
    if (tx == advTx_ && rx == advRx_) return;
    advTx_ = tx;
    advRx_ = rx;
    pollActive_ = true;
    if (!(after == State::Up && tx > useTx_)) useTx_ = tx;
    if (!(after == State::Up && rx < useRx_)) useRx_ = rx;
}

Session::Output Session::receive(const ControlPacket &p, Clock::time_point now)
{
    if (state_ == State::AdminDown) { // §6.8.6: discard
        Output o;
        o.from = o.to = state_;
        o.diag = diag_;
        o.remoteState = remoteState_;
        return o;
    }
    remoteDiscr_ = p.myDiscriminator;
    remoteState_ = p.state;
    remoteDemand_ = p.demand;
    remoteMinRx_ = Us(p.requiredMinRxUs);
    remoteDesiredTx_ = Us(p.desiredMinTxUs);
    remoteDetectMult_ = p.detectMult;
    if (p.final && pollActive_) {
        pollActive_ = false;
        useTx_ = advTx_;
        useRx_ = advRx_;
    }
    detectAt_ = now + detectionTime();
    // A peer that now wants packets sooner gets the next one sooner (§6.8.3 "MUST ... adjust").
    if (auto iv = txInterval()) {
        if (nextTx_ && *nextTx_ > now + *iv) nextTx_ = now + *iv;
    } else {
        nextTx_.reset(); // RequiredMinRx 0: the peer wants no periodic packets (§6.8.7)
    }
    Output o = run(eventFor(p.state));
    if (p.poll) {
        finalPending_ = true;
        o.sendNow = true;
    }
    return o;
}

std::optional<Session::Output> Session::checkDetection(Clock::time_point now)
{
    if (!detectAt_ || now < *detectAt_) return std::nullopt;
    detectAt_.reset();
    remoteDiscr_ = 0; // §6.8.1
    remoteState_ = State::Down;
    return run(Event::DetectionTimeExpired);
}

Session::Output Session::adminDown(Clock::time_point) { return run(Event::AdminDown); }
Session::Output Session::adminUp(Clock::time_point) { return run(Event::AdminUp); }

void Session::reconfigure(const SessionConfig &config, Clock::time_point)
{
    config_ = config;
    updateAdvertised(state_);
}

ControlPacket Session::nextPacket()
{
    ControlPacket p;
    p.diag = diag_;
    p.state = state_;
    p.final = finalPending_;
    p.poll = pollActive_ && !finalPending_; // §6.8.7: never both; the poll goes in the next one
    finalPending_ = false;
    p.detectMult = config_.detectMult;
    p.myDiscriminator = localDiscr_;
    p.yourDiscriminator = remoteDiscr_;
    p.desiredMinTxUs = wire(advTx_);
    p.requiredMinRxUs = wire(advRx_);
    p.requiredMinEchoRxUs = 0;
    return p;
}

std::optional<Us> Session::txInterval() const
{
    if (remoteMinRx_.count() == 0) return std::nullopt;
    return std::max(useTx_, remoteMinRx_);
}

void Session::scheduleTx(Clock::time_point now, double random01)
{
    auto iv = txInterval();
    if (!iv) {
        nextTx_.reset();
        return;
    }
    random01 = std::clamp(random01, 0.0, 1.0);
    // §6.8.7: 75..100% of the interval; 75..90% when our Detect Mult is 1.
    double factor = config_.detectMult == 1 ? 0.90 - 0.15 * random01 : 1.0 - 0.25 * random01;
    nextTx_ = now + Us(int64_t(double(iv->count()) * factor));
}

Us Session::detectionTime() const
{
    return Us(int64_t(remoteDetectMult_) * std::max(useRx_, remoteDesiredTx_).count());
}

std::optional<Session::Clock::time_point> Session::nextDeadline() const
{
    if (nextTx_ && detectAt_) return std::min(*nextTx_, *detectAt_);
    if (nextTx_) return nextTx_;
    return detectAt_;
}

} // namespace midonet::gateway::bfd
