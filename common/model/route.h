// Route: an entry of a router's routing table.
// Invariants: a Normal route has a nextHopPort (a port of routerId); Local routes are created by
// the server for router port addresses; learned is read-only (BGP).
// Thread-safety: plain value.
#pragma once

#include "common/model/enums.h"
#include "common/model/schema.h"
#include "common/util/net_types.h"
#include "common/util/uuid.h"

#include <optional>
#include <string>

namespace midonet::model {

struct Route {
    static constexpr std::string_view kType = "routes";
    static constexpr std::string_view kMediaType = "Route-v1";

    util::Uuid id;
    std::optional<util::Uuid> routerId; // RO: from the path, or the next-hop port's router
    RouteType type = RouteType::Normal;
    util::IPv4Address srcNetworkAddr;
    int32_t srcNetworkLength = 0;
    util::IPv4Address dstNetworkAddr;
    int32_t dstNetworkLength = 0;
    std::optional<util::Uuid> nextHopPort;
    std::optional<util::IPv4Address> nextHopGateway;
    int32_t weight = 0;
    std::optional<std::string> attributes;
    bool learned = false; // RO

    util::IPv4Subnet src() const { return {srcNetworkAddr, uint8_t(srcNetworkLength)}; }
    util::IPv4Subnet dst() const { return {dstNetworkAddr, uint8_t(dstNetworkLength)}; }

    static const Schema<Route> &schema();
    bool operator==(const Route &) const = default;
};

} // namespace midonet::model
