// The virtual router (reference B1, B6): ARP, the load balancer, filters, longest-prefix routing
// with source prefixes, weights and ECMP, TTL, next-hop MAC resolution, and the ICMP errors it
// sends, built as real packets.
#include "agent/simulation/detail/context.h"
#include "agent/simulation/detail/route_table.h"
#include "common/packet/builder.h"

namespace midonet::sim::detail {

namespace {

bool isIcmpError(uint8_t type) { return type == 3 || type == 4 || type == 5 || type == 11 || type == 12; }

// Candidate routes for dst/src (reference B6): the longest prefix that has a usable route whose
// source matches; within it the lowest weight; ties are returned together for ECMP
// (detail/route_table.h).
void lookupRoutes(const TopologySnapshot &topo, const Router &r, IPv4Address dst, IPv4Address src,
                  std::vector<const Route *> &out)
{
    out.clear();
    const RouteTable *table = topo.routeTable(r.id);
    if (!table) return;
    table->lookup(r.routes, dst, src,
                  [&](const Route &rt) {
                      const Port *p = topo.port(rt.nextHopPort);
                      // A port's routes count only while it is linked, or exterior and active.
                      return p && (p->isInterior() || (p->isExterior() && p->active));
                  },
                  out);
}

uint64_t fiveTupleHash(const FlowKey &k)
{
    uint64_t h = uint64_t(k.ipv4Src.value) << 32 | k.ipv4Dst.value;
    h ^= (uint64_t(k.tpSrc) << 24 | uint64_t(k.tpDst) << 8 | k.ipProto) * 0x9e3779b97f4a7c15ULL;
    h ^= h >> 31;
    h *= 0xbf58476d1ce4e5b9ULL;
    return h ^ (h >> 29);
}

} // namespace

void Ctx::generate(const Uuid &fromPort, std::vector<uint8_t> frame, const char *what)
{
    step(StepKind::Generated, fromPort, {}, uint32_t(frame.size()));
    res.generated.push_back(GeneratedPacket{fromPort, std::move(frame), what});
}

void Ctx::sendIcmpError(const Port &inPort, uint8_t type, uint8_t code, uint32_t rest)
{
    // Never answer an error with an error, nor broadcasts, multicasts or later fragments, and
    // only from a port that has an address to answer from (reference B6).
    if (!inPort.hasAddress() || parsed.l3 != packet::L3::Ipv4) return;
    // What decides whether an error is sent is part of the (drop) flow's match.
    res.mask.mark(Field::IpFrag).mark(Field::IpProto).mark(Field::EthDst).mark(Field::Ipv4Dst)
        .mark(Field::Ipv4Src).mark(Field::EthSrc);
    const FlowKey &k = path.cur;
    if (k.ipFrag == flow::FragType::Later) return;
    if (k.ipProto == flow::kIpProtoIcmp && isIcmpError(see(Field::IcmpType).icmpType)) return;
    if (k.ethDst.isMulticast() || k.ipv4Dst.value == 0xffffffffu) return;
    if ((k.ipv4Dst.value >> 28) == 0xe) return; // 224.0.0.0/4
    uint32_t hostMask = ~inPort.address.mask();
    if (inPort.address.length < 31 && inPort.address.contains(k.ipv4Dst) &&
        (k.ipv4Dst.value & hostMask) == hostMask)
        return; // the subnet broadcast
    // Quote the original IP header and its L4 header (at least 8 bytes, RFC 792).
    size_t start = parsed.l3Offset;
    size_t end = parsed.l4End;
    size_t quoteEnd = start + parsed.ipv4.headerLength + 8;
    if (parsed.l4 == packet::L4::Tcp) quoteEnd = parsed.l4Offset + parsed.tcp.headerLength;
    if (quoteEnd > end) quoteEnd = end;
    std::vector<uint8_t> quote(parsed.data.begin() + long(start), parsed.data.begin() + long(quoteEnd));
    packet::Ipv4Spec ip;
    ip.src = inPort.ip();
    ip.dst = k.ipv4Src;
    ip.protocol = flow::kIpProtoIcmp;
    ip.ttl = 64;
    auto frame = packet::ethernet(k.ethSrc, inPort.mac, flow::kEthTypeIpv4,
                                  packet::ipv4(ip, packet::icmp(type, code, rest, quote)));
    const char *what = type == packet::kIcmpTimeExceeded       ? "icmp-11/0"
                       : code == packet::kIcmpUnreachNet       ? "icmp-3/0"
                       : code == packet::kIcmpUnreachHost      ? "icmp-3/1"
                       : code == packet::kIcmpUnreachFragNeeded ? "icmp-3/4"
                                                                : "icmp-3/13";
    generate(inPort.id, std::move(frame), what);
}

void Ctx::router(const Port &inPort)
{
    const Router *r = topo.router(inPort.deviceId);
    if (!r) {
        decide(Verdict::ErrorDrop, DropReason::UnknownDevice);
        return;
    }
    if (++path.devices > cfg.maxDevices) {
        decide(Verdict::ErrorDrop, DropReason::LoopGuard);
        return;
    }
    tag(FlowTag::device(r->id));
    step(StepKind::RouterEnter, r->id, inPort.id);

    // Routers drop VLAN-tagged frames; a VLAN 0 (priority) tag is stripped.
    const FlowKey &vk = see(Field::VlanTci);
    if (vk.hasVlan()) {
        if (vk.vlanId() != 0) {
            decide(Verdict::Drop, DropReason::VlanTaggedToRouter);
            return;
        }
        path.cur.vlanTci = path.cur.innerVlanTci;
        path.cur.innerVlanTci = 0;
    }

    // Only IPv4 and ARP; then admin state (3/13 back), then ARP handling.
    const uint16_t ethType = see(Field::EthType).ethType;
    if (ethType != flow::kEthTypeIpv4 && ethType != flow::kEthTypeArp) {
        decide(Verdict::Drop, DropReason::NotIpv4);
        return;
    }
    if (!r->adminUp) {
        sendIcmpError(inPort, packet::kIcmpUnreachable, packet::kIcmpUnreachAdminProhibited);
        decide(Verdict::Drop, DropReason::RouterAdminDown);
        return;
    }
    if (ethType == flow::kEthTypeArp) {
        const FlowKey &k = path.cur;
        res.mask.mark(Field::ArpOp).mark(Field::ArpSip).mark(Field::ArpTip).mark(Field::ArpSha)
            .mark(Field::EthDst);
        const bool inSubnet = inPort.hasAddress() && inPort.address.contains(k.arpSip);
        if (k.arpOp == packet::kArpRequest && inPort.hasAddress() && k.arpTip == inPort.ip() &&
            inSubnet) {
            change(ArpLearned{r->id, k.arpSip, k.arpSha});
            generate(inPort.id,
                     packet::ethernet(k.arpSha, inPort.mac, flow::kEthTypeArp,
                                      packet::arp(packet::kArpReply, inPort.mac, inPort.ip(),
                                                  k.arpSha, k.arpSip)),
                     "arp-reply");
            step(StepKind::ArpReplied, r->id, inPort.id, k.arpTip.value);
            decide(Verdict::NoOp);
            return;
        }
        const bool gratuitous = k.arpSip == k.arpTip;
        const bool replyToUs = k.arpOp == packet::kArpReply && inPort.hasAddress() &&
                               k.arpTip == inPort.ip() && k.ethDst == inPort.mac;
        if (inSubnet && (gratuitous || replyToUs)) {
            change(ArpLearned{r->id, k.arpSip, k.arpSha});
            step(StepKind::ArpResolved, r->id, inPort.id, k.arpSip.value);
            decide(Verdict::NoOp);
            return;
        }
        decide(Verdict::Drop, DropReason::ArpNotHandled);
        return;
    }
    // Broadcast is only for ARP; IPv4 must be addressed to the in-port's MAC.
    if (see(Field::EthDst).ethDst != inPort.mac) {
        decide(Verdict::Drop, DropReason::NotForRouter);
        return;
    }

    // Load balancer first: its ACCEPT skips the in-filters.
    ChainVerdict lb = ChainVerdict::Continue;
    if (!r->loadBalancer.isNil()) {
        lb = lbInbound(*r);
        if (lb == ChainVerdict::Drop) {
            decide(Verdict::Drop, DropReason::PoolDown);
            return;
        }
    }
    if (lb != ChainVerdict::Accept && !r->inboundFilter.isNil()) {
        ChainScope scope{&inPort, nullptr, r->id};
        ChainVerdict v = runFilter(r->inboundFilter, scope);
        if (v == ChainVerdict::Drop) {
            if (see(Field::IpFrag).ipFrag == flow::FragType::First) {
                sendIcmpError(inPort, packet::kIcmpUnreachable, packet::kIcmpUnreachFragNeeded);
                decide(Verdict::ErrorDrop, DropReason::FragmentDropped);
            } else {
                decide(Verdict::Drop, DropReason::FilterDrop);
            }
            return;
        }
        if (v == ChainVerdict::Reject) {
            sendIcmpError(inPort, packet::kIcmpUnreachable, packet::kIcmpUnreachAdminProhibited);
            decide(Verdict::Drop, DropReason::FilterReject);
            return;
        }
    }

    // Routing. The whole destination is consulted: a narrower mask would have to prove no
    // more specific route exists for the other addresses it covers.
    const IPv4Address dst = see(Field::Ipv4Dst).ipv4Dst;
    IPv4Address src = path.cur.ipv4Src;
    if (topo.routerHasSourceRoutes(r->id)) src = see(Field::Ipv4Src).ipv4Src;
    std::vector<const Route *> routes;
    lookupRoutes(topo, *r, dst, src, routes);
    tag(FlowTag::destinationIp(r->id, dst));
    if (routes.empty()) {
        step(StepKind::RouteChosen, r->id, {}, dst.value, 0);
        sendIcmpError(inPort, packet::kIcmpUnreachable, packet::kIcmpUnreachNet);
        decide(Verdict::ShortDrop, DropReason::NoRoute);
        return;
    }
    const Route *route = routes.front();
    if (routes.size() > 1) {
        // ECMP: the connection's 5-tuple picks the route, so the mask includes it.
        res.mask.mark(Field::Ipv4Src).mark(Field::IpProto).mark(Field::TpSrc).mark(Field::TpDst);
        route = routes[fiveTupleHash(path.cur) % routes.size()];
    }
    tag(FlowTag::route(r->id, route->id));
    step(StepKind::RouteChosen, r->id, route->id, dst.value, uint32_t(routes.size()));
    switch (route->nextHop) {
    case NextHop::Blackhole: decide(Verdict::ErrorDrop, DropReason::BlackholeRoute); return;
    case NextHop::Reject:
        sendIcmpError(inPort, packet::kIcmpUnreachable, packet::kIcmpUnreachAdminProhibited);
        decide(Verdict::ShortDrop, DropReason::RejectRoute);
        return;
    case NextHop::Local: {
        const FlowKey &k = see(Field::IpProto);
        if (k.ipProto == flow::kIpProtoIcmp && see(Field::IcmpType).icmpType == packet::kIcmpEchoRequest &&
            parsed.l4 == packet::L4::Icmp) {
            packet::Ipv4Spec ip;
            ip.src = dst;
            ip.dst = k.ipv4Src;
            ip.protocol = flow::kIpProtoIcmp;
            ip.ttl = 64;
            auto frame = packet::ethernet(
                k.ethSrc, inPort.mac, flow::kEthTypeIpv4,
                packet::ipv4(ip, packet::icmp(packet::kIcmpEchoReply, 0, parsed.icmp.rest,
                                              parsed.l4Payload)));
            generate(inPort.id, std::move(frame), "icmp-echo-reply");
            decide(Verdict::NoOp);
            return;
        }
        decide(Verdict::ErrorDrop, DropReason::LocalNotHandled);
        return;
    }
    case NextHop::Port: break;
    }

    const Port *outPort = topo.port(route->nextHopPort);
    if (!outPort) {
        decide(Verdict::ErrorDrop, DropReason::UnknownPort);
        return;
    }
    const uint8_t ttl = see(Field::IpTtl).ipTtl;
    if (ttl <= 1) {
        sendIcmpError(inPort, packet::kIcmpTimeExceeded, 0);
        decide(Verdict::ErrorDrop, DropReason::TtlExceeded);
        return;
    }
    if (!inPort.container) {
        path.cur.ipTtl = uint8_t(ttl - 1);
        step(StepKind::TtlDecrement, r->id, {}, ttl - 1u);
    }

    ChainVerdict lbOut = ChainVerdict::Continue;
    // A packet the LB just sent to a member is not a member's reply: skip the reverse lookup
    // (and keep the client port out of a sticky flow's mask).
    if (!r->loadBalancer.isNil() && lb != ChainVerdict::Accept) {
        lbOut = lbOutbound(*r);
        if (lbOut == ChainVerdict::Drop) {
            decide(Verdict::Drop, DropReason::LbReturnInvalid);
            return;
        }
    }
    if (lbOut == ChainVerdict::Continue && !r->outboundFilter.isNil()) {
        ChainScope scope{&inPort, outPort, r->id};
        ChainVerdict v = runFilter(r->outboundFilter, scope);
        if (v == ChainVerdict::Drop) {
            decide(Verdict::Drop, DropReason::FilterDrop);
            return;
        }
        if (v == ChainVerdict::Reject) {
            sendIcmpError(inPort, packet::kIcmpUnreachable, packet::kIcmpUnreachAdminProhibited);
            decide(Verdict::Drop, DropReason::FilterReject);
            return;
        }
    }

    // Post-routing: filters may have rewritten the destination (DNAT), so read it again.
    const IPv4Address finalDst = path.cur.ipv4Dst;
    if (!outPort->hasAddress()) {
        decide(Verdict::Drop, DropReason::EgressNoAddress);
        return;
    }
    if (finalDst == outPort->ip()) {
        decide(Verdict::Drop, DropReason::DstIsEgressPort);
        return;
    }
    const bool hasGateway = route->gateway.value != 0;
    const IPv4Address nextHop = hasGateway ? route->gateway : finalDst;
    std::optional<MacAddress> mac;
    const Port *peer = outPort->isInterior() ? topo.port(outPort->peerId) : nullptr;
    if (peer && peer->deviceType == DeviceType::Router) {
        mac = peer->mac;
    } else if (peer && peer->deviceType == DeviceType::Bridge) {
        // The bridge knows its routers' addresses and its seeded IP->MAC table.
        if (const auto *bi = topo.bridgeIndex(peer->deviceId)) {
            auto it = bi->routerPortByIp.find(nextHop);
            if (it != bi->routerPortByIp.end()) {
                const Port *bp = topo.port(it->second);
                const Port *rp = bp ? topo.port(bp->peerId) : nullptr;
                if (rp) {
                    mac = rp->mac;
                    tag(FlowTag::bridgePort(peer->deviceId, it->second));
                }
            }
        }
        if (!mac) {
            if (const Bridge *b = topo.bridge(peer->deviceId)) {
                auto it = b->ipMacTable.find(nextHop);
                if (it != b->ipMacTable.end()) mac = it->second;
            }
        }
    }
    auto askForNextHop = [&] {
        generate(outPort->id,
                 packet::ethernet(MacAddress::broadcast(), outPort->mac, flow::kEthTypeArp,
                                  packet::arp(packet::kArpRequest, outPort->mac, outPort->ip(),
                                              MacAddress{}, nextHop)),
                 "arp-request");
    };
    if (!mac) {
        tag(FlowTag::arpEntry(r->id, nextHop));
        const ArpEntry *e = state.arp(r->id, nextHop);
        if (e && e->expiresAtMs > env.nowMs) {
            if (e->failed) {
                sendIcmpError(inPort, packet::kIcmpUnreachable,
                              hasGateway ? packet::kIcmpUnreachNet : packet::kIcmpUnreachHost);
                decide(Verdict::ErrorDrop, DropReason::HostUnreachable);
                return;
            }
            mac = e->mac;
            if (e->staleAtMs <= env.nowMs) {
                // Stale: keep forwarding with what we know and ask again in the background
                // (MidoNet's arp_stale); the answer refreshes the entry, silence expires it.
                askForNextHop();
            }
        } else {
            // Resolve: the packet waits; the agent re-simulates it when the entry arrives.
            askForNextHop();
            step(StepKind::ArpWait, r->id, outPort->id, nextHop.value);
            res.waitingForArp = nextHop;
            res.waitingRouter = r->id;
            decide(Verdict::WaitForArp);
            return;
        }
    }
    step(StepKind::ArpResolved, r->id, outPort->id, nextHop.value);
    path.cur.ethSrc = outPort->mac;
    path.cur.ethDst = *mac;
    egressPort(*outPort, true);
}

} // namespace midonet::sim::detail
