// TopologyCache: the agent's copy of the virtual topology, kept current by NSDB watches, and the
// immutable simulation snapshots built from it (DESIGN.md: "Agents watch what they cache and
// re-read on reconnect").
//
// Every change is (1) applied to the ModelSet, (2) counted in generation(), (3) reported to the
// invalidation callback as the flow tags it may affect, in that order. snapshot() rebuilds
// lazily when something changed. The upcall path compares generations before installing a flow:
// a flow simulated on a snapshot older than the latest change is executed but not installed, so
// no stale flow can outlive the invalidation that should have removed it.
//
// What it caches: the index collections whole, and bridges, routers, chains, rules, IP address
// groups and load balancers only when the host's ports can reach them (reach.h), each through
// its own object watch. refreshReach() (at start, before every snapshot, and from the agent's
// binder thread) loads what became reachable and drops what no longer is, so no packet is
// simulated while the objects it may reach are still loading. Loading invalidates no flow: the
// change that moved the frontier already invalidated the tags of what it changed.
//
// Routes learned by BGP gateways come from each loaded router's learned_routes state table (one
// watch per router, common/model/learned_routes.h); a change there invalidates exactly that
// router's flows (its device tag).
//
// Thread-safety: the store's delivery thread calls in with changes; any thread may call
// snapshot(), generation() and models(). Internally synchronised.
#pragma once

#include "agent/simulation/topology.h"
#include "agent/topology/config_problems.h"
#include "agent/topology/model_set.h"
#include "agent/topology/snapshot_builder.h"
#include "common/flow/flow_tag.h"
#include "common/store/store.h"

#include <atomic>
#include <functional>
#include <map>
#include <unordered_map>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>

namespace midonet::agent {

class TopologyCache {
public:
    // Called with the tags a change may affect; `all` is true when everything must go (tunnel
    // zones or hosts changed, or the session was re-established and the cache re-read).
    using Invalidate = std::function<void(const std::vector<flow::FlowTag> &tags, bool all)>;

    TopologyCache(store::Store &store, LocalBindings local, Invalidate invalidate);
    ~TopologyCache();

    // Reads the index collections and everything reachable, and starts watching. Throws
    // StoreError if the NSDB cannot be read.
    void start();
    // Loads what became reachable from this host's ports, drops what no longer is. Cheap when
    // no change since the last call could have moved the frontier. Returns true if the loaded
    // set changed. One caller at a time (start(), then the binder thread).
    bool refreshReach();
    // Configuration problems in what this agent simulates (config_problems.h), with the
    // generation they were computed for; recomputed only when something changed.
    std::pair<std::vector<ConfigProblem>, uint64_t> configProblems();
    // How many objects of each lazily loaded type are loaded (status, tests).
    std::map<std::string, size_t> lazyLoaded() const;
    void stop();

    // The snapshot for the current generation, rebuilt if needed; with its generation.
    std::pair<std::shared_ptr<const sim::TopologySnapshot>, uint64_t> snapshot();
    uint64_t generation() const { return generation_.load(); }
    // Marks the snapshot stale (local bindings changed: datapath port numbers).
    void localBindingsChanged();
    // A copy of the decoded objects (status output).
    ModelSet models() const;
    // Runs `fn` on the decoded objects under the cache's lock (no copy; keep it short, and do
    // not call back into the cache from it).
    void withModels(const std::function<void(const ModelSet &)> &fn) const;

    struct Binding {
        util::Uuid portId;
        util::Uuid deviceId;
        std::string interfaceName;
        uint32_t tunnelKey = 0;
        uint16_t vlanId = 0; // a bridge port's VLAN: an L2 gateway port on a trunk interface
    };
    // The ports bound to interfaces of `host`.
    std::vector<Binding> boundPorts(const util::Uuid &host) const;
    // L2 gateway ports: bridge ports with a vlanId bound to a host interface (a trunk).
    struct GatewayPort {
        util::Uuid portId;
        util::Uuid bridgeId;
        util::Uuid hostId;
        uint16_t vlanId = 0;
    };
    std::vector<GatewayPort> gatewayPorts() const;
    // Ids of every bridge and router (their state tables are shared between agents).
    std::pair<std::vector<util::Uuid>, std::vector<util::Uuid>> deviceIds() const;
    // The tunnel address of `host` in any tunnel zone.
    std::optional<util::IPv4Address> tunnelAddress(const util::Uuid &host) const;

    // The flow tags a change of (type, id) affects, given the object's old and new form.
    static std::vector<flow::FlowTag> tagsFor(const ModelSet &before, const std::string &type,
                                              const util::Uuid &id, bool *all);

private:
    void onChange(const store::Change &change);
    std::pair<std::shared_ptr<const sim::TopologySnapshot>, uint64_t> snapshotLocked(); // mu_ held
    // Applies a read or a notification unless an equal or newer version was applied. mu_ held.
    bool applyLocked(const std::string &type, const util::Uuid &id, const std::string &data,
                     store::Version version, bool deleted);
    // Watches routers/<id>/learned_routes of every router in `routers` and stops watching the
    // others (BGP routes, agent/gateway/learned_routes.h). Not called with mu_ held.
    void followLearnedRoutes(const std::vector<util::Uuid> &routers);
    void onLearnedRoute(const util::Uuid &router, const store::Change &change);

    store::Store &store_;
    LocalBindings local_;
    Invalidate invalidate_;
    mutable std::mutex mu_;
    ModelSet models_;
    std::shared_ptr<const sim::TopologySnapshot> snapshot_;
    uint64_t snapshotGeneration_ = 0;
    std::atomic<uint64_t> generation_{1};
    std::vector<store::Subscription> subscriptions_;
    std::vector<ConfigProblem> problems_; // mu_
    uint64_t problemsGeneration_ = 0;     // mu_
    std::unordered_map<util::Uuid, store::Version> versions_; // mu_: last applied, per object
    std::mutex reachMu_;                                       // one refreshReach() at a time
    std::unordered_map<util::Uuid, std::pair<std::string, store::Subscription>> lazySubs_; // reachMu_
    std::atomic<bool> reachDirty_{true};
    std::mutex learnedMu_; // guards learnedSubs_ (never taken inside mu_)
    std::unordered_map<util::Uuid, store::Subscription> learnedSubs_;
    store::Subscription session_;
};

} // namespace midonet::agent
