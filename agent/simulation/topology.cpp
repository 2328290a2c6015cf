#include "agent/simulation/topology.h"

#include "agent/simulation/detail/route_table.h"

#include <algorithm>

namespace midonet::sim {

bool Pool::isUp() const
{
    if (!adminUp) return false;
    return std::any_of(members.begin(), members.end(), [](const PoolMember &m) { return m.isActive(); });
}

void Condition::computeFieldsSet()
{
    uint32_t f = 0;
    if (matchForwardFlow) f |= kCondFlow;
    if (noVlan) f |= kCondNoVlan;
    if (vlan.set()) f |= kCondVlan;
    if (portGroup.set()) f |= kCondPortGroup;
    if (inPortGroup.set()) f |= kCondInPortGroup;
    if (outPortGroup.set()) f |= kCondOutPortGroup;
    if (!inPorts.empty()) f |= kCondInPorts;
    if (!outPorts.empty()) f |= kCondOutPorts;
    if (etherType.set()) f |= kCondEtherType;
    if (ethSrc.set()) f |= kCondEthSrc;
    if (ethDst.set()) f |= kCondEthDst;
    if (nwTos.set()) f |= kCondTos;
    if (nwProto.set()) f |= kCondProto;
    if (nwSrc.set()) f |= kCondNwSrc;
    if (nwDst.set()) f |= kCondNwDst;
    if (tpSrc.set()) f |= kCondTpSrc;
    if (tpDst.set()) f |= kCondTpDst;
    if (ipAddrGroupSrc.set()) f |= kCondAddrGroupSrc;
    if (ipAddrGroupDst.set()) f |= kCondAddrGroupDst;
    if (traversedDevice.set()) f |= kCondTraversed;
    if (icmpDataSrc.set() || icmpDataDst.set()) f |= kCondIcmpData;
    if (matchNwDstRewritten) f |= kCondDstRewritten;
    fieldsSet = f;
}

CompactCondition CompactCondition::from(const Condition &c)
{
    CompactCondition cc;
    cc.fieldsSet = c.fieldsSet;
    cc.fragmentPolicy = c.fragmentPolicy;
    cc.conjunctionInv = c.conjunctionInv;
    auto inv = [&](bool b, int bit) { cc.inverts |= uint8_t(b ? 1 << bit : 0); };
    if (c.etherType.set()) cc.etherType = *c.etherType.value;
    if (c.nwTos.set()) cc.tos = *c.nwTos.value;
    if (c.nwProto.set()) cc.proto = *c.nwProto.value;
    if (c.nwSrc.set()) {
        cc.srcLength = c.nwSrc.value->length;
        cc.srcMask = c.nwSrc.value->mask();
        cc.srcNet = c.nwSrc.value->network().value;
    }
    if (c.nwDst.set()) {
        cc.dstLength = c.nwDst.value->length;
        cc.dstMask = c.nwDst.value->mask();
        cc.dstNet = c.nwDst.value->network().value;
    }
    if (c.tpSrc.set()) cc.tpSrc = *c.tpSrc.value;
    if (c.tpDst.set()) cc.tpDst = *c.tpDst.value;
    inv(c.etherType.invert, 0);
    inv(c.nwTos.invert, 1);
    inv(c.nwProto.invert, 2);
    inv(c.nwSrc.invert, 3);
    inv(c.nwDst.invert, 4);
    inv(c.tpSrc.invert, 5);
    inv(c.tpDst.invert, 6);
    return cc;
}

Uuid derivedId(const Uuid &base, uint64_t salt)
{
    uint64_t h = base.hi ^ (salt * 0x9e3779b97f4a7c15ULL);
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    uint64_t l = base.lo ^ (h + salt);
    l ^= l >> 29;
    l *= 0xc4ceb9fe1a85ec53ULL;
    return Uuid{h, l};
}

void TopologySnapshot::finalize()
{
    bridgeIndex_.clear();
    for (auto &[id, b] : bridges_) bridgeIndex_[id];
    for (auto &[id, p] : ports_) {
        if (p.deviceType != DeviceType::Bridge) continue;
        auto it = bridgeIndex_.find(p.deviceId);
        if (it == bridgeIndex_.end()) continue;
        BridgeIndex &bi = it->second;
        if (p.isExterior()) bi.exteriorPorts.push_back(id);
        if (p.isInterior() && p.vlanId != 0) {
            bi.vlanPorts.push_back(id);
            bi.vlanAware = true;
        }
        if (p.isInterior()) {
            const Port *peer = port(p.peerId);
            if (peer && peer->deviceType == DeviceType::Router) {
                bi.routerPortByMac[peer->mac] = id;
                if (peer->hasAddress()) bi.routerPortByIp[peer->ip()] = id;
            }
        }
    }
    // Deterministic flood order, whatever the hash map's.
    for (auto &[id, bi] : bridgeIndex_) {
        std::sort(bi.exteriorPorts.begin(), bi.exteriorPorts.end());
        std::sort(bi.vlanPorts.begin(), bi.vlanPorts.end());
    }

    // Implicit port routes, as the cluster creates them with each router port.
    for (auto &[id, p] : ports_) {
        if (p.deviceType != DeviceType::Router || !p.hasAddress()) continue;
        auto rit = routers_.find(p.deviceId);
        if (rit == routers_.end()) continue;
        Router &r = rit->second;
        IPv4Subnet host{p.ip(), 32};
        IPv4Subnet net{p.address.network(), p.address.length};
        bool haveLocal = false, haveNet = false;
        for (const Route &rt : r.routes) {
            if (rt.nextHop == NextHop::Local && rt.dst.network() == host.network() &&
                rt.dst.length == 32)
                haveLocal = true;
            if (rt.nextHop == NextHop::Port && rt.nextHopPort == id &&
                rt.dst.network() == net.network() && rt.dst.length == net.length)
                haveNet = true;
        }
        if (!haveLocal) {
            Route rt;
            rt.id = derivedId(id, 1);
            rt.dst = host;
            rt.nextHop = NextHop::Local;
            rt.nextHopPort = id;
            rt.weight = 0;
            r.routes.push_back(rt);
        }
        if (!haveNet) {
            Route rt;
            rt.id = derivedId(id, 2);
            rt.dst = net;
            rt.nextHop = NextHop::Port;
            rt.nextHopPort = id;
            rt.weight = 0;
            r.routes.push_back(rt);
        }
    }
    routerSourceRoutes_.clear();
    routeTables_.clear();
    for (auto &[id, r] : routers_) {
        // Longest prefix first, then weight: the lookup can stop at the first usable length.
        std::stable_sort(r.routes.begin(), r.routes.end(), [](const Route &a, const Route &b) {
            if (a.dst.length != b.dst.length) return a.dst.length > b.dst.length;
            return a.weight < b.weight;
        });
        routerSourceRoutes_[id] = std::any_of(r.routes.begin(), r.routes.end(),
                                              [](const Route &rt) { return rt.src.length != 0; });
        routeTables_[id] = std::make_shared<const detail::RouteTable>(r.routes);
    }

    anyFlowCondition_ = false;
    for (auto &[id, c] : chains_) {
        c.compact.clear();
        c.compact.reserve(c.rules.size());
        for (Rule &r : c.rules) {
            r.cond.computeFieldsSet();
            c.compact.push_back(CompactCondition::from(r.cond));
            if (r.cond.matchForwardFlow.has_value()) anyFlowCondition_ = true;
        }
    }

    for (auto &[id, g] : ipAddrGroups_) std::sort(g.addresses.begin(), g.addresses.end());

    lbSticky_.clear();
    for (auto &[id, p] : pools_)
        if (p.stickySourceIp) lbSticky_[p.loadBalancerId] = true;
    finalized_ = true;
}

bool TopologySnapshot::ipInGroup(const Uuid &group, IPv4Address ip) const
{
    const IpAddrGroup *g = ipAddrGroup(group);
    return g && std::binary_search(g->addresses.begin(), g->addresses.end(), ip);
}

bool TopologySnapshot::anyStickyPool(const Uuid &lb) const { return lbSticky_.count(lb) != 0; }

bool TopologySnapshot::routerHasSourceRoutes(const Uuid &router) const
{
    auto it = routerSourceRoutes_.find(router);
    return it != routerSourceRoutes_.end() && it->second;
}

const detail::RouteTable *TopologySnapshot::routeTable(const Uuid &router) const
{
    auto it = routeTables_.find(router);
    return it == routeTables_.end() ? nullptr : it->second.get();
}

} // namespace midonet::sim
