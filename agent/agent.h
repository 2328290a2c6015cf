// Agent: one midonet-agent process. Wires the NSDB (host registration, topology cache), the
// datapath (ports, flows, upcalls), the simulation and the peers (flow state), and runs the
// loops that keep them in step:
//   upcall thread   pollUpcalls -> PacketHandler (simulate, install, execute); expiry each second
//   binder thread   PortBinder::reconcile, MAC/ARP table writes and watches every 200 ms,
//                   interface refresh every 10 s
//   status thread   answers <state dir>/agent.sock with a JSON status (midonet-agent --status)
//   store thread    (the store's own) topology changes -> flow invalidation
//   gateway thread  L3 gateways of router ports bound here (agent/gateway/gateways.h)
//   liveness thread BFD over the underlay with gateway hosts (agent/host/underlay_liveness.h)
//
// Thread-safety: start() and stop() from the main thread; everything else runs on the threads
// above. status() may be called from any thread.
#pragma once

#include "agent/datapath/datapath.h"
#include "agent/flows/flow_table.h"
#include "agent/flows/packet_handler.h"
#include "agent/gateway/l2_gateway.h"
#include "agent/gateway/gateways.h"
#include "agent/host/host_registrar.h"
#include "agent/host/underlay_liveness.h"
#include "agent/ports/local_ports.h"
#include "agent/ports/port_binder.h"
#include "agent/state/flow_state_exchange.h"
#include "agent/state/state_table_sync.h"
#include "agent/topology/topology_cache.h"
#include "common/store/store.h"

#include <nlohmann/json.hpp>

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace midonet::agent {

struct AgentConfig {
    std::string stateDir = "/var/lib/midonet-agent";
    std::optional<util::Uuid> hostId; // default: <stateDir>/host_uuid
    std::string hostName;             // default: the system's host name
    std::string datapathName = "midonet";
    dp::Backend backend = dp::Backend::Auto;
    uint16_t vxlanPort = 4789;
    uint16_t flowStatePort = FlowStateExchange::kDefaultPort;
    std::optional<util::IPv4Address> tunnelIp; // default: this host's tunnel zone address
    std::string tunnelZone;                    // join this zone with tunnelIp at start
    PacketHandler::StateTimers stateTimers;    // MAC and ARP entry lifetimes
    // BFD (RFC 5880/5882) with every BGP peer of this host's L3 gateways; unset: hold timer only.
    std::optional<gateway::bfd::SessionConfig> bgpBfd;
    // BFD over the underlay with gateway hosts (agent/host/underlay_liveness.h); unset: off,
    // a dead gateway is seen when its ZooKeeper session expires.
    std::optional<UnderlayLivenessConfig> underlayLiveness = UnderlayLivenessConfig{};
};

class Agent {
public:
    Agent(store::Store &store, AgentConfig config);
    ~Agent();

    // Registers the host, loads the topology, creates the datapath and starts the threads.
    // Throws with a message naming what failed (datapath module, NSDB, socket).
    void start();
    void stop();

    nlohmann::json status() const;
    const util::Uuid &hostId() const { return hostId_; }

private:
    void upcallLoop();
    void binderLoop();
    void statusLoop();
    // Logs configuration problems as they appear and go (binder thread).
    void reportConfigProblems();

    store::Store &store_;
    AgentConfig config_;
    util::Uuid hostId_;
    std::unique_ptr<HostRegistrar> registrar_;
    std::unique_ptr<dp::Datapath> dp_;
    LocalPorts ports_;
    std::unique_ptr<FlowTable> flows_;
    std::unique_ptr<TopologyCache> topology_;
    std::unique_ptr<PacketHandler> handler_;
    std::unique_ptr<PortBinder> binder_;
    std::unique_ptr<FlowStateExchange> flowState_;
    std::unique_ptr<StateTableSync> tables_;
    std::unique_ptr<L2Gateway> l2gw_; // active/standby L2 gateway ports (bridge ↔ VLAN)
    std::unique_ptr<Gateways> gateways_; // L3 gateways (BGP) of router ports bound here
    std::unique_ptr<UnderlayLiveness> liveness_; // BFD with gateway hosts over the underlay
    std::atomic<bool> stop_{false};
    std::thread upcallThread_, binderThread_, statusThread_;
    int statusFd_ = -1;
    mutable std::mutex problemsMu_;
    std::vector<ConfigProblem> configProblems_; // problemsMu_
    uint64_t problemsGeneration_ = 0;           // problemsMu_
    std::string statusPath_;
    std::atomic<uint64_t> upcallsPerSecond_{0};
    uint64_t startedMs_ = 0;
};

// Reads the status socket of an agent running with `stateDir`; throws std::runtime_error
// naming the socket when no agent answers.
nlohmann::json readAgentStatus(const std::string &stateDir);

} // namespace midonet::agent
