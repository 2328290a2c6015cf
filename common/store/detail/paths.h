// Internal: validation of the names a caller passes, and the relative paths both backends use
// ("bridges/<uuid>/mac_table/0/<key>"). Every check throws StoreError(invalid_argument) naming
// the offending path or name and the rule.
// Thread-safety: pure functions.
#pragma once

#include "common/store/store.h"

#include <string>
#include <string_view>
#include <vector>

namespace midonet::store::detail {

// [a-z][a-z0-9_]{0,63}
void checkType(std::string_view type);
// One or more '/'-separated segments, each [A-Za-z0-9_.:-]{1,64}, not "." or "..".
void checkTableName(std::string_view name, std::string_view where);
// A single segment: 1..255 printable characters, no '/', not "." or "..".
void checkKey(std::string_view key, std::string_view where);
void checkValue(std::size_t size, std::string_view where);
// kAnyVersion or a non-negative version.
void checkExpected(Version expected, std::string_view where);

std::string objectPath(std::string_view type, const Uuid &id); // "bridges/<uuid>"
std::string tablePath(const TableRef &t);                        // "bridges/<uuid>/mac_table/0"
std::string childPath(std::string_view parent, std::string_view key);
// An ephemeral child <type>/<id>/<name> with its type and name checked: {object path, child path}.
struct ChildPaths {
    std::string object, child;
};
ChildPaths ephemeralPaths(std::string_view type, const Uuid &id, std::string_view name);

// Validates every op of a multi (type, value size, expected version); names the op on error.
void checkOps(const std::vector<Op> &ops);

// Names an op for an error message: "op 2 (update bridges/<uuid>)".
std::string describeOp(const Op &op, std::size_t index);
const char *kindName(Op::Kind k);

} // namespace midonet::store::detail
