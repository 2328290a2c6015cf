// The midonet-cli session: runs command lines against the REST API and prints what MidoNet's
// CLI prints (reference A2-A7), and computes tab-completion candidates for a partial line.
//
// A line is tokenised and parsed (parser.h), its object path resolved (aliases first, then
// UUIDs; `COLL f v` filters by listing the parent's children), and the verb executed through
// ApiClient. Output goes to the given stream, errors too (MidoNet prints them on stdout):
//   Syntax error at: ...<words> | Missing arguments, incomplete command |
//   User error: '<msg>' | Internal error: <msg> | Field X cannot be cleared.
// A 401 that survives a fresh login, or a lost connection, ends the session: the shell prints
// MidoNet's "...Bye." text and throws SessionEnd.
//
// Invariants: aliases are only ever added (AliasTable); with aliases off nothing is aliased and
// every reference prints as a UUID; a failed command leaves the API untouched unless the
// server itself failed half-way (set with a peer change is two requests).
//
// Thread-safety: single-threaded; one Shell per session.
#pragma once

#include <map>
#include <ostream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "cli/aliases.h"
#include "cli/api_client.h"
#include "cli/parser.h"
#include "cli/values.h"

namespace midonet::cli {

struct ShellOptions {
    bool aliases = true;      // off with -e or when stdin is not a TTY
    bool interactive = false; // a person at a TTY (sett warns about odd tenant ids)
    bool json = false;        // --json: list/show/create print the API's JSON
    std::string tenant;       // session tenant ("" = none)
};

// The session is over (401 after re-login, connection lost). The message is already printed.
class SessionEnd : public std::runtime_error {
public:
    explicit SessionEnd(int exitCode) : std::runtime_error("session ended"), exitCode(exitCode) {}
    int exitCode;
};

class Shell : private RefContext {
public:
    Shell(ApiClient &api, std::ostream &out, ShellOptions options);

    // Runs one line; true if it succeeded (an empty line does). Throws SessionEnd.
    bool execute(std::string_view line);
    bool exitRequested() const { return exit_; }

    // Candidates for the word being typed at the end of `lineBeforeCursor` (whole words,
    // sorted, unique). May list collections through the API to offer their aliases; never
    // throws and never prints.
    std::vector<std::string> complete(std::string_view lineBeforeCursor);

    AliasTable &aliases() { return aliases_; }
    const ShellOptions &options() const { return options_; }
    bool debug() const { return debug_; }

private:
    struct Resolved {
        const ObjectType *type; // concrete
        Json obj;
        std::string uuid; // empty for id-less objects and singletons
    };

    void run(const Command &cmd);
    void doList(const Command &cmd);
    void doShow(const Command &cmd);
    void doCreate(const Command &cmd);
    void doSet(const Command &cmd);
    void doClear(const Command &cmd);
    void doDelete(const Command &cmd);
    void doDescribe(const Command &cmd);
    void doHelp(const std::vector<std::string> &words);
    void doTenant(const std::vector<std::string> &words);

    std::vector<Resolved> resolvePath(const std::vector<PathElem> &path);
    Json listChildren(const std::vector<Resolved> &parents, const ChildSpec &child, const ObjectType &type);
    Json fetch(const std::string &url, const std::string &accept);
    std::string tokenToUuid(const std::string &token, const std::string &ns);
    std::string parentIdOf(const ObjectType &type, const Json &obj) const;
    // The short alias (UUID when aliases are off; empty for id-less types), assigning it.
    std::string aliasOf(const ObjectType &type, const Json &obj, const std::string &contextParent);
    void ensureAliased(const std::string &typeId, const std::string &uuid);
    std::string formatLine(const ObjectType &type, const Json &obj, const std::string &contextParent);
    bool matches(const ObjectType &type, const Json &obj, const std::vector<FieldArg> &filter);
    void applyArgs(const std::vector<FieldArg> &args, Json &obj, std::vector<const FieldArg *> &peers);
    void link(const Json &port, const std::string &peerId);

    std::vector<std::string> idCandidates(const ObjectType &type, const std::vector<PathElem> &parentPath);
    std::vector<std::string> refCandidates(const std::string &typeId);

    // RefContext
    std::optional<std::string> resolveRef(const std::string &typeId, const std::string &token) override;
    std::string displayRef(const std::string &typeId, const std::string &uuid) override;

    ApiClient &api_;
    std::ostream &out_;
    ShellOptions options_;
    AliasTable aliases_;
    std::map<std::string, Json> cache_; // GETs within one command / one completion
    bool exit_ = false;
    bool debug_ = false;
};

} // namespace midonet::cli
