// BGP-4 message codec: the five message types as values, raw bytes in and out.
//
//   RFC 4271 §4    message header, OPEN, UPDATE, NOTIFICATION, KEEPALIVE; §6 error codes
//   RFC 5492       capabilities in OPEN (accepted packed in one optional parameter or in several)
//   RFC 4760       multiprotocol capability; RFC 6793 four-octet AS capability and AS_TRANS
//   RFC 2918       ROUTE-REFRESH message and capability (also the pre-standard code 128)
//   RFC 4724       graceful restart capability; RFC 8538 its N bit
//   RFC 4724 §2    End-of-RIB markers (an empty UPDATE for IPv4, an empty MP_UNREACH otherwise)
//
// The codec knows the message layout only. Path attributes inside an UPDATE are another concern
// (attributes.h); decodeUpdate() hands back their raw bytes. Decoding never throws and never
// reads past the input: every failure is a CodecError whose notification() says which
// NOTIFICATION (code, subcode, data) RFC 4271 §6 asks for.
//
// Invariants: encode*() output always decodes back to an equal value; a decoded message's
// spans (UpdateView::attributes) point into the caller's buffer and live as long as it.
//
// Thread-safety: free functions over caller-owned buffers; no shared state.
#pragma once

#include "gateway/bgp/prefix.h"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <system_error>
#include <variant>
#include <vector>

namespace midonet::gateway::bgp {

inline constexpr size_t kHeaderSize = 19;
inline constexpr size_t kMaxMessageSize = 4096;
inline constexpr uint16_t kAsTrans = 23456; // RFC 6793: stands in for a 4-octet AS in 2-octet fields

enum class MessageType : uint8_t { Open = 1, Update = 2, Notification = 3, Keepalive = 4, RouteRefresh = 5 };

enum class CodecError {
    HeaderTruncated = 1,      // fewer than 19 octets
    BadMarker,                // marker not all ones (1/1)
    BadMessageLength,         // length field out of 19..4096 or wrong for the type (1/2)
    BadMessageType,           // type not 1..5 (1/3)
    LengthMismatch,           // buffer size differs from the length field
    OpenTruncated,            // OPEN shorter than its fixed part (1/2)
    UnsupportedVersion,       // version not 4 (2/1)
    BadBgpIdentifier,         // BGP Identifier 0 (2/3)
    UnacceptableHoldTime,     // hold time 1 or 2 (2/6)
    OptionalParametersOverrun,// parameter lengths disagree with the OPEN (2/0)
    UnsupportedOptionalParameter, // a parameter other than capabilities (2/4)
    CapabilityOverrun,        // capability length past its parameter (2/0)
    CapabilityMalformed,      // a known capability with a wrong length (2/0)
    UpdateTruncated,          // UPDATE without room for its two length fields (3/1)
    WithdrawnRoutesOverrun,   // withdrawn length past the message (3/1)
    PathAttributesOverrun,    // total attribute length past the message (3/1)
    InvalidNetworkField,      // an NLRI/withdrawn prefix too long or cut short (3/10)
    NotificationTruncated,    // NOTIFICATION without code and subcode (1/2)
    RouteRefreshLength,       // ROUTE-REFRESH body not 4 octets (7/1)
};
const std::error_category &codecCategory();
inline std::error_code make_error_code(CodecError e) { return {int(e), codecCategory()}; }

// RFC 4271 §4.5 codes; Cease subcodes from RFC 4486 / RFC 8538.
namespace notify {
inline constexpr uint8_t MessageHeader = 1, Open = 2, Update = 3, HoldTimer = 4, Fsm = 5, Cease = 6,
                         RouteRefresh = 7;
inline constexpr uint8_t CeaseAdminShutdown = 2, CeasePeerDeconfigured = 3, CeaseAdminReset = 4,
                         CeaseConnectionRejected = 5, CeaseOtherConfigChange = 6,
                         CeaseCollision = 7, CeaseOutOfResources = 8, CeaseHardReset = 9;
inline constexpr uint8_t OpenBadPeerAs = 2, OpenUnsupportedCapability = 7;
} // namespace notify

struct Notification {
    uint8_t code = 0;
    uint8_t subcode = 0;
    std::vector<uint8_t> data;
    std::string describe() const; // "Cease/Administrative Shutdown"
    bool operator==(const Notification &) const = default;
};
// The NOTIFICATION that RFC 4271 §6 asks for when decoding failed with `e`.
Notification notificationFor(std::error_code e, std::span<const uint8_t> data = {});

struct AfiSafi {
    Afi afi = Afi::Ipv4;
    uint8_t safi = kSafiUnicast;
    bool operator==(const AfiSafi &) const = default;
};

struct GracefulRestartCapability {
    struct Family {
        AfiSafi family;
        bool forwardingPreserved = false; // F bit
        bool operator==(const Family &) const = default;
    };
    bool restarting = false;   // R bit: the sender has restarted
    bool notification = false; // N bit (RFC 8538): NOTIFICATIONs also keep routes
    uint16_t restartTime = 0;  // seconds, 12 bits
    std::vector<Family> families;
    bool operator==(const GracefulRestartCapability &) const = default;
};

struct Capabilities {
    std::vector<AfiSafi> multiprotocol;  // code 1
    bool routeRefresh = false;           // code 2 (or 128)
    std::optional<uint32_t> fourOctetAs; // code 65
    std::optional<GracefulRestartCapability> gracefulRestart; // code 64
    struct Unknown {
        uint8_t code = 0;
        std::vector<uint8_t> value;
        bool operator==(const Unknown &) const = default;
    };
    std::vector<Unknown> unknown; // kept for display, never interpreted
    bool operator==(const Capabilities &) const = default;

