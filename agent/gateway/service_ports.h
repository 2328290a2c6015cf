// ServicePorts: the agent-internal datapath ports through which a local service (the BGP
// speaker of an L3 gateway) talks over a virtual router port's own address, and the steering
// rules the packet handler applies before simulating anything.
//
// A service port belongs to one exterior router port bound on this host (its "uplink"). The
// service sits in a network namespace whose interface has the router port's MAC and IP; the
// outside end of its veth pair is the service port in the datapath. Rules, checked in this
// order for every upcall:
//   1. From the service port: out of the uplink's datapath port unchanged, no simulation
//      (flow: in_port only; tagged with the uplink port so a rebind removes it).
//   2. From the uplink, IPv4 TCP to the port's IP with source or destination port 179, or UDP
//      to the port's IP with destination port 3784/4784 (BFD, for a later step): to the service
//      port only, no simulation (flow on in_port, eth_type, ipv4_dst, ip_proto, tp_src, tp_dst).
//   3. From the uplink, an ARP reply for the port's IP: a copy to the service port (its kernel
//      needs the peer's MAC), and then simulated as usual (the virtual router learns it too).
//      The router's verdict for ARP replies is NoOp, so no flow hides later replies.
//   4. Anything else: not steered; simulated as usual.
//
// Invariants: a datapath port number is a service port of at most one uplink; an uplink has at
// most one service port. Entries exist only while both datapath ports exist.
// Thread-safety: internally synchronised; the gateway manager writes, the upcall thread reads.
#pragma once

#include "common/flow/flow_actions.h"
#include "common/flow/flow_key.h"
#include "common/util/net_types.h"
#include "common/util/uuid.h"

#include <cstdint>
#include <mutex>
#include <optional>
#include <unordered_map>
#include <vector>

namespace midonet::agent {

struct ServicePort {
    util::Uuid uplinkPort;      // the virtual router port
    uint32_t uplinkDpPort = 0;  // its datapath port
    uint32_t serviceDpPort = 0; // the namespace's veth outside end
    util::IPv4Address address;  // the router port's address
};

struct SteerDecision {
    enum class Kind { None, Only, CopyThenSimulate };
    Kind kind = Kind::None;
    flow::FlowActions actions;
    flow::FlowMask mask;        // for Only: the megaflow mask to install
    util::Uuid uplinkPort;      // tag for the installed flow
};

class ServicePorts {
public:
    static constexpr uint16_t kBgpPort = 179;
    static constexpr uint16_t kBfdPort = 3784, kBfdMultihopPort = 4784;

    void set(ServicePort p);
    void erase(const util::Uuid &uplinkPort);
    std::optional<ServicePort> byUplink(const util::Uuid &uplinkPort) const;
    std::vector<ServicePort> all() const;
    bool empty() const;

    // The rules above, for a packet with flow key `k`.
    SteerDecision steer(const flow::FlowKey &k) const;

private:
    mutable std::mutex mu_;
    std::unordered_map<util::Uuid, ServicePort> byUplink_;
    std::unordered_map<uint32_t, util::Uuid> byServiceDp_, byUplinkDp_;
};

} // namespace midonet::agent
