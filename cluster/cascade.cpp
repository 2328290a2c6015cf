#include "cluster/detail/cascade.h"

namespace midonet::cluster::detail {

const std::vector<Stored<model::Port>> &Cascade::ports()
{
    if (!allPorts_) allPorts_ = loadAll<model::Port>(store_);
    return *allPorts_;
}

const std::vector<Stored<model::Route>> &Cascade::routes()
{
    if (!allRoutes_) allRoutes_ = loadAll<model::Route>(store_);
    return *allRoutes_;
}

void Cascade::deleteRoute(const Stored<model::Route> &r) { routes_.emplace(r.obj.id, r); }

void Cascade::deletePort(const Stored<model::Port> &p)
{
    if (!ports_.emplace(p.obj.id, p).second) return;
    for (const auto &r : routes())
        if (r.obj.nextHopPort == p.obj.id) deleteRoute(r);
    deleteTracesOf(p.obj.id);
}

void Cascade::deleteDeviceContents(const Uuid &deviceId)
{
    for (const auto &p : ports())
        if (p.obj.deviceId == deviceId) deletePort(p);
    for (const auto &r : routes())
        if (r.obj.routerId == deviceId) deleteRoute(r);
    for (const auto &b : loadAll<model::BgpPeer>(store_))
        if (b.obj.routerId == deviceId) extra_.push_back(removeOp(b));
    for (const auto &b : loadAll<model::BgpNetwork>(store_))
        if (b.obj.routerId == deviceId) extra_.push_back(removeOp(b));
    deleteTracesOf(deviceId);
}

void Cascade::deleteTracesOf(const Uuid &deviceId)
{
    for (const auto &t : loadAll<model::TraceRequest>(store_))
        if (t.obj.deviceId == deviceId && traces_.insert(t.obj.id).second) extra_.push_back(removeOp(t));
}

std::vector<store::Op> Cascade::ops()
{
    std::vector<store::Op> out;
    for (const auto &[id, r] : routes_) out.push_back(removeOp(r));
    for (const auto &[id, p] : ports_) out.push_back(removeOp(p));
    for (auto &op : extra_) out.push_back(op);
    // Survivors that pointed at a deleted port: peers and port groups.
    for (const auto &[id, p] : ports_) {
        if (!p.obj.peerId || ports_.count(*p.obj.peerId)) continue;
        if (auto peer = tryLoad<model::Port>(store_, *p.obj.peerId); peer && peer->obj.peerId == id) {
            peer->obj.peerId.reset();
            out.push_back(updateOp(*peer));
        }
    }
    if (!ports_.empty()) {
        for (auto g : loadAll<model::PortGroup>(store_)) {
            auto before = g.obj.portIds.size();
            std::erase_if(g.obj.portIds, [&](const Uuid &u) { return ports_.count(u) > 0; });
            if (g.obj.portIds.size() != before) out.push_back(updateOp(g));
        }
    }
    return out;
}

} // namespace midonet::cluster::detail
