// BGP peers and advertised networks of a router (5.x keeps BGP at router level).
// Invariants: routerId is read-only (from the path); timers are null or within MidoNet's ranges.
// Thread-safety: plain values.
#pragma once

#include "common/model/schema.h"
#include "common/util/net_types.h"
#include "common/util/uuid.h"

#include <optional>
#include <string>

namespace midonet::model {

struct BgpPeer {
    static constexpr std::string_view kType = "bgp_peers";
    static constexpr std::string_view kMediaType = "BgpPeer-v1";

    util::Uuid id;
    std::optional<util::Uuid> routerId; // RO
    int64_t asNumber = 0; // 4-byte AS numbers need more than a Java int
    util::IPv4Address address;
    std::optional<int32_t> keepAlive;
    std::optional<int32_t> holdTime;
    std::optional<int32_t> connectRetry;
    std::optional<std::string> password;
    // RO, API only (never stored): the session as the agent running it reports it
    // (bgp_peers/<id>/status, common/model/learned_routes.h); unset when no agent runs it.
    std::optional<std::string> sessionState; // "Idle", "Connect", ... "Established"
    std::optional<int64_t> prefixesReceived;
    std::optional<int64_t> prefixesAdvertised;
    std::optional<int64_t> uptimeSeconds; // time in Established
    std::optional<util::Uuid> hostId;     // the agent's host

    static const Schema<BgpPeer> &schema();
    bool operator==(const BgpPeer &) const = default;
};

struct BgpNetwork {
    static constexpr std::string_view kType = "bgp_networks";
    static constexpr std::string_view kMediaType = "BgpNetwork-v1";

    util::Uuid id;
    std::optional<util::Uuid> routerId; // RO
    util::IPv4Address subnetAddress;
    int32_t subnetLength = 0;

    util::IPv4Subnet subnet() const { return {subnetAddress, uint8_t(subnetLength)}; }

    static const Schema<BgpNetwork> &schema();
    bool operator==(const BgpNetwork &) const = default;
};

} // namespace midonet::model
