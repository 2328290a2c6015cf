#include "common/model/registry.h"

#include "common/model/model.h"

namespace midonet::model {

namespace {

template <class T> json normalizeAs(const json &in, const DecodeOptions &opts, View out)
{
    return encode(decode<T>(in, opts), out);
}

template <class T> Violations validateAs(const json &in, const DecodeOptions &opts)
{
    T obj{};
    Violations v;
    tryDecode(in, obj, v, opts);
    return v;
}

template <class T> json defaultsOf(View out) { return encode(T{}, out); }

template <class T> TypeInfo info()
{
    return {T::kType, T::kMediaType, &T::schema(), &normalizeAs<T>, &validateAs<T>, &defaultsOf<T>};
}

} // namespace

const std::vector<TypeInfo> &allTypes()
{
    static const std::vector<TypeInfo> types{
        info<Tenant>(),         info<Host>(),           info<TunnelZone>(),
        info<Bridge>(),         info<Router>(),         info<Port>(),
        info<Route>(),          info<Chain>(),          info<Rule>(),
        info<PortGroup>(),      info<IpAddrGroup>(),    info<BgpPeer>(),
        info<BgpNetwork>(),     info<LoadBalancer>(),   info<Pool>(),
        info<PoolMember>(),     info<Vip>(),            info<HealthMonitor>(),
        info<TraceRequest>(),
        // sub-resources
        info<HostInterface>(),  info<HostInterfacePort>(), info<TunnelZoneHost>(),
        info<PortGroupPort>(),  info<IpAddrGroupAddr>(),   info<MacPortEntry>(),
        info<Ip4MacEntry>(),    info<MacIpEntry>(),        info<DhcpSubnet>(),
        info<DhcpHost>(),
    };
    return types;
}

const TypeInfo *findType(std::string_view type)
{
    if (type.empty()) return nullptr;
    for (const auto &t : allTypes())
        if (t.type == type) return &t;
    return nullptr;
}

const TypeInfo *findTypeBySchemaName(std::string_view name)
{
    for (const auto &t : allTypes())
        if (t.schema->name == name) return &t;
    return nullptr;
}

} // namespace midonet::model
