#include "cli/values.h"

#include <charconv>

#include "common/util/net_types.h"

namespace midonet::cli {

using util::IPv4Address;
using util::IPv4Subnet;
using util::IPv6Address;
using util::MacAddress;

namespace {

std::optional<long long> parseInt(std::string_view s)
{
    long long v = 0;
    if (s.empty()) return std::nullopt;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
    return v;
}

std::optional<int> parsePort(std::string_view s)
{
    auto v = parseInt(s);
    if (!v || *v < 0 || *v > 65535) return std::nullopt;
    return int(*v);
}

bool isTrue(const Json *j) { return j && j->is_boolean() && j->get<bool>(); }

std::string jsonText(const Json &j)
{
    if (j.is_string()) return j.get<std::string>();
    return j.dump();
}

} // namespace

const Json *getPath(const Json &obj, std::string_view path)
{
    const Json *cur = &obj;
    while (true) {
        auto dot = path.find('.');
        auto key = std::string(path.substr(0, dot));
        if (!cur->is_object()) return nullptr;
        auto it = cur->find(key);
        if (it == cur->end()) return nullptr;
        cur = &*it;
        if (dot == std::string_view::npos) return cur;
        path.remove_prefix(dot + 1);
    }
}

Json &setPath(Json &obj, std::string_view path)
{
    Json *cur = &obj;
    while (true) {
        auto dot = path.find('.');
        auto key = std::string(path.substr(0, dot));
        if (!cur->is_object()) *cur = Json::object();
        cur = &(*cur)[key];
        if (dot == std::string_view::npos) return *cur;
        path.remove_prefix(dot + 1);
    }
}

std::vector<std::string> splitList(std::string_view text)
{
    std::vector<std::string> out;
    size_t start = 0;
    while (start <= text.size()) {
        auto comma = text.find(',', start);
        if (comma == std::string_view::npos) comma = text.size();
        out.emplace_back(text.substr(start, comma - start));
        start = comma + 1;
    }
    return out;
}

std::optional<Json> parseL4Range(std::string_view text)
{
    auto dash = text.find('-');
    auto a = parsePort(text.substr(0, dash));
    auto b = dash == std::string_view::npos ? a : parsePort(text.substr(dash + 1));
    if (!a || !b || *a > *b) return std::nullopt;
    return Json{{"start", *a}, {"end", *b}};
}

std::optional<Json> parseNatTargets(std::string_view text)
{
    Json out = Json::array();
    for (const auto &item : splitList(text)) {
        std::string_view s = item;
        std::string_view addrs = s, ports;
        if (auto colon = s.find(':'); colon != std::string_view::npos) {
            addrs = s.substr(0, colon);
            ports = s.substr(colon + 1);
        }
        auto dash = addrs.find('-');
        auto from = IPv4Address::parse(addrs.substr(0, dash));
        auto to = dash == std::string_view::npos ? from : IPv4Address::parse(addrs.substr(dash + 1));
        if (!from || !to || to->value < from->value) return std::nullopt;
        int pFrom = 0, pTo = 0; // no port: 0-0, i.e. keep the port (static NAT)
        if (!ports.empty() || s.find(':') != std::string_view::npos) {
            auto range = parseL4Range(ports);
            if (!range) return std::nullopt;
            pFrom = (*range)["start"];
            pTo = (*range)["end"];
        }
        out.push_back({{"addressFrom", from->toString()},
                       {"addressTo", to->toString()},
                       {"portFrom", pFrom},
                       {"portTo", pTo}});
    }
    return out;
}

std::optional<std::string> parseMacMask(std::string_view text)
{
    // xxxx.xxxx.xxxx: three groups of four hex digits.
    if (text.size() != 14 || text[4] != '.' || text[9] != '.') return std::nullopt;
    std::string hex;
    for (char c : text)
        if (c != '.') hex += c;
    std::string mac;
    for (size_t i = 0; i < 12; i += 2) {
        if (!mac.empty()) mac += ':';
        mac += hex.substr(i, 2);
    }
    auto parsed = MacAddress::parse(mac);
    if (!parsed) return std::nullopt;
    return parsed->toString();
}

std::string formatMacMask(std::string_view apiMac)
{
    std::string hex;
    for (char c : apiMac)
        if (c != ':') hex += c;
    if (hex.size() != 12) return std::string(apiMac);
    return hex.substr(0, 4) + "." + hex.substr(4, 4) + "." + hex.substr(8, 4);
}

std::vector<std::string> valueWords(const FieldSpec &f)
{
    switch (f.kind) {
    case FieldKind::Enum: {
        std::vector<std::string> out;
        for (const auto &e : f.enums) out.push_back(e.cli);
        return out;
    }
    case FieldKind::State: return {"up", "down"};
    case FieldKind::YesNo: return {"yes", "no"};
    case FieldKind::Bool: return {"true", "false"};
    case FieldKind::Flow: return {"fwd-flow", "return-flow"};
    case FieldKind::ContainerLimit: return {"no-limit"};
    default: return {};
    }
}

void writeField(const FieldSpec &f, std::string_view text, Json &obj, RefContext &refs)
{
    const std::string original(text);
    auto bad = [&]() -> ValueError { return ValueError(f.cli, original); };
    bool inverted = false;
    if (!f.inv.empty() && text.starts_with('!')) {
        inverted = true;
        text.remove_prefix(1);
    }
    // Build the new values first so a bad value leaves obj untouched.
    Json value;
    Json second; // Cidr length, TraceDevice type, Flow return flag
    bool hasSecond = false;
    auto resolve = [&](std::string_view token) {
        auto id = refs.resolveRef(f.refType, std::string(token));
        if (!id) throw bad();
        return *id;
    };
    switch (f.kind) {
    case FieldKind::String: value = std::string(text); break;
    case FieldKind::Int: {
        auto v = parseInt(text);
        if (!v) throw bad();
        value = *v;
        break;
    }
    case FieldKind::ContainerLimit: {
        if (text == "no-limit") {
            value = -1;
            break;
        }
        auto v = parseInt(text);
        if (!v || *v < -1) throw bad();
        value = *v;
        break;
    }
    case FieldKind::Bool:
        if (text == "true") value = true;
        else if (text == "false") value = false;
        else throw bad();
        break;
    case FieldKind::State:
        if (text == "up") value = true;
        else if (text == "down") value = false;
        else throw bad();
        break;
    case FieldKind::YesNo:
        if (text == "yes") value = true;
        else if (text == "no") value = false;
        else throw bad();
        break;
    case FieldKind::Enum: {
        const EnumValue *hit = nullptr;
        for (const auto &e : f.enums)
            if (e.cli == text) hit = &e;
        if (!hit) throw bad();
        value = hit->api.empty() ? Json(nullptr) : Json(hit->api);
        break;
    }
    case FieldKind::Mac: {
        auto m = MacAddress::parse(text);
        if (!m) throw bad();
        value = m->toString();
        break;
    }
    case FieldKind::MacMask: {
        auto m = parseMacMask(text);
        if (!m) throw bad();
        value = *m;
        break;
    }
    case FieldKind::IPv4: {
        auto a = IPv4Address::parse(text);
        if (!a) throw bad();
        value = a->toString();
        break;
    }
    case FieldKind::Cidr: {
        auto s = IPv4Subnet::parse(text);
        if (!s) throw bad();
        value = s->address.toString();
        second = int(s->length);
        hasSecond = true;
        break;
    }
    case FieldKind::CidrList: {
        value = Json::array();
        for (const auto &item : splitList(text)) {
            auto s = IPv4Subnet::parse(item);
            if (!s) throw bad();
            value.push_back(s->address.toString() + "/" + std::to_string(s->length));
        }
        break;
    }
    case FieldKind::StringList:
        value = Json::array();
        for (const auto &item : splitList(text)) {
            if (item.empty()) throw bad();
            value.push_back(item);
        }
        break;
    case FieldKind::L4Range: {
        auto r = parseL4Range(text);
        if (!r) throw bad();
        value = *r;
        break;
    }
    case FieldKind::NatTargets: {
        auto t = parseNatTargets(text);
        if (!t) throw bad();
        value = *t;
        break;
    }
    case FieldKind::Ref:
    case FieldKind::Peer: value = resolve(text); break;
    case FieldKind::TraceDevice:
        value = resolve(text);
        second = f.fixed;
        hasSecond = true;
        break;
    case FieldKind::RefList:
        value = Json::array();
        for (const auto &item : splitList(text)) value.push_back(resolve(item));
        break;
    case FieldKind::Flow:
        if (text == "fwd-flow") value = true;
        else if (text == "return-flow") value = false;
        else throw bad();
        second = !value.get<bool>();
        hasSecond = true;
        break;
    case FieldKind::IpVersionAddr:
        if (auto a4 = IPv4Address::parse(text)) {
            value = a4->toString();
            second = 4;
        } else if (auto a6 = IPv6Address::parse(text)) {
            value = a6->toString();
            second = 6;
        } else {
            throw bad();
        }
        hasSecond = true;
        break;
    case FieldKind::Present: throw bad(); // read-only, never written
    }

    setPath(obj, f.api) = value;
    if (hasSecond) setPath(obj, f.kind == FieldKind::IpVersionAddr ? "version" : f.api2) = second;
    if (!f.inv.empty()) setPath(obj, f.inv) = inverted;
    if (f.kind == FieldKind::CidrList && f.api == "portSubnet" && !value.empty()) {
        // Servers older than portSubnet (and the Java server without it) read the first
        // address from portAddress/networkAddress/networkLength: keep them in step.
        auto s = *IPv4Subnet::parse(value[0].get<std::string>());
        obj["portAddress"] = s.address.toString();
        obj["networkAddress"] = s.network().toString();
        obj["networkLength"] = int(s.length);
    }
}

void clearField(const FieldSpec &f, Json &obj)
{
    bool list = f.kind == FieldKind::RefList || f.kind == FieldKind::StringList ||
                f.kind == FieldKind::CidrList;
    setPath(obj, f.api) = list ? Json::array() : Json(nullptr);
    if (f.kind == FieldKind::Cidr) setPath(obj, f.api2) = nullptr;
    if (f.kind == FieldKind::Flow) setPath(obj, f.api2) = false;
    if (f.kind == FieldKind::Flow) setPath(obj, f.api) = false;
    if (!f.inv.empty()) setPath(obj, f.inv) = false;
}

std::optional<std::string> formatField(const FieldSpec &f, const Json &obj, RefContext &refs)
{
    const Json *v = getPath(obj, f.api);
    std::string bang = !f.inv.empty() && isTrue(getPath(obj, f.inv)) ? "!" : "";
    if (f.kind == FieldKind::Present) return v && !v->is_null() ? "yes" : "no";
    if (f.kind == FieldKind::Flow) {
        if (isTrue(v)) return "fwd-flow";
        if (isTrue(getPath(obj, f.api2))) return "return-flow";
        return std::nullopt;
    }
    if (!v || v->is_null()) return std::nullopt;
    if (v->is_array() && v->empty()) return std::nullopt;
    switch (f.kind) {
    case FieldKind::Bool:
        if (!v->is_boolean()) return jsonText(*v);
        if (f.hideFalse && !v->get<bool>()) return std::nullopt;
        return v->get<bool>() ? "true" : "false";
    case FieldKind::State:
        if (!v->is_boolean()) return jsonText(*v);
        return v->get<bool>() ? "up" : "down";
    case FieldKind::YesNo:
        if (!v->is_boolean()) return jsonText(*v);
        if (f.hideFalse && !v->get<bool>()) return std::nullopt;
        return v->get<bool>() ? "yes" : "no";
    case FieldKind::Enum: {
        auto text = jsonText(*v);
        for (const auto &e : f.enums)
            if (e.api == text) return e.cli;
        // A value the table does not know (a newer server): show it as the API sent it.
        return text;
    }
    case FieldKind::ContainerLimit:
        if (v->is_number_integer() && v->get<long long>() == -1) return "no-limit";
        return jsonText(*v);
    case FieldKind::Cidr: {
        auto addr = jsonText(*v);
        const Json *len = getPath(obj, f.api2);
        if (!len || !len->is_number_integer() || len->get<int>() == 32) return bang + addr;
        return bang + addr + "/" + std::to_string(len->get<int>());
    }
    case FieldKind::MacMask: return formatMacMask(jsonText(*v));
    case FieldKind::L4Range: {
        if (!v->is_object()) return jsonText(*v);
        auto start = v->value("start", Json()), end = v->value("end", Json());
        return bang + jsonText(start) + "-" + jsonText(end.is_null() ? start : end);
    }
    case FieldKind::NatTargets: {
        std::string out;
        for (const auto &t : *v) {
            if (!out.empty()) out += ",";
            auto from = t.value("addressFrom", std::string());
            auto to = t.value("addressTo", from);
            out += from;
            if (to != from) out += "-" + to;
            int pf = t.value("portFrom", 0), pt = t.value("portTo", 0);
            if (pf != 0 || pt != 0) {
                out += ":" + std::to_string(pf);
                if (pt != pf) out += "-" + std::to_string(pt);
            }
        }
        return out;
    }
    case FieldKind::Ref:
    case FieldKind::Peer: return bang + refs.displayRef(f.refType, jsonText(*v));
    case FieldKind::TraceDevice: {
        const Json *type = getPath(obj, f.api2);
        if (!type || jsonText(*type) != f.fixed) return std::nullopt;
        return refs.displayRef(f.refType, jsonText(*v));
    }
    case FieldKind::RefList:
    case FieldKind::StringList:
    case FieldKind::CidrList: {
        if (!v->is_array()) return jsonText(*v);
        std::string out;
        for (const auto &item : *v) {
            if (!out.empty()) out += ",";
            out += f.kind == FieldKind::RefList ? refs.displayRef(f.refType, jsonText(item))
                                                : jsonText(item);
        }
        return bang + out;
    }
    default: return bang + jsonText(*v);
    }
}

} // namespace midonet::cli
