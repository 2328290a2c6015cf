#include "common/flow/flow_tag.h"

#include <cstdio>

namespace midonet::flow {

size_t FlowTag::hash() const
{
    uint64_t h = uint64_t(kind) * 0x9e3779b97f4a7c15ULL;
    for (uint64_t v : {a.hi, a.lo, b.hi, b.lo, x, y}) {
        h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
        h *= 0xff51afd7ed558ccdULL;
    }
    return size_t(h ^ (h >> 31));
}

std::string FlowTag::toString() const
{
    auto ip = [](uint64_t v) { return util::IPv4Address{uint32_t(v)}.toString(); };
    char buf[32];
    switch (kind) {
    case TagKind::Device: return "device:" + a.toString();
    case TagKind::Rule: return "rule:" + a.toString() + "/" + b.toString();
    case TagKind::VlanPort:
        return "vlan-port:" + a.toString() + "/" + util::MacAddress::fromU64(x).toString() + "/" +
               std::to_string(y) + "/" + b.toString();
    case TagKind::VlanFlood:
        return "vlan-flood:" + a.toString() + "/" + std::to_string(y) + "/" +
               util::MacAddress::fromU64(x).toString();
    case TagKind::Broadcast: return "broadcast:" + a.toString();
    case TagKind::ArpRequest: return "arp-request:" + a.toString();
    case TagKind::BridgePort: return "bridge-port:" + a.toString() + "/" + b.toString();
    case TagKind::Route: return "route:" + a.toString() + "/" + b.toString();
    case TagKind::DestinationIp: return "dst-ip:" + a.toString() + "/" + ip(x);
    case TagKind::ArpEntry: return "arp-entry:" + a.toString() + "/" + ip(x);
    case TagKind::ConnTrack:
        std::snprintf(buf, sizeof buf, "conntrack:%016llx", (unsigned long long)x);
        return buf;
    case TagKind::Nat:
        std::snprintf(buf, sizeof buf, "nat:%016llx", (unsigned long long)x);
        return buf;
    case TagKind::TunnelKey: return "tunnel-key:" + std::to_string(x);
    case TagKind::ConntrackPolicy: return "conntrack-policy";
    case TagKind::MacSource:
        return "mac-source:" + a.toString() + "/" + util::MacAddress::fromU64(x).toString() + "/" +
               std::to_string(y) + "/" + b.toString();
    }
    return "?";
}

} // namespace midonet::flow
