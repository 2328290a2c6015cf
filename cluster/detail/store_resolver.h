// Internal: the model's ObjectResolver over the NSDB Store, so the cluster runs the model's one
// implementation of referential rules and cascades (common/model/references.h, cascade.h)
// instead of a copy of its own. It remembers the version of every document it hands out, and
// toStoreOps() turns the model's plan into store ops that carry those versions: a concurrent
// writer of anything the plan read and changes makes the commit fail and the request retry
// (the cluster's optimistic-concurrency rule, see api.h).
//
// Invariants: a type is listed from the store at most once per resolver (list() and the
// default referencing() scan use that snapshot); get() of an id of a listed type answers from
// it, others read the store once and are cached.
// Thread-safety: one request's object, used by one thread; not shared.
#pragma once

#include "cluster/detail/api.h"
#include "common/model/cascade.h"
#include "common/model/errors.h"
#include "common/model/resolver.h"

#include <map>
#include <string>

namespace midonet::cluster::detail {

class StoreResolver : public model::ObjectResolver {
public:
    explicit StoreResolver(Store &s) : store_(s) {}

    std::optional<json> get(std::string_view type, const Uuid &id) const override;
    std::vector<Uuid> list(std::string_view type) const override;
    // Scans the listed snapshot in place (the default copies every document it looks at).
    std::vector<Uuid> referencing(std::string_view type, std::string_view field, const Uuid &id) const override;

    // Makes `s` the state this plan starts from (the object the request already loaded and
    // checked), so the plan's write of it carries the version that was checked.
    template <class T> void seed(const Stored<T> &s)
    {
        remember(T::kType, s.obj.id, model::encode(s.obj, model::View::Store), s.version);
    }

    // The plan as store ops; Update/Delete carry the version read.
    std::vector<store::Op> toStoreOps(const std::vector<model::StoreOp> &plan) const;
    // Re-writes `id` as this resolver read it, with the version read (api.h touchOp): a writer
    // that depends on an object the plan only read (the host of a binding, the port joining a
    // group) makes a concurrent delete of it retry. The object must have been read.
    store::Op touchOp(std::string_view type, const Uuid &id) const;

private:
    struct Doc {
        std::optional<json> doc; // nullopt: read, absent
        Version version = store::kAnyVersion;
    };
    void remember(std::string_view type, const Uuid &id, std::optional<json> doc, Version v) const;

    Store &store_;
    mutable std::map<std::string, std::map<Uuid, Doc>, std::less<>> docs_;
    mutable std::map<std::string, std::vector<Uuid>, std::less<>> listed_;
};

// How the API answers a model ReferenceError: its status with MidoNet's error body naming the
// field at fault as a violation (a 409 still says which field, like a 400), or, for
// `bareStatus`, the status alone: MidoNet answers some conflicts without a body (a duplicate
// tunnel-zone host or port-group member: 409; a missing one: 404).
ApiError apiError(const model::ReferenceError &e, int bareStatus = 0);

// Runs a model rule or planner (common/model/references.h): its ReferenceErrors become API
// errors (apiError), its ValidationErrors pass through (400 with violations).
template <class F> auto modelRules(F &&rules, int bareStatus = 0) -> decltype(rules())
{
    try {
        return rules();
    } catch (const model::ReferenceError &e) {
        throw apiError(e, bareStatus);
    }
}

// Runs a model planner over `r` (modelRules) and returns its plan as store ops.
template <class F> std::vector<store::Op> planOps(const StoreResolver &r, F &&planner, int bareStatus = 0)
{
    return r.toStoreOps(modelRules(std::forward<F>(planner), bareStatus));
}

// What deleting `o` (loaded and checked by the request) removes or clears, by the model's
// cascade, as one set of store ops for commit(). ReferenceError (409/403) when MidoNet refuses.
template <class T> std::vector<store::Op> planDeleteOps(Store &s, const Stored<T> &o)
{
    StoreResolver r(s);
    r.seed(o);
    return r.toStoreOps(model::planDelete(r, T::kType, o.obj.id));
}

} // namespace midonet::cluster::detail
