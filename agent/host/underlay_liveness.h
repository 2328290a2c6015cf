// UnderlayLiveness: agent-to-agent liveness over the underlay with BFD (RFC 5880, multi-hop
// RFC 5883, the gateway/bfd manager), so that a dead gateway host stops receiving this host's traffic within
// the BFD detection time (100 ms x 3 by default) instead of when its ZooKeeper session expires
// (seconds: until then its learned routes and bound ports look alive to everyone).
//
// Which sessions: this host runs one with host B iff both are members of a common tunnel zone
// and this host or B is a gateway host (agent/topology/gateway_ports.h livenessHosts: it binds
// an exterior router port whose router has a BGP peer in the port's subnet, or an L2 gateway
// port: an exterior bridge port with a vlanId). The predicate reads only what
// every agent loads whole (ports, bgp_peers, tunnel_zones), so A and B compute the same answer
// and both create the session: a gateway talks to every host of its zones, other hosts talk to
// the gateways.
// The session's addresses are the two hosts' addresses in the first (lowest id) zone they share.
//
// Hop mode: always multi-hop (RFC 5883, UDP 4784), on a shared L2 segment too. Both ends must
// pick the same mode (a single-hop end and a multi-hop end never hear each other), and the only
// rule both compute identically without shared knowledge is a constant: the model does not
// carry the underlay's prefix length (a tunnel zone member is one address), and a per-agent
// flag can differ between hosts and would then silently leave sessions down. Multi-hop costs
// nothing on a flat underlay (packets still leave with TTL 255) and works on a routed one
// (leaf-spine, hosts in different subnets). What it gives up is single hop's TTL-255 guard
// against off-link senders; instead a received packet must have crossed at most `maxHops`
// routers (TTL >= 255 - maxHops), a local check that need not match between hosts.
//
// What a session changes: once a session has been Up, leaving Up for Down or Init (detection
// time expired, or the peer says Down) makes B "unreachable here": B's gateway ports are
// inactive in this agent's snapshots (buildSnapshot() via LocalBindings::hostReachable), so the
// virtual router's route lookup skips routes via them (ECMP spreads over the other gateways).
// Exactly the flows that depended on those ports (their device tags) are invalidated. Up again:
// active again, and the flows of the ports' routers are invalidated so ECMP spreads over B again.
// Only gateway ports: a VM port has no other path, and an agent that crashed may leave a kernel
// datapath that still delivers to it (agent restart keeps traffic flowing), so B's other ports
// stay as they are.
//
// Invariants:
//  - a session that never came Up never makes a host unreachable (an agent without this
//    feature or from before multi-hop (single hop on 3784), a host still starting, a firewall
//    dropping UDP 4784: all look like "no news");
//  - the peer stopping on purpose (AdminDown: a clean agent stop, RFC 5882 §3.2) and a session
//    removed here (B no longer a gateway peer of ours) never make it unreachable either;
//  - a host is unreachable only while its session exists and is not Up after having been Up;
//  - the callback runs after the unreachable set changed, never with the lock held.
//
// Limits: IPv4 tunnel-zone addresses only; no BFD authentication (RFC 5880 §6.7), so the TTL
// floor is the only guard against forged packets.
//
// Thread-safety: start()/stop() from the agent's main thread. The BFD manager, its callbacks and
// reconcile run on this object's own thread (an io_context, reconcile every 200 ms).
// hostReachable() and status() may be called from any thread (the snapshot builder calls
// hostReachable() with the topology cache's lock held, so this class never calls into the
// topology cache with its own lock held).
#pragma once

