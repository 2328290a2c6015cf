// The enumerations of MidoNet's REST API, spelled on the wire exactly as MidoNet spells them
// (rule types lower-case, route types capitalised, load-balancer values upper-case).
//
// Invariants: EnumNames<E>::values lists every enumerator once, in declaration order, with its
// wire name; aliases (legacy input spellings) are accepted on input but never emitted.
//
// Thread-safety: constant tables, no state.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace midonet::model {

template <class E> struct EnumNames; // specialised below: values, aliases

enum class PortType { Bridge, Router, Vxlan };
enum class RuleType { Accept, Drop, Reject, Return, Jump, Dnat, Snat, RevDnat, RevSnat, L2Transform, Trace };
// accept/continue/return for NAT rules; accept/redirect for l2_transform.
enum class FlowAction { Accept, Continue, Return, Redirect };
enum class FragmentPolicy { Any, Nonheader, Header, Unfragmented };
enum class RouteType { Normal, BlackHole, Reject, Local, Fip64 };
enum class TunnelZoneType { Gre, Vxlan, Vtep };
enum class InterfaceType { Physical, Virtual, Tunnel, Unknown };
enum class InterfaceEndpoint { Datapath, Physical, Vm, Gre, Capwap, Localhost, Tuntap, Unknown };
enum class InterfacePortType { NetDev, Internal, Gre, VXLan, Gre64, Lisp };
enum class LbMethod { RoundRobin };
enum class LbProtocol { Tcp };
// Pool and member status; the pool uses ACTIVE/INACTIVE (unconfirmed that pools see the others).
enum class LbStatus { Active, Inactive, Monitored, NoMonitor };
enum class SessionPersistence { SourceIp };
enum class HealthMonitorType { Tcp };
enum class TraceDeviceType { Bridge, Port, Router };


#define MIDONET_ENUM_NAMES(E, N, ...)                                                             \
    template <> struct EnumNames<E> {                                                              \
        static constexpr std::array<std::pair<E, std::string_view>, N> values{{__VA_ARGS__}};      \
        static constexpr std::array<std::pair<E, std::string_view>, 0> aliases{};                  \
    }

MIDONET_ENUM_NAMES(RuleType, 11, {RuleType::Accept, "accept"}, {RuleType::Drop, "drop"},
                   {RuleType::Reject, "reject"}, {RuleType::Return, "return"},
                   {RuleType::Jump, "jump"}, {RuleType::Dnat, "dnat"}, {RuleType::Snat, "snat"},
                   {RuleType::RevDnat, "rev_dnat"}, {RuleType::RevSnat, "rev_snat"},
                   {RuleType::L2Transform, "l2_transform"}, {RuleType::Trace, "trace"});
MIDONET_ENUM_NAMES(FlowAction, 4, {FlowAction::Accept, "accept"}, {FlowAction::Continue, "continue"},
                   {FlowAction::Return, "return"}, {FlowAction::Redirect, "redirect"});
MIDONET_ENUM_NAMES(FragmentPolicy, 4, {FragmentPolicy::Any, "any"},
                   {FragmentPolicy::Nonheader, "nonheader"}, {FragmentPolicy::Header, "header"},
                   {FragmentPolicy::Unfragmented, "unfragmented"});
MIDONET_ENUM_NAMES(RouteType, 5, {RouteType::Normal, "Normal"}, {RouteType::BlackHole, "BlackHole"},
                   {RouteType::Reject, "Reject"}, {RouteType::Local, "Local"},
                   {RouteType::Fip64, "Fip64"});
MIDONET_ENUM_NAMES(TunnelZoneType, 3, {TunnelZoneType::Gre, "gre"},
                   {TunnelZoneType::Vxlan, "vxlan"}, {TunnelZoneType::Vtep, "vtep"});
