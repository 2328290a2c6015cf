// Errors of the NSDB Store: one error code enum with a std::error_code category, and the
// exception every Store operation throws.
//
// Invariants: every StoreError carries the path it is about (relative to the store root, e.g.
// "bridges/1b9e.../mac_table/0/aa:bb:cc:dd:ee:ff", or "" when no path is involved) and a message
// naming that path and the rule that was broken. For a multi-operation, opIndex() says which op
// failed (0-based); it is -1 otherwise.
//
// Thread-safety: values; the category is a stateless singleton, safe from any thread.
#pragma once

#include <stdexcept>
#include <string>
#include <system_error>

namespace midonet::store {

enum class StoreErrc {
    not_found = 1,        // the object, entry or its owner does not exist
    already_exists,       // create of an id/key that exists
    version_conflict,     // expected version differs from the stored one
    not_empty,            // delete raced with children being added, retries exhausted
    connection_loss,      // no answer from the servers; the outcome of a write is unknown
    session_expired,      // the session ended; ephemerals are gone (and will be re-created)
    invalid_argument,     // a bad type, id, key, table name or an oversized value
    closed,               // the store is shutting down
    backend_failure,      // anything else the backend reported (names the backend's code)
};

const std::error_category &storeCategory() noexcept;
std::error_code make_error_code(StoreErrc e) noexcept;

class StoreError : public std::system_error {
public:
    StoreError(StoreErrc code, std::string path, const std::string &message, int opIndex = -1);

    StoreErrc errc() const noexcept { return static_cast<StoreErrc>(code().value()); }
    const std::string &path() const noexcept { return path_; }
    int opIndex() const noexcept { return opIndex_; }

private:
    std::string path_;
    int opIndex_;
};

} // namespace midonet::store

template <> struct std::is_error_code_enum<midonet::store::StoreErrc> : std::true_type {};
