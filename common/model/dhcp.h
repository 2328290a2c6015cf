// DHCP service of a bridge: subnets (keyed by prefix/length, no id) and static hosts (keyed by
// MAC). Both are stored inside the bridge (Bridge::dhcpSubnets, each subnet's `hosts`), so a
// bridge's delete removes them with it.
// Invariants: a bridge has at most one subnet per prefix/length and a subnet one host per MAC.
// Thread-safety: plain values.
#pragma once

#include "common/model/schema.h"
#include "common/util/net_types.h"

#include <optional>
#include <string>
#include <vector>

namespace midonet::model {

struct Opt121Route {
    static constexpr std::string_view kType = "";
    util::IPv4Address destinationPrefix;
    int32_t destinationLength = 0;
    util::IPv4Address gatewayAddr;
    static const Schema<Opt121Route> &schema();
    bool operator==(const Opt121Route &) const = default;
};

struct ExtraDhcpOpt {
    static constexpr std::string_view kType = "";
    std::string optName;
    std::string optValue;
    static const Schema<ExtraDhcpOpt> &schema();
    bool operator==(const ExtraDhcpOpt &) const = default;
};

struct DhcpHost {
    static constexpr std::string_view kType = "";
    static constexpr std::string_view kMediaType = "DhcpHost-v2";
    util::MacAddress macAddr;
    std::optional<util::IPv4Address> ipAddr;
    std::optional<std::string> name;
    std::vector<ExtraDhcpOpt> extraDhcpOpts;
    static const Schema<DhcpHost> &schema();
    bool operator==(const DhcpHost &) const = default;
};

struct DhcpSubnet {
    static constexpr std::string_view kType = "";
    static constexpr std::string_view kMediaType = "DhcpSubnet-v2";
    util::IPv4Address subnetPrefix;
    int32_t subnetLength = 0;
    std::optional<util::IPv4Address> defaultGateway;
    std::optional<util::IPv4Address> serverAddr;
    std::optional<std::vector<util::IPv4Address>> dnsServerAddrs;
    std::optional<int32_t> interfaceMTU;
    std::vector<Opt121Route> opt121Routes;
    bool enabled = true;
    std::vector<DhcpHost> hosts; // storeOnly

    util::IPv4Subnet subnet() const { return {subnetPrefix, uint8_t(subnetLength)}; }
    static const Schema<DhcpSubnet> &schema();
    bool operator==(const DhcpSubnet &) const = default;
};

} // namespace midonet::model