    // RFC 4760 §8: a peer that sends no multiprotocol capability speaks IPv4 unicast only.
    bool supports(AfiSafi f) const;
};

struct OpenMessage {
    uint8_t version = 4;
    uint16_t myAs = 0; // AS_TRANS when the real AS needs four octets
    uint16_t holdTime = 90;
    uint32_t bgpId = 0; // host order
    Capabilities caps;
    bool operator==(const OpenMessage &) const = default;
    uint32_t effectiveAs() const { return caps.fourOctetAs.value_or(myAs); }
};

// An UPDATE split into its three parts; attributes are raw (decode with attributes.h).
struct UpdateView {
    std::vector<Prefix> withdrawn; // IPv4 only (RFC 4271); other families ride MP_UNREACH
    std::span<const uint8_t> attributes;
    std::vector<Prefix> nlri;
    bool isIpv4EndOfRib() const { return withdrawn.empty() && attributes.empty() && nlri.empty(); }
};

struct RouteRefreshMessage {
    AfiSafi family;
    uint8_t subtype = 0; // RFC 7313 uses it; plain RFC 2918 sends 0
    bool operator==(const RouteRefreshMessage &) const = default;
};

struct KeepaliveMessage {
    bool operator==(const KeepaliveMessage &) const = default;
};

using Message = std::variant<OpenMessage, UpdateView, Notification, KeepaliveMessage, RouteRefreshMessage>;

enum class CapabilityPacking { OneParameter, ParameterEach };

// --- framing -----------------------------------------------------------------------------
// Looks at the start of a byte stream: 0 = need more bytes, otherwise the whole message's
// length; ec set on a header error (the stream is then unusable).
size_t frameLength(std::span<const uint8_t> stream, std::error_code &ec);

// --- decoding: `msg` is one whole message, header included --------------------------------
Message decodeMessage(std::span<const uint8_t> msg, std::error_code &ec);
// Bodies only (after the 19-octet header); used by decodeMessage and by tests.
OpenMessage decodeOpen(std::span<const uint8_t> body, std::error_code &ec);
UpdateView decodeUpdate(std::span<const uint8_t> body, std::error_code &ec);
Notification decodeNotification(std::span<const uint8_t> body, std::error_code &ec);
RouteRefreshMessage decodeRouteRefresh(std::span<const uint8_t> body, std::error_code &ec);
// Reads NLRI-encoded prefixes (length octet + significant octets) until the span ends.
bool decodePrefixes(std::span<const uint8_t> in, Afi afi, std::vector<Prefix> &out);

// --- encoding: each appends one whole message to `out` ------------------------------------
void encodeOpen(const OpenMessage &m, std::vector<uint8_t> &out,
                CapabilityPacking packing = CapabilityPacking::OneParameter);
void encodeUpdate(std::span<const Prefix> withdrawn, std::span<const uint8_t> attributes,
                  std::span<const Prefix> nlri, std::vector<uint8_t> &out);
void encodeNotification(const Notification &n, std::vector<uint8_t> &out);
void encodeKeepalive(std::vector<uint8_t> &out);
void encodeRouteRefresh(const RouteRefreshMessage &m, std::vector<uint8_t> &out);
void encodePrefix(const Prefix &p, std::vector<uint8_t> &out);
inline size_t encodedPrefixSize(const Prefix &p) { return 1 + p.wireOctets(); }

} // namespace midonet::gateway::bgp

template <> struct std::is_error_code_enum<midonet::gateway::bgp::CodecError> : std::true_type {};
