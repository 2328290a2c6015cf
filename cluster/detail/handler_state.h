// Internal: the immutable state a Handler shares with its resource code.
// Thread-safety: read-only after construction.
#pragma once

#include "cluster/auth.h"
#include "cluster/detail/api.h"
#include "cluster/handler.h"

#include <memory>

namespace midonet::cluster::detail {

struct HandlerState {
    HandlerOptions options;
    Store &store;
    std::shared_ptr<const UserDirectory> users;
    std::shared_ptr<const TokenAuthority> tokens;
    RouteTable routes;
    std::vector<std::string> rootSegments; // "/midonet-api" -> {"midonet-api"}

    std::chrono::system_clock::time_point now() const
    {
        return options.clock ? options.clock() : std::chrono::system_clock::now();
    }
};

json openApiDocument(const HandlerState &state, const std::string &base);
void addCoreRoutes(RouteTable &t);

} // namespace midonet::cluster::detail
