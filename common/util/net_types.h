// Value types for the addresses every layer speaks of: MAC, IPv4, IPv6 and IPv4 subnets (CIDR).
// Invariants: values are always valid (parsing is the only way in from text and returns
// std::nullopt on bad input); IPv4 is held in host byte order; an IPv4Subnet's length is 0..32
// and its address keeps the bits the user wrote (network() masks them).
// Thread-safety: plain values, no shared state.
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace midonet::util {

struct MacAddress {
    std::array<uint8_t, 6> bytes{};

    static std::optional<MacAddress> parse(std::string_view text); // "aa:bb:cc:dd:ee:ff"
    static MacAddress fromU64(uint64_t v);
    static MacAddress broadcast() { return fromU64(0xffffffffffffULL); }
    uint64_t toU64() const;
    std::string toString() const;
    bool isBroadcast() const { return toU64() == 0xffffffffffffULL; }
    bool isMulticast() const { return bytes[0] & 1; }
    auto operator<=>(const MacAddress &) const = default;
};

struct IPv4Address {
    uint32_t value = 0; // host byte order

    static std::optional<IPv4Address> parse(std::string_view text); // dotted quad only
    std::string toString() const;
    auto operator<=>(const IPv4Address &) const = default;
};

struct IPv6Address {
    std::array<uint8_t, 16> bytes{};

    static std::optional<IPv6Address> parse(std::string_view text);
    std::string toString() const;
    auto operator<=>(const IPv6Address &) const = default;
};

struct IPv4Subnet {
    IPv4Address address;
    uint8_t length = 0;

    // "a.b.c.d/n"; without "/n" the length is 32 (as midonet-cli reads a bare address).
    static std::optional<IPv4Subnet> parse(std::string_view text);
    uint32_t mask() const { return length == 0 ? 0 : ~uint32_t(0) << (32 - length); }
    IPv4Address network() const { return {address.value & mask()}; }
    bool contains(IPv4Address a) const { return (a.value & mask()) == (address.value & mask()); }
    std::string toString() const;
    auto operator<=>(const IPv4Subnet &) const = default;
};

} // namespace midonet::util

template <> struct std::hash<midonet::util::MacAddress> {
    size_t operator()(const midonet::util::MacAddress &m) const noexcept
    {
        return std::hash<uint64_t>{}(m.toU64());
    }
};
template <> struct std::hash<midonet::util::IPv4Address> {
    size_t operator()(const midonet::util::IPv4Address &a) const noexcept
    {
        return std::hash<uint32_t>{}(a.value);
    }
};
