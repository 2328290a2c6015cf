// ConfigProblems: configuration an operator got wrong in the part of the topology this agent
// simulates, found by reading it, so the agent can say so in its log and `--status` instead of
// silently dropping packets. Today: routes to nowhere.
//   - the next-hop port does not exist, or is not a port of the route's router;
//   - the next-hop port is neither linked (interior) nor bound to a host (exterior): whatever
//     the route matches is sent nowhere;
//   - the gateway is not inside the next-hop port's subnet (it can never be ARPed for).
// Each problem names the object (route id) and says why in words an operator acts on.
// Thread-safety: a pure function of the ModelSet.
#pragma once

#include "agent/topology/model_set.h"

#include <string>
#include <utility>
#include <vector>

namespace midonet::agent {

struct ConfigProblem {
    std::string type; // "routes"
    util::Uuid id;
    std::string problem;
    bool operator==(const ConfigProblem &) const = default;
};

// Problems among the routes of the routers in `m` (the loaded, reachable ones), sorted by id.
std::vector<ConfigProblem> findConfigProblems(const ModelSet &m);

} // namespace midonet::agent
