#include "agent/topology/topology_cache.h"

#include <spdlog/spdlog.h>

namespace midonet::agent {

TopologyCache::TopologyCache(store::Store &store, LocalBindings local, Invalidate invalidate)
    : store_(store), local_(std::move(local)), invalidate_(std::move(invalidate))
{
}

TopologyCache::~TopologyCache() { stop(); }

void TopologyCache::start()
{
    for (const auto &type : ModelSet::types()) {
        auto watched = store_.watchCollection(type, [this](const store::Change &c) { onChange(c); });
        {
            std::lock_guard lock(mu_);
            for (const auto &obj : watched.initial) {
                std::string err;
                if (!models_.apply(type, obj.id, obj.data, &err))
                    spdlog::warn("ignoring {}/{}: {}", type, obj.id.toString(), err);
            }
        }
        subscriptions_.push_back(std::move(watched.subscription));
    }
    session_ = store_.subscribeSession([this](store::SessionEvent e) {
        if (e != store::SessionEvent::reestablished) return;
        // Watches are re-armed by the store and report what changed; the flows simulated
        // against what we knew before the gap are dropped wholesale to be safe.
        generation_.fetch_add(1);
        if (invalidate_) invalidate_({}, true);
    });
    generation_.fetch_add(1);
    std::lock_guard lock(mu_);
    spdlog::info("topology loaded: {} bridges, {} routers, {} ports, {} chains, {} rules, {} hosts",
                 models_.bridges.size(), models_.routers.size(), models_.ports.size(),
                 models_.chains.size(), models_.rules.size(), models_.hosts.size());
}

void TopologyCache::stop()
{
    subscriptions_.clear();
    session_.cancel();
}

std::vector<flow::FlowTag> TopologyCache::tagsFor(const ModelSet &m, const std::string &type,
                                                  const util::Uuid &id, bool *all)
{
    using flow::FlowTag;
    std::vector<FlowTag> tags{FlowTag::device(id)};
    *all = false;
    if (type == "hosts" || type == "tunnel_zones") {
        // Tunnel endpoints moved: every flow to a remote port may now point at the wrong host.
        *all = true;
    } else if (type == "ports") {
        // A port appearing, going, linking or binding changes its device's flood set, the
        // routes through it and the MACs behind it: the device's flows depend on all that.
        if (auto it = m.ports.find(id); it != m.ports.end()) {
            if (it->second.deviceId) tags.push_back(FlowTag::device(*it->second.deviceId));
            if (it->second.peerId) tags.push_back(FlowTag::device(*it->second.peerId));
        }
    } else if (type == "routes") {
        // A new route can win longest-prefix match for flows that used another one: the whole
        // router is re-simulated (MidoNet narrows this with destination tags; so may we later).
        if (auto it = m.routes.find(id); it != m.routes.end()) {
            if (it->second.routerId) tags.push_back(FlowTag::device(*it->second.routerId));
            if (it->second.nextHopPort)
                if (auto p = m.ports.find(*it->second.nextHopPort); p != m.ports.end() && p->second.deviceId)
                    tags.push_back(FlowTag::device(*p->second.deviceId));
        }
    } else if (type == "rules") {
        if (auto it = m.rules.find(id); it != m.rules.end()) {
            if (it->second.chainId) tags.push_back(FlowTag::device(*it->second.chainId));
            if (it->second.jumpChainId) tags.push_back(FlowTag::device(*it->second.jumpChainId));
            // The simulation registers connections only while some rule tests `flow`; flows
            // simulated without registration carry this tag and must be re-simulated now.
            const auto &c = it->second.condition;
            if (c.matchForwardFlow || c.matchReturnFlow) tags.push_back(FlowTag::conntrackPolicy());
        }
    } else if (type == "pool_members") {
        if (auto it = m.poolMembers.find(id); it != m.poolMembers.end() && it->second.poolId)
            tags.push_back(FlowTag::device(*it->second.poolId));
    } else if (type == "port_groups") {
        if (auto it = m.portGroups.find(id); it != m.portGroups.end())
            for (const auto &p : it->second.portIds) tags.push_back(FlowTag::device(p));
    }
    return tags;
}

void TopologyCache::onChange(const store::Change &c)
{
    if (!c.key.empty()) return; // children (alive, tables) are not topology
    std::vector<flow::FlowTag> tags;
    bool all = false;
    {
        std::lock_guard lock(mu_);
        // Tags from the old form (what existing flows depended on) and the new one.
        tags = tagsFor(models_, c.type, c.id, &all);
        std::string err;
        const std::string data = c.op == store::ChangeOp::deleted ? std::string() : c.data;
        if (!models_.apply(c.type, c.id, data, &err)) {
            spdlog::warn("ignoring {} of {}/{}: {}", store::toString(c.op), c.type, c.id.toString(), err);
            return;
        }
        bool allNew = false;
        auto more = tagsFor(models_, c.type, c.id, &allNew);
        tags.insert(tags.end(), more.begin(), more.end());
        all = all || allNew;
        generation_.fetch_add(1);
    }
    spdlog::debug("{} {}/{}: invalidating {} tags{}", store::toString(c.op), c.type,
                  c.id.toString(), tags.size(), all ? " (all flows)" : "");
    if (invalidate_) invalidate_(tags, all);
}

std::pair<std::shared_ptr<const sim::TopologySnapshot>, uint64_t> TopologyCache::snapshot()
{
    std::lock_guard lock(mu_);
    const uint64_t gen = generation_.load();
    if (!snapshot_ || snapshotGeneration_ != gen) {
        snapshot_ = buildSnapshot(models_, local_);
        snapshotGeneration_ = gen;
    }
    return {snapshot_, snapshotGeneration_};
}

void TopologyCache::localBindingsChanged() { generation_.fetch_add(1); }

ModelSet TopologyCache::models() const
{
    std::lock_guard lock(mu_);
    return models_;
}

} // namespace midonet::agent

