// The registry of model types, for code that handles objects generically by name: the REST API
// (routing a collection to its codec), the Manager, the OpenAPI generator, the NSDB tools.
//
//   const TypeInfo *t = findType("bridges");
//   json stored = t->normalize(body, DecodeOptions::apiInput(), View::Store); // throws ValidationError
//   for (const FieldInfo &f : t->schema->fields) ... // name, kind, required, range, enum values
//
// Invariants: allTypes() lists every top-level NSDB type once (type non-empty, unique) followed
// by the sub-resource shapes that have no NSDB collection of their own (type empty: host
// interface, binding, tunnel-zone member, port-group member, IP-group address, MAC/ARP entries).
//
// Thread-safety: the registry is built on first use and immutable; call from any thread.
#pragma once

#include "common/model/schema.h"

#include <string_view>
#include <vector>

namespace midonet::model {

struct TypeInfo {
    std::string_view type;      // NSDB type / REST collection path ("bridges"), or empty
    std::string_view mediaType; // vendor media type suffix ("Bridge-v4")
    const SchemaInfo *schema = nullptr;
    // Decodes (validating) then encodes in `out`: the canonical document. Throws ValidationError.
    json (*normalize)(const json &in, const DecodeOptions &opts, View out) = nullptr;
    // All violations of a document; empty when valid.
    Violations (*validate)(const json &in, const DecodeOptions &opts) = nullptr;
    // The document of a default-constructed object.
    json (*defaults)(View out) = nullptr;
};

const std::vector<TypeInfo> &allTypes();
// By NSDB type name ("bridges"); nullptr if unknown.
const TypeInfo *findType(std::string_view type);
// By schema name ("Bridge", "TunnelZoneHost"); nullptr if unknown.
const TypeInfo *findTypeBySchemaName(std::string_view name);

} // namespace midonet::model
