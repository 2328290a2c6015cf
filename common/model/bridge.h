// Bridge: a virtual L2 switch.
// Invariants: vxLanPortIds is read-only (VTEP bindings own it); filters are chain ids; DHCP
// subnets are stored in the bridge, unique by prefix/length.
// Thread-safety: plain value.
#pragma once

#include "common/model/dhcp.h"
#include "common/model/schema.h"
#include "common/util/uuid.h"

#include <optional>
#include <string>
#include <vector>

namespace midonet::model {

struct Bridge {
    static constexpr std::string_view kType = "bridges";
    static constexpr std::string_view kMediaType = "Bridge-v4";

    util::Uuid id;
    std::optional<std::string> tenantId;
    std::optional<std::string> name;
    bool adminStateUp = true;
    std::optional<util::Uuid> inboundFilterId;
    std::optional<util::Uuid> outboundFilterId;
    std::optional<util::Uuid> qosPolicyId;
    std::vector<util::Uuid> inboundMirrorIds;
    std::vector<util::Uuid> outboundMirrorIds;
    std::vector<util::Uuid> vxLanPortIds; // RO
    std::vector<DhcpSubnet> dhcpSubnets;  // storeOnly: the /bridges/{id}/dhcp sub-resource

    static const Schema<Bridge> &schema();
    bool operator==(const Bridge &) const = default;
};

} // namespace midonet::model
