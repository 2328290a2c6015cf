#include "common/model/detail/plan.h"

namespace midonet::model::detail {

json *Plan::doc(std::string_view type, const util::Uuid &id)
{
    Key k{std::string(type), id};
    if (deleted_.count(k)) return nullptr;
    auto it = docs_.find(k);
    if (it != docs_.end()) return &it->second;
    auto d = r_.get(type, id);
    if (!d) return nullptr;
    touched_.push_back(k);
    return &docs_.emplace(k, std::move(*d)).first->second;
}

bool Plan::deleted(std::string_view type, const util::Uuid &id) const
{
    return deleted_.count(Key{std::string(type), id}) > 0;
}

void Plan::markUpdated(std::string_view type, const util::Uuid &id)
{
    updated_.insert(Key{std::string(type), id});
}

void Plan::create(std::string_view type, const util::Uuid &id, json value)
{
    Key k{std::string(type), id};
    touched_.push_back(k);
    docs_[k] = std::move(value);
    created_.insert(k);
}

bool Plan::remove(std::string_view type, const util::Uuid &id)
{
    Key k{std::string(type), id};
    if (deleted_.count(k)) return false;
    if (!docs_.count(k)) touched_.push_back(k);
    deleted_.insert(k);
    return true;
}

std::vector<StoreOp> Plan::ops() const
{
    std::vector<StoreOp> out;
    std::set<Key> seen;
    for (const auto &k : touched_) {
        if (!seen.insert(k).second) continue;
        bool isCreated = created_.count(k) > 0;
        if (deleted_.count(k)) {
            if (!isCreated) out.push_back({StoreOp::Kind::Delete, k.first, k.second, nullptr});
        } else if (isCreated) {
            out.push_back({StoreOp::Kind::Create, k.first, k.second, docs_.at(k)});
        } else if (updated_.count(k)) {
            out.push_back({StoreOp::Kind::Update, k.first, k.second, docs_.at(k)});
        }
    }
    return out;
}

void clearField(json &doc, std::string_view field)
{
    auto it = doc.find(field);
    if (it != doc.end()) *it = nullptr;
}

bool removeFromList(json &doc, std::string_view field, const util::Uuid &id)
{
    auto it = doc.find(field);
    if (it == doc.end() || !it->is_array()) return false;
    const std::string want = id.toString();
    auto &arr = *it;
    auto before = arr.size();
    for (size_t i = arr.size(); i-- > 0;)
        if (arr[i].is_string() && arr[i].get_ref<const std::string &>() == want)
            arr.erase(arr.begin() + std::ptrdiff_t(i));
    return arr.size() != before;
}

bool removeFromListWhere(json &doc, std::string_view field, std::string_view key,
                         const util::Uuid &id)
{
    auto it = doc.find(field);
    if (it == doc.end() || !it->is_array()) return false;
    const std::string want = id.toString();
    auto &arr = *it;
    auto before = arr.size();
    for (size_t i = arr.size(); i-- > 0;) {
        const auto &e = arr[i];
        auto v = e.is_object() ? e.find(key) : e.end();
        if (e.is_object() && v != e.end() && v->is_string() &&
            v->get_ref<const std::string &>() == want)
            arr.erase(arr.begin() + std::ptrdiff_t(i));
    }
    return arr.size() != before;
}

} // namespace midonet::model::detail
