// Internal: accumulates the writes of one atomic multi-operation, so that several rules touching
// the same object (two deleted ports in one port group) end as one update of its final state.
#pragma once

#include "common/model/resolver.h"

#include <set>
#include <utility>

namespace midonet::model::detail {

class Plan
{
public:
    explicit Plan(const ObjectResolver &r) : r_(r) {}

    // The current document as this plan leaves it; nullptr if absent or deleted.
    json *doc(std::string_view type, const util::Uuid &id);
    bool deleted(std::string_view type, const util::Uuid &id) const;
    void markUpdated(std::string_view type, const util::Uuid &id);
    void create(std::string_view type, const util::Uuid &id, json value);
    // Returns false if it was already deleted in this plan (cascades stop there).
    bool remove(std::string_view type, const util::Uuid &id);

    std::vector<StoreOp> ops() const;
    const ObjectResolver &resolver() const { return r_; }

private:
    using Key = std::pair<std::string, util::Uuid>;
    const ObjectResolver &r_;
    std::map<Key, json> docs_;
    std::vector<Key> touched_; // first-touch order, for a stable plan
    std::set<Key> updated_, created_, deleted_;
};

// Document edits that keep a store document's shape.
void clearField(json &doc, std::string_view field);
bool removeFromList(json &doc, std::string_view field, const util::Uuid &id);
bool removeFromListWhere(json &doc, std::string_view field, std::string_view key,
                         const util::Uuid &id);

} // namespace midonet::model::detail
