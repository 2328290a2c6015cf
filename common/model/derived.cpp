#include "common/model/derived.h"

#include "common/model/detail/plan.h"
#include "common/model/references.h"

#include <random>

namespace midonet::model {

util::Uuid localRouteId(const util::Uuid &portId, util::IPv4Address address)
{
    // Mix the address into the port id and keep the result a well-formed version-4 UUID; a
    // collision needs two ports whose ids differ in exactly these bits.
    uint64_t mix = (uint64_t(address.value) * 0x9e3779b97f4a7c15ULL) ^ 0x4c4f43414c525445ULL;
    util::Uuid id{portId.hi ^ (mix & 0xffffffff0fffULL), portId.lo ^ (mix >> 8)};
    id.hi = (id.hi & ~0xf000ULL) | 0x4000ULL;
    id.lo = (id.lo & ~(0xc0ULL << 56)) | (0x80ULL << 56);
    return id;
}

std::vector<Route> localRoutes(const Port &port)
{
    std::vector<Route> out;
    if (port.type != PortType::Router || !port.deviceId) return out;
    for (const auto &subnet : port.portSubnet) {
        Route r;
        r.id = localRouteId(port.id, subnet.address);
        r.routerId = port.deviceId;
        r.type = RouteType::Local;
        r.srcNetworkAddr = {0};
        r.srcNetworkLength = 0;
        r.dstNetworkAddr = subnet.address;
        r.dstNetworkLength = 32;
        r.nextHopPort = port.id;
        r.weight = 0;
        out.push_back(r);
    }
    return out;
}

util::MacAddress randomPortMac()
{
    // ac:ca:ba:xx:xx:xx, the prefix MidoNet gives generated router port MACs (what the
    // cluster has always answered, and what the Manager's map search and fake cluster expect).
    thread_local std::mt19937_64 gen{std::random_device{}()};
    return util::MacAddress::fromU64(0xaccaba000000ULL | (gen() & 0xffffff));
}

void prepareNewPort(Port &port, const util::Uuid &deviceId)
{
    if (port.id.isNil()) port.id = util::Uuid::random();
    port.deviceId = deviceId;
    if (port.type == PortType::Router && !port.portMac) port.portMac = randomPortMac();
}

std::vector<StoreOp> planCreatePort(const ObjectResolver &r, Port port)
{
    checkReferences(r, port);
    detail::Plan plan(r);
    plan.create("ports", port.id, encode(port, View::Store));
    for (const auto &route : localRoutes(port))
        plan.create("routes", route.id, encode(route, View::Store));
    return plan.ops();
}

std::vector<StoreOp> planUpdatePort(const ObjectResolver &r, const Port &port)
{
    detail::Plan plan(r);
    json *stored = plan.doc("ports", port.id);
    if (!stored) throw ReferenceError(404, "id", "port " + port.id.toString() + " does not exist");
    if (stored->value("type", json()) != encode(port, View::Store).value("type", json()))
        throw ValidationError("type", "cannot change a port's type");
    checkReferences(r, port);
    *plan.doc("ports", port.id) = encode(port, View::Store);
    plan.markUpdated("ports", port.id);
    auto wanted = localRoutes(port);
    // Drop LOCAL routes of addresses the port no longer has; add the new ones.
    for (const auto &routeId : r.referencing("routes", "nextHopPort", port.id)) {
        auto route = r.find<Route>(routeId);
        if (!route || route->type != RouteType::Local) continue;
        bool keep = false;
        for (const auto &w : wanted) keep = keep || w.id == routeId;
        if (!keep) plan.remove("routes", routeId);
    }
    for (const auto &w : wanted)
        if (!r.exists("routes", w.id)) plan.create("routes", w.id, encode(w, View::Store));
    return plan.ops();
}

void insertRuleId(std::vector<util::Uuid> &ruleIds, const util::Uuid &ruleId,
                  std::optional<int32_t> position)
{
    int64_t pos = position.value_or(0) == 0 ? 1 : *position;
    if (pos < 1 || pos > int64_t(ruleIds.size()) + 1)
        throw ValidationError("position", "Position exceeds number of rules in chain");
    ruleIds.insert(ruleIds.begin() + (pos - 1), ruleId);
}

bool eraseRuleId(std::vector<util::Uuid> &ruleIds, const util::Uuid &ruleId)
{
    auto it = std::find(ruleIds.begin(), ruleIds.end(), ruleId);
    if (it == ruleIds.end()) return false;
    ruleIds.erase(it);
    return true;
}

int32_t rulePosition(const std::vector<util::Uuid> &ruleIds, const util::Uuid &ruleId)
{
    auto it = std::find(ruleIds.begin(), ruleIds.end(), ruleId);
    return it == ruleIds.end() ? 0 : int32_t(it - ruleIds.begin()) + 1;
}

std::vector<StoreOp> planCreateRule(const ObjectResolver &r, const util::Uuid &chainId, Rule rule)
{
    auto chain = r.find<Chain>(chainId);
    if (!chain)
        throw ReferenceError(404, "chainId",
                             "chainId refers to chains " + chainId.toString() +
                                 ", which does not exist");
    if (rule.id.isNil()) rule.id = util::Uuid::random();
    rule.chainId = chainId;
    insertRuleId(chain->ruleIds, rule.id, rule.position);
    rule.position.reset(); // derived from the chain, never stored
    checkReferences(r, rule);
    detail::Plan plan(r);
    *plan.doc("chains", chainId) = encode(*chain, View::Store);
    plan.markUpdated("chains", chainId);
    plan.create("rules", rule.id, encode(rule, View::Store));
    return plan.ops();
}

std::vector<Rule> rulesInOrder(const ObjectResolver &r, const util::Uuid &chainId)
{
    std::vector<Rule> out;
    auto chain = r.find<Chain>(chainId);
    if (!chain) return out;
    for (const auto &id : chain->ruleIds) {
        auto rule = r.find<Rule>(id);
        if (!rule) continue; // a concurrent delete; positions stay dense over what exists
        rule->position = int32_t(out.size()) + 1;
        out.push_back(std::move(*rule));
    }
    return out;
}

void deriveVip(const ObjectResolver &r, Vip &vip)
{
    vip.loadBalancerId.reset();
    if (!vip.poolId) return;
    if (auto pool = r.find<Pool>(*vip.poolId)) vip.loadBalancerId = pool->loadBalancerId;
}

void deriveLoadBalancer(const ObjectResolver &r, LoadBalancer &lb)
{
    auto routers = r.referencing("routers", "loadBalancerId", lb.id);
    lb.routerId = routers.empty() ? std::nullopt : std::optional<util::Uuid>(routers.front());
}

} // namespace midonet::model
