// TopologySnapshot: the simulation's own immutable, in-memory view of the virtual topology
// (bridges, routers, ports, routes, chains with their rules, port groups, IP address groups,
// load balancers with VIPs, pools and members, hosts). The agent fills one from the object model
// (common/model) and the NSDB, calls finalize(), and hands it to every simulation as a
// shared_ptr<const TopologySnapshot>; a change builds a new snapshot.
//
// The structs are plain data named after MidoNet's objects (DESIGN.md "Names of things"); a nil
// Uuid means "none" (no chain, no peer, ...). Rules live inside their chain, in list order.
//
// Invariants (after finalize()):
// - Every index (bridge exterior ports, router ports on a bridge, VLAN ports, routes per router)
//   is consistent with the objects; lookups of unknown ids return nullptr, never throw.
// - Each router has a LOCAL /32 route for each of its ports' addresses and a route for each
//   port's subnet through that port, unless the snapshot already holds one (the cluster creates
//   both when a router port is created; tests and the agent need not repeat them).
// - Each router's routes are sorted longest prefix first, then by weight, then as given, and
//   routeTable() indexes exactly that list (detail/route_table.h).
// - anyFlowCondition() is true iff some rule tests connection tracking (`flow`); see
//   agent/simulation/README.md for why conntrack registration depends on it.
//
// Thread-safety: build and finalize on one thread; after finalize() the snapshot is never
// modified and any number of threads may simulate against it concurrently.
#pragma once

#include "common/util/net_types.h"
#include "common/util/uuid.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace midonet::sim {

using util::IPv4Address;
using util::IPv4Subnet;
using util::MacAddress;
using util::Uuid;

namespace detail {
class RouteTable; // detail/route_table.h
}

enum class DeviceType : uint8_t { Bridge, Router };

struct Host {
    Uuid id;
    IPv4Address tunnelIp; // the address other hosts tunnel to
};

struct Port {
    Uuid id;
    Uuid deviceId;
    DeviceType deviceType = DeviceType::Bridge;
    bool adminUp = true;
    Uuid inboundFilter, outboundFilter;
    std::vector<Uuid> portGroups;
    // Interior: linked to peerId. Exterior: bound to an interface on hostId. Neither: unplugged.
    Uuid peerId;
    Uuid hostId;
    bool active = true;        // exterior: the binding is up (an L2 gateway port: elected active)
    uint32_t tunnelKey = 0;    // overlay key other hosts use to reach this port
    uint32_t dpPortNo = 0;     // datapath port number, meaningful when hostId is the local host
    // Bridge interior port with a VLAN: the bridge is VLAN-aware. Bridge exterior port with a
    // VLAN: an L2 gateway port on a trunk (frames come in tagged with it, tag popped; leave
    // tagged with it).
    uint16_t vlanId = 0;
    // Router ports only.
    MacAddress mac;
    IPv4Subnet address;        // port IP and its subnet length; 0.0.0.0/0 = no address
    bool container = false;    // service container port: TTL is not decremented

    bool isInterior() const { return !peerId.isNil(); }
    bool isExterior() const { return !hostId.isNil(); }
    bool hasAddress() const { return address.address.value != 0; }
    IPv4Address ip() const { return address.address; }
};

enum class NextHop : uint8_t { Port, Blackhole, Reject, Local };

struct Route {
    Uuid id;
    IPv4Subnet src;            // 0.0.0.0/0 matches any source
    IPv4Subnet dst;
    NextHop nextHop = NextHop::Port;
    Uuid nextHopPort;
    IPv4Address gateway;       // 0.0.0.0 = none (destination is on-link)
    uint32_t weight = 100;
    bool learned = false;      // from BGP; behaves the same
};

struct Router {
    Uuid id;
    std::string name;
    bool adminUp = true;
    Uuid inboundFilter, outboundFilter;
    Uuid loadBalancer;
    std::vector<Route> routes;
};

struct Bridge {
    Uuid id;
    std::string name;
    bool adminUp = true;
    Uuid inboundFilter, outboundFilter;
    // Seeded IP -> MAC entries (enable_bridge_arp): the bridge answers ARP for these itself.
    std::unordered_map<IPv4Address, MacAddress> ipMacTable;
};

// ---- chains and rules (reference PART B2-B4) ----

enum class RuleAction : uint8_t { Accept, Continue, Drop, Jump, Reject, Return };
enum class RuleKind : uint8_t { Literal, Jump, Dnat, Snat, RevDnat, RevSnat };
enum class FragmentPolicy : uint8_t { Any, Header, Nonheader, Unfragmented };

// One optional condition field with its own "!" flag.
template <class T> struct CondField {
    std::optional<T> value;
    bool invert = false;
    bool set() const { return value.has_value(); }
};

struct PortRange {
    uint16_t start = 0, end = 0; // inclusive
    bool contains(uint16_t v) const { return v >= start && v <= end; }
};

