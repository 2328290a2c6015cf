// Prefix: one IPv4 or IPv6 unicast destination as BGP carries it in NLRI (RFC 4271 §4.3,
// RFC 4760 §5): an address family, a length and only the significant leading octets.
//
// Invariants: `length` is 0..32 for IPv4 and 0..128 for IPv6; bits after `length` are zero
// (construction through make()/parse() masks them), so two equal destinations compare equal
// whatever the host bits were on the wire. IPv4 uses bytes[0..3] in network order.
//
// Thread-safety: plain value, no shared state.
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace midonet::gateway::bgp {

// Address Family Identifiers (IANA) and the one SAFI we carry (unicast).
enum class Afi : uint16_t { Ipv4 = 1, Ipv6 = 2 };
inline constexpr uint8_t kSafiUnicast = 1;

struct Prefix {
    std::array<uint8_t, 16> bytes{};
    uint8_t length = 0;
    Afi afi = Afi::Ipv4;

    // Masks host bits; nullopt if the length does not fit the family.
    static std::optional<Prefix> make(Afi afi, const uint8_t *addr, uint8_t length);
    static std::optional<Prefix> v4(uint32_t hostOrderAddr, uint8_t length);
    // "10.0.0.0/8", "2001:db8::/32"; nullopt on anything else.
    static std::optional<Prefix> parse(std::string_view text);

    static constexpr unsigned maxLength(Afi afi) { return afi == Afi::Ipv4 ? 32 : 128; }
    unsigned wireOctets() const { return (length + 7u) / 8u; }
    std::string toString() const;
    std::string addressString() const; // the address part only

    bool operator==(const Prefix &) const = default;
    std::strong_ordering operator<=>(const Prefix &o) const
    {
        if (auto c = afi <=> o.afi; c != 0) return c;
        if (auto c = bytes <=> o.bytes; c != 0) return c;
        return length <=> o.length;
    }
};

struct PrefixHash {
    size_t operator()(const Prefix &p) const noexcept
    {
        // FNV-1a over the significant octets: prefixes from one peer differ mostly in them.
        uint64_t h = 1469598103934665603ull ^ (uint64_t(p.afi) << 8 | p.length);
        for (unsigned i = 0; i < p.wireOctets(); ++i) h = (h ^ p.bytes[i]) * 1099511628211ull;
        return size_t(h);
    }
};

} // namespace midonet::gateway::bgp
