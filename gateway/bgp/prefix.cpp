#include "gateway/bgp/prefix.h"

#include <arpa/inet.h>
#include <charconv>

namespace midonet::gateway::bgp {

std::optional<Prefix> Prefix::make(Afi afi, const uint8_t *addr, uint8_t length)
{
    if (length > maxLength(afi)) return std::nullopt;
    Prefix p;
    p.afi = afi;
    p.length = length;
    unsigned full = length / 8, rest = length % 8;
    for (unsigned i = 0; i < full; ++i) p.bytes[i] = addr[i];
    if (rest) p.bytes[full] = addr[full] & uint8_t(0xff00u >> rest);
    return p;
}

std::optional<Prefix> Prefix::v4(uint32_t a, uint8_t length)
{
    uint8_t b[4] = {uint8_t(a >> 24), uint8_t(a >> 16), uint8_t(a >> 8), uint8_t(a)};
    return make(Afi::Ipv4, b, length);
}

std::optional<Prefix> Prefix::parse(std::string_view text)
{
    auto slash = text.find('/');
    if (slash == std::string_view::npos) return std::nullopt;
    std::string addr(text.substr(0, slash));
    auto lenText = text.substr(slash + 1);
    unsigned len = 0;
    auto [end, ec] = std::from_chars(lenText.data(), lenText.data() + lenText.size(), len);
    if (ec != std::errc{} || end != lenText.data() + lenText.size() || lenText.empty())
        return std::nullopt;
    uint8_t buf[16] = {};
    if (inet_pton(AF_INET, addr.c_str(), buf) == 1) {
        if (len > 32) return std::nullopt;
        return make(Afi::Ipv4, buf, uint8_t(len));
    }
    if (inet_pton(AF_INET6, addr.c_str(), buf) == 1) {
        if (len > 128) return std::nullopt;
        return make(Afi::Ipv6, buf, uint8_t(len));
    }
    return std::nullopt;
}

std::string Prefix::addressString() const
{
    char out[INET6_ADDRSTRLEN] = {};
    inet_ntop(afi == Afi::Ipv4 ? AF_INET : AF_INET6, bytes.data(), out, sizeof out);
    return out;
}

std::string Prefix::toString() const { return addressString() + "/" + std::to_string(length); }

} // namespace midonet::gateway::bgp
