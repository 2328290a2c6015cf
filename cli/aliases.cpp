#include "cli/aliases.h"

namespace midonet::cli {

std::string AliasTable::assign(const std::string &ns, const std::string &prefix, const std::string &uuid)
{
    if (auto it = byUuid_.find(uuid); it != byUuid_.end()) return it->second.alias;
    int &counter = counters_[{ns, prefix}];
    std::string alias = prefix + std::to_string(counter++);
    byUuid_[uuid] = Entry{ns, alias, prefix};
    byAlias_[{ns, alias}] = uuid;
    order_.push_back(uuid);
    return alias;
}

std::optional<std::string> AliasTable::lookup(const std::string &ns, std::string_view alias) const
{
    auto it = byAlias_.find({ns, std::string(alias)});
    if (it == byAlias_.end()) return std::nullopt;
    return it->second;
}

std::optional<std::string> AliasTable::resolveChain(std::string_view chain) const
{
    std::string ns;
    std::optional<std::string> uuid;
    while (true) {
        auto colon = chain.find(':');
        uuid = lookup(ns, chain.substr(0, colon));
        if (!uuid) return std::nullopt;
        if (colon == std::string_view::npos) return uuid;
        ns = *uuid;
        chain.remove_prefix(colon + 1);
    }
}

std::string AliasTable::display(const std::string &uuid) const
{
    auto it = byUuid_.find(uuid);
    if (it == byUuid_.end()) return uuid;
    if (it->second.ns.empty()) return it->second.alias;
    return display(it->second.ns) + ":" + it->second.alias;
}

std::string AliasTable::shortAlias(const std::string &uuid) const
{
    auto it = byUuid_.find(uuid);
    return it == byUuid_.end() ? std::string() : it->second.alias;
}

std::vector<std::string> AliasTable::aliasesIn(const std::string &ns, const std::string &prefix) const
{
    std::vector<std::string> out;
    for (const auto &uuid : order_) {
        const auto &e = byUuid_.at(uuid);
        if (e.ns == ns && e.prefix == prefix) out.push_back(e.alias);
    }
    return out;
}

std::vector<std::string> AliasTable::chainsWithPrefix(const std::string &prefix) const
{
    std::vector<std::string> out;
    for (const auto &uuid : order_)
        if (byUuid_.at(uuid).prefix == prefix) out.push_back(display(uuid));
    return out;
}

void AliasTable::clear()
{
    byUuid_.clear();
    byAlias_.clear();
    counters_.clear();
    order_.clear();
}

} // namespace midonet::cli
