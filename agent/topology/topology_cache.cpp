#include "agent/topology/topology_cache.h"

#include "agent/topology/reach.h"
#include "common/model/learned_routes.h"

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
        if (isLazyType(type)) continue;
        auto watched = store_.watchCollection(type, [this](const store::Change &c) { onChange(c); });
        {
            std::lock_guard lock(mu_);
            for (const auto &obj : watched.initial) applyLocked(type, obj.id, obj.data, obj.version, false);
        }
        subscriptions_.push_back(std::move(watched.subscription));
    }
    refreshReach();
    session_ = store_.subscribeSession([this](store::SessionEvent e) {
        if (e != store::SessionEvent::reestablished) return;
        // Watches are re-armed by the store and report what changed; the flows simulated
        // against what we knew before the gap are dropped wholesale to be safe.
        generation_.fetch_add(1);
        if (invalidate_) invalidate_({}, true);
    });
    generation_.fetch_add(1);
    std::lock_guard lock(mu_);
    spdlog::info("topology loaded: {} bridges, {} routers, {} chains, {} rules reachable from this host's "
                 "ports; {} ports, {} routes, {} hosts",
                 models_.bridges.size(), models_.routers.size(), models_.chains.size(),
                 models_.rules.size(), models_.ports.size(), models_.routes.size(), models_.hosts.size());
}

bool TopologyCache::applyLocked(const std::string &type, const util::Uuid &id, const std::string &data,
                                store::Version version, bool deleted)
{
    // A watch's first read may land after a notification newer than it (store.h: callbacks
    // may start before the watch call returns): never go back to an older version.
    if (!deleted)
        if (auto it = versions_.find(id); it != versions_.end() && it->second > version) return false;
    std::string err;
    if (!models_.apply(type, id, deleted ? std::string() : data, &err)) {
        spdlog::warn("ignoring {}/{}: {}", type, id.toString(), err);
        return false;
    }
    if (deleted) versions_.erase(id);
    else versions_[id] = version;
    return true;
}

bool TopologyCache::refreshReach()
{
    std::lock_guard reachLock(reachMu_);
    bool changed = false;
    // Fixed point: a newly loaded chain names rules, a rule a jump chain, and so on; and a
    // change that lands meanwhile sets the flag again.
    for (int round = 0; round < 64 && reachDirty_.exchange(false); ++round) {
        Reach reach;
        {
            std::lock_guard lock(mu_);
            reach = computeReach(models_, local_.localHost);
        }
        std::vector<std::pair<std::string, util::Uuid>> added;
        std::vector<util::Uuid> gone;
        for (const auto &[type, ids] : reach)
            for (const auto &id : ids)
                if (!lazySubs_.count(id)) added.emplace_back(type, id);
        for (const auto &[id, sub] : lazySubs_)
            if (!reach[sub.first].count(id)) gone.push_back(id);
        for (const auto &id : gone) {
            auto node = lazySubs_.extract(id);
            node.mapped().second.cancel(); // returns after a running callback: no lock held here
            std::lock_guard lock(mu_);
            applyLocked(node.mapped().first, id, {}, 0, true);
        }
        for (const auto &[type, id] : added) {
            auto watched = store_.watchObject(type, id, [this](const store::Change &c) { onChange(c); });
            {
                std::lock_guard lock(mu_);
                if (watched.initial) applyLocked(type, id, watched.initial->data, watched.initial->version, false);
            }
            lazySubs_.emplace(id, std::make_pair(type, std::move(watched.subscription)));
        }
        if (!gone.empty() || !added.empty()) {
            changed = true;
            spdlog::debug("topology reach: {} objects loaded, {} dropped", added.size(), gone.size());
        }
        if (!added.empty()) reachDirty_ = true; // what was loaded may reach further
    }
    // No flow depends on what was just loaded or dropped: snapshot() never simulates against a
    // frontier that is behind, and the change that moved the frontier (a binding, a link, a
    // filter, a rule) invalidated the tags of what it changed. A new snapshot is enough.
    if (changed) {
        generation_.fetch_add(1);
        followLearnedRoutes(deviceIds().second); // the loaded routers' BGP routes
    }
    return changed;
}

std::pair<std::vector<ConfigProblem>, uint64_t> TopologyCache::configProblems()
{
    std::lock_guard lock(mu_);
    const uint64_t gen = generation_.load();
    if (problemsGeneration_ != gen) {
        problems_ = findConfigProblems(models_);
        problemsGeneration_ = gen;
    }
    return {problems_, gen};
}

std::map<std::string, size_t> TopologyCache::lazyLoaded() const
{
    std::lock_guard lock(mu_);
    return {{"bridges", models_.bridges.size()},       {"routers", models_.routers.size()},
            {"chains", models_.chains.size()},         {"rules", models_.rules.size()},
            {"ip_addr_groups", models_.ipAddrGroups.size()}, {"load_balancers", models_.loadBalancers.size()}};
}

