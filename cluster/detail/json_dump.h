// Internal: serialises a response body exactly as nlohmann::json::dump() does (compact, UTF-8
// kept, strict on invalid UTF-8), but copies plain ASCII strings, the bulk of every body (ids,
// URIs, names), in one append instead of nlohmann's byte-at-a-time escaping: that escaping was
// the largest single cost of a GET. Anything else (escapes, non-ASCII, floating point, binary)
// is handed to nlohmann, so the output is byte for byte the same (tests/unit/cluster/tst_json_dump).
// Thread-safety: pure function.
#pragma once

#include <nlohmann/json.hpp>

#include <string>

namespace midonet::cluster::detail {

// Appends the compact text of `j` to `out`. Throws nlohmann::json::type_error on invalid UTF-8,
// like dump().
void appendJson(const nlohmann::json &j, std::string &out);
std::string dumpJson(const nlohmann::json &j);

} // namespace midonet::cluster::detail
