// The REST API of midonet-cluster as a pure function from Request to Response (STYLE.md habit
// 14): no sockets, no Beast. server.cpp feeds it from the network; tests call handle() directly.
//
// What it serves (reference/midonet-rest-api.md): the root resource `/midonet-api/`, login,
// `/system_state`, `/tenants`, every topology resource with its sub-collections, media types,
// absolute URIs, CORS headers and MidoNet's status codes and error bodies, plus
// `/midonet-api/openapi.json` generated from the model schemas and route table. The WebSocket
// `/midonet-api/events` is upgraded by the server after authorizeEvents() says yes.
//
// Invariants:
// - Stateless: everything durable is in the Store; any number of Handlers (in one process or
//   many) may serve one NSDB. Multi-object writes are single Store::multi() calls whose ops carry
//   the versions read, so a concurrent writer makes them fail and retry, never half-apply.
// - Every response carries the CORS headers; every error a client can cause has MidoNet's
//   `{"message":..,"code":..}` body (plus `violations` for 400) or is bare where MidoNet's is.
// - A tenant user only ever sees objects of its own tenant; other tenants' ids answer 404.
//
// Thread-safety: handle(), authorizeEvents() and isEventsTarget() are const and may be called
// from any number of threads at once (the Store is thread-safe; the rest is immutable after
// construction).
#pragma once

#include "cluster/auth.h"
#include "cluster/events.h"
#include "cluster/http_message.h"

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace midonet::store {
class Store;
}

namespace midonet::cluster {

enum class AuthMode {
    None,     // MidoNet's Mock provider: every request is admin, login returns token 00000000
    Password, // users file / default admin, signed tokens
};

struct HandlerOptions {
    std::string rootPath = "/midonet-api";
    AuthMode auth = AuthMode::Password;
    std::chrono::seconds tokenLifetime{3600};
    // Tests move the clock; production uses system_clock::now.
    std::function<std::chrono::system_clock::time_point()> clock;
    // How many times a read-modify-write is retried after a version conflict before 409.
    int writeRetries = 64;
};

class Handler {
public:
    Handler(HandlerOptions options, store::Store &store, std::shared_ptr<const UserDirectory> users,
            std::shared_ptr<const TokenAuthority> tokens);
    ~Handler();
    Handler(const Handler &) = delete;
    Handler &operator=(const Handler &) = delete;

    Response handle(const Request &request) const;

    // The `/events` upgrade: checks auth exactly like any request, then builds the filter from
    // the query (see events.h). `error` is the response to send when not allowed.
    struct EventsAccess {
        bool allowed = false;
        Response error;
        EventFilter filter;
    };
    EventsAccess authorizeEvents(const Request &request) const;
    bool isEventsTarget(std::string_view target) const;

    struct Impl;

private:
    std::unique_ptr<Impl> impl_;
};

} // namespace midonet::cluster
