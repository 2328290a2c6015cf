// L2Gateway: the agent's side of the L2 VLAN gateway (issue 9): which L2 gateway port of each
// (bridge, VLAN) is the active one, and what a host does when its port becomes active.
//
// What an L2 gateway port is. A bridge port with a vlanId bound to a host's trunk interface
// (agent/ports: several such ports share the trunk, demultiplexed by VLAN; the simulation pops
// the tag on the way in and pushes it on the way out). Two or more hosts may have a port on the
// same bridge and VLAN, their trunks plugged into the same physical switch: that is redundancy,
// and exactly one of them may carry traffic at a time, or the switch sees a loop and frames
// come out twice.
//
// The election, through the NSDB. The group (bridge B, VLAN V) is owned by whoever holds the
// ephemeral child bridges/<B>/l2gw_vlan_<V> (value: the owning port id), created with
// Store::claimEphemeral (create-if-absent, so two hosts can never both hold it). Every agent
// watches the owner entry of every group, so every host's simulation sees the same active port
// (TopologySnapshot Port::active is false for the others: floods skip them, frames arriving
// through them are dropped). A host with a bound port in the group claims the entry whenever it
// is free. When the owner's agent dies its ZooKeeper session expires (after
// --zookeeper-session-timeout), the entry vanishes and a standby claims it at once, from the
// watch callback.
//
// Taking over. The new active host (1) rewrites the bridge's MAC-table entries that pointed at
// the group's other ports (the machines behind the trunk are behind this port now) to its own
// port, so every host forwards to it at once instead of waiting to relearn, and (2) announces
// on its trunk, tagged with the VLAN, one broadcast RARP frame per MAC of the virtual side (the
// bridge's MAC table minus the gateway ports' entries), so the physical switch relearns where
// the VMs are without waiting for them to speak; repeated once 300 ms later.
//
// Invariants: portActive() is true for every port that is not an L2 gateway port; for a gateway
// port it is true iff the owner entry of its group names it. Every change of that answer is
// reported through Hooks::activityChanged with the device tags of the group's ports and bridge,
// after the answer changed.
//
// Thread-safety: reconcile() and stop() from one thread (the agent's binder thread);
// portActive() and status() from any thread; watch callbacks run on the store's thread.
// Internally synchronised; hooks and store calls are made without the internal lock held.
#pragma once

#include "agent/datapath/datapath.h"
#include "agent/ports/local_ports.h"
#include "agent/topology/topology_cache.h"
#include "common/flow/flow_tag.h"
#include "common/store/store.h"

#include <nlohmann/json.hpp>

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace midonet::agent {

class L2Gateway {
public:
    struct Hooks {
        // The active port of a group changed: the snapshot must be rebuilt and the flows with
        // these tags dropped.
        std::function<void(const std::vector<flow::FlowTag> &tags)> activityChanged;
    };

    L2Gateway(store::Store &store, TopologyCache &topology, LocalPorts &ports, dp::Datapath &dp,
              util::Uuid hostId, Hooks hooks);
    ~L2Gateway();

    // Follows the gateway ports of the topology: watches their groups' owner entries, claims
    // free groups for the ports bound here, releases groups whose port left this host, repeats
    // due announcements. Call periodically and after bindings change (binder thread).
    void reconcile();
    // Cancels the watches and releases the groups this host holds (a clean stop hands over at
    // once instead of after the session timeout).
    void stop();

    bool portActive(const util::Uuid &port) const;
    nlohmann::json status() const;

    // Name of a group's owner entry under bridges/<id>.
    static std::string ownerName(uint16_t vlan);
    // The announcement frame: broadcast RARP from `mac`, tagged with `vlan`.
    static std::vector<uint8_t> announcement(const util::MacAddress &mac, uint16_t vlan);

private:
    struct Key {
        util::Uuid bridge;
        uint16_t vlan = 0;
        bool operator==(const Key &) const = default;
    };
    struct KeyHash {
        size_t operator()(const Key &k) const { return std::hash<util::Uuid>()(k.bridge) * 31 + k.vlan; }
    };
    struct Group {
        std::vector<util::Uuid> ports;        // every gateway port of the group, all hosts
        std::optional<util::Uuid> local;      // our port in the group, bound in the datapath
        std::optional<util::Uuid> owner;      // port named by the owner entry
        std::unordered_map<util::MacAddress, util::Uuid> macs; // bridge MAC table (VLAN 0),
                                              // keeping gateway-port entries whose holder died
        store::Subscription ownerSub, macSub;
        bool ours = false;                    // owner == local, and taken over
        uint64_t announceAgainMs = 0;         // second announcement due (0: none)
    };

    void onOwner(const Key &k, const store::Change &c);
    void onMac(const Key &k, const store::Change &c);
    void watchMacs(const Key &k);
    // Sets the owner; returns tags to invalidate and whether this host just became active.
    std::vector<flow::FlowTag> setOwnerLocked(const Key &k, Group &g, std::optional<util::Uuid> owner,
                                              bool *tookOver);
    void tryClaim(const Key &k);
    void takeOver(const Key &k);
    size_t announce(const Key &k);
    void fire(const std::vector<flow::FlowTag> &tags);

    store::Store &store_;
    TopologyCache &topology_;
    LocalPorts &ports_;
    dp::Datapath &dp_;
    util::Uuid hostId_;
    Hooks hooks_;

    mutable std::mutex mu_;
    std::unordered_map<Key, std::unique_ptr<Group>, KeyHash> groups_;
    std::unordered_map<util::Uuid, Key> groupOfPort_;
    uint64_t takeovers_ = 0, announced_ = 0, relearned_ = 0;
};

} // namespace midonet::agent
