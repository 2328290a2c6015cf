#include "agent/topology/gateway_ports.h"

#include <algorithm>
#include <vector>

namespace midonet::agent {

std::optional<util::IPv4Subnet> gatewayPortSubnet(const model::Port &p)
{
    util::IPv4Subnet s;
    if (!p.portSubnet.empty()) s = p.portSubnet.front();
    else if (p.networkLength) s = {p.networkAddress.value_or(util::IPv4Address{}), uint8_t(*p.networkLength)};
    else return std::nullopt;
    if (p.portAddress) s.address = *p.portAddress;
    return s;
}

std::unordered_map<util::Uuid, util::Uuid> gatewayPorts(const ModelSet &m)
{
    std::unordered_map<util::Uuid, util::Uuid> out;
    if (m.bgpPeers.empty()) return out;
    // Peers by router, so the pass over ports stays linear.
    std::unordered_map<util::Uuid, std::vector<util::IPv4Address>> peersOf;
    for (const auto &[id, b] : m.bgpPeers)
        if (b.routerId) peersOf[*b.routerId].push_back(b.address);
    for (const auto &[id, p] : m.ports) {
        if (!p.isRouterPort() || !p.isExterior() || !p.deviceId) continue;
        auto it = peersOf.find(*p.deviceId);
        if (it == peersOf.end()) continue;
        auto s = gatewayPortSubnet(p);
        if (s && std::any_of(it->second.begin(), it->second.end(), [&](auto a) { return s->contains(a); }))
            out.emplace(id, *p.hostId);
    }
    return out;
}

std::set<util::Uuid> gatewayHosts(const ModelSet &m)
{
    std::set<util::Uuid> out;
    for (const auto &[port, host] : gatewayPorts(m)) out.insert(host);
    return out;
}

std::set<util::Uuid> l2GatewayHosts(const ModelSet &m)
{
    std::set<util::Uuid> out;
    for (const auto &[id, p] : m.ports)
        if (p.isBridgePort() && p.isExterior() && p.vlanId.value_or(0) != 0) out.insert(*p.hostId);
    return out;
}

std::set<util::Uuid> livenessHosts(const ModelSet &m)
{
    auto out = gatewayHosts(m);
    out.merge(l2GatewayHosts(m));
    return out;
}

} // namespace midonet::agent
