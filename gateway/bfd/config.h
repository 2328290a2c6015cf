// Configuration of one BFD session (RFC 5880 §6.8.1 bfd.DesiredMinTxInterval,
// bfd.RequiredMinRxInterval, bfd.DetectMult) and where its packets go: single hop (RFC 5881,
// port 3784, TTL 255 required) or multi-hop (RFC 5883, port 4784, the TTL check a local choice:
// `minReceivedTtl`). Hop mode is a transport property: the state machine is the same.
//
// The intervals are the ones wanted while the session is Up; while it is not, the session
// advertises a transmit interval of at least one second (RFC 5880 §6.8.3), whatever this says.
//
// Invariants: a config accepted by validate() has both intervals in [kMinInterval,
// kMaxInterval] and a detect multiplier of at least 1.
//
// Thread-safety: plain values.
#pragma once

#include <boost/asio/ip/address.hpp>

#include <chrono>
#include <cstdint>
#include <string>
#include <system_error>

namespace midonet::gateway::bfd {

inline constexpr uint16_t kControlPort = 3784;     // RFC 5881 §4: single-hop control packets
inline constexpr uint16_t kMultihopControlPort = 4784; // RFC 5883 §3: multi-hop control packets
inline constexpr uint16_t kSourcePortMin = 49152;  // RFC 5881 §4: source port range
inline constexpr uint16_t kSourcePortMax = 65535;
// A user-space speaker on a loaded host cannot keep promises below 10 ms; above a minute BFD
// is pointless (the BGP hold timer is faster).
inline constexpr std::chrono::microseconds kMinInterval{10'000};
inline constexpr std::chrono::microseconds kMaxInterval{60'000'000};

enum class ConfigError {
    BadDesiredMinTx = 1, // outside [10 ms, 60 s]
    BadRequiredMinRx,    // outside [10 ms, 60 s]
    BadDetectMult,       // 0
};
const std::error_category &configCategory();
inline std::error_code make_error_code(ConfigError e) { return {int(e), configCategory()}; }

struct SessionConfig {
    std::chrono::microseconds desiredMinTx{300'000};  // how often we want to send while Up
    std::chrono::microseconds requiredMinRx{300'000}; // how often we accept to receive
    uint8_t detectMult = 3;                           // packets missed before Down
    boost::asio::ip::address localAddress;            // unspecified: the kernel's choice
    uint16_t remotePort = 0;                          // 0: 3784 (single hop) or 4784 (multi-hop)
    // RFC 5883: the peer may be several routed hops away. Packets still leave with TTL 255;
    // received ones need a TTL of at least minReceivedTtl (1: no check, 255 - n: at most n
    // routers in between). Single-hop sessions always require 255 (RFC 5881 §5).
    bool multihop = false;
    uint8_t minReceivedTtl = 1;
    bool operator==(const SessionConfig &) const = default;
};

// The UDP port this session's packets go to.
inline uint16_t destinationPort(const SessionConfig &c)
{
    return c.remotePort ? c.remotePort : c.multihop ? kMultihopControlPort : kControlPort;
}

// Checks the invariants above; on failure `detail` names the field and the rule.
std::error_code validate(const SessionConfig &c, std::string *detail = nullptr);

} // namespace midonet::gateway::bfd

template <> struct std::is_error_code_enum<midonet::gateway::bfd::ConfigError> : std::true_type {};
