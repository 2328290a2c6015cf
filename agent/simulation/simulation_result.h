// What a simulation returns (reference B10): the verdict and why, the datapath actions, the
// megaflow mask, the tags for invalidation, the state changes to apply and publish, the packets
// the virtual devices generated (ARP, ICMP), and a trace a user can read.
//
// Verdicts and the flow the agent installs:
//   Forward    output flow with `actions` over match(); 1 min, 30 s if carriesState
//   Drop       drop flow, 1 min
//   ErrorDrop  drop flow with its tags cleared, 5 s (loop guard, hairpin, no MAC, ...)
//   ShortDrop  drop flow, 5 s, state kept (no route, reject route)
//   NoOp       no flow: the packet was consumed (ARP handled, ICMP echo answered)
//   WaitForArp no flow: the packet waits for `waitingForArp`; the ARP request is in
//              `generated`; simulate again when an ArpEntry tag for it fires
//
// Invariants:
// - `actions` is empty unless verdict is Forward (an empty list is a drop in the datapath).
// - `mask` includes in_port and every field any decision read; fields only rewritten by set
//   actions are not in it. `userspaceOnly` is set when a decision read something the kernel
//   cannot match (ICMP id, ICMP error payload): such packets must go to userspace every time.
// - `tags` has no duplicates.
// Thread-safety: a plain value.
#pragma once

#include "agent/simulation/state_tables.h"
#include "common/flow/flow_actions.h"
#include "common/flow/flow_key.h"
#include "common/flow/flow_tag.h"

#include <string>
#include <variant>
#include <vector>

namespace midonet::sim {

enum class Verdict : uint8_t { Forward, Drop, ErrorDrop, ShortDrop, NoOp, WaitForArp };
const char *toString(Verdict v);

// Why a packet did not go anywhere: every reason a user can meet.
enum class DropReason : uint8_t {
    None,
    MalformedPacket,     // the frame did not parse
    UnknownPort,         // ingress or egress port not in the topology
    UnknownDevice,       // a port's device is missing
    LoopGuard,           // more than 12 devices on the path
    PortAdminDown,
    PortUnplugged,       // egress through a port that is neither interior nor exterior
    PortInactive,        // exterior port whose binding is down
    BridgeAdminDown,
    RouterAdminDown,     // ICMP 3/13 is sent back
    MulticastSource,     // bridge: source MAC multicast
    FilterDrop,          // a chain decided DROP
    FilterReject,        // a chain decided REJECT (ICMP 3/13 from routers)
    FragmentDropped,     // router in-filter DROP of a first fragment (ICMP 3/4 sent)
    Hairpin,             // bridge: destination learned on the in-port, or dst == src
    VlanMismatch,        // VLAN port: frame without that port's VLAN
    VlanTaggedToRouter,  // router: tagged frame (VLAN != 0)
    NotIpv4,             // router: neither IPv4 nor ARP
    NotForRouter,        // router: destination MAC is not the in-port's
    ArpNotHandled,       // router: ARP not for us
    NoRoute,             // ICMP 3/0 sent
    BlackholeRoute,
    RejectRoute,         // ICMP 3/13 sent
    LocalNotHandled,     // addressed to the router, not an echo request
    TtlExceeded,         // ICMP 11/0 sent
    EgressNoAddress,     // router egress port without IPv4 address
    DstIsEgressPort,     // destination is the egress port's own address
    HostUnreachable,     // no MAC for the next hop (ICMP 3/1 or 3/0 sent)
    NatExhausted,        // SNAT: no free port in any block
    PoolDown,            // LB: no valid member
    LbReturnInvalid,     // LB return traffic for a VIP or member that is gone
    NoOutput,            // the path ended without any egress (e.g. flood with no ports)
};
const char *toString(DropReason r);

// ---- state changes ----
struct MacLearned { Uuid bridge; uint16_t vlan; MacAddress mac; Uuid port; };
struct ArpLearned { Uuid router; IPv4Address ip; MacAddress mac; };
struct BridgeIpMacLearned { Uuid bridge; IPv4Address ip; MacAddress mac; }; // gratuitous ARP
struct ConnTrackAdded { ConnTrackKey key; };
struct NatBindingAdded { NatKey key; NatBinding binding; };
struct NatBlockClaimed { Uuid device; IPv4Address ip; uint16_t block; };
// Removals: never produced by a simulation; the agent applies them when an entry expires (here
// or on the host that learned it) so the tables forget it.
struct MacForgotten { Uuid bridge; uint16_t vlan; MacAddress mac; Uuid port; }; // only if still on `port`
struct ArpForgotten { Uuid router; IPv4Address ip; };

struct StateChange {
    std::variant<MacLearned, ArpLearned, BridgeIpMacLearned, ConnTrackAdded, NatBindingAdded,
                 NatBlockClaimed, MacForgotten, ArpForgotten>
        change;
    std::string toString() const;
};

// A packet a device produced. The agent emits it as if it left `fromPort` (for an interior port,
// into the peer) by calling Simulator::simulateGenerated(frame, fromPort, ...).
struct GeneratedPacket {
    Uuid fromPort;
    std::vector<uint8_t> frame;
    const char *what = ""; // "arp-request", "arp-reply", "icmp-echo-reply", "icmp-3/0", ...
};

// ---- the trace ----
enum class StepKind : uint8_t {
    PortIngress, PortEgress, BridgeEnter, RouterEnter, ChainStart, RuleMatched, ChainResult,
    MacLearn, BridgeUnicast, BridgeFlood, ArpReplied, RouteChosen, TtlDecrement, ArpResolved,
    ArpWait, NatApplied, ReverseNatApplied, LbVip, ConnTrack, PopVlan, PushVlan, Output,
    Tunnel, Generated, Verdict
};

struct TraceStep {
    StepKind kind;
    Uuid device;     // port, bridge, router or chain the step belongs to
    Uuid item;       // rule, route, port, VIP ... (nil if none)
    uint32_t a = 0;  // kind-specific: IP, action, VLAN, verdict ...
    uint32_t b = 0;  // kind-specific: port number, reason ...
    std::string toString() const;
};

struct SimulationResult {
    Verdict verdict = Verdict::Drop;
    DropReason reason = DropReason::None;
    flow::FlowKey key;   // the packet's key as it entered (in_port set)
    flow::FlowMask mask; // consulted fields
    flow::FlowActions actions;
    bool userspaceOnly = false;
    bool carriesState = false; // conntrack or NAT involved: shorter flow lifetime
    std::vector<flow::FlowTag> tags;
    std::vector<StateChange> stateChanges;
    std::vector<GeneratedPacket> generated;
    std::vector<TraceStep> trace;
    IPv4Address waitingForArp; // verdict WaitForArp: the next hop being resolved
    Uuid waitingRouter;

    flow::FlowMatch match() const { return flow::FlowMatch(key, mask); }
    bool hasTag(const flow::FlowTag &t) const;
    std::string traceText() const; // one line per step, then the verdict
};

} // namespace midonet::sim
