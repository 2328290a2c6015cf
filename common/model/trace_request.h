// Trace request: trace packets entering a device that match a condition.
// Invariants: deviceId refers to an object of the type deviceType names; limit >= 0.
// Thread-safety: plain value.
#pragma once

#include "common/model/enums.h"
#include "common/model/rule.h"
#include "common/model/schema.h"
#include "common/util/uuid.h"

#include <limits>
#include <optional>
#include <string>

namespace midonet::model {

struct TraceRequest {
    static constexpr std::string_view kType = "traces";
    static constexpr std::string_view kMediaType = "TraceRequest-v1";

    util::Uuid id;
    std::string name;
    TraceDeviceType deviceType = TraceDeviceType::Port;
    std::optional<util::Uuid> deviceId;
    Condition condition;
    int64_t creationTimestampMs = 0;
    int64_t limit = std::numeric_limits<int64_t>::max();
    bool enabled = false;

    // "bridges", "ports" or "routers".
    std::string_view deviceNsdbType() const;

    static const Schema<TraceRequest> &schema();
    bool operator==(const TraceRequest &) const = default;
};

} // namespace midonet::model
