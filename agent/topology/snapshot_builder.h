// buildSnapshot(): turns the object model (what the REST API stores) into the simulation's own
// immutable topology (agent/simulation/topology.h). The one place where MidoNet's REST field
// semantics (fragment-policy defaults, NAT flow actions, port bindings, tunnel zone addresses)
// become simulation behaviour.
//
// Invariants: the result is finalize()d; objects referring to missing objects are kept with the
// dangling reference (the simulation treats an unknown id as absent: a missing chain accepts, a
// missing peer port drops), so a half-propagated change never aborts a build.
// Thread-safety: pure function of its arguments.
#pragma once

#include "agent/simulation/topology.h"
#include "agent/topology/model_set.h"

#include <functional>
#include <memory>

namespace midonet::agent {

struct LocalBindings {
    util::Uuid localHost;
    // Datapath port number of each virtual port bound on this host (0: not in the datapath yet).
    std::function<uint32_t(const util::Uuid &port)> dpPortOf;
    uint32_t tunnelDpPort = 0;
    // Whether an exterior port takes traffic (unset: all do). The L2 gateway answers false for
    // a gateway port that is not its VLAN's elected one (agent/gateway/l2_gateway.h).
    std::function<bool(const util::Uuid &port)> portActive;
    // Whether another host answers over the underlay (unset: all do). False makes the gateway
    // ports bound there (gateway_ports.h) inactive here (agent/host/underlay_liveness.h).
    std::function<bool(const util::Uuid &host)> hostReachable;
};

std::shared_ptr<const sim::TopologySnapshot> buildSnapshot(const ModelSet &models,
                                                           const LocalBindings &local);

// The model rule as the simulation evaluates it (exposed for tests).
sim::Rule toSimRule(const model::Rule &rule);

} // namespace midonet::agent
