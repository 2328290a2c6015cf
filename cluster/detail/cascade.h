// Internal: builds the ONE multi-op that deletes objects together with what depends on them
// (reference §5 "Cascades"): a port takes its next-hop routes, its peer's peerId, its port-group
// memberships and traces of it; a device takes its ports, routes and traces. Every op carries the
// version that was read, so a concurrent writer makes the commit fail and the caller retry.
// Thread-safety: one request's object, not shared.
#pragma once

#include "cluster/detail/api.h"
#include "common/model/model.h"

#include <map>
#include <optional>
#include <set>

namespace midonet::cluster::detail {

class Cascade {
public:
    explicit Cascade(Store &s) : store_(s) {}

    void deletePort(const Stored<model::Port> &p);
    void deleteRoute(const Stored<model::Route> &r);
    // Ports, routes, BGP objects and traces of a bridge or router (not the device itself).
    void deleteDeviceContents(const Uuid &deviceId);
    void deleteTracesOf(const Uuid &deviceId);
    void add(store::Op op) { extra_.push_back(std::move(op)); }

    const std::vector<Stored<model::Port>> &ports();
    const std::map<Uuid, Stored<model::Port>> &deletedPorts() const { return ports_; }
    // Every op: removes first (routes, ports, extras), then updates of survivors.
    std::vector<store::Op> ops();

private:
    const std::vector<Stored<model::Route>> &routes();
    Store &store_;
    std::optional<std::vector<Stored<model::Port>>> allPorts_;
    std::optional<std::vector<Stored<model::Route>>> allRoutes_;
    std::map<Uuid, Stored<model::Port>> ports_;
    std::map<Uuid, Stored<model::Route>> routes_;
    std::set<Uuid> traces_;
    std::vector<store::Op> extra_;
};

} // namespace midonet::cluster::detail
