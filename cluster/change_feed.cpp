#include "cluster/change_feed.h"

#include "common/model/registry.h"

#include <spdlog/spdlog.h>

#include <chrono>
#include <functional>

namespace midonet::cluster {

namespace {
bool ownsTenant(std::string_view type)
{
    return type == "bridges" || type == "routers" || type == "chains" || type == "port_groups";
}
} // namespace

ChangeFeed::ChangeFeed(store::Store &store, EventJournal &journal) : store_(store), journal_(journal)
{
    // Versions start from the wall clock (µs) so a restarted instance does not reuse small
    // numbers an old client may still hold; the epoch is what really tells them apart.
    next_ = uint64_t(std::chrono::duration_cast<std::chrono::microseconds>(
                         std::chrono::system_clock::now().time_since_epoch()).count());
    journal_.start(next_);
    for (const auto &t : model::allTypes()) {
        if (t.type.empty()) continue;
        std::string type(t.type);
        auto watched = store_.watchCollection(type, [this](const store::Change &c) { onChange(c); });
        std::lock_guard lock(mutex_);
        for (const auto &o : watched.initial) {
            lastHash_[type + "/" + o.id.toString()] = std::hash<std::string>{}(o.data);
            if (ownsTenant(type)) {
                auto doc = nlohmann::json::parse(o.data, nullptr, false);
                if (doc.is_object() && doc.contains("tenantId") && doc["tenantId"].is_string())
                    tenantOfId_[o.id.toString()] = doc["tenantId"].get<std::string>();
            }
        }
        subscriptions_.push_back(std::move(watched.subscription));
    }
}

ChangeFeed::~ChangeFeed()
{
    for (auto &s : subscriptions_) s.cancel();
}

std::optional<std::string> ChangeFeed::parentTenant(const std::string &parentType, const std::string &id)
{
    if (auto it = tenantOfId_.find(id); it != tenantOfId_.end()) return it->second;
    auto uuid = util::Uuid::parse(id);
    if (!uuid) return std::nullopt;
    try {
        auto o = store_.get(parentType, *uuid);
        auto doc = nlohmann::json::parse(o.data, nullptr, false);
        if (doc.is_object() && doc.contains("tenantId") && doc["tenantId"].is_string())
            return tenantOfId_[id] = doc["tenantId"].get<std::string>();
    } catch (const std::exception &) {
    }
    return std::nullopt;
}

std::string ChangeFeed::tenantFor(const std::string &type, const nlohmann::json &doc)
{
    auto str = [&](const char *key) -> std::string {
        return doc.contains(key) && doc[key].is_string() ? doc[key].get<std::string>() : std::string();
    };
    if (ownsTenant(type)) return str("tenantId");
    std::optional<std::string> t;
    if (type == "ports") {
        auto dev = str("deviceId");
        t = parentTenant("bridges", dev);
        if (!t) t = parentTenant("routers", dev);
    } else if (type == "routes" || type == "bgp_peers" || type == "bgp_networks") {
        t = parentTenant("routers", str("routerId"));
    } else if (type == "rules") {
        t = parentTenant("chains", str("chainId"));
    }
    return t.value_or("");
}

void ChangeFeed::onChange(const store::Change &c)
{
    if (!c.key.empty()) return; // ephemerals and table entries are not streamed
    std::lock_guard lock(mutex_);
    auto key = c.type + "/" + c.id.toString();
    auto hash = std::hash<std::string>{}(c.data);
    if (c.op == store::ChangeOp::deleted) {
        lastHash_.erase(key);
    } else {
        auto [it, fresh] = lastHash_.try_emplace(key, hash);
        if (!fresh && c.op == store::ChangeOp::updated && it->second == hash) return; // a version bump only
        it->second = hash;
    }
    auto doc = nlohmann::json::parse(c.data, nullptr, false);
    if (!doc.is_object()) doc = nlohmann::json::object();
    ChangeEvent e;
    e.type = c.type;
    e.id = c.id.toString();
    e.op = c.op == store::ChangeOp::created ? "create" : c.op == store::ChangeOp::updated ? "update" : "delete";
    e.tenant = tenantFor(c.type, doc);
    if (ownsTenant(c.type)) {
        if (c.op == store::ChangeOp::deleted) tenantOfId_.erase(e.id);
        else tenantOfId_[e.id] = e.tenant;
    }
    if (c.op != store::ChangeOp::deleted) {
        try {
            if (const auto *t = model::findType(c.type); t && t->normalize)
                e.object = t->normalize(doc, model::DecodeOptions::store(), model::View::Api);
            else
                e.object = doc;
        } catch (const std::exception &ex) {
            spdlog::warn("events: {} {} does not decode: {}", c.type, e.id, ex.what());
            e.object = doc;
        }
    }
    e.version = ++next_;
    journal_.append(std::move(e));
}

} // namespace midonet::cluster
