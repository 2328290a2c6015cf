// BgpGateway: the L3 gateway of ONE exterior router port bound on this host (the "uplink"):
// a service namespace with the port's MAC and IP (service_namespace.h), its veth end in the
// datapath as a service port (service_ports.h), and a BGP speaker (gateway/bgp) running in
// that namespace with the router's AS, the router's BGP peers that sit in the port's subnet
// and the router's BGP networks.
//
// With a BFD configuration (midonet-agent --bgp-bfd-interval-ms) every peer also runs BFD
// (gateway/bfd, UDP 3784 steered like BGP): its failure ends the BGP session at once, well
// before the hold timer.
//
// What it writes to the NSDB, all ephemeral (gone when this agent's session ends):
//   routers/<router>/learned_routes/<port>.<bucket>   best routes learned (learned_routes.h);
//                                                     next hop = the route's BGP next hop if it
//                                                     is in the port's subnet, else the peer
//   bgp_peers/<peer>/status                           {"sessionState","prefixesReceived",
//                                                     "prefixesAdvertised","establishedAtMs"
//                                                     (wall clock, 0 unless Established),
//                                                     "hostId","portId"}
// Writes are batched: flush() writes only dirty route buckets and changed statuses, and
// statuses at most once a second per peer.
//
// Invariants: the published routes are exactly the speaker's IPv4 loc-RIB (as of the last
// flush); a peer removed from the spec is removed from the speaker without touching the other
// sessions; a spec whose AS or address changed needs a new BgpGateway (the caller does that).
// Thread-safety: start/update/flush/stop from one thread (the gateway manager's); the speaker
// calls the observer methods on its own thread; status() from any thread.
#pragma once

#include "agent/datapath/datapath.h"
#include "common/model/learned_routes.h"
#include "agent/gateway/service_ports.h"
#include "common/model/bgp.h"
#include "common/store/store.h"
#include "gateway/bgp/speaker.h"

#include <nlohmann/json.hpp>

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <vector>

namespace midonet::agent {

struct GatewaySpec {
    util::Uuid port, router;
    util::MacAddress mac;
    util::IPv4Subnet address; // port IP and prefix length
    uint32_t localAs = 0;
    std::vector<model::BgpPeer> peers; // of the router, in the port's subnet
    std::vector<util::IPv4Subnet> networks;
    bool operator==(const GatewaySpec &) const = default;
};

class BgpGateway : public gateway::bgp::SpeakerObserver {
public:
    BgpGateway(store::Store &store, dp::Datapath &dp, ServicePorts &services, util::Uuid hostId,
               GatewaySpec spec, uint32_t uplinkDpPort, std::optional<gateway::bfd::SessionConfig> bfd = {});
    ~BgpGateway() override;

    // Throws std::runtime_error (namespace, datapath port or speaker failed).
    void start();
    // Peers and networks only; AS/address/MAC changes need a restart (needsRestart()).
    void update(const GatewaySpec &spec);
    bool needsRestart(const GatewaySpec &spec, uint32_t uplinkDpPort) const;
    void flush();
    void stop();

    const GatewaySpec &spec() const { return spec_; }
    nlohmann::json status() const;

private:
    void routesChanged(std::span<const gateway::bgp::RouteChange> changes) override;
    void peerStateChanged(const gateway::bgp::PeerStatus &peer) override;
    gateway::bgp::PeerConfig peerConfig(const model::BgpPeer &p) const;
    void writeStatuses(bool force);

    store::Store &store_;
    dp::Datapath &dp_;
    ServicePorts &services_;
    util::Uuid hostId_;
    GatewaySpec spec_;
    uint32_t uplinkDpPort_ = 0;
    std::optional<gateway::bfd::SessionConfig> bfd_; // BFD with every peer (RFC 5882), if set
    uint32_t serviceDpPort_ = 0;
    std::string nsName_;
    std::unique_ptr<gateway::bgp::Speaker> speaker_;

    mutable std::mutex mu_; // guards routes_, statusDirty_
    model::LearnedRouteBuckets routes_;
    bool statusDirty_ = true;

    std::map<util::Uuid, std::string> writtenStatus_; // peer id -> last JSON written
    uint64_t lastStatusMs_ = 0;
    std::atomic<uint64_t> routeWrites_{0};
};

} // namespace midonet::agent
