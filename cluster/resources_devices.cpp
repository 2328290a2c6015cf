// Bridges, routers, their ports (link/unlink, peer ports), routes and BGP objects
// (reference §4.4-4.7, §4.13).
#include "cluster/detail/api.h"
#include "cluster/detail/json_dump.h"
#include "cluster/detail/store_resolver.h"
#include "common/model/derived.h"
#include "common/model/learned_routes.h"
#include "common/model/api_rules.h"
#include "common/model/model.h"
#include "common/model/references.h"

#include <chrono>
#include <random>

namespace midonet::cluster::detail {

using namespace model;

namespace {

// ---- shared helpers ------------------------------------------------------------------------

void setLink(json &j, const char *key, const std::optional<std::string> &uri)
{
    j[key] = uri ? json(*uri) : json(nullptr);
}

Uuid chooseId(const Uuid &given) { return given.isNil() ? Uuid::random() : given; }

// A tenant user creates in its own tenant; naming another is refused.
void assignTenant(const Ctx &ctx, std::optional<std::string> &tenantId)
{
    if (ctx.isAdmin()) return;
    if (tenantId && !tenantId->empty() && *tenantId != ctx.who.tenant)
        throw ApiError::violation("tenantId", "must be your own tenant (" + ctx.who.tenant + ")");
    tenantId = ctx.who.tenant;
}

// A chain referenced by a device or port: it must exist and be visible; it is touched so a
// concurrent chain delete (which clears references) retries and sees the new reference.
void referChain(Ctx &ctx, const std::optional<Uuid> &id, const char *property, std::vector<store::Op> &ops)
{
    if (!id) return;
    auto c = tryLoad<Chain>(ctx.store, *id);
    if (!c || !ctx.canSee(c->obj.tenantId))
        throw ApiError::message(404, std::string(property) + ": Chain " + id->toString() + " not found");
    for (const auto &op : ops)
        if (op.type == "chains" && op.id == *id) return;
    ops.push_back(touchOp(*c));
}

template <class T> std::string selfUri(const Ctx &ctx, const T &obj)
{
    return ctx.uri(std::string(T::kType) + "/" + obj.id.toString());
}

json renderBridge(const Ctx &ctx, const Bridge &b)
{
    json j = encode(b);
    auto self = selfUri(ctx, b);
    j["uri"] = self;
    setLink(j, "inboundFilter", uuidUri(ctx, "chains", b.inboundFilterId));
    setLink(j, "outboundFilter", uuidUri(ctx, "chains", b.outboundFilterId));
    j["ports"] = self + "/ports";
    j["peerPorts"] = self + "/peer_ports";
    j["vxLanPorts"] = self + "/vxlan_ports";
    j["macTable"] = self + "/mac_table";
    j["arpTable"] = self + "/arp_table";
    j["dhcpSubnets"] = self + "/dhcp";
    j["dhcpSubnet6s"] = self + "/dhcpV6";
    j["vlanMacTableTemplate"] = self + "/vlans/{vlanId}/mac_table";
    j["macPortTemplate"] = self + "/mac_table/{macAddress}_{portId}";
    j["vlanMacPortTemplate"] = self + "/vlans/{vlanId}/mac_table/{macAddress}_{portId}";
    return j;
}

json renderRouter(const Ctx &ctx, const Router &r)
{
    json j = encode(r);
    auto self = selfUri(ctx, r);
    j["uri"] = self;
    setLink(j, "inboundFilter", uuidUri(ctx, "chains", r.inboundFilterId));
    setLink(j, "outboundFilter", uuidUri(ctx, "chains", r.outboundFilterId));
    setLink(j, "loadBalancer", uuidUri(ctx, "load_balancers", r.loadBalancerId));
    setLink(j, "localRedirectChain", uuidUri(ctx, "chains", r.localRedirectChainId));
    setLink(j, "forwardChain", uuidUri(ctx, "chains", r.forwardChainId));
    j["ports"] = self + "/ports";
    j["peerPorts"] = self + "/peer_ports";
    j["routes"] = self + "/routes";
    j["bgpNetworks"] = self + "/bgp_networks";
    j["bgpPeers"] = self + "/bgp_peers";
    return j;
}

} // namespace

json renderPort(const Ctx &ctx, const Port &p)
{
    json j = encode(p);
    auto self = selfUri(ctx, p);
    j["uri"] = self;
    const char *devColl = p.type == PortType::Router ? "routers" : "bridges";
    setLink(j, "device", uuidUri(ctx, devColl, p.deviceId));
    setLink(j, "host", uuidUri(ctx, "hosts", p.hostId));
    setLink(j, "peer", uuidUri(ctx, "ports", p.peerId));
    j["link"] = self + "/link";
    j["portGroups"] = self + "/port_groups";
    setLink(j, "hostInterfacePort",
            p.hostId ? std::optional(ctx.uri("hosts/" + p.hostId->toString() + "/ports/" + p.id.toString())) : std::nullopt);
    setLink(j, "inboundFilter", uuidUri(ctx, "chains", p.inboundFilterId));
    setLink(j, "outboundFilter", uuidUri(ctx, "chains", p.outboundFilterId));
    if (p.type == PortType::Router) {
        j["peeringTable"] = self + "/peering_table";
        setLink(j, "serviceContainer", uuidUri(ctx, "service_containers", p.serviceContainerId));
    }
    return j;
}

json renderRoute(const Ctx &ctx, const Route &r)
{
    json j = encode(r);
    j["uri"] = selfUri(ctx, r);
    setLink(j, "router", uuidUri(ctx, "routers", r.routerId));
    return j;
}

// Tenant of a port through its device; std::nullopt = no owner (admins only).
std::optional<std::string> portTenant(Store &s, const Port &p)
{
    return p.deviceId ? deviceTenant(s, *p.deviceId) : std::nullopt;
}

Stored<Port> loadVisiblePort(Ctx &ctx, const Uuid &id, const std::string &property)
{
    auto p = tryLoad<Port>(ctx.store, id);
    if (!p || !ctx.canSee(portTenant(ctx.store, p->obj))) {
        std::string msg = "Port " + id.toString() + " not found";
        throw ApiError::message(404, property.empty() ? msg : property + ": " + msg);
    }
    return *p;
}

namespace {

template <class T> Stored<T> loadOwned(Ctx &ctx, const Uuid &id)
{
    auto o = tryLoad<T>(ctx.store, id);
    if (!o || !ctx.canSee(o->obj.tenantId))
        throw ApiError::message(404, displayName(T::kType) + " " + id.toString() + " not found");
    return *o;
}

// Lists a tenant-owned type with MidoNet's ?tenant_id= filter.
template <class T, class R> Response listOwned(Ctx &ctx, const MediaChoice &mc, R render)
{
    auto type = ctx.accept(mc);
    std::optional<std::string> filter;
    if (auto it = ctx.query.find("tenant_id"); it != ctx.query.end()) filter = it->second;
    // Each item is written out as soon as it is rendered: the same bytes as dumping a json array,
    // without holding every item's tree at once.
    std::string body = "[";
    for (const auto &o : loadAll<T>(ctx.store)) {
        if (!ctx.canSee(o.obj.tenantId)) continue;
        if (filter && o.obj.tenantId != filter) continue;
        if (body.size() > 1) body += ',';
        appendJson(render(ctx, o.obj), body);
    }
    body += ']';
    return jsonTextResponse(200, std::move(body), type);
}

// ---- tunnel keys -----------------------------------------------------------------------------
// A port's tunnel key comes from one global counter object in the NSDB, bumped in the same
// multi-op that creates the port: two instances never hand out the same key.
const Uuid kTunnelKeyCounter{0, 1};
constexpr const char *kSequences = "cluster_sequences";

Stored<json> loadCounter(Store &s)
{
    for (int i = 0; i < 3; ++i) {
        try {
            auto o = s.get(kSequences, kTunnelKeyCounter);
            return {json::parse(o.data), o.version};
        } catch (const store::StoreError &e) {
            if (e.errc() != store::StoreErrc::not_found) throw;
        }
        try {
            s.create(kSequences, kTunnelKeyCounter, json{{"next", 1}}.dump());
        } catch (const store::StoreError &e) {
            if (e.errc() != store::StoreErrc::already_exists) throw;
        }
    }
    throw Retry{};
}

// ---- bridges and routers ---------------------------------------------------------------------

template <class D> void checkDeviceRefs(Ctx &ctx, const D &d, std::vector<store::Op> &ops)
{
    referChain(ctx, d.inboundFilterId, "inboundFilterId", ops);
    referChain(ctx, d.outboundFilterId, "outboundFilterId", ops);
    if constexpr (std::is_same_v<D, Router>) {
        referChain(ctx, d.localRedirectChainId, "localRedirectChainId", ops);
        referChain(ctx, d.forwardChainId, "forwardChainId", ops);
        if (d.loadBalancerId) {
            auto lb = tryLoad<LoadBalancer>(ctx.store, *d.loadBalancerId);
            if (!lb) throw ApiError::message(404, "loadBalancerId: Load balancer " + d.loadBalancerId->toString() + " not found");
            ops.push_back(touchOp(*lb)); // two routers attaching it at once: one retries and sees the other
        }
    }
    // The model's rules for the device (a load balancer is attached to one router: 409 naming
    // loadBalancerId); the visibility checks above answer 404 first.
    StoreResolver res(ctx.store);
    modelRules([&] { model::checkReferences(res, d); });
}

template <class D, class R> void addDevice(RouteTable &t, const char *coll, const char *media, std::initializer_list<int> versions, R render)
{
    std::string c = std::string("/") + coll;
    auto items = itemTypes(media, versions);
    auto colls = collectionTypes(media, versions);
    std::string primary = vendorType(media, *versions.begin());
    t.add("GET", c, [colls, render](Ctx &ctx) { return listOwned<D>(ctx, colls, render); },
          "List (filter ?tenant_id=)", &D::schema(), vendorCollectionType(media, *versions.begin()), true);
    t.add("GET", c + "/{id}", [items, render](Ctx &ctx) {
        auto type = ctx.accept(items);
        return jsonResponse(200, render(ctx, loadOwned<D>(ctx, ctx.id()).obj), type);
    }, "Get one", &D::schema(), primary);
    t.add("POST", c, [items](Ctx &ctx) {
        ctx.consume(items);
        auto body = ctx.body();
        if constexpr (std::is_same_v<D, Bridge>) model::checkBridgeWrite(body, nullptr); // vxLanPortIds: VTEP bindings set it
        D d = decodeInput<D>(body);
        d.id = chooseId(d.id);
        assignTenant(ctx, d.tenantId);
        return retrying(ctx, [&] {
            std::vector<store::Op> ops;
            checkDeviceRefs(ctx, d, ops);
            ops.push_back(createOp(d));
            commit(ctx, ops, int(ops.size()) - 1);
            return created(ctx.uri(std::string(D::kType) + "/" + d.id.toString()));
        });
    }, "Create", &D::schema(), primary);
    t.add("PUT", c + "/{id}", [items](Ctx &ctx) {
        ctx.consume(items);
        auto body = ctx.body();
        D incoming = decodeInput<D>(body);
        return retrying(ctx, [&] {
            auto stored = loadOwned<D>(ctx, ctx.id());
            if constexpr (std::is_same_v<D, Bridge>) model::checkBridgeWrite(body, &stored.obj); // vxLanPortIds unchanged
            D next = incoming;
            copyServerOwned(stored.obj, next);
            next.id = stored.obj.id;
            if (!ctx.isAdmin()) next.tenantId = stored.obj.tenantId;
            std::vector<store::Op> ops;
            checkDeviceRefs(ctx, next, ops);
            ops.push_back(updateOp(Stored<D>{next, stored.version}));
            commit(ctx, ops);
            return noContent();
        });
    }, "Replace (server-owned fields are kept)", &D::schema(), primary);
    t.add("DELETE", c + "/{id}", [](Ctx &ctx) {
        auto first = loadOwned<D>(ctx, ctx.id()); // 404 before fencing anything
        markDeleting(ctx.store, first.obj.id);
        struct Unmark {
            Store &s;
            Uuid id;
            ~Unmark() { unmarkDeleting(s, id); } // after a refusal or failure; no-op after success
        } unmark{ctx.store, first.obj.id};
        return retrying(ctx, [&] {
            auto d = loadOwned<D>(ctx, ctx.id());
            // The model's cascade (common/model/cascade.h) refuses a router with a load balancer
            // and a bridge with VXLAN ports (409), and plans the device with everything on it.
            auto ops = planDeleteOps(ctx.store, d);
            ops.push_back(unmarkDeletingOp(d.obj.id));
            commit(ctx, ops);
            return noContent();
        });
    }, "Delete with its ports, routes and links (one atomic write)");
}

// ---- ports -------------------------------------------------------------------------------------

template <class D> void addDevicePorts(RouteTable &t, const char *coll)
{
    std::string c = std::string("/") + coll + "/{id}";
    constexpr bool isBridge = std::is_same_v<D, Bridge>;
    t.add("GET", c + "/ports", [](Ctx &ctx) {
        auto type = ctx.accept(collectionTypes("Port", {3, 4}));
        auto d = loadOwned<D>(ctx, ctx.id());
        json arr = json::array();
        for (const auto &p : loadAll<Port>(ctx.store))
            if (p.obj.deviceId == d.obj.id) arr.push_back(renderPort(ctx, p.obj));
        return jsonResponse(200, arr, type);
    }, std::string("Ports of the ") + (isBridge ? "bridge" : "router"), &Port::schema(), vendorCollectionType("Port", 3), true);
    t.add("GET", c + "/peer_ports", [](Ctx &ctx) {
        auto type = ctx.accept(collectionTypes("Port", {3, 4}));
        auto d = loadOwned<D>(ctx, ctx.id());
        json arr = json::array();
        for (const auto &p : loadAll<Port>(ctx.store))
            if (p.obj.deviceId == d.obj.id && p.obj.peerId)
                if (auto peer = tryLoad<Port>(ctx.store, *p.obj.peerId)) arr.push_back(renderPort(ctx, peer->obj));
        return jsonResponse(200, arr, type);
    }, "Ports linked to this device's ports", &Port::schema(), vendorCollectionType("Port", 3), true);
    t.add("POST", c + "/ports", [](Ctx &ctx) {
        ctx.consume(itemTypes("Port", {3, 4}));
        auto body = ctx.body();
        if (!body.contains("type") || body["type"].is_null()) throw ApiError::violation("type", "may not be null");
        Port p = decodeInput<Port>(body);
        model::checkPortKind(p, isBridge ? PortType::Bridge : PortType::Router);
        model::prepareNewPort(p, ctx.id()); // id if none, a router port's MAC if none
        return retrying(ctx, [&] {
            auto d = loadOwned<D>(ctx, ctx.id());
            refuseIfDeleting(ctx.store, d.obj.id, isBridge ? "Bridge" : "Router");
            Port port = p;
            port.deviceId = d.obj.id;
            auto counter = loadCounter(ctx.store);
            int64_t key = counter.obj.value("next", int64_t(1));
            port.tunnelKey = key;
            std::vector<store::Op> ops;
            referChain(ctx, port.inboundFilterId, "inboundFilterId", ops);
            referChain(ctx, port.outboundFilterId, "outboundFilterId", ops);
            ops.push_back(touchOp(d));
            ops.push_back(store::Op::update(kSequences, kTunnelKeyCounter, json{{"next", key + 1}}.dump(), counter.version));
            // The port and, for a router port, one LOCAL route per address (the model's plan).
            StoreResolver res(ctx.store);
            res.seed(d);
            int createIndex = int(ops.size()); // the plan's first op creates the port
            for (auto &op : planOps(res, [&] { return model::planCreatePort(res, port); })) ops.push_back(std::move(op));
            commit(ctx, ops, createIndex);
            return created(ctx.uri("ports/" + port.id.toString()));
        });
    }, std::string("Create a ") + (isBridge ? "bridge" : "router") + " port", &Port::schema(), vendorType("Port", 3));
}

void addPorts(RouteTable &t)
{
    auto items = itemTypes("Port", {3, 4});
    t.add("GET", "/ports", [](Ctx &ctx) {
        auto type = ctx.accept(collectionTypes("Port", {3, 4}));
        std::map<Uuid, std::optional<std::string>> tenants;
        for (const auto &b : loadAll<Bridge>(ctx.store)) tenants[b.obj.id] = b.obj.tenantId;
        for (const auto &r : loadAll<Router>(ctx.store)) tenants[r.obj.id] = r.obj.tenantId;
        json arr = json::array();
        for (const auto &p : loadAll<Port>(ctx.store)) {
            std::optional<std::string> tenant;
            if (p.obj.deviceId)
                if (auto it = tenants.find(*p.obj.deviceId); it != tenants.end()) tenant = it->second;
            if (ctx.canSee(tenant)) arr.push_back(renderPort(ctx, p.obj));
        }
        return jsonResponse(200, arr, type);
    }, "Every port", &Port::schema(), vendorCollectionType("Port", 3), true);
    t.add("POST", "/ports", [](Ctx &) -> Response { throw ApiError::bare(405); });
    t.add("GET", "/ports/{id}", [items](Ctx &ctx) {
        auto type = ctx.accept(items);
        return jsonResponse(200, renderPort(ctx, loadVisiblePort(ctx, ctx.id(), "").obj), type);
    }, "Get one port", &Port::schema(), vendorType("Port", 3));
    t.add("PUT", "/ports/{id}", [items](Ctx &ctx) {
        ctx.consume(items);
        auto body = ctx.body();
        Port incoming = decodeInput<Port>(body);
        return retrying(ctx, [&] {
            auto stored = loadVisiblePort(ctx, ctx.id(), "");
            Port next = incoming;
            copyServerOwned(stored.obj, next);
            next.id = stored.obj.id;
            std::vector<store::Op> ops;
            referChain(ctx, next.inboundFilterId, "inboundFilterId", ops);
            referChain(ctx, next.outboundFilterId, "outboundFilterId", ops);
            // The port, and LOCAL routes following a router port's new addresses (the model's
            // plan: the type is kept, routes of dropped addresses go, new ones come).
            StoreResolver res(ctx.store);
            res.seed(stored);
            for (auto &op : planOps(res, [&] { return model::planUpdatePort(res, next); })) ops.push_back(std::move(op));
            commit(ctx, ops);
            return noContent();
        });
    }, "Replace a port (id, device, tunnel key, binding and peer are kept)", &Port::schema(), vendorType("Port", 3));
    t.add("DELETE", "/ports/{id}", [](Ctx &ctx) {
        return retrying(ctx, [&] {
            auto p = loadVisiblePort(ctx, ctx.id(), "");
            if (p.obj.type == PortType::Vxlan) throw ApiError::message(409, "VXLAN ports are deleted through their VTEP binding");
            commit(ctx, planDeleteOps(ctx.store, p));
            return noContent();
        });
    }, "Delete a port: unlinks its peer, unbinds it, drops its routes and group memberships");

    // Link / unlink: the model's planLink/planUnlink decide (common/model/references.h); the
    // cluster adds tenant visibility (another tenant's port is 404) and the retry loop.
    t.add("POST", "/ports/{id}/link", [](Ctx &ctx) {
        ctx.consume(itemTypes("PortLink", {1}));
        auto body = ctx.body();
        if (!body.contains("peerId") || body["peerId"].is_null()) throw ApiError::violation("peerId", "may not be null");
        auto peerId = body["peerId"].is_string() ? Uuid::parse(body["peerId"].get<std::string>()) : std::nullopt;
        if (!peerId) throw ApiError::violation("peerId", "is not a valid UUID");
        auto id = ctx.id();
        return retrying(ctx, [&] {
            StoreResolver r(ctx.store);
            r.seed(loadVisiblePort(ctx, id, ""));
            r.seed(loadVisiblePort(ctx, *peerId, "peerId"));
            commit(ctx, planOps(r, [&] { return model::planLink(r, id, *peerId); }));
            return created(ctx.uri("ports/" + id.toString() + "/link"));
        });
    }, "Link two ports (interior ports)", nullptr, vendorType("PortLink", 1));
    t.add("DELETE", "/ports/{id}/link", [](Ctx &ctx) {
        return retrying(ctx, [&] {
            StoreResolver r(ctx.store);
            r.seed(loadVisiblePort(ctx, ctx.id(), ""));
            auto ops = planOps(r, [&] { return model::planUnlink(r, ctx.id()); });
            if (!ops.empty()) commit(ctx, ops); // not linked: nothing to write
            return noContent();
        });
    }, "Unlink a port and its peer");
}

// ---- routes ------------------------------------------------------------------------------------

void addRoutes(RouteTable &t)
{
    t.add("GET", "/routers/{id}/routes", [](Ctx &ctx) {
        auto type = ctx.accept(collectionTypes("Route", {1}));
        auto r = loadOwned<Router>(ctx, ctx.id());
        json arr = json::array();
        for (const auto &rt : loadAll<Route>(ctx.store))
            if (rt.obj.routerId == r.obj.id) arr.push_back(renderRoute(ctx, rt.obj));
        // Routes BGP gateways learned (ephemeral state of the agents, learned = true); they
        // exist only in this listing and cannot be fetched, changed or deleted one by one.
        for (const auto &e : ctx.store.entries(learnedRoutesTable(r.obj.id)))
            if (auto routes = decodeLearnedRoutes(r.obj.id, e.key, e.value))
                for (const auto &rt : *routes) arr.push_back(renderRoute(ctx, rt));
        return jsonResponse(200, arr, type);
    }, "Routes of a router (with its ports' LOCAL routes)", &Route::schema(), vendorCollectionType("Route", 1), true);
    t.add("POST", "/routers/{id}/routes", [](Ctx &ctx) {
        ctx.consume(itemTypes("Route", {1}));
        Route route = decodeInput<Route>(ctx.body());
        route.id = chooseId(route.id);
        return retrying(ctx, [&] {
            auto r = loadOwned<Router>(ctx, ctx.id());
            refuseIfDeleting(ctx.store, r.obj.id, "Router");
            Route rt = route;
            rt.routerId = r.obj.id;
            rt.learned = false;
            StoreResolver res(ctx.store);
            res.seed(r);
            modelRules([&] { model::checkReferences(res, rt); }); // next hop: a port of this router
            std::vector<store::Op> ops{touchOp(r)};
            if (rt.nextHopPort) ops.push_back(res.touchOp("ports", *rt.nextHopPort)); // a concurrent port delete retries
            ops.push_back(createOp(rt));
            commit(ctx, ops, int(ops.size()) - 1);
            return created(ctx.uri("routes/" + rt.id.toString()));
        });
    }, "Add a route", &Route::schema(), vendorType("Route", 1));
    t.add("GET", "/routes", [](Ctx &) -> Response { throw ApiError::bare(405); });
    t.add("GET", "/routes/{id}", [](Ctx &ctx) {
        auto type = ctx.accept(itemTypes("Route", {1}));
        auto rt = load<Route>(ctx.store, ctx.id());
        if (!ctx.canSee(rt.obj.routerId ? deviceTenant(ctx.store, *rt.obj.routerId) : std::nullopt))
            throw ApiError::message(404, "Route " + rt.obj.id.toString() + " not found");
        return jsonResponse(200, renderRoute(ctx, rt.obj), type);
    }, "Get one route", &Route::schema(), vendorType("Route", 1));
    t.add("DELETE", "/routes/{id}", [](Ctx &ctx) {
        return retrying(ctx, [&] {
            auto rt = load<Route>(ctx.store, ctx.id());
            if (!ctx.canSee(rt.obj.routerId ? deviceTenant(ctx.store, *rt.obj.routerId) : std::nullopt))
                throw ApiError::message(404, "Route " + rt.obj.id.toString() + " not found");
            commit(ctx, {removeOp(rt)});
            return noContent();
        });
    }, "Delete a route");
}

// ---- BGP (router level) --------------------------------------------------------------------

// A peer's session as the agent running it reports it (learned_routes.h); nothing when none does.
void addPeerStatus(const Ctx &ctx, const BgpPeer &b, json &j)
{
    for (const char *f : {"sessionState", "prefixesReceived", "prefixesAdvertised", "uptimeSeconds", "hostId"})
        j.erase(f);
    std::optional<store::Entry> e;
    try {
        e = ctx.store.getEphemeral("bgp_peers", b.id, kBgpPeerStatusName);
    } catch (const std::exception &) {
        return;
    }
    if (!e) return;
    json st = json::parse(e->value, nullptr, false);
    if (!st.is_object()) return;
    j["sessionState"] = st.value("sessionState", "Idle");
    j["prefixesReceived"] = st.value("prefixesReceived", int64_t(0));
    j["prefixesAdvertised"] = st.value("prefixesAdvertised", int64_t(0));
    const int64_t since = st.value("establishedAtMs", int64_t(0));
    const int64_t now = std::chrono::duration_cast<std::chrono::milliseconds>(
                            std::chrono::system_clock::now().time_since_epoch()).count();
    j["uptimeSeconds"] = since > 0 ? std::max<int64_t>(0, (now - since) / 1000) : 0;
    if (st.contains("hostId")) j["hostId"] = st["hostId"];
}

template <class B> json renderBgp(const Ctx &ctx, const B &b)
{
    json j = encode(b);
    if constexpr (std::is_same_v<B, BgpPeer>) addPeerStatus(ctx, b, j);
    j["uri"] = selfUri(ctx, b);
    setLink(j, "router", uuidUri(ctx, "routers", b.routerId));
    return j;
}

template <class B> void addBgp(RouteTable &t, const char *coll, const char *media, bool put)
{
    std::string c = coll;
    t.add("GET", "/routers/{id}/" + c, [media](Ctx &ctx) {
        auto type = ctx.accept(collectionTypes(media, {1}));
        auto r = loadOwned<Router>(ctx, ctx.id());
        json arr = json::array();
        for (const auto &b : loadAll<B>(ctx.store))
            if (b.obj.routerId == r.obj.id) arr.push_back(renderBgp(ctx, b.obj));
        return jsonResponse(200, arr, type);
    }, "List of the router's", &B::schema(), vendorCollectionType(media, 1), true);
    t.add("POST", "/routers/{id}/" + c, [media](Ctx &ctx) {
        ctx.consume(itemTypes(media, {1}));
        B b = decodeInput<B>(ctx.body());
        b.id = chooseId(b.id);
        return retrying(ctx, [&] {
            auto r = loadOwned<Router>(ctx, ctx.id());
            B x = b;
            x.routerId = r.obj.id;
            StoreResolver res(ctx.store);
            res.seed(r);
            modelRules([&] { model::checkReferences(res, x); }); // a peer's address+AS unique on the router
            commit(ctx, {touchOp(r), createOp(x)}, 1);
            return created(ctx.uri(std::string(B::kType) + "/" + x.id.toString()));
        });
    }, "Create under a router", &B::schema(), vendorType(media, 1));
    auto loadVisible = [](Ctx &ctx) {
        auto b = load<B>(ctx.store, ctx.id());
        if (!ctx.canSee(b.obj.routerId ? deviceTenant(ctx.store, *b.obj.routerId) : std::nullopt))
            throw ApiError::message(404, displayName(B::kType) + " " + b.obj.id.toString() + " not found");
        return b;
    };
    t.add("GET", "/" + c + "/{id}", [media, loadVisible](Ctx &ctx) {
        auto type = ctx.accept(itemTypes(media, {1}));
        return jsonResponse(200, renderBgp(ctx, loadVisible(ctx).obj), type);
    }, "Get one", &B::schema(), vendorType(media, 1));
    if (put)
        t.add("PUT", "/" + c + "/{id}", [media, loadVisible](Ctx &ctx) {
            ctx.consume(itemTypes(media, {1}));
            B incoming = decodeInput<B>(ctx.body());
            return retrying(ctx, [&] {
                auto stored = loadVisible(ctx);
                B next = incoming;
                copyServerOwned(stored.obj, next);
                next.id = stored.obj.id;
                next.routerId = stored.obj.routerId;
                StoreResolver res(ctx.store);
                modelRules([&] { model::checkReferences(res, next); }); // the same rules as on create
                commit(ctx, {updateOp(Stored<B>{next, stored.version})});
                return noContent();
            });
        }, "Replace", &B::schema(), vendorType(media, 1));
    t.add("DELETE", "/" + c + "/{id}", [loadVisible](Ctx &ctx) {
        return retrying(ctx, [&] {
            commit(ctx, {removeOp(loadVisible(ctx))});
            return noContent();
        });
    }, "Delete");
}

} // namespace

void addDeviceRoutes(RouteTable &t)
{
    addDevice<Bridge>(t, "bridges", "Bridge", {4, 5}, renderBridge);
    addDevice<Router>(t, "routers", "Router", {3}, renderRouter);
    addDevicePorts<Bridge>(t, "bridges");
    addDevicePorts<Router>(t, "routers");
    addPorts(t);
    addRoutes(t);
    addBgp<BgpPeer>(t, "bgp_peers", "BgpPeer", true);
    addBgp<BgpNetwork>(t, "bgp_networks", "BgpNetwork", false);
}

} // namespace midonet::cluster::detail
