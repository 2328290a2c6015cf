// RouteTable: the longest-prefix-match index of one router's routes (reference B6), built once
// per snapshot by TopologySnapshot::finalize(). A provider router holds 100,000 BGP-learned
// routes (issue 9); scanning them per packet cost ~90 us, this costs one hash probe per distinct
// prefix length present (a handful) plus the few routes of the matching prefix.
//
// Structure: one open-addressing hash table keyed by (network, length) whose slots point at the
// group of routes with that destination, and the distinct lengths present, longest first. A
// lookup tries the lengths in turn and stops at the first whose group has a usable route.
//
// Semantics (exactly those of the linear scan it replaces, which the unit tests keep as the
// reference): the longest destination prefix that has a usable route whose source prefix
// matches; a route is usable unless it goes to a port that is neither interior nor exterior
// and active (decided by the caller's `usable`, since port state is the snapshot's); within
// that prefix the lowest weight; every route of that weight returned, in the order of the
// router's route list (finalize() sorts it: longest prefix first, then weight, then as given),
// because ECMP picks among them by index and every host must pick the same.
//
// Invariants: built from the router's final route list and valid only with that same list
// (routes are referred to by index); a route whose length is over 32 is never returned.
// Thread-safety: immutable after construction; any number of threads may look up concurrently
// (snapshots are shared read-only by every simulating thread).
#pragma once

#include "agent/simulation/topology.h"

#include <cstdint>
#include <vector>

namespace midonet::sim::detail {

class RouteTable {
public:
    RouteTable() = default;
    explicit RouteTable(const std::vector<Route> &routes);

    // Fills `out` with the candidate routes for (dst, src) as described above; empty: no route.
    // `routes` must be the list the table was built from; usable(const Route &) says whether a
    // Port route's port takes traffic.
    template <class Usable>
    void lookup(const std::vector<Route> &routes, IPv4Address dst, IPv4Address src, Usable &&usable,
                std::vector<const Route *> &out) const
    {
        out.clear();
        for (uint8_t len : lengths_) {
            const Slot *s = find(dst.value & maskOf(len), len);
            if (!s) continue;
            bool found = false;
            uint32_t bestWeight = 0;
            for (uint32_t i = s->begin; i < s->begin + s->count; ++i) {
                const Route &rt = routes[members_[i]];
                if (!rt.src.contains(src)) continue;
                if (rt.nextHop == NextHop::Port && !usable(rt)) continue;
                if (!found || rt.weight < bestWeight) {
                    out.clear();
                    found = true;
                    bestWeight = rt.weight;
                }
                if (rt.weight == bestWeight) out.push_back(&rt);
            }
            if (found) return;
        }
    }

    size_t prefixCount() const { return groups_; }
    const std::vector<uint8_t> &lengths() const { return lengths_; }

private:
    struct Slot {
        uint32_t network = 0;
        uint32_t begin = 0; // into members_
        uint32_t count = 0; // 0: empty slot
        uint8_t length = 0;
    };

    static uint32_t maskOf(uint8_t len) { return len == 0 ? 0 : ~uint32_t(0) << (32 - len); }
    size_t home(uint32_t network, uint8_t len) const
    {
        const uint64_t k = (uint64_t(network) << 8 | len) * 0x9e3779b97f4a7c15ULL;
        return size_t(k >> shift_);
    }
    const Slot *find(uint32_t network, uint8_t len) const
    {
        if (slots_.empty()) return nullptr;
        const size_t m = slots_.size() - 1;
        for (size_t i = home(network, len);; i = (i + 1) & m) {
            const Slot &s = slots_[i];
            if (s.count == 0) return nullptr;
            if (s.network == network && s.length == len) return &s;
        }
    }

    std::vector<Slot> slots_;       // power-of-two size, at most half full
    unsigned shift_ = 64;           // 64 - log2(slots_.size())
    std::vector<uint32_t> members_; // route indices grouped by slot, ascending within a group
    std::vector<uint8_t> lengths_;  // distinct lengths present, longest first
    size_t groups_ = 0;
};

} // namespace midonet::sim::detail
