// Shared request helpers, the route table, and the core resources: root, system state,
// tenants, openapi.json.
#include "cluster/detail/api.h"

#include "cluster/detail/handler_state.h"
#include "cluster/detail/json_dump.h"
#include "common/model/bridge.h"
#include "common/model/chain.h"
#include "common/model/port_group.h"
#include "common/model/router.h"
#include "common/model/tenant.h"

#include <chrono>
#include <random>
#include <set>
#include <thread>

namespace midonet::cluster::detail {

Uuid Ctx::id(const std::string &var) const
{
    auto it = vars.find(var);
    auto parsed = it == vars.end() ? std::nullopt : Uuid::parse(it->second);
    if (!parsed) throw ApiError::message(404, "Resource " + (it == vars.end() ? var : it->second) + " not found");
    return *parsed;
}

bool Ctx::canSee(const std::optional<std::string> &tenantId) const
{
    if (who.isAdmin()) return true;
    return tenantId && *tenantId == who.tenant;
}

void Ctx::requireAdmin() const
{
    if (!who.isAdmin()) throw ApiError::message(403, "Only an admin may change this resource");
}

std::string Ctx::accept(const MediaChoice &choice) const
{
    auto t = negotiateAccept(req.header("Accept"), choice);
    if (!t) throw ApiError::bare(406);
    return *t;
}

void Ctx::consume(const MediaChoice &choice, int status) const
{
    if (!matchContentType(req.header("Content-Type"), choice)) throw ApiError::bare(status);
}

json Ctx::body() const
{
    auto j = model::parseJson(req.body);
    if (!j.is_object()) throw model::ValidationError::malformed("the request body must be a JSON object");
    return j;
}

int Ctx::retries() const { return state.options.writeRetries; }

MediaChoice itemTypes(std::string_view name, std::initializer_list<int> versions, bool json)
{
    MediaChoice c;
    for (int v : versions) c.allowed.push_back(vendorType(name, v));
    if (json) c.allowed.emplace_back(kJson);
    return c;
}

MediaChoice collectionTypes(std::string_view name, std::initializer_list<int> versions, bool json)
{
    MediaChoice c;
    for (int v : versions) c.allowed.push_back(vendorCollectionType(name, v));
    if (json) c.allowed.emplace_back(kJson);
    return c;
}

Response jsonResponse(int status, const json &body, const std::string &contentType)
{
    return jsonTextResponse(status, dumpJson(body), contentType);
}

Response jsonTextResponse(int status, std::string body, const std::string &contentType)
{
    Response r;
    r.status = status;
    r.setHeader("Content-Type", contentType);
    r.body = std::move(body);
    return r;
}

Response created(const std::string &location)
{
    Response r;
    r.status = 201;
    r.setHeader("Location", location);
    return r;
}

Response noContent()
{
    Response r;
    r.status = 204;
    return r;
}

void RouteTable::add(std::string method, std::string pattern, std::function<Response(Ctx &)> fn, std::string summary,
                     const model::SchemaInfo *schema, std::string mediaType, bool collection)
{
    ApiRoute r{std::move(method), parseTarget(pattern).segments, std::move(fn), std::move(summary), schema,
            std::move(mediaType), collection};
    routes_.push_back(std::move(r));
}

const ApiRoute *RouteTable::match(const std::string &method, const std::vector<std::string> &segments,
                               std::map<std::string, std::string> &vars, bool &pathMatched) const
{
    // Literal segments beat variables: /ports/{id}/link before /ports/{id}/{x} style clashes.
    const ApiRoute *best = nullptr;
    int bestLiterals = -1;
    for (const auto &r : routes_) {
        if (r.pattern.size() != segments.size()) continue;
        int literals = 0;
        bool ok = true;
        for (size_t i = 0; i < segments.size() && ok; ++i) {
            const auto &p = r.pattern[i];
            if (p.size() > 1 && p.front() == '{') continue;
            ok = p == segments[i];
            ++literals;
        }
        if (!ok) continue;
        pathMatched = true;
        if (r.method != method) continue;
        if (literals > bestLiterals) {
            best = &r;
            bestLiterals = literals;
        }
    }
    if (best) {
        vars.clear();
        for (size_t i = 0; i < segments.size(); ++i) {
            const auto &p = best->pattern[i];
            if (p.size() > 1 && p.front() == '{') vars[p.substr(1, p.size() - 2)] = segments[i];
        }
    }
    return best;
}

std::string displayName(std::string_view type)
{
    static const std::map<std::string, std::string, std::less<>> names{
        {"bridges", "Bridge"},         {"routers", "Router"},         {"ports", "Port"},
        {"routes", "Route"},           {"chains", "Chain"},           {"rules", "Rule"},
        {"hosts", "Host"},             {"tunnel_zones", "Tunnel zone"}, {"port_groups", "Port group"},
        {"ip_addr_groups", "IP address group"}, {"bgp_peers", "BGP peer"}, {"bgp_networks", "BGP network"},
        {"load_balancers", "Load balancer"}, {"pools", "Pool"},   {"pool_members", "Pool member"},
        {"vips", "VIP"},               {"health_monitors", "Health monitor"}, {"traces", "Trace request"}};
    auto it = names.find(type);
    return it == names.end() ? std::string(type) : it->second;
}

void commit(Ctx &ctx, const std::vector<store::Op> &ops, int createIndex)
{
    try {
        ctx.store.multi(ops);
    } catch (const store::StoreError &e) {
        using store::StoreErrc;
        if (e.errc() == StoreErrc::already_exists && e.opIndex() == createIndex && createIndex >= 0) {
            const auto &op = ops[createIndex];
            throw ApiError::message(409, displayName(op.type) + " " + op.id.toString() + " already exists");
        }
        if (e.errc() == StoreErrc::version_conflict || e.errc() == StoreErrc::not_found ||
            e.errc() == StoreErrc::already_exists)
            throw Retry{};
        throw;
    }
}

Response retrying(Ctx &ctx, const std::function<Response()> &attempt)
{
    thread_local std::minstd_rand rng{std::random_device{}()};
    for (int i = 0; i < ctx.retries(); ++i) {
        try {
            return attempt();
        } catch (const Retry &) {
            if (i >= 2) // contended: back off a little, randomly, so racing instances interleave
                std::this_thread::sleep_for(std::chrono::microseconds(rng() % (200 * std::min(i, 20))));
        }
    }
    throw ApiError::message(409, "Concurrent modification: the objects changed while this request ran; try again");
}

std::optional<std::string> uuidUri(const Ctx &ctx, const char *coll, const std::optional<Uuid> &id)
{
    if (!id) return std::nullopt;
    return ctx.uri(std::string(coll) + "/" + id->toString());
}

std::optional<std::string> deviceTenant(Store &s, const Uuid &deviceId)
{
    if (auto b = tryLoad<model::Bridge>(s, deviceId)) return b->obj.tenantId;
    if (auto r = tryLoad<model::Router>(s, deviceId)) return r->obj.tenantId;
    return std::nullopt;
}

namespace {
constexpr const char *kDeleting = "cluster_deleting";
int64_t nowSeconds()
{
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}
} // namespace

void markDeleting(Store &s, const Uuid &device)
{
    try {
        s.create(kDeleting, device, json{{"since", nowSeconds()}}.dump());
    } catch (const store::StoreError &e) {
        if (e.errc() != store::StoreErrc::already_exists) throw;
        // Another delete of it runs (or a stale marker): refresh it.
        s.update(kDeleting, device, json{{"since", nowSeconds()}}.dump());
    }
}

void unmarkDeleting(Store &s, const Uuid &device)
{
    try {
        s.remove(kDeleting, device);
    } catch (const store::StoreError &) {
    }
}

store::Op unmarkDeletingOp(const Uuid &device) { return store::Op::remove(kDeleting, device); }

void refuseIfDeleting(Store &s, const Uuid &device, const std::string &what)
{
    try {
        auto o = s.get(kDeleting, device);
        auto since = json::parse(o.data, nullptr, false);
        if (since.is_object() && nowSeconds() - since.value("since", int64_t(0)) < 60)
            throw ApiError::message(404, what + " " + device.toString() + " is being deleted");
    } catch (const store::StoreError &e) {
        if (e.errc() != store::StoreErrc::not_found) throw;
    }
}

// ---- core resources ------------------------------------------------------------------------

namespace {

struct RootEntry {
    const char *path, *collectionKey, *templateKey;
};
constexpr RootEntry kRoot[] = {
    {"bgp_networks", nullptr, "bgpNetworkTemplate"},
    {"bgp_peers", nullptr, "bgpPeerTemplate"},
    {"bridges", "bridges", "bridgeTemplate"},
    {"chains", "chains", "chainTemplate"},
    {"health_monitors", "healthMonitors", "healthMonitorTemplate"},
    {"hosts", "hosts", "hostTemplate"},
    {"ip_addr_groups", "ipAddrGroups", "ipAddrGroupTemplate"},
    {"l2insertions", "l2insertions", "l2InsertionTemplate"},
    {"load_balancers", "loadBalancers", "loadBalancerTemplate"},
    {"mirrors", "mirrors", "mirrorTemplate"},
    {"neutron", "neutron", nullptr},
    {"pool_members", "poolMembers", "poolMemberTemplate"},
    {"pools", "pools", "poolTemplate"},
    {"port_groups", "portGroups", "portGroupTemplate"},
    {"ports", "ports", "portTemplate"},
    {"qos_bw_limit_rules", nullptr, "qosBwLimitRuleTemplate"},
    {"qos_dscp_rules", nullptr, "qosDscpRuleTemplate"},
    {"qos_policies", "qosPolicies", "qosPolicyTemplate"},
    {"routers", "routers", "routerTemplate"},
    {"routes", nullptr, "routeTemplate"},
    {"rules", nullptr, "ruleTemplate"},
    {"service_container_groups", "serviceContainerGroups", "serviceContainerGroupTemplate"},
    {"service_containers", "serviceContainers", "serviceContainerTemplate"},
    {"system_state", "systemState", nullptr},
    {"tenants", "tenants", "tenantTemplate"},
    {"traces", "traceRequests", "traceRequestTemplate"},
    {"tunnel_zones", "tunnelZones", "tunnelZoneTemplate"},
    {"vips", "vips", "vipTemplate"},
    {"vteps", "vteps", "vtepTemplate"},
};

Response rootResource(Ctx &ctx)
{
    auto type = ctx.accept(itemTypes("Application", {5}));
    json j{{"uri", ctx.base + "/"}, {"version", "v5.0"}};
    for (const auto &e : kRoot) {
        if (e.collectionKey) j[e.collectionKey] = ctx.uri(e.path);
        if (e.templateKey) j[e.templateKey] = ctx.uri(std::string(e.path) + "/{id}");
    }
    // Not in MidoNet: where this server's extras live.
    j["events"] = ctx.uri("events");
    j["openapi"] = ctx.uri("openapi.json");
    return jsonResponse(200, j, type);
}

// Tenants come from the auth side, not the NSDB: the users' tenants plus every tenantId an
// object carries (so an admin can find them); a tenant user sees only its own.
std::map<std::string, std::string> knownTenants(Ctx &ctx)
{
    std::map<std::string, std::string> out = ctx.state.users->tenants();
    if (ctx.state.options.auth == AuthMode::None) out.emplace("admin", "admin");
    auto collect = [&](auto tag) {
        using T = decltype(tag);
        for (const auto &o : loadAll<T>(ctx.store))
            if (o.obj.tenantId && !o.obj.tenantId->empty()) out.emplace(*o.obj.tenantId, *o.obj.tenantId);
    };
    collect(model::Bridge{});
    collect(model::Router{});
    collect(model::Chain{});
    collect(model::PortGroup{});
    if (!ctx.isAdmin()) {
        std::map<std::string, std::string> own;
        own.emplace(ctx.who.tenant, ctx.who.tenant);
        return own;
    }
    return out;
}

json renderTenant(Ctx &ctx, const std::string &id)
{
    model::Tenant t;
    t.id = id;
    t.name = id;
    t.description = id;
    json j = model::encode(t);
    auto self = ctx.uri("tenants/" + id);
    j["uri"] = self;
    for (auto [key, coll] : {std::pair{"routers", "routers"}, {"bridges", "bridges"}, {"chains", "chains"}, {"portGroups", "port_groups"}})
        j[key] = ctx.uri(std::string(coll) + "?tenant_id=" + id);
    return j;
}

} // namespace

void addCoreRoutes(RouteTable &t)
{
    t.add("GET", "/", rootResource, "The root resource: collection URIs and item templates", nullptr,
          vendorType("Application", 5));
    t.add("GET", "/system_state", [](Ctx &ctx) {
        auto type = ctx.accept(itemTypes("SystemState", {2}));
        return jsonResponse(200,
                            json{{"state", "ACTIVE"}, {"availability", "READWRITE"}, {"version", "5.0.0"}, {"information", nullptr}},
                            type);
    }, "Cluster state (midonet-cli reads it on connect)", nullptr, vendorType("SystemState", 2));
    t.add("GET", "/tenants", [](Ctx &ctx) {
        auto type = ctx.accept(collectionTypes("Tenant", {2}, false));
        json arr = json::array();
        for (const auto &[id, name] : knownTenants(ctx)) arr.push_back(renderTenant(ctx, id));
        return jsonResponse(200, arr, type);
    }, "Tenants known to the auth provider", &model::Tenant::schema(), vendorCollectionType("Tenant", 2), true);
    t.add("GET", "/tenants/{id}", [](Ctx &ctx) {
        auto type = ctx.accept(itemTypes("Tenant", {2}, false));
        const auto &id = ctx.vars.at("id");
        if (!ctx.isAdmin() && id != ctx.who.tenant) throw ApiError::message(404, "Tenant " + id + " not found");
        return jsonResponse(200, renderTenant(ctx, id), type);
    }, "One tenant", &model::Tenant::schema(), vendorType("Tenant", 2));
    for (const char *m : {"POST", "PUT", "DELETE"}) {
        auto deny = [](Ctx &) -> Response { throw ApiError::message(405, "Tenants are read-only: they come from the auth provider"); };
        t.add(m, "/tenants", deny);
        t.add(m, "/tenants/{id}", deny);
    }
    t.add("GET", "/openapi.json", [](Ctx &ctx) {
        return jsonResponse(200, openApiDocument(ctx.state, ctx.base), "application/json");
    }, "This document");
}

} // namespace midonet::cluster::detail
