// Turning a command line into a Command (reference A2): shell-style tokenising, then one walk
// over the words that accepts the verb before, inside or after the object path:
//   list [P] COLL [f v...] | P list COLL | [P] COLL list [f v...]
//   show P [FIELD] | P show [FIELD] | P FIELD show
//   create P COLL {f v} | P add COLL {f v} | P COLL create {f v}
//   set P {f v} | P set {f v};  clear P FIELD... | P clear FIELD...
//   delete P | P delete | P delete COLL ID;  describe [P] [COLL] | P describe
// where a path P is a chain of `COLL ID` (alias, composite alias or UUID) or `COLL f v [f v...]`
// (the single child whose fields match: how id-less objects are addressed). A reference value
// may be a root path, `set infilter chain chain0`: the two words become one value "chain chain0".
//
// The same walk, run on an unfinished line, reports what may come next (Expectation): that is
// how tab completion offers exactly what the parser would accept.
//
// Parsing touches no network and no alias table: ids stay as typed; the shell resolves them.
//
// Thread-safety: pure functions.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "cli/grammar.h"

namespace midonet::cli {

// "Syntax error at: ...<words>"
class SyntaxError : public std::runtime_error {
public:
    explicit SyntaxError(const std::string &rest) : std::runtime_error("Syntax error at: ..." + rest) {}
};
// "Missing arguments, incomplete command"
class MissingArguments : public std::runtime_error {
public:
    MissingArguments() : std::runtime_error("Missing arguments, incomplete command") {}
};
// "Syntax error: unmatched quote"
class QuoteError : public std::runtime_error {
public:
    QuoteError() : std::runtime_error("Syntax error: unmatched quote") {}
};

// Python shlex.split semantics (POSIX mode): whitespace separates words, '...' is literal,
// "..." allows \" and \\, a backslash outside quotes escapes the next character.
// Throws QuoteError.
std::vector<std::string> tokenize(std::string_view line);

enum class Verb { None, List, Show, Create, Set, Clear, Delete, Describe };
// "l", "li" -> List; "s", "sh" -> Show; "del".. -> Delete; "desc".. -> Describe; "add" -> Create.
std::optional<Verb> verbOf(std::string_view word);
const char *verbName(Verb v);
// The verb words completion offers.
const std::vector<std::string> &verbWords();

struct FieldArg {
    const FieldSpec *field;
    std::string value;
};

struct PathElem {
    const ObjectType *type;      // as the grammar names it (a root "port" is the polymorphic type)
    const ChildSpec *child;      // how the parent reaches it
    std::string id;              // alias / composite alias / UUID as typed; empty for filters
    std::vector<FieldArg> filter; // non-empty: address the single child with these values
};

struct Command {
    Verb verb = Verb::None;
    std::vector<PathElem> path;
    const ObjectType *collection = nullptr; // list / create / describe target collection
    const ChildSpec *collectionChild = nullptr;
    std::vector<FieldArg> args;             // create/set values, list filter
    std::vector<const FieldSpec *> fields;  // clear, show FIELD
    bool showId = false;                    // `show P id`

    // The type the verb acts on: the collection if any, else the last path element, else root.
    const ObjectType &target() const;
};

// What the next word may be, when the line ended before the command was complete.
struct Expectation {
    bool verbs = false;
    const ObjectType *childrenOf = nullptr; // collection words of this type
    const ObjectType *idsOf = nullptr;      // aliases of this type ...
    std::vector<PathElem> idParent;         // ... in the namespace this path leads to
    const ObjectType *fieldsOf = nullptr;   // field names of this type
    bool writableOnly = false;              // ... skipping read-only ones (create, set)
    bool idField = false;                   // ... plus "id" (show)
    const FieldSpec *valueOf = nullptr;     // values of this field
};

// Throws SyntaxError / MissingArguments. With `expect`, a line that simply ends early fills it
// and returns the partial command instead of throwing MissingArguments.
Command parseCommand(const std::vector<std::string> &words, Expectation *expect = nullptr);

} // namespace midonet::cli
