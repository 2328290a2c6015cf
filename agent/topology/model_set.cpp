#include "agent/topology/model_set.h"

#include <exception>

namespace midonet::agent {

namespace {

template <class T>
bool applyTo(ModelSet::ById<T> &map, const util::Uuid &id, const std::string &data, std::string *error)
{
    if (data.empty()) {
        map.erase(id);
        return true;
    }
    try {
        T obj = model::decodeText<T>(data, model::DecodeOptions::store());
        obj.id = id;
        map[id] = std::move(obj);
        return true;
    } catch (const std::exception &e) {
        if (error) *error = e.what();
        return false;
    }
}

} // namespace

const std::vector<std::string> &ModelSet::types()
{
    static const std::vector<std::string> t = {
        "hosts", "tunnel_zones", "bridges", "routers", "ports", "routes", "chains", "rules",
        "port_groups", "ip_addr_groups", "load_balancers", "pools", "pool_members", "vips",
        "bgp_peers", "bgp_networks"};
    return t;
}

bool ModelSet::apply(const std::string &type, const util::Uuid &id, const std::string &data,
                     std::string *error)
{
    if (type == "hosts") return applyTo(hosts, id, data, error);
    if (type == "tunnel_zones") return applyTo(tunnelZones, id, data, error);
    if (type == "bridges") return applyTo(bridges, id, data, error);
    if (type == "routers") return applyTo(routers, id, data, error);
    if (type == "ports") return applyTo(ports, id, data, error);
    if (type == "routes") return applyTo(routes, id, data, error);
    if (type == "chains") return applyTo(chains, id, data, error);
    if (type == "rules") return applyTo(rules, id, data, error);
    if (type == "port_groups") return applyTo(portGroups, id, data, error);
    if (type == "ip_addr_groups") return applyTo(ipAddrGroups, id, data, error);
    if (type == "load_balancers") return applyTo(loadBalancers, id, data, error);
    if (type == "pools") return applyTo(pools, id, data, error);
    if (type == "pool_members") return applyTo(poolMembers, id, data, error);
    if (type == "vips") return applyTo(vips, id, data, error);
    if (type == "bgp_peers") return applyTo(bgpPeers, id, data, error);
    if (type == "bgp_networks") return applyTo(bgpNetworks, id, data, error);
    if (error) *error = "type '" + type + "' is not part of an agent's topology";
    return false;
}

} // namespace midonet::agent
