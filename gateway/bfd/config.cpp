#include "gateway/bfd/config.h"

namespace midonet::gateway::bfd {

namespace {

class ConfigCategory : public std::error_category {
public:
    const char *name() const noexcept override { return "bfd-config"; }
    std::string message(int e) const override
    {
        switch (ConfigError(e)) {
        case ConfigError::BadDesiredMinTx: return "BFD desired min TX interval out of range";
        case ConfigError::BadRequiredMinRx: return "BFD required min RX interval out of range";
        case ConfigError::BadDetectMult: return "BFD detect multiplier is 0";
        }
        return "unknown BFD config error";
    }
};

bool inRange(std::chrono::microseconds v) { return v >= kMinInterval && v <= kMaxInterval; }

} // namespace

const std::error_category &configCategory()
{
    static ConfigCategory c;
    return c;
}

std::error_code validate(const SessionConfig &c, std::string *detail)
{
    auto fail = [&](ConfigError e, std::string why) {
        if (detail) *detail = std::move(why);
        return make_error_code(e);
    };
    if (!inRange(c.desiredMinTx))
        return fail(ConfigError::BadDesiredMinTx, "bfd.desiredMinTx: " + std::to_string(c.desiredMinTx.count()) +
                                                       " us is outside 10000..60000000 us");
    if (!inRange(c.requiredMinRx))
        return fail(ConfigError::BadRequiredMinRx, "bfd.requiredMinRx: " + std::to_string(c.requiredMinRx.count()) +
                                                        " us is outside 10000..60000000 us");
    if (c.detectMult == 0) return fail(ConfigError::BadDetectMult, "bfd.detectMult: must be at least 1");
    return {};
}

} // namespace midonet::gateway::bfd
