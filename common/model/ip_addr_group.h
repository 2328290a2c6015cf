// IP address group: a named set of addresses, matched by rules (ipAddrGroupSrc/Dst).
// Invariants: addresses are stored in the group (storeOnly `addresses`, canonical text, no
// duplicates); an IpAddrGroupAddr's addr parses as the IP version it names (4 or 6).
// Thread-safety: plain values.
#pragma once

#include "common/model/schema.h"
#include "common/util/uuid.h"

#include <optional>
#include <string>
#include <vector>

namespace midonet::model {

struct IpAddrGroup {
    static constexpr std::string_view kType = "ip_addr_groups";
    static constexpr std::string_view kMediaType = "IpAddrGroup-v1";

    util::Uuid id;
    std::string name;
    std::optional<util::Uuid> inboundChainId;
    std::optional<util::Uuid> outboundChainId;
    std::vector<util::Uuid> ruleIds;      // RO: rules that match on this group
    std::vector<std::string> ipAddrPorts; // RO; shape unconfirmed, clients ignore it: addresses
    std::vector<std::string> addresses;   // storeOnly

    static const Schema<IpAddrGroup> &schema();
    bool operator==(const IpAddrGroup &) const = default;
};

struct IpAddrGroupAddr {
    static constexpr std::string_view kType = "";
    static constexpr std::string_view kMediaType = "IpAddrGroupAddr-v1";

    std::optional<util::Uuid> ipAddrGroupId; // from the path
    std::string addr;
    int32_t version = 4;

    static const Schema<IpAddrGroupAddr> &schema();
    bool operator==(const IpAddrGroupAddr &) const = default;
};

} // namespace midonet::model
