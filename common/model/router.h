// Router: a virtual L3 router.
// Invariants: asNumber is the local BGP AS (0 = no BGP); loadBalancerId attaches an LB.
// Thread-safety: plain value.
#pragma once

#include "common/model/schema.h"
#include "common/util/uuid.h"

#include <optional>
#include <string>
#include <vector>

namespace midonet::model {

struct Router {
    static constexpr std::string_view kType = "routers";
    static constexpr std::string_view kMediaType = "Router-v3";

    util::Uuid id;
    std::optional<std::string> tenantId;
    std::optional<std::string> name;
    bool adminStateUp = true;
    std::optional<util::Uuid> inboundFilterId;
    std::optional<util::Uuid> outboundFilterId;
    std::optional<util::Uuid> loadBalancerId;
    int64_t asNumber = 0; // 4-byte AS numbers need more than a Java int
    std::optional<util::Uuid> localRedirectChainId;
    std::optional<util::Uuid> forwardChainId;
    std::vector<util::Uuid> inboundMirrorIds;
    std::vector<util::Uuid> outboundMirrorIds;

    static const Schema<Router> &schema();
    bool operator==(const Router &) const = default;
};

} // namespace midonet::model
