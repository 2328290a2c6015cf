#include "agent/flows/flow_table.h"

#include <spdlog/spdlog.h>

namespace midonet::agent {

bool FlowTable::install(const flow::FlowMatch &match, const flow::FlowActions &actions,
                        std::vector<flow::FlowTag> tags, uint64_t nowMs, uint64_t lifetimeMs,
                        const std::function<bool()> &stillValid)
{
    std::lock_guard lock(mu_);
    if (stillValid && !stillValid()) {
        ++stats_.stale;
        return false;
    }
    try {
        dp_.putFlow(match, actions, dp::PutMode::CreateOrModify);
    } catch (const dp::DatapathError &e) {
        ++stats_.failed;
        spdlog::warn("flow not installed ({}): {}", e.what(), match.toString());
        return false;
    }
    if (auto it = flows_.find(match); it != flows_.end()) unindexLocked(match, it->second);
    for (const auto &t : tags) byTag_[t].insert(match);
    flows_[match] = Entry{std::move(tags), nowMs + lifetimeMs};
    ++stats_.installed;
    return true;
}

void FlowTable::unindexLocked(const flow::FlowMatch &match, const Entry &entry)
{
    for (const auto &t : entry.tags) {
        auto it = byTag_.find(t);
        if (it == byTag_.end()) continue;
        it->second.erase(match);
        if (it->second.empty()) byTag_.erase(it);
    }
}

void FlowTable::removeLocked(const flow::FlowMatch &match)
{
    auto it = flows_.find(match);
    if (it == flows_.end()) return;
    unindexLocked(match, it->second);
    flows_.erase(it);
    try {
        dp_.deleteFlow(match);
    } catch (const dp::DatapathError &e) {
        // ENOENT: the datapath already dropped it (idle expiry raced us); nothing to undo.
        if (e.errnum() != ENOENT) spdlog::warn("flow delete failed: {}", e.what());
    }
}

size_t FlowTable::invalidate(std::span<const flow::FlowTag> tags)
{
    std::lock_guard lock(mu_);
    std::vector<flow::FlowMatch> doomed;
    for (const auto &t : tags)
        if (auto it = byTag_.find(t); it != byTag_.end())
            doomed.insert(doomed.end(), it->second.begin(), it->second.end());
    size_t removed = 0;
    for (const auto &m : doomed) {
        if (!flows_.count(m)) continue; // carried two of the tags
        removeLocked(m);
        ++removed;
    }
    stats_.invalidated += removed;
    return removed;
}

size_t FlowTable::expire(uint64_t nowMs, std::chrono::milliseconds idle)
{
    std::lock_guard lock(mu_);
    std::vector<flow::FlowMatch> doomed;
    for (const auto &[m, e] : flows_)
        if (e.expiresAtMs <= nowMs) doomed.push_back(m);
    for (const auto &m : doomed) removeLocked(m);
    size_t removed = doomed.size();
    std::vector<dp::Flow> idleFlows;
    try {
        idleFlows = dp_.expireIdleFlows(idle);
    } catch (const dp::DatapathError &e) {
        spdlog::warn("idle flow expiry failed: {}", e.what());
    }
    for (const auto &f : idleFlows) {
        auto it = flows_.find(f.match);
        if (it == flows_.end()) continue;
        unindexLocked(f.match, it->second);
        flows_.erase(it);
        ++removed;
    }
    stats_.expired += removed;
    return removed;
}

void FlowTable::adopt(const flow::FlowMatch &match, uint64_t nowMs, uint64_t graceMs)
{
    std::lock_guard lock(mu_);
    if (flows_.count(match)) return;
    flows_[match] = Entry{{}, nowMs + graceMs};
}

void FlowTable::clear()
{
    std::lock_guard lock(mu_);
    for (const auto &[m, e] : flows_) {
        try {
            dp_.deleteFlow(m);
        } catch (const dp::DatapathError &) {
        }
    }
    flows_.clear();
    byTag_.clear();
}

bool FlowTable::hasTag(const flow::FlowTag &tag) const
{
    std::lock_guard lock(mu_);
    return byTag_.count(tag) != 0; // empty sets are erased
}

bool FlowTable::contains(const flow::FlowMatch &match) const
{
    std::lock_guard lock(mu_);
    return flows_.count(match) != 0;
}

std::vector<flow::FlowTag> FlowTable::tagsOf(const flow::FlowMatch &match) const
{
    std::lock_guard lock(mu_);
    auto it = flows_.find(match);
    return it == flows_.end() ? std::vector<flow::FlowTag>{} : it->second.tags;
}

FlowTableStats FlowTable::stats() const
{
    std::lock_guard lock(mu_);
    FlowTableStats s = stats_;
    s.size = flows_.size();
    return s;
}

} // namespace midonet::agent
