// Chains, rules, conditions, NAT and connection tracking (reference B2-B5, B9).
#include "agent/simulation/detail/context.h"

#include <algorithm>

namespace midonet::sim::detail {

namespace {

bool contains(const std::vector<Uuid> &v, const Uuid &id)
{
    return std::find(v.begin(), v.end(), id) != v.end();
}

ChainVerdict toVerdict(RuleAction a)
{
    switch (a) {
    case RuleAction::Accept: return ChainVerdict::Accept;
    case RuleAction::Drop: return ChainVerdict::Drop;
    case RuleAction::Reject: return ChainVerdict::Reject;
    case RuleAction::Return: return ChainVerdict::Return;
    case RuleAction::Continue:
    case RuleAction::Jump: return ChainVerdict::Continue;
    }
    return ChainVerdict::Continue;
}

bool isIcmpEcho(uint8_t type) { return type == 0 || type == 8; }

} // namespace

ChainVerdict Ctx::runFilter(const Uuid &chainId, const ChainScope &scope)
{
    const Chain *chain = topo.chain(chainId);
    if (!chain) return ChainVerdict::Accept; // a dangling filter id filters nothing
    std::vector<const Chain *> visited; // per evaluation, never trimmed (B2)
    ChainVerdict v = runChain(*chain, scope, visited);
    // At the top level, falling off the end or RETURN means ACCEPT.
    if (v == ChainVerdict::Continue || v == ChainVerdict::Return) v = ChainVerdict::Accept;
    step(StepKind::ChainResult, chain->id, {}, uint32_t(v));
    return v;
}

ChainVerdict Ctx::runChain(const Chain &chain, const ChainScope &scope,
                           std::vector<const Chain *> &visited)
{
    visited.push_back(&chain);
    tag(FlowTag::device(chain.id));
    step(StepKind::ChainStart, chain.id);
    const size_t n = chain.rules.size();
    for (size_t i = 0; i < n; ++i) {
        const Rule &rule = chain.rules[i];
        if (!conditionMatches(chain.compact[i], rule, scope)) continue;
        ChainVerdict v = ChainVerdict::Continue;
        switch (rule.kind) {
        case RuleKind::Literal: v = toVerdict(rule.action); break;
        case RuleKind::Jump: {
            const Chain *target = topo.chain(rule.jumpTo);
            tag(FlowTag::rule(chain.id, rule.id));
            step(StepKind::RuleMatched, chain.id, rule.id, uint32_t(RuleAction::Jump));
            // A missing target, or one already visited in this evaluation, is ignored.
            if (!target || std::find(visited.begin(), visited.end(), target) != visited.end())
                continue;
            v = runChain(*target, scope, visited);
            if (v == ChainVerdict::Return || v == ChainVerdict::Continue) continue;
            return v;
        }
        case RuleKind::Dnat:
        case RuleKind::Snat:
        case RuleKind::RevDnat:
        case RuleKind::RevSnat:
            if (!applyNat(rule, scope)) {
                if (decided && res.reason == DropReason::NatExhausted) return ChainVerdict::Drop;
                continue;
            }
            v = toVerdict(rule.action);
            break;
        }
        tag(FlowTag::rule(chain.id, rule.id));
        step(StepKind::RuleMatched, chain.id, rule.id, uint32_t(rule.action));
        if (v != ChainVerdict::Continue) return v;
    }
    return ChainVerdict::Continue;
}

bool Ctx::conditionMatches(const CompactCondition &cc, const Rule &rule, const ChainScope &scope)
{
    // 0. Fragment policy is tested first and is not inverted by `inverted`.
    if (cc.fragmentPolicy != FragmentPolicy::Any) {
        flow::FragType f = see(Field::IpFrag).ipFrag;
        bool ok = cc.fragmentPolicy == FragmentPolicy::Header      ? f != flow::FragType::Later
                  : cc.fragmentPolicy == FragmentPolicy::Nonheader ? f == flow::FragType::Later
                                                                   : f == flow::FragType::None;
        if (!ok) return false;
    }
    // Only rules that use fields outside CompactCondition touch the full Condition.
    const Condition &c = rule.cond;
    // The remaining fields in MidoNet's order; the first failure ends the test, so fields after
    // it are not consulted (and stay out of the mask).
    const uint32_t fs = cc.fieldsSet;
    if (fs == 0) return !cc.conjunctionInv; // no field: matches everything
    auto inv = [&](int bit) { return (cc.inverts >> bit) & 1; };
    auto all = [&]() -> bool {
        auto pass = [](bool test, bool invert) { return test != invert; };
        if ((fs & kCondFlow) && isForwardFlow() != *c.matchForwardFlow) return false;
        if ((fs & kCondNoVlan) && !pass(!see(Field::VlanTci).hasVlan(), c.noVlanInv)) return false;
        if (fs & kCondVlan) {
            const FlowKey &k = see(Field::VlanTci);
            if (!pass(k.hasVlan() && k.vlanId() == *c.vlan.value, c.vlan.invert)) return false;
        }
        if (fs & kCondPortGroup) {
            const Port *p = path.lastExteriorIngress;
            if (!pass(p && contains(p->portGroups, *c.portGroup.value), c.portGroup.invert))
                return false;
        }
        if (fs & kCondInPortGroup) {
            const Port *p = scope.inPort;
            if (!pass(p && contains(p->portGroups, *c.inPortGroup.value), c.inPortGroup.invert))
                return false;
        }
        if (fs & kCondOutPortGroup) {
            const Port *p = scope.outPort;
            if (!pass(p && contains(p->portGroups, *c.outPortGroup.value), c.outPortGroup.invert))
                return false;
        }
        if (fs & kCondInPorts) {
            bool in = scope.inPort && contains(c.inPorts, scope.inPort->id);
            if (!pass(in, c.inPortsInv)) return false;
        }
        if (fs & kCondOutPorts) {
            bool in = scope.outPort && contains(c.outPorts, scope.outPort->id);
            if (!pass(in, c.outPortsInv)) return false;
        }
        if ((fs & kCondEtherType) && !pass(see(Field::EthType).ethType == cc.etherType, inv(0)))
            return false;
        if (fs & kCondEthSrc) {
            res.mask.bits.ethSrc = MacAddress::fromU64(res.mask.bits.ethSrc.toU64() | c.ethSrcMask);
            bool eq = ((path.cur.ethSrc.toU64() ^ c.ethSrc.value->toU64()) & c.ethSrcMask) == 0;
            if (!pass(eq, c.ethSrc.invert)) return false;
        }
        if (fs & kCondEthDst) {
            res.mask.bits.ethDst = MacAddress::fromU64(res.mask.bits.ethDst.toU64() | c.ethDstMask);
            bool eq = ((path.cur.ethDst.toU64() ^ c.ethDst.value->toU64()) & c.ethDstMask) == 0;
            if (!pass(eq, c.ethDst.invert)) return false;
        }
        if ((fs & kCondTos) && !pass(see(Field::IpTos).ipTos == cc.tos, inv(1))) return false;
        if ((fs & kCondProto) && !pass(see(Field::IpProto).ipProto == cc.proto, inv(2)))
            return false;
        if (fs & kCondNwSrc) {
            // A packet without IPv4 never matches, unless inverted.
            bool ip = see(Field::EthType).isIpv4();
            bool in = false;
            if (ip) {
                res.mask.markIpv4SrcPrefix(cc.srcLength);
                in = (path.cur.ipv4Src.value & cc.srcMask) == cc.srcNet;
            }
            if (!pass(in, inv(3))) return false;
        }
        if (fs & kCondNwDst) {
            bool ip = see(Field::EthType).isIpv4();
            bool in = false;
            if (ip) {
                res.mask.markIpv4DstPrefix(cc.dstLength);
                in = (path.cur.ipv4Dst.value & cc.dstMask) == cc.dstNet;
            }
            if (!pass(in, inv(4))) return false;
        }
        // Ports; for ICMP the ICMP type and code. Without L4 the value is 0.
        auto l4Value = [&](bool source) -> uint16_t {
            const FlowKey &k = see(Field::EthType);
            if (!k.isIpv4() && !k.isIpv6()) return 0;
            see(Field::IpProto);
            if (k.isIcmp()) return source ? see(Field::IcmpType).icmpType : see(Field::IcmpCode).icmpCode;
            if (!k.hasPorts()) return 0;
            return source ? see(Field::TpSrc).tpSrc : see(Field::TpDst).tpDst;
        };
        if ((fs & kCondTpSrc) && !pass(cc.tpSrc.contains(l4Value(true)), inv(5))) return false;
        if ((fs & kCondTpDst) && !pass(cc.tpDst.contains(l4Value(false)), inv(6))) return false;
        if (fs & kCondAddrGroupSrc) {
            bool in = see(Field::EthType).isIpv4() &&
                      topo.ipInGroup(*c.ipAddrGroupSrc.value, see(Field::Ipv4Src).ipv4Src);
            tag(FlowTag::device(*c.ipAddrGroupSrc.value));
            if (!pass(in, c.ipAddrGroupSrc.invert)) return false;
        }
        if (fs & kCondAddrGroupDst) {
            bool in = see(Field::EthType).isIpv4() &&
                      topo.ipInGroup(*c.ipAddrGroupDst.value, see(Field::Ipv4Dst).ipv4Dst);
            tag(FlowTag::device(*c.ipAddrGroupDst.value));
            if (!pass(in, c.ipAddrGroupDst.invert)) return false;
        }
        if ((fs & kCondTraversed) &&
            !pass(traversed(*c.traversedDevice.value), c.traversedDevice.invert))
            return false;
        if (fs & kCondIcmpData) {
            // The IPv4 addresses inside an ICMP error's payload: not a datapath key field.
            const FlowKey &k = see(Field::EthType);
            bool isErr = k.isIpv4() && see(Field::IpProto).ipProto == flow::kIpProtoIcmp &&
                         parsed.l4 == packet::L4::Icmp && parsed.l4Payload.size() >= 20;
            res.userspaceOnly = true;
            auto at = [&](size_t o) {
                const uint8_t *p = parsed.l4Payload.data() + o;
                return IPv4Address{uint32_t(p[0]) << 24 | uint32_t(p[1]) << 16 |
                                   uint32_t(p[2]) << 8 | p[3]};
            };
            if (c.icmpDataSrc.set() &&
                !pass(isErr && c.icmpDataSrc.value->contains(at(12)), c.icmpDataSrc.invert))
                return false;
            if (c.icmpDataDst.set() &&
                !pass(isErr && c.icmpDataDst.value->contains(at(16)), c.icmpDataDst.invert))
                return false;
        }
        if ((fs & kCondDstRewritten) && !pass(path.dstRewritten, c.nwDstRewrittenInv)) return false;
        return true;
    };
    bool m = all();
    return cc.conjunctionInv ? !m : m;
}

// ---- connection tracking ----

namespace {
bool tracked(const FlowKey &k)
{
    return k.isIpv4() && (k.ipProto == flow::kIpProtoTcp || k.ipProto == flow::kIpProtoUdp ||
                          k.ipProto == flow::kIpProtoIcmp);
}
} // namespace

bool Ctx::isForwardFlow()
{
    if (forwardFlow) return *forwardFlow;
    res.mask.mark(Field::EthType).mark(Field::IpProto);
    if (!tracked(orig)) {
        forwardFlow = true; // untracked traffic is always forward
        return true;
    }
    // The packet as it entered the host, plus the ingress device.
    res.mask.mark(Field::Ipv4Src).mark(Field::Ipv4Dst);
    ConnTrackKey key{orig.ipv4Src, orig.ipv4Dst, 0, 0, orig.ipProto, ingressDevice};
    if (orig.ipProto == flow::kIpProtoIcmp) {
        res.mask.mark(Field::IcmpId);
        key.srcPort = key.dstPort = orig.icmpId;
    } else {
        res.mask.mark(Field::TpSrc).mark(Field::TpDst);
        key.srcPort = orig.tpSrc;
        key.dstPort = orig.tpDst;
    }
    tag(FlowTag::connTrack(key.hash()));
    forwardFlow = !state.hasConnTrack(key);
    step(StepKind::ConnTrack, ingressDevice, {}, *forwardFlow ? 1 : 0);
    return *forwardFlow;
}

void Ctx::trackConnection(const Port &egress)
{
    if (generatedPacket) return;
    if (!topo.anyFlowCondition()) {
        // Nothing reads conntrack; the agent drops flows with this tag when a rule that tests
        // `flow` appears, so connections from then on are registered.
        tag(FlowTag::conntrackPolicy());
        return;
    }
    res.mask.mark(Field::EthType).mark(Field::IpProto);
    if (!tracked(orig) || !isForwardFlow()) return;
    const FlowKey &k = path.cur;
    // RETURN under the reversed post-NAT tuple, plus the egress device.
    ConnTrackKey key{k.ipv4Dst, k.ipv4Src, 0, 0, k.ipProto, egress.deviceId};
    if (k.ipProto == flow::kIpProtoIcmp) {
        key.srcPort = key.dstPort = k.icmpId;
    } else {
        key.srcPort = k.tpDst;
        key.dstPort = k.tpSrc;
    }
    change(ConnTrackAdded{key});
    tag(FlowTag::connTrack(key.hash()));
    res.carriesState = true;
}

// ---- NAT ----

bool Ctx::applyNat(const Rule &rule, const ChainScope &scope)
{
    if (rule.kind == RuleKind::RevDnat || rule.kind == RuleKind::RevSnat)
        return applyReverseNat(rule, scope);
    if (rule.natTargets.empty()) return false;
    bool isStatic = std::all_of(rule.natTargets.begin(), rule.natTargets.end(),
                                [](const NatTarget &t) { return t.portFrom == 0 && t.portTo == 0; });
    if (isStatic) {
        // 1:1 on the start address, no state, any protocol (B3).
        if (rule.natTargets.size() != 1 || !see(Field::EthType).isIpv4()) return false;
        IPv4Address to = rule.natTargets.front().addressFrom;
        if (rule.kind == RuleKind::Snat) {
            path.cur.ipv4Src = to;
        } else {
            path.cur.ipv4Dst = to;
            path.dstRewritten = true;
        }
        step(StepKind::NatApplied, scope.natDevice, rule.id, to.value, 0);
        return true;
    }
    return rule.kind == RuleKind::Snat ? applyDynamicSnat(rule, scope)
                                       : applyDynamicDnat(rule, scope);
}

namespace {

// Fills ports and checks the protocol dynamic NAT handles: IPv4 TCP, UDP, ICMP echo.
bool natTuple(Ctx &ctx, uint16_t &sport, uint16_t &dport, bool &icmp)
{
    const FlowKey &k = ctx.see(Field::EthType);
    if (!k.isIpv4()) return false;
    ctx.res.mask.mark(Field::IpProto).mark(Field::Ipv4Src).mark(Field::Ipv4Dst);
    icmp = k.ipProto == flow::kIpProtoIcmp;
    if (icmp) {
        if (!isIcmpEcho(ctx.see(Field::IcmpType).icmpType)) return false;
        sport = dport = ctx.see(Field::IcmpId).icmpId;
        return true;
    }
    if (k.ipProto != flow::kIpProtoTcp && k.ipProto != flow::kIpProtoUdp) return false;
    ctx.res.mask.mark(Field::TpSrc).mark(Field::TpDst).mark(Field::IpFrag);
    if (k.ipFrag == flow::FragType::Later) return false;
    sport = k.tpSrc;
    dport = k.tpDst;
    return true;
}

} // namespace

bool Ctx::applyDynamicSnat(const Rule &rule, const ChainScope &scope)
{
    uint16_t sport = 0, dport = 0;
    bool icmp = false;
    if (!natTuple(*this, sport, dport, icmp)) return false;
    const FlowKey &k = path.cur;
    const Uuid &dev = scope.natDevice;
    res.carriesState = true;
    NatKey fwd{NatKeyType::FwdSnat, k.ipv4Src, k.ipv4Dst, sport, dport, k.ipProto, dev};
    tag(FlowTag::nat(fwd.hash()));
    NatBinding b;
    if (const NatBinding *found = state.natBinding(fwd)) {
        b = *found;
    } else {
        bool ok = false;
        if (icmp) {
            // ICMP: a random target address; the id is kept.
            const NatTarget &t = rule.natTargets[random() % rule.natTargets.size()];
            uint32_t span = t.addressTo.value - t.addressFrom.value + 1;
            b = NatBinding{IPv4Address{t.addressFrom.value + uint32_t(random() % (span ? span : 1))},
                           sport};
            ok = true;
        }
        auto freePort = [&](IPv4Address ip, uint16_t port) {
            NatKey rev{NatKeyType::RevSnat, k.ipv4Dst, ip, dport, port, k.ipProto, dev};
            return state.natBinding(rev) == nullptr;
        };
        // Targets in order, addresses ascending, owned blocks ascending (B5).
        for (size_t ti = 0; !ok && ti < rule.natTargets.size(); ++ti) {
            const NatTarget &t = rule.natTargets[ti];
            uint32_t pFrom = std::max<uint32_t>(t.portFrom, 1), pTo = t.portTo;
            for (uint32_t a = t.addressFrom.value; !ok && a <= t.addressTo.value; ++a) {
                IPv4Address ip{a};
                if (const NatBlocks *nb = state.blocks(dev, ip)) {
                    for (uint16_t blk : nb->owned) {
                        uint32_t lo = std::max<uint32_t>(pFrom, blk * uint32_t(kNatBlockSize));
                        uint32_t hi = std::min<uint32_t>(pTo, blk * uint32_t(kNatBlockSize) + 63);
                        for (uint32_t p = lo; !ok && p <= hi; ++p)
                            if (freePort(ip, uint16_t(p))) {
                                b = NatBinding{ip, uint16_t(p)};
                                ok = true;
                            }
                        if (ok) break;
                    }
                }
                if (a == 0xffffffffu) break;
            }
        }
        // Nothing local: lease a new block, a random one among those nobody holds.
        for (size_t ti = 0; !ok && ti < rule.natTargets.size(); ++ti) {
            const NatTarget &t = rule.natTargets[ti];
            uint32_t pFrom = std::max<uint32_t>(t.portFrom, 1), pTo = t.portTo;
            for (uint32_t a = t.addressFrom.value; !ok && a <= t.addressTo.value; ++a) {
                IPv4Address ip{a};
                const NatBlocks *nb = state.blocks(dev, ip);
                auto taken = [&](uint16_t blk) {
                    return nb && (std::find(nb->owned.begin(), nb->owned.end(), blk) != nb->owned.end() ||
                                  std::find(nb->heldElsewhere.begin(), nb->heldElsewhere.end(), blk) !=
                                      nb->heldElsewhere.end());
                };
                std::vector<uint16_t> free;
                for (uint32_t blk = pFrom / kNatBlockSize; blk <= pTo / kNatBlockSize; ++blk)
                    if (!taken(uint16_t(blk))) free.push_back(uint16_t(blk));
                if (!free.empty()) {
                    uint16_t blk = free[random() % free.size()];
                    change(NatBlockClaimed{dev, ip, blk});
                    uint32_t lo = std::max<uint32_t>(pFrom, blk * uint32_t(kNatBlockSize));
                    b = NatBinding{ip, uint16_t(lo)};
                    ok = true;
                }
                if (a == 0xffffffffu) break;
            }
        }
        if (!ok) {
            decide(Verdict::Drop, DropReason::NatExhausted);
            return false;
        }
        NatKey rev{NatKeyType::RevSnat, k.ipv4Dst, b.ip, dport, b.port, k.ipProto, dev};
        change(NatBindingAdded{fwd, b});
        change(NatBindingAdded{rev, NatBinding{k.ipv4Src, sport}});
        tag(FlowTag::nat(rev.hash()));
    }
    path.cur.ipv4Src = b.ip;
    if (icmp) path.cur.icmpId = b.port;
    else path.cur.tpSrc = b.port;
    step(StepKind::NatApplied, dev, rule.id, b.ip.value, b.port);
    return true;
}

bool Ctx::applyDynamicDnat(const Rule &rule, const ChainScope &scope)
{
    uint16_t sport = 0, dport = 0;
    bool icmp = false;
    if (!natTuple(*this, sport, dport, icmp)) return false;
    const FlowKey &k = path.cur;
    const Uuid &dev = scope.natDevice;
    res.carriesState = true;
    NatKey fwd{NatKeyType::FwdDnat, k.ipv4Src, k.ipv4Dst, sport, dport, k.ipProto, dev};
    tag(FlowTag::nat(fwd.hash()));
    NatBinding b;
    if (const NatBinding *found = state.natBinding(fwd)) {
        b = *found;
    } else {
        // A random target, a random address and port within it (B5).
        const NatTarget &t = rule.natTargets[random() % rule.natTargets.size()];
        uint32_t span = t.addressTo.value - t.addressFrom.value + 1;
        b.ip = IPv4Address{t.addressFrom.value + uint32_t(random() % (span ? span : 1))};
        if (icmp) {
            b.port = sport;
        } else {
            uint32_t lo = std::max<uint32_t>(t.portFrom, 1), hi = std::max<uint32_t>(t.portTo, lo);
            b.port = uint16_t(lo + random() % (hi - lo + 1));
        }
        NatKey rev{NatKeyType::RevDnat, b.ip, k.ipv4Src, b.port, sport, k.ipProto, dev};
        change(NatBindingAdded{fwd, b});
        change(NatBindingAdded{rev, NatBinding{k.ipv4Dst, dport}});
        tag(FlowTag::nat(rev.hash()));
    }
    path.cur.ipv4Dst = b.ip;
    if (!icmp) path.cur.tpDst = b.port;
    path.dstRewritten = true;
    step(StepKind::NatApplied, dev, rule.id, b.ip.value, b.port);
    return true;
}

bool Ctx::applyReverseNat(const Rule &rule, const ChainScope &scope)
{
    uint16_t sport = 0, dport = 0;
    bool icmp = false;
    if (!natTuple(*this, sport, dport, icmp)) return false;
    const FlowKey &k = path.cur;
    bool snat = rule.kind == RuleKind::RevSnat;
    NatKey key{snat ? NatKeyType::RevSnat : NatKeyType::RevDnat, k.ipv4Src, k.ipv4Dst, sport,
               dport, k.ipProto, scope.natDevice};
    tag(FlowTag::nat(key.hash()));
    res.carriesState = true;
    const NatBinding *b = state.natBinding(key);
    if (!b) return false;
    if (snat) {
        // The reply goes back to the original source: restore the destination.
        path.cur.ipv4Dst = b->ip;
        if (icmp) path.cur.icmpId = b->port;
        else path.cur.tpDst = b->port;
        path.dstRewritten = true;
    } else {
        path.cur.ipv4Src = b->ip;
        if (!icmp) path.cur.tpSrc = b->port;
    }
    step(StepKind::ReverseNatApplied, scope.natDevice, rule.id, b->ip.value, b->port);
    return true;
}

} // namespace midonet::sim::detail
