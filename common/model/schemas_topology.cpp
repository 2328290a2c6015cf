// Schemas of the topology objects: one line per JSON field, in MidoNet's emission order.
#include "common/model/bridge.h"
#include "common/model/chain.h"
#include "common/model/detail/schema_builder.h"
#include "common/model/host.h"
#include "common/model/port.h"
#include "common/model/route.h"
#include "common/model/router.h"
#include "common/model/tenant.h"
#include "common/model/tunnel_zone.h"

namespace midonet::model {

using detail::SchemaBuilder;

namespace {
constexpr int64_t kVlanMax = 4095;
constexpr int64_t kVniMax = 0xFFFFFF;
constexpr size_t kStoredListMax = 100000;
} // namespace

const Schema<Tenant> &Tenant::schema()
{
    static const Schema<Tenant> s = [] {
        SchemaBuilder<Tenant> b("Tenant");
        b.field("id", &Tenant::id).length(0, 255);
        b.field("name", &Tenant::name);
        b.field("description", &Tenant::description);
        b.field("enabled", &Tenant::enabled);
        return b.build();
    }();
    return s;
}

const Schema<HostInterface> &HostInterface::schema()
{
    static const Schema<HostInterface> s = [] {
        SchemaBuilder<HostInterface> b("Interface");
        b.field("hostId", &HostInterface::hostId).refersTo("hosts");
        b.field("name", &HostInterface::name).required().length(1, 255);
        b.field("mac", &HostInterface::mac);
        b.field("mtu", &HostInterface::mtu).range(0, 65535);
        b.field("type", &HostInterface::type);
        b.field("endpoint", &HostInterface::endpoint);
        b.field("portType", &HostInterface::portType);
        b.field("addresses", &HostInterface::addresses).maxItems(1024);
        b.field("status", &HostInterface::status).min(0);
        return b.build();
    }();
    return s;
}

const Schema<Host> &Host::schema()
{
    static const Schema<Host> s = [] {
        SchemaBuilder<Host> b("Host");
        b.field("id", &Host::id);
        b.field("name", &Host::name);
        b.field("addresses", &Host::addresses).readOnly().maxItems(1024);
        b.field("hostInterfaces", &Host::hostInterfaces).readOnly().maxItems(1024);
        b.field("alive", &Host::alive).readOnly();
        b.field("floodingProxyWeight", &Host::floodingProxyWeight).range(0, 65535);
        b.field("containerWeight", &Host::containerWeight).min(0);
        b.field("containerLimit", &Host::containerLimit).min(-1);
        b.field("enforceContainerLimit", &Host::enforceContainerLimit);
        return b.build();
    }();
    return s;
}

const Schema<HostInterfacePort> &HostInterfacePort::schema()
{
    static const Schema<HostInterfacePort> s = [] {
        SchemaBuilder<HostInterfacePort> b("HostInterfacePort");
        b.field("hostId", &HostInterfacePort::hostId).refersTo("hosts");
        b.field("portId", &HostInterfacePort::portId).required().refersTo("ports");
        b.field("interfaceName", &HostInterfacePort::interfaceName).required().length(1, 255);
        return b.build();
    }();
    return s;
}

const Schema<TunnelZoneHost> &TunnelZoneHost::schema()
{
    static const Schema<TunnelZoneHost> s = [] {
        SchemaBuilder<TunnelZoneHost> b("TunnelZoneHost");
        b.field("tunnelZoneId", &TunnelZoneHost::tunnelZoneId).refersTo("tunnel_zones");
        b.field("hostId", &TunnelZoneHost::hostId).required().refersTo("hosts");
        b.field("ipAddress", &TunnelZoneHost::ipAddress).required();
        return b.build();
    }();
    return s;
}

const Schema<TunnelZone> &TunnelZone::schema()
{
    static const Schema<TunnelZone> s = [] {
        SchemaBuilder<TunnelZone> b("TunnelZone");
        b.field("id", &TunnelZone::id);
        b.field("name", &TunnelZone::name).required().length(1, 255);
        b.field("type", &TunnelZone::type).required();
        b.field("hosts", &TunnelZone::hosts).storeOnly().maxItems(kStoredListMax);
        b.finish([](TunnelZone &tz, const std::string &p, Violations &v) {
            for (size_t i = 0; i < tz.hosts.size(); ++i)
                for (size_t k = 0; k < i; ++k)
                    if (tz.hosts[k].hostId == tz.hosts[i].hostId) {
                        v.push_back({p + "hosts[" + std::to_string(i) + "].hostId",
                                     "host is already a member of the tunnel zone"});
                        break;
                    }
        });
        return b.build();
    }();
    return s;
}

const Schema<Bridge> &Bridge::schema()
{
    static const Schema<Bridge> s = [] {
        SchemaBuilder<Bridge> b("Bridge");
        b.field("id", &Bridge::id);
        b.field("tenantId", &Bridge::tenantId);
        b.field("name", &Bridge::name).length(0, 255);
        b.field("adminStateUp", &Bridge::adminStateUp);
        b.field("inboundFilterId", &Bridge::inboundFilterId).refersTo("chains");
        b.field("outboundFilterId", &Bridge::outboundFilterId).refersTo("chains");
        b.field("qosPolicyId", &Bridge::qosPolicyId);
        b.field("inboundMirrorIds", &Bridge::inboundMirrorIds);
        b.field("outboundMirrorIds", &Bridge::outboundMirrorIds);
        b.field("vxLanPortIds", &Bridge::vxLanPortIds).readOnly().refersTo("ports");
        b.field("dhcpSubnets", &Bridge::dhcpSubnets).storeOnly().maxItems(4096);
        b.finish([](Bridge &br, const std::string &p, Violations &v) {
            for (size_t i = 0; i < br.dhcpSubnets.size(); ++i)
                for (size_t k = 0; k < i; ++k)
                    if (br.dhcpSubnets[k].subnet() == br.dhcpSubnets[i].subnet()) {
                        v.push_back({p + "dhcpSubnets[" + std::to_string(i) + "]",
                                     "the bridge already has this DHCP subnet"});
                        break;
                    }
        });
        return b.build();
    }();
    return s;
}

const Schema<Opt121Route> &Opt121Route::schema()
{
    static const Schema<Opt121Route> s = [] {
        SchemaBuilder<Opt121Route> b("Opt121Route");
        b.field("destinationPrefix", &Opt121Route::destinationPrefix).required();
        b.field("destinationLength", &Opt121Route::destinationLength).range(0, 32);
        b.field("gatewayAddr", &Opt121Route::gatewayAddr).required();
        return b.build();
    }();
    return s;
}

const Schema<ExtraDhcpOpt> &ExtraDhcpOpt::schema()
{
    static const Schema<ExtraDhcpOpt> s = [] {
        SchemaBuilder<ExtraDhcpOpt> b("ExtraDhcpOpt");
        b.field("optName", &ExtraDhcpOpt::optName).required().length(1, 255);
        b.field("optValue", &ExtraDhcpOpt::optValue).required().length(0, 1024);
        return b.build();
    }();
    return s;
}

const Schema<DhcpHost> &DhcpHost::schema()
{
    static const Schema<DhcpHost> s = [] {
        SchemaBuilder<DhcpHost> b("DhcpHost");
        b.field("macAddr", &DhcpHost::macAddr).required();
        b.field("ipAddr", &DhcpHost::ipAddr);
        b.field("name", &DhcpHost::name);
        b.field("extraDhcpOpts", &DhcpHost::extraDhcpOpts).maxItems(256);
        return b.build();
    }();
    return s;
}

const Schema<DhcpSubnet> &DhcpSubnet::schema()
{
    static const Schema<DhcpSubnet> s = [] {
        SchemaBuilder<DhcpSubnet> b("DhcpSubnet");
        b.field("subnetPrefix", &DhcpSubnet::subnetPrefix).required();
        b.field("subnetLength", &DhcpSubnet::subnetLength).range(0, 32);
        b.field("defaultGateway", &DhcpSubnet::defaultGateway);
        b.field("serverAddr", &DhcpSubnet::serverAddr);
        b.field("dnsServerAddrs", &DhcpSubnet::dnsServerAddrs).maxItems(16);
        b.field("interfaceMTU", &DhcpSubnet::interfaceMTU).range(68, 65535);
        b.field("opt121Routes", &DhcpSubnet::opt121Routes).maxItems(256);
        b.field("enabled", &DhcpSubnet::enabled);
        b.field("hosts", &DhcpSubnet::hosts).storeOnly().maxItems(65536);
        b.finish([](DhcpSubnet &d, const std::string &p, Violations &v) {
            for (size_t i = 0; i < d.hosts.size(); ++i)
                for (size_t k = 0; k < i; ++k)
                    if (d.hosts[k].macAddr == d.hosts[i].macAddr) {
                        v.push_back({p + "hosts[" + std::to_string(i) + "].macAddr",
                                     "the subnet already has a host with this MAC"});
                        break;
                    }
        });
        return b.build();
    }();
    return s;
}

const Schema<Router> &Router::schema()
{
    static const Schema<Router> s = [] {
        SchemaBuilder<Router> b("Router");
        b.field("id", &Router::id);
        b.field("tenantId", &Router::tenantId);
        b.field("name", &Router::name).length(0, 255);
        b.field("adminStateUp", &Router::adminStateUp);
        b.field("inboundFilterId", &Router::inboundFilterId).refersTo("chains");
        b.field("outboundFilterId", &Router::outboundFilterId).refersTo("chains");
        b.field("loadBalancerId", &Router::loadBalancerId).refersTo("load_balancers");
        b.field("asNumber", &Router::asNumber).range(0, 4294967295LL);
        b.field("localRedirectChainId", &Router::localRedirectChainId).refersTo("chains");
        b.field("forwardChainId", &Router::forwardChainId).refersTo("chains");
        b.field("inboundMirrorIds", &Router::inboundMirrorIds);
        b.field("outboundMirrorIds", &Router::outboundMirrorIds);
        return b.build();
    }();
    return s;
}

namespace {

// A router port's addresses: portSubnet is the truth, the older single-address fields follow
// it (MidoNet derives networkAddress from the first subnet on output).
void finishPort(Port &p, const std::string &pre, Violations &v)
{
    if (p.type != PortType::Router) return;
    if (p.portSubnet.empty()) {
        if (!p.portAddress) {
            v.push_back({pre + "portAddress", "a router port needs portAddress or portSubnet"});
            return;
        }
        // Without a length the address stands alone (/32); MidoNet leaves this case undefined.
        p.portSubnet.push_back({*p.portAddress, uint8_t(p.networkLength.value_or(32))});
    }
    const auto &first = p.portSubnet.front();
    if (!p.portAddress) p.portAddress = first.address;
    p.networkAddress = first.network();
    p.networkLength = first.length;
}

} // namespace

const Schema<Port> &Port::schema()
{
    static const Schema<Port> s = [] {
        const std::vector<std::string> bridge{"Bridge"}, router{"Router"}, vxlan{"Vxlan"};
        SchemaBuilder<Port> b("Port");
        b.field("id", &Port::id);
        b.field("type", &Port::type).required();
        b.field("adminStateUp", &Port::adminStateUp);
        b.field("deviceId", &Port::deviceId).readOnly();
        b.field("inboundFilterId", &Port::inboundFilterId).refersTo("chains");
        b.field("outboundFilterId", &Port::outboundFilterId).refersTo("chains");
        b.field("tunnelKey", &Port::tunnelKey).readOnly().range(0, kVniMax);
        b.field("vifId", &Port::vifId);
        b.field("hostId", &Port::hostId).readOnly().refersTo("hosts");
        b.field("interfaceName", &Port::interfaceName).readOnly().length(1, 255);
        b.field("peerId", &Port::peerId).readOnly().refersTo("ports");
        b.field("active", &Port::active).readOnly();
        b.field("inboundMirrorIds", &Port::inboundMirrorIds);
        b.field("outboundMirrorIds", &Port::outboundMirrorIds);
        b.field("postInFilterMirrorIds", &Port::postInFilterMirrorIds);
        b.field("preOutFilterMirrorIds", &Port::preOutFilterMirrorIds);
        b.field("insertionIds", &Port::insertionIds);
        b.field("qosPolicyId", &Port::qosPolicyId);
        b.field("vlanId", &Port::vlanId).range(0, kVlanMax).variants(bridge);
        b.field("portAddress", &Port::portAddress).variants(router);
        b.field("networkAddress", &Port::networkAddress).variants(router);
        b.field("networkLength", &Port::networkLength).range(0, 32).variants(router);
        b.field("portSubnet", &Port::portSubnet).maxItems(256).variants(router);
        b.field("portMac", &Port::portMac).variants(router);
        b.field("rtrPortVni", &Port::rtrPortVni).range(0, kVniMax).variants(router);
        b.field("offRampVxlan", &Port::offRampVxlan).variants(router);
        b.field("serviceContainerId", &Port::serviceContainerId).variants(router);
        b.field("bgpStatus", &Port::bgpStatus).readOnly().variants(router);
        b.field("vtepId", &Port::vtepId).readOnly().variants(vxlan);
        b.field("vni", &Port::vni).readOnly().range(0, kVniMax).variants(vxlan);
        b.discriminator("type", [](const Port &p) { return std::string(enumName(p.type)); });
        b.finish(finishPort);
        return b.build();
    }();
    return s;
}

const Schema<Route> &Route::schema()
{
    static const Schema<Route> s = [] {
        SchemaBuilder<Route> b("Route");
        b.field("id", &Route::id);
        b.field("routerId", &Route::routerId).readOnly().refersTo("routers");
        b.field("type", &Route::type).required();
        b.field("srcNetworkAddr", &Route::srcNetworkAddr).required();
        b.field("srcNetworkLength", &Route::srcNetworkLength).range(0, 32);
        b.field("dstNetworkAddr", &Route::dstNetworkAddr).required();
        b.field("dstNetworkLength", &Route::dstNetworkLength).range(0, 32);
        b.field("nextHopPort", &Route::nextHopPort).refersTo("ports");
        b.field("nextHopGateway", &Route::nextHopGateway);
        b.field("weight", &Route::weight).min(0);
        b.field("attributes", &Route::attributes).length(0, 1024);
        b.field("learned", &Route::learned).readOnly();
        b.finish([](Route &r, const std::string &p, Violations &v) {
            if ((r.type == RouteType::Normal || r.type == RouteType::Local) && !r.nextHopPort)
                v.push_back({p + "nextHopPort", std::string("may not be null for a ") +
                                                    std::string(enumName(r.type)) + " route"});
        });
        return b.build();
    }();
    return s;
}

const Schema<Chain> &Chain::schema()
{
    static const Schema<Chain> s = [] {
        SchemaBuilder<Chain> b("Chain");
        b.field("id", &Chain::id);
        b.field("tenantId", &Chain::tenantId);
        b.field("name", &Chain::name).length(0, 255);
        b.field("ruleIds", &Chain::ruleIds).storeOnly().refersTo("rules").maxItems(kStoredListMax);
        return b.build();
    }();
    return s;
}

} // namespace midonet::model
