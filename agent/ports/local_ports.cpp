#include "agent/ports/local_ports.h"

namespace midonet::agent {

void LocalPorts::set(LocalPort p)
{
    std::lock_guard lock(mu_);
    if (auto it = byId_.find(p.portId); it != byId_.end()) {
        byDp_.erase(it->second.dpPort);
        byKey_.erase(it->second.tunnelKey);
    }
    byDp_[p.dpPort] = p.portId;
    if (p.tunnelKey) byKey_[p.tunnelKey] = p.portId;
    byId_[p.portId] = std::move(p);
}

void LocalPorts::erase(const util::Uuid &portId)
{
    std::lock_guard lock(mu_);
    auto it = byId_.find(portId);
    if (it == byId_.end()) return;
    byDp_.erase(it->second.dpPort);
    byKey_.erase(it->second.tunnelKey);
    byId_.erase(it);
}

std::optional<LocalPort> LocalPorts::byPort(const util::Uuid &portId) const
{
    std::lock_guard lock(mu_);
    auto it = byId_.find(portId);
    if (it == byId_.end()) return std::nullopt;
    return it->second;
}

std::optional<LocalPort> LocalPorts::byDpPort(uint32_t dpPort) const
{
    std::lock_guard lock(mu_);
    auto it = byDp_.find(dpPort);
    if (it == byDp_.end()) return std::nullopt;
    return byId_.at(it->second);
}

std::optional<LocalPort> LocalPorts::byTunnelKey(uint32_t key) const
{
    std::lock_guard lock(mu_);
    auto it = byKey_.find(key);
    if (it == byKey_.end()) return std::nullopt;
    return byId_.at(it->second);
}

std::vector<LocalPort> LocalPorts::all() const
{
    std::lock_guard lock(mu_);
    std::vector<LocalPort> out;
    for (const auto &[id, p] : byId_) out.push_back(p);
    return out;
}

uint32_t LocalPorts::dpPortOf(const util::Uuid &portId) const
{
    std::lock_guard lock(mu_);
    auto it = byId_.find(portId);
    return it == byId_.end() ? 0 : it->second.dpPort;
}

} // namespace midonet::agent
