// The virtual bridge (reference B1, B7): MAC learning per VLAN, unicast to the learned port,
// flooding to exterior ports, ARP suppression, VLAN-aware interior ports, interior ports to
// routers.
#include "agent/simulation/detail/context.h"
#include "common/packet/builder.h"

namespace midonet::sim::detail {

void Ctx::bridge(const Port &inPort)
{
    const Bridge *br = topo.bridge(inPort.deviceId);
    const TopologySnapshot::BridgeIndex *bi = topo.bridgeIndex(inPort.deviceId);
    if (!br || !bi) {
        decide(Verdict::ErrorDrop, DropReason::UnknownDevice);
        return;
    }
    if (++path.devices > cfg.maxDevices) {
        decide(Verdict::ErrorDrop, DropReason::LoopGuard);
        return;
    }
    tag(FlowTag::device(br->id));
    step(StepKind::BridgeEnter, br->id, inPort.id);

    const MacAddress src = see(Field::EthSrc).ethSrc;
    if (src.isMulticast()) {
        decide(Verdict::Drop, DropReason::MulticastSource);
        return;
    }
    if (!br->adminUp) {
        decide(Verdict::Drop, DropReason::BridgeAdminDown); // no reject hook on bridges
        return;
    }
    const bool vlanPort = inPort.vlanId != 0 && inPort.isInterior();
    if (vlanPort) {
        // Entering through a VLAN port: the frame takes that port's VLAN. (An exterior port
        // with a VLAN is an L2 gateway port: ingressPort() popped the trunk's tag already.)
        path.cur.innerVlanTci = path.cur.vlanTci;
        path.cur.vlanTci = inPort.vlanId | flow::kVlanPresent;
        step(StepKind::PushVlan, inPort.id, {}, inPort.vlanId);
    }
    uint16_t vlan = 0;
    if (bi->vlanAware || vlanPort) vlan = see(Field::VlanTci).vlanId();
    // Chains and ARP suppression skip tagged frames; the tag is consulted only when one of
    // them could run, so plain L2 flows stay wildcarded on it.
    auto isTagged = [&]() { return see(Field::VlanTci).hasVlan(); };

    // MAC learning happens before the in-filter: even a dropped frame teaches (B7).
    if (!bi->routerPortByMac.count(src)) {
        const Uuid *known = state.macPort(br->id, vlan, src);
        if (!known || *known != inPort.id) {
            change(MacLearned{br->id, vlan, src, inPort.id});
            step(StepKind::MacLearn, br->id, inPort.id, vlan);
        }
        tag(FlowTag::macSource(br->id, src, vlan, inPort.id));
    }

    if (!br->inboundFilter.isNil() && !isTagged()) {
        ChainScope scope{&inPort, nullptr, br->id};
        ChainVerdict v = runFilter(br->inboundFilter, scope);
        if (v == ChainVerdict::Drop || v == ChainVerdict::Reject) {
            decide(Verdict::Drop,
                   v == ChainVerdict::Drop ? DropReason::FilterDrop : DropReason::FilterReject);
            return;
        }
    }

    const FlowKey &k = see(Field::EthDst);
    const MacAddress dst = k.ethDst;
    const Port *outPort = nullptr;
    bool flood = false;

    if (see(Field::EthType).isArp() && see(Field::ArpOp).arpOp == packet::kArpRequest) {
        const IPv4Address tip = see(Field::ArpTip).arpTip;
        const IPv4Address sip = see(Field::ArpSip).arpSip;
        const bool gratuitous = sip == tip;
        std::optional<MacAddress> answer;
        auto rp = bi->routerPortByIp.find(tip);
        if (rp != bi->routerPortByIp.end()) {
            tag(FlowTag::bridgePort(br->id, rp->second));
            const Port *bp = topo.port(rp->second);
            const Port *peer = bp ? topo.port(bp->peerId) : nullptr;
            if (peer) answer = peer->mac;
        } else if (auto it = br->ipMacTable.find(tip); it != br->ipMacTable.end()) {
            answer = it->second;
        }
        if (answer && !gratuitous && !isTagged()) {
            // ARP suppression: the bridge answers for its routers and its seeded table.
            const MacAddress sha = see(Field::ArpSha).arpSha;
            generate(inPort.id,
                     packet::ethernet(sha, *answer, flow::kEthTypeArp,
                                      packet::arp(packet::kArpReply, *answer, tip, sha, sip)),
                     "arp-reply");
            step(StepKind::ArpReplied, br->id, inPort.id, tip.value);
            decide(Verdict::NoOp);
            return;
        }
        if (rp != bi->routerPortByIp.end() && !gratuitous) {
            outPort = topo.port(rp->second);
        } else {
            if (gratuitous) {
                change(BridgeIpMacLearned{br->id, sip, see(Field::ArpSha).arpSha});
            }
            tag(FlowTag::arpRequest(br->id));
            flood = true;
        }
    } else if (dst.isMulticast()) {
        flood = true;
    } else if (auto rp = bi->routerPortByMac.find(dst); rp != bi->routerPortByMac.end()) {
        tag(FlowTag::bridgePort(br->id, rp->second));
        outPort = topo.port(rp->second);
    } else if (dst == src) {
        decide(Verdict::ErrorDrop, DropReason::Hairpin);
        return;
    } else if (const Uuid *learned = state.macPort(br->id, vlan, dst)) {
        tag(FlowTag::vlanPort(br->id, dst, vlan, *learned));
        if (*learned == inPort.id) {
            decide(Verdict::ErrorDrop, DropReason::Hairpin);
            return;
        }
        outPort = topo.port(*learned);
    } else {
        tag(FlowTag::vlanFlood(br->id, vlan, dst));
        flood = true;
    }

    if (!flood) {
        if (!outPort) {
            decide(Verdict::ErrorDrop, DropReason::UnknownPort);
            return;
        }
        if (!br->outboundFilter.isNil() && !isTagged()) {
            ChainScope scope{&inPort, outPort, br->id};
            ChainVerdict v = runFilter(br->outboundFilter, scope);
            if (v == ChainVerdict::Drop || v == ChainVerdict::Reject) {
                decide(Verdict::Drop, v == ChainVerdict::Drop ? DropReason::FilterDrop
                                                              : DropReason::FilterReject);
                return;
            }
        }
        step(StepKind::BridgeUnicast, br->id, outPort->id);
        egressPort(*outPort, true);
        return;
    }

    tag(FlowTag::broadcast(br->id));
    if (!br->outboundFilter.isNil() && !isTagged()) {
        ChainScope scope{&inPort, nullptr, br->id}; // out-port is null for floods
        ChainVerdict v = runFilter(br->outboundFilter, scope);
        if (v == ChainVerdict::Drop || v == ChainVerdict::Reject) {
            decide(Verdict::Drop,
                   v == ChainVerdict::Drop ? DropReason::FilterDrop : DropReason::FilterReject);
            return;
        }
    }
    step(StepKind::BridgeFlood, br->id, {}, uint32_t(bi->exteriorPorts.size() + bi->vlanPorts.size()));
    // Each branch starts from the same packet; one branch's drop does not stop the others.
    const PathState saved = path;
    auto branch = [&](const Uuid &id) {
        if (id == inPort.id) return;
        const Port *p = topo.port(id);
        if (!p) return;
        path = saved;
        egressPort(*p, true);
    };
    for (const Uuid &id : bi->exteriorPorts) branch(id);
    for (const Uuid &id : bi->vlanPorts) {
        // Only the VLAN port of the frame's VLAN takes it (others would drop it anyway).
        const Port *p = topo.port(id);
        if (p && saved.cur.hasVlan() && saved.cur.vlanId() == p->vlanId) branch(id);
    }
    path = saved;
}

} // namespace midonet::sim::detail
