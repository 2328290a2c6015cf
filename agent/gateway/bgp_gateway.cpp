#include "agent/gateway/bgp_gateway.h"

#include "agent/gateway/service_namespace.h"

#include <spdlog/spdlog.h>

#include <chrono>
#include <set>

namespace midonet::agent {

namespace bgp = gateway::bgp;

namespace {

boost::asio::ip::address toAsio(util::IPv4Address a) { return boost::asio::ip::address_v4(a.value); }

uint64_t wallMs()
{
    return uint64_t(std::chrono::duration_cast<std::chrono::milliseconds>(
                        std::chrono::system_clock::now().time_since_epoch()).count());
}

} // namespace

BgpGateway::BgpGateway(store::Store &store, dp::Datapath &dp, ServicePorts &services, util::Uuid hostId,
                       GatewaySpec spec, uint32_t uplinkDpPort, std::optional<gateway::bfd::SessionConfig> bfd)
    : store_(store), dp_(dp), services_(services), hostId_(hostId), spec_(std::move(spec)),
      uplinkDpPort_(uplinkDpPort), bfd_(std::move(bfd)), nsName_(ServiceNamespace::nameFor(spec_.port)), routes_(spec_.port)
{
}

BgpGateway::~BgpGateway() { stop(); }

bgp::PeerConfig BgpGateway::peerConfig(const model::BgpPeer &p) const
{
    bgp::PeerConfig c;
    c.address = toAsio(p.address);
    c.remoteAs = uint32_t(p.asNumber);
    if (p.holdTime) c.holdTime = uint16_t(*p.holdTime);
    if (p.connectRetry) c.connectRetry = std::chrono::seconds(*p.connectRetry);
    if (p.password) c.md5Password = *p.password;
    c.ipv6Unicast = false; // the virtual router is IPv4
    c.description = p.id.toString();
    c.bfd = bfd_;
    return c;
}

void BgpGateway::start()
{
    ServiceNamespace::create(nsName_, spec_.mac, spec_.address);
    try {
        serviceDpPort_ = dp_.addPort(dp::PortSpec(nsName_));
    } catch (const dp::DatapathError &e) {
        ServiceNamespace::destroy(nsName_);
        throw std::runtime_error("service port " + nsName_ + ": " + e.what());
    }
    services_.set({spec_.port, uplinkDpPort_, serviceDpPort_, spec_.address.address});
    try {
        ServiceNamespace::up(nsName_);
    } catch (const std::exception &) {
        stop();
        throw;
    }

    bgp::SpeakerConfig c;
    c.localAs = spec_.localAs;
    c.routerId = spec_.address.address.value;
    for (const auto &p : spec_.peers) c.peers.push_back(peerConfig(p));
    for (const auto &n : spec_.networks)
        if (auto pre = bgp::Prefix::v4(n.network().value, n.length)) c.networks.push_back(*pre);
    speaker_ = std::make_unique<bgp::Speaker>(std::move(c), this);
    const std::string ns = nsName_;
    if (auto ec = speaker_->start([ns] { ServiceNamespace::enter(ns); })) {
        speaker_.reset();
        stop();
        throw std::runtime_error("BGP speaker of port " + spec_.port.toString() + ": " + ec.message());
    }
    spdlog::info("L3 gateway on port {} (router {}): AS {}, {} peers, {} networks, namespace {}, "
                 "service datapath port {}",
                 spec_.port.toString(), spec_.router.toString(), spec_.localAs, spec_.peers.size(),
                 spec_.networks.size(), nsName_, serviceDpPort_);
}

bool BgpGateway::needsRestart(const GatewaySpec &s, uint32_t uplinkDpPort) const
{
    return s.localAs != spec_.localAs || s.address != spec_.address || s.mac != spec_.mac ||
           s.router != spec_.router || uplinkDpPort != uplinkDpPort_;
}

void BgpGateway::update(const GatewaySpec &s)
{
    if (!speaker_) return;
    std::map<util::IPv4Address, const model::BgpPeer *> before, after;
    for (const auto &p : spec_.peers) before[p.address] = &p;
    for (const auto &p : s.peers) after[p.address] = &p;
    for (const auto &[addr, p] : before) {
        auto it = after.find(addr);
        if (it != after.end() && *it->second == *p) continue;
        speaker_->removePeer(toAsio(addr));
        spdlog::info("gateway {}: BGP peer {} removed{}", spec_.port.toString(), addr.toString(),
                     it != after.end() ? " (changed; re-added)" : "");
    }
    for (const auto &[addr, p] : after) {
        auto it = before.find(addr);
        if (it != before.end() && *it->second == *p) continue;
        speaker_->addPeer(peerConfig(*p));
        spdlog::info("gateway {}: BGP peer {} AS {} added", spec_.port.toString(), addr.toString(), p->asNumber);
    }
    std::set<util::IPv4Subnet> nb(spec_.networks.begin(), spec_.networks.end()),
        na(s.networks.begin(), s.networks.end());
    std::vector<bgp::Prefix> announce, withdraw;
    for (const auto &n : na)
        if (!nb.count(n))
            if (auto p = bgp::Prefix::v4(n.network().value, n.length)) announce.push_back(*p);
    for (const auto &n : nb)
        if (!na.count(n))
            if (auto p = bgp::Prefix::v4(n.network().value, n.length)) withdraw.push_back(*p);
    if (!announce.empty()) speaker_->announce(announce);
    if (!withdraw.empty()) speaker_->withdraw(withdraw);
    // Peers that left: their status entries go (a removed peer object takes its own with it).
    for (const auto &[addr, p] : before)
        if (!after.count(addr)) {
            try {
                store_.removeEphemeral("bgp_peers", p->id, "status");
            } catch (const std::exception &) {
            }
            writtenStatus_.erase(p->id);
        }
    spec_ = s;
    std::lock_guard lock(mu_);
    statusDirty_ = true;
}

void BgpGateway::routesChanged(std::span<const bgp::RouteChange> changes)
{
    std::lock_guard lock(mu_);
    for (const auto &c : changes) {
        if (c.prefix.afi != bgp::Afi::Ipv4) continue;
        const uint32_t addr = uint32_t(c.prefix.bytes[0]) << 24 | uint32_t(c.prefix.bytes[1]) << 16 |
                              uint32_t(c.prefix.bytes[2]) << 8 | c.prefix.bytes[3];
        const util::IPv4Subnet dst{util::IPv4Address{addr}, c.prefix.length};
        if (c.withdrawn || !c.best) {
            routes_.set(dst, std::nullopt);
            continue;
        }
        util::IPv4Address gw{};
        if (c.best->nextHop.is_v4()) gw = util::IPv4Address{c.best->nextHop.to_v4().to_uint()};
        if (!spec_.address.contains(gw) && c.best->peer.is_v4())
            gw = util::IPv4Address{c.best->peer.to_v4().to_uint()};
        routes_.set(dst, gw);
    }
    statusDirty_ = true;
}

void BgpGateway::peerStateChanged(const bgp::PeerStatus &peer)
{
    spdlog::info("gateway {}: BGP peer {} is {}{}", spec_.port.toString(), peer.address.to_string(),
                 bgp::toString(peer.state), peer.lastErrorDetail.empty() ? "" : " (" + peer.lastErrorDetail + ")");
    std::lock_guard lock(mu_);
    statusDirty_ = true;
}

void BgpGateway::flush()
{
    std::vector<std::pair<unsigned, std::string>> taken;
    {
        std::lock_guard lock(mu_);
        taken = routes_.takeDirty();
    }
    if (!taken.empty()) {
        size_t done = 0;
        try {
            routes_.write(store_, spec_.router, taken, &done);
        } catch (const std::exception &e) {
            spdlog::warn("gateway {}: learned routes not written ({}); retrying", spec_.port.toString(), e.what());
            std::lock_guard lock(mu_);
            for (size_t i = done; i < taken.size(); ++i) routes_.markDirty(taken[i].first);
        }
        routeWrites_ += done;
    }
    writeStatuses(false);
}

void BgpGateway::writeStatuses(bool force)
{
    if (!speaker_) return;
    const uint64_t now = dp::monotonicMs();
    {
        std::lock_guard lock(mu_);
        if (!force && (!statusDirty_ || now - lastStatusMs_ < 1000)) return;
        statusDirty_ = false;
    }
    lastStatusMs_ = now;
    const uint64_t wall = wallMs();
    for (const auto &st : speaker_->peers()) {
        const model::BgpPeer *peer = nullptr;
        for (const auto &p : spec_.peers)
            if (st.address.is_v4() && p.address.value == st.address.to_v4().to_uint()) peer = &p;
        if (!peer) continue;
        nlohmann::json j = {{"sessionState", bgp::toString(st.state)},
                            {"prefixesReceived", st.prefixesReceived},
                            {"prefixesAdvertised", st.prefixesAdvertised},
                            {"establishedAtMs", st.state == bgp::State::Established
                                                    ? (wall - uint64_t(st.uptime.count()) * 1000) / 1000 * 1000
                                                    : 0},
                            {"hostId", hostId_.toString()},
                            {"portId", spec_.port.toString()}};
        std::string text = j.dump();
        auto &last = writtenStatus_[peer->id];
        if (last == text) continue;
        try {
            store_.putEphemeral("bgp_peers", peer->id, "status", text);
            last = std::move(text);
        } catch (const std::exception &e) {
            spdlog::debug("status of BGP peer {} not written: {}", peer->id.toString(), e.what());
            std::lock_guard lock(mu_);
            statusDirty_ = true;
        }
    }
}

void BgpGateway::stop()
{
    if (speaker_) {
        speaker_->stop();
        speaker_.reset();
    }
    services_.erase(spec_.port);
    if (serviceDpPort_) {
        try {
            dp_.removePort(serviceDpPort_);
        } catch (const dp::DatapathError &e) {
            spdlog::debug("service port {}: {}", nsName_, e.what());
        }
        serviceDpPort_ = 0;
        ServiceNamespace::destroy(nsName_);
        try {
            model::LearnedRouteBuckets::removeAll(store_, spec_.router, spec_.port);
            for (const auto &[id, text] : writtenStatus_) store_.removeEphemeral("bgp_peers", id, "status");
        } catch (const std::exception &e) {
            spdlog::debug("gateway {} clean-up: {}", spec_.port.toString(), e.what());
        }
        writtenStatus_.clear();
        spdlog::info("L3 gateway on port {} stopped", spec_.port.toString());
    }
}

nlohmann::json BgpGateway::status() const
{
    nlohmann::json peers = nlohmann::json::array();
    if (speaker_)
        for (const auto &st : speaker_->peers())
            peers.push_back({{"address", st.address.to_string()}, {"remoteAs", st.remoteAs},
                             {"sessionState", bgp::toString(st.state)},
                             {"uptimeSeconds", st.uptime.count()},
                             {"prefixesReceived", st.prefixesReceived},
                             {"prefixesAdvertised", st.prefixesAdvertised},
                             {"bfdState", st.bfdState ? gateway::bfd::toString(*st.bfdState) : "off"},
                             {"lastError", st.lastErrorDetail}});
    size_t learned = 0;
    {
        std::lock_guard lock(mu_);
        learned = routes_.size();
    }
    return {{"port", spec_.port.toString()}, {"router", spec_.router.toString()},
            {"localAs", spec_.localAs}, {"address", spec_.address.toString()},
            {"namespace", nsName_}, {"serviceDatapathPort", serviceDpPort_},
            {"learnedRoutes", learned}, {"routeWrites", routeWrites_.load()}, {"peers", peers}};
}

} // namespace midonet::agent
