// What deleting an object removes or clears (REST reference §5), as one plan of StoreOps the
// caller commits atomically:
//   bridge        -> its ports (each with its own cascade), traces on it; 409 with VXLAN ports
//   router        -> its ports, routes, BGP peers and networks, traces; 409 with an LB attached
//   port          -> routes via it, traces on it, redirect rules targeting it; clears the
//                    peer's peerId, port-group memberships, rules' inPorts/outPorts (the
//                    binding lives on the port itself)
//   chain         -> its rules and every jump rule targeting it (out of their chains too);
//                    clears filter references (bridges, routers, ports, IP address groups)
//   rule          -> out of its chain's order
//   load balancer -> its pools (-> members, VIPs); clears the router's loadBalancerId
//   pool          -> its members and VIPs
//   health monitor-> clears pools' healthMonitorId
//   host          -> out of its tunnel zones; 403 while a port is bound to it
//   port group    -> out of rules' portGroup/inPortGroup/outPortGroup conditions
//   IP addr group -> out of rules' ipAddrGroupSrc/ipAddrGroupDst conditions
//   trace         -> its trace rules
//   others        -> just the object
//
// Invariants of a plan: the deleted object's Delete is in it; no (type, id) appears twice;
// updates carry complete documents; nothing deleted is also updated.
//
// Thread-safety: pure function of its arguments and the resolver's answers.
#pragma once

#include "common/model/resolver.h"

namespace midonet::model {

// Throws ReferenceError(404) if the object does not exist, ReferenceError(409/403) when
// MidoNet refuses the delete.
std::vector<StoreOp> planDelete(const ObjectResolver &r, std::string_view type,
                                const util::Uuid &id);

} // namespace midonet::model
