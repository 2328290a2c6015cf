// Configuration of the BGP speaker: who we are, whom we peer with, what we advertise.
// Mirrors MidoNet's API objects (router AS number, bgp_peers, bgp_networks); the agent builds it
// from the NSDB, tests build it by hand.
//
//   RFC 4271 §10  timer defaults (hold 90 s, keepalive a third of it, connect retry 120 s)
//   RFC 6793      AS numbers are 4 octets (1..4294967295)
//   RFC 2385      TCP MD5 password per peer (at most 80 octets, Linux TCP_MD5SIG_MAXKEYLEN)
//   RFC 4724      graceful restart: how long we keep a restarting peer's routes
//   RFC 5882      BFD per peer (gateway/bfd): its failure takes the session down at once
//
// Invariants: a config accepted by validate() has a non-zero AS and router id, unique peer
// addresses, hold times 0 or >= 3, and networks whose family we carry.
//
// Thread-safety: plain values.
#pragma once

#include "gateway/bfd/config.h"
#include "gateway/bgp/prefix.h"

#include <boost/asio/ip/address.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

namespace midonet::gateway::bgp {

enum class ConfigError {
    MissingLocalAs = 1, // local AS 0
    MissingRouterId,    // router id 0.0.0.0
    BadHoldTime,        // 1 or 2 seconds (RFC 4271 §4.2)
    MissingPeerAs,      // a peer with AS 0
    DuplicatePeer,      // two peers with the same address
    PasswordTooLong,    // more than 80 octets
    BadNetwork,         // a network that is not a unicast prefix we can carry
};
const std::error_category &configCategory();
inline std::error_code make_error_code(ConfigError e) { return {int(e), configCategory()}; }

struct PeerConfig {
    boost::asio::ip::address address;          // the peer's address; unique per speaker
    uint32_t remoteAs = 0;                     // equal to localAs means iBGP
    uint16_t remotePort = 179;                 // where we dial; tests use other ports
    boost::asio::ip::address localAddress;     // unspecified: let the kernel choose
    std::string md5Password;                   // empty: no TCP MD5 (RFC 2385)
    uint16_t holdTime = 90;                    // seconds we propose; 0 disables keepalives
    std::chrono::milliseconds connectRetry{std::chrono::seconds(5)}; // RFC says 120 s; we
                                                // redial sooner as gateways must converge fast
    bool passive = false;                      // only accept, never dial
    bool ipv4Unicast = true;                   // families we offer (RFC 4760)
    bool ipv6Unicast = true;
    // Pack our capabilities in one optional parameter (what most peers do) or one each; some
    // old peers accept only one of the two (RFC 5492 allows both).
    bool capabilitiesInOneParameter = true;
    std::string description;
    // Set: run a single-hop BFD session with the peer (RFC 5880/5881, gateway/bfd/). Once it
    // has been Up, BFD going Down (not the peer's AdminDown) ends the BGP session at once and
    // withdraws the peer's routes, graceful restart or not; the hold timer stays the fallback.
    // An unspecified bfd->localAddress takes localAddress above.
    std::optional<bfd::SessionConfig> bfd;
};

struct SpeakerConfig {
    uint32_t localAs = 0;
    uint32_t routerId = 0;                      // BGP identifier, host order
    boost::asio::ip::address listenAddress = boost::asio::ip::address_v4::any();
    uint16_t listenPort = 179;                  // 0: the kernel picks (tests)
    bool listen = true;
    std::vector<PeerConfig> peers;
    std::vector<Prefix> networks;               // advertised to every peer with the family
    // IPv6 next hop for IPv6 routes we send over an IPv4 session; unspecified: IPv4-mapped.
    boost::asio::ip::address_v6 ipv6NextHop;
    // Restart time we advertise as a GR receiver and the longest we keep stale routes after the
    // restarted peer is back, waiting for its End-of-RIB (RFC 4724 §4.2 "selection deferral").
    uint16_t gracefulRestartTime = 120;
    std::chrono::seconds staleRoutesTime{360};
};

// Checks the invariants above; on failure `detail` names the field and the rule.
std::error_code validate(const SpeakerConfig &c, std::string *detail = nullptr);

} // namespace midonet::gateway::bgp

template <> struct std::is_error_code_enum<midonet::gateway::bgp::ConfigError> : std::true_type {};
