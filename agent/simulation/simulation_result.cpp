#include "agent/simulation/simulation_result.h"

#include <algorithm>
#include <cstdio>

namespace midonet::sim {

namespace {
template <class... Ts> struct Overloaded : Ts... { using Ts::operator()...; };
template <class... Ts> Overloaded(Ts...) -> Overloaded<Ts...>;

std::string ip(uint32_t v) { return IPv4Address{v}.toString(); }

const char *actionName(uint32_t a)
{
    switch (RuleAction(a)) {
    case RuleAction::Accept: return "accept";
    case RuleAction::Continue: return "continue";
    case RuleAction::Drop: return "drop";
    case RuleAction::Jump: return "jump";
    case RuleAction::Reject: return "reject";
    case RuleAction::Return: return "return";
    }
    return "?";
}

const char *chainVerdictName(uint32_t v)
{
    // detail::ChainVerdict: Continue, Accept, Drop, Reject, Return.
    static const char *names[] = {"continue", "accept", "drop", "reject", "return"};
    return v < 5 ? names[v] : "?";
}
} // namespace

const char *toString(Verdict v)
{
    switch (v) {
    case Verdict::Forward: return "forward";
    case Verdict::Drop: return "drop";
    case Verdict::ErrorDrop: return "error-drop";
    case Verdict::ShortDrop: return "short-drop";
    case Verdict::NoOp: return "no-op";
    case Verdict::WaitForArp: return "wait-for-arp";
    }
    return "?";
}

const char *toString(DropReason r)
{
    switch (r) {
    case DropReason::None: return "none";
    case DropReason::MalformedPacket: return "malformed-packet";
    case DropReason::UnknownPort: return "unknown-port";
    case DropReason::UnknownDevice: return "unknown-device";
    case DropReason::LoopGuard: return "loop-guard";
    case DropReason::PortAdminDown: return "port-admin-down";
    case DropReason::PortUnplugged: return "port-unplugged";
    case DropReason::PortInactive: return "port-inactive";
    case DropReason::BridgeAdminDown: return "bridge-admin-down";
    case DropReason::RouterAdminDown: return "router-admin-down";
    case DropReason::MulticastSource: return "multicast-source";
    case DropReason::FilterDrop: return "filter-drop";
    case DropReason::FilterReject: return "filter-reject";
    case DropReason::FragmentDropped: return "fragment-dropped";
    case DropReason::Hairpin: return "hairpin";
    case DropReason::VlanMismatch: return "vlan-mismatch";
    case DropReason::VlanTaggedToRouter: return "vlan-tagged-to-router";
    case DropReason::NotIpv4: return "not-ipv4";
    case DropReason::NotForRouter: return "not-for-router";
    case DropReason::ArpNotHandled: return "arp-not-handled";
    case DropReason::NoRoute: return "no-route";
    case DropReason::BlackholeRoute: return "blackhole-route";
    case DropReason::RejectRoute: return "reject-route";
    case DropReason::LocalNotHandled: return "local-not-handled";
    case DropReason::TtlExceeded: return "ttl-exceeded";
    case DropReason::EgressNoAddress: return "egress-no-address";
    case DropReason::DstIsEgressPort: return "dst-is-egress-port";
    case DropReason::HostUnreachable: return "host-unreachable";
    case DropReason::NatExhausted: return "nat-exhausted";
    case DropReason::PoolDown: return "pool-down";
    case DropReason::LbReturnInvalid: return "lb-return-invalid";
    case DropReason::NoOutput: return "no-output";
    }
    return "?";
}

std::string StateChange::toString() const
{
    return std::visit(
        Overloaded{
            [](const MacLearned &m) {
                return "mac-learned " + m.mac.toString() + " vlan " + std::to_string(m.vlan) +
                       " on bridge " + m.bridge.toString() + " port " + m.port.toString();
            },
            [](const ArpLearned &a) {
                return "arp-learned " + a.ip.toString() + " is-at " + a.mac.toString() +
                       " on router " + a.router.toString();
            },
            [](const BridgeIpMacLearned &a) {
                return "bridge-ip-mac " + a.ip.toString() + " is-at " + a.mac.toString() +
                       " on bridge " + a.bridge.toString();
            },
            [](const ConnTrackAdded &c) { return "conntrack " + c.key.toString(); },
            [](const NatBindingAdded &n) {
                return "nat " + n.key.toString() + " => " + n.binding.ip.toString() + ":" +
                       std::to_string(n.binding.port);
            },
            [](const NatBlockClaimed &b) {
                return "nat-block " + b.ip.toString() + " block " + std::to_string(b.block) +
                       " on " + b.device.toString();
            },
            [](const MacForgotten &m) {
                return "mac-forgotten " + m.mac.toString() + " vlan " + std::to_string(m.vlan) +
                       " on bridge " + m.bridge.toString() + " port " + m.port.toString();
            },
            [](const ArpForgotten &a) {
                return "arp-forgotten " + a.ip.toString() + " on router " + a.router.toString();
            },
        },
        change);
}

std::string TraceStep::toString() const
{
    const std::string d = device.toString(), i = item.toString();
    switch (kind) {
    case StepKind::PortIngress: return "port " + d + ": ingress";
    case StepKind::PortEgress: return "port " + d + ": egress";
    case StepKind::BridgeEnter: return "bridge " + d + ": enter from port " + i;
    case StepKind::RouterEnter: return "router " + d + ": enter from port " + i;
    case StepKind::ChainStart: return "chain " + d + ": evaluate";
    case StepKind::RuleMatched:
        return "chain " + d + ": rule " + i + " matched, action " + actionName(a);
    case StepKind::ChainResult: return std::string("chain ") + d + ": result " + chainVerdictName(a);
    case StepKind::MacLearn:
        return "bridge " + d + ": learn source MAC on port " + i + " vlan " + std::to_string(a);
    case StepKind::BridgeUnicast: return "bridge " + d + ": unicast to port " + i;
    case StepKind::BridgeFlood: return "bridge " + d + ": flood to " + std::to_string(a) + " port(s)";
    case StepKind::ArpReplied: return "device " + d + ": ARP reply for " + ip(a);
    case StepKind::RouteChosen:
        if (b == 0) return "router " + d + ": no route to " + ip(a);
        return "router " + d + ": route " + i + " to " + ip(a) +
               (b > 1 ? " (ECMP among " + std::to_string(b) + ")" : "");
    case StepKind::TtlDecrement: return "router " + d + ": TTL now " + std::to_string(a);
    case StepKind::ArpResolved: return "router " + d + ": next hop " + ip(a) + " resolved";
    case StepKind::ArpWait: return "router " + d + ": ARP for next hop " + ip(a) + ", packet waits";
    case StepKind::NatApplied:
        return "nat on " + d + ": rule " + i + " rewrote to " + ip(a) + ":" + std::to_string(b);
    case StepKind::ReverseNatApplied:
        return "reverse nat on " + d + ": restored " + ip(a) + ":" + std::to_string(b);
    case StepKind::LbVip:
        if (a == 0) return "load balancer " + d + ": VIP " + i + " has no valid member";
        return "load balancer " + d + ": VIP " + i + " -> member " + ip(a) + ":" + std::to_string(b);
    case StepKind::ConnTrack:
        return "conntrack on " + d + ": " + (a ? "forward flow" : "return flow");
    case StepKind::PopVlan: return "port " + d + ": pop VLAN " + std::to_string(a);
    case StepKind::PushVlan: return "port " + d + ": push VLAN " + std::to_string(a);
    case StepKind::Output: return "port " + d + ": output to datapath port " + std::to_string(a);
    case StepKind::Tunnel:
        return "port " + d + ": tunnel to host " + i + " (" + ip(a) + ") key " + std::to_string(b);
    case StepKind::Generated: return "port " + d + ": generated a packet";
    case StepKind::Verdict:
        return std::string("verdict: ") + sim::toString(Verdict(a)) +
               (DropReason(b) != DropReason::None ? std::string(" (") + sim::toString(DropReason(b)) + ")"
                                                  : std::string());
    }
    return "?";
}

bool SimulationResult::hasTag(const flow::FlowTag &t) const
{
    return std::find(tags.begin(), tags.end(), t) != tags.end();
}

std::string SimulationResult::traceText() const
{
    std::string out;
    for (const TraceStep &s : trace) {
        out += s.toString();
        out += '\n';
    }
    return out;
}

} // namespace midonet::sim
