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

void StateTableSync::flush()
{
    std::vector<sim::MacLearned> macs;
    std::vector<sim::ArpLearned> arps;
    {
        std::lock_guard lock(mu_);
        macs.swap(macs_);
        arps.swap(arps_);
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

void StateTableSync::follow(const std::vector<util::Uuid> &bridges, const std::vector<util::Uuid> &routers)
{
    auto sync = [this](auto &subs, const std::vector<util::Uuid> &ids, auto tableOf, auto decode) {
        std::unordered_set<util::Uuid> want(ids.begin(), ids.end());
        for (auto it = subs.begin(); it != subs.end();)
            it = want.count(it->first) ? std::next(it) : subs.erase(it);
        for (const auto &id : ids) {
            if (subs.count(id)) continue;
            auto watched = store_.watchTable(tableOf(id), [this, id, decode](const store::Change &c) {
                if (c.op == store::ChangeOp::deleted) return; // expiry is not modelled yet
                store::Entry e{c.key, c.data, c.version, false};
                if (auto change = decode(id, e)) apply_({sim::StateChange{*change}});
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
