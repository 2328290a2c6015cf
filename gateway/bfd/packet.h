// BFD Control packet codec: the mandatory section and the authentication section of RFC 5880
// §4, raw bytes in and out, and the checks of §6.8.6 that need only the packet.
//
//   RFC 5880 §4.1  mandatory section (version 1, 24 octets), flags, diagnostics (§4.1 "Diag")
//   RFC 5880 §4.2-4.4  authentication section: Simple Password, Keyed/Meticulous Keyed MD5,
//                  Keyed/Meticulous Keyed SHA1; its length is checked against its type
//   RFC 5880 §6.8.6  reception checks: version, length (24, or 26 with the A bit, and never
//                  more than the UDP payload), detect multiplier non-zero, M bit clear, My
//                  Discriminator non-zero, Your Discriminator zero only in Down/AdminDown
//
// What decode() cannot check, because it needs a session, is the owner's: the session selected
// by Your Discriminator (or by address when it is zero) and "A bit set but no authentication
// in use" (we configure none, so BfdManager discards every packet with the A bit:
// PacketError::AuthenticationNotInUse).
//
// Intervals are in microseconds, as on the wire. Decoding never throws and never reads past
// the input; octets after Length are ignored (the Length field says where the packet ends).
//
// Invariants: encode() output decodes back to an equal packet; encode() never sets both P and
// F (§6.8.7 forbids it; decode() accepts it, as §6.8.6 has no such check).
//
// Thread-safety: free functions over caller-owned buffers; no shared state.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <system_error>
#include <vector>

namespace midonet::gateway::bfd {

inline constexpr uint8_t kVersion = 1;
inline constexpr size_t kMandatorySize = 24;
inline constexpr size_t kMinSizeWithAuth = 26;

// RFC 5880 §4.1 "Sta"; the numeric values are the wire values.
enum class State : uint8_t { AdminDown = 0, Down = 1, Init = 2, Up = 3 };
inline constexpr size_t kStateCount = 4;
const char *toString(State s);

// RFC 5880 §4.1 "Diag": why the local system last changed state.
enum class Diag : uint8_t {
    None = 0,
    ControlDetectionTimeExpired = 1,
    EchoFunctionFailed = 2,
    NeighborSignaledSessionDown = 3,
    ForwardingPlaneReset = 4,
    PathDown = 5,
    ConcatenatedPathDown = 6,
    AdministrativelyDown = 7,
    ReverseConcatenatedPathDown = 8,
};
const char *toString(Diag d);
// Diagnostics as std::error_code values ("bfd-diag" category), so a BGP peer's lastError can
// say why BFD took it down.
const std::error_category &diagCategory();
inline std::error_code make_error_code(Diag d) { return {int(d), diagCategory()}; }

// RFC 5880 §4.1 "Auth Type".
enum class AuthType : uint8_t {
    None = 0,
    SimplePassword = 1,
    KeyedMd5 = 2,
    MeticulousKeyedMd5 = 3,
    KeyedSha1 = 4,
    MeticulousKeyedSha1 = 5,
};

enum class PacketError {
    Truncated = 1,          // fewer octets than the mandatory section (or than Length says)
    BadVersion,             // version not 1
    BadLength,              // Length below 24 (26 with the A bit)
    ZeroDetectMult,         // Detect Mult 0
    MultipointSet,          // M bit set
    ZeroMyDiscriminator,    // My Discriminator 0
    ZeroYourDiscriminator,  // Your Discriminator 0 while State is Init or Up
    AuthTruncated,          // A bit set but the section is shorter than its Auth Len
    BadAuthLength,          // Auth Len wrong for the Auth Type (§4.2-4.4)
    UnknownAuthType,        // Auth Type not 1..5
    AuthenticationNotInUse, // A bit set and the session uses no authentication (§6.8.6)
    UnknownDiscriminator,   // Your Discriminator selects no session (§6.8.6)
    NoSession,              // Your Discriminator 0 and no session for the source address
    BadTtl,                 // TTL / hop limit not 255 (RFC 5881 §5)
};
const std::error_category &packetCategory();
inline std::error_code make_error_code(PacketError e) { return {int(e), packetCategory()}; }

// The authentication section as received; `data` holds what follows Auth Len (key id, and the
// password, or reserved + sequence number + digest).
struct AuthSection {
    AuthType type = AuthType::None;
    uint8_t keyId = 0;
    std::vector<uint8_t> data; // after the key id
    bool operator==(const AuthSection &) const = default;
};

struct ControlPacket {
    Diag diag = Diag::None;
    State state = State::Down;
    bool poll = false, final = false;
    bool controlPlaneIndependent = false; // C
    bool demand = false;                  // D
    bool multipoint = false;              // M (must be 0)
    uint8_t detectMult = 3;
    uint32_t myDiscriminator = 0;
    uint32_t yourDiscriminator = 0;
    uint32_t desiredMinTxUs = 0;
    uint32_t requiredMinRxUs = 0;
    uint32_t requiredMinEchoRxUs = 0;
    std::optional<AuthSection> auth;      // present iff the A bit is set
    bool operator==(const ControlPacket &) const = default;
};

// Appends the packet to `out` (24 octets, more with an authentication section).
void encode(const ControlPacket &p, std::vector<uint8_t> &out);

// Decodes and applies the packet-only checks of §6.8.6. `bytes` is the whole UDP payload.
std::error_code decode(std::span<const uint8_t> bytes, ControlPacket &out);

} // namespace midonet::gateway::bfd

template <> struct std::is_error_code_enum<midonet::gateway::bfd::PacketError> : std::true_type {};
template <> struct std::is_error_code_enum<midonet::gateway::bfd::Diag> : std::true_type {};
