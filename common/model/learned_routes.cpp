#include "common/model/learned_routes.h"

#include <charconv>

namespace midonet::model {

store::TableRef learnedRoutesTable(const util::Uuid &router) { return {"routers", router, kLearnedRoutesTable}; }

std::optional<std::vector<Route>> decodeLearnedRoutes(const util::Uuid &router, std::string_view key,
                                                             std::string_view value, size_t *bad)
{
    const auto dot = key.find('.');
    if (dot == std::string_view::npos) return std::nullopt;
    auto port = util::Uuid::parse(key.substr(0, dot));
    if (!port) return std::nullopt;
    std::vector<Route> out;
    while (!value.empty()) {
        const auto nl = value.find('\n');
        std::string_view line = value.substr(0, nl);
        value = nl == std::string_view::npos ? std::string_view() : value.substr(nl + 1);
        if (line.empty()) continue;
        const auto sp = line.find(' ');
        auto dst = sp == std::string_view::npos ? std::nullopt : util::IPv4Subnet::parse(line.substr(0, sp));
        auto gw = dst ? util::IPv4Address::parse(line.substr(sp + 1)) : std::nullopt;
        if (!dst || !gw) {
            if (bad) ++*bad;
            continue;
        }
        Route r;
        r.id = {port->hi, port->lo ^ (uint64_t(dst->network().value) << 8 | dst->length)};
        r.routerId = router;
        r.dstNetworkAddr = dst->network();
        r.dstNetworkLength = dst->length;
        r.nextHopPort = *port;
        r.nextHopGateway = *gw;
        r.weight = kLearnedRouteWeight;
        r.learned = true;
        out.push_back(std::move(r));
    }
    return out;
}

unsigned LearnedRouteBuckets::bucketOf(util::IPv4Subnet dst)
{
    uint64_t h = (uint64_t(dst.network().value) << 8 | dst.length) * 0x9e3779b97f4a7c15ULL;
    return unsigned(h >> 58) % kBuckets;
}

void LearnedRouteBuckets::set(util::IPv4Subnet dst, std::optional<util::IPv4Address> gateway)
{
    dst = {dst.network(), dst.length};
    const unsigned b = bucketOf(dst);
    auto &m = buckets_[b];
    if (gateway) {
        auto [it, inserted] = m.try_emplace(dst, *gateway);
        if (!inserted && it->second == *gateway) return;
        it->second = *gateway;
    } else if (m.erase(dst) == 0) {
        return;
    }
    dirty_[b] = true;
}

void LearnedRouteBuckets::clear()
{
    for (unsigned b = 0; b < kBuckets; ++b)
        if (!buckets_[b].empty()) {
            buckets_[b].clear();
            dirty_[b] = true;
        }
}

size_t LearnedRouteBuckets::size() const
{
    size_t n = 0;
    for (const auto &m : buckets_) n += m.size();
    return n;
}

bool LearnedRouteBuckets::dirty() const
{
    for (bool d : dirty_)
        if (d) return true;
    return false;
}

std::vector<std::pair<unsigned, std::string>> LearnedRouteBuckets::takeDirty()
{
    std::vector<std::pair<unsigned, std::string>> out;
    for (unsigned b = 0; b < kBuckets; ++b) {
        if (!dirty_[b]) continue;
        std::string value;
        value.reserve(buckets_[b].size() * 32);
        for (const auto &[dst, gw] : buckets_[b]) {
            value += dst.toString();
            value += ' ';
            value += gw.toString();
            value += '\n';
        }
        out.emplace_back(b, std::move(value));
        dirty_[b] = false;
    }
    return out;
}

void LearnedRouteBuckets::write(store::Store &store, const util::Uuid &router,
                                const std::vector<std::pair<unsigned, std::string>> &taken, size_t *done) const
{
    const auto table = learnedRoutesTable(router);
    const std::string prefix = port_.toString() + ".";
    for (const auto &[b, value] : taken) {
        const std::string key = prefix + std::to_string(b);
        store.putEntry(table, key, value, /*ephemeral=*/true);
        if (done) ++*done;
    }
}

size_t LearnedRouteBuckets::flush(store::Store &store, const util::Uuid &router)
{
    auto taken = takeDirty();
    size_t done = 0;
    try {
        write(store, router, taken, &done);
    } catch (...) {
        for (size_t i = done; i < taken.size(); ++i) markDirty(taken[i].first);
        throw;
    }
    return done;
}

void LearnedRouteBuckets::removeAll(store::Store &store, const util::Uuid &router, const util::Uuid &port)
{
    const auto table = learnedRoutesTable(router);
    const std::string prefix = port.toString() + ".";
    for (const auto &e : store.entries(table))
        if (e.key.rfind(prefix, 0) == 0) store.removeEntry(table, e.key);
}

} // namespace midonet::model
