// MidoNet's vendor media types and the content negotiation its REST API performs
// (reference/midonet-rest-api.md §3).
//
// Item types are `application/vnd.org.midonet.<Name>-v<N>+json`, collection types
// `application/vnd.org.midonet.collection.<Name>-v<N>+json`. A request's Accept (reads) or
// Content-Type (writes) must name a type compatible with one the resource allows; `*/*` and
// `application/*` are wildcards. Parameters (charset, q) are ignored for matching.
//
// Deliberate difference from MidoNet 5.x: a missing Accept header is read as `*/*` (HTTP's own
// rule) instead of 406, so curl and wrk work without extra headers; an Accept list
// ("a, b;q=0.5") is honoured in order instead of refused. A missing or incompatible
// Content-Type on a write is refused as in MidoNet.
//
// Thread-safety: pure functions over values.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace midonet::cluster {

struct MediaType {
    std::string type;    // lower-case, "*" for wildcard
    std::string subtype; // lower-case
    bool matches(const MediaType &concrete) const;
};

std::optional<MediaType> parseMediaType(std::string_view text);

std::string vendorType(std::string_view name, int version);
std::string vendorCollectionType(std::string_view name, int version);
inline constexpr std::string_view kJson = "application/json";
inline constexpr std::string_view kErrorType = "application/vnd.org.midonet.Error-v1+json";

// The media types one operation of a resource allows, in preference order (the first is what a
// wildcard Accept gets).
struct MediaChoice {
    std::vector<std::string> allowed;
    MediaChoice() = default;
    MediaChoice(std::initializer_list<std::string> l) : allowed(l) {}
};

// Negotiates a response type from an Accept value: the first allowed type compatible with the
// first listed acceptable range that matches anything. Empty value means "*/*". nullopt → 406.
std::optional<std::string> negotiateAccept(std::string_view accept, const MediaChoice &choice);

// Checks a request Content-Type against what an operation consumes. Returns the matched allowed
// type; nullopt when missing, unparsable or incompatible.
std::optional<std::string> matchContentType(std::string_view contentType, const MediaChoice &choice);

} // namespace midonet::cluster
