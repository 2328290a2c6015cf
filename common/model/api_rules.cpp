#include "common/model/api_rules.h"

#include "common/model/codec.h"

namespace midonet::model {

namespace {

// The body's value of an id-list field, as ids; nullopt if absent/null or not decodable.
std::vector<util::Uuid> idList(const json &body, std::string_view field)
{
    std::vector<util::Uuid> out;
    auto it = body.find(field);
    if (it == body.end() || !it->is_array()) return out;
    for (const auto &e : *it)
        if (auto u = e.is_string() ? util::Uuid::parse(e.get_ref<const std::string &>())
                                   : std::nullopt)
            out.push_back(*u);
    return out;
}

bool presentNonNull(const json &body, std::string_view field)
{
    if (!body.is_object()) return false;
    auto it = body.find(field);
    return it != body.end() && !it->is_null();
}

} // namespace

void checkHostUpdate(const json &body)
{
    Violations v;
    for (const char *f :
         {"floodingProxyWeight", "containerWeight", "containerLimit", "enforceContainerLimit"})
        if (!presentNonNull(body, f)) v.push_back({f, "may not be null"});
    if (!v.empty()) throw ValidationError(std::move(v));
}

void checkBridgeWrite(const json &body, const Bridge *stored)
{
    // Absent or null: nothing to change (a PUT keeps the stored list).
    if (!presentNonNull(body, "vxLanPortIds")) return;
    // Even an empty list on create: the reference says absent or null (and the cluster's
    // tests held it so before this rule was the one implementation).
    if (!stored) throw ValidationError("vxLanPortIds", "is read-only and must be null on create");
    if (idList(body, "vxLanPortIds") != stored->vxLanPortIds)
        throw ValidationError("vxLanPortIds", "is read-only and cannot be changed");
}

void checkLoadBalancerWrite(const json &body, const LoadBalancer *stored)
{
    bool present = presentNonNull(body, "routerId");
    if (!stored) {
        if (present) throw ValidationError("routerId", "is read-only and must be null on create");
        return;
    }
    std::optional<util::Uuid> given;
    if (present && body["routerId"].is_string())
        given = util::Uuid::parse(body["routerId"].get_ref<const std::string &>());
    if (present != stored->routerId.has_value() || given != stored->routerId)
        throw ValidationError("routerId", "is read-only and cannot be changed");
}

void checkPortKind(const Port &port, PortType device)
{
    if (port.type == device) return;
    throw ValidationError("type", device == PortType::Bridge ? "Not a bridge port."
                                                             : "Not a router port.");
}

} // namespace midonet::model
