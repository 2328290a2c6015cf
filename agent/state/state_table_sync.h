// StateTableSync: shares the MAC tables of bridges and the ARP tables of routers between agents
// through the NSDB (DESIGN.md: /midonet/v1/bridges/<id>/mac_table, /routers/<id>/arp_table), as
// MidoNet replicates them. What one agent learns (a VM's MAC on its port, a next hop's MAC seen
// by a router port on its host) every other agent applies to its own state tables, so a router
// simulated on host A can forward to a next hop whose ARP reply arrived on host B.
//
// Writes are queued by the upcall path and flushed by the agent's binder thread: a slow NSDB
// never holds up a packet. Entries are ephemeral: they go with the agent that learned them, and
// the agent removes the ones it forgot (learned_state.h); a deleted entry is forgotten by every
// agent (MacForgotten/ArpForgotten delivered to the callback).
// Thread-safety: publish*() from any thread; flush() and follow() from one thread; remote
// entries are delivered on the store's thread to the callback.
#pragma once

#include "agent/simulation/simulation_result.h"
#include "common/store/store.h"

#include <functional>
#include <mutex>
#include <unordered_map>
#include <vector>

namespace midonet::agent {

class StateTableSync {
public:
    using Apply = std::function<void(const std::vector<sim::StateChange> &)>;
    StateTableSync(store::Store &store, Apply apply) : store_(store), apply_(std::move(apply)) {}

    void publishMac(const sim::MacLearned &m);
    void publishArp(const sim::ArpLearned &a);
    // Removes entries this agent wrote and has forgotten (expired).
    void unpublishMac(const sim::MacLearned &m);
    void unpublishArp(const sim::ArpLearned &a);
    // Writes what was published since the last call. Throws StoreError (entries are kept).
    void flush();
    // Watches the tables of these devices (VLAN 0 MAC tables) and stops watching others.
    void follow(const std::vector<util::Uuid> &bridges, const std::vector<util::Uuid> &routers);

    // Entry codecs, exposed for tests: nullopt for an entry written by something else.
    static std::optional<sim::MacLearned> macFromEntry(const util::Uuid &bridge, const store::Entry &e);
    static std::optional<sim::ArpLearned> arpFromEntry(const util::Uuid &router, const store::Entry &e);

private:
    static sim::StateChange forgotten(const sim::MacLearned &m);
    static sim::StateChange forgotten(const sim::ArpLearned &a);

    store::Store &store_;
    Apply apply_;
    std::mutex mu_;
    std::vector<sim::MacLearned> macs_;
    std::vector<sim::ArpLearned> arps_;
    std::vector<sim::MacLearned> goneMacs_;
    std::vector<sim::ArpLearned> goneArps_;
    std::unordered_map<util::Uuid, store::Subscription> bridgeSubs_, routerSubs_;
};

} // namespace midonet::agent
