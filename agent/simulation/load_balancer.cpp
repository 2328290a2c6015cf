// The L4 load balancer on a router (reference B8): VIP match, member choice (weighted random,
// sticky by source IP), DNAT with NAT state keyed by the load balancer, and the return path.
#include "agent/simulation/detail/context.h"

namespace midonet::sim::detail {

namespace {

const PoolMember *findMember(const Pool &pool, const NatBinding &b)
{
    for (const PoolMember &m : pool.members)
        if (m.address == b.ip && m.port == b.port) return &m;
    return nullptr;
}

// A mapping stays while its backend is valid: active for sticky; active or admin-disabled
// (draining) otherwise.
bool backendValid(const PoolMember *m, bool sticky)
{
    if (!m) return false;
    if (m->isActive()) return true;
    return !sticky && !m->adminUp && m->weight > 0 && m->status == MemberStatus::Active;
}

} // namespace

ChainVerdict Ctx::lbInbound(const Router &r)
{
    const LoadBalancer *lb = topo.loadBalancer(r.loadBalancer);
    if (!lb) return ChainVerdict::Continue;
    tag(FlowTag::device(lb->id));
    if (!lb->adminUp) return ChainVerdict::Continue;
    const FlowKey &k = see(Field::IpProto);
    if (k.ipProto != flow::kIpProtoTcp) return ChainVerdict::Continue; // TCP only
    res.mask.mark(Field::Ipv4Dst).mark(Field::TpDst);
    const Vip *vip = nullptr;
    for (const Uuid &vid : lb->vips) {
        const Vip *v = topo.vip(vid);
        if (v && v->adminUp && v->address == k.ipv4Dst && v->port == k.tpDst) {
            vip = v;
            break;
        }
    }
    if (!vip) return ChainVerdict::Continue;
    const Pool *pool = topo.pool(vip->poolId);
    tag(FlowTag::device(vip->id));
    if (!pool) return ChainVerdict::Drop;
    tag(FlowTag::device(pool->id));
    // Pool persistence wins: if any pool of this LB is sticky, VIP settings are ignored.
    const bool sticky = topo.anyStickyPool(lb->id) ? pool->stickySourceIp : vip->stickySourceIp;
    res.mask.mark(Field::Ipv4Src);
    if (!sticky) res.mask.mark(Field::TpSrc);
    res.carriesState = true;
    const uint16_t sport = sticky ? 0 : k.tpSrc;
    NatKey fwd{sticky ? NatKeyType::FwdStickyDnat : NatKeyType::FwdDnat, k.ipv4Src, k.ipv4Dst,
               sport, k.tpDst, k.ipProto, lb->id};
    tag(FlowTag::nat(fwd.hash()));

    const PoolMember *member = nullptr;
    if (const NatBinding *b = state.natBinding(fwd)) {
        const PoolMember *m = findMember(*pool, *b);
        if (backendValid(m, sticky)) member = m;
    }
    if (!member) {
        if (!pool->isUp()) {
            step(StepKind::LbVip, lb->id, vip->id, 0, 0);
            return ChainVerdict::Drop;
        }
        // Weighted random among active members.
        uint64_t total = 0;
        for (const PoolMember &m : pool->members)
            if (m.isActive()) total += m.weight;
        uint64_t pick = random() % total;
        for (const PoolMember &m : pool->members) {
            if (!m.isActive()) continue;
            if (pick < m.weight) {
                member = &m;
                break;
            }
            pick -= m.weight;
        }
        NatBinding b{member->address, member->port};
        NatKey rev{sticky ? NatKeyType::RevStickyDnat : NatKeyType::RevDnat, member->address,
                   k.ipv4Src, member->port, sport, k.ipProto, lb->id};
        change(NatBindingAdded{fwd, b});
        change(NatBindingAdded{rev, NatBinding{vip->address, vip->port}});
        tag(FlowTag::nat(rev.hash()));
    }
    tag(FlowTag::device(member->id));
    path.cur.ipv4Dst = member->address;
    path.cur.tpDst = member->port;
    path.dstRewritten = true;
    step(StepKind::LbVip, lb->id, vip->id, member->address.value, member->port);
    return ChainVerdict::Accept;
}

ChainVerdict Ctx::lbOutbound(const Router &r)
{
    const LoadBalancer *lb = topo.loadBalancer(r.loadBalancer);
    if (!lb) return ChainVerdict::Continue;
    const FlowKey &k = see(Field::IpProto);
    if (k.ipProto != flow::kIpProtoTcp) return ChainVerdict::Continue;
    res.mask.mark(Field::Ipv4Src).mark(Field::Ipv4Dst).mark(Field::TpSrc).mark(Field::TpDst);
    // Non-sticky first, then sticky (no client port).
    NatKey key{NatKeyType::RevDnat, k.ipv4Src, k.ipv4Dst, k.tpSrc, k.tpDst, k.ipProto, lb->id};
    tag(FlowTag::nat(key.hash()));
    const NatBinding *b = state.natBinding(key);
    bool sticky = false;
    if (!b) {
        key.type = NatKeyType::RevStickyDnat;
        key.dstPort = 0;
        tag(FlowTag::nat(key.hash()));
        b = state.natBinding(key);
        sticky = true;
    }
    if (!b) return ChainVerdict::Continue;
    res.carriesState = true;
    // The VIP must still exist, and the backend still be valid.
    const Vip *vip = nullptr;
    for (const Uuid &vid : lb->vips) {
        const Vip *v = topo.vip(vid);
        if (v && v->address == b->ip && v->port == b->port) vip = v;
    }
    const Pool *pool = vip ? topo.pool(vip->poolId) : nullptr;
    const PoolMember *m =
        pool ? findMember(*pool, NatBinding{k.ipv4Src, k.tpSrc}) : nullptr;
    path.cur.ipv4Src = b->ip;
    path.cur.tpSrc = b->port;
    step(StepKind::ReverseNatApplied, lb->id, vip ? vip->id : Uuid{}, b->ip.value, b->port);
    if (!vip || !backendValid(m, sticky)) return ChainVerdict::Drop;
    return ChainVerdict::Accept;
}

} // namespace midonet::sim::detail
