#include "agent/gateway/l2_gateway.h"

#include "common/packet/builder.h"
#include "common/packet/packet.h"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace midonet::agent {

namespace {

constexpr uint64_t kAnnounceAgainMs = 300;
constexpr uint16_t kEthTypeRarp = 0x8035;
// How long after being displaced a reachable displacer stays exempt from our takeovers: well
// over the underlay's detection time (300 ms by default), whose verdicts at both ends of a
// broken path may come that far apart.
constexpr std::chrono::seconds kDisplacedHold{2};

std::vector<flow::FlowTag> groupTags(const util::Uuid &bridge, const std::vector<util::Uuid> &ports)
{
    std::vector<flow::FlowTag> tags{flow::FlowTag::device(bridge)};
    for (const auto &p : ports) tags.push_back(flow::FlowTag::device(p));
    return tags;
}

} // namespace

L2Gateway::L2Gateway(store::Store &store, TopologyCache &topology, LocalPorts &ports,
                     dp::Datapath &dp, util::Uuid hostId, Hooks hooks)
    : store_(store), topology_(topology), ports_(ports), dp_(dp), hostId_(hostId),
      hooks_(std::move(hooks))
{
}

L2Gateway::~L2Gateway() { stop(); }

std::string L2Gateway::ownerName(uint16_t vlan) { return "l2gw_vlan_" + std::to_string(vlan); }

std::vector<uint8_t> L2Gateway::announcement(const util::MacAddress &mac, uint16_t vlan)
{
    // RFC 903 RARP "request reverse" with our MAC as sender and target, as hypervisors announce
    // a migrated VM: a broadcast every switch learns from and no host answers.
    std::vector<uint8_t> rarp{0x00, 0x01, 0x08, 0x00, 6, 4, 0x00, 0x03};
    const auto &b = mac.bytes;
    rarp.insert(rarp.end(), b.begin(), b.end());
    rarp.insert(rarp.end(), 4, 0);
    rarp.insert(rarp.end(), b.begin(), b.end());
    rarp.insert(rarp.end(), 4, 0);
    return packet::ethernet(util::MacAddress::broadcast(), mac, kEthTypeRarp, rarp,
                            {packet::VlanTag{flow::kEthTypeVlan, vlan}});
}

bool L2Gateway::shouldTakeOver(bool standby, std::optional<Clock::time_point> holderUnreachableSince,
                               Clock::time_point holderSeenSince, bool displacedByHolder)
{
    // Unreachable after its claim was seen: it (or the path to it) failed while holding. A
    // holder already unreachable when it claimed saw something this host did not (it replaced
    // a holder dead to it); and one that displaced us is a peer across a broken underlay whose
    // claim is newer than our view of the break: taking it back would bounce it between us.
    return standby && holderUnreachableSince && *holderUnreachableSince > holderSeenSince && !displacedByHolder;
}

bool L2Gateway::portActive(const util::Uuid &port) const
{
    std::lock_guard lock(mu_);
    auto it = groupOfPort_.find(port);
    if (it == groupOfPort_.end()) return true;
    auto g = groups_.find(it->second);
    return g != groups_.end() && g->second->owner == port;
}

void L2Gateway::fire(const std::vector<flow::FlowTag> &tags)
{
    if (!tags.empty() && hooks_.activityChanged) hooks_.activityChanged(tags);
}

std::vector<flow::FlowTag> L2Gateway::setOwnerLocked(const Key &k, Group &g,
                                                     std::optional<util::Uuid> owner, bool *tookOver)
{
    *tookOver = false;
    if (owner == g.owner) return {};
    const auto was = g.owner;
    g.owner = owner;
    g.ownerSince = Clock::now();
    const bool nowOurs = owner && g.local && *owner == *g.local;
    if (g.ours && owner && !nowOurs) {
        // Our entry was replaced while we held it: a standby saw this host unreachable over
        // the underlay (case (a) above). Step down now (portActive() turns false with this).
        g.displacedBy = owner;
        spdlog::warn("L2 gateway bridge {} VLAN {}: port {} took the VLAN over from this host (it sees "
                     "this host unreachable over the underlay); standing down",
                     k.bridge.toString(), k.vlan, owner->toString());
    } else if (g.displacedBy != owner) {
        g.displacedBy.reset();
    }
    if (nowOurs && !g.ours) *tookOver = true;
    g.ours = nowOurs;
    spdlog::info("L2 gateway bridge {} VLAN {}: active port {} (was {})", k.bridge.toString(), k.vlan,
                 owner ? owner->toString() : "none", was ? was->toString() : "none");
    return groupTags(k.bridge, g.ports);
}

