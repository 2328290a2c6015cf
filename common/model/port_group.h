// Port group: a named set of ports, matched by rules; `stateful` groups share flow state.
// Invariants: membership is stored in the group (storeOnly portIds), each port at most once.
// Thread-safety: plain values.
#pragma once

#include "common/model/schema.h"
#include "common/util/uuid.h"

#include <optional>
#include <string>
#include <vector>

namespace midonet::model {

struct PortGroup {
    static constexpr std::string_view kType = "port_groups";
    static constexpr std::string_view kMediaType = "PortGroup-v1";

    util::Uuid id;
    std::optional<std::string> tenantId;
    std::optional<std::string> name;
    bool stateful = false;
    std::vector<util::Uuid> portIds; // storeOnly

    static const Schema<PortGroup> &schema();
    bool operator==(const PortGroup &) const = default;
};

// /port_groups/{id}/ports/{portId}
struct PortGroupPort {
    static constexpr std::string_view kType = "";
    static constexpr std::string_view kMediaType = "PortGroupPort-v1";

    std::optional<util::Uuid> portGroupId; // from the path
    std::optional<util::Uuid> portId;

    static const Schema<PortGroupPort> &schema();
    bool operator==(const PortGroupPort &) const = default;
};

} // namespace midonet::model
