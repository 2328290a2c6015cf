#include "cluster/http_message.h"

#include <algorithm>
#include <cctype>

namespace midonet::cluster {

bool CaseInsensitiveLess::operator()(std::string_view a, std::string_view b) const
{
    return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
        return std::tolower(static_cast<unsigned char>(x)) < std::tolower(static_cast<unsigned char>(y));
    });
}

std::string_view Request::header(std::string_view name) const
{
    auto it = headers.find(name);
    return it == headers.end() ? std::string_view{} : std::string_view{it->second};
}

bool Request::hasHeader(std::string_view name) const { return headers.find(name) != headers.end(); }

static bool iequals(std::string_view a, std::string_view b)
{
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
}

void Response::setHeader(std::string name, std::string value)
{
    for (auto &h : headers)
        if (iequals(h.first, name)) {
            h.second = std::move(value);
            return;
        }
    headers.emplace_back(std::move(name), std::move(value));
}

std::optional<std::string> Response::header(std::string_view name) const
{
    for (auto &h : headers)
        if (iequals(h.first, name)) return h.second;
    return std::nullopt;
}

static int hexValue(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

std::string percentDecode(std::string_view text, bool plusIsSpace)
{
    std::string out;
    out.reserve(text.size());
    for (size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (c == '%' && i + 2 < text.size()) {
            int h = hexValue(text[i + 1]), l = hexValue(text[i + 2]);
            if (h >= 0 && l >= 0) {
                out.push_back(static_cast<char>(h * 16 + l));
                i += 2;
                continue;
            }
        }
        out.push_back(plusIsSpace && c == '+' ? ' ' : c);
    }
    return out;
}

ParsedTarget parseTarget(std::string_view target)
{
    ParsedTarget result;
    auto q = target.find('?');
    std::string_view path = target.substr(0, q);
    if (auto h = path.find('#'); h != std::string_view::npos) path = path.substr(0, h);
    result.trailingSlash = !path.empty() && path.back() == '/';
    size_t pos = 0;
    while (pos <= path.size()) {
        auto next = path.find('/', pos);
        if (next == std::string_view::npos) next = path.size();
        if (next > pos) result.segments.push_back(percentDecode(path.substr(pos, next - pos)));
        pos = next + 1;
    }
    if (q != std::string_view::npos) {
        std::string_view query = target.substr(q + 1);
        size_t p = 0;
        while (p <= query.size()) {
            auto amp = query.find('&', p);
            if (amp == std::string_view::npos) amp = query.size();
            auto pair = query.substr(p, amp - p);
            if (!pair.empty()) {
                auto eq = pair.find('=');
                std::string key = percentDecode(pair.substr(0, eq), true);
                std::string value = eq == std::string_view::npos ? "" : percentDecode(pair.substr(eq + 1), true);
                result.query.emplace(std::move(key), std::move(value));
            }
            p = amp + 1;
        }
    }
    return result;
}

} // namespace midonet::cluster
