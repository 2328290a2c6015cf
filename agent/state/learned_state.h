// LearnedStateExpiry: when the MAC and ARP entries an agent knows are forgotten.
//
// - MAC (MidoNet's mac_port_mapping_expire): an entry THIS agent learned on one of its ports
//   lives while some flow carries frames FROM that MAC on that port (FlowTag::macSource), and
//   `macExpiryMs` after the last such flow went (idle expiry, invalidation). Then the agent
//   forgets it and removes it from the bridge's shared table in the NSDB; the other agents
//   forget it when they see it deleted. An entry another host re-learned (the MAC moved) is no
//   longer ours: it is never removed from here.
// - ARP: entries carry their own clock (StateTables: stale after arpStaleMs, expired after
//   arpExpiryMs). At stale time the flows using the entry are invalidated once, so the next
//   packet is simulated again, still forwarded, and the router asks again in the background;
//   an answer refreshes the entry. Expired entries are forgotten (and removed from the NSDB
//   when this agent wrote them).
//
// Thread-safety: none; the packet handler calls it under its state lock.
#pragma once

#include "agent/simulation/simulation_result.h"
#include "agent/simulation/state_tables.h"
#include "common/flow/flow_tag.h"

#include <cstdint>
#include <functional>
#include <unordered_map>
#include <vector>

namespace midonet::agent {

// How long learned MAC and ARP entries live (defaults: MidoNet's).
struct LearnedStateTimers {
    uint64_t macExpiryMs = 15'000;
    uint64_t arpStaleMs = 1'800'000;
    uint64_t arpExpiryMs = 3'600'000;
};

class LearnedStateExpiry {
public:
    explicit LearnedStateExpiry(uint64_t macExpiryMs = 15'000) : macExpiryMs_(macExpiryMs) {}

    // This agent learned (and published) it.
    void learnedMac(const sim::MacLearned &m, uint64_t nowMs);
    void learnedArp(const sim::ArpLearned &a);
    // Someone wrote it (the NSDB watch, our own writes echoed included): an entry that now
    // says something else than what we published is no longer ours to remove.
    void remoteMac(const sim::MacLearned &m);
    void remoteArp(const sim::ArpLearned &a);

    struct Sweep {
        std::vector<sim::StateChange> forget;       // apply to the state tables
        std::vector<flow::FlowTag> refresh;         // stale ARP entries: re-simulate these flows
        std::vector<sim::MacLearned> unpublishMacs; // remove from the NSDB (we wrote them)
        std::vector<sim::ArpLearned> unpublishArps;
    };
    // What is due at `nowMs`. `inUse(tag)` says whether any installed flow carries the tag.
    Sweep sweep(uint64_t nowMs, const sim::StateTables &state,
                const std::function<bool(const flow::FlowTag &)> &inUse);

    size_t ownedMacs() const { return macs_.size(); }
    size_t ownedArps() const { return arps_.size(); }

private:
    struct OwnedMac {
        util::Uuid port;
        uint64_t lastUsedMs = 0;
    };
    uint64_t macExpiryMs_;
    std::unordered_map<sim::MacKey, OwnedMac, sim::KeyHash> macs_;
    std::unordered_map<sim::ArpKey, util::MacAddress, sim::KeyHash> arps_;
    // Stale ARP entries whose flows were already refreshed (by their staleAtMs, so a refreshed
    // entry is handled again when it next goes stale).
    std::unordered_map<sim::ArpKey, uint64_t, sim::KeyHash> refreshedAt_;
};

} // namespace midonet::agent
