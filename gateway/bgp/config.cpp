#include "gateway/bgp/config.h"

#include <set>

namespace midonet::gateway::bgp {

namespace {
class ConfigCategory : public std::error_category {
public:
    const char *name() const noexcept override { return "bgp-config"; }
    std::string message(int e) const override
    {
        switch (ConfigError(e)) {
        case ConfigError::MissingLocalAs: return "local AS must be 1..4294967295";
        case ConfigError::MissingRouterId: return "router id must not be 0.0.0.0";
        case ConfigError::BadHoldTime: return "hold time must be 0 or at least 3 seconds";
        case ConfigError::MissingPeerAs: return "peer AS must be 1..4294967295";
        case ConfigError::DuplicatePeer: return "two peers with the same address";
        case ConfigError::PasswordTooLong: return "MD5 password longer than 80 octets";
        case ConfigError::BadNetwork: return "network is not an IPv4 or IPv6 unicast prefix";
        }
        return "unknown config error";
    }
};
} // namespace

const std::error_category &configCategory()
{
    static ConfigCategory c;
    return c;
}

std::error_code validate(const SpeakerConfig &c, std::string *detail)
{
    auto fail = [&](ConfigError e, std::string what) {
        if (detail) *detail = what + ": " + configCategory().message(int(e));
        return make_error_code(e);
    };
    if (c.localAs == 0) return fail(ConfigError::MissingLocalAs, "localAs");
    if (c.routerId == 0) return fail(ConfigError::MissingRouterId, "routerId");
    std::set<boost::asio::ip::address> seen;
    for (auto &p : c.peers) {
        std::string name = "peer " + p.address.to_string();
        if (p.remoteAs == 0) return fail(ConfigError::MissingPeerAs, name + " remoteAs");
        if (p.holdTime == 1 || p.holdTime == 2) return fail(ConfigError::BadHoldTime, name + " holdTime");
        if (p.md5Password.size() > 80) return fail(ConfigError::PasswordTooLong, name + " md5Password");
        if (!seen.insert(p.address).second) return fail(ConfigError::DuplicatePeer, name);
        std::string bfdDetail;
        if (p.bfd)
            if (auto e = bfd::validate(*p.bfd, &bfdDetail)) {
                if (detail) *detail = name + " " + bfdDetail;
                return e;
            }
    }
    for (auto &n : c.networks)
        if (n.length > Prefix::maxLength(n.afi)) return fail(ConfigError::BadNetwork, "network " + n.toString());
    return {};
}

} // namespace midonet::gateway::bgp
