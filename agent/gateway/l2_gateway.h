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
// watch callback. That is the slow path (a production session lasts seconds); the fast one:
//
// Taking over from a dead holder (the underlay's verdict). L2 gateway hosts run agent-to-agent
// BFD with every host of their tunnel zones (agent/host/underlay_liveness.h,
// livenessHosts() in agent/topology/gateway_ports.h), so each standby follows the holder's
// host. On every reconcile (binder thread, 200 ms) a standby whose holder's host became
// unreachable here (a session that had been Up went Down: 3 x 100 ms by default) replaces the
// entry with its own at once (Store::takeOverEphemeral: only if it still names that holder's
// port, delete at the version read + create-if-absent in one ZooKeeper multi; ZooKeeper lets
// any session delete another's ephemeral), without waiting for the session expiry. The rule
// (shouldTakeOver): take over iff this host is a standby of the group, the holder's host is
// unreachable here, it became so after this host first saw the entry name the holder, and the
// holder is not the one that displaced this host (below). Split-brain cases:
//  (a) The old holder is alive, only the underlay between the two broke (both still reach
//      ZooKeeper and the physical switch). The new holder's replace fires the old holder's watch
//      (ZooKeeper may report it as a delete then a create; a delete is re-read, so the old
//      holder sees the entry name another port, not a free entry): portActive() of its port turns
//      false there and its flows are invalidated, a ZooKeeper round trip after the takeover;
//      the new holder announces meanwhile. Frames can come out twice only during that window
//      (milliseconds; the e2e sees no DUP!). The old holder remembers who displaced it.
//  (b) Both see each other unreachable (a broken underlay is seen from both ends, up to a
//      detection time apart). Only the standby acts: the holder holds already. Several
//      standbys racing replace the same holder's entry: the multi is create-if-absent, so one
//      entry, one holder results (a late racer may replace the first winner's fresh entry when
//      both read the same version; still one holder, who then announces). The displaced host
//      does not take the entry back though it sees the new holder unreachable: a holder that
//      became unreachable before we saw its claim is excluded by the time rule, and the one
//      that displaced us is excluded until its host has been reachable 2 s after the takeover
//      (our verdict on it may come up to a detection time after its verdict on us); without
//      this the entry would bounce between the two every reconcile.
//  (c) The holder comes back (agent restarted, underlay healed): the entry names another port,
//      so it stays standby (a later expiry of its own session re-creates the entry only if it
//      is free by then: create-if-absent, like a claim).
// Not covered: a holder cut off from both ZooKeeper and the other gateways but still on the
// physical switch keeps forwarding until its own session expires (it does not know it lost the
// entry) while the standby took over: duplicates during that time. A standby whose session
// with the holder never came Up (started after the holder died) waits for the session expiry.
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
// Hooks::unreachableSince is called from reconcile() without the internal lock held.
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

#include <chrono>
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
        // When this host saw `host` become unreachable over the underlay; none while reachable
        // (UnderlayLiveness::unreachableSince). Unset: takeovers wait for the session expiry.
        std::function<std::optional<std::chrono::steady_clock::time_point>(const util::Uuid &host)>
            unreachableSince;
    };

    // The takeover decision (see "Taking over from a dead holder" above), as a pure function.
    // `standby`: a port of the group is bound here and the entry names another host's port.
    // `holderUnreachableSince`: when the holder's host became unreachable here (none: reachable).
    // `holderSeenSince`: when this host first saw the entry name the current holder.
    // `displacedByHolder`: the holder took the entry over from this host while this host held
    // it, and its host has not been seen reachable since.
    using Clock = std::chrono::steady_clock;
    static bool shouldTakeOver(bool standby, std::optional<Clock::time_point> holderUnreachableSince,
                               Clock::time_point holderSeenSince, bool displacedByHolder);

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
        std::unordered_map<util::Uuid, util::Uuid> hostOf; // port -> its host, every port
        Clock::time_point ownerSince = Clock::now(); // when `owner` was first seen
        std::optional<util::Uuid> displacedBy; // took the entry from us while we held it
        bool ours = false;                    // owner == local, and taken over
        uint64_t announceAgainMs = 0;         // second announcement due (0: none)
    };

    void onOwner(const Key &k, const store::Change &c);
    void onMac(const Key &k, const store::Change &c);
    void watchMacs(const Key &k);
    // Sets the owner; returns tags to invalidate and whether this host just became active.
    std::vector<flow::FlowTag> setOwnerLocked(const Key &k, Group &g, std::optional<util::Uuid> owner,
                                              bool *tookOver);
    // Claims the entry if free; with `stale`, replaces it if it still names that port.
    void tryClaim(const Key &k, std::optional<util::Uuid> stale = std::nullopt);
    void takeOver(const Key &k);
    // Binder thread: replaces the entry of every group whose holder's host shouldTakeOver().
    void takeOverFromUnreachable();
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
