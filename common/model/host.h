// Host (a hypervisor or gateway running an agent), its interfaces as the agent reports them, and
// the binding of a virtual port to one of its interfaces.
// Invariants: addresses, hostInterfaces and alive are read-only (agent state); a binding always
// names both the port and the interface.
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

struct HostInterface {
    static constexpr std::string_view kType = "";
    static constexpr std::string_view kMediaType = "Interface-v1";

    std::optional<util::Uuid> hostId;
    std::string name;
    std::optional<util::MacAddress> mac;
    int32_t mtu = 0;
    InterfaceType type = InterfaceType::Unknown;
    InterfaceEndpoint endpoint = InterfaceEndpoint::Unknown;
    std::optional<InterfacePortType> portType;
    std::vector<std::string> addresses; // IPv4 or IPv6 text, as the agent saw them
    int32_t status = 0;                 // bit 0 up, bit 1 carrier

    static const Schema<HostInterface> &schema();
    bool operator==(const HostInterface &) const = default;
};

struct Host {
    static constexpr std::string_view kType = "hosts";
    static constexpr std::string_view kMediaType = "Host-v3";

    util::Uuid id;
    std::optional<std::string> name;
    std::vector<std::string> addresses;        // RO
    std::vector<HostInterface> hostInterfaces; // RO
    bool alive = false;                        // RO
    // Defaults are the agent's registration values (unconfirmed for containerLimit).
    std::optional<int32_t> floodingProxyWeight = 1;
    std::optional<int32_t> containerWeight = 1;
    std::optional<int32_t> containerLimit = -1;
    std::optional<bool> enforceContainerLimit = false;

    static const Schema<Host> &schema();
    bool operator==(const Host &) const = default;
};

// /hosts/{hostId}/ports/{portId}: not stored by itself; it is the port's hostId+interfaceName.
struct HostInterfacePort {
    static constexpr std::string_view kType = "";
    static constexpr std::string_view kMediaType = "HostInterfacePort-v1";

    std::optional<util::Uuid> hostId; // from the path
    std::optional<util::Uuid> portId;
    std::string interfaceName;

    static const Schema<HostInterfacePort> &schema();
    bool operator==(const HostInterfacePort &) const = default;
};

} // namespace midonet::model
