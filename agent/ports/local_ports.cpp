#include "agent/ports/local_ports.h"

#include "common/flow/flow_key.h"

namespace midonet::agent {

void LocalPorts::set(LocalPort p)
{
    std::lock_guard lock(mu_);
    if (auto it = byId_.find(p.portId); it != byId_.end()) {
        unindexDp(it->second);
        byKey_.erase(it->second.tunnelKey);
    }
    byDp_[p.dpPort][p.vlanId] = p.portId;
    if (p.tunnelKey) byKey_[p.tunnelKey] = p.portId;
    byId_[p.portId] = std::move(p);
}

void LocalPorts::erase(const util::Uuid &portId)
{
    std::lock_guard lock(mu_);
    auto it = byId_.find(portId);
    if (it == byId_.end()) return;
    unindexDp(it->second);
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

void LocalPorts::unindexDp(const LocalPort &p)
{
    auto it = byDp_.find(p.dpPort);
    if (it == byDp_.end()) return;
    if (auto v = it->second.find(p.vlanId); v != it->second.end() && v->second == p.portId) it->second.erase(v);
    if (it->second.empty()) byDp_.erase(it);
}

std::optional<LocalPort> LocalPorts::byDpPort(uint32_t dpPort, uint16_t vlanTci) const
{
    std::lock_guard lock(mu_);
    auto it = byDp_.find(dpPort);
    if (it == byDp_.end()) return std::nullopt;
    auto v = it->second.find(0); // an access binding takes every frame
    if (v == it->second.end()) {
        if (!(vlanTci & flow::kVlanPresent)) return std::nullopt;
        v = it->second.find(uint16_t(vlanTci & 0x0fff));
        if (v == it->second.end()) return std::nullopt;
    }
    return byId_.at(v->second);
}

bool LocalPorts::isTrunk(uint32_t dpPort) const
{
    std::lock_guard lock(mu_);
    auto it = byDp_.find(dpPort);
    return it != byDp_.end() && !it->second.count(0);
}

size_t LocalPorts::usersOf(uint32_t dpPort) const
{
    std::lock_guard lock(mu_);
    auto it = byDp_.find(dpPort);
    return it == byDp_.end() ? 0 : it->second.size();
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
