// Authentication for the REST API: users with hashed passwords, Basic-credential login and
// stateless signed tokens (reference/midonet-rest-api.md §2).
//
// Users come from a users file (`--users FILE`) and/or one default admin given by flag or
// environment. Each line of the file is `<name> <admin|tenant> <tenant-id|-> <hash>` where the hash
// is libsodium's crypto_pwhash_str text (Argon2id); `#` starts a comment. `midonet-cluster
// --hash-password` prints a hash for a password read from stdin.
//
// Tokens are `m1.<payload>.<mac>` (base64url): payload is a small JSON with user, role, tenant and
// expiry; mac is HMAC-SHA-256 over the payload with a key derived from the shared token secret.
// Every instance holding the same secret accepts every other instance's tokens without any
// per-token state in the NSDB; the secret is given by flag/env, or generated once and kept in the
// NSDB (see token_secret in handler.cpp). Tokens cannot be revoked before they expire (a design
// choice: login is the only write auth makes).
//
// Invariants: a token verifies only if its mac matches and its expiry is in the future; a
// password never leaves verify(); hashes are never logged.
//
// Thread-safety: UserDirectory and TokenAuthority are immutable after construction/loading;
// their const members may be called from any number of threads at once.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace midonet::cluster {

enum class Role { Admin, Tenant };

// Who a request acts for. An admin sees every tenant's objects; a tenant user sees and writes
// only objects whose (inherited) tenantId equals `tenant`.
struct Identity {
    std::string user;
    Role role = Role::Admin;
    std::string tenant; // empty for admins without a project
    bool isAdmin() const { return role == Role::Admin; }
};

struct UserRecord {
    std::string name;
    Role role = Role::Tenant;
    std::string tenant;
    std::string passwordHash; // crypto_pwhash_str text
};

// Hashes with Argon2id. `fast` uses libsodium's minimum limits (tests only: quick but weak).
std::string hashPassword(std::string_view password, bool fast = false);

class UserDirectory {
public:
    // Throws std::runtime_error naming the file and line on a malformed line.
    void loadFile(const std::string &path);
    void add(UserRecord user);
    std::optional<Identity> verify(std::string_view user, std::string_view password) const;
    size_t size() const { return users_.size(); }
    // Tenants that own at least one user (the `/tenants` listing for admins).
    std::map<std::string, std::string> tenants() const;

private:
    std::map<std::string, UserRecord, std::less<>> users_;
};

class TokenAuthority {
public:
    TokenAuthority(std::string_view secret, std::chrono::seconds lifetime);
    struct Issued {
        std::string token;
        std::chrono::system_clock::time_point expires;
    };
    Issued issue(const Identity &who, std::chrono::system_clock::time_point now) const;
    std::optional<Identity> verify(std::string_view token, std::chrono::system_clock::time_point now) const;

private:
    unsigned char key_[32];
    std::chrono::seconds lifetime_;
};

// MidoNet's token date text: Java pattern `EEE, dd-MM-yyyy HH:mm:ss z` in UTC,
// e.g. "Fri, 13-12-2019 04:24:22 UTC".
std::string formatTokenDate(std::chrono::system_clock::time_point t);

// Result of parsing an `Authorization: Basic ...` header; `error` holds MidoNet's 401 message.
struct BasicCredentials {
    std::string user, password, error;
};
BasicCredentials parseBasicAuthorization(std::string_view headerValue);

// 32 random bytes as hex, for a fresh shared token secret.
std::string randomSecret();

} // namespace midonet::cluster
