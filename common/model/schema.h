// The schema of every model type: one FieldInfo per JSON field (name, kind, required, default,
// range, read-only, enum values, referenced type), in the order MidoNet emits them. The codec,
// the validator, the referential checks and the OpenAPI generator all read these tables, so a
// field is described exactly once.
//
// Invariants:
//  - SchemaInfo::fields is in emission order; a discriminator field (e.g. "type") comes before
//    every field whose `variants` depends on it.
//  - readOnly fields are computed by the server: API input ignores them (DecodeOptions::apiInput)
//    and copyServerOwned() carries them over from the stored object.
//  - storeOnly fields live in the NSDB (e.g. a chain's ordered rule ids) and never appear in API
//    JSON; apiOnly fields are derived on output (e.g. a rule's position) and are never stored.
//  - defaultValue is the JSON of the value a decoded object has when the field is absent.
//
// Thread-safety: schemas are built once on first use (function-local statics) and are immutable
// afterwards; any thread may read them.
#pragma once

#include "common/model/errors.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace midonet::model {

using nlohmann::json;

enum class FieldKind { Bool, Int, Long, String, Uuid, Mac, IPv4, Cidr, Enum, Object, Array };
std::string_view kindName(FieldKind k);

// Which document a codec call reads or writes: the REST API's or the NSDB's.
enum class View { Api, Store };

struct SchemaInfo;

struct FieldInfo {
    std::string name;
    FieldKind kind = FieldKind::String;
    FieldKind itemKind = FieldKind::String; // element kind when kind == Array
    bool nullable = true;                   // may be null in output (optional or id-like)
    bool required = false;                  // absent/null input is a violation
    bool readOnly = false;                  // server-computed; ignored on API input
    bool apiOnly = false;                   // derived for the API, not stored
    bool storeOnly = false;                 // internal to the NSDB, not in the API
    std::optional<int64_t> min, max;        // integer range (inclusive)
    std::optional<size_t> minLength, maxLength; // string length in characters
    std::optional<size_t> maxItems;         // arrays
    std::vector<std::string> enumValues;    // kind Enum (or Array of Enum)
    json defaultValue;                      // null = no default
    std::string refersTo;                   // NSDB type a Uuid (list) field points at
    std::vector<std::string> variants;      // discriminator values it applies to; empty = all
    const SchemaInfo *nested = nullptr;     // kind Object (or Array of Object)
    std::string doc;
};

struct SchemaInfo {
    std::string name;          // "Bridge", "Rule", ...
    std::string discriminator; // field selecting variants ("type"), or empty
    // Emit fields of other variants as null (rules: clients index any key on any rule type).
    bool emitAllVariants = false;
    std::vector<FieldInfo> fields;

    const FieldInfo *find(std::string_view fieldName) const;
};

struct DecodeOptions {
    View view = View::Api;
    bool ignoreReadOnly = true;

    // A client's POST/PUT body: read-only and internal fields are ignored.
    static DecodeOptions apiInput() { return {View::Api, true}; }
    // A document the API emitted (CLI, Manager, tests): read-only fields are kept.
    static DecodeOptions apiDocument() { return {View::Api, false}; }
    // An NSDB record.
    static DecodeOptions store() { return {View::Store, false}; }
};

// The typed half of a schema: how to move each field between JSON and a T.
template <class T> struct FieldAccessor {
    std::function<void(const json &, T &, const FieldInfo &, const std::string &path,
                       Violations &, const DecodeOptions &)>
        decode;
    std::function<json(const T &, View)> encode;
    std::function<void(const T &from, T &to)> copy;
};

template <class T> struct Schema : SchemaInfo {
    std::vector<FieldAccessor<T>> accessors; // parallel to fields
    // Wire name of the variant of an object, when discriminator is set.
    std::function<std::string(const T &)> variantOf;
    // Cross-field rules and derived defaults, run after every field decoded cleanly.
    // `prefix` is the property path of the object ("" at top level, "condition." nested).
    std::function<void(T &, const std::string &prefix, Violations &)> finish;

    bool applies(size_t i, const T &obj) const
    {
        const auto &v = fields[i].variants;
        if (v.empty() || !variantOf) return true;
        auto name = variantOf(obj);
        for (const auto &x : v)
            if (x == name) return true;
        return false;
    }
};

} // namespace midonet::model
