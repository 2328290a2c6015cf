#include "agent/topology/reach.h"

#include <deque>

namespace midonet::agent {

const std::vector<std::string> &lazyTypes()
{
    static const std::vector<std::string> t = {"bridges", "routers", "chains", "rules", "ip_addr_groups",
                                               "load_balancers"};
    return t;
}

bool isLazyType(const std::string &type)
{
    for (const auto &t : lazyTypes())
        if (t == type) return true;
    return false;
}

Reach computeReach(const ModelSet &m, const util::Uuid &host)
{
    Reach reach;
    for (const auto &t : lazyTypes()) reach[t];
    auto &bridges = reach["bridges"], &routers = reach["routers"], &chains = reach["chains"],
         &rules = reach["rules"], &groups = reach["ip_addr_groups"], &lbs = reach["load_balancers"];

    std::unordered_map<util::Uuid, std::vector<util::Uuid>> portsOfDevice;
    for (const auto &[id, p] : m.ports)
        if (p.deviceId) portsOfDevice[*p.deviceId].push_back(id);

    std::unordered_set<util::Uuid> seenPorts;
    std::deque<util::Uuid> ports; // to visit
    for (const auto &[id, p] : m.ports)
        if (p.isExterior() && *p.hostId == host) ports.push_back(id);

    auto chain = [&](const std::optional<util::Uuid> &c) {
        if (c && !c->isNil()) chains.insert(*c);
    };
    auto device = [&](const model::Port &p) {
        if (!p.deviceId) return;
        auto &set = p.isRouterPort() ? routers : bridges;
        if (!set.insert(*p.deviceId).second) return;
        for (const auto &q : portsOfDevice[*p.deviceId]) ports.push_back(q);
    };
    while (!ports.empty()) {
        const util::Uuid id = ports.front();
        ports.pop_front();
        if (!seenPorts.insert(id).second) continue;
        auto it = m.ports.find(id);
        if (it == m.ports.end()) continue;
        const auto &p = it->second;
        chain(p.inboundFilterId);
        chain(p.outboundFilterId);
        device(p);
        if (p.peerId) ports.push_back(*p.peerId);
    }
    for (const auto &id : bridges)
        if (auto it = m.bridges.find(id); it != m.bridges.end()) {
            chain(it->second.inboundFilterId);
            chain(it->second.outboundFilterId);
        }
    for (const auto &id : routers)
        if (auto it = m.routers.find(id); it != m.routers.end()) {
            chain(it->second.inboundFilterId);
            chain(it->second.outboundFilterId);
            if (it->second.loadBalancerId) lbs.insert(*it->second.loadBalancerId);
        }
    // Chains -> rules -> jump chains, transitively, over what is loaded.
    std::deque<util::Uuid> todo(chains.begin(), chains.end());
    while (!todo.empty()) {
        const util::Uuid c = todo.front();
        todo.pop_front();
        auto it = m.chains.find(c);
        if (it == m.chains.end()) continue;
        for (const auto &r : it->second.ruleIds) {
            rules.insert(r);
            auto rit = m.rules.find(r);
            if (rit == m.rules.end()) continue;
            const auto &rule = rit->second;
            if (rule.jumpChainId && chains.insert(*rule.jumpChainId).second) todo.push_back(*rule.jumpChainId);
            if (rule.condition.ipAddrGroupSrc) groups.insert(*rule.condition.ipAddrGroupSrc);
            if (rule.condition.ipAddrGroupDst) groups.insert(*rule.condition.ipAddrGroupDst);
        }
    }
    return reach;
}

} // namespace midonet::agent
