// Path attributes of an UPDATE, table-driven: one row per attribute type with its decode,
// validate, encode and format functions and the RFC 7606 action taken when it is malformed.
//
//   RFC 4271 §4.3, §5  ORIGIN, AS_PATH, NEXT_HOP, MULTI_EXIT_DISC, LOCAL_PREF, ATOMIC_AGGREGATE,
//                      AGGREGATOR; flags (optional, transitive, partial, extended length)
//   RFC 1997           COMMUNITIES
//   RFC 4760           MP_REACH_NLRI, MP_UNREACH_NLRI (IPv4/IPv6 unicast)
//   RFC 6793           AS4_PATH, AS4_AGGREGATOR, AS_TRANS and the merge of §4.2.3
//   RFC 7606           revised error handling: every problem maps to a named ErrorAction
//
// Invariants: decodeAttributes() never throws and never reads past its input; its result's
// `action` is the most severe action of all problems found; a row's `onMalformed` is what RFC
// 7606 prescribes for that attribute. encodeAttributes() writes attributes in type-code order
// and uses the extended-length flag only when a value exceeds 255 octets.
//
// Thread-safety: the table is immutable; functions are pure over caller-owned values.
#pragma once

#include "gateway/bgp/codec.h"

#include <optional>
#include <span>
#include <string>
#include <system_error>
#include <vector>

