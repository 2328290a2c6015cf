// Manager: BFD sessions over UDP on a Boost.Asio io_context, one per peer address, in
// asynchronous mode, each single hop (RFC 5881) or multi-hop (RFC 5883) as its SessionConfig
// says. The owner adds a peer, and is called back on the io_context's thread whenever a session
// changes state.
//
//   RFC 5881 §4  single-hop control packets to UDP port 3784, multi-hop ones to 4784 (RFC 5883
//                §3); each listened on for IPv4 and, when the host has it, IPv6, as Options
//                say. Each session sends from its own socket bound to a source port in
//                49152..65535 (both RFCs)
//   RFC 5881 §5  TTL / hop limit 255 on every packet sent (multi-hop too: the peer may check a
//                minimum); a packet received on the single-hop port with any other value is
//                discarded (we use no authentication, so this is the only guard against
//                off-link senders)
//   RFC 5883 §5  multi-hop: the received TTL is checked against the session's minReceivedTtl
//                (1: not at all), since the number of hops is not known in general
//   RFC 5881 §3  a packet with Your Discriminator 0 is matched to the session of its source
//   RFC 5883 §3  address (multi-hop: of its (source, destination) address pair, the destination
//                being the session's local address when it has one); otherwise to the session
//                with that discriminator, which must also be the session of that address (pair).
//                A packet on the single-hop port never reaches a multi-hop session, nor the
//                reverse.
//   RFC 5880 §6.8.16  a removed session sends AdminDown for one detection time (at most 5 s)
//                so the peer's clients do not take it as a failure (RFC 5882 §3.2)
//
// Everything RFC 5880 says about one session is in session.h (the same state machine for both
// hop modes); this file does sockets, timers, demultiplexing and the §6.8.6 checks that need
// them (TTL, A bit, discriminator lookup).
//
// Invariants: at most one live session per peer address (whatever its hop mode); local
// discriminators are unique and non-zero; the callback is told every state change of a live
// session, in order; a session is only added when the listener of its hop mode is open.
//
// Thread-safety: all methods, the callback and the destructor run on the io_context's thread
// (or while it is not running). The callback may call the manager (even remove() its own peer).
#pragma once

#include "gateway/bfd/config.h"
#include "gateway/bfd/packet.h"
#include "gateway/bfd/session.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <system_error>
#include <vector>

namespace midonet::gateway::bfd {

enum class ManagerError {
    ListenFailed = 1, // bind to port 3784 (IPv4) failed: another BFD daemon in this namespace?
    SourcePortsExhausted, // no free source port in 49152..65535 for the peer's family
    SocketFailed,     // socket()/setsockopt() on a session's socket failed
    DuplicatePeer,    // a live session for that address already exists
    UnknownPeer,
    NotStarted,
    NoListener,       // the session's hop mode is not listened for (Options::singleHop/multihop)
};
const std::error_category &managerCategory();
inline std::error_code make_error_code(ManagerError e) { return {int(e), managerCategory()}; }

struct StateChange {
    boost::asio::ip::address peer;
    State from = State::Down;
    State to = State::Down;
    Diag diag = Diag::None;         // why (our bfd.LocalDiag)
    State remoteState = State::Down; // AdminDown: the peer stopped the session on purpose
};

struct SessionStatus {
    boost::asio::ip::address peer;
    boost::asio::ip::address local;   // the address our packets leave from, if bound
    uint16_t sourcePort = 0;
    bool multihop = false;
    int lastReceivedTtl = -1;         // of the last packet accepted (-1: none yet); 255 - hops
    State state = State::Down;
    State remoteState = State::Down;
    Diag diag = Diag::None;
    uint32_t localDiscriminator = 0, remoteDiscriminator = 0;
    std::chrono::microseconds txInterval{0};    // negotiated, before jitter (0: not sending)
    std::chrono::microseconds detectionTime{0}; // 0 before the first packet
    uint64_t packetsIn = 0, packetsOut = 0, sendErrors = 0;
    uint32_t upTransitions = 0;
    std::chrono::steady_clock::time_point lastChange{};
};

class Manager {
public:
    using Callback = std::function<void(const StateChange &)>;
    struct Options {
        boost::asio::ip::address_v4 listenV4 = boost::asio::ip::address_v4::any();
        boost::asio::ip::address_v6 listenV6 = boost::asio::ip::address_v6::any();
        uint16_t listenPort = kControlPort; // 0: the kernel picks (tests); see listenPort()
        uint16_t multihopListenPort = kMultihopControlPort; // 0: the kernel picks; multihopListenPort()
        bool singleHop = true;              // listen on listenPort (single-hop sessions)
        bool multihop = false;              // listen on multihopListenPort (multi-hop sessions)
        bool ipv6 = true;                   // also listen on IPv6 (skipped if the host has none)
    };

    Manager(boost::asio::io_context &io, Callback callback, Options options);
    Manager(boost::asio::io_context &io, Callback callback) : Manager(io, std::move(callback), Options{}) {}
    ~Manager(); // stop()
    Manager(const Manager &) = delete;
    Manager &operator=(const Manager &) = delete;

    // Opens the listening sockets of the hop modes Options ask for. An IPv4 one failing is
    // ListenFailed (nothing opened); IPv6 failing only logs (IPv6 sessions then never come up).
    std::error_code start();
    // Sends one AdminDown on every session and closes everything; no callbacks after it.
    void stop();
    uint16_t listenPort() const;          // the bound single-hop IPv4 port (0: none)
    uint16_t multihopListenPort() const;  // the bound multi-hop IPv4 port (0: none)

    // Starts a session with `peer` (validate()d config); the first packet leaves at once.
    std::error_code add(const boost::asio::ip::address &peer, const SessionConfig &config);
    // AdminDown for a detection time, then gone. No callback for it.
    void remove(const boost::asio::ip::address &peer);
    // New intervals or multiplier: a poll sequence (RFC 5880 §6.5); a new address or port
    // restarts the session.
    std::error_code reconfigure(const boost::asio::ip::address &peer, const SessionConfig &config);
    // Administrative down/up of one session (the peer sees AdminDown and must not react).
    std::error_code setAdminDown(const boost::asio::ip::address &peer, bool down);

    std::optional<SessionStatus> status(const boost::asio::ip::address &peer) const;
    std::vector<SessionStatus> sessions() const;
    // Packets discarded by the manager, by reason (decode errors, TTL, A bit, no session).
    uint64_t dropped(PacketError reason) const;

private:
    struct Impl;
    std::shared_ptr<Impl> impl_;
};

} // namespace midonet::gateway::bfd

template <> struct std::is_error_code_enum<midonet::gateway::bfd::ManagerError> : std::true_type {};