MIDONET_ENUM_NAMES(InterfaceType, 4, {InterfaceType::Physical, "Physical"},
                   {InterfaceType::Virtual, "Virtual"}, {InterfaceType::Tunnel, "Tunnel"},
                   {InterfaceType::Unknown, "Unknown"});
MIDONET_ENUM_NAMES(InterfaceEndpoint, 8, {InterfaceEndpoint::Datapath, "DATAPATH"},
                   {InterfaceEndpoint::Physical, "PHYSICAL"}, {InterfaceEndpoint::Vm, "VM"},
                   {InterfaceEndpoint::Gre, "GRE"}, {InterfaceEndpoint::Capwap, "CAPWAP"},
                   {InterfaceEndpoint::Localhost, "LOCALHOST"},
                   {InterfaceEndpoint::Tuntap, "TUNTAP"}, {InterfaceEndpoint::Unknown, "UNKNOWN"});
MIDONET_ENUM_NAMES(InterfacePortType, 6, {InterfacePortType::NetDev, "NetDev"},
                   {InterfacePortType::Internal, "Internal"}, {InterfacePortType::Gre, "Gre"},
                   {InterfacePortType::VXLan, "VXLan"}, {InterfacePortType::Gre64, "Gre64"},
                   {InterfacePortType::Lisp, "Lisp"});
MIDONET_ENUM_NAMES(LbMethod, 1, {LbMethod::RoundRobin, "ROUND_ROBIN"});
MIDONET_ENUM_NAMES(LbProtocol, 1, {LbProtocol::Tcp, "TCP"});
MIDONET_ENUM_NAMES(LbStatus, 4, {LbStatus::Active, "ACTIVE"}, {LbStatus::Inactive, "INACTIVE"},
                   {LbStatus::Monitored, "MONITORED"}, {LbStatus::NoMonitor, "NO_MONITOR"});
MIDONET_ENUM_NAMES(SessionPersistence, 1, {SessionPersistence::SourceIp, "SOURCE_IP"});
MIDONET_ENUM_NAMES(HealthMonitorType, 1, {HealthMonitorType::Tcp, "TCP"});
MIDONET_ENUM_NAMES(TraceDeviceType, 3, {TraceDeviceType::Bridge, "BRIDGE"},
                   {TraceDeviceType::Port, "PORT"}, {TraceDeviceType::Router, "ROUTER"});

#undef MIDONET_ENUM_NAMES

// Ports: output is always Bridge/Router/Vxlan; the pre-5.x subtype names are still accepted.
template <> struct EnumNames<PortType> {
    static constexpr std::array<std::pair<PortType, std::string_view>, 3> values{
        {{PortType::Bridge, "Bridge"}, {PortType::Router, "Router"}, {PortType::Vxlan, "Vxlan"}}};
    static constexpr std::array<std::pair<PortType, std::string_view>, 4> aliases{
        {{PortType::Bridge, "ExteriorBridge"},
         {PortType::Bridge, "InteriorBridge"},
         {PortType::Router, "ExteriorRouter"},
         {PortType::Router, "InteriorRouter"}}};
};

template <class E>
concept ModelEnum = std::is_enum_v<E> && requires { EnumNames<E>::values; };

template <ModelEnum E> constexpr std::string_view enumName(E e)
{
    for (const auto &[v, n] : EnumNames<E>::values)
        if (v == e) return n;
    return {};
}

// Exact, case-sensitive match (as Jackson does); aliases accepted.
template <ModelEnum E> constexpr std::optional<E> parseEnum(std::string_view text)
{
    for (const auto &[v, n] : EnumNames<E>::values)
        if (n == text) return v;
    for (const auto &[v, n] : EnumNames<E>::aliases)
        if (n == text) return v;
    return std::nullopt;
}

template <ModelEnum E> std::vector<std::string> enumNames()
{
    std::vector<std::string> out;
    for (const auto &[v, n] : EnumNames<E>::values) out.emplace_back(n);
    return out;
}

} // namespace midonet::model
