// 128-bit UUIDs as MidoNet prints them: lowercase canonical text. Random ones are version 4.
// Thread-safety: Uuid is a value; random() is safe from any thread (thread-local generator).
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace midonet::util {

struct Uuid {
    uint64_t hi = 0, lo = 0;

    static Uuid random();
    // Accepts canonical 8-4-4-4-12 hex, either case; nullopt otherwise.
    static std::optional<Uuid> parse(std::string_view text);
    std::string toString() const;
    bool isNil() const { return hi == 0 && lo == 0; }
    auto operator<=>(const Uuid &) const = default;
};

} // namespace midonet::util

template <> struct std::hash<midonet::util::Uuid> {
    size_t operator()(const midonet::util::Uuid &u) const noexcept
    {
        return std::hash<uint64_t>{}(u.hi * 0x9e3779b97f4a7c15ULL ^ u.lo);
    }
};