namespace midonet::agent {

std::vector<TopologyCache::Binding> TopologyCache::boundPorts(const util::Uuid &host) const
{
    std::lock_guard lock(mu_);
    std::vector<Binding> out;
    for (const auto &[id, p] : models_.ports)
        if (p.isExterior() && *p.hostId == host)
            out.push_back({id, p.deviceId.value_or(util::Uuid{}), *p.interfaceName,
                           uint32_t(p.tunnelKey.value_or(0)),
                           p.isBridgePort() ? uint16_t(p.vlanId.value_or(0)) : uint16_t(0)});
    return out;
}

std::vector<TopologyCache::GatewayPort> TopologyCache::gatewayPorts() const
{
    std::lock_guard lock(mu_);
    std::vector<GatewayPort> out;
    for (const auto &[id, p] : models_.ports)
        if (p.isExterior() && p.isBridgePort() && p.vlanId.value_or(0) != 0 && p.deviceId)
            out.push_back({id, *p.deviceId, *p.hostId, uint16_t(*p.vlanId)});
    return out;
}

std::pair<std::vector<util::Uuid>, std::vector<util::Uuid>> TopologyCache::deviceIds() const
{
    std::lock_guard lock(mu_);
    std::pair<std::vector<util::Uuid>, std::vector<util::Uuid>> out;
    for (const auto &[id, b] : models_.bridges) out.first.push_back(id);
    for (const auto &[id, r] : models_.routers) out.second.push_back(id);
    return out;
}

std::optional<util::IPv4Address> TopologyCache::tunnelAddress(const util::Uuid &host) const
{
    std::lock_guard lock(mu_);
    for (const auto &[id, z] : models_.tunnelZones)
        for (const auto &h : z.hosts)
            if (h.hostId == host) return h.ipAddress;
    return std::nullopt;
}

} // namespace midonet::agent
