// A recording, in-memory stand-in for the MidoNet REST API, behind the CLI's Transport seam.
// It answers like the real API where the CLI cares (root resource with collection keys and
// `{id}` templates, login with Set-Cookie, POST -> 201 + Location, item `uri` and link fields,
// PUT, DELETE, port link) and records every request so tests can assert the exact wire calls.
// Ids are deterministic: 00000000-0000-0000-0000-00000000000N in creation order.
//
// Thread-safety: single-threaded test helper.
#pragma once

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "cli/transport.h"

namespace midonet::cli::test {

using Json = nlohmann::json;

class FakeApi : public Transport {
public:
    static constexpr const char *base = "http://api.test:8181/midonet-api";

    std::vector<HttpRequest> requests;
    std::map<std::string, Json> objects;                   // uri -> object
    std::map<std::string, std::vector<std::string>> colls; // collection url -> item uris
    std::map<std::string, HttpResponse> overrides;         // "METHOD url" -> canned answer
    int created = 0;
    bool requireToken = false; // answer 401 to requests without the token
    std::string token = "00000000";

    static std::string url(const std::string &path) { return std::string(base) + path; }

    // Adds an object as if created by POST to `collection` (a path such as "/bridges").
    Json add(const std::string &collection, Json obj)
    {
        return store(url(collection), std::move(obj));
    }

    std::vector<HttpRequest> writes() const
    {
        std::vector<HttpRequest> out;
        for (const auto &r : requests)
            if (r.method != "GET" && !r.url.ends_with("/login")) out.push_back(r);
        return out;
    }

    HttpResponse send(const HttpRequest &r) override
    {
        requests.push_back(r);
        if (auto it = overrides.find(r.method + " " + r.url); it != overrides.end()) return it->second;
        if (r.url.ends_with("/login")) {
            HttpResponse res = reply(200, Json{{"key", token}, {"expires", nullptr}});
            res.headers.emplace_back("Set-Cookie", "sessionId=" + token + "; Expires=never");
            return res;
        }
        if (requireToken && r.header("X-Auth-Token") != token) return reply(401, Json{{"message", "Authentication error"}, {"code", 401}});
        if (r.method == "GET") {
            if (r.url == std::string(base) + "/") return reply(200, root());
            if (r.url == url("/system_state"))
                return reply(200, Json{{"state", "ACTIVE"}, {"availability", "READWRITE"}, {"version", "5.0.0"}, {"information", nullptr}});
            if (auto it = objects.find(r.url); it != objects.end()) return reply(200, it->second);
            auto path = r.url.substr(0, r.url.find('?'));
            if (auto it = colls.find(path); it != colls.end()) {
                Json arr = Json::array();
                for (const auto &u : it->second) arr.push_back(objects.at(u));
                return reply(200, arr);
            }
            if (knownCollection(path)) return reply(200, Json::array());
            return reply(404, Json{{"message", "Not found: " + r.url}, {"code", 404}});
        }
        if (r.method == "POST") {
            if (r.url.ends_with("/link")) return reply(201, Json());
            auto body = Json::parse(r.body);
            auto obj = store(r.url, body);
            HttpResponse res = reply(201, Json());
            res.body.clear();
            res.headers.emplace_back("Location", obj["uri"].get<std::string>());
            return res;
        }
        if (r.method == "PUT") {
            auto it = objects.find(r.url);
            if (it == objects.end()) return reply(404, Json{{"message", "no such object"}, {"code", 404}});
            it->second = Json::parse(r.body);
            return reply(204, Json());
        }
        if (r.method == "DELETE") {
            if (r.url.ends_with("/link")) return reply(204, Json());
            if (!objects.erase(r.url)) return reply(404, Json{{"message", "no such object"}, {"code", 404}});
            for (auto &[k, v] : colls) v.erase(std::remove(v.begin(), v.end(), r.url), v.end());
            return reply(204, Json());
        }
        return reply(405, Json());
    }

    static HttpResponse reply(int status, const Json &body)
    {
        HttpResponse res;
        res.status = status;
        res.reason = status == 200 ? "OK" : status == 201 ? "Created" : status == 204 ? "No Content"
                   : status == 400 ? "Bad Request" : status == 401 ? "Unauthorized" : status == 404 ? "Not Found" : "Error";
        if (!body.is_null()) res.body = body.dump();
        return res;
    }

