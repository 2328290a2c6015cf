// Simulator: the whole virtual topology in one pass (DESIGN.md "The packet's way"). Given a
// frame, the port it entered on, a TopologySnapshot and the StateTables, simulate() walks
// ingress port -> chains -> bridge/router -> ... -> egress port(s) exactly as MidoNet does
// (reference PART B) and returns a SimulationResult: verdict, datapath actions, megaflow mask,
// tags, state changes, generated packets and a trace.
//
// Purity: no I/O, no clock, no globals, no randomness of its own. Time and entropy come in
// SimulationEnv; the same inputs give the same result. Choices MidoNet makes at random (DNAT
// target, LB member, SNAT ICMP address) are drawn from env.entropy, which the agent should vary
// per packet (e.g. a counter or the packet hash).
//
// Invariants: the snapshot must be finalized; the state tables are only read. A frame that does
// not parse gives verdict Drop with reason MalformedPacket and an exact mask.
//
// Thread-safety: a Simulator is immutable after construction; any number of threads may call
// simulate() concurrently, each with its own result, on shared snapshot and (unchanging) state.
#pragma once

#include "agent/simulation/simulation_result.h"
#include "agent/simulation/state_tables.h"
#include "agent/simulation/topology.h"

#include <cstdint>
#include <span>

namespace midonet::sim {

struct SimulationEnv {
    uint64_t nowMs = 0;   // the caller's clock (ARP expiry)
    uint64_t entropy = 0; // seeds random choices
    bool trace = true;    // record the step-by-step trace
};

struct SimulatorConfig {
    int maxDevices = 12; // loop guard (reference B1)
};

class Simulator {
public:
    explicit Simulator(SimulatorConfig config = {}) : config_(config) {}

    // A packet that entered the host on ingressPort (an exterior port bound here).
    SimulationResult simulate(std::span<const uint8_t> frame, const Uuid &ingressPort,
                              const TopologySnapshot &topology, const StateTables &state,
                              const SimulationEnv &env = {}) const;

    // A packet a device generated (SimulationResult::generated): it leaves fromPort (port
    // egress without the port's out-filter, then the peer if interior). Generated packets count
    // as return traffic for connection tracking.
    SimulationResult simulateGenerated(std::span<const uint8_t> frame, const Uuid &fromPort,
                                       const TopologySnapshot &topology, const StateTables &state,
                                       const SimulationEnv &env = {}) const;

    const SimulatorConfig &config() const { return config_; }

private:
    SimulatorConfig config_;
};

} // namespace midonet::sim