void TopologyCache::stop()
{
    {
        std::lock_guard reachLock(reachMu_);
        lazySubs_.clear();
    }
    subscriptions_.clear();
    {
        std::lock_guard lock(learnedMu_);
        learnedSubs_.clear();
    }
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
        if (!applyLocked(c.type, c.id, c.data, c.version, c.op == store::ChangeOp::deleted)) return;
        // What a port, device, chain or rule says can move the frontier of what is reachable.
        if (c.type == "ports" || c.type == "bridges" || c.type == "routers" || c.type == "chains" ||
            c.type == "rules")
            reachDirty_ = true;
        bool allNew = false;
        auto more = tagsFor(models_, c.type, c.id, &allNew);
        tags.insert(tags.end(), more.begin(), more.end());
        all = all || allNew;
        generation_.fetch_add(1);
    }
    spdlog::debug("{} {}/{}: invalidating {} tags{}", store::toString(c.op), c.type,
                  c.id.toString(), tags.size(), all ? " (all flows)" : "");
    if (invalidate_) invalidate_(tags, all);
    if (c.type == "routers" && c.op != store::ChangeOp::updated) followLearnedRoutes(deviceIds().second);
}

void TopologyCache::followLearnedRoutes(const std::vector<util::Uuid> &routers)
{
    std::lock_guard guard(learnedMu_);
    std::unordered_map<util::Uuid, store::Subscription> next;
    for (const auto &id : routers) {
        if (auto it = learnedSubs_.find(id); it != learnedSubs_.end()) {
            next.emplace(id, std::move(it->second));
            learnedSubs_.erase(it);
            continue;
        }
        auto watched = store_.watchTable(model::learnedRoutesTable(id),
                                         [this, id](const store::Change &c) { onLearnedRoute(id, c); });
        {
            std::lock_guard lock(mu_);
            auto &entries = models_.learnedRoutes[id];
            for (const auto &e : watched.initial)
                if (auto routes = model::decodeLearnedRoutes(id, e.key, e.value)) entries[e.key] = std::move(*routes);
            if (entries.empty()) models_.learnedRoutes.erase(id);
            generation_.fetch_add(1);
        }
        next.emplace(id, std::move(watched.subscription));
    }
    // Routers gone: their learned routes go with them.
    for (auto &[id, sub] : learnedSubs_) {
        sub.cancel();
        std::lock_guard lock(mu_);
        models_.learnedRoutes.erase(id);
    }
    learnedSubs_ = std::move(next);
}

void TopologyCache::onLearnedRoute(const util::Uuid &router, const store::Change &c)
{
    size_t count = 0;
    {
        std::lock_guard lock(mu_);
        auto &entries = models_.learnedRoutes[router];
        if (c.op == store::ChangeOp::deleted) {
            entries.erase(c.key);
        } else if (auto routes = model::decodeLearnedRoutes(router, c.key, c.data)) {
            if (routes->empty()) entries.erase(c.key); // a chunk whose routes were all withdrawn
            else entries[c.key] = std::move(*routes);
        } else {
            spdlog::warn("ignoring learned-routes entry '{}' of router {}: bad key", c.key, router.toString());
            return;
        }
        for (const auto &[k, v] : entries) count += v.size();
        if (entries.empty()) models_.learnedRoutes.erase(router);
        generation_.fetch_add(1);
    }
    spdlog::debug("learned routes of router {}: entry {} {}, {} routes now", router.toString(), c.key,
                  store::toString(c.op), count);
    if (invalidate_) invalidate_({flow::FlowTag::device(router)}, false);
}

std::pair<std::shared_ptr<const sim::TopologySnapshot>, uint64_t> TopologyCache::snapshot()
{
    // Never simulate against a frontier that is behind: a router whose new filter chain is not
    // loaded yet would let through what the chain drops. refreshReach() waits for a refresh in
    // progress on another thread; reachDirty_ is set under mu_, so checking it there says the
    // loaded set matches this generation.
    for (;;) {
        refreshReach();
        std::unique_lock lock(mu_);
        if (reachDirty_) continue;
        return snapshotLocked();
    }
}

std::pair<std::shared_ptr<const sim::TopologySnapshot>, uint64_t> TopologyCache::snapshotLocked()
{
    const uint64_t gen = generation_.load();
    if (!snapshot_ || snapshotGeneration_ != gen) {
        snapshot_ = buildSnapshot(models_, local_);
        snapshotGeneration_ = gen;
    }
    return {snapshot_, snapshotGeneration_};
}

void TopologyCache::localBindingsChanged() { generation_.fetch_add(1); }

void TopologyCache::withModels(const std::function<void(const ModelSet &)> &fn) const
{
    std::lock_guard lock(mu_);
    fn(models_);
}

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
