#include "common/model/errors.h"

namespace midonet::model {

nlohmann::json ModelError::toJson() const
{
    return {{"message", what()}, {"code", code_}};
}

ValidationError::ValidationError(Violations violations)
    : ValidationError("Validation error(s) found", std::move(violations))
{
}

ValidationError::ValidationError(std::string property, std::string message)
    : ValidationError(Violations{{std::move(property), std::move(message)}})
{
}

ValidationError::ValidationError(const std::string &message, Violations violations)
    : ModelError(400, message), violations_(std::move(violations))
{
}

ValidationError ValidationError::malformed(const std::string &message)
{
    return ValidationError(message, Violations{});
}

nlohmann::json ValidationError::toJson() const
{
    auto j = ModelError::toJson();
    if (!violations_.empty()) {
        auto arr = nlohmann::json::array();
        for (const auto &v : violations_)
            arr.push_back({{"property", v.property}, {"message", v.message}});
        j["violations"] = std::move(arr);
    }
    return j;
}

std::string rangeMessage(long long lo, long long hi)
{
    return "must be between " + std::to_string(lo) + " and " + std::to_string(hi);
}

} // namespace midonet::model
