// The REST client behind midonet-cli, behaving as MidoNet's Python client does on the wire
// (REST reference §2, §6): log in with Basic credentials at <base>/login and take the token from
// `Set-Cookie: sessionId=`, send it as X-Auth-Token; read the root resource once and navigate by
// its collection keys and `{id}` templates, then by the `uri` and link fields of returned objects;
// create = POST then GET the `Location`; update = PUT the whole object to its `uri`, then GET;
// on a 401 log in again once and repeat the request.
//
// Errors: ApiError for any non-2xx answer (status, reason, and the server's message with its
// field violations); AuthError when the server still says 401 after a fresh login;
// TransportError (transport.h) when the server cannot be reached.
//
// Thread-safety: not thread-safe; the CLI is single-threaded.
#pragma once

#include <nlohmann/json.hpp>

#include <functional>
#include <optional>
#include <stdexcept>
#include <string>

#include "cli/transport.h"

namespace midonet::cli {

using Json = nlohmann::json;

class ApiError : public std::runtime_error {
public:
    ApiError(int status, const std::string &what) : std::runtime_error(what), status(status) {}
    int status;
};

class AuthError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct ApiConfig {
    std::string url;       // base, e.g. http://127.0.0.1:8181/midonet-api (no trailing slash needed)
    std::string username;  // empty: no login, no token header (the -A/--no-auth case)
    std::string password;
    std::string projectId; // sent as X-Auth-Project on login when non-empty
};

class ApiClient {
public:
    ApiClient(Transport &transport, ApiConfig config);

    void login(); // throws AuthError on 401
    bool loggedIn() const { return !token_.empty(); }
    const std::string &token() const { return token_; }
    const std::string &baseUrl() const { return base_; }

    // The root resource (GET <base>/, fetched once).
    const Json &root();
    // root()[key] as a string; ApiError(404-like) naming the key if the server lacks it.
    std::string rootLink(const std::string &key);
    // The item template root()[templateKey] with "{id}" replaced.
    std::string itemUrl(const std::string &templateKey, const std::string &id);

    Json get(const std::string &url, const std::string &accept);
    Json list(const std::string &url, const std::string &accept); // always an array
    // POST body; then GET Location with the same media type and return that object.
    Json create(const std::string &url, const std::string &mediaType, const Json &body);
    // PUT obj to obj["uri"], then GET it again.
    Json update(const Json &obj, const std::string &mediaType);
    void remove(const std::string &url);
    // A POST whose answer is not re-read (port link).
    void post(const std::string &url, const std::string &mediaType, const Json &body);

    // Every request and response, for `-d` debugging (nullptr: off).
    void setTrace(std::function<void(const HttpRequest &, const HttpResponse &)> trace) { trace_ = std::move(trace); }

private:
    HttpResponse send(HttpRequest request);
    Json parseBody(const HttpResponse &r, const std::string &url);

    Transport &transport_;
    ApiConfig config_;
    std::string base_;
    std::string token_;
    std::optional<Json> root_;
    std::function<void(const HttpRequest &, const HttpResponse &)> trace_;
};

// "404 Not Found: Bridge abc not found (name: may not be null)": the text the CLI prints after
// "Internal error: " for a failed request.
std::string describeHttpError(const HttpResponse &r);

} // namespace midonet::cli
