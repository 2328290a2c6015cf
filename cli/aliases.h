// Session aliases (reference A3): short names such as bridge0, router0:port1, chain0:rule2 that
// stand for UUIDs. An alias is the type's prefix plus a counter kept per (namespace, prefix);
// the root namespace ("") holds top-level objects and each object's UUID names the namespace
// of its children, so router0:port0 and router1:port0 coexist.
//
// Invariants: a UUID has at most one alias; an alias, once given, never changes or moves; the
// counter of a (namespace, prefix) only grows, so aliases are never reused within a session.
//
// Thread-safety: not thread-safe; owned by the single-threaded shell.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace midonet::cli {

class AliasTable {
public:
    // The alias of `uuid`, giving it `prefix<N>` in `ns` if it has none yet.
    std::string assign(const std::string &ns, const std::string &prefix, const std::string &uuid);
    bool has(const std::string &uuid) const { return byUuid_.count(uuid) != 0; }
    // The UUID an alias stands for in a namespace.
    std::optional<std::string> lookup(const std::string &ns, std::string_view alias) const;
    // "router0:port1" walked from the root; a plain alias is looked up in the root namespace.
    std::optional<std::string> resolveChain(std::string_view chain) const;
    // The alias chain printed for a UUID ("router0:port1"); the UUID itself if it has no alias.
    std::string display(const std::string &uuid) const;
    // The short alias (no parent part), or empty.
    std::string shortAlias(const std::string &uuid) const;
    // Aliases in `ns` starting with `prefix` followed by digits, in assignment order.
    std::vector<std::string> aliasesIn(const std::string &ns, const std::string &prefix) const;
    // Chains of every aliased object with that prefix, in any namespace (reference values).
    std::vector<std::string> chainsWithPrefix(const std::string &prefix) const;
    void clear();

private:
    struct Entry {
        std::string ns;
        std::string alias;
        std::string prefix;
    };
    std::map<std::string, Entry> byUuid_;
    std::map<std::pair<std::string, std::string>, std::string> byAlias_; // (ns, alias) -> uuid
    std::map<std::pair<std::string, std::string>, int> counters_;        // (ns, prefix) -> next
    std::vector<std::string> order_;                                    // uuids, assignment order
};

} // namespace midonet::cli
