#include "agent/state/learned_state.h"

namespace midonet::agent {

void LearnedStateExpiry::learnedMac(const sim::MacLearned &m, uint64_t nowMs)
{
    macs_[sim::MacKey{m.bridge, m.vlan, m.mac}] = OwnedMac{m.port, nowMs};
}

void LearnedStateExpiry::learnedArp(const sim::ArpLearned &a) { arps_[sim::ArpKey{a.router, a.ip}] = a.mac; }

void LearnedStateExpiry::remoteMac(const sim::MacLearned &m)
{
    auto it = macs_.find(sim::MacKey{m.bridge, m.vlan, m.mac});
    if (it != macs_.end() && it->second.port != m.port) macs_.erase(it);
}

void LearnedStateExpiry::remoteArp(const sim::ArpLearned &a)
{
    auto it = arps_.find(sim::ArpKey{a.router, a.ip});
    if (it != arps_.end() && it->second != a.mac) arps_.erase(it);
}

LearnedStateExpiry::Sweep LearnedStateExpiry::sweep(uint64_t nowMs, const sim::StateTables &state,
                                                    const std::function<bool(const flow::FlowTag &)> &inUse)
{
    Sweep out;
    for (auto it = macs_.begin(); it != macs_.end();) {
        const auto &[key, owned] = *it;
        const util::Uuid *now = state.macPort(key.bridge, key.vlan, key.mac);
        if (!now || *now != owned.port) { // forgotten or re-learned elsewhere: not ours
            it = macs_.erase(it);
            continue;
        }
        if (inUse(flow::FlowTag::macSource(key.bridge, key.mac, key.vlan, owned.port))) {
            it->second.lastUsedMs = nowMs;
        } else if (nowMs - owned.lastUsedMs >= macExpiryMs_) {
            out.forget.push_back({sim::MacForgotten{key.bridge, key.vlan, key.mac, owned.port}});
            out.unpublishMacs.push_back({key.bridge, key.vlan, key.mac, owned.port});
            it = macs_.erase(it);
            continue;
        }
        ++it;
    }
    for (const auto &[key, entry] : state.arps) {
        if (entry.expiresAtMs <= nowMs) {
            out.forget.push_back({sim::ArpForgotten{key.router, key.ip}});
            if (auto own = arps_.find(key); own != arps_.end()) {
                if (own->second == entry.mac) out.unpublishArps.push_back({key.router, key.ip, entry.mac});
                arps_.erase(own);
            }
            refreshedAt_.erase(key);
        } else if (entry.staleAtMs <= nowMs) {
            auto [r, fresh] = refreshedAt_.try_emplace(key, entry.staleAtMs);
            if (!fresh && r->second == entry.staleAtMs) continue; // already asked for this one
            r->second = entry.staleAtMs;
            const auto tag = flow::FlowTag::arpEntry(key.router, key.ip);
            if (inUse(tag)) out.refresh.push_back(tag);
        }
    }
    std::erase_if(refreshedAt_, [&](const auto &kv) { return !state.arps.count(kv.first); });
    return out;
}

} // namespace midonet::agent
