// StateTables: the shared state a simulation reads (reference B5, B7, B9): bridge MAC tables
// (per VLAN), router ARP caches, connection-tracking keys, NAT bindings and the NAT port blocks
// this host has leased. The simulation never writes them: it returns StateChange values and
// the agent applies them (apply() does exactly that, for the agent and for tests), publishes
// them to the NSDB or to peer hosts, and invalidates flows by the changed keys' tags.
//
// Keys and their meaning:
// - MAC: (bridge, vlan, mac) -> port. VLAN 0 unless the bridge is VLAN-aware.
// - ARP: (router, ip) -> entry; an entry may record a failed resolution (ARP timed out).
// - ConnTrackKey (src, srcPort, dst, dstPort, proto, device): present = RETURN traffic for the
//   connection whose reverse tuple was recorded on egress. ICMP uses its id as both ports.
// - NatKey (type, src, srcPort, dst, dstPort, proto, device) -> NatBinding. Each new binding is
//   written as a forward key and the mirrored reverse key.
// - NAT blocks: (device, ip) -> 64-port blocks (block b = ports 64b .. 64b+63) this host owns,
//   and blocks other hosts hold.
//
// Invariants: time is milliseconds on the caller's clock; entries carry their own expiry where
// the simulation must judge it (ARP: stale after arpStaleMs, gone after arpExpiryMs, MidoNet's
// defaults), everything else is removed by the agent (MacForgotten, ArpForgotten).
// Thread-safety: none inside. The agent gives each simulation a table it does not modify during
// that simulation (for example, a snapshot, or simulations and apply() on one thread).
#pragma once

#include "agent/simulation/topology.h"

#include <cstdint>
#include <functional>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace midonet::sim {

struct MacKey {
    Uuid bridge;
    uint16_t vlan = 0;
    MacAddress mac;
    bool operator==(const MacKey &) const = default;
};

struct ArpKey {
    Uuid router;
    IPv4Address ip;
    bool operator==(const ArpKey &) const = default;
};

struct ArpEntry {
    MacAddress mac;
    bool failed = false;              // resolution timed out: ICMP host unreachable
    uint64_t expiresAtMs = UINT64_MAX; // after this the entry is as good as missing
    uint64_t staleAtMs = UINT64_MAX;   // after this it is still used, but the router re-asks
};

struct ConnTrackKey {
    IPv4Address src, dst;
    uint16_t srcPort = 0, dstPort = 0;
    uint8_t proto = 0;
    Uuid device;
    bool operator==(const ConnTrackKey &) const = default;
    uint64_t hash() const;
    std::string toString() const;
};

enum class NatKeyType : uint8_t { FwdSnat, RevSnat, FwdDnat, RevDnat, FwdStickyDnat, RevStickyDnat };
const char *toString(NatKeyType t);

struct NatKey {
    NatKeyType type = NatKeyType::FwdSnat;
    IPv4Address src, dst;
    uint16_t srcPort = 0, dstPort = 0;
    uint8_t proto = 0;
    Uuid device;
    bool operator==(const NatKey &) const = default;
    uint64_t hash() const;
    std::string toString() const;
};

struct NatBinding {
    IPv4Address ip;
    uint16_t port = 0;
    bool operator==(const NatBinding &) const = default;
};

struct NatBlockKey {
    Uuid device;
    IPv4Address ip;
    bool operator==(const NatBlockKey &) const = default;
};

struct NatBlocks {
    std::vector<uint16_t> owned;         // leased to this host, ascending
    std::vector<uint16_t> heldElsewhere; // leased to other hosts
};

inline constexpr uint16_t kNatBlockSize = 64;

struct KeyHash {
    size_t operator()(const MacKey &k) const;
    size_t operator()(const ArpKey &k) const;
    size_t operator()(const ConnTrackKey &k) const { return size_t(k.hash()); }
    size_t operator()(const NatKey &k) const { return size_t(k.hash()); }
    size_t operator()(const NatBlockKey &k) const;
};

struct StateChange;

class StateTables {
public:
    std::unordered_map<MacKey, Uuid, KeyHash> macs;
    std::unordered_map<ArpKey, ArpEntry, KeyHash> arps;
    std::unordered_set<ConnTrackKey, KeyHash> conntrack;
    std::unordered_map<NatKey, NatBinding, KeyHash> nat;
    std::unordered_map<NatBlockKey, NatBlocks, KeyHash> natBlocks;
    uint64_t arpStaleMs = 1'800'000;  // a learned entry is re-asked for after 30 min
    uint64_t arpExpiryMs = 3'600'000; // and forgotten after 1 h without an answer

    const Uuid *macPort(const Uuid &bridge, uint16_t vlan, const MacAddress &mac) const;
    const ArpEntry *arp(const Uuid &router, IPv4Address ip) const;
    bool hasConnTrack(const ConnTrackKey &k) const { return conntrack.count(k) != 0; }
    const NatBinding *natBinding(const NatKey &k) const;
    const NatBlocks *blocks(const Uuid &device, IPv4Address ip) const;

    // Applies one change from a SimulationResult (now = the caller's clock, for ARP expiry).
    void apply(const StateChange &change, uint64_t nowMs = 0);
};

} // namespace midonet::sim
