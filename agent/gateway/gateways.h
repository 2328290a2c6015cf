// Gateways: runs an L3 gateway (bgp_gateway.h) for every exterior router port bound on this
// host whose router has an AS number and at least one BGP peer in the port's subnet, and keeps
// them in step with the NSDB (through the topology cache's copy of ports, routers, bgp_peers
// and bgp_networks): a gateway starts when its port is bound here and in the datapath, peers
// and networks added/changed/removed are applied to the running speaker, and it stops when the
// port goes, moves, or loses its last peer. A change of AS, port address or MAC restarts it.
//
// One thread (started by start()) reconciles and flushes every 100 ms: learned routes reach the
// NSDB within ~100 ms of the speaker learning them, statuses at most once a second.
// Thread-safety: start/stop from the agent's main thread; status() from any thread.
#pragma once

#include "agent/datapath/datapath.h"
#include "agent/flows/flow_table.h"
#include "agent/gateway/bgp_gateway.h"
#include "agent/gateway/service_ports.h"
#include "agent/ports/local_ports.h"
#include "agent/topology/topology_cache.h"

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <thread>

namespace midonet::agent {

class Gateways {
public:
    // `flows`: the uplink port's flows are invalidated when its gateway starts or stops, so a
    // drop the simulation installed for session traffic before the gateway ran cannot hide it.
    Gateways(store::Store &store, TopologyCache &topology, LocalPorts &ports, dp::Datapath &dp,
             FlowTable &flows, util::Uuid hostId, std::optional<gateway::bfd::SessionConfig> bfd = {});
    ~Gateways();

    const ServicePorts &services() const { return services_; }
    void start();
    void stop();
    // One pass: start/update/stop gateways, flush their writes. (The thread calls it; tests too.)
    void reconcile();
    nlohmann::json status() const;

    // The specs this host should run, from the topology (exposed for tests).
    static std::map<util::Uuid, GatewaySpec> wanted(const ModelSet &m, const util::Uuid &host);

private:
    store::Store &store_;
    TopologyCache &topology_;
    LocalPorts &ports_;
    dp::Datapath &dp_;
    FlowTable &flows_;
    util::Uuid hostId_;
    std::optional<gateway::bfd::SessionConfig> bfd_; // BFD with every peer, if set
    ServicePorts services_;
    mutable std::mutex mu_; // guards gateways_ and problems_
    std::map<util::Uuid, std::unique_ptr<BgpGateway>> gateways_;
    std::map<util::Uuid, std::string> problems_;
    std::map<util::Uuid, uint64_t> retryAfterMs_;
    std::atomic<bool> stop_{false};
    std::thread thread_;
};

} // namespace midonet::agent