// One bit per condition field, in evaluation order (Condition::fieldsSet).
enum CondBit : uint32_t {
    kCondFlow = 1u << 0, kCondNoVlan = 1u << 1, kCondVlan = 1u << 2, kCondPortGroup = 1u << 3,
    kCondInPortGroup = 1u << 4, kCondOutPortGroup = 1u << 5, kCondInPorts = 1u << 6,
    kCondOutPorts = 1u << 7, kCondEtherType = 1u << 8, kCondEthSrc = 1u << 9,
    kCondEthDst = 1u << 10, kCondTos = 1u << 11, kCondProto = 1u << 12, kCondNwSrc = 1u << 13,
    kCondNwDst = 1u << 14, kCondTpSrc = 1u << 15, kCondTpDst = 1u << 16,
    kCondAddrGroupSrc = 1u << 17, kCondAddrGroupDst = 1u << 18, kCondTraversed = 1u << 19,
    kCondIcmpData = 1u << 20, kCondDstRewritten = 1u << 21,
};

struct Condition {
    FragmentPolicy fragmentPolicy = FragmentPolicy::Any;
    // Derived by TopologySnapshot::finalize() (computeFieldsSet()): which fields are set, so
    // evaluation skips absent ones without touching their storage. Chains with 1,000 rules
    // are long scans; this keeps each rule to a cache line or two.
    uint32_t fieldsSet = 0;
    void computeFieldsSet();
    std::optional<bool> matchForwardFlow; // true: fwd-flow, false: return-flow; no invert
    bool conjunctionInv = false;          // `inverted yes`: inverts all but fragment-policy
    bool noVlan = false;
    bool noVlanInv = false;
    CondField<uint16_t> vlan;
    CondField<Uuid> portGroup, inPortGroup, outPortGroup;
    std::vector<Uuid> inPorts;
    bool inPortsInv = false;
    std::vector<Uuid> outPorts;
    bool outPortsInv = false;
    CondField<uint16_t> etherType;
    CondField<MacAddress> ethSrc, ethDst;
    uint64_t ethSrcMask = 0xffffffffffffULL, ethDstMask = 0xffffffffffffULL;
    CondField<uint8_t> nwTos, nwProto;
    CondField<IPv4Subnet> nwSrc, nwDst;
    CondField<PortRange> tpSrc, tpDst; // ICMP: type and code
    CondField<Uuid> ipAddrGroupSrc, ipAddrGroupDst;
    CondField<Uuid> traversedDevice;
    CondField<IPv4Subnet> icmpDataSrc, icmpDataDst;
    bool matchNwDstRewritten = false;
    bool nwDstRewrittenInv = false;
};

struct NatTarget {
    IPv4Address addressFrom, addressTo;
    uint16_t portFrom = 0, portTo = 0; // 0-0 on every target: static NAT
};

struct Rule {
    Uuid id;
    RuleKind kind = RuleKind::Literal;
    RuleAction action = RuleAction::Accept; // literal result, or NAT rules' accept/continue/return
    Condition cond;
    Uuid jumpTo;                            // kind Jump
    std::vector<NatTarget> natTargets;      // kind Dnat / Snat
};

// The fields most rules test (ethertype, TOS, protocol, addresses, ports), packed into a few
// dozen bytes per rule. Derived by finalize(), one per rule in chain order: a long chain is
// scanned through this array and a rule's full Condition is read only when it also sets other
// fields.
struct CompactCondition {
    uint32_t fieldsSet = 0;
    FragmentPolicy fragmentPolicy = FragmentPolicy::Any;
    bool conjunctionInv = false;
    uint8_t inverts = 0; // bit 0 ethertype, 1 tos, 2 proto, 3 src, 4 dst, 5 tp-src, 6 tp-dst
    uint8_t tos = 0, proto = 0;
    uint8_t srcLength = 0, dstLength = 0;
    uint16_t etherType = 0;
    uint32_t srcNet = 0, srcMask = 0, dstNet = 0, dstMask = 0;
    PortRange tpSrc, tpDst;
    static CompactCondition from(const Condition &c);
};

// Condition bits that live only in the full Condition.
inline constexpr uint32_t kCondNotCompact =
    kCondFlow | kCondNoVlan | kCondVlan | kCondPortGroup | kCondInPortGroup | kCondOutPortGroup |
    kCondInPorts | kCondOutPorts | kCondEthSrc | kCondEthDst | kCondAddrGroupSrc |
    kCondAddrGroupDst | kCondTraversed | kCondIcmpData | kCondDstRewritten;

struct Chain {
    Uuid id;
    std::string name;
    std::vector<Rule> rules;
    std::vector<CompactCondition> compact; // derived by finalize()
};

struct PortGroup {
    Uuid id;
    bool stateful = false;
};

struct IpAddrGroup {
    Uuid id;
    std::vector<IPv4Address> addresses; // finalize() sorts them
};

// ---- L4 load balancing (reference B8) ----

enum class MemberStatus : uint8_t { Active, Inactive };

struct PoolMember {
    Uuid id;
    IPv4Address address;
    uint16_t port = 0;
    uint32_t weight = 1;
    bool adminUp = true;
    MemberStatus status = MemberStatus::Active;
    bool isActive() const { return weight > 0 && adminUp && status == MemberStatus::Active; }
};

