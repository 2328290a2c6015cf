#include "common/model/references.h"

#include "common/model/detail/plan.h"
#include "common/model/model.h"

namespace midonet::model {

namespace {

[[noreturn]] void notFound(const std::string &property, std::string_view type,
                           const std::string &id)
{
    throw ReferenceError(404, property,
                         property + " refers to " + std::string(type) + " " + id +
                             ", which does not exist");
}

[[noreturn]] void conflict(const std::string &property, const std::string &message)
{
    throw ReferenceError(409, property, message);
}

void checkId(const ObjectResolver &r, const std::string &property, std::string_view type,
             const json &value)
{
    if (!value.is_string()) return;
    auto id = util::Uuid::parse(value.get_ref<const std::string &>());
    if (!id || !r.exists(type, *id)) notFound(property, type, value.get<std::string>());
}

void walk(const ObjectResolver &r, const SchemaInfo &s, const json &doc, const std::string &pre)
{
    if (!doc.is_object()) return;
    for (const auto &f : s.fields) {
        auto it = doc.find(f.name);
        if (it == doc.end() || it->is_null()) continue;
        std::string path = pre + f.name;
        if (!f.refersTo.empty()) {
            if (it->is_array())
                for (size_t i = 0; i < it->size(); ++i)
                    checkId(r, path + "[" + std::to_string(i) + "]", f.refersTo, (*it)[i]);
            else checkId(r, path, f.refersTo, *it);
        } else if (f.nested) {
            if (it->is_array())
                for (size_t i = 0; i < it->size(); ++i)
                    walk(r, *f.nested, (*it)[i], path + "[" + std::to_string(i) + "].");
            else walk(r, *f.nested, *it, path + ".");
        }
    }
}

template <class T> T need(const ObjectResolver &r, const util::Uuid &id, const std::string &prop)
{
    auto obj = r.find<T>(id);
    if (!obj) notFound(prop, T::kType, id.toString());
    return *obj;
}

void checkPort(const ObjectResolver &r, const Port &p)
{
    if (!p.deviceId) throw ValidationError("deviceId", "may not be null");
    std::string_view devType = p.type == PortType::Router ? "routers" : "bridges";
    if (!r.exists(devType, *p.deviceId)) notFound("deviceId", devType, p.deviceId->toString());
}

void checkRule(const ObjectResolver &, const Rule &rule)
{
    if (!rule.chainId) throw ValidationError("chainId", "may not be null");
    if (rule.type == RuleType::Jump && rule.jumpChainId == rule.chainId)
        throw ValidationError("jumpChainId", "a rule cannot jump to its own chain");
}

void checkRoute(const ObjectResolver &r, const Route &route)
{
    if (!route.routerId) throw ValidationError("routerId", "may not be null");
    if (!route.nextHopPort) return;
    // Whatever the route's type: a next hop elsewhere is never meaningful (a BlackHole or
    // Reject route ignores it, but naming another router's port is a mistake worth saying).
    auto port = need<Port>(r, *route.nextHopPort, "nextHopPort");
    if (port.type != PortType::Router || port.deviceId != route.routerId)
        throw ValidationError("nextHopPort", "must be a port of router " + route.routerId->toString());
}

void checkRouter(const ObjectResolver &r, const Router &router)
{
    if (!router.loadBalancerId) return;
    for (const auto &other : r.referencing("routers", "loadBalancerId", *router.loadBalancerId))
        if (other != router.id)
            conflict("loadBalancerId", "load balancer " + router.loadBalancerId->toString() +
                                           " is already attached to router " + other.toString());
}

void checkBgpPeer(const ObjectResolver &r, const BgpPeer &peer)
{
    if (!peer.routerId) throw ValidationError("routerId", "may not be null");
    for (const auto &id : r.referencing("bgp_peers", "routerId", *peer.routerId)) {
        if (id == peer.id) continue;
        auto other = r.find<BgpPeer>(id);
        if (other && other->address == peer.address && other->asNumber == peer.asNumber)
            throw ValidationError("address", "a BGP peer with this address and AS already "
                                             "exists on the router");
    }
}

// MidoNet also refuses a PUT that keeps the zone's own name (409); we relax that on purpose:
// only another zone holding the name conflicts.
void checkTunnelZone(const ObjectResolver &r, const TunnelZone &tz)
{
    for (const auto &otherId : r.list("tunnel_zones")) {
        if (otherId == tz.id) continue;
        auto other = r.find<TunnelZone>(otherId);
        if (other && other->name == tz.name)
            conflict("name", "tunnel zone " + otherId.toString() + " is already named '" +
                                 tz.name + "'");
    }
}

void checkTrace(const ObjectResolver &r, const TraceRequest &t)
{
    if (t.deviceId && !r.exists(t.deviceNsdbType(), *t.deviceId))
        notFound("deviceId", t.deviceNsdbType(), t.deviceId->toString());
}

template <class T> T decodeStored(const json &doc)
{
    return decode<T>(doc, DecodeOptions::store());
}

} // namespace

void checkDanglingReferences(const ObjectResolver &r, const SchemaInfo &schema, const json &doc)
{
    walk(r, schema, doc, "");
}

void checkReferences(const ObjectResolver &r, std::string_view type, const json &doc)
{
    // The VIP's pool is a 400 in MidoNet (bean validation), not a 404.
    if (type == "vips") {
        auto vip = decodeStored<Vip>(doc);
        if (vip.poolId && !r.exists("pools", *vip.poolId))
            throw ValidationError("poolId", "pool " + vip.poolId->toString() + " does not exist");
    }
    if (const TypeInfo *t = findType(type)) checkDanglingReferences(r, *t->schema, doc);
    if (type == "ports") checkPort(r, decodeStored<Port>(doc));
    else if (type == "rules") checkRule(r, decodeStored<Rule>(doc));
    else if (type == "routes") checkRoute(r, decodeStored<Route>(doc));
    else if (type == "routers") checkRouter(r, decodeStored<Router>(doc));
    else if (type == "bgp_peers") checkBgpPeer(r, decodeStored<BgpPeer>(doc));
    else if (type == "traces") checkTrace(r, decodeStored<TraceRequest>(doc));
    else if (type == "tunnel_zones") checkTunnelZone(r, decodeStored<TunnelZone>(doc));
}

std::vector<StoreOp> planLink(const ObjectResolver &r, const util::Uuid &portId,
                              const util::Uuid &peerId, LinkOptions opts)
{
    if (portId == peerId) throw ValidationError("peerId", "a port cannot be linked to itself");
    auto a = need<Port>(r, portId, "id");
    auto b = need<Port>(r, peerId, "peerId");
    for (const auto *p : {&a, &b}) {
        const std::string prop = p == &a ? "id" : "peerId";
        if (p->peerId) conflict(prop, "port " + p->id.toString() + " is already linked");
        if (p->hostId || p->interfaceName)
            conflict(prop, "port " + p->id.toString() + " is bound to a host interface");
        if (p->type == PortType::Vxlan)
            conflict(prop, "port " + p->id.toString() + " is a VXLAN port and cannot be linked");
    }
    if (a.deviceId && a.deviceId == b.deviceId)
        conflict("peerId", "both ports belong to the same device");
    if (a.type == PortType::Bridge && b.type == PortType::Bridge && !opts.allowBridgeToBridge &&
        a.vlanId.value_or(0) == 0 && b.vlanId.value_or(0) == 0)
        throw ValidationError("peerId",
                              "a bridge-to-bridge link needs a vlanId on one of the two ports");
    detail::Plan plan(r);
    for (const auto &[id, peer] : {std::pair{portId, peerId}, std::pair{peerId, portId}}) {
        json *d = plan.doc("ports", id);
        (*d)["peerId"] = peer.toString();
        plan.markUpdated("ports", id);
    }
    return plan.ops();
}

std::vector<StoreOp> planUnlink(const ObjectResolver &r, const util::Uuid &portId)
{
    auto a = need<Port>(r, portId, "id");
    detail::Plan plan(r);
    if (!a.peerId) return {};
    auto clear = [&](const util::Uuid &id) {
        if (json *d = plan.doc("ports", id)) {
            detail::clearField(*d, "peerId");
            plan.markUpdated("ports", id);
        }
    };
    clear(portId);
    // The peer is cleared only if it points back: a peer linked elsewhere (a record written
    // by hand or by an older version) keeps its own link.
    auto b = r.find<Port>(*a.peerId);
    if (b && b->peerId == portId) clear(*a.peerId);
    return plan.ops();
}

std::optional<std::pair<std::string, std::string>> bindingConflict(const Port &port,
                                                                   const Port &bound,
                                                                   const std::string &iface)
{
    if (bound.id == port.id || bound.interfaceName != iface) return std::nullopt;
    const int v = port.isBridgePort() ? port.vlanId.value_or(0) : 0;
    const int w = bound.isBridgePort() ? bound.vlanId.value_or(0) : 0;
    const std::string host = bound.hostId ? bound.hostId->toString() : std::string("?");
    if (v != 0 && w != 0 && v != w) return std::nullopt; // two VLANs of one trunk
    if (v != 0 && v == w)
        return std::pair<std::string, std::string>(
            "vlanId", "VLAN " + std::to_string(v) + " of interface " + iface + " of host " + host +
                          " is already bound to port " + bound.id.toString() +
                          ": one port per VLAN on a trunk");
    return std::pair<std::string, std::string>(
        "interfaceName", "interface " + iface + " of host " + host + " is already bound to port " +
                             bound.id.toString() +
                             " (ports share an interface only as bridge ports with different "
                             "vlanIds: L2 gateway ports on a trunk)");
}

std::vector<StoreOp> planBind(const ObjectResolver &r, const HostInterfacePort &b)
{
    if (!b.hostId) throw ValidationError("hostId", "may not be null");
    if (!b.portId) throw ValidationError("portId", "may not be null");
    need<Host>(r, *b.hostId, "hostId");
    auto port = need<Port>(r, *b.portId, "portId");
    bool inZone = false;
    for (const auto &tzId : r.list("tunnel_zones")) {
        auto tz = r.find<TunnelZone>(tzId);
        for (const auto &m : tz ? tz->hosts : std::vector<TunnelZoneHost>{})
            if (m.hostId == b.hostId) inZone = true;
    }
    if (!inZone)
        conflict("hostId", "host " + b.hostId->toString() + " is not in any tunnel zone");
    if (port.interfaceName)
        conflict("portId", "port " + b.portId->toString() + " is already bound to interface " +
                               *port.interfaceName);
    if (port.peerId) conflict("portId", "port " + b.portId->toString() + " is linked (interior)");
    for (const auto &otherId : r.referencing("ports", "hostId", *b.hostId)) {
        auto other = r.find<Port>(otherId);
        if (!other || otherId == *b.portId) continue;
        if (auto c = bindingConflict(port, *other, b.interfaceName)) conflict(c->first, c->second);
    }
    detail::Plan plan(r);
    json *d = plan.doc("ports", *b.portId);
    (*d)["hostId"] = b.hostId->toString();
    (*d)["interfaceName"] = b.interfaceName;
    plan.markUpdated("ports", *b.portId);
    return plan.ops();
}

std::vector<StoreOp> planUnbind(const ObjectResolver &r, const util::Uuid &hostId,
                                const util::Uuid &portId)
{
    auto port = need<Port>(r, portId, "portId");
    if (port.hostId != hostId)
        throw ReferenceError(404, "portId", "port " + portId.toString() +
                                                " is not bound to host " + hostId.toString());
    detail::Plan plan(r);
    json *d = plan.doc("ports", portId);
    detail::clearField(*d, "hostId");
    detail::clearField(*d, "interfaceName");
    plan.markUpdated("ports", portId);
    return plan.ops();
}

std::vector<StoreOp> planAddTunnelZoneMember(const ObjectResolver &r, const TunnelZoneHost &m)
{
    if (!m.tunnelZoneId) throw ValidationError("tunnelZoneId", "may not be null");
    if (!m.hostId) throw ValidationError("hostId", "may not be null");
    auto tz = need<TunnelZone>(r, *m.tunnelZoneId, "tunnelZoneId");
    need<Host>(r, *m.hostId, "hostId");
    for (const auto &h : tz.hosts)
        if (h.hostId == m.hostId)
            conflict("hostId", "host " + m.hostId->toString() + " is already a member");
    // The container says which zone: the stored member does not repeat it.
    TunnelZoneHost stored = m;
    stored.tunnelZoneId.reset();
    tz.hosts.push_back(stored);
    detail::Plan plan(r);
    *plan.doc("tunnel_zones", tz.id) = encode(tz, View::Store);
    plan.markUpdated("tunnel_zones", tz.id);
    return plan.ops();
}

std::vector<StoreOp> planRemoveTunnelZoneMember(const ObjectResolver &r,
                                                const util::Uuid &tunnelZoneId,
                                                const util::Uuid &hostId)
{
    need<TunnelZone>(r, tunnelZoneId, "tunnelZoneId");
    detail::Plan plan(r);
    json *d = plan.doc("tunnel_zones", tunnelZoneId);
    if (!detail::removeFromListWhere(*d, "hosts", "hostId", hostId))
        throw ReferenceError(404, "hostId", "host " + hostId.toString() + " is not a member");
    plan.markUpdated("tunnel_zones", tunnelZoneId);
    return plan.ops();
}

std::vector<StoreOp> planAddPortGroupMember(const ObjectResolver &r, const PortGroupPort &m)
{
    if (!m.portGroupId) throw ValidationError("portGroupId", "may not be null");
    if (!m.portId) throw ValidationError("portId", "may not be null");
    auto pg = need<PortGroup>(r, *m.portGroupId, "portGroupId");
    need<Port>(r, *m.portId, "portId");
    for (const auto &p : pg.portIds)
        if (p == *m.portId)
            conflict("portId", "port " + m.portId->toString() + " is already a member");
    pg.portIds.push_back(*m.portId);
    detail::Plan plan(r);
    *plan.doc("port_groups", pg.id) = encode(pg, View::Store);
    plan.markUpdated("port_groups", pg.id);
    return plan.ops();
}

std::vector<StoreOp> planRemovePortGroupMember(const ObjectResolver &r,
                                               const util::Uuid &portGroupId,
                                               const util::Uuid &portId)
{
    need<PortGroup>(r, portGroupId, "portGroupId");
    detail::Plan plan(r);
    json *d = plan.doc("port_groups", portGroupId);
    if (!detail::removeFromList(*d, "portIds", portId))
        throw ReferenceError(404, "portId", "port " + portId.toString() + " is not a member");
    plan.markUpdated("port_groups", portGroupId);
    return plan.ops();
}

std::vector<StoreOp> planAddIpAddrGroupAddr(const ObjectResolver &r, const IpAddrGroupAddr &a)
{
    if (!a.ipAddrGroupId) throw ValidationError("ipAddrGroupId", "may not be null");
    auto g = need<IpAddrGroup>(r, *a.ipAddrGroupId, "ipAddrGroupId");
    for (const auto &x : g.addresses)
        if (x == a.addr) conflict("addr", "address " + a.addr + " is already in the group");
    g.addresses.push_back(a.addr);
    detail::Plan plan(r);
    *plan.doc("ip_addr_groups", g.id) = encode(g, View::Store);
    plan.markUpdated("ip_addr_groups", g.id);
    return plan.ops();
}

std::vector<StoreOp> planRemoveIpAddrGroupAddr(const ObjectResolver &r,
                                               const util::Uuid &ipAddrGroupId,
                                               const std::string &addr)
{
    auto g = need<IpAddrGroup>(r, ipAddrGroupId, "ipAddrGroupId");
    auto it = std::find(g.addresses.begin(), g.addresses.end(), addr);
    if (it == g.addresses.end()) return {};
    g.addresses.erase(it);
    detail::Plan plan(r);
    *plan.doc("ip_addr_groups", g.id) = encode(g, View::Store);
    plan.markUpdated("ip_addr_groups", g.id);
    return plan.ops();
}

void checkMacPortEntry(const ObjectResolver &r, const util::Uuid &bridgeId,
                       const MacPortEntry &e)
{
    need<Bridge>(r, bridgeId, "bridgeId");
    if (!e.portId) throw ValidationError("portId", "may not be null");
    auto port = need<Port>(r, *e.portId, "portId");
    if (port.deviceId != bridgeId)
        throw ValidationError("portId", "port " + e.portId->toString() +
                                            " is not a port of bridge " + bridgeId.toString());
    int portVlan = port.vlanId.value_or(0);
    if (portVlan != 0 && e.vlanId.value_or(0) != portVlan)
        throw ValidationError("vlanId", "must be " + std::to_string(portVlan) +
                                            ", the vlanId of port " + e.portId->toString());
}

} // namespace midonet::model