    static Json root()
    {
        Json j;
        j["uri"] = std::string(base) + "/";
        j["version"] = "v5.0";
        const std::vector<std::pair<std::string, std::string>> collections = {
            {"bridges", "bridges"}, {"routers", "routers"}, {"chains", "chains"}, {"ports", "ports"},
            {"portGroups", "port_groups"}, {"ipAddrGroups", "ip_addr_groups"}, {"tunnelZones", "tunnel_zones"},
            {"hosts", "hosts"}, {"loadBalancers", "load_balancers"}, {"healthMonitors", "health_monitors"},
            {"pools", "pools"}, {"poolMembers", "pool_members"}, {"vips", "vips"}, {"tenants", "tenants"},
            {"systemState", "system_state"}, {"traceRequests", "traces"}};
        for (const auto &[k, p] : collections) j[k] = url("/" + p);
        const std::vector<std::pair<std::string, std::string>> templates = {
            {"bridgeTemplate", "bridges"}, {"routerTemplate", "routers"}, {"chainTemplate", "chains"},
            {"portTemplate", "ports"}, {"routeTemplate", "routes"}, {"ruleTemplate", "rules"},
            {"portGroupTemplate", "port_groups"}, {"ipAddrGroupTemplate", "ip_addr_groups"},
            {"tunnelZoneTemplate", "tunnel_zones"}, {"hostTemplate", "hosts"},
            {"loadBalancerTemplate", "load_balancers"}, {"poolTemplate", "pools"},
            {"poolMemberTemplate", "pool_members"}, {"vipTemplate", "vips"},
            {"healthMonitorTemplate", "health_monitors"}, {"bgpPeerTemplate", "bgp_peers"},
            {"bgpNetworkTemplate", "bgp_networks"}, {"traceRequestTemplate", "traces"},
            {"tenantTemplate", "tenants"}};
        for (const auto &[k, p] : templates) j[k] = url("/" + p + "/{id}");
        return j;
    }

private:
    // Root collections and device sub-collections answer [] when empty; anything else is 404.
    static bool knownCollection(const std::string &path)
    {
        static const Json r = root();
        for (const auto &[k, v] : r.items())
            if (v.is_string() && v.get<std::string>() == path) return true;
        static const std::vector<std::string> tails = {"/ports", "/routes", "/rules", "/hosts", "/dhcp",
                                                       "/interfaces", "/ip_addrs", "/pools", "/vips",
                                                       "/pool_members", "/bgp_peers", "/bgp_networks"};
        for (const auto &t : tails)
            if (path.ends_with(t)) return true;
        return false;
    }

    // Where objects created in a collection live (sub-collections of devices have root items).
    static std::string itemBase(const std::string &collection)
    {
        auto tail = collection.substr(collection.rfind('/'));
        static const std::vector<std::string> rooted = {"/ports", "/routes", "/rules", "/bgp_peers",
                                                        "/bgp_networks", "/pools", "/pool_members", "/vips"};
        bool isSub = collection.find('/', std::string(base).size() + 1) != std::string::npos;
        if (isSub && std::find(rooted.begin(), rooted.end(), tail) != rooted.end()) return url(tail);
        return collection;
    }

    static std::string tailOf(const std::string &collection) { return collection.substr(collection.rfind('/') + 1); }

    Json store(const std::string &collection, Json obj)
    {
        bool idLess = collection.ends_with("/hosts") && collection.find("/tunnel_zones/") != std::string::npos;
        idLess |= collection.find("/port_groups/") != std::string::npos || collection.ends_with("/ip_addrs") ||
                  collection.ends_with("/dhcp") ||
                  (collection.find("/hosts/") != std::string::npos && collection.ends_with("/ports"));
        std::string key;
        if (idLess) {
            key = obj.value("hostId", obj.value("portId", obj.value("addr", obj.value("subnetPrefix", std::string()))));
        } else {
            if (!obj.contains("id") || obj["id"].is_null()) {
                char id[40];
                std::snprintf(id, sizeof id, "00000000-0000-0000-0000-%012d", ++created);
                obj["id"] = id;
            }
            key = obj["id"];
        }
        auto itemUri = itemBase(collection) + "/" + key;
        obj["uri"] = itemUri;
        if (!idLess && !obj.contains("adminStateUp") && tailOf(collection) != "tenants" &&
            tailOf(collection) != "hosts" && tailOf(collection) != "chains" && tailOf(collection) != "routes" &&
            tailOf(collection) != "rules" && tailOf(collection) != "bgp_peers" && tailOf(collection) != "bgp_networks" &&
            tailOf(collection) != "ip_addr_groups" && tailOf(collection) != "tunnel_zones" &&
            tailOf(collection) != "port_groups" && tailOf(collection) != "traces")
            obj["adminStateUp"] = true; // the API's default for devices, ports and LB objects
        auto tail = itemBase(collection).substr(itemBase(collection).rfind('/') + 1);
        auto link = [&](const char *name, const char *sub) { obj[name] = itemUri + sub; };
        if (tail == "bridges") {
            link("ports", "/ports");
            link("dhcpSubnets", "/dhcp");
        } else if (tail == "routers") {
            link("ports", "/ports");
            link("routes", "/routes");
            link("bgpPeers", "/bgp_peers");
            link("bgpNetworks", "/bgp_networks");
        } else if (tail == "chains") {
            link("rules", "/rules");
        } else if (tail == "port_groups" && !idLess) {
            link("ports", "/ports");
        } else if (tail == "ip_addr_groups") {
            link("addrs", "/ip_addrs");
        } else if (tail == "tunnel_zones") {
            link("hosts", "/hosts");
        } else if (tail == "hosts" && !idLess) {
            link("interfaces", "/interfaces");
            link("ports", "/ports");
        } else if (tail == "load_balancers") {
            link("pools", "/pools");
            link("vips", "/vips");
        } else if (tail == "pools") {
            link("poolMembers", "/pool_members");
            link("vips", "/vips");
        } else if (tail == "health_monitors") {
            link("pools", "/pools");
        } else if (tail == "ports") {
            link("link", "/link");
        } else if (tail == "dhcp") {
            link("hosts", "/hosts");
        }
        if (tail == "bgp_peers" || tail == "bgp_networks") {
            auto routerPath = collection.substr(0, collection.rfind('/'));
            obj["router"] = routerPath;
        }
        objects[itemUri] = obj;
        colls[collection].push_back(itemUri);
        if (collection != itemBase(collection) && !idLess) colls[itemBase(collection)].push_back(itemUri);
        return obj;
    }
};

} // namespace midonet::cli::test
