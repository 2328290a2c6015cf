// Value syntax of midonet-cli (reference A5): turning the text a user types for a field into the
// API's JSON, and an API object's field back into the text the CLI prints.
//
// Invariants: writeField either changes `obj` completely for that field (value, second field
// such as a CIDR length, inversion flag) or throws ValueError and leaves it unchanged;
// formatField(writeField(x)) prints x in canonical form (a /32 CIDR as a bare address, an L4
// range always as a-b, ports 0-0 of a NAT target omitted).
//
// Thread-safety: free functions over caller-owned values; a RefContext is called on the
// caller's thread only.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "cli/grammar.h"

namespace midonet::cli {

using Json = nlohmann::json;

// A value the field's syntax does not accept. what() is "Invalid value field <f>: <v>", the
// text MidoNet's CLI prints after "Internal error: ".
class ValueError : public std::runtime_error {
public:
    ValueError(const std::string &field, const std::string &value)
        : std::runtime_error("Invalid value field " + field + ": " + value)
    {
    }
};

// How references are turned into ids and back; the shell implements it with its alias table.
class RefContext {
public:
    virtual ~RefContext() = default;
    // Alias, composite alias ("router0:port1") or UUID -> UUID; nullopt if unknown.
    virtual std::optional<std::string> resolveRef(const std::string &typeId, const std::string &token) = 0;
    // UUID -> the text printed for it (alias chain, or the UUID when aliases are off).
    virtual std::string displayRef(const std::string &typeId, const std::string &uuid) = 0;
};

// Dotted-path access into API JSON ("condition.nwSrcAddress"). get returns nullptr when any
// step is missing; set creates intermediate objects.
const Json *getPath(const Json &obj, std::string_view path);
Json &setPath(Json &obj, std::string_view path);

// Throws ValueError. Read-only checks are the caller's job (they are a different error).
void writeField(const FieldSpec &f, std::string_view text, Json &obj, RefContext &refs);
// Sets the field (and its second field and inversion flag) back to null/false.
void clearField(const FieldSpec &f, Json &obj);
// nullopt when the value is null, an empty list, or a hidden false flag.
std::optional<std::string> formatField(const FieldSpec &f, const Json &obj, RefContext &refs);

// The value words a field accepts, for completion (enum words, up/down, yes/no...); empty for
// free-form values.
std::vector<std::string> valueWords(const FieldSpec &f);

// Individual syntaxes, exposed for tests and for filter comparison.
std::optional<Json> parseL4Range(std::string_view text);     // {"start":n,"end":m}
std::optional<Json> parseNatTargets(std::string_view text);  // array of targets
std::optional<std::string> parseMacMask(std::string_view text); // -> "ff:ff:..."
std::string formatMacMask(std::string_view apiMac);              // -> "ffff.ffff.ffff"
std::vector<std::string> splitList(std::string_view text);       // split on ','

} // namespace midonet::cli
