// Configuration of one BFD session (RFC 5880 §6.8.1 bfd.DesiredMinTxInterval,
// bfd.RequiredMinRxInterval, bfd.DetectMult) and where its packets go (RFC 5881).
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
    uint16_t remotePort = kControlPort;               // tests point two managers at each other
    bool operator==(const SessionConfig &) const = default;
};

// Checks the invariants above; on failure `detail` names the field and the rule.
std::error_code validate(const SessionConfig &c, std::string *detail = nullptr);

} // namespace midonet::gateway::bfd

template <> struct std::is_error_code_enum<midonet::gateway::bfd::ConfigError> : std::true_type {};
