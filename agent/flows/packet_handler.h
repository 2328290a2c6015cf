// PacketHandler: what the agent does with a packet that missed the fast path (DESIGN.md, "The
// packet's way"): simulate it through the virtual topology, apply and publish the state it
// created, install the megaflow with its tags, execute the packet, and send the packets the
// devices generated (ARP requests, ICMP replies and errors).
//
// - From a tunnel: the tunnel key is the egress port's key (one overlay hop); no simulation,
//   just a flow from (tunnel port, key) to the local port.
// - Verdicts and flow lifetimes follow MidoNet (reference B10): forward 60 s (30 s with state),
//   drop 60 s, error and short drops 5 s (all with their tags, so state arriving late re-simulates them), NoOp installs nothing.
// - WaitForArp parks the packet until the router learns the next hop's MAC (then it is
//   simulated again) or 3 s pass (then it is dropped).
//
// Thread-safety: handle() is called from one upcall thread. applyRemoteState() may come from
// other threads (and simulates the packets it un-parks there); the state tables are guarded by one mutex, held
// while a packet is simulated, so a simulation never sees a table change half-way.
#pragma once

#include "agent/datapath/datapath.h"
#include "agent/gateway/service_ports.h"
#include "agent/flows/flow_table.h"
#include "agent/ports/local_ports.h"
#include "agent/simulation/simulator.h"
#include "agent/state/learned_state.h"
#include "agent/topology/topology_cache.h"

#include <atomic>
#include <deque>
#include <functional>
#include <mutex>

namespace midonet::agent {

struct PacketHandlerStats {
    uint64_t upcalls = 0;
    uint64_t simulations = 0;
    uint64_t tunnelled = 0;   // upcalls from the tunnel port
    uint64_t executed = 0;    // packets sent out by execute()
    uint64_t generated = 0;   // device-generated packets sent
    uint64_t parked = 0;      // packets that waited for ARP
    uint64_t unknownPort = 0; // upcalls from a port no virtual port is bound to
    uint64_t unknownVlan = 0; // upcalls from a trunk, untagged or tagged with a VLAN no port has
    uint64_t steered = 0;     // upcalls sent to or from a gateway service port
    uint64_t simNanos = 0;    // time spent simulating
};

class PacketHandler {
public:
    // Hooks the agent wires to the NSDB and to peer hosts.
    struct Publish {
        // A MAC learned on a local port, for the bridge's shared MAC table.
        std::function<void(const sim::MacLearned &)> macLearned;
        // An ARP entry a router learned, for its shared ARP table.
        std::function<void(const sim::ArpLearned &)> arpLearned;
        // Flow state the hosts at `tunnelDst` need before the packet arrives.
        std::function<void(util::IPv4Address tunnelDst, const std::vector<sim::StateChange> &)> flowState;
    };

    using StateTimers = LearnedStateTimers;
    // What expireLearned() forgot that this agent had written to the NSDB.
    struct Unpublish {
        std::vector<sim::MacLearned> macs;
        std::vector<sim::ArpLearned> arps;
    };

    PacketHandler(dp::Datapath &dp, TopologyCache &topology, FlowTable &flows, LocalPorts &ports,
                  Publish publish, StateTimers timers = {});

    // Service ports (L3 gateway sessions) steered before simulation, see service_ports.h.
    // Set once, before the first upcall; may be null.
    void setServicePorts(const ServicePorts *services) { services_ = services; }

    void handle(const dp::Upcall &upcall);
    // Drops parked packets whose ARP wait is over. Call periodically.
    void expireParked(uint64_t nowMs);

    // State learned elsewhere (peer flow state, NSDB MAC/ARP tables): applied, and the flows
    // that depended on its absence invalidated.
    void applyRemoteState(const std::vector<sim::StateChange> &changes);
    // Forgets MAC and ARP entries whose time is over and refreshes stale ARP entries' flows.
    // Call about every second; remove what it returns from the NSDB.
    Unpublish expireLearned(uint64_t nowMs);
    size_t macEntries() const;
    size_t arpEntries() const;

    PacketHandlerStats stats() const;
    size_t conntrackEntries() const;

private:
    // True when the upcall was steered to/from a service port and needs nothing more.
    bool steer(const dp::Upcall &upcall, uint64_t now);
    void handleTunnelled(const dp::Upcall &upcall, uint64_t now);
    void resumeParked(uint64_t now);
    void simulateAndAct(const dp::Upcall &upcall, const util::Uuid &ingress, uint64_t now);
    // Applies changes to the tables and returns the tags of flows they make stale. Caller holds stateMu_.
    std::vector<flow::FlowTag> applyLocked(const std::vector<sim::StateChange> &changes, uint64_t now);
    void sendGenerated(const sim::SimulationResult &r, const sim::TopologySnapshot &topo, uint64_t now);
    void execute(const dp::Upcall &upcall, const flow::FlowActions &actions, const flow::FlowKey &key);

    dp::Datapath &dp_;
    TopologyCache &topology_;
    FlowTable &flows_;
    LocalPorts &ports_;
    const ServicePorts *services_ = nullptr;
    Publish publish_;
    sim::Simulator simulator_;

    mutable std::mutex stateMu_;
    sim::StateTables state_;
    LearnedStateExpiry expiry_; // guarded by stateMu_

    struct Parked {
        dp::Upcall upcall;
        util::Uuid ingress;
        sim::ArpKey waitingFor;
        uint64_t deadlineMs;
    };
    std::deque<Parked> parked_; // guarded by stateMu_
    std::vector<sim::ArpKey> resolved_; // ARP keys learned since the last handle(); stateMu_

    std::atomic<uint64_t> entropy_{0x9e3779b97f4a7c15ULL};
    // Counts state changes that invalidate flows; a simulation is installed only if it did not
    // move between the simulation and the install (the invalidation may have run in between).
    std::atomic<uint64_t> stateGeneration_{0};
    mutable std::mutex statsMu_;
    PacketHandlerStats stats_;
};

} // namespace midonet::agent
