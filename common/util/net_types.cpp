#include "common/util/net_types.h"

#include <arpa/inet.h>
#include <charconv>
#include <cstdio>

namespace midonet::util {

namespace {
int hexDigit(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}
} // namespace

std::optional<MacAddress> MacAddress::parse(std::string_view t)
{
    if (t.size() != 17) return std::nullopt;
    MacAddress m;
    for (int i = 0; i < 6; ++i) {
        int hi = hexDigit(t[i * 3]), lo = hexDigit(t[i * 3 + 1]);
        if (hi < 0 || lo < 0) return std::nullopt;
        if (i < 5 && t[i * 3 + 2] != ':') return std::nullopt;
        m.bytes[i] = uint8_t(hi << 4 | lo);
    }
    return m;
}

MacAddress MacAddress::fromU64(uint64_t v)
{
    MacAddress m;
    for (int i = 5; i >= 0; --i, v >>= 8) m.bytes[i] = uint8_t(v);
    return m;
}

uint64_t MacAddress::toU64() const
{
    uint64_t v = 0;
    for (auto b : bytes) v = v << 8 | b;
    return v;
}

std::string MacAddress::toString() const
{
    char buf[18];
    std::snprintf(buf, sizeof buf, "%02x:%02x:%02x:%02x:%02x:%02x", bytes[0], bytes[1], bytes[2],
                  bytes[3], bytes[4], bytes[5]);
    return buf;
}

std::optional<IPv4Address> IPv4Address::parse(std::string_view t)
{
    uint32_t v = 0;
    const char *p = t.data(), *end = t.data() + t.size();
    for (int i = 0; i < 4; ++i) {
        if (i > 0) {
            if (p == end || *p != '.') return std::nullopt;
            ++p;
        }
        unsigned octet = 0;
        auto [next, ec] = std::from_chars(p, end, octet);
        if (ec != std::errc() || next == p || next - p > 3 || octet > 255) return std::nullopt;
        p = next;
        v = v << 8 | octet;
    }
    if (p != end) return std::nullopt;
    return IPv4Address{v};
}

std::string IPv4Address::toString() const
{
    char buf[16];
    std::snprintf(buf, sizeof buf, "%u.%u.%u.%u", value >> 24, (value >> 16) & 255,
                  (value >> 8) & 255, value & 255);
    return buf;
}

std::optional<IPv6Address> IPv6Address::parse(std::string_view t)
{
    if (t.size() >= INET6_ADDRSTRLEN) return std::nullopt;
    std::string s(t);
    IPv6Address a;
    if (inet_pton(AF_INET6, s.c_str(), a.bytes.data()) != 1) return std::nullopt;
    return a;
}

std::string IPv6Address::toString() const
{
    char buf[INET6_ADDRSTRLEN];
    inet_ntop(AF_INET6, bytes.data(), buf, sizeof buf);
    return buf;
}

std::optional<IPv4Subnet> IPv4Subnet::parse(std::string_view t)
{
    auto slash = t.find('/');
    auto addr = IPv4Address::parse(t.substr(0, slash));
    if (!addr) return std::nullopt;
    unsigned len = 32;
    if (slash != std::string_view::npos) {
        auto rest = t.substr(slash + 1);
        auto [next, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), len);
        if (ec != std::errc() || next != rest.data() + rest.size() || rest.empty() || len > 32)
            return std::nullopt;
    }
    return IPv4Subnet{*addr, uint8_t(len)};
}

std::string IPv4Subnet::toString() const
{
    return address.toString() + "/" + std::to_string(length);
}

} // namespace midonet::util
