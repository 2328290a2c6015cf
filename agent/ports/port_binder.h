// PortBinder: keeps the datapath's ports in step with the port bindings of this host. A virtual
// port bound here (hostId = this host, interfaceName set, through the REST API's
// /hosts/{id}/ports) gets its interface added to the datapath as soon as the interface exists,
// and removed when the binding or the interface goes. L2 gateway ports (bridge ports with a
// vlanId) on one trunk interface share its datapath port, which stays while any of them does.
//
// Invariants: after reconcile(), LocalPorts holds exactly the bindings whose interface exists
// and is in the datapath; every change is followed by invalidation of the flows of that port
// and its device, so floods and unicast flows pick up the new port at once.
// Thread-safety: reconcile() from one thread (the agent's binder loop).
#pragma once

#include "agent/datapath/datapath.h"
#include "agent/flows/flow_table.h"
#include "agent/ports/local_ports.h"
#include "agent/topology/topology_cache.h"

#include <mutex>
#include <unordered_map>

namespace midonet::agent {

class PortBinder {
public:
    PortBinder(dp::Datapath &dp, TopologyCache &topology, LocalPorts &ports, FlowTable &flows,
               util::Uuid hostId);
    // Returns how many ports were added or removed.
    size_t reconcile();
    // Bindings that cannot be honoured (interface missing here, datapath refused it), with why:
    // the operator sees them in the agent's status and log instead of a silent no-op.
    std::vector<std::pair<util::Uuid, std::string>> problems() const;

private:
    dp::Datapath &dp_;
    TopologyCache &topology_;
    LocalPorts &ports_;
    FlowTable &flows_;
    util::Uuid hostId_;
    mutable std::mutex mu_;
    std::unordered_map<util::Uuid, std::string> problems_;
};

} // namespace midonet::agent
