// Schemas of port groups, IP address groups, BGP, L4 load balancing and state-table entries.
#include "common/model/bgp.h"
#include "common/model/detail/schema_builder.h"
#include "common/model/ip_addr_group.h"
#include "common/model/load_balancer.h"
#include "common/model/port_group.h"
#include "common/model/state_tables.h"

namespace midonet::model {

using detail::SchemaBuilder;

namespace {
constexpr size_t kStoredListMax = 100000;
}

const Schema<PortGroup> &PortGroup::schema()
{
    static const Schema<PortGroup> s = [] {
        SchemaBuilder<PortGroup> b("PortGroup");
        b.field("id", &PortGroup::id);
        b.field("tenantId", &PortGroup::tenantId);
        b.field("name", &PortGroup::name).length(0, 255);
        b.field("stateful", &PortGroup::stateful);
        b.field("portIds", &PortGroup::portIds).storeOnly().refersTo("ports").maxItems(kStoredListMax);
        return b.build();
    }();
    return s;
}

const Schema<PortGroupPort> &PortGroupPort::schema()
{
    static const Schema<PortGroupPort> s = [] {
        SchemaBuilder<PortGroupPort> b("PortGroupPort");
        b.field("portGroupId", &PortGroupPort::portGroupId).refersTo("port_groups");
        b.field("portId", &PortGroupPort::portId).required().refersTo("ports");
        return b.build();
    }();
    return s;
}

const Schema<IpAddrGroup> &IpAddrGroup::schema()
{
    static const Schema<IpAddrGroup> s = [] {
        SchemaBuilder<IpAddrGroup> b("IpAddrGroup");
        b.field("id", &IpAddrGroup::id);
        b.field("name", &IpAddrGroup::name).required().length(1, 255);
        b.field("inboundChainId", &IpAddrGroup::inboundChainId).refersTo("chains");
        b.field("outboundChainId", &IpAddrGroup::outboundChainId).refersTo("chains");
        b.field("ruleIds", &IpAddrGroup::ruleIds).readOnly().maxItems(kStoredListMax);
        b.field("ipAddrPorts", &IpAddrGroup::ipAddrPorts).readOnly().maxItems(kStoredListMax);
        b.field("addresses", &IpAddrGroup::addresses).storeOnly().maxItems(kStoredListMax);
        return b.build();
    }();
    return s;
}

const Schema<IpAddrGroupAddr> &IpAddrGroupAddr::schema()
{
    static const Schema<IpAddrGroupAddr> s = [] {
        SchemaBuilder<IpAddrGroupAddr> b("IpAddrGroupAddr");
        b.field("ipAddrGroupId", &IpAddrGroupAddr::ipAddrGroupId).refersTo("ip_addr_groups");
        b.field("addr", &IpAddrGroupAddr::addr).required().length(1, 64);
        b.field("version", &IpAddrGroupAddr::version).range(4, 6);
        b.finish([](IpAddrGroupAddr &a, const std::string &p, Violations &v) {
            if (a.version == 4) {
                if (auto ip = util::IPv4Address::parse(a.addr)) a.addr = ip->toString();
                else v.push_back({p + "addr", "'" + a.addr + "' is an invalid IPv4 address"});
            } else if (a.version == 6) {
                if (auto ip = util::IPv6Address::parse(a.addr)) a.addr = ip->toString();
                else v.push_back({p + "addr", "'" + a.addr + "' is an invalid IPv6 address"});
            } else {
                v.push_back({p + "version", "must be 4 or 6"});
            }
        });
        return b.build();
    }();
    return s;
}

const Schema<BgpPeer> &BgpPeer::schema()
{
    static const Schema<BgpPeer> s = [] {
        SchemaBuilder<BgpPeer> b("BgpPeer");
        b.field("id", &BgpPeer::id);
        b.field("routerId", &BgpPeer::routerId).readOnly().refersTo("routers");
        b.field("asNumber", &BgpPeer::asNumber).required().range(1, 4294967295LL);
        b.field("address", &BgpPeer::address).required();
        b.field("keepAlive", &BgpPeer::keepAlive).range(5, 3600);
        b.field("holdTime", &BgpPeer::holdTime).range(5, 7200);
        b.field("connectRetry", &BgpPeer::connectRetry).range(5, 3600);
        b.field("password", &BgpPeer::password).length(0, 80); // RFC 2385 keys are at most 80
        b.field("sessionState", &BgpPeer::sessionState).readOnly().apiOnly();
        b.field("prefixesReceived", &BgpPeer::prefixesReceived).readOnly().apiOnly();
        b.field("prefixesAdvertised", &BgpPeer::prefixesAdvertised).readOnly().apiOnly();
        b.field("uptimeSeconds", &BgpPeer::uptimeSeconds).readOnly().apiOnly();
        b.field("hostId", &BgpPeer::hostId).readOnly().apiOnly();
        return b.build();
    }();
    return s;
}

const Schema<BgpNetwork> &BgpNetwork::schema()
{
    static const Schema<BgpNetwork> s = [] {
        SchemaBuilder<BgpNetwork> b("BgpNetwork");
        b.field("id", &BgpNetwork::id);
        b.field("routerId", &BgpNetwork::routerId).readOnly().refersTo("routers");
        b.field("subnetAddress", &BgpNetwork::subnetAddress).required();
        b.field("subnetLength", &BgpNetwork::subnetLength).range(0, 32);
        return b.build();
    }();
    return s;
}

const Schema<LoadBalancer> &LoadBalancer::schema()
{
    static const Schema<LoadBalancer> s = [] {
        SchemaBuilder<LoadBalancer> b("LoadBalancer");
        b.field("id", &LoadBalancer::id);
        b.field("adminStateUp", &LoadBalancer::adminStateUp);
        b.field("routerId", &LoadBalancer::routerId).readOnly().refersTo("routers");
        return b.build();
    }();
    return s;
}

const Schema<Pool> &Pool::schema()
{
    static const Schema<Pool> s = [] {
        SchemaBuilder<Pool> b("Pool");
        b.field("id", &Pool::id);
        b.field("adminStateUp", &Pool::adminStateUp);
        b.field("loadBalancerId", &Pool::loadBalancerId).required().refersTo("load_balancers");
        b.field("healthMonitorId", &Pool::healthMonitorId).refersTo("health_monitors");
        b.field("lbMethod", &Pool::lbMethod).required();
        b.field("protocol", &Pool::protocol).readOnly();
        b.field("status", &Pool::status).readOnly();
        return b.build();
    }();
    return s;
}

const Schema<PoolMember> &PoolMember::schema()
{
    static const Schema<PoolMember> s = [] {
        SchemaBuilder<PoolMember> b("PoolMember");
        b.field("id", &PoolMember::id);
        b.field("poolId", &PoolMember::poolId).required().refersTo("pools");
        b.field("address", &PoolMember::address).required();
        b.field("protocolPort", &PoolMember::protocolPort).range(0, 65535);
        b.field("weight", &PoolMember::weight).min(1);
        b.field("adminStateUp", &PoolMember::adminStateUp);
        b.field("status", &PoolMember::status).readOnly();
        return b.build();
    }();
    return s;
}

const Schema<Vip> &Vip::schema()
{
    static const Schema<Vip> s = [] {
        SchemaBuilder<Vip> b("VIP");
        b.field("id", &Vip::id);
        b.field("adminStateUp", &Vip::adminStateUp);
        b.field("poolId", &Vip::poolId).required().refersTo("pools");
        b.field("address", &Vip::address).required();
        b.field("protocolPort", &Vip::protocolPort).range(0, 65535);
        b.field("sessionPersistence", &Vip::sessionPersistence);
        b.field("loadBalancerId", &Vip::loadBalancerId).readOnly().refersTo("load_balancers");
        return b.build();
    }();
    return s;
}

const Schema<HealthMonitor> &HealthMonitor::schema()
{
    static const Schema<HealthMonitor> s = [] {
        SchemaBuilder<HealthMonitor> b("HealthMonitor");
        b.field("id", &HealthMonitor::id);
        b.field("adminStateUp", &HealthMonitor::adminStateUp);
        b.field("type", &HealthMonitor::type).required();
        b.field("delay", &HealthMonitor::delay).min(0);
        b.field("timeout", &HealthMonitor::timeout).min(0);
        b.field("maxRetries", &HealthMonitor::maxRetries).min(0);
        return b.build();
    }();
    return s;
}

const Schema<MacPortEntry> &MacPortEntry::schema()
{
    static const Schema<MacPortEntry> s = [] {
        SchemaBuilder<MacPortEntry> b("MacPort");
        b.field("macAddr", &MacPortEntry::macAddr).required();
        b.field("portId", &MacPortEntry::portId).required().refersTo("ports");
        b.field("vlanId", &MacPortEntry::vlanId).range(0, 4095);
        return b.build();
    }();
    return s;
}

const Schema<Ip4MacEntry> &Ip4MacEntry::schema()
{
    static const Schema<Ip4MacEntry> s = [] {
        SchemaBuilder<Ip4MacEntry> b("IP4Mac");
        b.field("ip", &Ip4MacEntry::ip).required();
        b.field("mac", &Ip4MacEntry::mac).required();
        return b.build();
    }();
    return s;
}

const Schema<MacIpEntry> &MacIpEntry::schema()
{
    static const Schema<MacIpEntry> s = [] {
        SchemaBuilder<MacIpEntry> b("MacIp");
        b.field("ip", &MacIpEntry::ip).required();
        b.field("mac", &MacIpEntry::mac).required();
        return b.build();
    }();
    return s;
}

} // namespace midonet::model
