// Port: a bridge, router or VXLAN port. One struct for all three; `type` selects which of the
// type-specific fields exist (a bridge port's JSON has vlanId, a router port's the addresses).
//
// Invariants:
//  - exterior = bound to a host interface (hostId and interfaceName set); interior = linked to a
//    peer port (peerId set); a port is never both.
//  - hostId, interfaceName, peerId, deviceId, tunnelKey, active, bgpStatus, vtepId are read-only:
//    bindings, links and the server set them, never a port document.
//  - A decoded router port has portSubnet non-empty and networkAddress/networkLength derived
//    from its first entry; portAddress defaults to that entry's address.
//
// Thread-safety: plain value.
#pragma once

#include "common/model/enums.h"
#include "common/model/schema.h"
#include "common/util/net_types.h"
#include "common/util/uuid.h"

#include <optional>
#include <string>
#include <vector>

namespace midonet::model {

struct Port {
    static constexpr std::string_view kType = "ports";
    static constexpr std::string_view kMediaType = "Port-v3";

    util::Uuid id;
    PortType type = PortType::Bridge;
    bool adminStateUp = true;
    std::optional<util::Uuid> deviceId; // RO: bridge or router id, set from the create path
    std::optional<util::Uuid> inboundFilterId;
    std::optional<util::Uuid> outboundFilterId;
    std::optional<int64_t> tunnelKey; // RO: allocated by the server
    std::optional<util::Uuid> vifId;
    std::optional<util::Uuid> hostId;         // RO: binding
    std::optional<std::string> interfaceName; // RO: binding
    std::optional<util::Uuid> peerId;         // RO: link
    bool active = false;                      // RO: agent state
    std::vector<util::Uuid> inboundMirrorIds;
    std::vector<util::Uuid> outboundMirrorIds;
    std::vector<util::Uuid> postInFilterMirrorIds;
    std::vector<util::Uuid> preOutFilterMirrorIds;
    std::vector<util::Uuid> insertionIds;
    std::optional<util::Uuid> qosPolicyId;

    // Bridge
    std::optional<int32_t> vlanId; // 0 or null = untagged

    // Router
    std::optional<util::IPv4Address> portAddress;
    std::optional<util::IPv4Address> networkAddress; // derived from portSubnet[0] on output
    std::optional<int32_t> networkLength;
    std::vector<util::IPv4Subnet> portSubnet; // "10.0.0.1/24": the port's address and subnet
    std::optional<util::MacAddress> portMac;
    std::optional<int32_t> rtrPortVni;
    std::optional<bool> offRampVxlan;
    std::optional<util::Uuid> serviceContainerId;
    std::optional<std::string> bgpStatus; // RO

    // Vxlan
    std::optional<util::Uuid> vtepId; // RO
    std::optional<int32_t> vni;       // RO

    bool isExterior() const { return hostId.has_value() && interfaceName.has_value(); }
    bool isInterior() const { return peerId.has_value(); }
    bool isBridgePort() const { return type == PortType::Bridge; }
    bool isRouterPort() const { return type == PortType::Router; }

    static const Schema<Port> &schema();
    bool operator==(const Port &) const = default;
};

} // namespace midonet::model
