// Referential rules, in one place: what an object about to be written may refer to, and the
// writes that create or remove relationships (links, bindings, memberships). Every function
// reads through an ObjectResolver, so it works against the store, a snapshot or memory; the
// plan functions return StoreOps for the caller to commit as one atomic multi-operation.
//
// Errors: a dangling reference throws ReferenceError(404) naming the field; a conflict (already
// linked, already bound, already a member) ReferenceError(409); a reference of the wrong kind
// (a route's next hop on another router, a VIP's missing pool) ValidationError(400).
//
// Thread-safety: pure functions of their arguments and the resolver's answers.
#pragma once

#include "common/model/host.h"
#include "common/model/ip_addr_group.h"
#include "common/model/port.h"
#include "common/model/port_group.h"
#include "common/model/resolver.h"
#include "common/model/state_tables.h"
#include "common/model/tunnel_zone.h"

#include <optional>
#include <string>
#include <utility>

namespace midonet::model {

// Every field whose schema names a referenced type (refersTo), nested ones included, must hold
// an existing id. Throws ReferenceError(404) for the first dangling one.
void checkDanglingReferences(const ObjectResolver &r, const SchemaInfo &schema,
                             const json &storeDoc);

// All rules for an object about to be created or replaced, by NSDB type name: the dangling
// check above plus the type's own rules (a port's device, a rule's chain and jump target, a
// Normal route's next-hop port on its router, a VIP's pool, an LB attached to one router, a
// BGP peer unique on its router, a trace's device, a tunnel zone's unique name). `storeDoc` is
// the complete NSDB document.
void checkReferences(const ObjectResolver &r, std::string_view type, const json &storeDoc);
template <class T> void checkReferences(const ObjectResolver &r, const T &obj)
{
    checkReferences(r, T::kType, encode(obj, View::Store));
}

// Links: both ports exist, differ, are unlinked and unbound, sit on different devices, are not
// VXLAN ports; bridge-bridge only with allowBridgeToBridge or a vlanId on one side.
struct LinkOptions {
    bool allowBridgeToBridge = false;
};
std::vector<StoreOp> planLink(const ObjectResolver &r, const util::Uuid &portId,
                              const util::Uuid &peerId, LinkOptions opts = {});
// Clears both sides (the peer only if it points back); empty plan if the port is not linked.
std::vector<StoreOp> planUnlink(const ObjectResolver &r, const util::Uuid &portId);

// Host-interface bindings (hostId taken from the binding, i.e. the path). Two ports may share
// one interface of one host only as L2 gateway ports on a trunk: bridge ports with different,
// non-zero vlanIds.
// bindingConflict(): nullopt if `port` may be bound to `interfaceName` of the host next to
// `bound` (already bound there), else {field at fault ("vlanId" or "interfaceName"), message}.
std::optional<std::pair<std::string, std::string>> bindingConflict(const Port &port,
                                                                   const Port &bound,
                                                                   const std::string &interfaceName);
std::vector<StoreOp> planBind(const ObjectResolver &r, const HostInterfacePort &binding);
std::vector<StoreOp> planUnbind(const ObjectResolver &r, const util::Uuid &hostId,
                                const util::Uuid &portId);

// Memberships kept inside the container object.
std::vector<StoreOp> planAddTunnelZoneMember(const ObjectResolver &r, const TunnelZoneHost &m);
std::vector<StoreOp> planRemoveTunnelZoneMember(const ObjectResolver &r,
                                                const util::Uuid &tunnelZoneId,
                                                const util::Uuid &hostId);
std::vector<StoreOp> planAddPortGroupMember(const ObjectResolver &r, const PortGroupPort &m);
std::vector<StoreOp> planRemovePortGroupMember(const ObjectResolver &r,
                                               const util::Uuid &portGroupId,
                                               const util::Uuid &portId);
std::vector<StoreOp> planAddIpAddrGroupAddr(const ObjectResolver &r, const IpAddrGroupAddr &a);
// Idempotent: an absent address gives an empty plan.
std::vector<StoreOp> planRemoveIpAddrGroupAddr(const ObjectResolver &r,
                                               const util::Uuid &ipAddrGroupId,
                                               const std::string &addr);

// A MAC-table entry written on a bridge: the port is one of the bridge's and a non-zero port
// vlanId must match the entry's.
void checkMacPortEntry(const ObjectResolver &r, const util::Uuid &bridgeId,
                       const MacPortEntry &entry);

} // namespace midonet::model
