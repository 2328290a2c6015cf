// ObjectResolver: the read side the referential rules and cascade planners need ("get object of
// type X with id Y", "list objects of type X", "which X refer to Y"), so the same rules run
// against the NSDB store, an agent's topology snapshot or the in-memory MemoryResolver.
// StoreOp: one write of a planned atomic multi-operation.
//
// Invariants:
//  - Documents are NSDB (View::Store) JSON, keyed by NSDB type name and id.
//  - A StoreOp of kind Create/Update carries the complete new document; Delete carries null.
//  - A plan never holds two ops for the same (type, id).
//
// Thread-safety: ObjectResolver implementations say their own; the rules only call const
// methods and never keep references past a call. MemoryResolver is not synchronised: one
// thread at a time (or external locking).
#pragma once

#include "common/model/codec.h"
#include "common/model/errors.h"
#include "common/util/uuid.h"

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace midonet::model {

struct StoreOp {
    enum class Kind { Create, Update, Delete };
    Kind kind = Kind::Update;
    std::string type;
    util::Uuid id;
    json value; // the new NSDB document (Create/Update), null for Delete

    bool operator==(const StoreOp &) const = default;
};
std::string_view kindName(StoreOp::Kind k);

class ObjectResolver
{
public:
    virtual ~ObjectResolver() = default;

    // The NSDB document of an object, or nullopt if there is none.
    virtual std::optional<json> get(std::string_view type, const util::Uuid &id) const = 0;
    // Every id of a type, in a stable order.
    virtual std::vector<util::Uuid> list(std::string_view type) const = 0;
    // Ids of objects of `type` whose `field` holds `id` (equal, or contained in a list field).
    // The default scans list()+get(); a store with indexes overrides it.
    virtual std::vector<util::Uuid> referencing(std::string_view type, std::string_view field,
                                                const util::Uuid &id) const;

    bool exists(std::string_view type, const util::Uuid &id) const
    {
        return get(type, id).has_value();
    }

    // Typed lookup; a stored document that no longer decodes is a server error (500).
    template <class T> std::optional<T> find(const util::Uuid &id) const
    {
        auto doc = get(T::kType, id);
        if (!doc) return std::nullopt;
        T obj{};
        Violations v;
        if (!tryDecode(*doc, obj, v, DecodeOptions::store()))
            throw ModelError(500, "stored " + std::string(T::kType) + " " + id.toString() +
                                      " is invalid: " + v.front().property + " " +
                                      v.front().message);
        return obj;
    }
};

// A resolver over maps in memory: tests, single-process tools, snapshots.
class MemoryResolver : public ObjectResolver
{
public:
    std::optional<json> get(std::string_view type, const util::Uuid &id) const override;
    std::vector<util::Uuid> list(std::string_view type) const override;

    void put(std::string_view type, const util::Uuid &id, json doc);
    template <class T> void put(const T &obj) { put(T::kType, obj.id, encode(obj, View::Store)); }
    bool erase(std::string_view type, const util::Uuid &id);
    // Applies a plan; throws ModelError(409) if a Create finds the object or an Update/Delete
    // does not (nothing is applied then).
    void apply(const std::vector<StoreOp> &ops);
    size_t size(std::string_view type) const;

private:
    std::map<std::string, std::map<util::Uuid, json>, std::less<>> objects_;
};

} // namespace midonet::model
