#include "agent/topology/snapshot_builder.h"
#include "agent/topology/gateway_ports.h"

#include <algorithm>

namespace midonet::agent {

namespace {

using util::IPv4Subnet;
using util::Uuid;

Uuid orNil(const std::optional<Uuid> &u) { return u.value_or(Uuid{}); }

IPv4Subnet subnet(const std::optional<util::IPv4Address> &addr, const std::optional<int32_t> &len)
{
    // A bare address in a rule means the host itself (/32), as midonet-cli writes it.
    return {addr.value_or(util::IPv4Address{}), uint8_t(std::clamp(len.value_or(32), 0, 32))};
}

sim::RuleAction literalAction(model::RuleType t)
{
    switch (t) {
    case model::RuleType::Accept: return sim::RuleAction::Accept;
    case model::RuleType::Drop: return sim::RuleAction::Drop;
    case model::RuleType::Reject: return sim::RuleAction::Reject;
    case model::RuleType::Return: return sim::RuleAction::Return;
    default: return sim::RuleAction::Continue;
    }
}

sim::RuleAction natAction(const std::optional<model::FlowAction> &a)
{
    switch (a.value_or(model::FlowAction::Accept)) {
    case model::FlowAction::Continue: return sim::RuleAction::Continue;
    case model::FlowAction::Return: return sim::RuleAction::Return;
    default: return sim::RuleAction::Accept;
    }
}

sim::FragmentPolicy fragmentPolicy(const model::Rule &r)
{
    if (r.condition.fragmentPolicy) {
        switch (*r.condition.fragmentPolicy) {
        case model::FragmentPolicy::Any: return sim::FragmentPolicy::Any;
        case model::FragmentPolicy::Header: return sim::FragmentPolicy::Header;
        case model::FragmentPolicy::Nonheader: return sim::FragmentPolicy::Nonheader;
        case model::FragmentPolicy::Unfragmented: return sim::FragmentPolicy::Unfragmented;
        }
    }
    // The API's defaults (reference B4): forward NAT that is not a plain floating IP only sees
    // unfragmented packets; a rule with a port range sees headers; anything else sees all.
    if (r.isForwardNat() && !r.isFloatingIpNat()) return sim::FragmentPolicy::Unfragmented;
    if (r.condition.hasL4Fields()) return sim::FragmentPolicy::Header;
    return sim::FragmentPolicy::Any;
}

template <class T, class U>
void setField(sim::CondField<T> &f, const std::optional<U> &v, bool inv)
{
    if (v) {
        f.value = T(*v);
        f.invert = inv;
    }
}

sim::Condition toSimCondition(const model::Rule &r)
{
    const auto &c = r.condition;
    sim::Condition s;
    s.fragmentPolicy = fragmentPolicy(r);
    if (c.matchForwardFlow) s.matchForwardFlow = true;
    else if (c.matchReturnFlow) s.matchForwardFlow = false;
    s.conjunctionInv = c.condInvert;
    s.noVlan = c.noVlan;
    if (c.vlan && *c.vlan != 0) s.vlan.value = uint16_t(*c.vlan);
    setField(s.portGroup, c.portGroup, c.invPortGroup);
    setField(s.inPortGroup, c.inPortGroup, c.invInPortGroup);
    setField(s.outPortGroup, c.outPortGroup, c.invOutPortGroup);
    s.inPorts = c.inPorts;
    s.inPortsInv = c.invInPorts;
    s.outPorts = c.outPorts;
    s.outPortsInv = c.invOutPorts;
    setField(s.etherType, c.dlType, c.invDlType);
    setField(s.ethSrc, c.dlSrc, c.invDlSrc);
    setField(s.ethDst, c.dlDst, c.invDlDst);
    if (c.dlSrcMask) s.ethSrcMask = c.dlSrcMask->toU64();
    if (c.dlDstMask) s.ethDstMask = c.dlDstMask->toU64();
    setField(s.nwTos, c.nwTos, c.invNwTos);
    setField(s.nwProto, c.nwProto, c.invNwProto);
    if (c.nwSrcAddress) {
        s.nwSrc.value = subnet(c.nwSrcAddress, c.nwSrcLength);
        s.nwSrc.invert = c.invNwSrc;
    }
    if (c.nwDstAddress) {
        s.nwDst.value = subnet(c.nwDstAddress, c.nwDstLength);
        s.nwDst.invert = c.invNwDst;
    }
    if (c.tpSrc) {
        s.tpSrc.value = sim::PortRange{uint16_t(c.tpSrc->start), uint16_t(c.tpSrc->end)};
        s.tpSrc.invert = c.invTpSrc;
    }
    if (c.tpDst) {
        s.tpDst.value = sim::PortRange{uint16_t(c.tpDst->start), uint16_t(c.tpDst->end)};
        s.tpDst.invert = c.invTpDst;
    }
    setField(s.ipAddrGroupSrc, c.ipAddrGroupSrc, c.invIpAddrGroupSrc);
    setField(s.ipAddrGroupDst, c.ipAddrGroupDst, c.invIpAddrGroupDst);
    setField(s.traversedDevice, c.traversedDevice, c.invTraversedDevice);
    if (c.icmpDataSrcIpAddress) {
        s.icmpDataSrc.value = subnet(c.icmpDataSrcIpAddress, c.icmpDataSrcIpLength);
        s.icmpDataSrc.invert = c.invIcmpDataSrcIp;
    }
    if (c.icmpDataDstIpAddress) {
        s.icmpDataDst.value = subnet(c.icmpDataDstIpAddress, c.icmpDataDstIpLength);
        s.icmpDataDst.invert = c.invIcmpDataDstIp;
    }
    s.matchNwDstRewritten = c.matchNwDstRewritten;
    return s;
}

sim::NextHop nextHop(model::RouteType t)
{
    switch (t) {
    case model::RouteType::BlackHole: return sim::NextHop::Blackhole;
    case model::RouteType::Reject: return sim::NextHop::Reject;
    case model::RouteType::Local: return sim::NextHop::Local;
    default: return sim::NextHop::Port;
    }
}

} // namespace

sim::Rule toSimRule(const model::Rule &r)
{
    sim::Rule s;
    s.id = r.id;
    s.cond = toSimCondition(r);
    switch (r.type) {
    case model::RuleType::Jump:
        s.kind = sim::RuleKind::Jump;
        s.action = sim::RuleAction::Jump;
        s.jumpTo = orNil(r.jumpChainId);
        break;
    case model::RuleType::Dnat:
    case model::RuleType::Snat:
        s.kind = r.type == model::RuleType::Dnat ? sim::RuleKind::Dnat : sim::RuleKind::Snat;
        s.action = natAction(r.flowAction);
        for (const auto &t : r.natTargets)
            s.natTargets.push_back({t.addressFrom, t.addressTo, uint16_t(t.portFrom), uint16_t(t.portTo)});
        break;
    case model::RuleType::RevDnat:
    case model::RuleType::RevSnat:
        s.kind = r.type == model::RuleType::RevDnat ? sim::RuleKind::RevDnat : sim::RuleKind::RevSnat;
        s.action = natAction(r.flowAction);
        break;
    default:
        // l2_transform and trace rules are not simulated yet: they neither match nor stop
        // evaluation (CONTINUE), which is what a trace rule does anyway.
        s.kind = sim::RuleKind::Literal;
        s.action = literalAction(r.type);
        break;
    }
    return s;
}

std::shared_ptr<const sim::TopologySnapshot> buildSnapshot(const ModelSet &m, const LocalBindings &local)
{
    auto snap = std::make_shared<sim::TopologySnapshot>();
    snap->localHost = local.localHost;
    snap->tunnelDpPort = local.tunnelDpPort;

    // Hosts: the address other hosts tunnel to is the host's address in its (first) tunnel zone.
    for (const auto &[id, h] : m.hosts) snap->addHost({id, {}});
    for (const auto &[zid, z] : m.tunnelZones) {
        for (const auto &member : z.hosts) {
            if (!member.hostId) continue;
            auto *known = snap->host(*member.hostId);
            if (known && known->tunnelIp.value != 0) continue;
            snap->addHost({*member.hostId, member.ipAddress});
        }
    }

    // Port groups: membership is stored on the group; the simulation wants it on the port.
    std::unordered_map<Uuid, std::vector<Uuid>> groupsOfPort;
    for (const auto &[gid, g] : m.portGroups) {
        snap->addPortGroup({gid, g.stateful});
        for (const auto &p : g.portIds) groupsOfPort[p].push_back(gid);
    }

    // Gateway ports of unreachable hosts go inactive (computed only when liveness runs).
    const auto gwPorts = local.hostReachable ? gatewayPorts(m) : std::unordered_map<Uuid, Uuid>{};
    for (const auto &[id, p] : m.ports) {
        sim::Port s;
        s.id = id;
        s.deviceId = orNil(p.deviceId);
        s.deviceType = p.isRouterPort() ? sim::DeviceType::Router : sim::DeviceType::Bridge;
        s.adminUp = p.adminStateUp;
        s.inboundFilter = orNil(p.inboundFilterId);
        s.outboundFilter = orNil(p.outboundFilterId);
        if (auto it = groupsOfPort.find(id); it != groupsOfPort.end()) s.portGroups = it->second;
        s.peerId = orNil(p.peerId);
        if (p.isExterior()) s.hostId = *p.hostId;
        s.tunnelKey = uint32_t(p.tunnelKey.value_or(0));
        if (!s.hostId.isNil() && s.hostId == local.localHost && local.dpPortOf)
            s.dpPortNo = local.dpPortOf(id);
        s.vlanId = uint16_t(p.vlanId.value_or(0));
        if (p.isExterior() && local.portActive) s.active = local.portActive(id);
        if (p.isExterior() && s.hostId != local.localHost && local.hostReachable && gwPorts.count(id) &&
            !local.hostReachable(s.hostId))
            s.active = false;
        if (p.portMac) s.mac = *p.portMac;
        if (!p.portSubnet.empty()) {
            s.address = p.portSubnet.front();
            if (p.portAddress) s.address.address = *p.portAddress;
        } else if (p.portAddress) {
            s.address = {*p.portAddress, uint8_t(p.networkLength.value_or(32))};
        }
        s.container = p.serviceContainerId.has_value();
        snap->addPort(std::move(s));
    }

    for (const auto &[id, b] : m.bridges) {
        sim::Bridge s;
        s.id = id;
        s.name = b.name.value_or("");
        s.adminUp = b.adminStateUp;
        s.inboundFilter = orNil(b.inboundFilterId);
        s.outboundFilter = orNil(b.outboundFilterId);
        if (auto it = m.bridgeArp.find(id); it != m.bridgeArp.end())
            for (const auto &[ip, mac] : it->second) s.ipMacTable[ip] = mac;
        snap->addBridge(std::move(s));
    }

    std::unordered_map<Uuid, sim::Router> routers;
    for (const auto &[id, r] : m.routers) {
        sim::Router s;
        s.id = id;
        s.name = r.name.value_or("");
        s.adminUp = r.adminStateUp;
        s.inboundFilter = orNil(r.inboundFilterId);
        s.outboundFilter = orNil(r.outboundFilterId);
        s.loadBalancer = orNil(r.loadBalancerId);
        routers.emplace(id, std::move(s));
    }
    for (const auto &[id, r] : m.routes) {
        // Routes stored against a port belong to that port's router.
        Uuid router = orNil(r.routerId);
        if (router.isNil() && r.nextHopPort)
            if (auto it = m.ports.find(*r.nextHopPort); it != m.ports.end()) router = orNil(it->second.deviceId);
        auto it = routers.find(router);
        if (it == routers.end()) continue;
        sim::Route s;
        s.id = id;
        s.src = r.src();
        s.dst = r.dst();
        s.nextHop = nextHop(r.type);
        s.nextHopPort = orNil(r.nextHopPort);
        s.gateway = r.nextHopGateway.value_or(util::IPv4Address{});
        s.weight = uint32_t(std::max(r.weight, 0));
        s.learned = r.learned;
        it->second.routes.push_back(std::move(s));
    }
    for (const auto &[router, entries] : m.learnedRoutes) {
        auto it = routers.find(router);
        if (it == routers.end()) continue;
        for (const auto &[key, routes] : entries)
            for (const auto &r : routes) {
                sim::Route s;
                s.id = r.id;
                s.src = r.src();
                s.dst = r.dst();
                s.nextHop = sim::NextHop::Port;
                s.nextHopPort = orNil(r.nextHopPort);
                s.gateway = r.nextHopGateway.value_or(util::IPv4Address{});
                s.weight = uint32_t(std::max(r.weight, 0));
                s.learned = true;
                it->second.routes.push_back(std::move(s));
            }
    }
    for (auto &[id, r] : routers) {
        // Deterministic order: the simulation's ECMP hash picks by index among equal routes.
        std::sort(r.routes.begin(), r.routes.end(), [](const auto &a, const auto &b) { return a.id < b.id; });
        snap->addRouter(std::move(r));
    }

    for (const auto &[id, c] : m.chains) {
        sim::Chain s;
        s.id = id;
        s.name = c.name.value_or("");
        for (const auto &rid : c.ruleIds)
            if (auto it = m.rules.find(rid); it != m.rules.end()) s.rules.push_back(toSimRule(it->second));
        snap->addChain(std::move(s));
    }

    for (const auto &[id, g] : m.ipAddrGroups) {
        sim::IpAddrGroup s;
        s.id = id;
        for (const auto &a : g.addresses)
            if (auto ip = util::IPv4Address::parse(a)) s.addresses.push_back(*ip);
        snap->addIpAddrGroup(std::move(s));
    }

    // Load balancing: a VIP belongs to its pool's load balancer.
    std::unordered_map<Uuid, sim::Pool> pools;
    for (const auto &[id, p] : m.pools) {
        sim::Pool s;
        s.id = id;
        s.loadBalancerId = orNil(p.loadBalancerId);
        s.adminUp = p.adminStateUp;
        pools.emplace(id, std::move(s));
    }
    for (const auto &[id, pm] : m.poolMembers) {
        auto it = pools.find(orNil(pm.poolId));
        if (it == pools.end()) continue;
        sim::PoolMember s;
        s.id = id;
        s.address = pm.address;
        s.port = uint16_t(pm.protocolPort);
        s.weight = uint32_t(std::max(pm.weight, 0));
        s.adminUp = pm.adminStateUp;
        s.status = pm.status == model::LbStatus::Active || pm.status == model::LbStatus::NoMonitor
                       ? sim::MemberStatus::Active
                       : sim::MemberStatus::Inactive;
        it->second.members.push_back(std::move(s));
    }
    std::unordered_map<Uuid, std::vector<Uuid>> vipsOfLb;
    for (const auto &[id, v] : m.vips) {
        sim::Vip s;
        s.id = id;
        s.poolId = orNil(v.poolId);
        if (auto it = pools.find(s.poolId); it != pools.end()) s.loadBalancerId = it->second.loadBalancerId;
        s.address = v.address;
        s.port = uint16_t(v.protocolPort);
        s.adminUp = v.adminStateUp;
        s.stickySourceIp = v.sessionPersistence == model::SessionPersistence::SourceIp;
        if (s.stickySourceIp)
            if (auto it = pools.find(s.poolId); it != pools.end()) it->second.stickySourceIp = true;
        vipsOfLb[s.loadBalancerId].push_back(id);
        snap->addVip(std::move(s));
    }
    for (auto &[id, p] : pools) {
        std::sort(p.members.begin(), p.members.end(), [](const auto &a, const auto &b) { return a.id < b.id; });
        snap->addPool(std::move(p));
    }
    for (const auto &[id, lb] : m.loadBalancers) {
        sim::LoadBalancer s;
        s.id = id;
        s.adminUp = lb.adminStateUp;
        if (auto it = vipsOfLb.find(id); it != vipsOfLb.end()) {
            s.vips = it->second;
            std::sort(s.vips.begin(), s.vips.end());
        }
        snap->addLoadBalancer(std::move(s));
    }

    snap->finalize();
    return snap;
}

} // namespace midonet::agent
