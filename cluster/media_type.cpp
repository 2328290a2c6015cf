#include "cluster/media_type.h"

#include <algorithm>
#include <cctype>

namespace midonet::cluster {

namespace {
std::string_view trim(std::string_view s)
{
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
}
std::string lower(std::string_view s)
{
    std::string out(s);
    for (auto &c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}
bool tokenChars(std::string_view s)
{
    if (s.empty()) return false;
    return std::all_of(s.begin(), s.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || std::string_view("!#$&-^_.+*").find(c) != std::string_view::npos;
    });
}
} // namespace

bool MediaType::matches(const MediaType &concrete) const
{
    if (type == "*") return true;
    if (type != concrete.type) return false;
    return subtype == "*" || subtype == concrete.subtype;
}

std::optional<MediaType> parseMediaType(std::string_view text)
{
    text = trim(text.substr(0, text.find(';')));
    auto slash = text.find('/');
    if (slash == std::string_view::npos) return std::nullopt;
    auto type = trim(text.substr(0, slash)), sub = trim(text.substr(slash + 1));
    if (!tokenChars(type) || !tokenChars(sub)) return std::nullopt;
    MediaType m{lower(type), lower(sub)};
    if (m.type == "*" && m.subtype != "*") return std::nullopt;
    return m;
}

std::string vendorType(std::string_view name, int version)
{
    return "application/vnd.org.midonet." + std::string(name) + "-v" + std::to_string(version) + "+json";
}

std::string vendorCollectionType(std::string_view name, int version)
{
    return "application/vnd.org.midonet.collection." + std::string(name) + "-v" + std::to_string(version) + "+json";
}

std::optional<std::string> negotiateAccept(std::string_view accept, const MediaChoice &choice)
{
    if (trim(accept).empty()) accept = "*/*";
    size_t pos = 0;
    while (pos <= accept.size()) {
        auto comma = accept.find(',', pos);
        if (comma == std::string_view::npos) comma = accept.size();
        auto range = parseMediaType(accept.substr(pos, comma - pos));
        if (range)
            for (const auto &allowed : choice.allowed)
                if (auto concrete = parseMediaType(allowed); concrete && range->matches(*concrete)) return allowed;
        pos = comma + 1;
    }
    return std::nullopt;
}

std::optional<std::string> matchContentType(std::string_view contentType, const MediaChoice &choice)
{
    auto given = parseMediaType(contentType);
    if (!given) return std::nullopt;
    for (const auto &allowed : choice.allowed)
        if (auto concrete = parseMediaType(allowed); concrete && given->matches(*concrete)) return allowed;
    return std::nullopt;
}

} // namespace midonet::cluster