struct Pool {
    Uuid id;
    Uuid loadBalancerId;
    bool adminUp = true;
    bool stickySourceIp = false;
    std::vector<PoolMember> members;
    bool isUp() const;
};

struct Vip {
    Uuid id;
    Uuid loadBalancerId;
    Uuid poolId;
    IPv4Address address;
    uint16_t port = 0;
    bool adminUp = true;
    bool stickySourceIp = false;
};

struct LoadBalancer {
    Uuid id;
    bool adminUp = true;
    std::vector<Uuid> vips; // in match order
};

class TopologySnapshot {
public:
    // The host this agent runs on, and the datapath port that carries tunnelled traffic.
    Uuid localHost;
    uint32_t tunnelDpPort = 0;

    // Building (before finalize()). Adding an id twice replaces the earlier object.
    void addHost(Host h) { hosts_[h.id] = std::move(h); }
    void addPort(Port p) { ports_[p.id] = std::move(p); }
    void addBridge(Bridge b) { bridges_[b.id] = std::move(b); }
    void addRouter(Router r) { routers_[r.id] = std::move(r); }
    void addChain(Chain c) { chains_[c.id] = std::move(c); }
    void addPortGroup(PortGroup g) { portGroups_[g.id] = std::move(g); }
    void addIpAddrGroup(IpAddrGroup g) { ipAddrGroups_[g.id] = std::move(g); }
    void addLoadBalancer(LoadBalancer lb) { loadBalancers_[lb.id] = std::move(lb); }
    void addPool(Pool p) { pools_[p.id] = std::move(p); }
    void addVip(Vip v) { vips_[v.id] = std::move(v); }
    // Builds the indices and implicit routes. Call once, after the last add.
    void finalize();
    bool finalized() const { return finalized_; }

    // Lookups: nullptr when unknown.
    const Host *host(const Uuid &id) const { return find(hosts_, id); }
    const Port *port(const Uuid &id) const { return find(ports_, id); }
    const Bridge *bridge(const Uuid &id) const { return find(bridges_, id); }
    const Router *router(const Uuid &id) const { return find(routers_, id); }
    const Chain *chain(const Uuid &id) const { return find(chains_, id); }
    const PortGroup *portGroup(const Uuid &id) const { return find(portGroups_, id); }
    const IpAddrGroup *ipAddrGroup(const Uuid &id) const { return find(ipAddrGroups_, id); }
    const LoadBalancer *loadBalancer(const Uuid &id) const { return find(loadBalancers_, id); }
    const Pool *pool(const Uuid &id) const { return find(pools_, id); }
    const Vip *vip(const Uuid &id) const { return find(vips_, id); }

    // Derived (finalize()).
    struct BridgeIndex {
        std::vector<Uuid> exteriorPorts;                     // flood set
        std::vector<Uuid> vlanPorts;                         // interior ports with a VLAN id
        std::unordered_map<MacAddress, Uuid> routerPortByMac; // bridge port whose peer has the MAC
        std::unordered_map<IPv4Address, Uuid> routerPortByIp; // bridge port whose peer has the IP
        bool vlanAware = false;
    };
    const BridgeIndex *bridgeIndex(const Uuid &bridge) const { return find(bridgeIndex_, bridge); }
    bool anyFlowCondition() const { return anyFlowCondition_; }
    bool ipInGroup(const Uuid &group, IPv4Address ip) const;
    bool anyStickyPool(const Uuid &loadBalancer) const;
    bool routerHasSourceRoutes(const Uuid &router) const;
    // The router's longest-prefix-match index over its routes; nullptr for an unknown router.
    const detail::RouteTable *routeTable(const Uuid &router) const;

private:
    template <class M> static const typename M::mapped_type *find(const M &m, const Uuid &id)
    {
        auto it = m.find(id);
        return it == m.end() ? nullptr : &it->second;
    }

    std::unordered_map<Uuid, Host> hosts_;
    std::unordered_map<Uuid, Port> ports_;
    std::unordered_map<Uuid, Bridge> bridges_;
    std::unordered_map<Uuid, Router> routers_;
    std::unordered_map<Uuid, Chain> chains_;
    std::unordered_map<Uuid, PortGroup> portGroups_;
    std::unordered_map<Uuid, IpAddrGroup> ipAddrGroups_;
    std::unordered_map<Uuid, LoadBalancer> loadBalancers_;
    std::unordered_map<Uuid, Pool> pools_;
    std::unordered_map<Uuid, Vip> vips_;
    std::unordered_map<Uuid, BridgeIndex> bridgeIndex_;
    std::unordered_map<Uuid, bool> routerSourceRoutes_;
    std::unordered_map<Uuid, std::shared_ptr<const detail::RouteTable>> routeTables_;
    std::unordered_map<Uuid, bool> lbSticky_;
    bool anyFlowCondition_ = false;
    bool finalized_ = false;
};

// A deterministic id derived from another (implicit routes): stable across snapshots.
Uuid derivedId(const Uuid &base, uint64_t salt);

} // namespace midonet::sim
