#include "agent/flows/packet_handler.h"

#include <spdlog/spdlog.h>

#include <chrono>

namespace midonet::agent {

namespace {

constexpr uint64_t kForwardLifetimeMs = 60'000;
constexpr uint64_t kStatefulLifetimeMs = 30'000;
constexpr uint64_t kDropLifetimeMs = 60'000;
constexpr uint64_t kShortDropLifetimeMs = 5'000;
constexpr uint64_t kArpWaitMs = 3'000;
constexpr size_t kMaxParked = 1024;

bool isFlowState(const sim::StateChange &c)
{
    return std::holds_alternative<sim::ConnTrackAdded>(c.change) ||
           std::holds_alternative<sim::NatBindingAdded>(c.change);
}

} // namespace

PacketHandler::PacketHandler(dp::Datapath &dp, TopologyCache &topology, FlowTable &flows,
                             LocalPorts &ports, Publish publish, StateTimers timers)
    : dp_(dp), topology_(topology), flows_(flows), ports_(ports), publish_(std::move(publish)),
      expiry_(timers.macExpiryMs)
{
    state_.arpStaleMs = timers.arpStaleMs;
    state_.arpExpiryMs = timers.arpExpiryMs;
}

void PacketHandler::handle(const dp::Upcall &upcall)
{
    const uint64_t now = dp::monotonicMs();
    {
        std::lock_guard lock(statsMu_);
        ++stats_.upcalls;
    }
    if (ports_.tunnelPort() != 0 && upcall.inPort == ports_.tunnelPort()) {
        handleTunnelled(upcall, now);
        return;
    }
    if (services_ && steer(upcall, now)) return;
    auto lp = ports_.byDpPort(upcall.inPort, upcall.key.vlanTci);
    if (!lp) {
        const bool trunk = ports_.isTrunk(upcall.inPort);
        {
            std::lock_guard lock(statsMu_);
            ++(trunk ? stats_.unknownVlan : stats_.unknownPort);
        }
        // Nothing is bound to this datapath port, or to this VLAN of a trunk (yet): drop
        // briefly, the binder may fix it. On a trunk the drop covers this VLAN only.
        flow::FlowMask m;
        m.mark(flow::Field::InPort);
        if (trunk) m.mark(flow::Field::VlanTci);
        flows_.install(flow::FlowMatch(upcall.key, m), {}, {}, now, kShortDropLifetimeMs);
        return;
    }
    simulateAndAct(upcall, lp->portId, now);
    resumeParked(now);
}

bool PacketHandler::steer(const dp::Upcall &upcall, uint64_t now)
{
    const SteerDecision d = services_->steer(upcall.key);
    if (d.kind == SteerDecision::Kind::None) return false;
    {
        std::lock_guard lock(statsMu_);
        ++stats_.steered;
    }
    if (d.kind == SteerDecision::Kind::Only) {
        // Session traffic of a gateway: neither simulated nor seen by the virtual router.
        flows_.install(flow::FlowMatch(upcall.key, d.mask), d.actions, {flow::FlowTag::device(d.uplinkPort)},
                       now, kForwardLifetimeMs);
        execute(upcall, d.actions, upcall.key);
        return true;
    }
    execute(upcall, d.actions, upcall.key); // a copy for the service; the router sees it too
    return false;
}

void PacketHandler::resumeParked(uint64_t now)
{
    // Packets that waited for an ARP answer a packet here (or another agent) brought.
    std::vector<Parked> ready;
    {
        std::lock_guard lock(stateMu_);
        if (!resolved_.empty()) {
            for (auto it = parked_.begin(); it != parked_.end();) {
                bool hit = false;
                for (const auto &k : resolved_) hit = hit || k == it->waitingFor;
                if (hit) {
                    ready.push_back(std::move(*it));
                    it = parked_.erase(it);
                } else {
                    ++it;
                }
            }
            resolved_.clear();
        }
    }
    for (const auto &p : ready) simulateAndAct(p.upcall, p.ingress, now);
}

void PacketHandler::handleTunnelled(const dp::Upcall &upcall, uint64_t now)
{
    {
        std::lock_guard lock(statsMu_);
        ++stats_.tunnelled;
    }
    // One overlay hop: the key is the egress port's tunnel key; the sender simulated the rest.
    const uint32_t key = uint32_t(upcall.key.tunnelId & 0xffffff);
    flow::FlowMask m;
    m.mark(flow::Field::InPort).mark(flow::Field::TunnelId);
    flow::FlowMatch match(upcall.key, m);
    auto lp = ports_.byTunnelKey(key);
    if (!lp) {
        spdlog::debug("tunnelled packet for key {} which no local port has: dropped", key);
        flows_.install(match, {}, {flow::FlowTag::tunnelKey(key)}, now, kShortDropLifetimeMs);
        return;
    }
    flow::FlowActions actions{flow::OutputAction{lp->dpPort}};
    flows_.install(match, actions, {flow::FlowTag::tunnelKey(key), flow::FlowTag::device(lp->portId)},
                   now, kForwardLifetimeMs);
    execute(upcall, actions, upcall.key);
}

std::vector<flow::FlowTag> PacketHandler::applyLocked(const std::vector<sim::StateChange> &changes,
                                                      uint64_t now)
{
    std::vector<flow::FlowTag> tags;
    for (const auto &c : changes) {
        if (auto *m = std::get_if<sim::MacLearned>(&c.change)) {
            const util::Uuid *old = state_.macPort(m->bridge, m->vlan, m->mac);
            if (!old) {
                tags.push_back(flow::FlowTag::vlanFlood(m->bridge, m->vlan, m->mac));
            } else if (*old != m->port) {
                tags.push_back(flow::FlowTag::vlanPort(m->bridge, m->mac, m->vlan, *old));
                tags.push_back(flow::FlowTag::macSource(m->bridge, m->mac, m->vlan, *old));
            } else {
                continue; // nothing new
            }
        } else if (auto *mf = std::get_if<sim::MacForgotten>(&c.change)) {
            const util::Uuid *old = state_.macPort(mf->bridge, mf->vlan, mf->mac);
            if (!old || *old != mf->port) continue; // already gone or moved: nothing to forget
            // Unicast to it floods again; flows from it are simulated again and re-learn it if
            // the MAC is still there (another host forgot it while it still talks here).
            tags.push_back(flow::FlowTag::vlanPort(mf->bridge, mf->mac, mf->vlan, mf->port));
            tags.push_back(flow::FlowTag::macSource(mf->bridge, mf->mac, mf->vlan, mf->port));
        } else if (auto *af = std::get_if<sim::ArpForgotten>(&c.change)) {
            if (!state_.arp(af->router, af->ip)) continue;
            tags.push_back(flow::FlowTag::arpEntry(af->router, af->ip));
        } else if (auto *a = std::get_if<sim::ArpLearned>(&c.change)) {
            tags.push_back(flow::FlowTag::arpEntry(a->router, a->ip));
            resolved_.push_back({a->router, a->ip});
        } else if (auto *ct = std::get_if<sim::ConnTrackAdded>(&c.change)) {
            if (state_.hasConnTrack(ct->key)) continue;
            tags.push_back(flow::FlowTag::connTrack(ct->key.hash()));
        } else if (auto *n = std::get_if<sim::NatBindingAdded>(&c.change)) {
            tags.push_back(flow::FlowTag::nat(n->key.hash()));
        } else if (auto *b = std::get_if<sim::BridgeIpMacLearned>(&c.change)) {
            tags.push_back(flow::FlowTag::arpRequest(b->bridge));
        }
        state_.apply(c, now);
    }
    if (!tags.empty()) stateGeneration_.fetch_add(1); // under stateMu_, before the invalidation
    return tags;
}

void PacketHandler::simulateAndAct(const dp::Upcall &upcall, const util::Uuid &ingress, uint64_t now)
{
    // The snapshot first: it may have to load newly reachable objects from the NSDB, and the
    // state tables must not stay locked meanwhile.
    auto [snap, gen] = topology_.snapshot();
    std::unique_lock lock(stateMu_);
    sim::SimulationEnv env;
    env.nowMs = now;
    env.entropy = entropy_.fetch_add(0x9e3779b97f4a7c15ULL);
    env.trace = false;
    const auto t0 = std::chrono::steady_clock::now();
    sim::SimulationResult r = simulator_.simulate(upcall.packet, ingress, *snap, state_, env);
    const auto simNs = std::chrono::duration_cast<std::chrono::nanoseconds>(
                           std::chrono::steady_clock::now() - t0).count();
    if (r.verdict == sim::Verdict::WaitForArp) {
        // The packet will be simulated again once the next hop answers; the connection and NAT
        // state it created must be created by that simulation, the one whose tunnel says which
        // host needs the state. Applied now, it would be found then and never sent.
        std::erase_if(r.stateChanges, isFlowState);
    }
    std::vector<flow::FlowTag> stale = applyLocked(r.stateChanges, now);
    for (const auto &c : r.stateChanges) {
        if (auto *m = std::get_if<sim::MacLearned>(&c.change)) expiry_.learnedMac(*m, now);
        if (auto *a = std::get_if<sim::ArpLearned>(&c.change)) expiry_.learnedArp(*a);
    }
    if (r.verdict == sim::Verdict::WaitForArp) {
        if (parked_.size() < kMaxParked)
            parked_.push_back({upcall, ingress, {r.waitingRouter, r.waitingForArp}, now + kArpWaitMs});
        std::lock_guard s(statsMu_);
        ++stats_.parked;
    }
    // Device-generated packets (ARP requests, ICMP replies/errors) leave through the topology
    // too; simulate them while the tables are still locked, send them after.
    struct Out {
        std::vector<uint8_t> frame;
        flow::FlowKey key;
        flow::FlowActions actions;
    };
    std::vector<Out> generated;
    for (const auto &g : r.generated) {
        sim::SimulationResult gr = simulator_.simulateGenerated(g.frame, g.fromPort, *snap, state_, env);
        auto more = applyLocked(gr.stateChanges, now);
        stale.insert(stale.end(), more.begin(), more.end());
        if (gr.verdict == sim::Verdict::Forward) generated.push_back({g.frame, gr.key, gr.actions});
    }
    // State changed after this point (flow state from a peer, a MAC learned elsewhere) may make
    // this simulation stale; its invalidation could run before the install below, so the
    // install checks that nothing changed instead (see stillValid).
    const uint64_t stateGen = stateGeneration_.load();
    lock.unlock();
    {
        std::lock_guard s(statsMu_);
        ++stats_.simulations;
        stats_.simNanos += uint64_t(simNs);
    }
    if (!stale.empty()) flows_.invalidate(stale);

    for (const auto &c : r.stateChanges) {
        if (auto *m = std::get_if<sim::MacLearned>(&c.change); m && publish_.macLearned) publish_.macLearned(*m);
        if (auto *a = std::get_if<sim::ArpLearned>(&c.change); a && publish_.arpLearned) publish_.arpLearned(*a);
    }
    // Flow state first, then the packet: the peer must know the connection before the reply.
    if (publish_.flowState) {
        std::vector<sim::StateChange> fs;
        for (const auto &c : r.stateChanges)
            if (isFlowState(c)) fs.push_back(c);
        if (!fs.empty())
            for (const auto &a : r.actions)
                if (auto *t = std::get_if<flow::SetTunnelAction>(&a)) publish_.flowState(t->dst, fs);
    }
    for (const auto &g : generated) {
        try {
            dp_.execute(g.frame, g.key, g.actions);
            std::lock_guard s(statsMu_);
            ++stats_.generated;
        } catch (const dp::DatapathError &e) {
            spdlog::warn("generated packet not sent: {}", e.what());
        }
    }

    auto stillValid = [this, gen = gen, stateGen] {
        return topology_.generation() == gen && stateGeneration_.load() == stateGen;
    };
    switch (r.verdict) {
    case sim::Verdict::Forward:
        if (!r.userspaceOnly)
            flows_.install(r.match(), r.actions, r.tags, now,
                           r.carriesState ? kStatefulLifetimeMs : kForwardLifetimeMs, stillValid);
        execute(upcall, r.actions, upcall.key);
        break;
    case sim::Verdict::Drop:
        flows_.install(r.match(), {}, r.tags, now, kDropLifetimeMs, stillValid);
        break;
    case sim::Verdict::ErrorDrop:
        // With its tags (MidoNet keeps none): a reply that beat its flow state from the peer
        // (no reverse NAT yet) must be simulated again as soon as that state arrives, not
        // dropped for the whole lifetime.
        flows_.install(r.match(), {}, r.tags, now, kShortDropLifetimeMs, stillValid);
        break;
    case sim::Verdict::ShortDrop:
        flows_.install(r.match(), {}, r.tags, now, kShortDropLifetimeMs, stillValid);
        break;
    case sim::Verdict::NoOp:
    case sim::Verdict::WaitForArp:
        break;
    }
    if (spdlog::should_log(spdlog::level::debug))
        spdlog::debug("port {} {} -> {} ({})", ingress.toString(), r.key.toString(),
                      sim::toString(r.verdict), flow::toString(r.actions));
}

void PacketHandler::execute(const dp::Upcall &upcall, const flow::FlowActions &actions,
                            const flow::FlowKey &key)
{
    if (actions.empty()) return;
    try {
        dp_.execute(upcall.packet, key, actions);
        std::lock_guard s(statsMu_);
        ++stats_.executed;
    } catch (const dp::DatapathError &e) {
        spdlog::warn("packet not executed: {}", e.what());
    }
}

void PacketHandler::expireParked(uint64_t nowMs)
{
    std::lock_guard lock(stateMu_);
    std::erase_if(parked_, [nowMs](const Parked &p) { return p.deadlineMs <= nowMs; });
}

void PacketHandler::applyRemoteState(const std::vector<sim::StateChange> &changes)
{
    std::vector<flow::FlowTag> stale;
    const uint64_t now = dp::monotonicMs();
    {
        std::lock_guard lock(stateMu_);
        for (const auto &c : changes) {
            if (auto *m = std::get_if<sim::MacLearned>(&c.change)) expiry_.remoteMac(*m);
            if (auto *a = std::get_if<sim::ArpLearned>(&c.change)) expiry_.remoteArp(*a);
        }
        stale = applyLocked(changes, now);
    }
    if (!stale.empty()) flows_.invalidate(stale);
    resumeParked(now);
}

PacketHandler::Unpublish PacketHandler::expireLearned(uint64_t nowMs)
{
    std::vector<flow::FlowTag> stale;
    Unpublish out;
    {
        std::lock_guard lock(stateMu_);
        auto due = expiry_.sweep(nowMs, state_, [this](const flow::FlowTag &t) { return flows_.hasTag(t); });
        stale = applyLocked(due.forget, nowMs);
        stale.insert(stale.end(), due.refresh.begin(), due.refresh.end());
        out.macs = std::move(due.unpublishMacs);
        out.arps = std::move(due.unpublishArps);
        for (const auto &c : due.forget) spdlog::debug("expired: {}", c.toString());
    }
    if (!stale.empty()) flows_.invalidate(stale);
    return out;
}

size_t PacketHandler::macEntries() const
{
    std::lock_guard lock(stateMu_);
    return state_.macs.size();
}

size_t PacketHandler::arpEntries() const
{
    std::lock_guard lock(stateMu_);
    return state_.arps.size();
}

PacketHandlerStats PacketHandler::stats() const
{
    std::lock_guard s(statsMu_);
    return stats_;
}

size_t PacketHandler::conntrackEntries() const
{
    std::lock_guard lock(stateMu_);
    return state_.conntrack.size();
}

} // namespace midonet::agent
