#include "agent/simulation/state_tables.h"

#include "agent/simulation/simulation_result.h"

#include <algorithm>
#include <cstdio>

namespace midonet::sim {

namespace {
uint64_t mix(uint64_t h, uint64_t v)
{
    h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
    h *= 0xff51afd7ed558ccdULL;
    return h ^ (h >> 32);
}
template <class... Ts> struct Overloaded : Ts... { using Ts::operator()...; };
template <class... Ts> Overloaded(Ts...) -> Overloaded<Ts...>;
} // namespace

uint64_t ConnTrackKey::hash() const
{
    uint64_t h = mix(0xc0ffee, uint64_t(src.value) << 32 | dst.value);
    h = mix(h, uint64_t(srcPort) << 24 | uint64_t(dstPort) << 8 | proto);
    return mix(mix(h, device.hi), device.lo);
}

std::string ConnTrackKey::toString() const
{
    char buf[96];
    std::snprintf(buf, sizeof buf, "%s:%u -> %s:%u proto %u", src.toString().c_str(), srcPort,
                  dst.toString().c_str(), dstPort, proto);
    return std::string(buf) + " @" + device.toString();
}

const char *toString(NatKeyType t)
{
    switch (t) {
    case NatKeyType::FwdSnat: return "fwd-snat";
    case NatKeyType::RevSnat: return "rev-snat";
    case NatKeyType::FwdDnat: return "fwd-dnat";
    case NatKeyType::RevDnat: return "rev-dnat";
    case NatKeyType::FwdStickyDnat: return "fwd-sticky-dnat";
    case NatKeyType::RevStickyDnat: return "rev-sticky-dnat";
    }
    return "?";
}

uint64_t NatKey::hash() const
{
    uint64_t h = mix(0xa7a7 + uint64_t(type), uint64_t(src.value) << 32 | dst.value);
    h = mix(h, uint64_t(srcPort) << 24 | uint64_t(dstPort) << 8 | proto);
    return mix(mix(h, device.hi), device.lo);
}

std::string NatKey::toString() const
{
    char buf[112];
    std::snprintf(buf, sizeof buf, "%s %s:%u -> %s:%u proto %u", sim::toString(type),
                  src.toString().c_str(), srcPort, dst.toString().c_str(), dstPort, proto);
    return std::string(buf) + " @" + device.toString();
}

size_t KeyHash::operator()(const MacKey &k) const
{
    return size_t(mix(mix(mix(k.bridge.hi, k.bridge.lo), k.mac.toU64()), k.vlan));
}
size_t KeyHash::operator()(const ArpKey &k) const
{
    return size_t(mix(mix(k.router.hi, k.router.lo), k.ip.value));
}
size_t KeyHash::operator()(const NatBlockKey &k) const
{
    return size_t(mix(mix(k.device.hi, k.device.lo), k.ip.value));
}

const Uuid *StateTables::macPort(const Uuid &bridge, uint16_t vlan, const MacAddress &mac) const
{
    auto it = macs.find(MacKey{bridge, vlan, mac});
    return it == macs.end() ? nullptr : &it->second;
}

const ArpEntry *StateTables::arp(const Uuid &router, IPv4Address ip) const
{
    auto it = arps.find(ArpKey{router, ip});
    return it == arps.end() ? nullptr : &it->second;
}

const NatBinding *StateTables::natBinding(const NatKey &k) const
{
    auto it = nat.find(k);
    return it == nat.end() ? nullptr : &it->second;
}

const NatBlocks *StateTables::blocks(const Uuid &device, IPv4Address ip) const
{
    auto it = natBlocks.find(NatBlockKey{device, ip});
    return it == natBlocks.end() ? nullptr : &it->second;
}

void StateTables::apply(const StateChange &c, uint64_t nowMs)
{
    std::visit(Overloaded{
                   [&](const MacLearned &m) { macs[MacKey{m.bridge, m.vlan, m.mac}] = m.port; },
                   [&](const ArpLearned &a) {
                       arps[ArpKey{a.router, a.ip}] =
                           ArpEntry{a.mac, false, nowMs + arpExpiryMs, nowMs + arpStaleMs};
                   },
                   [&](const BridgeIpMacLearned &) {
                       // The bridge's IP->MAC table lives in the topology (NSDB); the agent
                       // writes it there and a new snapshot carries it.
                   },
                   [&](const ConnTrackAdded &a) { conntrack.insert(a.key); },
                   [&](const NatBindingAdded &n) { nat[n.key] = n.binding; },
                   [&](const MacForgotten &m) {
                       auto it = macs.find(MacKey{m.bridge, m.vlan, m.mac});
                       if (it != macs.end() && it->second == m.port) macs.erase(it);
                   },
                   [&](const ArpForgotten &a) { arps.erase(ArpKey{a.router, a.ip}); },
                   [&](const NatBlockClaimed &b) {
                       auto &owned = natBlocks[NatBlockKey{b.device, b.ip}].owned;
                       if (std::find(owned.begin(), owned.end(), b.block) == owned.end()) {
                           owned.push_back(b.block);
                           std::sort(owned.begin(), owned.end());
                       }
                   },
               },
               c.change);
}

} // namespace midonet::sim
