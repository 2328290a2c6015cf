#include "cluster/detail/store_resolver.h"

#include <algorithm>
#include <stdexcept>

namespace midonet::cluster::detail {

void StoreResolver::remember(std::string_view type, const Uuid &id, std::optional<json> doc, Version v) const
{
    auto t = docs_.find(type);
    if (t == docs_.end()) t = docs_.emplace(std::string(type), std::map<Uuid, Doc>{}).first;
    t->second.insert_or_assign(id, Doc{std::move(doc), v});
}

std::optional<json> StoreResolver::get(std::string_view type, const Uuid &id) const
{
    if (auto t = docs_.find(type); t != docs_.end())
        if (auto d = t->second.find(id); d != t->second.end()) return d->second.doc;
    if (listed_.count(type)) return std::nullopt; // not there when the type was listed
    try {
        auto o = store_.get(type, id);
        auto doc = json::parse(o.data);
        remember(type, id, doc, o.version);
        return doc;
    } catch (const store::StoreError &e) {
        if (e.errc() != store::StoreErrc::not_found) throw;
        remember(type, id, std::nullopt, store::kAnyVersion);
        return std::nullopt;
    }
}

std::vector<Uuid> StoreResolver::list(std::string_view type) const
{
    if (auto l = listed_.find(type); l != listed_.end()) return l->second;
    std::vector<Uuid> ids;
    for (auto &o : store_.list(type)) {
        json doc = json::parse(o.data, nullptr, false);
        if (doc.is_discarded()) {
            spdlog::warn("NSDB {}/{}: undecodable record skipped", type, o.id.toString());
            continue;
        }
        // Keep what the plan may already have seeded (the version the request checked).
        auto t = docs_.find(type);
        if (t == docs_.end() || !t->second.count(o.id)) remember(type, o.id, std::move(doc), o.version);
        ids.push_back(o.id);
    }
    return listed_.emplace(std::string(type), ids).first->second;
}

std::vector<Uuid> StoreResolver::referencing(std::string_view type, std::string_view field, const Uuid &id) const
{
    const std::string want = id.toString();
    auto holds = [&](const json &v) { return v.is_string() && v.get_ref<const std::string &>() == want; };
    std::vector<Uuid> out;
    auto ids = list(type);
    auto t = docs_.find(type);
    if (t == docs_.end()) return out;
    for (const auto &candidate : ids) {
        auto d = t->second.find(candidate);
        if (d == t->second.end() || !d->second.doc || !d->second.doc->is_object()) continue;
        auto it = d->second.doc->find(field);
        if (it == d->second.doc->end()) continue;
        bool hit = holds(*it);
        if (it->is_array()) hit = std::any_of(it->begin(), it->end(), holds);
        if (hit) out.push_back(candidate);
    }
    return out;
}

std::vector<store::Op> StoreResolver::toStoreOps(const std::vector<model::StoreOp> &plan) const
{
    auto versionOf = [&](const model::StoreOp &op) {
        if (auto t = docs_.find(op.type); t != docs_.end())
            if (auto d = t->second.find(op.id); d != t->second.end()) return d->second.version;
        return store::kAnyVersion;
    };
    std::vector<store::Op> out;
    out.reserve(plan.size());
    for (const auto &op : plan) {
        switch (op.kind) {
        case model::StoreOp::Kind::Create: out.push_back(store::Op::create(op.type, op.id, op.value.dump())); break;
        case model::StoreOp::Kind::Update: out.push_back(store::Op::update(op.type, op.id, op.value.dump(), versionOf(op))); break;
        case model::StoreOp::Kind::Delete: out.push_back(store::Op::remove(op.type, op.id, versionOf(op))); break;
        }
    }
    return out;
}

store::Op StoreResolver::touchOp(std::string_view type, const Uuid &id) const
{
    if (auto t = docs_.find(type); t != docs_.end())
        if (auto d = t->second.find(id); d != t->second.end() && d->second.doc)
            return store::Op::update(std::string(type), id, d->second.doc->dump(), d->second.version);
    throw std::logic_error("StoreResolver::touchOp: " + std::string(type) + " " + id.toString() + " was not read");
}

ApiError apiError(const model::ReferenceError &e, int bareStatus)
{
    if (e.httpCode() == bareStatus) return ApiError::bare(bareStatus);
    json j = e.toJson();
    if (!e.property().empty())
        j["violations"] = json::array({json{{"property", e.property()}, {"message", e.what()}}});
    return {e.httpCode(), std::move(j), {}};
}

} // namespace midonet::cluster::detail
