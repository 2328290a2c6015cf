#include "common/util/uuid.h"

#include <cstdio>
#include <random>

namespace midonet::util {

Uuid Uuid::random()
{
    thread_local std::mt19937_64 gen{std::random_device{}()};
    Uuid u{gen(), gen()};
    u.hi = (u.hi & ~0xf000ULL) | 0x4000ULL;                       // version 4
    u.lo = (u.lo & ~(0xc0ULL << 56)) | (0x80ULL << 56);           // RFC 4122 variant
    return u;
}

std::optional<Uuid> Uuid::parse(std::string_view t)
{
    if (t.size() != 36) return std::nullopt;
    Uuid u;
    int nibbles = 0;
    for (size_t i = 0; i < t.size(); ++i) {
        char c = t[i];
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (c != '-') return std::nullopt;
            continue;
        }
        int v;
        if (c >= '0' && c <= '9') v = c - '0';
        else if (c >= 'a' && c <= 'f') v = c - 'a' + 10;
        else if (c >= 'A' && c <= 'F') v = c - 'A' + 10;
        else return std::nullopt;
        uint64_t &half = nibbles < 16 ? u.hi : u.lo;
        half = half << 4 | uint64_t(v);
        ++nibbles;
    }
    return u;
}

std::string Uuid::toString() const
{
    char buf[37];
    std::snprintf(buf, sizeof buf, "%08x-%04x-%04x-%04x-%012llx", unsigned(hi >> 32),
                  unsigned(hi >> 16 & 0xffff), unsigned(hi & 0xffff), unsigned(lo >> 48),
                  (unsigned long long)(lo & 0xffffffffffffULL));
    return buf;
}

} // namespace midonet::util
