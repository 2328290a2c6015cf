// L4 load balancing (load balancers, pools, members, VIPs, health monitors; reference §4.14) and
// trace requests (§4.18).
//
// Tenancy: load-balancing objects carry no tenant in MidoNet: admins only (like hosts). A trace
// request belongs to the tenant of the device it traces; tenants see and create only those.
#include "cluster/detail/api.h"
#include "cluster/detail/store_resolver.h"
#include "common/model/api_rules.h"
#include "common/model/derived.h"
#include "common/model/model.h"
#include "common/model/references.h"

namespace midonet::cluster::detail {

using namespace model;

std::optional<std::string> portTenant(Store &s, const Port &p);

namespace {

void link(json &j, const char *key, const Ctx &ctx, const char *coll, const std::optional<Uuid> &id)
{
    auto u = uuidUri(ctx, coll, id);
    j[key] = u ? json(*u) : json(nullptr);
}

template <class T> std::string self(const Ctx &ctx, const T &o) { return ctx.uri(std::string(T::kType) + "/" + o.id.toString()); }

json render(const Ctx &ctx, const LoadBalancer &o)
{
    json j = encode(o);
    j["uri"] = self(ctx, o);
    link(j, "router", ctx, "routers", o.routerId);
    j["pools"] = self(ctx, o) + "/pools";
    j["vips"] = self(ctx, o) + "/vips";
    return j;
}
json render(const Ctx &ctx, const Pool &o)
{
    json j = encode(o);
    j["uri"] = self(ctx, o);
    link(j, "healthMonitor", ctx, "health_monitors", o.healthMonitorId);
    link(j, "loadBalancer", ctx, "load_balancers", o.loadBalancerId);
    j["vips"] = self(ctx, o) + "/vips";
    j["poolMembers"] = self(ctx, o) + "/pool_members";
    return j;
}
json render(const Ctx &ctx, const PoolMember &o)
{
    json j = encode(o);
    j["uri"] = self(ctx, o);
    link(j, "pool", ctx, "pools", o.poolId);
    return j;
}
json render(const Ctx &ctx, const Vip &o)
{
    json j = encode(o);
    j["uri"] = self(ctx, o);
    link(j, "loadBalancer", ctx, "load_balancers", o.loadBalancerId);
    link(j, "pool", ctx, "pools", o.poolId);
    return j;
}
json render(const Ctx &ctx, const HealthMonitor &o)
{
    json j = encode(o);
    j["uri"] = self(ctx, o);
    j["pools"] = self(ctx, o) + "/pools";
    return j;
}
json render(const Ctx &ctx, const TraceRequest &o)
{
    json j = encode(o);
    j["uri"] = self(ctx, o);
    return j;
}

template <class T> Stored<T> loadAdmin(Ctx &ctx, const Uuid &id, const std::string &property = {})
{
    auto o = ctx.isAdmin() ? tryLoad<T>(ctx.store, id) : std::nullopt;
    if (!o) {
        std::string msg = displayName(T::kType) + " " + id.toString() + " not found";
        throw ApiError::message(404, property.empty() ? msg : property + ": " + msg);
    }
    return *o;
}

// Fills the parent-derived fields of a child and the ops that fence its parents.
void resolve(Ctx &ctx, Pool &p, std::vector<store::Op> &ops)
{
    ops.push_back(touchOp(loadAdmin<LoadBalancer>(ctx, *p.loadBalancerId, "loadBalancerId")));
    if (p.healthMonitorId) ops.push_back(touchOp(loadAdmin<HealthMonitor>(ctx, *p.healthMonitorId, "healthMonitorId")));
}
void resolve(Ctx &ctx, PoolMember &m, std::vector<store::Op> &ops)
{
    ops.push_back(touchOp(loadAdmin<Pool>(ctx, *m.poolId, "poolId")));
}
void resolve(Ctx &ctx, Vip &v, std::vector<store::Op> &ops)
{
    // The model's rules: the pool exists (400 naming poolId, as MidoNet), the VIP's load
    // balancer is its pool's.
    StoreResolver res(ctx.store);
    modelRules([&] { model::checkReferences(res, v); });
    model::deriveVip(res, v);
    ops.push_back(res.touchOp("pools", *v.poolId)); // a concurrent pool delete retries
}
void resolve(Ctx &, LoadBalancer &, std::vector<store::Op> &) {}
void resolve(Ctx &, HealthMonitor &, std::vector<store::Op> &) {}

// A load balancer still attached to a router is refused here (409, as MidoNet does) before the
// model's cascade, which would otherwise clear the router's reference.
template <class T> std::vector<store::Op> deleteOps(Ctx &ctx, const Stored<T> &o)
{
    if constexpr (std::is_same_v<T, LoadBalancer>)
        for (const auto &r : loadAll<Router>(ctx.store))
            if (r.obj.loadBalancerId == o.obj.id)
                throw ApiError::message(409, "Load balancer " + o.obj.id.toString() + " is attached to router " + r.obj.id.toString());
    return planDeleteOps(ctx.store, o);
}

// MidoNet answers 204 for deleting a missing pool, member, VIP or health monitor.
template <class T> constexpr bool kIdempotentDelete = !std::is_same_v<T, LoadBalancer>;

template <class T> void addLb(RouteTable &t, const char *media, bool post)
{
    std::string c = std::string("/") + std::string(T::kType);
    auto item = itemTypes(media, {1});
    t.add("GET", c, [media](Ctx &ctx) {
        auto type = ctx.accept(collectionTypes(media, {1}));
        std::optional<Uuid> hm;
        if constexpr (std::is_same_v<T, Pool>)
            if (auto it = ctx.query.find("hm_id"); it != ctx.query.end()) hm = Uuid::parse(it->second);
        json arr = json::array();
        if (ctx.isAdmin())
            for (const auto &o : loadAll<T>(ctx.store)) {
                if constexpr (std::is_same_v<T, Pool>)
                    if (hm && o.obj.healthMonitorId != hm) continue;
                arr.push_back(render(ctx, o.obj));
            }
        return jsonResponse(200, arr, type);
    }, "List", &T::schema(), vendorCollectionType(media, 1), true);
    t.add("GET", c + "/{id}", [item](Ctx &ctx) {
        auto type = ctx.accept(item);
        return jsonResponse(200, render(ctx, loadAdmin<T>(ctx, ctx.id()).obj), type);
    }, "Get one", &T::schema(), vendorType(media, 1));
    if (post)
        t.add("POST", c, [item](Ctx &ctx) {
            ctx.requireAdmin();
            ctx.consume(item);
            auto body = ctx.body();
            if constexpr (std::is_same_v<T, LoadBalancer>) model::checkLoadBalancerWrite(body, nullptr); // attach through the router
            T o = decodeInput<T>(body);
            if (o.id.isNil()) o.id = Uuid::random();
            if constexpr (std::is_same_v<T, PoolMember> || std::is_same_v<T, HealthMonitor>) o.adminStateUp = true;
            return retrying(ctx, [&] {
                T x = o;
                std::vector<store::Op> ops;
                resolve(ctx, x, ops);
                ops.push_back(createOp(x));
                commit(ctx, ops, int(ops.size()) - 1);
                return created(self(ctx, x));
            });
        }, "Create", &T::schema(), vendorType(media, 1));
    t.add("PUT", c + "/{id}", [item](Ctx &ctx) {
        ctx.requireAdmin();
        ctx.consume(item);
        auto body = ctx.body();
        T in = decodeInput<T>(body);
        return retrying(ctx, [&] {
            auto stored = loadAdmin<T>(ctx, ctx.id());
            if constexpr (std::is_same_v<T, LoadBalancer>) model::checkLoadBalancerWrite(body, &stored.obj); // routerId unchanged
            T next = in;
            copyServerOwned(stored.obj, next);
            next.id = stored.obj.id;
            if constexpr (std::is_same_v<T, PoolMember>) copyFields(stored.obj, next, {"address", "protocolPort"});
            std::vector<store::Op> ops;
            if constexpr (!std::is_same_v<T, LoadBalancer> && !std::is_same_v<T, HealthMonitor>) resolve(ctx, next, ops);
            ops.push_back(updateOp(Stored<T>{next, stored.version}));
            commit(ctx, ops);
            return noContent();
        });
    }, "Replace", &T::schema(), vendorType(media, 1));
    t.add("DELETE", c + "/{id}", [](Ctx &ctx) {
        ctx.requireAdmin();
        return retrying(ctx, [&] {
            auto o = tryLoad<T>(ctx.store, ctx.id());
            if (!o) {
                if (kIdempotentDelete<T>) return noContent();
                throw ApiError::message(404, displayName(T::kType) + " " + ctx.vars.at("id") + " not found");
            }
            commit(ctx, deleteOps(ctx, *o));
            return noContent();
        });
    }, "Delete (with what hangs off it)");
}

// GET (and optionally POST) of children under a parent: /load_balancers/{id}/pools etc.
template <class Parent, class Child>
void addChildren(RouteTable &t, const std::string &path, const char *media, std::optional<Uuid> Child::*parentField, bool post)
{
    t.add("GET", path, [media, parentField](Ctx &ctx) {
        auto type = ctx.accept(collectionTypes(media, {1}));
        auto p = loadAdmin<Parent>(ctx, ctx.id());
        json arr = json::array();
        for (const auto &o : loadAll<Child>(ctx.store))
            if (o.obj.*parentField == p.obj.id) arr.push_back(render(ctx, o.obj));
        return jsonResponse(200, arr, type);
    }, "Children", &Child::schema(), vendorCollectionType(media, 1), true);
    if (!post) {
        t.add("POST", path, [](Ctx &) -> Response { throw ApiError::bare(405); });
        return;
    }
    t.add("POST", path, [media](Ctx &ctx) {
        ctx.requireAdmin();
        ctx.consume(itemTypes(media, {1}));
        auto body = ctx.body();
        auto parent = loadAdmin<Parent>(ctx, ctx.id());
        // The parent comes from the path: fill it in before the required-field check.
        if constexpr (std::is_same_v<Child, Pool>) body["loadBalancerId"] = parent.obj.id.toString();
        else body["poolId"] = parent.obj.id.toString();
        Child o = decodeInput<Child>(body);
        if (o.id.isNil()) o.id = Uuid::random();
        if constexpr (std::is_same_v<Child, PoolMember>) o.adminStateUp = true;
        return retrying(ctx, [&] {
            Child x = o;
            std::vector<store::Op> ops;
            resolve(ctx, x, ops);
            ops.push_back(createOp(x));
            commit(ctx, ops, int(ops.size()) - 1);
            return created(self(ctx, x));
        });
    }, "Create under the parent", &Child::schema(), vendorType(media, 1));
}

// ---- traces ------------------------------------------------------------------------------------

std::optional<std::string> traceTenant(Ctx &ctx, const TraceRequest &t)
{
    if (!t.deviceId) return std::nullopt;
    if (t.deviceType == TraceDeviceType::Port) {
        auto p = tryLoad<Port>(ctx.store, *t.deviceId);
        return p ? portTenant(ctx.store, p->obj) : std::nullopt;
    }
    return deviceTenant(ctx.store, *t.deviceId);
}

Stored<TraceRequest> loadTrace(Ctx &ctx, const Uuid &id)
{
    auto o = tryLoad<TraceRequest>(ctx.store, id);
    if (!o || !ctx.canSee(traceTenant(ctx, o->obj))) throw ApiError::message(404, "Trace request " + id.toString() + " not found");
    return *o;
}

// The traced device must exist and be visible; it is touched so deleting it (which deletes its
// traces) retries and sees this one.
store::Op fenceDevice(Ctx &ctx, const TraceRequest &t)
{
    auto missing = [&] { return ApiError::message(404, "deviceId: " + std::string(enumName(t.deviceType)) + " " + t.deviceId->toString() + " not found"); };
    switch (t.deviceType) {
    case TraceDeviceType::Bridge: {
        auto b = tryLoad<Bridge>(ctx.store, *t.deviceId);
        if (!b || !ctx.canSee(b->obj.tenantId)) throw missing();
        return touchOp(*b);
    }
    case TraceDeviceType::Router: {
        auto r = tryLoad<Router>(ctx.store, *t.deviceId);
        if (!r || !ctx.canSee(r->obj.tenantId)) throw missing();
        return touchOp(*r);
    }
    case TraceDeviceType::Port: break;
    }
    auto p = tryLoad<Port>(ctx.store, *t.deviceId);
    if (!p || !ctx.canSee(portTenant(ctx.store, p->obj))) throw missing();
    return touchOp(*p);
}

void addTraces(RouteTable &t)
{
    auto item = itemTypes("TraceRequest", {1});
    t.add("GET", "/traces", [](Ctx &ctx) {
        auto type = ctx.accept(collectionTypes("TraceRequest", {1}));
        std::optional<std::string> filter;
        if (auto it = ctx.query.find("tenant_id"); it != ctx.query.end()) filter = it->second;
        json arr = json::array();
        for (const auto &o : loadAll<TraceRequest>(ctx.store)) {
            auto tenant = traceTenant(ctx, o.obj);
            if (ctx.canSee(tenant) && (!filter || tenant == filter)) arr.push_back(render(ctx, o.obj));
        }
        return jsonResponse(200, arr, type);
    }, "List trace requests (?tenant_id= of the traced device)", &TraceRequest::schema(), vendorCollectionType("TraceRequest", 1), true);
    t.add("GET", "/traces/{id}", [item](Ctx &ctx) {
        auto type = ctx.accept(item);
        return jsonResponse(200, render(ctx, loadTrace(ctx, ctx.id()).obj), type);
    }, "Get one trace request", &TraceRequest::schema(), vendorType("TraceRequest", 1));
    t.add("POST", "/traces", [item](Ctx &ctx) {
        ctx.consume(item);
        auto tr = decodeInput<TraceRequest>(ctx.body());
        if (tr.id.isNil()) tr.id = Uuid::random();
        return retrying(ctx, [&] {
            commit(ctx, {fenceDevice(ctx, tr), createOp(tr)}, 1);
            return created(self(ctx, tr));
        });
    }, "Create a trace request", &TraceRequest::schema(), vendorType("TraceRequest", 1));
    t.add("PUT", "/traces/{id}", [item](Ctx &ctx) {
        ctx.consume(item);
        auto in = decodeInput<TraceRequest>(ctx.body());
        return retrying(ctx, [&] {
            auto stored = loadTrace(ctx, ctx.id());
            TraceRequest next = in;
            copyServerOwned(stored.obj, next);
            next.id = stored.obj.id;
            commit(ctx, {fenceDevice(ctx, next), updateOp(Stored<TraceRequest>{next, stored.version})});
            return noContent();
        });
    }, "Replace a trace request", &TraceRequest::schema(), vendorType("TraceRequest", 1));
    t.add("DELETE", "/traces/{id}", [](Ctx &ctx) {
        return retrying(ctx, [&] {
            commit(ctx, planDeleteOps(ctx.store, loadTrace(ctx, ctx.id())));
            return noContent();
        });
    }, "Delete a trace request");
}

} // namespace

void addServiceRoutes(RouteTable &t)
{
    addLb<LoadBalancer>(t, "LoadBalancer", true);
    addLb<Pool>(t, "Pool", true);
    addLb<PoolMember>(t, "PoolMember", true);
    addLb<Vip>(t, "VIP", true);
    addLb<HealthMonitor>(t, "HealthMonitor", true);
    addChildren<LoadBalancer, Pool>(t, "/load_balancers/{id}/pools", "Pool", &Pool::loadBalancerId, true);
    addChildren<LoadBalancer, Vip>(t, "/load_balancers/{id}/vips", "VIP", &Vip::loadBalancerId, false);
    addChildren<Pool, Vip>(t, "/pools/{id}/vips", "VIP", &Vip::poolId, true);
    addChildren<Pool, PoolMember>(t, "/pools/{id}/pool_members", "PoolMember", &PoolMember::poolId, true);
    addChildren<HealthMonitor, Pool>(t, "/health_monitors/{id}/pools", "Pool", &Pool::healthMonitorId, false);
    addTraces(t);
}

} // namespace midonet::cluster::detail
