// Entries of the replicated state tables: a bridge's MAC table (MAC -> port, per VLAN), a
// bridge's ARP table and a router port's peering table (IP -> MAC).
// Invariants: every field except vlanId is required.
// Thread-safety: plain values.
#pragma once

#include "common/model/schema.h"
#include "common/util/net_types.h"
#include "common/util/uuid.h"

#include <optional>

namespace midonet::model {

struct MacPortEntry {
    static constexpr std::string_view kType = "";
    static constexpr std::string_view kMediaType = "MacPort-v2";

    util::MacAddress macAddr;
    std::optional<util::Uuid> portId;
    std::optional<int32_t> vlanId;

    static const Schema<MacPortEntry> &schema();
    bool operator==(const MacPortEntry &) const = default;
};

struct Ip4MacEntry {
    static constexpr std::string_view kType = "";
    static constexpr std::string_view kMediaType = "IP4Mac-v1";

    util::IPv4Address ip;
    util::MacAddress mac;

    static const Schema<Ip4MacEntry> &schema();
    bool operator==(const Ip4MacEntry &) const = default;
};

// A router port's peering table entry (MacIp-v1): same shape as Ip4MacEntry.
struct MacIpEntry {
    static constexpr std::string_view kType = "";
    static constexpr std::string_view kMediaType = "MacIp-v1";

    util::IPv4Address ip;
    util::MacAddress mac;

    static const Schema<MacIpEntry> &schema();
    bool operator==(const MacIpEntry &) const = default;
};

} // namespace midonet::model
