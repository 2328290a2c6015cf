#include "common/model/openapi.h"

#include "common/model/registry.h"

#include <functional>

namespace midonet::model {

namespace {

json scalar(FieldKind k, const FieldInfo &f)
{
    switch (k) {
    case FieldKind::Bool: return {{"type", "boolean"}};
    case FieldKind::Int: return {{"type", "integer"}, {"format", "int32"}};
    case FieldKind::Long: return {{"type", "integer"}, {"format", "int64"}};
    case FieldKind::String: return {{"type", "string"}};
    case FieldKind::Uuid: return {{"type", "string"}, {"format", "uuid"}};
    case FieldKind::Mac:
        return {{"type", "string"}, {"pattern", "^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}$"}};
    case FieldKind::IPv4: return {{"type", "string"}, {"format", "ipv4"}};
    case FieldKind::Cidr:
        return {{"type", "string"}, {"pattern", R"(^\d{1,3}(\.\d{1,3}){3}/\d{1,2}$)"}};
    case FieldKind::Enum: return {{"type", "string"}, {"enum", f.enumValues}};
    case FieldKind::Object:
        return f.nested ? json{{"$ref", "#/components/schemas/" + f.nested->name}}
                        : json{{"type", "object"}};
    case FieldKind::Array: return {{"type", "array"}};
    }
    return json::object();
}

json property(const FieldInfo &f)
{
    json p = f.kind == FieldKind::Array
                 ? json{{"type", "array"}, {"items", scalar(f.itemKind, f)}}
                 : scalar(f.kind, f);
    json &target = f.kind == FieldKind::Array ? p["items"] : p;
    if (f.min) target["minimum"] = *f.min;
    if (f.max) target["maximum"] = *f.max;
    if (f.minLength) target["minLength"] = *f.minLength;
    if (f.maxLength) target["maxLength"] = *f.maxLength;
    if (f.maxItems) p["maxItems"] = *f.maxItems;
    if (f.nullable && f.kind != FieldKind::Array) p["nullable"] = true;
    if (!f.defaultValue.is_null()) p["default"] = f.defaultValue;
    if (f.readOnly) p["readOnly"] = true;
    if (!f.refersTo.empty()) p["x-refers-to"] = f.refersTo;
    if (!f.variants.empty()) p["x-variants"] = f.variants;
    if (!f.doc.empty()) p["description"] = f.doc;
    // A $ref cannot carry siblings in OpenAPI 3.0: wrap it.
    if (p.contains("$ref") && p.size() > 1) {
        json ref = {{"$ref", p["$ref"]}};
        p.erase("$ref");
        p["allOf"] = json::array({ref});
    }
    return p;
}

} // namespace

json openApiSchema(const SchemaInfo &s, View view)
{
    json props = json::object();
    json required = json::array();
    for (const auto &f : s.fields) {
        if (view == View::Api ? f.storeOnly : f.apiOnly) continue;
        props[f.name] = property(f);
        if (f.required) required.push_back(f.name);
    }
    json out = {{"type", "object"}, {"properties", props}};
    if (!required.empty()) out["required"] = required;
    if (!s.discriminator.empty()) out["x-discriminator"] = s.discriminator;
    return out;
}

json openApiComponents(View view)
{
    json schemas = json::object();
    std::function<void(const SchemaInfo &)> add = [&](const SchemaInfo &s) {
        if (schemas.contains(s.name)) return;
        schemas[s.name] = openApiSchema(s, view);
        for (const auto &f : s.fields)
            if (f.nested) add(*f.nested);
    };
    for (const auto &t : allTypes()) add(*t.schema);
    return {{"schemas", schemas}};
}

} // namespace midonet::model
