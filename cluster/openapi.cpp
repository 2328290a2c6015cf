// /midonet-api/openapi.json: built from the route table (paths, methods, media types) and the
// model's schema tables (field names, kinds, ranges, enums, required, read-only) — the same
// FieldInfo rows the codec validates with, so the description cannot drift from the behaviour.
#include "cluster/detail/api.h"
#include "cluster/detail/handler_state.h"
#include "common/model/openapi.h"
#include "common/model/registry.h"

#include <functional>
#include <set>

namespace midonet::cluster::detail {

namespace {

std::string openApiPath(const ApiRoute &r)
{
    std::string p;
    for (const auto &seg : r.pattern) p += "/" + seg;
    return p.empty() ? "/" : p;
}

} // namespace

json openApiDocument(const HandlerState &state, const std::string &base)
{
    json paths = json::object();
    std::set<const model::SchemaInfo *> schemas; // named by routes
    for (const auto &r : state.routes.all()) {
        json op{{"summary", r.summary.empty() ? r.method + " " + openApiPath(r) : r.summary}};
        json params = json::array();
        for (const auto &seg : r.pattern)
            if (seg.size() > 2 && seg.front() == '{')
                params.push_back({{"name", seg.substr(1, seg.size() - 2)}, {"in", "path"}, {"required", true}, {"schema", {{"type", "string"}}}});
        if (!params.empty()) op["parameters"] = params;
        json ref = r.schema ? json{{"$ref", "#/components/schemas/" + r.schema->name}} : json{{"type", "object"}};
        if (r.schema) schemas.insert(r.schema);
        std::string media = r.mediaType.empty() ? "application/json" : r.mediaType;
        json responses;
        if (r.method == "GET") {
            json body = r.collection ? json{{"type", "array"}, {"items", ref}} : ref;
            responses["200"] = {{"description", "OK"}, {"content", {{media, {{"schema", body}}}}}};
        } else if (r.method == "POST") {
            op["requestBody"] = {{"content", {{media, {{"schema", ref}}}, {"application/json", {{"schema", ref}}}}}};
            responses["201"] = {{"description", "Created; Location names the new object"}};
            responses["400"] = {{"description", "Validation error(s) found (violations name the field)"}};
            responses["409"] = {{"description", "Conflict (duplicate, already linked, concurrent change)"}};
        } else if (r.method == "PUT") {
            op["requestBody"] = {{"content", {{media, {{"schema", ref}}}, {"application/json", {{"schema", ref}}}}}};
            responses["204"] = {{"description", "Replaced"}};
            responses["400"] = {{"description", "Validation error(s) found"}};
        } else {
            responses["204"] = {{"description", "Deleted"}};
        }
        responses["401"] = {{"description", "Missing or invalid X-Auth-Token"}};
        responses["404"] = {{"description", "No such object (or another tenant's)"}};
        op["responses"] = responses;
        std::string method = r.method;
        for (auto &c : method) c = char(std::tolower(static_cast<unsigned char>(c)));
        paths[openApiPath(r)][method] = op;
    }
    paths["/login"]["post"] = {{"summary", "Basic credentials -> token (Set-Cookie: sessionId=...)"},
                               {"security", json::array()},
                               {"responses", {{"200", {{"description", "Token-v1: {key, expires}"}}}, {"401", {{"description", "Bad credentials"}}}}}};
    paths["/events"]["get"] = {{"summary", "WebSocket stream of NSDB changes (?since=&type=&tenant_id=&token=)"},
                               {"responses", {{"101", {{"description", "Switching protocols"}}}}}};
    // Component schemas are the model's (common/model/openapi.h): every registered type and
    // its nested objects, plus the sub-resource types the routes name (bindings, members, ...).
    json components = model::openApiComponents()["schemas"];
    std::function<void(const model::SchemaInfo &)> add = [&](const model::SchemaInfo &s) {
        if (components.contains(s.name)) return;
        components[s.name] = model::openApiSchema(s);
        for (const auto &f : s.fields)
            if (f.nested) add(*f.nested);
    };
    for (const auto *s : schemas) add(*s);
    return {{"openapi", "3.0.3"},
            {"info", {{"title", "MidoNet REST API (midonet-cluster)"}, {"version", "5.0"}}},
            {"servers", json::array({{{"url", base}}})},
            {"components", {{"schemas", components},
                            {"securitySchemes", {{"token", {{"type", "apiKey"}, {"in", "header"}, {"name", "X-Auth-Token"}}}}}}},
            {"security", json::array({{{"token", json::array()}}})},
            {"paths", paths}};
}

} // namespace midonet::cluster::detail
