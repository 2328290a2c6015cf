// The JSON codec of the object model: text -> json -> typed object -> json, with validation.
//
//   auto bridge = model::decode<Bridge>(body, DecodeOptions::apiInput()); // throws ValidationError
//   json out = model::encode(bridge);                                      // every field, null if unset
//   auto rec = model::decode<Bridge>(stored, DecodeOptions::store());
//
// Contract:
//  - decode never crashes on any input; every problem becomes a Violation naming the property
//    and the rule, and decode throws one ValidationError holding all of them (field errors
//    first; cross-field rules run only once every field decoded cleanly).
//  - Unknown input fields are ignored (clients PUT back whole GET documents, URIs included).
//  - A field absent or null takes the value of a default-constructed object (the "Default:").
//  - encode emits every declared field visible in the view, null when unset, [] for lists.
//  - parseJson caps size (kMaxDocumentBytes) and nesting (kMaxDepth) before nlohmann parses.
//
// Thread-safety: all functions are reentrant; schemas are immutable after first use.
#pragma once

#include "common/model/detail/value_codec.h"
#include "common/model/errors.h"
#include "common/model/schema.h"

#include <string_view>

namespace midonet::model {

inline constexpr size_t kMaxDocumentBytes = 4 * 1024 * 1024;
inline constexpr int kMaxDepth = 64;

// Parses text; throws ValidationError::malformed (code 400, message saying where and why).
json parseJson(std::string_view text);

// Decodes into `out`; appends violations and returns false on any.
template <class T>
bool tryDecode(const json &j, T &out, Violations &violations, const DecodeOptions &opts)
{
    size_t before = violations.size();
    out = T{};
    detail::decodeObject(T::schema(), j, out, "", violations, opts);
    return violations.size() == before;
}

template <class T> T decode(const json &j, const DecodeOptions &opts)
{
    T out{};
    Violations v;
    if (!tryDecode(j, out, v, opts)) throw ValidationError(std::move(v));
    return out;
}

template <class T> T decodeText(std::string_view text, const DecodeOptions &opts)
{
    return decode<T>(parseJson(text), opts);
}

template <class T> json encode(const T &obj, View view = View::Api)
{
    return detail::encodeObject(T::schema(), obj, view);
}

// Re-validates an object built in code (derived fields, cross-field rules) by a round trip.
template <class T> Violations validate(const T &obj)
{
    T copy{};
    Violations v;
    tryDecode(encode(obj, View::Store), copy, v, DecodeOptions::store());
    return v;
}

// PUT semantics: server-owned fields (read-only and store-only) come from the stored object,
// everything else from the body.
template <class T> void copyServerOwned(const T &stored, T &incoming)
{
    const auto &s = T::schema();
    for (size_t i = 0; i < s.fields.size(); ++i)
        if (s.fields[i].readOnly || s.fields[i].storeOnly) s.accessors[i].copy(stored, incoming);
}

// Copies the named fields (e.g. the ones a resource's PUT keeps); unknown names are ignored.
template <class T>
void copyFields(const T &from, T &to, std::initializer_list<std::string_view> names)
{
    const auto &s = T::schema();
    for (size_t i = 0; i < s.fields.size(); ++i)
        for (auto n : names)
            if (s.fields[i].name == n) s.accessors[i].copy(from, to);
}

} // namespace midonet::model
