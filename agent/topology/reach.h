// Reach: the objects an agent's simulation can touch, starting from the ports bound on its host
// (issue 7: "only what its ports can reach, loaded lazily"). A packet enters at a local port
// and can only visit devices connected to it through links (port peers), their filters, the
// rules of those chains and what the rules name (jump chains, IP address groups), and the
// routers' load balancers. The agent loads those and nothing else of the lazily loaded types.
//
// Types and how they are loaded (the NSDB has no parent -> children index for the others):
//   whole collections (indexes): hosts, tunnel_zones, ports, routes, port_groups, pools,
//                                pool_members, vips
//   per object, when reached:    bridges, routers, chains, rules, ip_addr_groups, load_balancers
//
// Invariants: computeReach() is a pure function of the ModelSet. Objects referenced but not yet
// loaded (a chain whose rules are unknown) are in the result; the caller loads them and computes
// again until nothing new appears (the result only grows with what is loaded).
// Thread-safety: plain functions.
#pragma once

#include "agent/topology/model_set.h"

#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace midonet::agent {

// Reached ids per lazily loaded NSDB type ("bridges", "routers", ...).
using Reach = std::unordered_map<std::string, std::unordered_set<util::Uuid>>;

// The NSDB types loaded per object, when reached.
const std::vector<std::string> &lazyTypes();
bool isLazyType(const std::string &type);

Reach computeReach(const ModelSet &m, const util::Uuid &host);

} // namespace midonet::agent
