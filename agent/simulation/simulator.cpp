#include "agent/simulation/simulator.h"

#include "agent/simulation/detail/context.h"

#include <algorithm>

namespace midonet::sim {

using namespace detail;

namespace detail {

Ctx::Ctx(const SimulatorConfig &c, const TopologySnapshot &t, const StateTables &s,
         const SimulationEnv &e, SimulationResult &r, const packet::ParsedPacket &p)
    : cfg(c), topo(t), state(s), env(e), res(r), parsed(p), orig(r.key), rng(e.entropy)
{
    path.cur = orig;
}

void Ctx::decide(Verdict v, DropReason r)
{
    if (decided) return;
    decided = true;
    res.verdict = v;
    res.reason = r;
}

uint64_t Ctx::random()
{
    // splitmix64: a fixed function of the seed, so simulations stay reproducible.
    uint64_t z = (rng += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

bool Ctx::traversed(const Uuid &device) const
{
    for (const FlowTag &t : res.tags)
        if (t.kind == flow::TagKind::Device && t.a == device) return true;
    return false;
}

void Ctx::ingressPort(const Uuid &portId)
{
    const Port *port = topo.port(portId);
    if (!port) {
        decide(Verdict::ErrorDrop, DropReason::UnknownPort);
        return;
    }
    tag(FlowTag::device(port->id));
    step(StepKind::PortIngress, port->id);
    path.dstRewritten = false;
    if (port->isExterior()) path.lastExteriorIngress = port;
    // An L2 gateway port (bound to a trunk) was picked by the frame's VLAN (agent/ports: one
    // trunk, one port per VLAN), so every verdict here holds for that VLAN only, drops first:
    // a drop for a standby VLAN that did not match on the tag would swallow the active VLANs
    // of the same trunk (seen: p10 cut off from a1 after p20's ARP hit g1's standby VLAN 20).
    const bool gatewayPort = port->isExterior() && port->deviceType == DeviceType::Bridge && port->vlanId != 0;
    if (gatewayPort) see(Field::VlanTci);
    if (!port->adminUp) {
        // Reject hook: routers answer 3/13, bridges stay silent (reference B1).
        if (port->deviceType == DeviceType::Router)
            sendIcmpError(*port, packet::kIcmpUnreachable, packet::kIcmpUnreachAdminProhibited);
        decide(Verdict::Drop, DropReason::PortAdminDown);
        return;
    }
    if (port->isExterior() && !port->active) {
        // A binding that is down (a standby L2 gateway port) takes nothing in: the frame came
        // through the active one too, or must not come in at all (no loop, no duplicate).
        decide(Verdict::Drop, DropReason::PortInactive);
        return;
    }
    if (gatewayPort) {
        // L2 gateway port (bound to a trunk): only frames tagged with its VLAN are its own, and
        // they enter the bridge with that tag popped.
        const FlowKey &k = see(Field::VlanTci);
        if (!k.hasVlan() || k.vlanId() != port->vlanId) {
            decide(Verdict::Drop, DropReason::VlanMismatch);
            return;
        }
        path.cur.vlanTci = path.cur.innerVlanTci;
        path.cur.innerVlanTci = 0;
        step(StepKind::PopVlan, port->id, {}, port->vlanId);
    }
    if (!port->inboundFilter.isNil()) {
        ChainScope scope{port, nullptr, port->deviceId};
        ChainVerdict v = runFilter(port->inboundFilter, scope);
        if (v == ChainVerdict::Drop || v == ChainVerdict::Reject) {
            if (v == ChainVerdict::Reject && port->deviceType == DeviceType::Router)
                sendIcmpError(*port, packet::kIcmpUnreachable,
                              packet::kIcmpUnreachAdminProhibited);
            decide(Verdict::Drop,
                   v == ChainVerdict::Drop ? DropReason::FilterDrop : DropReason::FilterReject);
            return;
        }
    }
    if (port->deviceType == DeviceType::Bridge) bridge(*port);
    else router(*port);
}

void Ctx::egressPort(const Port &port, bool runOutFilter)
{
    tag(FlowTag::device(port.id));
    step(StepKind::PortEgress, port.id);
    if (!port.adminUp) {
        decide(Verdict::Drop, DropReason::PortAdminDown);
        return;
    }
    if (runOutFilter && !port.outboundFilter.isNil()) {
        ChainScope scope{nullptr, &port, port.deviceId};
        ChainVerdict v = runFilter(port.outboundFilter, scope);
        if (v == ChainVerdict::Drop || v == ChainVerdict::Reject) {
            decide(Verdict::Drop,
                   v == ChainVerdict::Drop ? DropReason::FilterDrop : DropReason::FilterReject);
            return;
        }
    }
    if (port.deviceType == DeviceType::Bridge && port.vlanId != 0 && port.isExterior()) {
        // L2 gateway port: the frame leaves on the trunk tagged with the port's VLAN (pushed
        // before tunnelling too, so the gateway host only outputs it).
        path.cur.innerVlanTci = path.cur.vlanTci;
        path.cur.vlanTci = port.vlanId | flow::kVlanPresent;
        step(StepKind::PushVlan, port.id, {}, port.vlanId);
    } else if (port.deviceType == DeviceType::Bridge && port.vlanId != 0) {
        // A VLAN port of a VLAN-aware bridge: the frame must carry its VLAN, which is popped.
        const FlowKey &k = see(Field::VlanTci);
        if (!k.hasVlan() || k.vlanId() != port.vlanId) {
            decide(Verdict::Drop, DropReason::VlanMismatch);
            return;
        }
        path.cur.vlanTci = path.cur.innerVlanTci;
        path.cur.innerVlanTci = 0;
        step(StepKind::PopVlan, port.id, {}, port.vlanId);
    }
    if (port.isInterior()) {
        ingressPort(port.peerId);
        return;
    }
    if (!port.isExterior()) {
        decide(Verdict::ErrorDrop, DropReason::PortUnplugged);
        return;
    }
    if (!port.active) {
        decide(Verdict::Drop, DropReason::PortInactive);
        return;
    }
    trackConnection(port);
    Emit e;
    e.key = path.cur;
    if (port.hostId == topo.localHost) {
        e.dpPort = port.dpPortNo;
        step(StepKind::Output, port.id, {}, port.dpPortNo);
    } else {
        const Host *h = topo.host(port.hostId);
        if (!h) {
            decide(Verdict::ErrorDrop, DropReason::PortUnplugged);
            return;
        }
        e.tunnel = true;
        e.dpPort = topo.tunnelDpPort;
        e.tunnelKey = port.tunnelKey;
        e.tunnelDst = h->tunnelIp;
        tag(FlowTag::tunnelKey(port.tunnelKey));
        step(StepKind::Tunnel, port.id, h->id, h->tunnelIp.value, port.tunnelKey);
    }
    emits.push_back(e);
}

namespace {

std::vector<uint16_t> tagsOf(const FlowKey &k)
{
    std::vector<uint16_t> t;
    if (k.vlanTci & flow::kVlanPresent) t.push_back(k.vlanTci);
    if (k.innerVlanTci & flow::kVlanPresent) t.push_back(k.innerVlanTci);
    return t;
}

// The actions that turn a packet with key `dp` into one with key `want`; updates dp.
void diffActions(FlowKey &dp, const FlowKey &want, flow::FlowActions &out)
{
    if (dp.vlanTci != want.vlanTci || dp.innerVlanTci != want.innerVlanTci) {
        auto have = tagsOf(dp), need = tagsOf(want);
        auto isSuffix = [&]() {
            if (have.size() > need.size()) return false;
            return std::equal(have.begin(), have.end(), need.end() - have.size());
        };
        while (!have.empty() && !isSuffix()) {
            out.push_back(flow::PopVlanAction{});
            have.erase(have.begin());
        }
        for (size_t i = need.size() - have.size(); i-- > 0;) {
            out.push_back(flow::PushVlanAction{flow::kEthTypeVlan, need[i]});
        }
        dp.vlanTci = want.vlanTci;
        dp.innerVlanTci = want.innerVlanTci;
    }
    if (dp.ethSrc != want.ethSrc) out.push_back(flow::SetEthSrcAction{want.ethSrc});
    if (dp.ethDst != want.ethDst) out.push_back(flow::SetEthDstAction{want.ethDst});
    if (dp.ipv4Src != want.ipv4Src) out.push_back(flow::SetIpv4SrcAction{want.ipv4Src});
    if (dp.ipv4Dst != want.ipv4Dst) out.push_back(flow::SetIpv4DstAction{want.ipv4Dst});
    if (dp.ipTos != want.ipTos) out.push_back(flow::SetIpTosAction{want.ipTos});
    if (dp.ipTtl != want.ipTtl) out.push_back(flow::SetIpTtlAction{want.ipTtl});
    if (dp.tpSrc != want.tpSrc) out.push_back(flow::SetTpSrcAction{want.tpSrc});
    if (dp.tpDst != want.tpDst) out.push_back(flow::SetTpDstAction{want.tpDst});
    if (dp.icmpId != want.icmpId) out.push_back(flow::SetTpSrcAction{want.icmpId});
    dp.ethSrc = want.ethSrc;
    dp.ethDst = want.ethDst;
    dp.ipv4Src = want.ipv4Src;
    dp.ipv4Dst = want.ipv4Dst;
    dp.ipTos = want.ipTos;
    dp.ipTtl = want.ipTtl;
    dp.tpSrc = want.tpSrc;
    dp.tpDst = want.tpDst;
    dp.icmpId = want.icmpId;
}

} // namespace

void Ctx::finish()
{
    if (!emits.empty()) {
        res.verdict = Verdict::Forward;
        res.reason = DropReason::None;
        FlowKey dp = orig;
        const Host *local = topo.host(topo.localHost);
        for (const Emit &e : emits) {
            diffActions(dp, e.key, res.actions);
            if (e.tunnel) {
                flow::SetTunnelAction t;
                t.tunnelId = e.tunnelKey;
                t.src = local ? local->tunnelIp : IPv4Address{};
                t.dst = e.tunnelDst;
                res.actions.push_back(t);
            }
            res.actions.push_back(flow::OutputAction{e.dpPort});
        }
    } else {
        if (!decided) decide(Verdict::Drop, DropReason::NoOutput);
        res.actions.clear();
    }
    if (res.mask.consulted(Field::IcmpId)) res.userspaceOnly = true;
    std::sort(res.tags.begin(), res.tags.end());
    res.tags.erase(std::unique(res.tags.begin(), res.tags.end()), res.tags.end());
    step(StepKind::Verdict, {}, {}, uint32_t(res.verdict), uint32_t(res.reason));
}

} // namespace detail

namespace {

SimulationResult malformed(const SimulationEnv &env, const packet::Error &e)
{
    SimulationResult r;
    r.verdict = Verdict::Drop;
    r.reason = DropReason::MalformedPacket;
    r.mask = flow::FlowMask::exact();
    if (env.trace) r.trace.push_back(TraceStep{StepKind::Verdict, {}, {}, uint32_t(r.verdict),
                                                uint32_t(r.reason)});
    (void)e;
    return r;
}

} // namespace

SimulationResult Simulator::simulate(std::span<const uint8_t> frame, const Uuid &ingressPort,
                                     const TopologySnapshot &topo, const StateTables &state,
                                     const SimulationEnv &env) const
{
    auto parsed = packet::parsePacket(frame);
    if (!parsed) return malformed(env, parsed.error());
    SimulationResult res;
    const Port *in = topo.port(ingressPort);
    res.key = packet::flowKeyOf(*parsed, in ? in->dpPortNo : 0);
    res.mask.mark(Field::InPort);
    if (env.trace) res.trace.reserve(16);
    res.tags.reserve(16);
    Ctx ctx(config_, topo, state, env, res, *parsed);
    if (in) ctx.ingressDevice = in->deviceId;
    ctx.ingressPort(ingressPort);
    ctx.finish();
    return res;
}

SimulationResult Simulator::simulateGenerated(std::span<const uint8_t> frame, const Uuid &fromPort,
                                              const TopologySnapshot &topo,
                                              const StateTables &state,
                                              const SimulationEnv &env) const
{
    auto parsed = packet::parsePacket(frame);
    if (!parsed) return malformed(env, parsed.error());
    SimulationResult res;
    res.key = packet::flowKeyOf(*parsed, 0);
    Ctx ctx(config_, topo, state, env, res, *parsed);
    ctx.generatedPacket = true;
    ctx.forwardFlow = false; // agent-generated packets are return traffic (reference B9)
    const Port *from = topo.port(fromPort);
    if (!from) {
        ctx.decide(Verdict::ErrorDrop, DropReason::UnknownPort);
    } else {
        ctx.ingressDevice = from->deviceId;
        ctx.egressPort(*from, false);
    }
    ctx.finish();
    return res;
}

} // namespace midonet::sim
