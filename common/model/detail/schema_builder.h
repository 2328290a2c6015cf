// Internal: the fluent builder schema definitions use, one line per field:
//   b.field("name", &Bridge::name).length(0, 255);
// The field's kind, nullability and default are deduced from the member and from T{}.
#pragma once

#include <algorithm>

#include "common/model/detail/value_codec.h"

namespace midonet::model::detail {

template <class T> class SchemaBuilder
{
public:
    class Ref
    {
    public:
        explicit Ref(FieldInfo &f) : f_(f) {}
        Ref &required()
        {
            f_.required = true;
            return *this;
        }
        Ref &readOnly()
        {
            f_.readOnly = true;
            return *this;
        }
        Ref &storeOnly()
        {
            f_.storeOnly = true;
            return *this;
        }
        Ref &apiOnly()
        {
            f_.apiOnly = true;
            return *this;
        }
        Ref &range(int64_t lo, int64_t hi)
        {
            f_.min = lo;
            f_.max = hi;
            return *this;
        }
        Ref &min(int64_t lo)
        {
            f_.min = lo;
            return *this;
        }
        Ref &length(size_t lo, size_t hi)
        {
            f_.minLength = lo;
            f_.maxLength = hi;
            return *this;
        }
        Ref &maxItems(size_t n)
        {
            f_.maxItems = n;
            return *this;
        }
        Ref &refersTo(std::string type)
        {
            f_.refersTo = std::move(type);
            return *this;
        }
        Ref &variants(std::vector<std::string> v)
        {
            f_.variants = std::move(v);
            return *this;
        }
        Ref &doc(std::string d)
        {
            f_.doc = std::move(d);
            return *this;
        }

    private:
        FieldInfo &f_;
    };

    explicit SchemaBuilder(std::string name) { s_.name = std::move(name); }

    template <class M> Ref field(std::string name, M T::*member)
    {
        FieldInfo f;
        f.name = std::move(name);
        f.kind = kindOf<M>();
        describe<M>(f);
        f.defaultValue = encodeValue(T{}.*member, View::Store);
        if constexpr (!IsOptional<M>::value && !IsVector<M>::value &&
                      !std::is_same_v<M, util::Uuid>)
            f.nullable = false;
        if constexpr (std::is_same_v<M, std::string> || std::is_same_v<M, std::optional<std::string>>)
            f.maxLength = 255; // every string is bounded; fields override
        FieldAccessor<T> a;
        a.decode = [member](const json &j, T &obj, const FieldInfo &info, const std::string &path,
                            Violations &out, const DecodeOptions &opts) {
            decodeValue(j, obj.*member, Ctx{info, path, out, opts});
        };
        a.encode = [member](const T &obj, View view) { return encodeValue(obj.*member, view); };
        a.copy = [member](const T &from, T &to) { to.*member = from.*member; };
        s_.fields.push_back(std::move(f));
        s_.accessors.push_back(std::move(a));
        return Ref(s_.fields.back());
    }

    // Flattens every field of a nested schema into this one (rule condition fields).
    template <class N> void embed(N T::*member, const std::vector<std::string> &skip = {})
    {
        const Schema<N> &inner = N::schema();
        for (size_t i = 0; i < inner.fields.size(); ++i) {
            const FieldInfo &f = inner.fields[i];
            if (std::find(skip.begin(), skip.end(), f.name) != skip.end()) continue;
            FieldAccessor<T> a;
            const FieldAccessor<N> *ia = &inner.accessors[i];
            a.decode = [member, ia](const json &j, T &obj, const FieldInfo &info,
                                    const std::string &path, Violations &out,
                                    const DecodeOptions &opts) {
                ia->decode(j, obj.*member, info, path, out, opts);
            };
            a.encode = [member, ia](const T &obj, View view) { return ia->encode(obj.*member, view); };
            a.copy = [member, ia](const T &from, T &to) { ia->copy(from.*member, to.*member); };
            s_.fields.push_back(f);
            s_.accessors.push_back(std::move(a));
        }
    }

    void discriminator(std::string field, std::function<std::string(const T &)> variantOf,
                       bool emitAllVariants = false)
    {
        s_.discriminator = std::move(field);
        s_.variantOf = std::move(variantOf);
        s_.emitAllVariants = emitAllVariants;
    }
    void finish(std::function<void(T &, const std::string &, Violations &)> f)
    {
        s_.finish = std::move(f);
    }

    Schema<T> build() { return std::move(s_); }

private:
    template <class M> static void describe(FieldInfo &f)
    {
        if constexpr (IsOptional<M>::value) {
            describe<typename M::value_type>(f);
        } else if constexpr (IsVector<M>::value) {
            using X = typename M::value_type;
            f.itemKind = kindOf<X>();
            describe<X>(f);
            f.kind = FieldKind::Array;
        } else if constexpr (ModelEnum<M>) {
            f.enumValues = enumNames<M>();
        } else if constexpr (HasSchema<M>) {
            f.nested = &M::schema();
        }
    }

    Schema<T> s_;
};

} // namespace midonet::model::detail
