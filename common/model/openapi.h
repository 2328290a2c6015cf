// OpenAPI 3 / JSON Schema descriptions generated from the model's schema tables, for
// /midonet-api/openapi.json. The REST layer adds paths and link fields (uri, ports, ...).
//
// Invariants: one component schema per registered type, named after SchemaInfo::name; nested
// objects (Range, NatTarget, Condition, Interface, ...) get their own component and a $ref.
//
// Thread-safety: pure functions over immutable schemas.
#pragma once

#include "common/model/schema.h"

namespace midonet::model {

// JSON Schema of one type as seen in `view`: properties with type/format, nullable, enum,
// minimum/maximum, minLength/maxLength, maxItems, default, readOnly, x-refers-to, x-variants;
// `required` lists the required fields.
json openApiSchema(const SchemaInfo &schema, View view = View::Api);
// {"schemas": {"Bridge": {...}, ...}} for every registered type and nested object.
json openApiComponents(View view = View::Api);

} // namespace midonet::model
