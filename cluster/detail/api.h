// Internal to cluster/: what the handler core and the resource files share: the per-request
// context, the error type every resource throws, the route table and typed NSDB helpers.
//
// Thread-safety: RouteTable is built once in the Handler constructor and only read afterwards;
// Ctx lives on one request's stack.
#pragma once

#include "cluster/auth.h"
#include "cluster/handler.h"
#include "cluster/http_message.h"
#include "cluster/media_type.h"
#include "cluster/detail/decode_cache.h"
#include "common/model/codec.h"
#include "common/store/store.h"
#include "common/util/uuid.h"

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace midonet::cluster::detail {

using nlohmann::json;
using store::Store;
using store::Version;
using util::Uuid;

// An error response. `body` null means a bare response (MidoNet sends some 404/405/406/409
// without a body).
struct ApiError {
    int status;
    json body;
    std::vector<std::pair<std::string, std::string>> headers;

    static ApiError bare(int status) { return {status, nullptr, {}}; }
    static ApiError message(int status, const std::string &text) { return {status, json{{"message", text}, {"code", status}}, {}}; }
    static ApiError violation(const std::string &property, const std::string &text)
    {
        return {400,
                json{{"message", "Validation error(s) found"},
                     {"code", 400},
                     {"violations", json::array({json{{"property", property}, {"message", text}}})}},
                {}};
    }
};

struct HandlerState;

struct Ctx {
    const Request &req;
    const HandlerState &state;
    Store &store;
    Identity who;
    std::string base; // "http://host:port/midonet-api" (no trailing slash)
    std::map<std::string, std::string> vars;
    std::map<std::string, std::string> query;

    // Path variable as a UUID; a malformed id is an unknown resource (404), as in MidoNet.
    Uuid id(const std::string &var = "id") const;
    std::string uri(const std::string &path) const { return base + "/" + path; }
    bool canSee(const std::optional<std::string> &tenantId) const;
    bool isAdmin() const { return who.isAdmin(); }
    // Fails with 403 unless admin (infrastructure writes).
    void requireAdmin() const;
    // Negotiates Accept; throws a bare 406.
    std::string accept(const MediaChoice &choice) const;
    // Checks Content-Type of a write; throws bare `status` (406 generic, 415 explicit consumes).
    void consume(const MediaChoice &choice, int status = 406) const;
    // Parses the body as a JSON object (400 naming the problem otherwise).
    json body() const;
    int retries() const;
};

// Media choices: item/collection vendor types, optionally also plain application/json.
MediaChoice itemTypes(std::string_view name, std::initializer_list<int> versions, bool json = true);
MediaChoice collectionTypes(std::string_view name, std::initializer_list<int> versions, bool json = true);

Response jsonResponse(int status, const json &body, const std::string &contentType);
// `body` is JSON text already (written with json_dump.h).
Response jsonTextResponse(int status, std::string body, const std::string &contentType);
Response created(const std::string &location);
Response noContent();

// One route of the API. pattern segments are literals or "{var}".
struct ApiRoute {
    std::string method;
    std::vector<std::string> pattern;
    std::function<Response(Ctx &)> fn;
    // For openapi.json: summary, the model schema of bodies, media types.
    std::string summary;
    const model::SchemaInfo *schema = nullptr;
    std::string mediaType; // vendor type produced or consumed
    bool collection = false;
};

class RouteTable {
public:
    void add(std::string method, std::string pattern, std::function<Response(Ctx &)> fn, std::string summary = {},
             const model::SchemaInfo *schema = nullptr, std::string mediaType = {}, bool collection = false);
    // Finds the route; `pathMatched` tells 405 from 404.
    const ApiRoute *match(const std::string &method, const std::vector<std::string> &segments,
                       std::map<std::string, std::string> &vars, bool &pathMatched) const;
    const std::vector<ApiRoute> &all() const { return routes_; }

private:
    std::vector<ApiRoute> routes_;
};

// ---- typed NSDB access ---------------------------------------------------------------------

template <class T> struct Stored {
    T obj;
    Version version = 0;
};

std::string displayName(std::string_view type); // "bridges" -> "Bridge"

template <class T> std::optional<Stored<T>> tryLoad(Store &s, const Uuid &id)
{
    try {
        auto o = s.get(T::kType, id);
        return Stored<T>{decodeStored<T>(id, std::move(o.data)), o.version};
    } catch (const store::StoreError &e) {
        if (e.errc() == store::StoreErrc::not_found) return std::nullopt;
        throw;
    }
}

template <class T> Stored<T> load(Store &s, const Uuid &id, const std::string &property = {})
{
    auto o = tryLoad<T>(s, id);
    if (!o) {
        std::string msg = displayName(T::kType) + " " + id.toString() + " not found";
        if (property.empty()) throw ApiError::message(404, msg);
        throw ApiError::message(404, property + ": " + msg);
    }
    return *o;
}

template <class T> std::vector<Stored<T>> loadAll(Store &s)
{
    std::vector<Stored<T>> out;
    auto objects = s.list(T::kType);
    out.reserve(objects.size());
    for (auto &o : objects) {
        try {
            out.push_back({decodeStored<T>(o.id, std::move(o.data)), o.version});
        } catch (const model::ModelError &e) {
            spdlog::warn("NSDB {}/{}: undecodable record skipped: {}", T::kType, o.id.toString(), e.what());
        }
    }
    return out;
}

template <class T> std::string storeText(const T &obj) { return model::encode(obj, model::View::Store).dump(); }

template <class T> store::Op createOp(const T &obj) { return store::Op::create(std::string(T::kType), obj.id, storeText(obj)); }
template <class T> store::Op updateOp(const Stored<T> &s)
{
    return store::Op::update(std::string(T::kType), s.obj.id, storeText(s.obj), s.version);
}
template <class T> store::Op removeOp(const Stored<T> &s)
{
    return store::Op::remove(std::string(T::kType), s.obj.id, s.version);
}
// Re-writes an object unchanged to bump its version: a writer that depends on it (a port on a
// bridge, a rule jumping to a chain) makes a concurrent delete of it fail and retry, so the
// delete's cascade sees the dependant.
template <class T> store::Op touchOp(const Stored<T> &s) { return updateOp(s); }

// Decodes a client body with the model (400 with violations on failure).
template <class T> T decodeInput(const json &body) { return model::decode<T>(body, model::DecodeOptions::apiInput()); }

// Runs a read-modify-write until it commits; a version conflict or a vanished object (the
// reads are stale) retries; after ctx.retries() attempts: 409.
Response retrying(Ctx &ctx, const std::function<Response()> &attempt);

// Thrown inside `retrying` attempts to ask for another round.
struct Retry {};
// Commits ops; version_conflict/not_found/already_exists of a touched/checked op → Retry,
// already_exists of the op at `createIndex` → 409 duplicate.
void commit(Ctx &ctx, const std::vector<store::Op> &ops, int createIndex = -1);

std::optional<std::string> uuidUri(const Ctx &ctx, const char *coll, const std::optional<Uuid> &id);

// Deletion fence. A device delete first writes a short-lived marker so that new children
// (ports, routes) are refused with 404 while it runs; without it, a stream of concurrent adds
// (each bumping the device's version) could make the delete's multi-op retry forever. Markers
// older than a minute are ignored (an instance that died mid-delete).
void markDeleting(Store &s, const Uuid &device);
void unmarkDeleting(Store &s, const Uuid &device);
store::Op unmarkDeletingOp(const Uuid &device);
// Throws 404 naming `what` if `device` is being deleted.
void refuseIfDeleting(Store &s, const Uuid &device, const std::string &what);

// Registration of the resource families (resources_*.cpp).
void addDeviceRoutes(RouteTable &t);
void addChainRoutes(RouteTable &t);
void addInfraRoutes(RouteTable &t);
void addServiceRoutes(RouteTable &t);

// Tenant ownership of devices, used by sub-resources, tenant filtering and events.
std::optional<std::string> deviceTenant(Store &s, const Uuid &deviceId);

} // namespace midonet::cluster::detail
