// Internal: how each C++ member type maps to JSON, and the generic object walk over a Schema<T>.
// Only schema definitions (schema_builder.h) and codec.h include this.
#pragma once

#include "common/model/enums.h"
#include "common/model/schema.h"
#include "common/util/net_types.h"
#include "common/util/uuid.h"

#include <limits>
#include <type_traits>

namespace midonet::model::detail {

template <class X> struct IsOptional : std::false_type {};
template <class X> struct IsOptional<std::optional<X>> : std::true_type {};
template <class X> struct IsVector : std::false_type {};
template <class X> struct IsVector<std::vector<X>> : std::true_type {};

template <class X>
concept HasSchema = requires { X::schema(); };

template <class M> constexpr FieldKind kindOf()
{
    if constexpr (IsOptional<M>::value) return kindOf<typename M::value_type>();
    else if constexpr (IsVector<M>::value) return FieldKind::Array;
    else if constexpr (std::is_same_v<M, bool>) return FieldKind::Bool;
    else if constexpr (std::is_same_v<M, int64_t>) return FieldKind::Long;
    else if constexpr (std::is_integral_v<M>) return FieldKind::Int;
    else if constexpr (std::is_same_v<M, std::string>) return FieldKind::String;
    else if constexpr (std::is_same_v<M, util::Uuid>) return FieldKind::Uuid;
    else if constexpr (std::is_same_v<M, util::MacAddress>) return FieldKind::Mac;
    else if constexpr (std::is_same_v<M, util::IPv4Address>) return FieldKind::IPv4;
    else if constexpr (std::is_same_v<M, util::IPv4Subnet>) return FieldKind::Cidr;
    else if constexpr (ModelEnum<M>) return FieldKind::Enum;
    else {
        static_assert(HasSchema<M>, "member type has no JSON mapping");
        return FieldKind::Object;
    }
}

// Messages quote what the client sent, cut short so a huge value cannot blow up the reply.
std::string quote(const json &j);
size_t utf8Length(std::string_view s);

struct Ctx {
    const FieldInfo &info;
    const std::string &path;
    Violations &out;
    const DecodeOptions &opts;
    void fail(std::string message) const { out.push_back({path, std::move(message)}); }
};

template <class T>
void decodeObject(const Schema<T> &s, const json &j, T &obj, const std::string &prefix,
                  Violations &out, const DecodeOptions &opts);
template <class T> json encodeObject(const Schema<T> &s, const T &obj, View view);

// Containers nest (an optional list), and their elements are not in this namespace, so the
// container overloads are declared before any definition uses them.
template <class X> void decodeValue(const json &j, std::optional<X> &v, const Ctx &c);
template <class X> void decodeValue(const json &j, std::vector<X> &v, const Ctx &c);
template <class X> json encodeValue(const std::optional<X> &v, View view);
template <class X> json encodeValue(const std::vector<X> &v, View view);

// ---- decode ---------------------------------------------------------------------------------

inline void decodeValue(const json &j, bool &v, const Ctx &c)
{
    if (!j.is_boolean()) return c.fail("must be a boolean");
    v = j.get<bool>();
}

template <class I>
    requires(std::is_integral_v<I> && !std::is_same_v<I, bool>)
void decodeValue(const json &j, I &v, const Ctx &c)
{
    int64_t lo = c.info.min.value_or(int64_t(std::numeric_limits<I>::min()));
    int64_t hi = c.info.max.value_or(int64_t(std::numeric_limits<I>::max()));
    int64_t x;
    if (j.is_number_unsigned()) {
        auto u = j.get<uint64_t>();
        if (u > uint64_t(std::numeric_limits<int64_t>::max())) return c.fail(rangeMessage(lo, hi));
        x = int64_t(u);
    } else if (j.is_number_integer()) {
        x = j.get<int64_t>();
    } else {
        return c.fail("must be an integer");
    }
    if (x < lo || x > hi) return c.fail(rangeMessage(lo, hi));
    v = I(x);
}

void decodeValue(const json &j, std::string &v, const Ctx &c);
void decodeValue(const json &j, util::Uuid &v, const Ctx &c);
void decodeValue(const json &j, util::MacAddress &v, const Ctx &c);
void decodeValue(const json &j, util::IPv4Address &v, const Ctx &c);
void decodeValue(const json &j, util::IPv4Subnet &v, const Ctx &c);

std::string enumMessage(const json &j, const std::vector<std::string> &accepted);

template <ModelEnum E> void decodeValue(const json &j, E &v, const Ctx &c)
{
    std::optional<E> e;
    if (j.is_string()) e = parseEnum<E>(j.get_ref<const std::string &>());
    if (!e) return c.fail(enumMessage(j, enumNames<E>()));
    v = *e;
}

template <HasSchema X> void decodeValue(const json &j, X &v, const Ctx &c)
{
    if (!j.is_object()) return c.fail("must be a JSON object");
    decodeObject(X::schema(), j, v, c.path + ".", c.out, c.opts);
}

template <class X> void decodeValue(const json &j, std::optional<X> &v, const Ctx &c)
{
    if (j.is_null()) {
        v.reset();
        return;
    }
    X tmp{};
    size_t before = c.out.size();
    decodeValue(j, tmp, c);
    if (c.out.size() == before) v = std::move(tmp);
}

template <class X> void decodeValue(const json &j, std::vector<X> &v, const Ctx &c)
{
    v.clear();
    if (j.is_null()) return; // MidoNet treats a null list as empty
    if (!j.is_array()) return c.fail("must be an array");
    size_t cap = c.info.maxItems.value_or(4096);
    if (j.size() > cap) return c.fail("must have at most " + std::to_string(cap) + " items");
    v.reserve(j.size());
    for (size_t i = 0; i < j.size(); ++i) {
        std::string path = c.path + "[" + std::to_string(i) + "]";
        Ctx ec{c.info, path, c.out, c.opts};
        if (j[i].is_null()) {
            ec.fail("may not be null");
            continue;
        }
        X tmp{};
        size_t before = c.out.size();
        decodeValue(j[i], tmp, ec);
        if (c.out.size() == before) v.push_back(std::move(tmp));
    }
}

// ---- encode ---------------------------------------------------------------------------------

inline json encodeValue(bool v, View) { return v; }
template <class I>
    requires(std::is_integral_v<I> && !std::is_same_v<I, bool>)
json encodeValue(I v, View)
{
    return int64_t(v);
}
inline json encodeValue(const std::string &v, View) { return v; }
// A nil id is "not assigned yet": null, as MidoNet prints an unset UUID.
inline json encodeValue(const util::Uuid &v, View)
{
    return v.isNil() ? json(nullptr) : json(v.toString());
}
inline json encodeValue(const util::MacAddress &v, View) { return v.toString(); }
inline json encodeValue(const util::IPv4Address &v, View) { return v.toString(); }
inline json encodeValue(const util::IPv4Subnet &v, View) { return v.toString(); }
template <ModelEnum E> json encodeValue(E v, View) { return std::string(enumName(v)); }
template <HasSchema X> json encodeValue(const X &v, View view)
{
    return encodeObject(X::schema(), v, view);
}
template <class X> json encodeValue(const std::optional<X> &v, View view)
{
    return v ? encodeValue(*v, view) : json(nullptr);
}
template <class X> json encodeValue(const std::vector<X> &v, View view)
{
    auto a = json::array();
    for (const auto &x : v) a.push_back(encodeValue(x, view));
    return a;
}

// ---- objects --------------------------------------------------------------------------------

inline bool visible(const FieldInfo &f, View view)
{
    return view == View::Api ? !f.storeOnly : !f.apiOnly;
}

template <class T>
void decodeObject(const Schema<T> &s, const json &j, T &obj, const std::string &prefix,
                  Violations &out, const DecodeOptions &opts)
{
    if (!j.is_object()) {
        out.push_back({prefix.empty() ? "" : prefix.substr(0, prefix.size() - 1),
                       "must be a JSON object"});
        return;
    }
    size_t before = out.size();
    for (size_t i = 0; i < s.fields.size(); ++i) {
        const FieldInfo &f = s.fields[i];
        if (!visible(f, opts.view) || (f.readOnly && opts.ignoreReadOnly)) continue;
        if (!s.applies(i, obj)) continue;
        std::string path = prefix + f.name;
        auto it = j.find(f.name);
        if (it == j.end() || it->is_null()) {
            if (f.required) out.push_back({path, "may not be null"});
            continue;
        }
        s.accessors[i].decode(*it, obj, f, path, out, opts);
    }
    if (s.finish && out.size() == before) s.finish(obj, prefix, out);
}

template <class T> json encodeObject(const Schema<T> &s, const T &obj, View view)
{
    json j = json::object();
    for (size_t i = 0; i < s.fields.size(); ++i) {
        const FieldInfo &f = s.fields[i];
        if (!visible(f, view)) continue;
        if (!s.applies(i, obj)) {
            if (s.emitAllVariants) j[f.name] = f.defaultValue; // what the object would hold
            continue;
        }
        j[f.name] = s.accessors[i].encode(obj, view);
    }
    return j;
}

} // namespace midonet::model::detail
