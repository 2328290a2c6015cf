#include "agent/state/state_table_sync.h"

#include <spdlog/spdlog.h>

#include <unordered_set>

namespace midonet::agent {

void StateTableSync::publishMac(const sim::MacLearned &m)
{
    std::lock_guard lock(mu_);
    macs_.push_back(m);
}

void StateTableSync::publishArp(const sim::ArpLearned &a)
{
    std::lock_guard lock(mu_);
    arps_.push_back(a);
}

void StateTableSync::unpublishMac(const sim::MacLearned &m)
{
    std::lock_guard lock(mu_);
    goneMacs_.push_back(m);
}

void StateTableSync::unpublishArp(const sim::ArpLearned &a)
{
    std::lock_guard lock(mu_);
    goneArps_.push_back(a);
}

void StateTableSync::flush()
{
    std::vector<sim::MacLearned> macs, goneMacs;
    std::vector<sim::ArpLearned> arps, goneArps;
    {
        std::lock_guard lock(mu_);
        macs.swap(macs_);
        arps.swap(arps_);
        goneMacs.swap(goneMacs_);
        goneArps.swap(goneArps_);
    }
    // Removals first: an entry forgotten and then learned again must end up stored.
    // Removals are best effort: an entry that stays behind is forgotten when its session ends.
    for (const auto &m : goneMacs) {
        try {
            store_.removeEntry(store::macTable(m.bridge, m.vlan), m.mac.toString());
        } catch (const store::StoreError &e) {
            spdlog::debug("mac {} not removed: {}", m.mac.toString(), e.what());
        }
    }
    for (const auto &a : goneArps) {
        try {
            store_.removeEntry(store::arpTable(a.router), a.ip.toString());
        } catch (const store::StoreError &e) {
            spdlog::debug("arp {} not removed: {}", a.ip.toString(), e.what());
        }
    }
    for (size_t i = 0; i < macs.size(); ++i) {
        const auto &m = macs[i];
        try {
            store_.putEntry(store::macTable(m.bridge, m.vlan), m.mac.toString(), m.port.toString(), true);
        } catch (const store::StoreError &e) {
            if (e.errc() == store::StoreErrc::not_found) continue; // the bridge was deleted
            std::lock_guard lock(mu_);
            macs_.insert(macs_.begin(), macs.begin() + long(i), macs.end());
            throw;
        }
    }
    for (size_t i = 0; i < arps.size(); ++i) {
        const auto &a = arps[i];
        try {
            store_.putEntry(store::arpTable(a.router), a.ip.toString(), a.mac.toString(), true);
        } catch (const store::StoreError &e) {
            if (e.errc() == store::StoreErrc::not_found) continue;
            std::lock_guard lock(mu_);
            arps_.insert(arps_.begin(), arps.begin() + long(i), arps.end());
            throw;
        }
    }
}

std::optional<sim::MacLearned> StateTableSync::macFromEntry(const util::Uuid &bridge, const store::Entry &e)
{
    auto mac = util::MacAddress::parse(e.key);
    auto port = util::Uuid::parse(e.value);
    if (!mac || !port) return std::nullopt;
    return sim::MacLearned{bridge, 0, *mac, *port};
}

std::optional<sim::ArpLearned> StateTableSync::arpFromEntry(const util::Uuid &router, const store::Entry &e)
{
    auto ip = util::IPv4Address::parse(e.key);
    auto mac = util::MacAddress::parse(e.value);
    if (!ip || !mac) return std::nullopt;
    return sim::ArpLearned{router, *ip, *mac};
}

sim::StateChange StateTableSync::forgotten(const sim::MacLearned &m)
{
    return {sim::MacForgotten{m.bridge, m.vlan, m.mac, m.port}};
}

sim::StateChange StateTableSync::forgotten(const sim::ArpLearned &a) { return {sim::ArpForgotten{a.router, a.ip}}; }

void StateTableSync::follow(const std::vector<util::Uuid> &bridges, const std::vector<util::Uuid> &routers)
{
    auto sync = [this](auto &subs, const std::vector<util::Uuid> &ids, auto tableOf, auto decode) {
        std::unordered_set<util::Uuid> want(ids.begin(), ids.end());
        for (auto it = subs.begin(); it != subs.end();)
            it = want.count(it->first) ? std::next(it) : subs.erase(it);
        for (const auto &id : ids) {
            if (subs.count(id)) continue;
            auto watched = store_.watchTable(tableOf(id), [this, id, decode](const store::Change &c) {
                store::Entry e{c.key, c.data, c.version, false};
                auto change = decode(id, e);
                if (!change) return;
                if (c.op == store::ChangeOp::deleted) apply_({forgotten(*change)});
                else apply_({sim::StateChange{*change}});
            });
            std::vector<sim::StateChange> initial;
            for (const auto &e : watched.initial)
                if (auto change = decode(id, e)) initial.push_back({*change});
            if (!initial.empty()) apply_(initial);
            subs.emplace(id, std::move(watched.subscription));
        }
    };
    sync(bridgeSubs_, bridges, [](const util::Uuid &b) { return store::macTable(b, 0); }, &macFromEntry);
    sync(routerSubs_, routers, [](const util::Uuid &r) { return store::arpTable(r); }, &arpFromEntry);
}

} // namespace midonet::agent
