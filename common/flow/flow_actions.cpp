#include "common/flow/flow_actions.h"

#include <cstdio>

namespace midonet::flow {

namespace {

template <class... Ts> struct Overloaded : Ts... { using Ts::operator()...; };
template <class... Ts> Overloaded(Ts...) -> Overloaded<Ts...>;

uint64_t mix(uint64_t h, uint64_t v)
{
    h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
    return h * 0xff51afd7ed558ccdULL;
}

uint64_t valueOf(const FlowAction &a)
{
    return std::visit(
        Overloaded{
            [](const OutputAction &x) -> uint64_t { return x.port; },
            [](const SetTunnelAction &x) -> uint64_t {
                return mix(mix(x.tunnelId, uint64_t(x.src.value) << 32 | x.dst.value),
                           uint64_t(x.tos) << 24 | uint64_t(x.ttl) << 16 | x.flags);
            },
            [](const SetEthSrcAction &x) -> uint64_t { return x.mac.toU64(); },
            [](const SetEthDstAction &x) -> uint64_t { return x.mac.toU64(); },
            [](const SetIpv4SrcAction &x) -> uint64_t { return x.addr.value; },
            [](const SetIpv4DstAction &x) -> uint64_t { return x.addr.value; },
            [](const SetIpTosAction &x) -> uint64_t { return x.tos; },
            [](const SetIpTtlAction &x) -> uint64_t { return x.ttl; },
            [](const SetTpSrcAction &x) -> uint64_t { return x.port; },
            [](const SetTpDstAction &x) -> uint64_t { return x.port; },
            [](const PushVlanAction &x) -> uint64_t { return uint64_t(x.tpid) << 16 | x.tci; },
            [](const PopVlanAction &) -> uint64_t { return 0; },
            [](const UserspaceAction &x) -> uint64_t { return mix(x.pid, x.cookie); },
        },
        a);
}

} // namespace

size_t hashActions(const FlowActions &actions)
{
    uint64_t h = actions.size();
    for (const auto &a : actions) h = mix(mix(h, a.index()), valueOf(a));
    return size_t(h);
}

std::string toString(const FlowAction &action)
{
    char buf[160];
    return std::visit(
        Overloaded{
            [&](const OutputAction &x) -> std::string { return std::to_string(x.port); },
            [&](const SetTunnelAction &x) -> std::string {
                std::string flags;
                if (x.flags & kTunnelFlagDontFragment) flags += "df";
                if (x.flags & kTunnelFlagCsum) flags += flags.empty() ? "csum" : "|csum";
                if (x.flags & kTunnelFlagKey) flags += flags.empty() ? "key" : "|key";
                std::snprintf(buf, sizeof buf,
                              "set(tunnel(tun_id=0x%llx,src=%s,dst=%s,tos=0x%x,ttl=%u,flags(%s)))",
                              (unsigned long long)x.tunnelId, x.src.toString().c_str(),
                              x.dst.toString().c_str(), x.tos, x.ttl, flags.c_str());
                return buf;
            },
            [&](const SetEthSrcAction &x) -> std::string {
                return "set(eth(src=" + x.mac.toString() + "))";
            },
            [&](const SetEthDstAction &x) -> std::string {
                return "set(eth(dst=" + x.mac.toString() + "))";
            },
            [&](const SetIpv4SrcAction &x) -> std::string {
                return "set(ipv4(src=" + x.addr.toString() + "))";
            },
            [&](const SetIpv4DstAction &x) -> std::string {
                return "set(ipv4(dst=" + x.addr.toString() + "))";
            },
            [&](const SetIpTosAction &x) -> std::string {
                return "set(ipv4(tos=" + std::to_string(x.tos) + "))";
            },
            [&](const SetIpTtlAction &x) -> std::string {
                return "set(ipv4(ttl=" + std::to_string(x.ttl) + "))";
            },
            [&](const SetTpSrcAction &x) -> std::string {
                return "set(tp(src=" + std::to_string(x.port) + "))";
            },
            [&](const SetTpDstAction &x) -> std::string {
                return "set(tp(dst=" + std::to_string(x.port) + "))";
            },
            [&](const PushVlanAction &x) -> std::string {
                std::snprintf(buf, sizeof buf, "push_vlan(%svid=%u,pcp=%u)",
                              x.tpid == kEthTypeVlan ? "" : "tpid=0x88a8,", x.tci & kVlanVidMask,
                              x.tci >> 13);
                return buf;
            },
            [&](const PopVlanAction &) -> std::string { return "pop_vlan"; },
            [&](const UserspaceAction &x) -> std::string {
                std::snprintf(buf, sizeof buf, "userspace(pid=%u,userdata(%llx))", x.pid,
                              (unsigned long long)x.cookie);
                return buf;
            },
        },
        action);
}

std::string toString(const FlowActions &actions)
{
    if (actions.empty()) return "drop";
    std::string out;
    for (const auto &a : actions) {
        if (!out.empty()) out += ',';
        out += toString(a);
    }
    return out;
}

FlowKey applyActions(const FlowKey &key, const FlowActions &actions)
{
    FlowKey k = key;
    for (const auto &a : actions) {
        std::visit(Overloaded{
                       [](const OutputAction &) {},
                       [&](const SetTunnelAction &x) {
                           k.tunnelId = x.tunnelId;
                           k.tunnelSrc = x.src;
                           k.tunnelDst = x.dst;
                           k.tunnelTos = x.tos;
                           k.tunnelTtl = x.ttl;
                           k.tunnelFlags = x.flags;
                       },
                       [&](const SetEthSrcAction &x) { k.ethSrc = x.mac; },
                       [&](const SetEthDstAction &x) { k.ethDst = x.mac; },
                       [&](const SetIpv4SrcAction &x) { k.ipv4Src = x.addr; },
                       [&](const SetIpv4DstAction &x) { k.ipv4Dst = x.addr; },
                       [&](const SetIpTosAction &x) { k.ipTos = x.tos; },
                       [&](const SetIpTtlAction &x) { k.ipTtl = x.ttl; },
                       [&](const SetTpSrcAction &x) {
                           if (k.isIcmp()) k.icmpId = x.port;
                           else k.tpSrc = x.port;
                       },
                       [&](const SetTpDstAction &x) {
                           if (!k.isIcmp()) k.tpDst = x.port;
                       },
                       [&](const PushVlanAction &x) {
                           k.innerVlanTci = k.vlanTci;
                           k.vlanTci = x.tci | kVlanPresent;
                       },
                       [&](const PopVlanAction &) {
                           k.vlanTci = k.innerVlanTci;
                           k.innerVlanTci = 0;
                       },
                       [](const UserspaceAction &) {},
                   },
                   a);
    }
    return k;
}

} // namespace midonet::flow
