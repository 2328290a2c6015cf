#include "common/model/cascade.h"

#include "common/model/detail/plan.h"

#include <functional>

namespace midonet::model {

namespace {

using detail::Plan;

class Cascade
{
public:
    explicit Cascade(const ObjectResolver &r) : p_(r), r_(r) {}

    void remove(std::string_view type, const util::Uuid &id)
    {
        json *doc = p_.doc(type, id);
        if (!doc) return; // already gone in this plan, or concurrently
        json copy = *doc;
        if (!p_.remove(type, id)) return;
        if (type == "bridges") bridge(id, copy);
        else if (type == "routers") router(id);
        else if (type == "ports") port(id, copy);
        else if (type == "chains") chain(id, copy);
        else if (type == "rules") rule(id, copy);
        else if (type == "load_balancers") loadBalancer(id);
        else if (type == "pools") pool(id);
        else if (type == "health_monitors") clearRefs("pools", "healthMonitorId", id);
        else if (type == "hosts") host(id);
        else if (type == "port_groups") portGroup(id);
        else if (type == "ip_addr_groups") ipAddrGroup(id);
        else if (type == "traces") removeAll("rules", "requestId", id); // its trace rules
    }

    std::vector<StoreOp> ops() const { return p_.ops(); }

private:
    void removeAll(std::string_view type, std::string_view field, const util::Uuid &id)
    {
        for (const auto &child : r_.referencing(type, field, id)) remove(type, child);
    }

    // Sets `field` to null in every `type` object whose field is id (or drops id from a list).
    void clearRefs(std::string_view type, std::string_view field, const util::Uuid &id)
    {
        for (const auto &other : r_.referencing(type, field, id)) {
            json *d = p_.doc(type, other);
            if (!d) continue;
            auto it = d->find(field);
            if (it == d->end()) continue;
            if (it->is_array()) detail::removeFromList(*d, field, id);
            else *it = nullptr;
            p_.markUpdated(type, other);
        }
    }

    void traces(const util::Uuid &device) { removeAll("traces", "deviceId", device); }

    void bridge(const util::Uuid &id, const json &doc)
    {
        auto vx = doc.find("vxLanPortIds");
        if (vx != doc.end() && vx->is_array() && !vx->empty())
            throw ReferenceError(409, "vxLanPortIds",
                                 "bridge " + id.toString() + " has VXLAN ports");
        removeAll("ports", "deviceId", id);
        traces(id);
    }

    void router(const util::Uuid &id)
    {
        removeAll("ports", "deviceId", id);
        removeAll("routes", "routerId", id);
        removeAll("bgp_peers", "routerId", id);
        removeAll("bgp_networks", "routerId", id);
        traces(id);
    }

    void port(const util::Uuid &id, const json &doc)
    {
        auto peer = doc.find("peerId");
        if (peer != doc.end() && peer->is_string())
            if (auto peerId = util::Uuid::parse(peer->get_ref<const std::string &>()))
                if (json *pd = p_.doc("ports", *peerId)) {
                    detail::clearField(*pd, "peerId");
                    p_.markUpdated("ports", *peerId);
                }
        removeAll("routes", "nextHopPort", id);
        traces(id);
        clearRefs("port_groups", "portIds", id);
        clearRefs("bridges", "vxLanPortIds", id);
        // Redirect rules serve the port (L2 insertions); without it they cannot stand.
        removeAll("rules", "targetPortId", id);
        clearRefs("rules", "inPorts", id);
        clearRefs("rules", "outPorts", id);
    }

    void chain(const util::Uuid &id, const json &doc)
    {
        auto rules = doc.find("ruleIds");
        if (rules != doc.end() && rules->is_array())
            for (const auto &x : *rules)
                if (x.is_string())
                    if (auto ruleId = util::Uuid::parse(x.get_ref<const std::string &>()))
                        remove("rules", *ruleId);
        removeAll("rules", "jumpChainId", id);
        for (std::string_view type : {"bridges", "routers", "ports"}) {
            clearRefs(type, "inboundFilterId", id);
            clearRefs(type, "outboundFilterId", id);
        }
        clearRefs("routers", "localRedirectChainId", id);
        clearRefs("routers", "forwardChainId", id);
        clearRefs("ip_addr_groups", "inboundChainId", id);
        clearRefs("ip_addr_groups", "outboundChainId", id);
    }

    void rule(const util::Uuid &id, const json &doc)
    {
        auto chainId = doc.find("chainId");
        if (chainId == doc.end() || !chainId->is_string()) return;
        auto cid = util::Uuid::parse(chainId->get_ref<const std::string &>());
        if (!cid) return;
        if (json *cd = p_.doc("chains", *cid))
            if (detail::removeFromList(*cd, "ruleIds", id)) p_.markUpdated("chains", *cid);
    }

    void loadBalancer(const util::Uuid &id)
    {
        removeAll("pools", "loadBalancerId", id);
        clearRefs("routers", "loadBalancerId", id);
    }

    void pool(const util::Uuid &id)
    {
        removeAll("pool_members", "poolId", id);
        removeAll("vips", "poolId", id);
    }

    void host(const util::Uuid &id)
    {
        auto bound = r_.referencing("ports", "hostId", id);
        if (!bound.empty())
            throw ReferenceError(403, "id", "host " + id.toString() + " has port " +
                                                bound.front().toString() + " bound to it");
        for (const auto &tz : r_.list("tunnel_zones"))
            if (json *d = p_.doc("tunnel_zones", tz))
                if (detail::removeFromListWhere(*d, "hosts", "hostId", id))
                    p_.markUpdated("tunnel_zones", tz);
    }

    void ipAddrGroup(const util::Uuid &id)
    {
        clearRefs("rules", "ipAddrGroupSrc", id);
        clearRefs("rules", "ipAddrGroupDst", id);
    }

    void portGroup(const util::Uuid &id)
    {
        for (std::string_view f : {"portGroup", "inPortGroup", "outPortGroup"})
            clearRefs("rules", f, id);
    }

    Plan p_;
    const ObjectResolver &r_;
};

} // namespace

std::vector<StoreOp> planDelete(const ObjectResolver &r, std::string_view type,
                                const util::Uuid &id)
{
    auto doc = r.get(type, id);
    if (!doc)
        throw ReferenceError(404, "id", std::string(type) + " " + id.toString() +
                                            " does not exist");
    if (type == "routers") {
        auto lb = doc->find("loadBalancerId");
        if (lb != doc->end() && lb->is_string())
            throw ReferenceError(409, "loadBalancerId",
                                 "router " + id.toString() + " has load balancer " +
                                     lb->get<std::string>() + " attached");
    }
    Cascade c(r);
    c.remove(type, id);
    return c.ops();
}

} // namespace midonet::model
