#include "agent/gateway/gateways.h"
#include "agent/topology/gateway_ports.h"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace midonet::agent {

Gateways::Gateways(store::Store &store, TopologyCache &topology, LocalPorts &ports, dp::Datapath &dp,
                   FlowTable &flows, util::Uuid hostId, std::optional<gateway::bfd::SessionConfig> bfd)
    : store_(store), topology_(topology), ports_(ports), dp_(dp), flows_(flows), hostId_(hostId), bfd_(std::move(bfd))
{
}

Gateways::~Gateways() { stop(); }

std::map<util::Uuid, GatewaySpec> Gateways::wanted(const ModelSet &m, const util::Uuid &host)
{
    std::map<util::Uuid, GatewaySpec> out;
    // The same ports every agent's underlay liveness calls gateway ports (one rule, in
    // topology/gateway_ports.h); here only those bound on this host, on a router with an AS.
    for (const auto &[id, portHost] : gatewayPorts(m)) {
        if (portHost != host) continue;
        const model::Port &p = m.ports.at(id);
        auto r = m.routers.find(*p.deviceId);
        if (r == m.routers.end() || r->second.asNumber <= 0 || !p.portMac) continue;
        auto address = gatewayPortSubnet(p);
        if (!address || address->address.value == 0) continue;
        GatewaySpec s;
        s.port = id;
        s.router = *p.deviceId;
        s.mac = *p.portMac;
        s.address = *address;
        s.localAs = uint32_t(r->second.asNumber);
        for (const auto &[pid, b] : m.bgpPeers)
            if (b.routerId == s.router && s.address.contains(b.address)) s.peers.push_back(b);
        if (s.peers.empty()) continue;
        std::sort(s.peers.begin(), s.peers.end(), [](const auto &a, const auto &b) { return a.id < b.id; });
        for (const auto &[nid, n] : m.bgpNetworks)
            if (n.routerId == s.router) s.networks.push_back(n.subnet());
        std::sort(s.networks.begin(), s.networks.end());
        out.emplace(id, std::move(s));
    }
    return out;
}

void Gateways::start()
{
    thread_ = std::thread([this] {
        while (!stop_) {
            try {
                reconcile();
            } catch (const std::exception &e) {
                spdlog::warn("gateways: {}", e.what());
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
    });
}

void Gateways::stop()
{
    stop_ = true;
    if (thread_.joinable()) thread_.join();
    std::lock_guard lock(mu_);
    for (auto &[id, g] : gateways_) g->stop();
    gateways_.clear();
}

void Gateways::reconcile()
{
    std::map<util::Uuid, GatewaySpec> want;
    topology_.withModels([&](const ModelSet &m) { want = wanted(m, hostId_); });
    const uint64_t now = dp::monotonicMs();
    std::lock_guard lock(mu_);
    for (auto it = gateways_.begin(); it != gateways_.end();) {
        auto w = want.find(it->first);
        auto lp = ports_.byPort(it->first);
        if (w == want.end() || !lp || it->second->needsRestart(w->second, lp->dpPort)) {
            it->second->stop();
            flows_.invalidate(flow::FlowTag::device(it->first));
            it = gateways_.erase(it);
            continue;
        }
        if (!(w->second == it->second->spec())) it->second->update(w->second);
        ++it;
    }
    for (auto &[id, spec] : want) {
        if (gateways_.count(id)) continue;
        auto lp = ports_.byPort(id);
        if (!lp) continue; // not in the datapath yet: the binder adds it first
        if (auto r = retryAfterMs_.find(id); r != retryAfterMs_.end() && now < r->second) continue;
        auto g = std::make_unique<BgpGateway>(store_, dp_, services_, hostId_, spec, lp->dpPort, bfd_);
        try {
            g->start();
            problems_.erase(id);
            retryAfterMs_.erase(id);
            gateways_.emplace(id, std::move(g));
            flows_.invalidate(flow::FlowTag::device(id));
        } catch (const std::exception &e) {
            spdlog::error("L3 gateway on port {} not started: {} (retrying in 5 s)", id.toString(), e.what());
            problems_[id] = e.what();
            retryAfterMs_[id] = now + 5000;
        }
    }
    for (auto it = problems_.begin(); it != problems_.end();)
        it = want.count(it->first) ? std::next(it) : problems_.erase(it);
    for (auto &[id, g] : gateways_) g->flush();
}

nlohmann::json Gateways::status() const
{
    nlohmann::json out = nlohmann::json::array();
    std::lock_guard lock(mu_);
    for (const auto &[id, g] : gateways_) out.push_back(g->status());
    for (const auto &[id, why] : problems_) out.push_back({{"port", id.toString()}, {"problem", why}});
    return out;
}

} // namespace midonet::agent
