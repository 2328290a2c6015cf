// Hosts (interfaces, port bindings), tunnel zones (members), port groups (members), IP address
// groups (addresses) and the bridge MAC/ARP tables (reference §4.1-4.3, §4.10-4.12).
//
// Tenancy: hosts, tunnel zones and IP address groups carry no tenant in MidoNet; they are
// infrastructure, visible to admins only (a tenant user lists none and gets 404 for their ids,
// 403 on writes). Port groups are tenant-owned; MAC/ARP tables belong to their bridge's tenant.
#include "cluster/detail/api.h"
#include "cluster/detail/store_resolver.h"
#include "common/model/api_rules.h"
#include "common/model/model.h"
#include "common/model/references.h"

#include <algorithm>
#include <set>

namespace midonet::cluster::detail {

using namespace model;

json renderPort(const Ctx &ctx, const Port &p);
std::optional<std::string> portTenant(Store &s, const Port &p);
Stored<Port> loadVisiblePort(Ctx &ctx, const Uuid &id, const std::string &property);

namespace {


// Infrastructure objects: tenant users see nothing.
template <class T> Stored<T> loadInfra(Ctx &ctx, const Uuid &id)
{
    auto o = ctx.isAdmin() ? tryLoad<T>(ctx.store, id) : std::nullopt;
    if (!o) throw ApiError::message(404, displayName(T::kType) + " " + id.toString() + " not found");
    return *o;
}

// ---- hosts -------------------------------------------------------------------------------------

json renderHost(Ctx &ctx, Host h)
{
    h.alive = ctx.store.getEphemeral("hosts", h.id, store::kAliveName).has_value();
    json j = encode(h);
    auto self = ctx.uri("hosts/" + h.id.toString());
    j["uri"] = self;
    j["interfaces"] = self + "/interfaces";
    j["ports"] = self + "/ports";
    return j;
}

json renderInterface(Ctx &ctx, const Uuid &host, HostInterface i)
{
    i.hostId = host;
    json j = encode(i);
    j["uri"] = ctx.uri("hosts/" + host.toString() + "/interfaces/" + i.name);
    return j;
}

json renderBinding(Ctx &ctx, const Port &p)
{
    HostInterfacePort b;
    b.hostId = p.hostId;
    b.portId = p.id;
    b.interfaceName = p.interfaceName.value_or("");
    json j = encode(b);
    j["uri"] = ctx.uri("hosts/" + p.hostId->toString() + "/ports/" + p.id.toString());
    j["host"] = ctx.uri("hosts/" + p.hostId->toString());
    j["port"] = ctx.uri("ports/" + p.id.toString());
    return j;
}

void addHosts(RouteTable &t)
{
    auto item = itemTypes("Host", {3, 2});
    t.add("GET", "/hosts", [](Ctx &ctx) {
        auto type = ctx.accept(collectionTypes("Host", {3, 2}));
        json arr = json::array();
        if (ctx.isAdmin())
            for (const auto &h : loadAll<Host>(ctx.store)) arr.push_back(renderHost(ctx, h.obj));
        return jsonResponse(200, arr, type);
    }, "List hosts", &Host::schema(), vendorCollectionType("Host", 3), true);
    t.add("GET", "/hosts/{id}", [item](Ctx &ctx) {
        auto type = ctx.accept(item);
        return jsonResponse(200, renderHost(ctx, loadInfra<Host>(ctx, ctx.id()).obj), type);
    }, "Get one host", &Host::schema(), vendorType("Host", 3));
    t.add("POST", "/hosts", [item](Ctx &ctx) {
        ctx.requireAdmin();
        ctx.consume(item);
        Host h = decodeInput<Host>(ctx.body());
        if (h.id.isNil()) h.id = Uuid::random();
        commit(ctx, {createOp(h)}, 0);
        return created(ctx.uri("hosts/" + h.id.toString()));
    }, "Create a host record", &Host::schema(), vendorType("Host", 3));
    t.add("PUT", "/hosts/{id}", [item](Ctx &ctx) {
        ctx.requireAdmin();
        ctx.consume(item);
        auto body = ctx.body();
        Host in = decodeInput<Host>(body);
        model::checkHostUpdate(body); // every weight and limit present (400 naming each missing one)
        return retrying(ctx, [&] {
            auto h = loadInfra<Host>(ctx, ctx.id());
            h.obj.floodingProxyWeight = in.floodingProxyWeight;
            h.obj.containerWeight = in.containerWeight;
            h.obj.containerLimit = in.containerLimit;
            h.obj.enforceContainerLimit = in.enforceContainerLimit;
            commit(ctx, {updateOp(h)});
            Response r;
            r.status = 200;
            return r;
        });
    }, "Update the host's weights and container limits (reply 200)", &Host::schema(), vendorType("Host", 3));
    t.add("DELETE", "/hosts/{id}", [](Ctx &ctx) {
        ctx.requireAdmin();
        return retrying(ctx, [&] {
            auto h = loadInfra<Host>(ctx, ctx.id());
            if (ctx.store.getEphemeral("hosts", h.obj.id, store::kAliveName))
                throw ApiError::message(403, "Host " + h.obj.id.toString() + " is alive");
            // The model refuses (403) while a port is bound to it and takes it out of its zones.
            commit(ctx, planDeleteOps(ctx.store, h));
            Response r;
            r.status = 200;
            return r;
        });
    }, "Delete a dead host without bindings (reply 200)");

    t.add("GET", "/hosts/{id}/interfaces", [](Ctx &ctx) {
        auto type = ctx.accept(collectionTypes("Interface", {1}));
        auto h = loadInfra<Host>(ctx, ctx.id());
        json arr = json::array();
        for (const auto &i : h.obj.hostInterfaces) arr.push_back(renderInterface(ctx, h.obj.id, i));
        return jsonResponse(200, arr, type);
    }, "Interfaces the host's agent reported", &HostInterface::schema(), vendorCollectionType("Interface", 1), true);
    t.add("GET", "/hosts/{id}/interfaces/{name}", [](Ctx &ctx) {
        // midonet-cli asks with the HostInterfacePort type here (a client bug): accept it too.
        MediaChoice mc = itemTypes("Interface", {1});
        mc.allowed.push_back(vendorType("HostInterfacePort", 1));
        auto type = ctx.accept(mc);
        auto h = loadInfra<Host>(ctx, ctx.id());
        for (const auto &i : h.obj.hostInterfaces)
            if (i.name == ctx.vars.at("name")) return jsonResponse(200, renderInterface(ctx, h.obj.id, i), type);
        throw ApiError::message(404, "Interface " + ctx.vars.at("name") + " not found on host " + h.obj.id.toString());
    }, "One interface", &HostInterface::schema(), vendorType("Interface", 1));

    // Bindings: a port's hostId + interfaceName.
    t.add("GET", "/hosts/{id}/ports", [](Ctx &ctx) {
        auto type = ctx.accept(collectionTypes("HostInterfacePort", {1}, false));
        auto h = loadInfra<Host>(ctx, ctx.id());
        json arr = json::array();
        for (const auto &p : loadAll<Port>(ctx.store))
            if (p.obj.hostId == h.obj.id && p.obj.interfaceName) arr.push_back(renderBinding(ctx, p.obj));
        return jsonResponse(200, arr, type);
    }, "Port bindings of the host", &HostInterfacePort::schema(), vendorCollectionType("HostInterfacePort", 1), true);
    t.add("POST", "/hosts/{id}/ports", [](Ctx &ctx) {
        ctx.requireAdmin();
        ctx.consume(itemTypes("HostInterfacePort", {1}));
        auto in = decodeInput<HostInterfacePort>(ctx.body());
        return retrying(ctx, [&] {
            auto h = loadInfra<Host>(ctx, ctx.id());
            in.hostId = h.obj.id;
            StoreResolver r(ctx.store);
            r.seed(h);
            auto ops = planOps(r, [&] { return model::planBind(r, in); });
            ops.push_back(r.touchOp("hosts", h.obj.id)); // a concurrent host delete retries
            commit(ctx, ops);
            return created(ctx.uri("hosts/" + h.obj.id.toString() + "/ports/" + in.portId->toString()));
        });
    }, "Bind a port to a host interface", &HostInterfacePort::schema(), vendorType("HostInterfacePort", 1));
    t.add("GET", "/hosts/{id}/ports/{portId}", [](Ctx &ctx) {
        auto type = ctx.accept(itemTypes("HostInterfacePort", {1}));
        auto h = loadInfra<Host>(ctx, ctx.id());
        auto p = tryLoad<Port>(ctx.store, ctx.id("portId"));
        if (!p || p->obj.hostId != h.obj.id) throw ApiError::message(404, "Port " + ctx.vars.at("portId") + " is not bound to this host");
        return jsonResponse(200, renderBinding(ctx, p->obj), type);
    }, "One binding", &HostInterfacePort::schema(), vendorType("HostInterfacePort", 1));
    t.add("DELETE", "/hosts/{id}/ports/{portId}", [](Ctx &ctx) {
        ctx.requireAdmin();
        return retrying(ctx, [&] {
            auto h = loadInfra<Host>(ctx, ctx.id());
            StoreResolver r(ctx.store);
            commit(ctx, planOps(r, [&] { return model::planUnbind(r, h.obj.id, ctx.id("portId")); }));
            return noContent();
        });
    }, "Unbind");
}

// ---- tunnel zones ------------------------------------------------------------------------------

json renderZone(Ctx &ctx, const TunnelZone &z)
{
    json j = encode(z);
    auto self = ctx.uri("tunnel_zones/" + z.id.toString());
    j["uri"] = self;
    j["hosts"] = self + "/hosts";
    return j;
}

json renderMember(Ctx &ctx, const TunnelZone &z, TunnelZoneHost m)
{
    m.tunnelZoneId = z.id;
    json j = encode(m);
    j["uri"] = ctx.uri("tunnel_zones/" + z.id.toString() + "/hosts/" + m.hostId->toString());
    j["host"] = ctx.uri("hosts/" + m.hostId->toString());
    j["tunnelZone"] = ctx.uri("tunnel_zones/" + z.id.toString());
    return j;
}

MediaChoice memberTypes(bool collection)
{
    MediaChoice c;
    for (const char *n : {"TunnelZoneHost", "GreTunnelZoneHost"})
        c.allowed.push_back(collection ? vendorCollectionType(n, 1) : vendorType(n, 1));
    return c;
}

// The model's rules for a zone about to be written: its name is unique (409 naming `name`).
void checkZoneName(Ctx &ctx, const TunnelZone &z)
{
    StoreResolver r(ctx.store);
    modelRules([&] { model::checkReferences(r, z); });
}

void addTunnelZones(RouteTable &t)
{
    auto item = itemTypes("TunnelZone", {1});
    t.add("GET", "/tunnel_zones", [](Ctx &ctx) {
        auto type = ctx.accept(collectionTypes("TunnelZone", {1}));
        json arr = json::array();
        if (ctx.isAdmin())
            for (const auto &z : loadAll<TunnelZone>(ctx.store)) arr.push_back(renderZone(ctx, z.obj));
        return jsonResponse(200, arr, type);
    }, "List tunnel zones", &TunnelZone::schema(), vendorCollectionType("TunnelZone", 1), true);
    t.add("GET", "/tunnel_zones/{id}", [item](Ctx &ctx) {
        auto type = ctx.accept(item);
        return jsonResponse(200, renderZone(ctx, loadInfra<TunnelZone>(ctx, ctx.id()).obj), type);
    }, "Get one tunnel zone", &TunnelZone::schema(), vendorType("TunnelZone", 1));
    t.add("POST", "/tunnel_zones", [item](Ctx &ctx) {
        ctx.requireAdmin();
        ctx.consume(item);
        TunnelZone z = decodeInput<TunnelZone>(ctx.body());
        if (z.id.isNil()) z.id = Uuid::random();
        z.hosts.clear();
        // Name uniqueness is checked, not enforced by the store: two instances creating the same
        // name at the same instant can both succeed (as in MidoNet).
        checkZoneName(ctx, z);
        commit(ctx, {createOp(z)}, 0);
        return created(ctx.uri("tunnel_zones/" + z.id.toString()));
    }, "Create a tunnel zone (name unique)", &TunnelZone::schema(), vendorType("TunnelZone", 1));
    t.add("PUT", "/tunnel_zones/{id}", [item](Ctx &ctx) {
        ctx.requireAdmin();
        ctx.consume(item);
        TunnelZone in = decodeInput<TunnelZone>(ctx.body());
        return retrying(ctx, [&] {
            auto z = loadInfra<TunnelZone>(ctx, ctx.id());
            TunnelZone next = in;
            copyServerOwned(z.obj, next);
            next.id = z.obj.id;
            // Deliberately relaxed from MidoNet: keeping the zone's own name is not a conflict.
            checkZoneName(ctx, next);
            commit(ctx, {updateOp(Stored<TunnelZone>{next, z.version})});
            return noContent();
        });
    }, "Rename / retype a tunnel zone (members kept)", &TunnelZone::schema(), vendorType("TunnelZone", 1));
    t.add("DELETE", "/tunnel_zones/{id}", [](Ctx &ctx) {
        ctx.requireAdmin();
        return retrying(ctx, [&] {
            commit(ctx, {removeOp(loadInfra<TunnelZone>(ctx, ctx.id()))});
            return noContent();
        });
    }, "Delete a tunnel zone");

    t.add("GET", "/tunnel_zones/{id}/hosts", [](Ctx &ctx) {
        auto type = ctx.accept(memberTypes(true));
        auto z = loadInfra<TunnelZone>(ctx, ctx.id());
        json arr = json::array();
        for (const auto &m : z.obj.hosts) arr.push_back(renderMember(ctx, z.obj, m));
        return jsonResponse(200, arr, type);
    }, "Members of a tunnel zone", &TunnelZoneHost::schema(), vendorCollectionType("TunnelZoneHost", 1), true);
    t.add("POST", "/tunnel_zones/{id}/hosts", [](Ctx &ctx) {
        ctx.requireAdmin();
        ctx.consume(memberTypes(false), 415);
        auto in = decodeInput<TunnelZoneHost>(ctx.body());
        return retrying(ctx, [&] {
            auto z = loadInfra<TunnelZone>(ctx, ctx.id());
            TunnelZoneHost m = in;
            m.tunnelZoneId = z.obj.id;
            StoreResolver r(ctx.store);
            r.seed(z);
            auto ops = planOps(r, [&] { return model::planAddTunnelZoneMember(r, m); }, 409);
            ops.push_back(r.touchOp("hosts", *in.hostId)); // a concurrent host delete retries
            commit(ctx, ops);
            return created(ctx.uri("tunnel_zones/" + z.obj.id.toString() + "/hosts/" + in.hostId->toString()));
        });
    }, "Add a host to the zone", &TunnelZoneHost::schema(), vendorType("TunnelZoneHost", 1));
    t.add("GET", "/tunnel_zones/{id}/hosts/{hostId}", [](Ctx &ctx) {
        auto type = ctx.accept(memberTypes(false));
        auto z = loadInfra<TunnelZone>(ctx, ctx.id());
        auto hostId = ctx.id("hostId");
        for (const auto &m : z.obj.hosts)
            if (m.hostId == hostId) return jsonResponse(200, renderMember(ctx, z.obj, m), type);
        throw ApiError::bare(404);
    }, "One member", &TunnelZoneHost::schema(), vendorType("TunnelZoneHost", 1));
    t.add("DELETE", "/tunnel_zones/{id}/hosts/{hostId}", [](Ctx &ctx) {
        ctx.requireAdmin();
        return retrying(ctx, [&] {
            auto z = loadInfra<TunnelZone>(ctx, ctx.id());
            StoreResolver r(ctx.store);
            r.seed(z);
            commit(ctx, planOps(r, [&] { return model::planRemoveTunnelZoneMember(r, z.obj.id, ctx.id("hostId")); }, 404));
            return noContent();
        });
    }, "Remove a host from the zone");
}

// ---- port groups -------------------------------------------------------------------------------

Stored<PortGroup> loadGroup(Ctx &ctx, const Uuid &id)
{
    auto g = tryLoad<PortGroup>(ctx.store, id);
    if (!g || !ctx.canSee(g->obj.tenantId)) throw ApiError::message(404, "Port group " + id.toString() + " not found");
    return *g;
}

json renderGroup(Ctx &ctx, const PortGroup &g)
{
    json j = encode(g);
    auto self = ctx.uri("port_groups/" + g.id.toString());
    j["uri"] = self;
    j["ports"] = self + "/ports";
    return j;
}

json renderGroupPort(Ctx &ctx, const Uuid &group, const Uuid &port)
{
    PortGroupPort m;
    m.portGroupId = group;
    m.portId = port;
    json j = encode(m);
    j["uri"] = ctx.uri("port_groups/" + group.toString() + "/ports/" + port.toString());
    j["port"] = ctx.uri("ports/" + port.toString());
    j["portGroup"] = ctx.uri("port_groups/" + group.toString());
    return j;
}

void addPortGroups(RouteTable &t)
{
    t.add("GET", "/port_groups", [](Ctx &ctx) {
        auto type = ctx.accept(collectionTypes("PortGroup", {1}));
        std::optional<std::string> tenant;
        std::optional<Uuid> port;
        if (auto it = ctx.query.find("tenant_id"); it != ctx.query.end()) tenant = it->second;
        if (auto it = ctx.query.find("port_id"); it != ctx.query.end()) {
            port = Uuid::parse(it->second);
            if (!port) return jsonResponse(200, json::array(), type);
        }
        json arr = json::array();
        for (const auto &g : loadAll<PortGroup>(ctx.store)) {
            if (!ctx.canSee(g.obj.tenantId) || (tenant && g.obj.tenantId != tenant)) continue;
            if (port && std::find(g.obj.portIds.begin(), g.obj.portIds.end(), *port) == g.obj.portIds.end()) continue;
            arr.push_back(renderGroup(ctx, g.obj));
        }
        return jsonResponse(200, arr, type);
    }, "List port groups (?tenant_id=, ?port_id=)", &PortGroup::schema(), vendorCollectionType("PortGroup", 1), true);
    t.add("GET", "/port_groups/{id}", [](Ctx &ctx) {
        auto type = ctx.accept(itemTypes("PortGroup", {1}, false));
        return jsonResponse(200, renderGroup(ctx, loadGroup(ctx, ctx.id()).obj), type);
    }, "Get one port group", &PortGroup::schema(), vendorType("PortGroup", 1));
    t.add("POST", "/port_groups", [](Ctx &ctx) {
        ctx.consume(itemTypes("PortGroup", {1}));
        PortGroup g = decodeInput<PortGroup>(ctx.body());
        if (g.id.isNil()) g.id = Uuid::random();
        g.portIds.clear();
        if (!ctx.isAdmin()) {
            if (g.tenantId && !g.tenantId->empty() && *g.tenantId != ctx.who.tenant)
                throw ApiError::violation("tenantId", "must be your own tenant (" + ctx.who.tenant + ")");
            g.tenantId = ctx.who.tenant;
        }
        commit(ctx, {createOp(g)}, 0);
        return created(ctx.uri("port_groups/" + g.id.toString()));
    }, "Create a port group", &PortGroup::schema(), vendorType("PortGroup", 1));
    t.add("PUT", "/port_groups/{id}", [](Ctx &ctx) {
        ctx.consume(itemTypes("PortGroup", {1}));
        PortGroup in = decodeInput<PortGroup>(ctx.body());
        return retrying(ctx, [&] {
            auto g = loadGroup(ctx, ctx.id());
            PortGroup next = in;
            copyServerOwned(g.obj, next);
            next.id = g.obj.id;
            if (!ctx.isAdmin()) next.tenantId = g.obj.tenantId;
            commit(ctx, {updateOp(Stored<PortGroup>{next, g.version})});
            return noContent();
        });
    }, "Replace a port group (members kept)", &PortGroup::schema(), vendorType("PortGroup", 1));
    t.add("DELETE", "/port_groups/{id}", [](Ctx &ctx) {
        return retrying(ctx, [&] {
            commit(ctx, planDeleteOps(ctx.store, loadGroup(ctx, ctx.id())));
            return noContent();
        });
    }, "Delete a port group");

    t.add("GET", "/port_groups/{id}/ports", [](Ctx &ctx) {
        auto type = ctx.accept(collectionTypes("PortGroupPort", {1}));
        auto g = loadGroup(ctx, ctx.id());
        json arr = json::array();
        for (const auto &p : g.obj.portIds) arr.push_back(renderGroupPort(ctx, g.obj.id, p));
        return jsonResponse(200, arr, type);
    }, "Members of a port group", &PortGroupPort::schema(), vendorCollectionType("PortGroupPort", 1), true);
    t.add("POST", "/port_groups/{id}/ports", [](Ctx &ctx) {
        ctx.consume(itemTypes("PortGroupPort", {1}));
        auto in = decodeInput<PortGroupPort>(ctx.body());
        if (!in.portId) throw ApiError::violation("portId", "may not be null");
        return retrying(ctx, [&] {
            auto g = loadGroup(ctx, ctx.id());
            auto p = loadVisiblePort(ctx, *in.portId, "portId");
            StoreResolver r(ctx.store);
            r.seed(g);
            r.seed(p);
            auto ops = planOps(r, [&] { return model::planAddPortGroupMember(r, {g.obj.id, p.obj.id}); }, 409);
            ops.push_back(r.touchOp("ports", p.obj.id)); // a concurrent port delete retries
            commit(ctx, ops);
            return created(ctx.uri("port_groups/" + g.obj.id.toString() + "/ports/" + p.obj.id.toString()));
        });
    }, "Add a port to the group", &PortGroupPort::schema(), vendorType("PortGroupPort", 1));
    t.add("GET", "/port_groups/{id}/ports/{portId}", [](Ctx &ctx) {
        auto type = ctx.accept(itemTypes("PortGroupPort", {1}));
        auto g = loadGroup(ctx, ctx.id());
        auto p = ctx.id("portId");
        if (std::find(g.obj.portIds.begin(), g.obj.portIds.end(), p) == g.obj.portIds.end()) throw ApiError::bare(404);
        return jsonResponse(200, renderGroupPort(ctx, g.obj.id, p), type);
    }, "One member", &PortGroupPort::schema(), vendorType("PortGroupPort", 1));
    t.add("DELETE", "/port_groups/{id}/ports/{portId}", [](Ctx &ctx) {
        return retrying(ctx, [&] {
            auto g = loadGroup(ctx, ctx.id());
            StoreResolver r(ctx.store);
            r.seed(g);
            commit(ctx, planOps(r, [&] { return model::planRemovePortGroupMember(r, g.obj.id, ctx.id("portId")); }, 404));
            return noContent();
        });
    }, "Remove a port from the group");
    t.add("GET", "/ports/{id}/port_groups", [](Ctx &ctx) {
        auto type = ctx.accept(collectionTypes("PortGroupPort", {1}, false));
        auto p = loadVisiblePort(ctx, ctx.id(), "");
        json arr = json::array();
        for (const auto &g : loadAll<PortGroup>(ctx.store))
            if (ctx.canSee(g.obj.tenantId) && std::find(g.obj.portIds.begin(), g.obj.portIds.end(), p.obj.id) != g.obj.portIds.end())
                arr.push_back(renderGroupPort(ctx, g.obj.id, p.obj.id));
        return jsonResponse(200, arr, type);
    }, "Port groups a port belongs to", &PortGroupPort::schema(), vendorCollectionType("PortGroupPort", 1), true);
}

// ---- IP address groups -------------------------------------------------------------------------

json renderIpGroup(Ctx &ctx, const IpAddrGroup &g)
{
    json j = encode(g);
    auto self = ctx.uri("ip_addr_groups/" + g.id.toString());
    j["uri"] = self;
    j["addrs"] = self + "/ip_addrs";
    return j;
}

int addrVersion(const std::string &addr) { return addr.find(':') != std::string::npos ? 6 : 4; }

json renderAddr(Ctx &ctx, const Uuid &group, const std::string &addr)
{
    IpAddrGroupAddr a;
    a.ipAddrGroupId = group;
    a.addr = addr;
    a.version = addrVersion(addr);
    json j = encode(a);
    j["uri"] = ctx.uri("ip_addr_groups/" + group.toString() + "/versions/" + std::to_string(a.version) + "/ip_addrs/" + addr);
    j["ipAddrGroup"] = ctx.uri("ip_addr_groups/" + group.toString());
    return j;
}

void addIpAddrGroups(RouteTable &t)
{
    t.add("GET", "/ip_addr_groups", [](Ctx &ctx) {
        auto type = ctx.accept(collectionTypes("IpAddrGroup", {1}, false));
        json arr = json::array();
        if (ctx.isAdmin())
            for (const auto &g : loadAll<IpAddrGroup>(ctx.store)) arr.push_back(renderIpGroup(ctx, g.obj));
        return jsonResponse(200, arr, type);
    }, "List IP address groups", &IpAddrGroup::schema(), vendorCollectionType("IpAddrGroup", 1), true);
    t.add("GET", "/ip_addr_groups/{id}", [](Ctx &ctx) {
        auto type = ctx.accept(itemTypes("IpAddrGroup", {1}, false));
        return jsonResponse(200, renderIpGroup(ctx, loadInfra<IpAddrGroup>(ctx, ctx.id()).obj), type);
    }, "Get one IP address group", &IpAddrGroup::schema(), vendorType("IpAddrGroup", 1));
    t.add("POST", "/ip_addr_groups", [](Ctx &ctx) {
        ctx.requireAdmin();
        ctx.consume(itemTypes("IpAddrGroup", {1}, false));
        auto g = decodeInput<IpAddrGroup>(ctx.body());
        if (g.id.isNil()) g.id = Uuid::random();
        g.addresses.clear();
        commit(ctx, {createOp(g)}, 0);
        return created(ctx.uri("ip_addr_groups/" + g.id.toString()));
    }, "Create an IP address group", &IpAddrGroup::schema(), vendorType("IpAddrGroup", 1));
    t.add("DELETE", "/ip_addr_groups/{id}", [](Ctx &ctx) {
        ctx.requireAdmin();
        return retrying(ctx, [&] {
            commit(ctx, planDeleteOps(ctx.store, loadInfra<IpAddrGroup>(ctx, ctx.id())));
            return noContent();
        });
    }, "Delete an IP address group");
    t.add("GET", "/ip_addr_groups/{id}/ip_addrs", [](Ctx &ctx) {
        auto type = ctx.accept(collectionTypes("IpAddrGroupAddr", {1}, false));
        auto g = loadInfra<IpAddrGroup>(ctx, ctx.id());
        json arr = json::array();
        for (const auto &a : g.obj.addresses) arr.push_back(renderAddr(ctx, g.obj.id, a));
        return jsonResponse(200, arr, type);
    }, "Addresses of the group", &IpAddrGroupAddr::schema(), vendorCollectionType("IpAddrGroupAddr", 1), true);
    t.add("POST", "/ip_addr_groups/{id}/ip_addrs", [](Ctx &ctx) {
        ctx.requireAdmin();
        ctx.consume(itemTypes("IpAddrGroupAddr", {1}, false), 415);
        auto a = decodeInput<IpAddrGroupAddr>(ctx.body());
        return retrying(ctx, [&] {
            auto g = loadInfra<IpAddrGroup>(ctx, ctx.id());
            IpAddrGroupAddr in = a;
            in.ipAddrGroupId = g.obj.id;
            StoreResolver r(ctx.store);
            r.seed(g);
            commit(ctx, planOps(r, [&] { return model::planAddIpAddrGroupAddr(r, in); }));
            return created(ctx.uri("ip_addr_groups/" + g.obj.id.toString() + "/versions/" + std::to_string(a.version) +
                                   "/ip_addrs/" + a.addr));
        });
    }, "Add an address", &IpAddrGroupAddr::schema(), vendorType("IpAddrGroupAddr", 1));
    auto findAddr = [](Ctx &ctx) {
        const auto &v = ctx.vars.at("version");
        if (v != "4" && v != "6") throw ApiError::violation("version", "must be 4 or 6");
        IpAddrGroupAddr probe;
        probe.version = std::stoi(v);
        probe.addr = ctx.vars.at("addr");
        auto parsed = decodeInput<IpAddrGroupAddr>(encode(probe)); // canonical text, 400 if bad
        return parsed.addr;
    };
    t.add("GET", "/ip_addr_groups/{id}/versions/{version}/ip_addrs/{addr}", [findAddr](Ctx &ctx) {
        auto type = ctx.accept(itemTypes("IpAddrGroupAddr", {1}, false));
        auto g = loadInfra<IpAddrGroup>(ctx, ctx.id());
        auto addr = findAddr(ctx);
        if (std::find(g.obj.addresses.begin(), g.obj.addresses.end(), addr) == g.obj.addresses.end())
            throw ApiError::message(404, "Address " + addr + " is not in the group");
        return jsonResponse(200, renderAddr(ctx, g.obj.id, addr), type);
    }, "One address", &IpAddrGroupAddr::schema(), vendorType("IpAddrGroupAddr", 1));
    t.add("DELETE", "/ip_addr_groups/{id}/versions/{version}/ip_addrs/{addr}", [findAddr](Ctx &ctx) {
        ctx.requireAdmin();
        return retrying(ctx, [&] {
            auto g = loadInfra<IpAddrGroup>(ctx, ctx.id());
            auto addr = findAddr(ctx);
            StoreResolver r(ctx.store);
            r.seed(g);
            auto ops = planOps(r, [&] { return model::planRemoveIpAddrGroupAddr(r, g.obj.id, addr); });
            if (!ops.empty()) commit(ctx, ops);
            return noContent(); // idempotent, as in MidoNet
        });
    }, "Remove an address (idempotent)");
}

// ---- MAC and ARP tables --------------------------------------------------------------------------

Stored<Bridge> loadBridge(Ctx &ctx)
{
    auto b = tryLoad<Bridge>(ctx.store, ctx.id());
    if (!b || !ctx.canSee(b->obj.tenantId)) throw ApiError::message(404, "Bridge " + ctx.vars.at("id") + " not found");
    return *b;
}

std::string dashed(std::string mac)
{
    std::replace(mac.begin(), mac.end(), ':', '-');
    return mac;
}

json renderMac(Ctx &ctx, const Uuid &bridge, unsigned vlan, const std::string &mac, const std::string &port)
{
    std::string base = "bridges/" + bridge.toString() + (vlan ? "/vlans/" + std::to_string(vlan) : "") + "/mac_table/";
    return {{"macAddr", mac}, {"portId", port}, {"vlanId", vlan}, {"uri", ctx.uri(base + dashed(mac) + "_" + port)}};
}

std::optional<unsigned> vlanVar(Ctx &ctx)
{
    auto it = ctx.vars.find("vlan");
    if (it == ctx.vars.end()) return std::nullopt;
    try {
        size_t used = 0;
        int v = std::stoi(it->second, &used);
        if (used == it->second.size() && v >= 0 && v <= 4095) return unsigned(v);
    } catch (...) {
    }
    throw ApiError::message(404, "VLAN " + it->second + " not found");
}

// VLANs a bridge's MAC tables can exist for: untagged plus every port's vlanId.
std::set<unsigned> bridgeVlans(Ctx &ctx, const Uuid &bridge)
{
    std::set<unsigned> v{0};
    for (const auto &p : loadAll<Port>(ctx.store))
        if (p.obj.deviceId == bridge && p.obj.vlanId && *p.obj.vlanId > 0) v.insert(unsigned(*p.obj.vlanId));
    return v;
}

void addMacTable(RouteTable &t, const std::string &prefix)
{
    t.add("GET", prefix + "/mac_table", [](Ctx &ctx) {
        auto type = ctx.accept(collectionTypes("MacPort", {2}));
        auto b = loadBridge(ctx);
        auto vlan = vlanVar(ctx);
        json arr = json::array();
        for (unsigned v : vlan ? std::set<unsigned>{*vlan} : bridgeVlans(ctx, b.obj.id))
            for (const auto &e : ctx.store.entries(store::macTable(b.obj.id, v)))
                arr.push_back(renderMac(ctx, b.obj.id, v, e.key, e.value));
        return jsonResponse(200, arr, type);
    }, "MAC table entries", &MacPortEntry::schema(), vendorCollectionType("MacPort", 2), true);
    t.add("POST", prefix + "/mac_table", [](Ctx &ctx) {
        ctx.consume(itemTypes("MacPort", {2}));
        auto e = decodeInput<MacPortEntry>(ctx.body());
        auto b = loadBridge(ctx);
        unsigned vlan = vlanVar(ctx).value_or(e.vlanId.value_or(0));
        e.vlanId = int(vlan);
        StoreResolver r(ctx.store);
        r.seed(b);
        // The port is one of this bridge's; a non-zero port vlanId must be the entry's.
        modelRules([&] { model::checkMacPortEntry(r, b.obj.id, e); });
        auto mac = e.macAddr.toString();
        ctx.store.putEntry(store::macTable(b.obj.id, vlan), mac, e.portId->toString());
        std::string base = "bridges/" + b.obj.id.toString() + (vlan ? "/vlans/" + std::to_string(vlan) : "") + "/mac_table/";
        return created(ctx.uri(base + dashed(mac) + "_" + e.portId->toString()));
    }, "Add a MAC table entry", &MacPortEntry::schema(), vendorType("MacPort", 2));
    auto parseKey = [](Ctx &ctx) {
        const auto &k = ctx.vars.at("entry");
        auto us = k.find('_');
        if (us == std::string::npos) throw ApiError::message(404, "MAC table entry " + k + " not found");
        std::string mac = k.substr(0, us);
        std::replace(mac.begin(), mac.end(), '-', ':');
        auto m = util::MacAddress::parse(mac);
        auto port = Uuid::parse(k.substr(us + 1));
        if (!m || !port) throw ApiError::message(404, "MAC table entry " + k + " not found");
        return std::pair{m->toString(), port->toString()};
    };
    t.add("GET", prefix + "/mac_table/{entry}", [parseKey](Ctx &ctx) {
        auto type = ctx.accept(itemTypes("MacPort", {2}));
        auto b = loadBridge(ctx);
        auto [mac, port] = parseKey(ctx);
        for (unsigned v : vlanVar(ctx) ? std::set<unsigned>{*vlanVar(ctx)} : bridgeVlans(ctx, b.obj.id))
            for (const auto &e : ctx.store.entries(store::macTable(b.obj.id, v)))
                if (e.key == mac && e.value == port) return jsonResponse(200, renderMac(ctx, b.obj.id, v, mac, port), type);
        throw ApiError::message(404, "MAC table entry " + ctx.vars.at("entry") + " not found");
    }, "One MAC table entry", &MacPortEntry::schema(), vendorType("MacPort", 2));
    t.add("DELETE", prefix + "/mac_table/{entry}", [parseKey](Ctx &ctx) {
        auto b = loadBridge(ctx);
        auto [mac, port] = parseKey(ctx);
        for (unsigned v : vlanVar(ctx) ? std::set<unsigned>{*vlanVar(ctx)} : bridgeVlans(ctx, b.obj.id))
            for (const auto &e : ctx.store.entries(store::macTable(b.obj.id, v)))
                if (e.key == mac && e.value == port) ctx.store.removeEntry(store::macTable(b.obj.id, v), mac);
        return noContent();
    }, "Delete a MAC table entry");
}

store::TableRef bridgeArpTable(const Uuid &b) { return {"bridges", b, "arp_table"}; }

void addArpTable(RouteTable &t)
{
    auto render = [](Ctx &ctx, const Uuid &b, const std::string &ip, const std::string &mac) {
        return json{{"ip", ip}, {"mac", mac}, {"uri", ctx.uri("bridges/" + b.toString() + "/arp_table/" + ip + "_" + dashed(mac))}};
    };
    t.add("GET", "/bridges/{id}/arp_table", [render](Ctx &ctx) {
        auto type = ctx.accept(collectionTypes("IP4Mac", {1}));
        auto b = loadBridge(ctx);
        json arr = json::array();
        for (const auto &e : ctx.store.entries(bridgeArpTable(b.obj.id))) arr.push_back(render(ctx, b.obj.id, e.key, e.value));
        return jsonResponse(200, arr, type);
    }, "ARP table entries", &Ip4MacEntry::schema(), vendorCollectionType("IP4Mac", 1), true);
    t.add("POST", "/bridges/{id}/arp_table", [](Ctx &ctx) {
        ctx.consume(itemTypes("IP4Mac", {1}, false), 415);
        auto e = decodeInput<Ip4MacEntry>(ctx.body());
        auto b = loadBridge(ctx);
        ctx.store.putEntry(bridgeArpTable(b.obj.id), e.ip.toString(), e.mac.toString());
        return created(ctx.uri("bridges/" + b.obj.id.toString() + "/arp_table/" + e.ip.toString() + "_" + dashed(e.mac.toString())));
    }, "Add an ARP entry", &Ip4MacEntry::schema(), vendorType("IP4Mac", 1));
    auto parse = [](Ctx &ctx) {
        const auto &k = ctx.vars.at("entry");
        auto us = k.find('_');
        std::string mac = us == std::string::npos ? "" : k.substr(us + 1);
        std::replace(mac.begin(), mac.end(), '-', ':');
        auto ip = util::IPv4Address::parse(k.substr(0, us));
        auto m = util::MacAddress::parse(mac);
        if (!ip || !m) throw ApiError::message(404, "ARP entry " + k + " not found");
        return std::pair{ip->toString(), m->toString()};
    };
    t.add("GET", "/bridges/{id}/arp_table/{entry}", [render, parse](Ctx &ctx) {
        auto type = ctx.accept(itemTypes("IP4Mac", {1}));
        auto b = loadBridge(ctx);
        auto [ip, mac] = parse(ctx);
        for (const auto &e : ctx.store.entries(bridgeArpTable(b.obj.id)))
            if (e.key == ip && e.value == mac) return jsonResponse(200, render(ctx, b.obj.id, ip, mac), type);
        throw ApiError::message(404, "ARP entry " + ctx.vars.at("entry") + " not found");
    }, "One ARP entry", &Ip4MacEntry::schema(), vendorType("IP4Mac", 1));
    t.add("DELETE", "/bridges/{id}/arp_table/{entry}", [parse](Ctx &ctx) {
        auto b = loadBridge(ctx);
        auto [ip, mac] = parse(ctx);
        for (const auto &e : ctx.store.entries(bridgeArpTable(b.obj.id)))
            if (e.key == ip && e.value == mac) ctx.store.removeEntry(bridgeArpTable(b.obj.id), ip);
        return noContent();
    }, "Delete an ARP entry");
}

} // namespace

void addInfraRoutes(RouteTable &t)
{
    addHosts(t);
    addTunnelZones(t);
    addPortGroups(t);
    addIpAddrGroups(t);
    addMacTable(t, "/bridges/{id}");
    addMacTable(t, "/bridges/{id}/vlans/{vlan}");
    addArpTable(t);
}


} // namespace midonet::cluster::detail
