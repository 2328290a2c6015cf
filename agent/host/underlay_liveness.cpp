#include "agent/host/underlay_liveness.h"

#include <boost/asio/post.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>

namespace midonet::agent {

namespace bfd = gateway::bfd;
namespace asio = boost::asio;
using util::Uuid;

namespace {

constexpr std::chrono::milliseconds kReconcileEvery{200};

asio::ip::address toAsio(util::IPv4Address a) { return asio::ip::address_v4(a.value); }

} // namespace

bfd::Manager::Options livenessManagerOptions(const UnderlayLivenessConfig &c)
{
    bfd::Manager::Options o;
    o.singleHop = false;
    o.multihop = true;
    o.multihopListenPort = c.port;
    o.ipv6 = false; // tunnel zone addresses are IPv4
    return o;
}

bfd::SessionConfig livenessSessionConfig(const UnderlayLivenessConfig &config, const UnderlayPeer &peer)
{
    bfd::SessionConfig c;
    c.desiredMinTx = c.requiredMinRx = std::chrono::duration_cast<std::chrono::microseconds>(config.interval);
    c.detectMult = config.multiplier;
    c.localAddress = toAsio(peer.local);
    c.remotePort = config.port;
    c.multihop = true;
    c.minReceivedTtl = uint8_t(255 - std::min<int>(config.maxHops, 254));
    return c;
}

std::map<Uuid, UnderlayPeer> livenessPeers(const ModelSet &m, const Uuid &self)
{
    std::map<Uuid, UnderlayPeer> out;
    const auto gateways = livenessHosts(m); // L3 and L2 gateway hosts
    const bool selfGateway = gateways.count(self) > 0;
    if (!selfGateway && gateways.empty()) return out;
    // Zones in id order: both ends pick the same (lowest) shared zone.
    std::vector<const model::TunnelZone *> zones;
    for (const auto &[id, z] : m.tunnelZones) zones.push_back(&z);
    std::sort(zones.begin(), zones.end(), [](auto *a, auto *b) { return a->id < b->id; });
    for (const auto *z : zones) {
        auto me = std::find_if(z->hosts.begin(), z->hosts.end(),
                               [&](const model::TunnelZoneHost &h) { return h.hostId && *h.hostId == self; });
        if (me == z->hosts.end() || me->ipAddress.value == 0) continue;
        for (const auto &h : z->hosts) {
            if (!h.hostId || *h.hostId == self || h.ipAddress.value == 0 || out.count(*h.hostId)) continue;
            if (!selfGateway && !gateways.count(*h.hostId)) continue;
            out.emplace(*h.hostId, UnderlayPeer{h.ipAddress, me->ipAddress});
        }
    }
    return out;
}

std::vector<std::pair<Uuid, Uuid>> gatewayPortsOf(const ModelSet &m, const Uuid &host)
{
    std::vector<std::pair<Uuid, Uuid>> out;
    for (const auto &[port, h] : gatewayPorts(m))
        if (h == host) out.emplace_back(port, m.ports.at(port).deviceId.value_or(Uuid{}));
    std::sort(out.begin(), out.end());
    return out;
}

std::vector<flow::FlowTag> livenessTags(const ModelSet &m, const Uuid &host, bool down)
{
    // Down: the flows that go to one of the host's gateway ports carry the port's device tag
    // (the simulation tags every egress port). Up: flows that avoided the ports (ECMP over fewer
    // routes, no route at all) carry their router's tag.
    std::vector<flow::FlowTag> tags;
    std::set<Uuid> devices;
    for (const auto &[port, device] : gatewayPortsOf(m, host)) {
        tags.push_back(flow::FlowTag::device(port));
        if (!down && !device.isNil() && devices.insert(device).second) tags.push_back(flow::FlowTag::device(device));
    }
    return tags;
}

UnderlayLiveness::UnderlayLiveness(TopologyCache &topology, Uuid self, UnderlayLivenessConfig config, Changed changed)
    : topology_(topology), self_(self), config_(config), changed_(std::move(changed))
{
}

UnderlayLiveness::~UnderlayLiveness() { stop(); }

void UnderlayLiveness::start()
{
    bfd_ = std::make_unique<bfd::Manager>(io_, [this](const bfd::StateChange &c) { onChange(c); },
                                          livenessManagerOptions(config_));
    if (auto ec = bfd_->start()) {
        std::lock_guard lock(mu_);
        problem_ = "cannot listen on UDP " + std::to_string(config_.port) + " (" + ec.message() +
                   "): another BFD daemon on this host? (--underlay-bfd-port)";
        spdlog::error("underlay liveness off: {}; dead gateways are seen only when their ZooKeeper "
                      "session expires",
                      problem_);
        bfd_.reset();
        return;
    }
    timer_ = std::make_unique<asio::steady_timer>(io_);
    asio::post(io_, [this] { tick(); });
    running_ = true;
    thread_ = std::thread([this] {
        try {
            io_.run();
        } catch (const std::exception &e) {
            spdlog::error("underlay liveness thread: {}", e.what());
        }
    });
    spdlog::info("underlay liveness: multi-hop BFD on UDP {} with gateway peers, {} ms x {}, at most {} hops",
                 config_.port, config_.interval.count(), int(config_.multiplier), int(config_.maxHops));
}

void UnderlayLiveness::stop()
{
    if (thread_.joinable()) {
        // On the io thread: AdminDown to every peer (so none takes us for dead), then leave.
        asio::post(io_, [this] {
            if (timer_) timer_->cancel();
            if (bfd_) bfd_->stop();
            io_.stop();
        });
        thread_.join();
    }
    running_ = false; // bfd_ and timer_ stay until the destructor: status() may still run
}

void UnderlayLiveness::tick()
{
    try {
        reconcile();
    } catch (const std::exception &e) {
        spdlog::warn("underlay liveness: {}", e.what());
    }
    timer_->expires_after(kReconcileEvery);
    timer_->async_wait([this](boost::system::error_code ec) {
        if (!ec) tick();
    });
}

void UnderlayLiveness::reconcile()
{
    std::map<Uuid, UnderlayPeer> want;
    topology_.withModels([&](const ModelSet &m) { want = livenessPeers(m, self_); });
    std::vector<Uuid> gone;
    std::vector<std::pair<Uuid, UnderlayPeer>> added;
    {
        std::lock_guard lock(mu_);
        for (const auto &[host, p] : peers_) {
            auto w = want.find(host);
            if (w == want.end() || !(w->second == p.addr)) gone.push_back(host);
        }
        for (const auto &[host, addr] : want) {
            auto it = peers_.find(host);
            if (it == peers_.end() || !(it->second.addr == addr)) added.emplace_back(host, addr);
        }
    }
    for (const auto &host : gone) {
        UnderlayPeer addr;
        {
            std::lock_guard lock(mu_);
            addr = peers_[host].addr;
            peers_.erase(host);
        }
        bfd_->remove(toAsio(addr.address));
        spdlog::info("underlay liveness: no session with host {} ({}) any more", host.toString(),
                     addr.address.toString());
        setUnreachable(host, false, "its session was removed");
    }
    const auto now = std::chrono::steady_clock::now();
    for (const auto &[host, addr] : added) {
        if (auto r = retryAfter_.find(host); r != retryAfter_.end() && now < r->second) continue;
        if (auto ec = bfd_->add(toAsio(addr.address), livenessSessionConfig(config_, addr))) {
            spdlog::warn("underlay liveness: no session with host {} ({} from {}): {} (retrying in 10 s)",
                         host.toString(), addr.address.toString(), addr.local.toString(), ec.message());
            retryAfter_[host] = now + std::chrono::seconds(10);
            continue;
        }
        retryAfter_.erase(host);
        std::lock_guard lock(mu_);
        Peer p;
        p.host = host;
        p.addr = addr;
        peers_[host] = p;
    }
}

LivenessVerdict judge(bfd::State from, bfd::State to, bfd::State remoteState, bool wasEverUp)
{
    if (to == bfd::State::Up) return LivenessVerdict::Reachable;
    // RFC 5882 §3.2: the peer (or we) stopping on purpose is not a failure.
    if (to == bfd::State::AdminDown || remoteState == bfd::State::AdminDown) return LivenessVerdict::Reachable;
    // Only a session that was Up can fail; one that never came up is no news.
    if (from == bfd::State::Up && wasEverUp) return LivenessVerdict::Unreachable;
    return LivenessVerdict::NoChange;
}

void UnderlayLiveness::onChange(const bfd::StateChange &c)
{
    Uuid host;
    bool everUp = false;
    {
        std::lock_guard lock(mu_);
        auto it = std::find_if(peers_.begin(), peers_.end(),
                               [&](const auto &kv) { return toAsio(kv.second.addr.address) == c.peer; });
        if (it == peers_.end()) return;
        host = it->first;
        everUp = it->second.everUp;
        it->second.state = c.to;
        it->second.since = std::chrono::steady_clock::now();
        if (c.to == bfd::State::Up) it->second.everUp = true;
    }
    switch (judge(c.from, c.to, c.remoteState, everUp)) {
    case LivenessVerdict::Reachable:
        setUnreachable(host, false, c.to == bfd::State::Up ? "BFD up" : "peer stopped BFD on purpose (AdminDown)");
        break;
    case LivenessVerdict::Unreachable:
        setUnreachable(host, true, std::string("BFD down: ") + bfd::toString(c.diag));
        break;
    case LivenessVerdict::NoChange: break;
    }
}

void UnderlayLiveness::setUnreachable(const Uuid &host, bool unreachable, const std::string &why)
{
    {
        std::lock_guard lock(mu_);
        bool changed = unreachable ? unreachable_.emplace(host, std::chrono::steady_clock::now()).second
                                    : unreachable_.erase(host) > 0;
        if (!changed) return;
        if (unreachable) ++downEvents_;
    }
    std::vector<flow::FlowTag> tags;
    std::vector<std::pair<Uuid, Uuid>> ports;
    topology_.withModels([&](const ModelSet &m) {
        tags = livenessTags(m, host, unreachable);
        ports = gatewayPortsOf(m, host);
    });
    std::string list;
    for (const auto &[p, d] : ports) list += (list.empty() ? "" : ", ") + p.toString();
    if (unreachable)
        spdlog::warn("host {} unreachable over the underlay ({}); its {} gateway port(s) are inactive here: {}",
                     host.toString(), why, ports.size(), list.empty() ? "none" : list);
    else
        spdlog::info("host {} reachable again over the underlay ({}); its {} gateway port(s) are active here again",
                     host.toString(), why, ports.size());
    if (changed_) changed_(tags);
}

bool UnderlayLiveness::hostReachable(const Uuid &host) const
{
    std::lock_guard lock(mu_);
    return !unreachable_.count(host);
}

std::optional<std::chrono::steady_clock::time_point> UnderlayLiveness::unreachableSince(const Uuid &host) const
{
    std::lock_guard lock(mu_);
    auto it = unreachable_.find(host);
    if (it == unreachable_.end()) return std::nullopt;
    return it->second;
}

nlohmann::json UnderlayLiveness::status() const
{
    using nlohmann::json;
    json sessions = json::array();
    std::lock_guard lock(mu_);
    const auto now = std::chrono::steady_clock::now();
    for (const auto &[host, p] : peers_)
        sessions.push_back({{"host", host.toString()},
                            {"address", p.addr.address.toString()},
                            {"local", p.addr.local.toString()},
                            {"state", bfd::toString(p.state)},
                            {"everUp", p.everUp},
                            {"reachable", !unreachable_.count(host)},
                            {"sinceSeconds", std::chrono::duration_cast<std::chrono::seconds>(now - p.since).count()}});
    json out = {{"enabled", running_.load()},
                {"intervalMs", config_.interval.count()},
                {"multiplier", config_.multiplier},
                {"port", config_.port},
                {"multihop", true},
                {"maxHops", config_.maxHops},
                {"downEvents", downEvents_},
                {"sessions", sessions}};
    if (!problem_.empty()) out["problem"] = problem_;
    return out;
}

} // namespace midonet::agent
