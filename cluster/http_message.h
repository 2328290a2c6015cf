// Transport-free HTTP request and response: what the pure REST handler (handler.h) consumes and
// produces. The Beast session (server.cpp) converts to and from these, so the whole API can be
// tested without sockets (STYLE.md habit 14).
//
// Invariants: header names are compared case-insensitively (HTTP/1.1); `target` is the raw
// request-target (path plus optional query, still percent-encoded); `body` is the whole body, the
// session has already enforced the size cap.
//
// Thread-safety: plain values, no shared state.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace midonet::cluster {

struct CaseInsensitiveLess {
    using is_transparent = void;
    bool operator()(std::string_view a, std::string_view b) const;
};

using HeaderMap = std::map<std::string, std::string, CaseInsensitiveLess>;

struct Request {
    std::string method; // upper-case token as sent: GET, POST, PUT, DELETE, OPTIONS, HEAD
    std::string target; // "/midonet-api/bridges?tenant_id=a"
    HeaderMap headers;
    std::string body;
    // Scheme and authority of the listening socket, used for absolute URIs when the request has
    // no Host header (HTTP/1.0 clients). "http://127.0.0.1:8181".
    std::string localOrigin = "http://localhost:8181";

    std::string_view header(std::string_view name) const;
    bool hasHeader(std::string_view name) const;
};

struct Response {
    int status = 200;
    std::vector<std::pair<std::string, std::string>> headers; // in emission order
    std::string body;

    void setHeader(std::string name, std::string value);
    std::optional<std::string> header(std::string_view name) const;
};

// Percent-decodes one path segment or query value; '+' stays '+' in paths, becomes ' ' in query.
std::string percentDecode(std::string_view text, bool plusIsSpace = false);

// Splits a request-target into its decoded path segments (empty segments dropped) and its query
// parameters (first occurrence wins, like JAX-RS @QueryParam).
struct ParsedTarget {
    std::vector<std::string> segments;
    std::map<std::string, std::string> query;
    bool trailingSlash = false;
};
ParsedTarget parseTarget(std::string_view target);

} // namespace midonet::cluster
