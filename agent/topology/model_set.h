// ModelSet: every NSDB object an agent's simulation may need, decoded into the object model and
// keyed by id. The agent's topology cache keeps one up to date from store watches; tests build
// one by hand. It is the input of buildSnapshot() (snapshot_builder.h).
//
// Invariants: each map holds the latest decoded version of each object the cache has seen;
// objects that failed to decode are absent (the cache logs them) rather than half-filled.
// Thread-safety: plain data; the cache guards its own copy.
#pragma once

#include "common/model/model.h"
#include "common/util/uuid.h"

#include <map>
#include <string>
#include <unordered_map>
#include <vector>

namespace midonet::agent {

struct ModelSet {
    template <class T> using ById = std::unordered_map<util::Uuid, T>;

    ById<model::Host> hosts;
    ById<model::TunnelZone> tunnelZones;
    ById<model::Bridge> bridges;
    ById<model::Router> routers;
    ById<model::Port> ports;
    ById<model::Route> routes;
    ById<model::Chain> chains;
    ById<model::Rule> rules;
    ById<model::PortGroup> portGroups;
    ById<model::IpAddrGroup> ipAddrGroups;
    ById<model::LoadBalancer> loadBalancers;
    ById<model::Pool> pools;
    ById<model::PoolMember> poolMembers;
    ById<model::Vip> vips;
    ById<model::BgpPeer> bgpPeers;       // read by the L3 gateway (agent/gateway/)
    ById<model::BgpNetwork> bgpNetworks;
    // Routes learned by BGP gateways (routers/<id>/learned_routes, agent/gateway/learned_routes.h):
    // router -> entry key -> the entry's routes.
    std::unordered_map<util::Uuid, std::map<std::string, std::vector<model::Route>>> learnedRoutes;
    // Seeded bridge IP -> MAC tables (bridges/<id>/arp_table), per bridge.
    std::unordered_map<util::Uuid, std::map<util::IPv4Address, util::MacAddress>> bridgeArp;

    // Decodes one stored object of NSDB type `type` into its map (or removes it when `data` is
    // empty). Returns false, leaving the set unchanged, for an unknown type or a document that
    // does not decode; `error` then says why.
    bool apply(const std::string &type, const util::Uuid &id, const std::string &data,
               std::string *error = nullptr);

    // The NSDB types apply() understands, in the order a full load should read them.
    static const std::vector<std::string> &types();
};

} // namespace midonet::agent