#include "agent/topology/gateway_ports.h"
#include "agent/topology/topology_cache.h"
#include "common/flow/flow_tag.h"
#include "gateway/bfd/manager.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <nlohmann/json.hpp>

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace midonet::agent {

struct UnderlayLivenessConfig {
    std::chrono::milliseconds interval{100}; // BFD desired min TX = required min RX
    uint8_t multiplier = 3;                  // packets missed before the host is unreachable
    uint16_t port = gateway::bfd::kMultihopControlPort; // UDP port, the same on every host
    uint8_t maxHops = 16;                    // routers allowed between two hosts (TTL floor)
};

struct UnderlayPeer {
    util::IPv4Address address; // the peer's address in the shared tunnel zone
    util::IPv4Address local;   // ours in the same zone
    bool operator==(const UnderlayPeer &) const = default;
};
// How the agent's BFD manager listens and what every session is (multi-hop, see above): the
// agent uses these, and tests that stand for two agents use them too.
gateway::bfd::Manager::Options livenessManagerOptions(const UnderlayLivenessConfig &c);
gateway::bfd::SessionConfig livenessSessionConfig(const UnderlayLivenessConfig &c, const UnderlayPeer &peer);

// The hosts `self` runs a liveness session with (see the header comment), with addresses.
std::map<util::Uuid, UnderlayPeer> livenessPeers(const ModelSet &m, const util::Uuid &self);

// The gateway ports bound on `host`, with their routers (for flow tags and log lines).
std::vector<std::pair<util::Uuid, util::Uuid>> gatewayPortsOf(const ModelSet &m, const util::Uuid &host);

// The flow tags to invalidate when `host` becomes unreachable (`down`) or reachable again.
std::vector<flow::FlowTag> livenessTags(const ModelSet &m, const util::Uuid &host, bool down);

// What one BFD state change means for the peer host (the invariants above, as a pure function):
// Unreachable, Reachable again, or no change. `wasEverUp`: the session had been Up before.
enum class LivenessVerdict { NoChange, Unreachable, Reachable };
LivenessVerdict judge(gateway::bfd::State from, gateway::bfd::State to, gateway::bfd::State remoteState,
                      bool wasEverUp);

class UnderlayLiveness {
public:
    // Called (on this object's thread) after a host became unreachable or reachable again, with
    // the tags whose flows must go. The agent marks its snapshot stale and invalidates them.
    using Changed = std::function<void(const std::vector<flow::FlowTag> &tags)>;

    UnderlayLiveness(TopologyCache &topology, util::Uuid self, UnderlayLivenessConfig config, Changed changed);
    ~UnderlayLiveness(); // stop()
    UnderlayLiveness(const UnderlayLiveness &) = delete;
    UnderlayLiveness &operator=(const UnderlayLiveness &) = delete;

    // Opens the BFD port and starts the thread. A port that cannot be bound is logged and
    // liveness stays off (status says why): the agent works as without it.
    void start();
    void stop();

    // False only for a host whose session had been Up and is not Up now.
    bool hostReachable(const util::Uuid &host) const;
    // When this host saw `host` become unreachable (the verdict's time, this host's clock); none
    // while it is reachable. The L2 gateway takes a VLAN over only from a holder that became
    // unreachable after its claim was seen (agent/gateway/l2_gateway.h).
    std::optional<std::chrono::steady_clock::time_point> unreachableSince(const util::Uuid &host) const;
    nlohmann::json status() const;

private:
    void tick();      // own thread: reconcile, then re-arm the timer
    void reconcile(); // own thread: sessions follow livenessPeers()
    void onChange(const gateway::bfd::StateChange &c); // own thread
    void setUnreachable(const util::Uuid &host, bool unreachable, const std::string &why);

    struct Peer {
        util::Uuid host;
        UnderlayPeer addr;
        bool everUp = false;
        gateway::bfd::State state = gateway::bfd::State::Down;
        std::chrono::steady_clock::time_point since = std::chrono::steady_clock::now();
    };

    TopologyCache &topology_;
    util::Uuid self_;
    UnderlayLivenessConfig config_;
    Changed changed_;
    boost::asio::io_context io_;
    std::unique_ptr<gateway::bfd::Manager> bfd_;
    std::unique_ptr<boost::asio::steady_timer> timer_;
    std::thread thread_;
    std::atomic<bool> running_{false};
    // Own thread only: a session that could not be added is retried after a pause, not every pass.
    std::map<util::Uuid, std::chrono::steady_clock::time_point> retryAfter_;

    mutable std::mutex mu_; // guards everything below
    std::map<util::Uuid, Peer> peers_;          // by host
    std::unordered_map<util::Uuid, std::chrono::steady_clock::time_point> unreachable_; // -> since
    std::string problem_;                       // why liveness is off, if it is
    uint64_t downEvents_ = 0;
};

} // namespace midonet::agent