void L2Gateway::onOwner(const Key &k, const store::Change &c)
{
    std::optional<util::Uuid> owner;
    if (c.op != store::ChangeOp::deleted) {
        owner = util::Uuid::parse(c.data);
    } else {
        // A takeover replaces the entry in one ZooKeeper multi, but the watch may still report
        // the delete before the create: look whether it is really gone, so a holder whose
        // entry was replaced knows it was displaced (and a new holder does not see its own
        // entry vanish for a moment).
        try {
            if (auto e = store_.getEphemeral("bridges", k.bridge, ownerName(k.vlan))) owner = util::Uuid::parse(e->value);
        } catch (const store::StoreError &) {
            // Unreadable: taken as gone; the next event or reconcile corrects it.
        }
    }
    std::vector<flow::FlowTag> tags;
    bool tookOver = false, free = false;
    {
        std::lock_guard lock(mu_);
        auto it = groups_.find(k);
        if (it == groups_.end()) return;
        Group &g = *it->second;
        tags = setOwnerLocked(k, g, owner, &tookOver);
        free = !owner && g.local;
    }
    fire(tags);
    if (tookOver) takeOver(k);
    if (free) tryClaim(k); // the holder went (its agent died or let go): take over now
}

void L2Gateway::onMac(const Key &k, const store::Change &c)
{
    auto mac = util::MacAddress::parse(c.key);
    if (!mac) return;
    std::lock_guard lock(mu_);
    auto it = groups_.find(k);
    if (it == groups_.end()) return;
    Group &g = *it->second;
    if (c.op == store::ChangeOp::deleted) {
        // An entry of a gateway port goes when its holder's session does: remember it, its
        // MAC is behind whichever port takes over.
        auto e = g.macs.find(*mac);
        if (e != g.macs.end() && !groupOfPort_.count(e->second)) g.macs.erase(e);
        return;
    }
    if (auto port = util::Uuid::parse(c.data)) g.macs[*mac] = *port;
}

void L2Gateway::tryClaim(const Key &k, std::optional<util::Uuid> stale)
{
    std::optional<util::Uuid> local;
    {
        std::lock_guard lock(mu_);
        auto it = groups_.find(k);
        if (it == groups_.end() || it->second->owner != stale) return;
        local = it->second->local;
    }
    if (!local) return;
    bool won = false;
    try {
        if (stale) {
            won = store_.takeOverEphemeral("bridges", k.bridge, ownerName(k.vlan), stale->toString(),
                                           local->toString());
            spdlog::warn("L2 gateway bridge {} VLAN {}: the host of active port {} is unreachable over the "
                         "underlay; {}",
                         k.bridge.toString(), k.vlan, stale->toString(),
                         won ? "took the VLAN over" : "another port holds it now");
        } else {
            won = store_.claimEphemeral("bridges", k.bridge, ownerName(k.vlan), local->toString());
        }
    } catch (const store::StoreError &e) {
        spdlog::warn("L2 gateway bridge {} VLAN {}: cannot claim: {}", k.bridge.toString(), k.vlan, e.what());
        return;
    }
    if (!won) return; // someone else was faster; its entry arrives through the watch
    std::vector<flow::FlowTag> tags;
    bool tookOver = false;
    {
        std::lock_guard lock(mu_);
        auto it = groups_.find(k);
        if (it == groups_.end()) return;
        tags = setOwnerLocked(k, *it->second, local, &tookOver);
    }
    fire(tags);
    if (tookOver) takeOver(k);
}

void L2Gateway::takeOver(const Key &k)
{
    util::Uuid ours;
    std::vector<std::pair<util::MacAddress, util::Uuid>> relearn;
    {
        std::lock_guard lock(mu_);
        auto it = groups_.find(k);
        if (it == groups_.end() || !it->second->local) return;
        Group &g = *it->second;
        ours = *g.local;
        for (const auto &[mac, port] : g.macs)
            if (port != ours && std::find(g.ports.begin(), g.ports.end(), port) != g.ports.end())
                relearn.push_back({mac, port});
        g.announceAgainMs = dp::monotonicMs() + kAnnounceAgainMs;
        ++takeovers_;
    }
    const size_t sent = announce(k);
    size_t moved = 0;
    for (const auto &[mac, port] : relearn) {
        try {
            store_.putEntry(store::macTable(k.bridge, 0), mac.toString(), ours.toString(), true);
            ++moved;
        } catch (const store::StoreError &e) {
            spdlog::warn("L2 gateway: MAC {} not moved to port {}: {}", mac.toString(), ours.toString(), e.what());
        }
    }
    {
        std::lock_guard lock(mu_);
        relearned_ += moved;
    }
    spdlog::info("L2 gateway bridge {} VLAN {}: port {} is active here; announced {} MACs on the "
                 "trunk, moved {} MAC entries from the group's other ports",
                 k.bridge.toString(), k.vlan, ours.toString(), sent, moved);
}