namespace midonet::gateway::bgp {

enum class AttributeError {
    FlagsMismatch = 1,    // optional/transitive bits differ from the attribute's definition
    BadLength,            // value length wrong for the type
    BadOrigin,            // ORIGIN not 0..2
    MalformedAsPath,      // bad segment type, zero-length or overrunning segment
    FirstAsMismatch,      // eBGP AS_PATH does not start with the peer's AS (RFC 4271 §6.3)
    BadNextHop,           // 0.0.0.0, multicast, or a bad MP_REACH next-hop length
    MissingWellKnown,     // ORIGIN, AS_PATH or (for IPv4 NLRI) NEXT_HOP absent
    Duplicate,            // the same attribute twice
    AttributeOverrun,     // an attribute's length runs past the attribute block
    UnrecognisedWellKnown,// non-optional attribute we do not know
    MalformedMpReach,     // MP_REACH_NLRI unparseable (RFC 7606 §7.11: session reset)
    MalformedMpUnreach,   // MP_UNREACH_NLRI unparseable (RFC 7606 §7.12: session reset)
    DuplicateMp,          // MP_REACH or MP_UNREACH twice (RFC 7606 §3.g: session reset)
};
const std::error_category &attributeCategory();
inline std::error_code make_error_code(AttributeError e) { return {int(e), attributeCategory()}; }

// RFC 7606 outcomes, ordered by severity so the worst of several problems wins.
enum class ErrorAction : uint8_t {
    None = 0,
    AttributeDiscard, // drop the attribute, keep the route (§2)
    TreatAsWithdraw,  // the UPDATE's routes are withdrawn, the session stays up (§2)
    SessionReset,     // NOTIFICATION and close (RFC 4271 behaviour)
};
const char *toString(ErrorAction a);

namespace attr {
inline constexpr uint8_t Origin = 1, AsPath = 2, NextHop = 3, Med = 4, LocalPref = 5,
                         AtomicAggregate = 6, Aggregator = 7, Communities = 8, MpReach = 14,
                         MpUnreach = 15, As4Path = 17, As4Aggregator = 18;
inline constexpr uint8_t FlagOptional = 0x80, FlagTransitive = 0x40, FlagPartial = 0x20,
                         FlagExtendedLength = 0x10;
inline constexpr uint8_t AsSet = 1, AsSequence = 2, AsConfedSequence = 3, AsConfedSet = 4;
inline constexpr uint8_t OriginIgp = 0, OriginEgp = 1, OriginIncomplete = 2;
} // namespace attr

struct AsPathSegment {
    uint8_t type = attr::AsSequence;
    std::vector<uint32_t> asns;
    bool operator==(const AsPathSegment &) const = default;
};
using AsPath = std::vector<AsPathSegment>;
// Path length for best-path selection: an AS_SET counts 1, confederation segments 0.
unsigned asPathLength(const AsPath &p);
bool asPathContains(const AsPath &p, uint32_t as);
std::string formatAsPath(const AsPath &p);

struct Aggregator {
    uint32_t as = 0;
    uint32_t address = 0; // host order
    bool operator==(const Aggregator &) const = default;
};

struct MpReach {
    AfiSafi family;
    std::vector<uint8_t> nextHop; // 4 (IPv4), 16 (global) or 32 (global + link-local) octets
    std::vector<Prefix> nlri;
    bool operator==(const MpReach &) const = default;
};

struct MpUnreach {
    AfiSafi family;
    std::vector<Prefix> withdrawn;
    bool operator==(const MpUnreach &) const = default;
};

struct RawAttribute {
    uint8_t flags = 0;
    uint8_t code = 0;
    std::vector<uint8_t> value;
    bool operator==(const RawAttribute &) const = default;
};

struct PathAttributes {
    std::optional<uint8_t> origin;
    std::optional<AsPath> asPath;
    std::optional<uint32_t> nextHop; // IPv4, host order
    std::optional<uint32_t> med;
    std::optional<uint32_t> localPref;
    bool atomicAggregate = false;
    std::optional<Aggregator> aggregator;
    std::optional<std::vector<uint32_t>> communities;
    std::optional<MpReach> mpReach;
    std::optional<MpUnreach> mpUnreach;
    std::optional<AsPath> as4Path;             // only on 2-octet sessions; merged on decode
    std::optional<Aggregator> as4Aggregator;   // likewise
    std::vector<RawAttribute> unrecognised;    // optional transitive ones we pass along
    bool operator==(const PathAttributes &) const = default;
};

struct AttributeContext {
    bool fourOctetAs = true; // RFC 6793 capability exchanged both ways
    bool ebgp = true;
    uint32_t peerAs = 0;     // for the first-AS check on eBGP; 0 skips it
};

struct AttributeProblem {
    uint8_t code = 0; // attribute type code (0 when not about one attribute)
    std::error_code error;
    ErrorAction action = ErrorAction::None;
};

struct AttributeDecodeResult {
    PathAttributes attrs;
    ErrorAction action = ErrorAction::None;
    std::vector<AttributeProblem> problems;
    Notification notification; // meaningful when action == SessionReset
};

// `hasIpv4Nlri`: the UPDATE carries classic NLRI, so NEXT_HOP is mandatory (RFC 4271 §5).
AttributeDecodeResult decodeAttributes(std::span<const uint8_t> in, const AttributeContext &ctx,
                                       bool hasIpv4Nlri);
void encodeAttributes(const PathAttributes &a, const AttributeContext &ctx,
                      std::vector<uint8_t> &out);
std::string formatAttributes(const PathAttributes &a);

// --- the table ----------------------------------------------------------------------------
struct AttributeRow {
    uint8_t code;
    const char *name;
    uint8_t flags;           // required optional/transitive bits (partial/extended ignored)
    ErrorAction onMalformed; // RFC 7606 §7 for this attribute
    uint8_t notifySubcode;   // UPDATE error subcode when the action is a session reset
    // Syntax: fill `a` from `value`; an error means malformed.
    std::error_code (*decode)(std::span<const uint8_t> value, const AttributeContext &,
                              PathAttributes &a);
    // Semantics after a clean decode (nullptr: nothing to check).
    std::error_code (*validate)(const PathAttributes &a, const AttributeContext &);
    // Writes the value if the attribute is present in `a`; returns false when absent.
    bool (*encode)(const PathAttributes &a, const AttributeContext &, std::vector<uint8_t> &value);
    // Appends "name value" if present.
    void (*format)(const PathAttributes &a, std::string &out);
};
std::span<const AttributeRow> attributeTable();
const AttributeRow *findAttributeRow(uint8_t code);

} // namespace midonet::gateway::bgp

template <>
struct std::is_error_code_enum<midonet::gateway::bgp::AttributeError> : std::true_type {};
