#include "common/model/resolver.h"

namespace midonet::model {

std::string_view kindName(StoreOp::Kind k)
{
    switch (k) {
    case StoreOp::Kind::Create: return "create";
    case StoreOp::Kind::Update: return "update";
    case StoreOp::Kind::Delete: return "delete";
    }
    return "unknown";
}

std::vector<util::Uuid> ObjectResolver::referencing(std::string_view type, std::string_view field,
                                                    const util::Uuid &id) const
{
    const std::string want = id.toString();
    std::vector<util::Uuid> out;
    for (const auto &candidate : list(type)) {
        auto doc = get(type, candidate);
        if (!doc || !doc->is_object()) continue;
        auto it = doc->find(field);
        if (it == doc->end()) continue;
        bool hit = false;
        if (it->is_string()) hit = it->get_ref<const std::string &>() == want;
        else if (it->is_array())
            for (const auto &e : *it)
                if (e.is_string() && e.get_ref<const std::string &>() == want) hit = true;
        if (hit) out.push_back(candidate);
    }
    return out;
}

std::optional<json> MemoryResolver::get(std::string_view type, const util::Uuid &id) const
{
    auto t = objects_.find(type);
    if (t == objects_.end()) return std::nullopt;
    auto o = t->second.find(id);
    if (o == t->second.end()) return std::nullopt;
    return o->second;
}

std::vector<util::Uuid> MemoryResolver::list(std::string_view type) const
{
    std::vector<util::Uuid> out;
    auto t = objects_.find(type);
    if (t == objects_.end()) return out;
    for (const auto &[id, doc] : t->second) out.push_back(id);
    return out;
}

void MemoryResolver::put(std::string_view type, const util::Uuid &id, json doc)
{
    objects_[std::string(type)][id] = std::move(doc);
}

bool MemoryResolver::erase(std::string_view type, const util::Uuid &id)
{
    auto t = objects_.find(type);
    return t != objects_.end() && t->second.erase(id) > 0;
}

void MemoryResolver::apply(const std::vector<StoreOp> &ops)
{
    for (const auto &op : ops) {
        bool present = exists(op.type, op.id);
        if (op.kind == StoreOp::Kind::Create && present)
            throw ModelError(409, op.type + " " + op.id.toString() + " already exists");
        if (op.kind != StoreOp::Kind::Create && !present)
            throw ModelError(409, op.type + " " + op.id.toString() + " does not exist");
    }
    for (const auto &op : ops) {
        if (op.kind == StoreOp::Kind::Delete) erase(op.type, op.id);
        else put(op.type, op.id, op.value);
    }
}

size_t MemoryResolver::size(std::string_view type) const
{
    auto t = objects_.find(type);
    return t == objects_.end() ? 0 : t->second.size();
}

} // namespace midonet::model
