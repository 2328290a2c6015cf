// /midonet-api/openapi.json: built from the route table (paths, methods, media types) and the
// model's schema tables (field names, kinds, ranges, enums, required, read-only) — the same
// FieldInfo rows the codec validates with, so the description cannot drift from the behaviour.
#include "cluster/detail/api.h"
#include "cluster/detail/handler_state.h"
#include "common/model/registry.h"

#include <set>

namespace midonet::cluster::detail {

namespace {

json fieldSchema(const model::FieldInfo &f, std::set<const model::SchemaInfo *> &nested);

json kindSchema(model::FieldKind k, const model::FieldInfo &f, std::set<const model::SchemaInfo *> &nested)
{
    using model::FieldKind;
    switch (k) {
    case FieldKind::Bool: return {{"type", "boolean"}};
    case FieldKind::Int: return {{"type", "integer"}, {"format", "int32"}};
    case FieldKind::Long: return {{"type", "integer"}, {"format", "int64"}};
    case FieldKind::String: return {{"type", "string"}};
    case FieldKind::Uuid: return {{"type", "string"}, {"format", "uuid"}};
    case FieldKind::Mac: return {{"type", "string"}, {"pattern", "^([0-9a-fA-F]{2}:){5}[0-9a-fA-F]{2}$"}};
    case FieldKind::IPv4: return {{"type", "string"}, {"format", "ipv4"}};
    case FieldKind::Cidr: return {{"type", "string"}, {"description", "a.b.c.d/n"}};
    case FieldKind::Enum: return {{"type", "string"}, {"enum", f.enumValues}};
    case FieldKind::Object:
        if (f.nested) {
            nested.insert(f.nested);
            return {{"$ref", "#/components/schemas/" + f.nested->name}};
        }
        return {{"type", "object"}};
    case FieldKind::Array: return {{"type", "array"}};
    }
    return json::object();
}

json fieldSchema(const model::FieldInfo &f, std::set<const model::SchemaInfo *> &nested)
{
    json s;
    if (f.kind == model::FieldKind::Array) {
        s = {{"type", "array"}, {"items", kindSchema(f.itemKind, f, nested)}};
        if (f.maxItems) s["maxItems"] = *f.maxItems;
    } else {
        s = kindSchema(f.kind, f, nested);
    }
    if (f.min) s["minimum"] = *f.min;
    if (f.max) s["maximum"] = *f.max;
    if (f.minLength) s["minLength"] = *f.minLength;
    if (f.maxLength) s["maxLength"] = *f.maxLength;
    if (f.nullable) s["nullable"] = true;
    if (f.readOnly) s["readOnly"] = true;
    if (!f.defaultValue.is_null()) s["default"] = f.defaultValue;
    std::string doc = f.doc;
    if (!f.variants.empty()) {
        std::string v;
        for (const auto &x : f.variants) v += (v.empty() ? "" : ", ") + x;
        doc += (doc.empty() ? "" : " ") + std::string("Only for: ") + v + ".";
    }
    if (!f.refersTo.empty()) doc += (doc.empty() ? "" : " ") + std::string("Id of an object in /") + f.refersTo + ".";
    if (!doc.empty()) s["description"] = doc;
    return s;
}

json objectSchema(const model::SchemaInfo &info, std::set<const model::SchemaInfo *> &nested)
{
    json props = json::object();
    json required = json::array();
    for (const auto &f : info.fields) {
        if (f.storeOnly) continue;
        props[f.name] = fieldSchema(f, nested);
        if (f.required) required.push_back(f.name);
    }
    json s{{"type", "object"}, {"properties", props}};
    if (!required.empty()) s["required"] = required;
    if (!info.discriminator.empty()) s["discriminator"] = {{"propertyName", info.discriminator}};
    return s;
}

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
    std::set<const model::SchemaInfo *> schemas, nested;
    for (const auto &t : model::allTypes())
        if (t.schema) schemas.insert(t.schema);
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
    json components = json::object();
    std::set<const model::SchemaInfo *> done;
    while (!schemas.empty() || !nested.empty()) {
        schemas.insert(nested.begin(), nested.end());
        nested.clear();
        auto todo = schemas;
        schemas.clear();
        for (const auto *s : todo) {
            if (!done.insert(s).second) continue;
            components[s->name] = objectSchema(*s, nested);
        }
    }
    return {{"openapi", "3.0.3"},
            {"info", {{"title", "MidoNet REST API (midonet-cluster)"}, {"version", "5.0"}}},
            {"servers", json::array({{{"url", base}}})},
            {"components", {{"schemas", components},
                            {"securitySchemes", {{"token", {{"type", "apiKey"}, {"in", "header"}, {"name", "X-Auth-Token"}}}}}}},
            {"security", json::array({{{"token", json::array()}}})},
            {"paths", paths}};
}

} // namespace midonet::cluster::detail
