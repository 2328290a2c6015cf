// Chain: an ordered list of rules, used as a device's inbound/outbound filter or a jump target.
// Invariants: ruleIds (storeOnly) is the rule order; a rule's position is its 1-based index.
// Thread-safety: plain value.
#pragma once

#include "common/model/schema.h"
#include "common/util/uuid.h"

#include <optional>
#include <string>
#include <vector>

namespace midonet::model {

struct Chain {
    static constexpr std::string_view kType = "chains";
    static constexpr std::string_view kMediaType = "Chain-v1";

    util::Uuid id;
    std::optional<std::string> tenantId;
    std::optional<std::string> name;
    std::vector<util::Uuid> ruleIds; // storeOnly, in evaluation order

    static const Schema<Chain> &schema();
    bool operator==(const Chain &) const = default;
};

} // namespace midonet::model
