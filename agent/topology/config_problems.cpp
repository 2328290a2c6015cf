#include "agent/topology/config_problems.h"

#include <algorithm>

namespace midonet::agent {

namespace {

std::string describe(const model::Route &r)
{
    return "route to " + r.dst().toString();
}

std::string portSubnetOf(const model::Port &p, util::IPv4Subnet *out)
{
    if (!p.portSubnet.empty()) {
        *out = p.portSubnet.front();
        return out->toString();
    }
    return {};
}

} // namespace

std::vector<ConfigProblem> findConfigProblems(const ModelSet &m)
{
    std::vector<ConfigProblem> out;
    for (const auto &[id, r] : m.routes) {
        if (r.type != model::RouteType::Normal || !r.nextHopPort) continue;
        const util::Uuid router = r.routerId.value_or(util::Uuid{});
        if (!m.routers.count(router)) continue; // not a router this agent simulates
        auto add = [&](std::string why) { out.push_back({"routes", id, describe(r) + ": " + std::move(why)}); };
        auto pit = m.ports.find(*r.nextHopPort);
        if (pit == m.ports.end()) {
            add("next-hop port " + r.nextHopPort->toString() + " does not exist");
            continue;
        }
        const auto &p = pit->second;
        if (p.deviceId != router) {
            add("next-hop port " + r.nextHopPort->toString() + " is not a port of router " + router.toString());
            continue;
        }
        if (!p.peerId && !p.isExterior()) {
            add("next-hop port " + r.nextHopPort->toString() +
                " is neither linked nor bound to a host: matching traffic goes nowhere");
            continue;
        }
        util::IPv4Subnet subnet;
        if (r.nextHopGateway && r.nextHopGateway->value != 0 && !portSubnetOf(p, &subnet).empty() &&
            !subnet.contains(*r.nextHopGateway))
            add("gateway " + r.nextHopGateway->toString() + " is outside next-hop port's subnet " +
                subnet.toString() + ": it can never be resolved");
    }
    std::sort(out.begin(), out.end(), [](const auto &a, const auto &b) { return a.id < b.id; });
    return out;
}

} // namespace midonet::agent
