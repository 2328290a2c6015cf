// Tunnel zone: the hosts that tunnel to each other, each with the IP its tunnels use.
// Invariants: members are stored inside the zone (storeOnly `hosts`), one per host.
// Thread-safety: plain values.
#pragma once

#include "common/model/enums.h"
#include "common/model/schema.h"
#include "common/util/net_types.h"
#include "common/util/uuid.h"

#include <optional>
#include <string>
#include <vector>

namespace midonet::model {

struct TunnelZoneHost {
    static constexpr std::string_view kType = "";
    static constexpr std::string_view kMediaType = "TunnelZoneHost-v1";

    std::optional<util::Uuid> tunnelZoneId; // from the path
    std::optional<util::Uuid> hostId;
    util::IPv4Address ipAddress;

    static const Schema<TunnelZoneHost> &schema();
    bool operator==(const TunnelZoneHost &) const = default;
};

struct TunnelZone {
    static constexpr std::string_view kType = "tunnel_zones";
    static constexpr std::string_view kMediaType = "TunnelZone-v1";

    util::Uuid id;
    std::string name;
    TunnelZoneType type = TunnelZoneType::Vxlan;
    std::vector<TunnelZoneHost> hosts; // storeOnly

    static const Schema<TunnelZone> &schema();
    bool operator==(const TunnelZone &) const = default;
};

} // namespace midonet::model