size_t L2Gateway::announce(const Key &k)
{
    std::vector<util::MacAddress> macs;
    util::Uuid ours;
    {
        std::lock_guard lock(mu_);
        auto it = groups_.find(k);
        if (it == groups_.end() || !it->second->ours || !it->second->local) return 0;
        const Group &g = *it->second;
        ours = *g.local;
        for (const auto &[mac, port] : g.macs)
            if (!groupOfPort_.count(port)) macs.push_back(mac); // the virtual side's
    }
    auto lp = ports_.byPort(ours);
    if (!lp) return 0;
    size_t sent = 0;
    for (const auto &mac : macs) {
        auto frame = announcement(mac, k.vlan);
        auto key = packet::extractFlowKey(frame, 0);
        if (!key) continue;
        try {
            dp_.execute(frame, *key, {flow::OutputAction{lp->dpPort}});
            ++sent;
        } catch (const dp::DatapathError &e) {
            spdlog::warn("L2 gateway: announcement of {} not sent: {}", mac.toString(), e.what());
        }
    }
    std::lock_guard lock(mu_);
    announced_ += sent;
    return sent;
}

void L2Gateway::watchMacs(const Key &k)
{
    // Only a host that may take the group over needs to know the bridge's MACs.
    {
        std::lock_guard lock(mu_);
        auto it = groups_.find(k);
        if (it == groups_.end() || !it->second->local || it->second->macSub.active()) return;
    }
    auto macs = store_.watchTable(store::macTable(k.bridge, 0),
                                  [this, k](const store::Change &c) { onMac(k, c); });
    std::lock_guard lock(mu_);
    auto it = groups_.find(k);
    if (it == groups_.end()) return; // gone meanwhile: the subscription ends here
    Group &g = *it->second;
    g.macSub = std::move(macs.subscription);
    for (const auto &e : macs.initial)
        if (auto mac = util::MacAddress::parse(e.key))
            if (auto port = util::Uuid::parse(e.value)) g.macs.emplace(*mac, *port);
}

void L2Gateway::reconcile()
{
    std::unordered_map<Key, std::vector<util::Uuid>, KeyHash> want;
    std::unordered_map<Key, util::Uuid, KeyHash> local;
    std::unordered_map<util::Uuid, util::Uuid> hostOf;
    for (const auto &gp : topology_.gatewayPorts()) {
        Key k{gp.bridgeId, gp.vlanId};
        want[k].push_back(gp.portId);
        hostOf[gp.portId] = gp.hostId;
        if (gp.hostId == hostId_ && ports_.byPort(gp.portId)) {
            auto &l = local[k];
            if (l.isNil() || gp.portId < l) l = gp.portId; // one per group per host
        }
    }
    for (auto &[k, ports] : want) std::sort(ports.begin(), ports.end());

    std::vector<store::Subscription> dropped;
    std::vector<Key> release, fresh, claim, again, macsFor;
    std::vector<flow::FlowTag> tags;
    {
        std::lock_guard lock(mu_);
        for (auto it = groups_.begin(); it != groups_.end();) {
            if (want.count(it->first)) {
                ++it;
                continue;
            }
            if (it->second->ours) release.push_back(it->first);
            auto t = groupTags(it->first.bridge, it->second->ports);
            tags.insert(tags.end(), t.begin(), t.end());
            dropped.push_back(std::move(it->second->ownerSub));
            dropped.push_back(std::move(it->second->macSub));
            it = groups_.erase(it);
        }
        groupOfPort_.clear();
        const uint64_t now = dp::monotonicMs();
        for (auto &[k, ports] : want) {
            auto &slot = groups_[k];
            if (!slot) {
                slot = std::make_unique<Group>();
                fresh.push_back(k);
            }
            Group &g = *slot;
            if (g.ports != ports) {
                auto t = groupTags(k.bridge, ports);
                tags.insert(tags.end(), t.begin(), t.end());
                g.ports = ports;
            }
            for (const auto &p : ports) groupOfPort_[p] = k;
            g.hostOf.clear();
            for (const auto &p : ports) g.hostOf[p] = hostOf[p];
            std::optional<util::Uuid> l;
            if (auto it = local.find(k); it != local.end()) l = it->second;
            if (g.local != l) {
                if (g.ours) release.push_back(k); // our port left: hand over
                g.local = l;
                g.ours = false;
            }
            if (g.local && !g.owner && !fresh.empty() && fresh.back() == k) {
                // claimed below, once the watch is up
            } else if (g.local && !g.owner) {
                claim.push_back(k);
            }
            if (g.local && !g.macSub.active() && (fresh.empty() || fresh.back() != k)) macsFor.push_back(k);
            if (g.ours && g.announceAgainMs && g.announceAgainMs <= now) {
                g.announceAgainMs = 0;
                again.push_back(k);
            }
        }
    }
    dropped.clear(); // cancels outside the lock: a running callback may be waiting for it
    fire(tags);
    for (const auto &k : release) {
        try {
            store_.removeEphemeral("bridges", k.bridge, ownerName(k.vlan));
            spdlog::info("L2 gateway bridge {} VLAN {}: released", k.bridge.toString(), k.vlan);
        } catch (const store::StoreError &e) {
            spdlog::warn("L2 gateway bridge {} VLAN {}: release failed: {}", k.bridge.toString(), k.vlan, e.what());
        }
    }
    for (const auto &k : fresh) {
        // Watch first, then claim: the watch reports whoever holds it, including us.
        auto w = store_.watchEphemeral("bridges", k.bridge, ownerName(k.vlan),
                                       [this, k](const store::Change &c) { onOwner(k, c); });
        watchMacs(k);
        std::vector<flow::FlowTag> t;
        bool tookOver = false, free = false;
        {
            std::lock_guard lock(mu_);
            auto it = groups_.find(k);
            if (it == groups_.end()) continue;
            Group &g = *it->second;
            g.ownerSub = std::move(w.subscription);
            std::optional<util::Uuid> owner;
            if (w.initial) owner = util::Uuid::parse(w.initial->value);
            if (owner != g.owner) t = setOwnerLocked(k, g, owner, &tookOver);
            free = !g.owner && g.local;
        }
        fire(t);
        if (tookOver) takeOver(k);
        if (free) claim.push_back(k);
    }
    for (const auto &k : macsFor) watchMacs(k); // our port appeared after the group did
    for (const auto &k : claim) tryClaim(k);
    for (const auto &k : again) announce(k);
    takeOverFromUnreachable();
}

