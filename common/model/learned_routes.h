// Learned routes (and BGP session status) in the NSDB: how a gateway agent publishes the best routes its BGP speaker
// learned, and how every agent reads them back into its router's table.
//
// Layout: state table routers/<router id>/learned_routes, EPHEMERAL entries (they vanish with
// the session of the agent that wrote them, so a dead gateway's routes leave every table
// without anyone cleaning up). One route per line would mean one ZooKeeper write per route;
// instead routes are hashed by prefix into kBuckets chunks per uplink port:
//   key    <uplink port id>.<bucket>          bucket = 0..kBuckets-1
//   value  "<a.b.c.d/len> <next hop>\n" ...    sorted, no duplicates
// 100,000 routes are 64 entries of ~1,600 lines (~45 kB each, far below ZooKeeper's 1 MB).
// A bucket that becomes empty is written empty, not removed: a withdrawal is then always a data
// change of one entry for the watchers. Entries go when the gateway stops (removeAll) or when
// its ZooKeeper session ends.
//
// A decoded route: routerId = the table's router, nextHopPort = the uplink port of the key,
// nextHopGateway = the line's next hop, type Normal, weight kWeight (equal on every gateway,
// so the simulation's ECMP spreads over them), learned = true, and an id derived from (port,
// prefix), stable across rewrites so the snapshot's ECMP order is stable.
//
// Thread-safety: LearnedRouteBuckets is not synchronised (its owner locks); the codec
// functions are pure.
#pragma once

#include "common/model/route.h"
#include "common/store/store.h"
#include "common/util/net_types.h"
#include "common/util/uuid.h"

#include <array>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace midonet::model {

inline constexpr const char *kLearnedRoutesTable = "learned_routes";
// The session status of a BGP peer: ephemeral child bgp_peers/<peer id>/status written by the
// agent running the session, JSON {"sessionState", "prefixesReceived", "prefixesAdvertised",
// "establishedAtMs" (wall clock ms, 0 unless Established), "hostId", "portId"}. The API turns
// it into the BgpPeer's read-only fields (uptimeSeconds = now - establishedAtMs).
inline constexpr const char *kBgpPeerStatusName = "status";
inline constexpr int32_t kLearnedRouteWeight = 100;

store::TableRef learnedRoutesTable(const util::Uuid &router);

// Decodes one entry; lines that do not parse are skipped (and counted in *bad if given).
// nullopt when the key is not "<uuid>.<n>".
std::optional<std::vector<Route>> decodeLearnedRoutes(const util::Uuid &router, std::string_view key,
                                                             std::string_view value, size_t *bad = nullptr);

class LearnedRouteBuckets {
public:
    static constexpr unsigned kBuckets = 64;

    explicit LearnedRouteBuckets(util::Uuid uplinkPort) : port_(uplinkPort) {}

    // Sets (gateway) or removes (nullopt) the route for `dst`; marks its bucket dirty if it changed.
    void set(util::IPv4Subnet dst, std::optional<util::IPv4Address> gateway);
    void clear(); // every route gone (session down, gateway stopped)
    size_t size() const;
    bool dirty() const;

    // The dirty buckets as (bucket, encoded value; empty = no routes left), dirty marks
    // cleared. Cheap enough to run under the owner's lock; write() then runs outside it.
    std::vector<std::pair<unsigned, std::string>> takeDirty();
    void markDirty(unsigned bucket) { dirty_[bucket % kBuckets] = true; }
    // Writes taken buckets (putEntry ephemeral, empty values included). A write that throws
    // leaves the rest unwritten and rethrows; *done counts those written.
    void write(store::Store &store, const util::Uuid &router,
               const std::vector<std::pair<unsigned, std::string>> &taken, size_t *done) const;
    // takeDirty() + write(); a failed bucket is marked dirty again. Returns the number of writes.
    size_t flush(store::Store &store, const util::Uuid &router);
    // Removes every bucket entry this port may have written (gateway stopped).
    static void removeAll(store::Store &store, const util::Uuid &router, const util::Uuid &port);

private:
    static unsigned bucketOf(util::IPv4Subnet dst);
    util::Uuid port_;
    std::array<std::map<util::IPv4Subnet, util::IPv4Address>, kBuckets> buckets_;
    std::array<bool, kBuckets> dirty_{};
};

} // namespace midonet::model
