// The object-type table (reference PART A6 for CLI names, REST API §3-§4 for API names and
// media types). Field order is output order.
#include "cli/grammar.h"

#include <stdexcept>

namespace midonet::cli {

namespace {

// A small builder so each table row reads as one line.
struct F {
    FieldSpec s;
    F(std::string cli, std::string api, FieldKind kind)
    {
        s.cli = std::move(cli);
        s.api = std::move(api);
        s.kind = kind;
        s.clearable = kind == FieldKind::Ref || kind == FieldKind::RefList || kind == FieldKind::Peer;
    }
    F &ro()
    {
        s.readOnly = true;
        s.clearable = false;
        return *this;
    }
    F &ref(std::string type)
    {
        s.refType = std::move(type);
        return *this;
    }
    F &inv(std::string flag)
    {
        s.inv = std::move(flag);
        return *this;
    }
    F &api2(std::string second)
    {
        s.api2 = std::move(second);
        return *this;
    }
    F &enums(std::vector<EnumValue> values)
    {
        s.enums = std::move(values);
        return *this;
    }
    F &fixed(std::string value)
    {
        s.fixed = std::move(value);
        return *this;
    }
    F &clearable()
    {
        s.clearable = true;
        return *this;
    }
    F &hideFalse()
    {
        s.hideFalse = true;
        return *this;
    }
    operator FieldSpec() const { return s; }
};

using K = FieldKind;

// Rule and trace-request condition fields (reference B4, REST §4.9), in B4's order.
std::vector<FieldSpec> conditionFields(const std::string &prefix)
{
    auto p = [&](const char *name) { return prefix + name; };
    return {
        F("fragment-policy", p("fragmentPolicy"), K::Enum)
            .enums({{"any", "any"}, {"header", "header"}, {"nonheader", "nonheader"},
                    {"unfragmented", "unfragmented"}}),
        F("flow", p("matchForwardFlow"), K::Flow).api2(p("matchReturnFlow")),
        F("no-vlan", p("noVlan"), K::Bool).hideFalse(),
        F("vlan", p("vlan"), K::Int).clearable(),
        F("port-group", p("portGroup"), K::Ref).ref("port-group").inv(p("invPortGroup")),
        F("in-port-group", p("inPortGroup"), K::Ref).ref("port-group").inv(p("invInPortGroup")),
        F("out-port-group", p("outPortGroup"), K::Ref).ref("port-group").inv(p("invOutPortGroup")),
        F("in-ports", p("inPorts"), K::RefList).ref("port").inv(p("invInPorts")),
        F("out-ports", p("outPorts"), K::RefList).ref("port").inv(p("invOutPorts")),
        F("ethertype", p("dlType"), K::Int).inv(p("invDlType")).clearable(),
        F("hw-src", p("dlSrc"), K::Mac).inv(p("invDlSrc")).clearable(),
        F("hw-src-mask", p("dlSrcMask"), K::MacMask).clearable(),
        F("hw-dst", p("dlDst"), K::Mac).inv(p("invDlDst")).clearable(),
        F("hw-dst-mask", p("dlDstMask"), K::MacMask).clearable(),
        F("tos", p("nwTos"), K::Int).inv(p("invNwTos")).clearable(),
        F("proto", p("nwProto"), K::Int).inv(p("invNwProto")).clearable(),
        F("src", p("nwSrcAddress"), K::Cidr).api2(p("nwSrcLength")).inv(p("invNwSrc")).clearable(),
        F("dst", p("nwDstAddress"), K::Cidr).api2(p("nwDstLength")).inv(p("invNwDst")).clearable(),
        F("src-port", p("tpSrc"), K::L4Range).inv(p("invTpSrc")).clearable(),
        F("dst-port", p("tpDst"), K::L4Range).inv(p("invTpDst")).clearable(),
        F("ip-address-group-src", p("ipAddrGroupSrc"), K::Ref)
            .ref("ip-address-group")
            .inv(p("invIpAddrGroupSrc")),
        F("ip-address-group-dst", p("ipAddrGroupDst"), K::Ref)
            .ref("ip-address-group")
            .inv(p("invIpAddrGroupDst")),
        F("icmp-data-src", p("icmpDataSrcIpAddress"), K::Cidr)
            .api2(p("icmpDataSrcIpLength"))
            .inv(p("invIcmpDataSrcIp"))
            .clearable(),
        F("icmp-data-dst", p("icmpDataDstIpAddress"), K::Cidr)
            .api2(p("icmpDataDstIpLength"))
            .inv(p("invIcmpDataDstIp"))
            .clearable(),
        F("match-nw-dst-rewritten", p("matchNwDstRewritten"), K::Bool).hideFalse(),
        F("inverted", p("condInvert"), K::YesNo).hideFalse(),
    };
}

std::vector<FieldSpec> portCommonHead(const std::string &deviceType)
{
    return {
        F("device", "deviceId", K::Ref).ref(deviceType).ro(),
        F("state", "adminStateUp", K::State),
        F("plugged", "hostId", K::Present).ro(),
        F("infilter", "inboundFilterId", K::Ref).ref("chain"),
        F("outfilter", "outboundFilterId", K::Ref).ref("chain"),
    };
}

std::vector<FieldSpec> routerPortOwn()
{
    return {
        F("mac", "portMac", K::Mac),
        F("peer", "peerId", K::Peer).ref("port"),
        F("addresses", "portSubnet", K::CidrList),
        F("vni", "rtrPortVni", K::Int).clearable(),
        F("vxlan-off-ramp", "offRampVxlan", K::Bool).clearable(),
    };
}

std::vector<FieldSpec> bridgePortOwn()
{
    return {
        F("vlan", "vlanId", K::Int),
        F("peer", "peerId", K::Peer).ref("port"),
    };
}

template <class... Vs> std::vector<FieldSpec> concat(Vs &&...vs)
{
    std::vector<FieldSpec> out;
    (out.insert(out.end(), vs.begin(), vs.end()), ...);
    return out;
}

std::vector<ObjectType> buildTable()
{
    std::vector<ObjectType> t;
    auto add = [&](ObjectType o) -> ObjectType & { return t.emplace_back(std::move(o)); };

    {
        ObjectType o;
        o.id = "root";
        o.children = {
            {"router", "router", "routers"},
            {"bridge", "bridge", "bridges"},
            {"chain", "chain", "chains"},
            {"port", "port", "ports"},
            {"port-group", "port-group", "portGroups"},
            {"ip-address-group", "ip-address-group", "ipAddrGroups"},
            {"tunnel-zone", "tunnel-zone", "tunnelZones"},
            {"host", "host", "hosts"},
            {"load-balancer", "load-balancer", "loadBalancers"},
            {"health-monitor", "health-monitor", "healthMonitors"},
            {"tenant", "tenant", "tenants"},
            {"system-state", "system-state", "systemState"},
            {"tracerequest", "tracerequest", "traceRequests"},
        };
        add(std::move(o));
    }
    {
        ObjectType o;
        o.id = o.cli = o.aliasPrefix = "router";
        o.mediaType = "Router-v3";
        o.rootKey = "routers";
        o.templateKey = "routerTemplate";
        o.tenantOnCreate = o.tenantFilter = true;
        o.fields = {
            F("name", "name", K::String),
            F("state", "adminStateUp", K::State),
            F("infilter", "inboundFilterId", K::Ref).ref("chain"),
            F("outfilter", "outboundFilterId", K::Ref).ref("chain"),
            F("load-balancer", "loadBalancerId", K::Ref).ref("load-balancer"),
            F("asn", "asNumber", K::Int),
            F("local-redirect-chain", "localRedirectChainId", K::Ref).ref("chain"),
            F("forward-chain", "forwardChainId", K::Ref).ref("chain"),
        };
        o.children = {
            {"port", "router-port", "ports"},
            {"route", "route", "routes"},
            {"bgp-network", "bgp-network", "bgpNetworks"},
            {"bgp-peer", "bgp-peer", "bgpPeers"},
        };
        add(std::move(o));
    }
    {
        ObjectType o;
        o.id = "router-port";
        o.cli = o.aliasPrefix = "port";
        o.mediaType = "Port-v3";
        o.templateKey = "portTemplate";
        o.parentField = "deviceId";
        o.parentType = "router";
        o.fixedOnCreate = R"({"type":"Router"})";
        o.fields = concat(portCommonHead("router"), routerPortOwn());
        add(std::move(o));
    }
    {
        ObjectType o;
        o.id = o.cli = o.aliasPrefix = "bridge";
        o.mediaType = "Bridge-v4";
        o.rootKey = "bridges";
        o.templateKey = "bridgeTemplate";
        o.tenantOnCreate = o.tenantFilter = true;
        o.fields = {
            F("name", "name", K::String),
            F("state", "adminStateUp", K::State),
            F("infilter", "inboundFilterId", K::Ref).ref("chain"),
            F("outfilter", "outboundFilterId", K::Ref).ref("chain"),
        };
        o.children = {{"port", "bridge-port", "ports"}, {"dhcp", "dhcp", "dhcpSubnets"}};
        add(std::move(o));
    }
    {
        ObjectType o;
        o.id = "bridge-port";
        o.cli = o.aliasPrefix = "port";
        o.mediaType = "Port-v3";
        o.templateKey = "portTemplate";
        o.parentField = "deviceId";
        o.parentType = "bridge";
        o.fixedOnCreate = R"({"type":"Bridge"})";
        o.fields = concat(portCommonHead("bridge"), bridgePortOwn());
        add(std::move(o));
    }
    {
        // All ports at the root (`port list`, `port router0:port0 show`). Parsing accepts the
        // union of both port kinds' fields; output and writes use the concrete type.
        ObjectType o;
        o.id = "port";
        o.cli = o.aliasPrefix = "port";
        o.mediaType = "Port-v3";
        o.rootKey = "ports";
        o.templateKey = "portTemplate";
        o.parentField = "deviceId";
        o.parentType = "router";
        o.polymorphic = true;
        o.tenantFilter = true;
        std::vector<FieldSpec> vlan = {F("vlan", "vlanId", K::Int)};
        o.fields = concat(portCommonHead("router"), routerPortOwn(), vlan);
        add(std::move(o));
    }
    {
        ObjectType o;
        o.id = o.cli = o.aliasPrefix = "route";
        o.mediaType = "Route-v1";
        o.templateKey = "routeTemplate";
        o.parentField = "routerId";
        o.parentType = "router";
        o.fields = {
            F("type", "type", K::Enum).enums({{"normal", "Normal"},
                                             {"blackhole", "BlackHole"},
                                             {"reject", "Reject"},
                                             {"local", "Local"}}),
            F("src", "srcNetworkAddr", K::Cidr).api2("srcNetworkLength"),
            F("dst", "dstNetworkAddr", K::Cidr).api2("dstNetworkLength"),
            F("gw", "nextHopGateway", K::IPv4).clearable(),
            F("port", "nextHopPort", K::Ref).ref("port"),
            F("weight", "weight", K::Int),
            F("learned", "learned", K::Bool).ro(),
        };
        add(std::move(o));
    }
    {
        ObjectType o;
        o.id = "bgp-peer";
        o.cli = "bgp-peer";
        o.aliasPrefix = "peer";
        o.mediaType = "BgpPeer-v1";
        o.templateKey = "bgpPeerTemplate";
        o.parentLink = "router"; // the API sends no routerId, only the link
        o.parentType = "router";
        o.fields = {
            F("asn", "asNumber", K::Int),
            F("address", "address", K::IPv4),
            F("keep-alive", "keepAlive", K::Int).clearable(),
            F("hold-time", "holdTime", K::Int).clearable(),
            F("connect-retry", "connectRetry", K::Int).clearable(),
            F("password", "password", K::String).clearable(),
            // The session as the agent running it reports it (absent when none runs it).
            F("state", "sessionState", K::String).ro(),
            F("received", "prefixesReceived", K::Int).ro(),
            F("advertised", "prefixesAdvertised", K::Int).ro(),
            F("uptime", "uptimeSeconds", K::Int).ro(),
            F("host", "hostId", K::Ref).ref("host").ro(),
        };
        add(std::move(o));
    }
    {
        ObjectType o;
        o.id = "bgp-network";
        o.cli = "bgp-network";
        o.aliasPrefix = "net";
        o.mediaType = "BgpNetwork-v1";
        o.templateKey = "bgpNetworkTemplate";
        o.parentLink = "router";
        o.parentType = "router";
        o.fields = {F("net", "subnetAddress", K::Cidr).api2("subnetLength")};
        add(std::move(o));
    }
    {
        ObjectType o;
        o.id = o.cli = o.aliasPrefix = "chain";
        o.mediaType = "Chain-v1";
        o.rootKey = "chains";
        o.templateKey = "chainTemplate";
        o.tenantOnCreate = o.tenantFilter = true;
        o.fields = {F("name", "name", K::String)};
        o.children = {{"rule", "rule", "rules"}};
        add(std::move(o));
    }
    {
        ObjectType o;
        o.id = o.cli = o.aliasPrefix = "rule";
        o.mediaType = "Rule-v2";
        o.templateKey = "ruleTemplate";
        o.parentField = "chainId";
        o.parentType = "chain";
        o.sortByPosition = true;
        // `continue` and `redirect` are in the Python CLI's type list but the API has no such
        // rule type (reference B3); they are left out so the CLI does not offer them.
        std::vector<FieldSpec> head = {
            F("pos", "position", K::Int),
            F("type", "type", K::Enum).enums({{"accept", "accept"},
                                             {"drop", "drop"},
                                             {"reject", "reject"},
                                             {"return", "return"},
                                             {"jump", "jump"},
                                             {"dnat", "dnat"},
                                             {"snat", "snat"},
                                             {"rev_dnat", "rev_dnat"},
                                             {"rev_snat", "rev_snat"},
                                             {"l2-transform", "l2_transform"},
                                             {"trace", "trace"}}),
            F("action", "flowAction", K::Enum).enums({{"accept", "accept"},
                                                      {"continue", "continue"},
                                                      {"return", "return"},
                                                      {"redirect", "redirect"}}),
            F("jump-to", "jumpChainId", K::Ref).ref("chain"),
            F("target", "natTargets", K::NatTargets),
            F("target-port", "targetPortId", K::Ref).ref("port"),
            F("ingress", "ingress", K::Bool).hideFalse(),
            F("fail-open", "failOpen", K::Bool).hideFalse(),
            F("pop-vlan", "popVlan", K::Bool).hideFalse(),
            F("push-vlan", "pushVlan", K::Int),
            F("traceid", "requestId", K::String),
            F("tracelimit", "limit", K::Int),
        };
        o.fields = concat(head, conditionFields(""));
        add(std::move(o));
    }
    {
        ObjectType o;
        o.id = "port-group";
        o.cli = "port-group";
        o.aliasPrefix = "pgroup";
        o.mediaType = "PortGroup-v1";
        o.rootKey = "portGroups";
        o.templateKey = "portGroupTemplate";
        o.tenantOnCreate = o.tenantFilter = true;
        o.fields = {F("name", "name", K::String), F("stateful", "stateful", K::Bool)};
        o.children = {{"member", "pg-member", "ports"}};
        add(std::move(o));
    }
    {
        ObjectType o;
        o.id = "pg-member";
        o.cli = "member";
        o.mediaType = "PortGroupPort-v1";
        o.parentField = "portGroupId";
        o.parentType = "port-group";
        o.fields = {F("port", "portId", K::Ref).ref("port")};
        add(std::move(o));
    }
    {
        ObjectType o;
        o.id = o.cli = "ip-address-group";
        o.aliasPrefix = "ipg";
        o.mediaType = "IpAddrGroup-v1";
        o.rootKey = "ipAddrGroups";
        o.templateKey = "ipAddrGroupTemplate";
        o.fields = {F("name", "name", K::String)};
        o.children = {{"ip", "ipg-addr", "addrs"}};
        add(std::move(o));
    }
    {
        ObjectType o;
        o.id = "ipg-addr";
        o.cli = "ip";
        o.mediaType = "IpAddrGroupAddr-v1";
        o.parentField = "ipAddrGroupId";
        o.parentType = "ip-address-group";
        o.fields = {F("address", "addr", K::IpVersionAddr)};
        add(std::move(o));
    }
    {
        ObjectType o;
        o.id = o.cli = "tunnel-zone";
        o.aliasPrefix = "tzone";
        o.mediaType = "TunnelZone-v1";
        o.rootKey = "tunnelZones";
        o.templateKey = "tunnelZoneTemplate";
        o.tenantFilter = true;
        o.fields = {
            F("name", "name", K::String),
            F("type", "type", K::Enum).enums({{"gre", "gre"}, {"vxlan", "vxlan"}, {"vtep", "vtep"}}),
        };
        o.children = {{"member", "tz-member", "hosts"}};
        add(std::move(o));
    }
    {
        ObjectType o;
        o.id = "tz-member";
        o.cli = "member";
        o.mediaType = "TunnelZoneHost-v1";
        o.parentField = "tunnelZoneId";
        o.parentType = "tunnel-zone";
        o.fields = {F("host", "hostId", K::Ref).ref("host"), F("address", "ipAddress", K::IPv4)};
        add(std::move(o));
    }
    {
        ObjectType o;
        o.id = o.cli = o.aliasPrefix = "host";
        o.mediaType = "Host-v3";
        o.rootKey = "hosts";
        o.templateKey = "hostTemplate";
        o.fields = {
            F("name", "name", K::String).ro(),
            F("alive", "alive", K::Bool).ro(),
            F("addresses", "addresses", K::StringList).ro(),
            F("flooding-proxy-weight", "floodingProxyWeight", K::Int),
            F("container-weight", "containerWeight", K::Int),
            F("container-limit", "containerLimit", K::ContainerLimit),
            F("enforce-container-limit", "enforceContainerLimit", K::Bool),
        };
        o.children = {{"interface", "host-interface", "interfaces"}, {"binding", "binding", "ports"}};
        add(std::move(o));
    }
    {
        ObjectType o;
        o.id = "host-interface";
        o.cli = "interface";
        o.mediaType = "Interface-v1";
        o.parentField = "hostId";
        o.parentType = "host";
        o.fields = {
            F("iface", "name", K::String).ro(),
            F("status", "status", K::Int).ro(),
            F("addresses", "addresses", K::StringList).ro(),
            F("mac", "mac", K::Mac).ro(),
            F("mtu", "mtu", K::Int).ro(),
            F("type", "type", K::String).ro(),
            F("endpoint", "endpoint", K::String).ro(),
        };
        add(std::move(o));
    }
    {
        ObjectType o;
        o.id = o.cli = "binding";
        o.mediaType = "HostInterfacePort-v1";
        o.parentField = "hostId";
        o.parentType = "host";
        o.fields = {F("interface", "interfaceName", K::String), F("port", "portId", K::Ref).ref("port")};
        add(std::move(o));
    }
    {
        ObjectType o;
        o.id = o.cli = "load-balancer";
        o.aliasPrefix = "lb";
        o.mediaType = "LoadBalancer-v1";
        o.rootKey = "loadBalancers";
        o.templateKey = "loadBalancerTemplate";
        // The reference lists `router` as settable, but the API rejects a non-null routerId on
        // POST and any change on PUT (REST §4.14): attach with `router X set load-balancer Y`.
        o.fields = {F("router", "routerId", K::Ref).ref("router").ro(), F("state", "adminStateUp", K::State)};
        o.children = {{"pool", "pool", "pools"}, {"vip", "vip", "vips"}};
        add(std::move(o));
    }
    {
        ObjectType o;
        o.id = o.cli = o.aliasPrefix = "pool";
        o.mediaType = "Pool-v1";
        o.templateKey = "poolTemplate";
        o.parentField = "loadBalancerId";
        o.parentType = "load-balancer";
        o.fields = {
            F("load-balancer", "loadBalancerId", K::Ref).ref("load-balancer"),
            F("health-monitor", "healthMonitorId", K::Ref).ref("health-monitor"),
            F("lb-method", "lbMethod", K::Enum).enums({{"ROUND_ROBIN", "ROUND_ROBIN"}}),
            F("protocol", "protocol", K::String).ro(),
            F("state", "adminStateUp", K::State),
            F("status", "status", K::String).ro(),
        };
        o.children = {{"member", "pool-member", "poolMembers"}, {"vip", "vip", "vips"}};
        add(std::move(o));
    }
    {
        ObjectType o;
        o.id = "pool-member";
        o.cli = "member";
        o.aliasPrefix = "pm";
        o.mediaType = "PoolMember-v1";
        o.templateKey = "poolMemberTemplate";
        o.parentField = "poolId";
        o.parentType = "pool";
        o.fields = {
            F("address", "address", K::IPv4),
            F("protocol-port", "protocolPort", K::Int),
            F("weight", "weight", K::Int),
            F("state", "adminStateUp", K::State),
            F("status", "status", K::String).ro(),
        };
        add(std::move(o));
    }
    {
        ObjectType o;
        o.id = o.cli = o.aliasPrefix = "vip";
        o.mediaType = "VIP-v1";
        o.templateKey = "vipTemplate";
        o.parentField = "poolId";
        o.parentType = "pool";
        o.fields = {
            F("load-balancer", "loadBalancerId", K::Ref).ref("load-balancer").ro(),
            F("address", "address", K::IPv4),
            F("protocol-port", "protocolPort", K::Int),
            // NONE is the CLI's word for "no persistence": null in the API.
            F("persistence", "sessionPersistence", K::Enum).enums({{"SOURCE_IP", "SOURCE_IP"}, {"NONE", ""}}),
            F("state", "adminStateUp", K::State),
        };
        add(std::move(o));
    }
    {
        ObjectType o;
        o.id = o.cli = "health-monitor";
        o.aliasPrefix = "hm";
        o.mediaType = "HealthMonitor-v1";
        o.rootKey = "healthMonitors";
        o.templateKey = "healthMonitorTemplate";
        o.fields = {
            F("delay", "delay", K::Int),
            F("timeout", "timeout", K::Int),
            F("max-retries", "maxRetries", K::Int),
            F("type", "type", K::Enum).enums({{"TCP", "TCP"}}),
            F("state", "adminStateUp", K::State),
            F("status", "status", K::String).ro(),
        };
        o.children = {{"pool", "pool", "pools"}};
        add(std::move(o));
    }
    {
        // Tenants come from the auth provider; list only. No alias, so the id is printed.
        ObjectType o;
        o.id = o.cli = "tenant";
        o.mediaType = "Tenant-v2";
        o.rootKey = "tenants";
        o.fields = {
            F("id", "id", K::String).ro(),
            F("name", "name", K::String).ro(),
            F("description", "description", K::String).ro(),
            F("enabled", "enabled", K::YesNo).ro(), // reference A4: enabled prints yes/no
        };
        add(std::move(o));
    }
    {
        ObjectType o;
        o.id = o.cli = "system-state";
        o.mediaType = "SystemState-v2";
        o.rootKey = "systemState";
        o.singleton = true;
        o.fields = {
            F("state", "state", K::Enum).enums({{"ACTIVE", "ACTIVE"}, {"UPGRADE", "UPGRADE"}}),
            F("availability", "availability", K::Enum)
                .enums({{"READWRITE", "READWRITE"}, {"READONLY", "READONLY"}}),
        };
        add(std::move(o));
    }
    {
        ObjectType o;
        o.id = o.cli = "tracerequest";
        o.aliasPrefix = "tr";
        o.mediaType = "TraceRequest-v1";
        o.rootKey = "traceRequests";
        o.templateKey = "traceRequestTemplate";
        o.tenantFilter = true;
        std::vector<FieldSpec> head = {
            F("name", "name", K::String),
            F("port", "deviceId", K::TraceDevice).ref("port").api2("deviceType").fixed("PORT"),
            F("router", "deviceId", K::TraceDevice).ref("router").api2("deviceType").fixed("ROUTER"),
            F("bridge", "deviceId", K::TraceDevice).ref("bridge").api2("deviceType").fixed("BRIDGE"),
            F("limit", "limit", K::Int),
            F("enabled", "enabled", K::YesNo),
        };
        o.fields = concat(head, conditionFields("condition."));
        add(std::move(o));
    }
    {
        ObjectType o;
        o.id = o.cli = "dhcp";
        o.mediaType = "DhcpSubnet-v2";
        o.parentType = "bridge";
        o.fields = {
            F("subnet", "subnetPrefix", K::Cidr).api2("subnetLength"),
            F("gw", "defaultGateway", K::IPv4).clearable(),
            F("server", "serverAddr", K::IPv4).clearable(),
            F("dns-servers", "dnsServerAddrs", K::StringList).clearable(),
            F("interface-mtu", "interfaceMTU", K::Int).clearable(),
        };
        o.children = {{"host", "dhcp-host", "hosts"}};
        add(std::move(o));
    }
    {
        ObjectType o;
        o.id = "dhcp-host";
        o.cli = "host";
        o.mediaType = "DhcpHost-v2";
        o.parentType = "dhcp";
        o.fields = {
            F("name", "name", K::String),
            F("address", "ipAddr", K::IPv4),
            F("mac", "macAddr", K::Mac),
        };
        add(std::move(o));
    }
    return t;
}

void checkTable(const std::vector<ObjectType> &t)
{
    auto known = [&](const std::string &id) {
        for (const auto &o : t)
            if (o.id == id) return true;
        return false;
    };
    for (const auto &o : t) {
        for (const auto &c : o.children)
            if (!known(c.typeId)) throw std::logic_error("grammar: unknown child type " + c.typeId);
        for (const auto &f : o.fields) {
            if (!f.refType.empty() && !known(f.refType))
                throw std::logic_error("grammar: unknown ref type " + f.refType);
            if (o.child(f.cli)) throw std::logic_error("grammar: field equals a collection: " + f.cli);
        }
    }
}

} // namespace

const FieldSpec *ObjectType::field(std::string_view cliName) const
{
    for (const auto &f : fields)
        if (f.cli == cliName) return &f;
    return nullptr;
}

const ChildSpec *ObjectType::child(std::string_view cliName) const
{
    for (const auto &c : children)
        if (c.cli == cliName) return &c;
    return nullptr;
}

std::string vendorType(std::string_view name)
{
    return "application/vnd.org.midonet." + std::string(name) + "+json";
}

std::string vendorCollectionType(std::string_view name)
{
    return "application/vnd.org.midonet.collection." + std::string(name) + "+json";
}

std::string ObjectType::itemMediaType() const { return vendorType(mediaType); }

std::string ObjectType::collectionMediaType() const
{
    return vendorCollectionType(collectionType.empty() ? mediaType : collectionType);
}

const std::vector<ObjectType> &objectTypes()
{
    static const std::vector<ObjectType> table = [] {
        auto t = buildTable();
        checkTable(t);
        return t;
    }();
    return table;
}

const ObjectType &rootType() { return objectTypes().front(); }

const ObjectType *findType(std::string_view id)
{
    for (const auto &o : objectTypes())
        if (o.id == id) return &o;
    return nullptr;
}

const ObjectType &concreteType(const ObjectType &type, std::string_view apiTypeField)
{
    if (!type.polymorphic) return type;
    // Legacy input names (ExteriorBridge, InteriorRouter) still end in the device kind.
    if (apiTypeField.ends_with("Bridge")) return *findType("bridge-port");
    if (apiTypeField.ends_with("Router")) return *findType("router-port");
    return type;
}

} // namespace midonet::cli
