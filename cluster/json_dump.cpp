#include "cluster/detail/json_dump.h"

#include <charconv>

namespace midonet::cluster::detail {

namespace {

// True if dump() would copy `s` between quotes unchanged: printable ASCII without '"' or '\'.
bool plain(const std::string &s)
{
    for (unsigned char c : s)
        if (c < 0x20 || c >= 0x80 || c == '"' || c == '\\') return false;
    return true;
}

void appendString(const std::string &s, std::string &out)
{
    if (!plain(s)) {
        out += nlohmann::json(s).dump();
        return;
    }
    out += '"';
    out += s;
    out += '"';
}

template <class N> void appendInteger(N v, std::string &out)
{
    char buf[24];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
    out.append(buf, end);
}

} // namespace

void appendJson(const nlohmann::json &j, std::string &out)
{
    using V = nlohmann::json::value_t;
    switch (j.type()) {
    case V::object: {
        out += '{';
        bool first = true;
        for (const auto &[key, value] : j.items()) {
            if (!first) out += ',';
            first = false;
            appendString(key, out);
            out += ':';
            appendJson(value, out);
        }
        out += '}';
        return;
    }
    case V::array: {
        out += '[';
        bool first = true;
        for (const auto &e : j) {
            if (!first) out += ',';
            first = false;
            appendJson(e, out);
        }
        out += ']';
        return;
    }
    case V::string: appendString(j.get_ref<const std::string &>(), out); return;
    case V::boolean: out += j.get<bool>() ? "true" : "false"; return;
    case V::null: out += "null"; return;
    case V::number_integer: appendInteger(j.get<std::int64_t>(), out); return;
    case V::number_unsigned: appendInteger(j.get<std::uint64_t>(), out); return;
    default: out += j.dump(); return; // floating point, binary, discarded: nlohmann's own text
    }
}

std::string dumpJson(const nlohmann::json &j)
{
    std::string out;
    out.reserve(1024);
    appendJson(j, out);
    return out;
}

} // namespace midonet::cluster::detail
