// Tenant: comes from the auth provider, not the NSDB; the API only lists and shows it.
// Invariants: id is free text (Keystone project ids are not UUIDs).
// Thread-safety: plain value.
#pragma once

#include "common/model/schema.h"

#include <optional>
#include <string>

namespace midonet::model {

struct Tenant {
    static constexpr std::string_view kType = "tenants";
    static constexpr std::string_view kMediaType = "Tenant-v2";

    std::string id;
    std::optional<std::string> name;
    std::optional<std::string> description;
    bool enabled = true;

    static const Schema<Tenant> &schema();
    bool operator==(const Tenant &) const = default;
};

} // namespace midonet::model