void L2Gateway::takeOverFromUnreachable()
{
    if (!hooks_.unreachableSince) return;
    struct Candidate {
        Key k;
        util::Uuid holder, host;
        Clock::time_point seen;
        bool displaced;
    };
    std::vector<Candidate> candidates;
    {
        std::lock_guard lock(mu_);
        for (const auto &[k, g] : groups_) {
            if (!g->local || !g->owner || *g->owner == *g->local) continue;
            auto h = g->hostOf.find(*g->owner);
            if (h == g->hostOf.end() || h->second.isNil() || h->second == hostId_) continue;
            candidates.push_back({k, *g->owner, h->second, g->ownerSince, g->displacedBy == g->owner});
        }
    }
    for (const auto &c : candidates) {
        const auto since = hooks_.unreachableSince(c.host);
        if (!since && c.displaced && Clock::now() - c.seen > kDisplacedHold) {
            // The host that displaced us is reachable, well after the takeover (our own verdict
            // on it may come up to a detection time after its verdict on us): the break is
            // over, it is a holder like any other from now on.
            std::lock_guard lock(mu_);
            if (auto it = groups_.find(c.k); it != groups_.end() && it->second->owner == c.holder)
                it->second->displacedBy.reset();
            continue;
        }
        if (shouldTakeOver(true, since, c.seen, c.displaced)) tryClaim(c.k, c.holder);
    }
}

void L2Gateway::stop()
{
    std::vector<store::Subscription> subs;
    std::vector<Key> release;
    {
        std::lock_guard lock(mu_);
        for (auto &[k, g] : groups_) {
            subs.push_back(std::move(g->ownerSub));
            subs.push_back(std::move(g->macSub));
            if (g->ours) release.push_back(k);
        }
        groups_.clear();
        groupOfPort_.clear();
    }
    subs.clear();
    for (const auto &k : release) {
        try {
            store_.removeEphemeral("bridges", k.bridge, ownerName(k.vlan));
        } catch (const store::StoreError &) {
            // The session ends with the store anyway; the entry goes with it.
        }
    }
}

nlohmann::json L2Gateway::status() const
{
    using nlohmann::json;
    std::lock_guard lock(mu_);
    json groups = json::array();
    for (const auto &[k, g] : groups_) {
        json ports = json::array();
        for (const auto &p : g->ports) ports.push_back(p.toString());
        groups.push_back({{"bridge", k.bridge.toString()}, {"vlanId", k.vlan}, {"ports", ports},
                          {"activePort", g->owner ? g->owner->toString() : ""},
                          {"localPort", g->local ? g->local->toString() : ""},
                          {"role", g->ours ? "active" : g->local ? "standby" : "none"}});
    }
    return {{"groups", groups}, {"takeovers", takeovers_}, {"announced", announced_},
            {"macsMoved", relearned_}};
}

} // namespace midonet::agent
