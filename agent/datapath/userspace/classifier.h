// Classifier: the megaflow table of the userspace datapath, a tuple space search. Rules are
// flow::FlowMatch (pre-masked key + mask) with a priority; there is one hash table (a
// "subtable") per distinct mask, keyed by the masked key. A lookup masks the packet's key once
// per subtable and probes its table.
//
// Order of search: subtables by their highest rule priority, then by hits (the busiest masks
// first; resort() reorders). A lookup stops at the first subtable whose highest priority cannot
// beat the best match found, so with equal priorities (the datapath's case: megaflows do not
// overlap by construction) it stops at the first hit.
//
// Invariants (checkInvariants() verifies them; the unit tests call it after every mutation):
// - every rule is in exactly the subtable of its mask, under its key, and that key is masked;
// - no subtable is empty; a subtable's maxPriority is the highest priority among its rules;
// - subtables are ordered by maxPriority, descending;
// - size() is the number of rules; no two rules have the same match and priority.
// Ties: among matching rules of the highest priority, lookup() returns one of them, which one
// is unspecified (as in OVS).
//
// The classifier does not own rules: callers keep them alive until remove().
//
// Thread-safety: none inside. The userspace datapath calls lookup() under a shared lock and
// the mutators under an exclusive one; lookup() only bumps relaxed atomic hit counters, so
// concurrent lookups are safe.
#pragma once

#include "common/flow/flow_key.h"

#include <atomic>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace midonet::dp::userspace {

struct ClassifierRule {
    flow::FlowMatch match;
    int priority = 0;
};

class Classifier {
public:
    // ---- mutators (exclusive) ----
    // Adds `rule`. Returns the rule already present with the same match and priority (then
    // nothing changes), or nullptr when `rule` was added.
    ClassifierRule *insert(ClassifierRule *rule);
    // Removes `rule` (which must be in the classifier). Returns false if it was not.
    bool remove(ClassifierRule *rule);
    void clear();
    // Reorders subtables of equal maxPriority by hits since the last resort().
    void resort();

    // ---- readers (shared) ----
    // Highest-priority rule matching `key`, or nullptr. `probes`, if given, gets the number of
    // subtables searched.
    ClassifierRule *lookup(const flow::FlowKey &key, int *probes = nullptr) const;
    // The rule with exactly this match and priority.
    ClassifierRule *find(const flow::FlowMatch &match, int priority = 0) const;
    size_t size() const { return size_; }
    size_t subtableCount() const { return subtables_.size(); }
    template <typename F> void forEach(F &&f) const
    {
        for (const auto &st : subtables_)
            for (const auto &[key, rules] : st->rules)
                for (ClassifierRule *r : rules)
                    f(r);
    }
    // Empty when the invariants above hold, else a description of the first violation.
    std::string checkInvariants() const;

private:
    struct Subtable {
        flow::FlowMask mask;
        int maxPriority = 0;
        mutable std::atomic<uint64_t> hits{0};
        uint64_t hitsAtSort = 0;
        // Rules with the same masked key (differing priority) share a bucket, highest first.
        std::unordered_map<flow::FlowKey, std::vector<ClassifierRule *>> rules;
    };
    Subtable *subtableFor(const flow::FlowMask &mask) const;
    void sortSubtables();

    std::vector<std::unique_ptr<Subtable>> subtables_;
    size_t size_ = 0;
};

} // namespace midonet::dp::userspace
