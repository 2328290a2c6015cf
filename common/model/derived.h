// Fields and objects the server derives rather than the client: the LOCAL /32 route of each
// router-port address, a new router port's MAC, a rule's position in its chain, a VIP's load
// balancer. Pure functions; the plan functions return StoreOps for one atomic multi-operation.
//
// Invariants kept:
//  - A router port has exactly one LOCAL route per portSubnet entry (src 0.0.0.0/0, dst the
//    entry's address /32, nextHopPort = the port, weight 0), with an id derived from port id
//    and address, so re-deriving after an update finds the old ones.
//  - A chain's ruleIds is dense: positions are 1..n with no gaps or repeats.
//
// Thread-safety: pure functions; randomPortMac() uses a thread-local generator.
#pragma once

#include "common/model/chain.h"
#include "common/model/load_balancer.h"
#include "common/model/port.h"
#include "common/model/resolver.h"
#include "common/model/route.h"
#include "common/model/rule.h"

#include <vector>

namespace midonet::model {

// ---- router ports ----------------------------------------------------------------------------

util::Uuid localRouteId(const util::Uuid &portId, util::IPv4Address address);
// The LOCAL routes a router port needs (empty for other ports or without routerId/deviceId).
std::vector<Route> localRoutes(const Port &routerPort);
// A random unicast MAC ac:ca:ba:xx:xx:xx (MidoNet gives a router port one if absent).
util::MacAddress randomPortMac();
// Fills what the server assigns to a new port: id if nil, the device from the path, a MAC for
// a router port. Does not allocate tunnelKey (a store sequence).
void prepareNewPort(Port &port, const util::Uuid &deviceId);
// Creating a port: the port itself plus its LOCAL routes. Checks references first.
std::vector<StoreOp> planCreatePort(const ObjectResolver &r, Port port);
// Replacing a port: its type stays (400 naming `type` otherwise); for a router port, LOCAL
// routes of removed addresses go, new ones come.
std::vector<StoreOp> planUpdatePort(const ObjectResolver &r, const Port &port);

// ---- rule positions --------------------------------------------------------------------------

// Inserts at a 1-based position; null or 0 means 1 (the head, as MidoNet does). Throws
// ValidationError("position", "Position exceeds number of rules in chain") outside 1..n+1.
void insertRuleId(std::vector<util::Uuid> &ruleIds, const util::Uuid &ruleId,
                  std::optional<int32_t> position);
bool eraseRuleId(std::vector<util::Uuid> &ruleIds, const util::Uuid &ruleId);
// 1-based position, or 0 if absent.
int32_t rulePosition(const std::vector<util::Uuid> &ruleIds, const util::Uuid &ruleId);
// Creating a rule in a chain: sets id (if nil) and chainId, checks references, inserts the id
// into the chain at the position. Returns {update chain, create rule}.
std::vector<StoreOp> planCreateRule(const ObjectResolver &r, const util::Uuid &chainId, Rule rule);
// The rules of a chain in order, each with its position filled in (for GET).
std::vector<Rule> rulesInOrder(const ObjectResolver &r, const util::Uuid &chainId);

// ---- load balancing ------------------------------------------------------------------------

// A VIP's loadBalancerId is its pool's (read-only on the VIP).
void deriveVip(const ObjectResolver &r, Vip &vip);
// A load balancer's routerId is the router whose loadBalancerId points at it.
void deriveLoadBalancer(const ObjectResolver &r, LoadBalancer &lb);

} // namespace midonet::model
