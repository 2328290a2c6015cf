// Speaker: a BGP-4 speaker over Boost.Asio TCP. It listens on one address:port (any port, so
// tests need not use 179), dials the peers that are not passive, runs one Session (FSM) per
// peer, keeps a RIB-in per peer and a loc-RIB of best paths, advertises the configured networks
// and reports best-path changes to an observer, which is how the agent turns learned routes
// into routes of the virtual router.
//
//   RFC 4271   sessions, UPDATE processing, decision process (§9.1.2.2, simplified: local-pref,
//              AS path length, origin, MED from the same neighbour AS, eBGP over iBGP, lowest
//              BGP identifier, lowest peer address); routes whose AS_PATH holds our own AS are
//              dropped (§9.1.2 loop detection); collision resolution (§6.8)
//   RFC 6793   four-octet AS, AS_TRANS toward 2-octet peers
//   RFC 4760   IPv4 and IPv6 unicast (MP_REACH/MP_UNREACH)
//   RFC 2918   route refresh, both directions
//   RFC 4724   graceful restart, receiving speaker: a peer's routes survive its restart as
//              stale until its End-of-RIB or the restart/stale timers; End-of-RIB sent by us
//              right after the initial table. RFC 8538 N bit honoured
//   RFC 7606   malformed attributes: treat-as-withdraw or attribute-discard, the session stays
//   RFC 2385   TCP MD5 signatures (Linux TCP_MD5SIG) on the listening and the dialling sockets
//   RFC 5882   BFD (PeerConfig::bfd): a gateway/bfd Manager on the speaker's thread (so in its
//              network namespace) runs one session per such peer; BFD Up -> Down, unless the
//              peer said AdminDown, ends the BGP session as a TCP failure would, and withdraws
//              the peer's routes even if it does graceful restart (a dead path must not keep
//              forwarding). The BGP session does not wait for BFD to come up.
//
// Invariants: the loc-RIB holds, for every prefix some peer's RIB-in holds, exactly the best of
// those paths; the observer has been told every loc-RIB change (withdrawn = no path left); a
// peer leaving Established without graceful restart has an empty RIB-in.
//
// Thread-safety: the speaker runs on its own thread (start() creates it; every socket is made on
// it, so a test can put it in a network namespace through `threadInit`). Public methods may be
// called from any thread: mutators post to the speaker's thread, queries post and wait. Observer
// callbacks run on the speaker's thread; queries made from that thread (e.g. inside a callback)
// run inline instead of waiting.
#pragma once

#include "gateway/bfd/packet.h"
#include "gateway/bgp/attributes.h"
#include "gateway/bgp/config.h"
#include "gateway/bgp/session.h"

#include <boost/asio/ip/address.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <system_error>
#include <vector>

namespace midonet::gateway::bgp {

enum class SpeakerError {
    AlreadyRunning = 1,
    ListenFailed,      // bind/listen on the configured address:port
    Md5Failed,         // setsockopt(TCP_MD5SIG) refused (kernel without CONFIG_TCP_MD5SIG?)
    UnknownPeer,       // no peer with that address
    InvalidConfig,     // validate() refused the configuration
    NotRunning,
};
const std::error_category &speakerCategory();
inline std::error_code make_error_code(SpeakerError e) { return {int(e), speakerCategory()}; }

// A path as the speaker stores it: one object shared by all prefixes of one UPDATE.
struct RouteInfo {
    PathAttributes attributes;             // without NLRI (mpReach->nlri is emptied)
    boost::asio::ip::address nextHop;      // NEXT_HOP or MP_REACH next hop (global first)
    boost::asio::ip::address peer;         // learned from
    uint32_t peerBgpId = 0;
    bool ebgp = true;
};

struct RouteChange {
    Prefix prefix;
    bool withdrawn = false;                // true: no path left for the prefix
    std::shared_ptr<const RouteInfo> best; // the new best path (null when withdrawn)
};

struct LocRibEntry {
    Prefix prefix;
    std::shared_ptr<const RouteInfo> best;
    bool stale = false; // kept across the peer's graceful restart
};

struct PeerStatus {
    boost::asio::ip::address address;
    uint32_t remoteAs = 0;
    State state = State::Idle;
    std::chrono::seconds uptime{0};        // time in Established; 0 otherwise
    uint64_t prefixesReceived = 0;         // RIB-in size (stale ones included)
    uint64_t prefixesAdvertised = 0;       // networks sent and not withdrawn
    uint64_t staleRoutes = 0;
    uint64_t updatesReceived = 0, updatesSent = 0;
    uint64_t treatAsWithdraw = 0, attributeDiscard = 0, loopsDropped = 0;
    uint32_t remoteId = 0;
    uint16_t holdTime = 0;
    bool fourOctetAs = false, routeRefresh = false, gracefulRestart = false;
    bool ipv4 = false, ipv6 = false;       // negotiated families
    std::error_code lastError;             // any module's error enum
    std::string lastErrorDetail;           // human text, e.g. the NOTIFICATION received
    uint32_t establishedTransitions = 0;
    std::optional<bfd::State> bfdState;    // set when PeerConfig::bfd is (AdminDown: not running)
    uint32_t bfdDownEvents = 0;            // BFD Up -> Down failures (each ends the session)
};

// Told about best-path changes and peer state (BGP state, and BFD state for peers with BFD);
// called on the speaker's thread, in batches
// (one call per read from a peer, so 100,000 routes do not mean 100,000 calls).
class SpeakerObserver {
public:
    virtual ~SpeakerObserver() = default;
    virtual void routesChanged(std::span<const RouteChange> changes) { (void)changes; }
    virtual void peerStateChanged(const PeerStatus &peer) { (void)peer; }
    virtual void endOfRib(const boost::asio::ip::address &peer, Afi afi) { (void)peer, (void)afi; }
};

class Speaker {
public:
    // `observer` must outlive the speaker (or be null).
    explicit Speaker(SpeakerConfig config, SpeakerObserver *observer = nullptr);
    ~Speaker(); // stop()
    Speaker(const Speaker &) = delete;
    Speaker &operator=(const Speaker &) = delete;

    // Starts the speaker's thread, runs `threadInit` first on it (e.g. setns into a network
    // namespace), then listens and starts every peer. Returns once listening (or failing).
    std::error_code start(std::function<void()> threadInit = {});
    // Sends Cease to established peers, closes everything, joins the thread.
    void stop();
    uint16_t listenPort() const { return boundPort_; } // the real port when configured as 0

    // --- mutators: any thread, asynchronous -------------------------------------------------
    void addPeer(PeerConfig peer);
    void removePeer(const boost::asio::ip::address &peer);
    void announce(std::vector<Prefix> networks);
    void withdraw(std::vector<Prefix> networks);
    void requestRouteRefresh(const boost::asio::ip::address &peer);

    // --- queries: any thread, wait for the speaker's thread ---------------------------------
    std::vector<PeerStatus> peers() const;
    std::optional<PeerStatus> peer(const boost::asio::ip::address &peer) const;
    std::vector<LocRibEntry> locRib() const; // sorted by prefix
    size_t locRibSize() const;
    std::optional<LocRibEntry> lookup(const Prefix &p) const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
    uint16_t boundPort_ = 0;
};

} // namespace midonet::gateway::bgp

template <> struct std::is_error_code_enum<midonet::gateway::bgp::SpeakerError> : std::true_type {};
