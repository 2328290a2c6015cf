// The HTTP seam of midonet-cli: ApiClient speaks to the REST API only through Transport, so
// tests drive the whole CLI with a recording fake and the real client (http_client.h, Boost.Beast)
// stays in one translation unit.
//
// Contract: send() performs one request and returns whatever status the server answered
// (4xx/5xx are responses, not errors). It throws TransportError when no response could be had
// (connection refused, reset, timeout, malformed reply); `refused` tells "nobody listens" apart.
//
// Thread-safety: a Transport is used from one thread at a time.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace midonet::cli {

using Headers = std::vector<std::pair<std::string, std::string>>;

struct HttpRequest {
    std::string method; // GET, POST, PUT, DELETE
    std::string url;    // absolute: http://host:port/path?query
    Headers headers;
    std::string body;

    std::optional<std::string> header(std::string_view name) const;
};

struct HttpResponse {
    int status = 0;
    std::string reason;
    Headers headers;
    std::string body;

    // Case-insensitive; the first header of that name.
    std::optional<std::string> header(std::string_view name) const;
};

class TransportError : public std::runtime_error {
public:
    TransportError(const std::string &what, bool refused) : std::runtime_error(what), refused(refused) {}
    bool refused;
};

class Transport {
public:
    virtual ~Transport() = default;
    virtual HttpResponse send(const HttpRequest &request) = 0;
};

} // namespace midonet::cli
