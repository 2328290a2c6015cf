// FlowTable: the agent's record of the flows it installed in the datapath, indexed by tag, so a
// change in the NSDB removes exactly the flows that depended on it (DESIGN.md "Tags and
// invalidation") and nothing else.
//
// Invariants:
// - Every flow installed through this table is in the datapath or is being removed; every tag
//   index entry points at a flow of the table, and every flow is indexed under each of its tags.
// - Each flow has a hard expiry (MidoNet's lifetimes, reference B10: forward 60 s, 30 s when it
//   carries state, drops 60 s, error and short drops 5 s); expire() removes flows past it, and
//   flows the datapath reports idle.
// - Installing a match already present replaces its actions, tags and expiry.
//
// Thread-safety: all calls are internally synchronised; the upcall handler installs while the
// topology watcher invalidates. The datapath is called under the table's lock so that a flow
// invalidated concurrently with its installation can never survive in the datapath.
#pragma once

#include "agent/datapath/datapath.h"
#include "common/flow/flow_tag.h"

#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <span>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace midonet::agent {

struct FlowTableStats {
    uint64_t installed = 0;   // puts accepted by the datapath
    uint64_t failed = 0;      // puts the datapath refused
    uint64_t stale = 0;       // not installed: the topology changed during the simulation
    uint64_t invalidated = 0; // removed because a tag they carry changed
    uint64_t expired = 0;     // removed by hard or idle expiry
    uint64_t size = 0;        // flows now
};

class FlowTable {
public:
    explicit FlowTable(dp::Datapath &datapath) : dp_(datapath) {}

    // Installs (or replaces) a flow until nowMs + lifetimeMs. Returns false when `stillValid`
    // (checked under the table's lock, so no invalidation can slip between check and install)
    // says the simulation is stale, or, logging why, when the datapath refused the flow. The
    // caller executes the packet either way.
    bool install(const flow::FlowMatch &match, const flow::FlowActions &actions,
                 std::vector<flow::FlowTag> tags, uint64_t nowMs, uint64_t lifetimeMs,
                 const std::function<bool()> &stillValid = {});

    // Removes every flow carrying any of the tags; returns how many were removed.
    size_t invalidate(std::span<const flow::FlowTag> tags);
    size_t invalidate(const flow::FlowTag &tag) { return invalidate(std::span(&tag, 1)); }

    // Removes flows past their hard expiry and flows idle in the datapath for `idle`.
    size_t expire(uint64_t nowMs, std::chrono::milliseconds idle);

    // Takes over a flow already in the datapath (left by an earlier agent run): it keeps
    // forwarding until nowMs + graceMs, then goes, and the next packet is simulated afresh.
    void adopt(const flow::FlowMatch &match, uint64_t nowMs, uint64_t graceMs);

    // Forgets and removes everything (agent shutdown, datapath reset).
    void clear();

    bool contains(const flow::FlowMatch &match) const;
    // Whether some installed flow carries `tag`.
    bool hasTag(const flow::FlowTag &tag) const;
    std::vector<flow::FlowTag> tagsOf(const flow::FlowMatch &match) const;
    FlowTableStats stats() const;

private:
    struct Entry {
        std::vector<flow::FlowTag> tags;
        uint64_t expiresAtMs = 0;
    };
    void unindexLocked(const flow::FlowMatch &match, const Entry &entry);
    void removeLocked(const flow::FlowMatch &match);

    dp::Datapath &dp_;
    mutable std::mutex mu_;
    std::unordered_map<flow::FlowMatch, Entry> flows_;
    std::unordered_map<flow::FlowTag, std::unordered_set<flow::FlowMatch>> byTag_;
    FlowTableStats stats_;
};

} // namespace midonet::agent
