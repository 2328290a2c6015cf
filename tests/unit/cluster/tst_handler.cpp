// The REST handler as a MidoNet client sees it, without sockets: root resource, login, media
// types, CRUD of every resource, validation errors naming the field, cascades, rule positions,
// links, bindings, tenant isolation for every resource type, openapi.json.
#include "cluster/handler.h"

#include "api_client.h"
#include "common/model/model.h"

#include <QtTest>

#include <algorithm>
#include <functional>
#include <set>

using namespace midonet::cluster;
using namespace midonet::cluster::test;

Q_DECLARE_METATYPE(std::string)

namespace {
const std::string kBase = "http://api.example:8181/midonet-api/";
QString q(const std::string &s) { return QString::fromStdString(s); }
QString q(const json &j) { return QString::fromStdString(j.dump()); }
} // namespace

class TstHandler : public QObject
{
    Q_OBJECT

    // A small topology: bridge + router, ports, a chain; returns ids by name.
    std::map<std::string, std::string> topology(ApiFixture &api)
    {
        std::map<std::string, std::string> ids;
        ids["bridge"] = api.create("bridges", {{"name", "b0"}, {"tenantId", "tenant-a"}})["id"];
        ids["router"] = api.create("routers", {{"name", "r0"}, {"tenantId", "tenant-a"}})["id"];
        ids["bport"] = api.create("bridges/" + ids["bridge"] + "/ports", {{"type", "Bridge"}})["id"];
        ids["rport"] = api.create("routers/" + ids["router"] + "/ports",
                                  {{"type", "Router"}, {"portAddress", "10.0.0.1"}, {"networkAddress", "10.0.0.0"}, {"networkLength", 24}})["id"];
        ids["chain"] = api.create("chains", {{"name", "c0"}, {"tenantId", "tenant-a"}})["id"];
        return ids;
    }
    // Beside topology(): router r1 (id "r1") with port rother, bridge b1 (id "b1") with port bother.
    void secondDevices(ApiFixture &api, std::map<std::string, std::string> &ids)
    {
        ids["r1"] = api.create("routers", {{"name", "r1"}, {"tenantId", "tenant-a"}})["id"];
        ids["rother"] = api.create("routers/" + ids["r1"] + "/ports", {{"type", "Router"}, {"portSubnet", {"10.1.0.1/24"}}})["id"];
        ids["b1"] = api.create("bridges", {{"name", "b1"}, {"tenantId", "tenant-a"}})["id"];
        ids["bother"] = api.create("bridges/" + ids["b1"] + "/ports", {{"type", "Bridge"}})["id"];
    }

private slots:
    void rootResourceHasEveryKeyWithAbsoluteUris()
    {
        ApiFixture api;
        api.token.clear();
        auto r = api.call("GET", "", nullptr, vt("Application-v5"));
        QCOMPARE(r.status, 200);
        QCOMPARE(q(r.header("Content-Type")), q(vt("Application-v5")));
        QCOMPARE(q(r.body["uri"].get<std::string>()), q(kBase));
        QCOMPARE(q(r.body["version"].get<std::string>()), QString("v5.0"));
        for (const char *k : {"bridges", "routers", "ports", "chains", "hosts", "tunnelZones", "portGroups", "ipAddrGroups",
                              "systemState", "tenants", "loadBalancers", "traceRequests", "vteps"})
            QVERIFY2(r.body.contains(k) && r.body[k].get<std::string>().rfind(kBase, 0) == 0, k);
        QCOMPARE(q(r.body["bridgeTemplate"].get<std::string>()), q(kBase + "bridges/{id}"));
        QCOMPARE(q(r.body["ruleTemplate"].get<std::string>()), q(kBase + "rules/{id}"));
        QVERIFY(!r.body.contains("routes")); // template only, as in MidoNet
    }
    void forwardedHeadersShapeUris()
    {
        ApiFixture api;
        Request req;
        req.method = "GET";
        req.target = "/midonet-api/";
        req.headers["Host"] = "internal:8181";
        req.headers["X-Forwarded-Proto"] = "https";
        req.headers["X-Forwarded-Host"] = "cloud.example";
        auto resp = api.handler->handle(req);
        QCOMPARE(q(json::parse(resp.body)["uri"].get<std::string>()), QString("https://cloud.example/midonet-api/"));
    }
    void corsOnEveryResponse_data()
    {
        QTest::addColumn<std::string>("method");
        QTest::addColumn<std::string>("path");
        QTest::addColumn<int>("status");
        QTest::newRow("options-without-auth") << std::string("OPTIONS") << std::string("bridges") << 200;
        QTest::newRow("get") << std::string("GET") << std::string("bridges") << 200;
        QTest::newRow("not-found") << std::string("GET") << std::string("nothing") << 404;
    }
    void corsOnEveryResponse()
    {
        QFETCH(std::string, method);
        QFETCH(std::string, path);
        QFETCH(int, status);
        ApiFixture api;
        if (method == "OPTIONS") api.token.clear();
        auto r = api.call(method, path);
        QCOMPARE(r.status, status);
        QCOMPARE(q(r.header("Access-Control-Allow-Origin")), QString("*"));
        QCOMPARE(q(r.header("Access-Control-Allow-Methods")), QString("GET, POST, PUT, DELETE, OPTIONS"));
        QCOMPARE(q(r.header("Access-Control-Expose-Headers")), QString("Location"));
    }
    void systemState()
    {
        ApiFixture api;
        auto r = api.call("GET", "system_state", nullptr, vt("SystemState-v2"));
        QCOMPARE(r.status, 200);
        QCOMPARE(q(r.body), q(json{{"state", "ACTIVE"}, {"availability", "READWRITE"}, {"version", "5.0.0"}, {"information", nullptr}}));
    }

    // ---- auth -----------------------------------------------------------------------------------
    void loginSetsCookieFirstAndBody()
    {
        ApiFixture api;
        Request r;
        r.method = "POST";
        r.target = "/midonet-api/login";
        r.body = "{}";
        r.headers["Authorization"] = "Basic " + ApiFixture::base64("alice:alicepw");
        auto resp = api.handler->handle(r);
        QCOMPARE(resp.status, 200);
        QCOMPARE(q(resp.header("Content-Type").value_or("")), QString("application/vnd.org.midonet.Token-v1+json; charset=UTF-8"));
        auto cookie = resp.header("Set-Cookie").value_or("");
        QVERIFY(cookie.rfind("sessionId=", 0) == 0);
        auto body = json::parse(resp.body);
        // The Python client: cut at the first ';', take what follows the first '='.
        auto token = cookie.substr(0, cookie.find(';'));
        token = token.substr(token.find('=') + 1);
        QCOMPARE(q(token), q(body["key"].get<std::string>()));
        QVERIFY(body["expires"].is_string());
        QVERIFY(cookie.find("; Expires=" + body["expires"].get<std::string>()) != std::string::npos);
    }
    void loginFailures_data()
    {
        QTest::addColumn<std::string>("authorization");
        QTest::addColumn<std::string>("message");
        QTest::newRow("no-header") << std::string() << std::string("Authorization header is not set.");
        QTest::newRow("not-basic") << std::string("Bearer x") << std::string("Authorization header does not contain Basic.");
        QTest::newRow("empty-password") << "Basic " + ApiFixture::base64("alice:") << std::string("Authorization header is not valid");
        QTest::newRow("wrong-password") << "Basic " + ApiFixture::base64("alice:nope") << std::string("Authentication error");
        QTest::newRow("unknown-user") << "Basic " + ApiFixture::base64("mallory:x") << std::string("Authentication error");
    }
    void loginFailures()
    {
        QFETCH(std::string, authorization);
        QFETCH(std::string, message);
        ApiFixture api;
        Request r;
        r.method = "POST";
        r.target = "/midonet-api/login";
        if (!authorization.empty()) r.headers["Authorization"] = authorization;
        auto resp = api.handler->handle(r);
        QCOMPARE(resp.status, 401);
        QCOMPARE(q(resp.header("WWW-Authenticate").value_or("")), QString("Basic  realm=\"BASIC_AUTH_REALM\""));
        QCOMPARE(q(resp.header("Content-Type").value_or("")), q(vt("Error-v1")));
        QCOMPARE(q(json::parse(resp.body)), q(json{{"code", 401}, {"message", message}}));
    }
    void tokenRequiredAndExpires()
    {
        ApiFixture api;
        api.token.clear();
        QCOMPARE(api.call("GET", "bridges").status, 401);
        api.token = "m1.forged.token";
        QCOMPARE(api.call("GET", "bridges").status, 401);
        api.token = api.adminToken;
        QCOMPARE(api.call("GET", "bridges").status, 200);
        api.now += std::chrono::seconds(601);
        auto r = api.call("GET", "bridges");
        QCOMPARE(r.status, 401);
        QCOMPARE(r.body["code"].get<int>(), 401);
    }
    void noAuthModeIsMock()
    {
        ApiFixture api(AuthMode::None);
        api.token.clear();
        QCOMPARE(api.call("GET", "bridges").status, 200);
        Request r;
        r.method = "POST";
        r.target = "/midonet-api/login";
        auto resp = api.handler->handle(r);
        QCOMPARE(resp.status, 200);
        QCOMPARE(q(resp.header("Set-Cookie").value_or("")), QString("sessionId=00000000"));
        QCOMPARE(q(json::parse(resp.body)), q(json{{"expires", nullptr}, {"key", "00000000"}}));
        QVERIFY(api.create("bridges", {{"name", "x"}}).is_object());
    }

    // ---- media types ---------------------------------------------------------------------------
    void mediaTypes_data()
    {
        QTest::addColumn<std::string>("path");
        QTest::addColumn<std::string>("accept");
        QTest::addColumn<int>("status");
        QTest::newRow("bridges-collection-v4") << std::string("bridges") << vtc("Bridge-v4") << 200;
        QTest::newRow("bridges-json") << std::string("bridges") << std::string("application/json") << 200;
        QTest::newRow("bridges-wrong-type") << std::string("bridges") << vtc("Router-v3") << 406;
        QTest::newRow("tenants-vendor") << std::string("tenants") << vtc("Tenant-v2") << 200;
        QTest::newRow("tenants-json-refused") << std::string("tenants") << std::string("application/json") << 406;
        QTest::newRow("ip-groups-json-refused") << std::string("ip_addr_groups") << std::string("application/json") << 406;
        QTest::newRow("ip-groups-vendor") << std::string("ip_addr_groups") << vtc("IpAddrGroup-v1") << 200;
        QTest::newRow("hosts-v3") << std::string("hosts") << vtc("Host-v3") << 200;
        QTest::newRow("ports-v4") << std::string("ports") << vtc("Port-v4") << 200;
        QTest::newRow("star") << std::string("chains") << std::string("*/*") << 200;
    }
    void mediaTypes()
    {
        QFETCH(std::string, path);
        QFETCH(std::string, accept);
        QFETCH(int, status);
        ApiFixture api;
        auto r = api.call("GET", path, nullptr, "application/json", accept);
        QCOMPARE(r.status, status);
        if (status == 406) QVERIFY(r.text.empty()); // bare, as in MidoNet
        if (status == 200 && accept != "*/*") QCOMPARE(q(r.header("Content-Type")), q(accept));
    }
    void badContentTypeOnCreate()
    {
        ApiFixture api;
        auto r = api.call("POST", "bridges", {{"name", "x"}}, "application/xml");
        QCOMPARE(r.status, 406);
        auto t = api.call("POST", "tunnel_zones", {{"name", "tz"}, {"type", "vxlan"}}, vt("TunnelZone-v1"));
        QCOMPARE(t.status, 201);
        auto zone = t.header("Location");
        auto h = api.create("hosts", {{"name", "h"}});
        // Explicit consumes lists answer 415.
        QCOMPARE(api.call("POST", zone + "/hosts", {{"hostId", h["id"]}, {"ipAddress", "10.0.0.1"}}, "application/json").status, 415);
    }

    // ---- CRUD of every resource ---------------------------------------------------------------------
    void crud_data()
    {
        QTest::addColumn<std::string>("collection");
        QTest::addColumn<std::string>("media");
        QTest::addColumn<std::string>("body");
        QTest::addColumn<std::string>("field");  // checked after create and after update
        QTest::addColumn<std::string>("updated"); // JSON of the new value for the PUT, "" = no PUT (405)
        QTest::newRow("bridge") << std::string("bridges") << vt("Bridge-v4") << std::string("{\"name\":\"b1\",\"tenantId\":\"t\"}")
                                << std::string("name") << std::string("\"b2\"");
        QTest::newRow("router") << std::string("routers") << vt("Router-v3") << std::string("{\"name\":\"r1\",\"asNumber\":65000}")
                                << std::string("name") << std::string("\"r2\"");
        QTest::newRow("chain") << std::string("chains") << vt("Chain-v1") << std::string("{\"name\":\"c1\"}")
                               << std::string("name") << std::string();
        QTest::newRow("port-group") << std::string("port_groups") << vt("PortGroup-v1") << std::string("{\"name\":\"pg\",\"stateful\":true}")
                                    << std::string("name") << std::string("\"pg2\"");
        QTest::newRow("ip-addr-group") << std::string("ip_addr_groups") << vt("IpAddrGroup-v1") << std::string("{\"name\":\"ipg\"}")
                                       << std::string("name") << std::string();
        QTest::newRow("tunnel-zone") << std::string("tunnel_zones") << vt("TunnelZone-v1") << std::string("{\"name\":\"tz\",\"type\":\"gre\"}")
                                     << std::string("name") << std::string("\"tz2\"");
        QTest::newRow("load-balancer") << std::string("load_balancers") << vt("LoadBalancer-v1") << std::string("{\"adminStateUp\":false}")
                                       << std::string("adminStateUp") << std::string("true");
        QTest::newRow("health-monitor") << std::string("health_monitors") << vt("HealthMonitor-v1")
                                        << std::string("{\"type\":\"TCP\",\"delay\":5,\"timeout\":3,\"maxRetries\":2}")
                                        << std::string("delay") << std::string("9");
        QTest::newRow("host") << std::string("hosts") << vt("Host-v3") << std::string("{\"name\":\"h1\",\"floodingProxyWeight\":2}")
                              << std::string("floodingProxyWeight") << std::string("7");
    }
    void crud()
    {
        QFETCH(std::string, collection);
        QFETCH(std::string, media);
        QFETCH(std::string, body);
        QFETCH(std::string, field);
        QFETCH(std::string, updated);
        ApiFixture api;
        auto post = api.call("POST", collection, json::parse(body), media);
        QCOMPARE(post.status, 201);
        QVERIFY(post.text.empty());
        auto location = post.header("Location");
        QVERIFY2(location.rfind(kBase + collection + "/", 0) == 0, location.c_str());
        auto got = api.call("GET", location, nullptr, media);
        QCOMPARE(got.status, 200);
        QCOMPARE(q(got.header("Content-Type")), q(media));
        QCOMPARE(q(got.body["uri"].get<std::string>()), q(location));
        QCOMPARE(q(got.body[field]), q(json::parse(body)[field]));
        auto list = api.call("GET", collection, nullptr, "application/json", "*/*");
        QCOMPARE(list.status, 200);
        QCOMPARE(int(list.body.size()), 1);
        if (!updated.empty()) {
            auto doc = got.body; // clients PUT back the whole document, URIs included
            doc[field] = json::parse(updated);
            auto put = api.call("PUT", location, doc, media);
            QCOMPARE(put.status, collection == "hosts" ? 200 : 204);
            QCOMPARE(q(api.call("GET", location, nullptr, media).body[field]), q(json::parse(updated)));
        } else {
            QCOMPARE(api.call("PUT", location, got.body, media).status, 405);
        }
        auto del = api.call("DELETE", location);
        QCOMPARE(del.status, collection == "hosts" ? 200 : 204);
        auto gone = api.call("GET", location, nullptr, media);
        QCOMPARE(gone.status, 404);
        QCOMPARE(gone.body["code"].get<int>(), 404);
    }
    void clientChosenIdAndDuplicate()
    {
        ApiFixture api;
        const std::string id = "5c6c3fa4-3b1a-4a3c-9a8e-1d2f3a4b5c6d";
        auto r = api.call("POST", "bridges", {{"id", id}, {"name", "x"}});
        QCOMPARE(r.status, 201);
        QCOMPARE(q(r.header("Location")), q(kBase + "bridges/" + id));
        auto dup = api.call("POST", "bridges", {{"id", id}, {"name", "y"}});
        QCOMPARE(dup.status, 409);
        QCOMPARE(dup.body["code"].get<int>(), 409);
    }
    void everyFieldEmittedNullWhenUnset()
    {
        ApiFixture api;
        auto b = api.create("bridges", {{"name", "x"}});
        for (const char *k : {"id", "tenantId", "name", "adminStateUp", "inboundFilterId", "outboundFilterId", "inboundFilter",
                              "ports", "peerPorts", "macTable", "arpTable", "vxLanPortIds", "uri"})
            QVERIFY2(b.contains(k), k);
        QVERIFY(b["inboundFilterId"].is_null());
        QVERIFY(b["inboundFilter"].is_null());
        QVERIFY(b["vxLanPortIds"].is_array());
        QCOMPARE(b["adminStateUp"].get<bool>(), true);
    }
    void notOffered_data()
    {
        QTest::addColumn<std::string>("method");
        QTest::addColumn<std::string>("path");
        QTest::newRow("post-ports") << std::string("POST") << std::string("ports");
        QTest::newRow("get-routes") << std::string("GET") << std::string("routes");
        QTest::newRow("put-tenant") << std::string("PUT") << std::string("tenants/x");
        QTest::newRow("delete-bridges") << std::string("DELETE") << std::string("bridges");
    }
    void notOffered()
    {
        QFETCH(std::string, method);
        QFETCH(std::string, path);
        ApiFixture api;
        QCOMPARE(api.call(method, path, method == "GET" ? json(nullptr) : json::object()).status, 405);
    }
    void unknownRootSegment()
    {
        ApiFixture api;
        auto r = api.call("GET", "frobnicators");
        QCOMPARE(r.status, 404);
        QCOMPARE(q(r.body["message"].get<std::string>()), QString("Root resource frobnicators not found"));
        QCOMPARE(api.call("GET", "bridges/not-a-uuid").status, 404);
    }

    // ---- validation ----------------------------------------------------------------------------
    void validationNamesTheField_data()
    {
        QTest::addColumn<std::string>("path");
        QTest::addColumn<std::string>("body");
        QTest::addColumn<std::string>("property");
        QTest::newRow("bridge-name-too-long") << std::string("bridges") << "{\"name\":\"" + std::string(300, 'x') + "\"}" << std::string("name");
        QTest::newRow("bridge-bad-filter-uuid") << std::string("bridges") << std::string("{\"inboundFilterId\":\"nope\"}") << std::string("inboundFilterId");
        QTest::newRow("bridge-vxlan-ports-ro") << std::string("bridges") << std::string("{\"vxLanPortIds\":[]}") << std::string("vxLanPortIds");
        QTest::newRow("tz-missing-name") << std::string("tunnel_zones") << std::string("{\"type\":\"gre\"}") << std::string("name");
        QTest::newRow("tz-bad-type") << std::string("tunnel_zones") << std::string("{\"name\":\"a\",\"type\":\"ipsec\"}") << std::string("type");
        QTest::newRow("host-weight-range") << std::string("hosts") << std::string("{\"floodingProxyWeight\":70000}") << std::string("floodingProxyWeight");
    }
    void validationNamesTheField()
    {
        QFETCH(std::string, path);
        QFETCH(std::string, body);
        QFETCH(std::string, property);
        ApiFixture api;
        std::string media = path == "tunnel_zones" ? vt("TunnelZone-v1") : "application/json";
        auto r = api.call("POST", path, json::parse(body), media);
        QCOMPARE(r.status, 400);
        QCOMPARE(q(r.header("Content-Type")), q(vt("Error-v1")));
        QCOMPARE(r.body["code"].get<int>(), 400);
        bool named = false;
        for (const auto &v : r.body["violations"]) named = named || v["property"] == property;
        QVERIFY2(named, r.text.c_str());
    }
    void malformedJson()
    {
        ApiFixture api;
        Request req;
        req.method = "POST";
        req.target = "/midonet-api/bridges";
        req.headers["X-Auth-Token"] = api.adminToken;
        req.headers["Content-Type"] = "application/json";
        req.body = "{\"name\": ";
        auto r = api.handler->handle(req);
        QCOMPARE(r.status, 400);
        QCOMPARE(json::parse(r.body)["code"].get<int>(), 400);
    }
    void portNeedsTypeAndRightDevice()
    {
        ApiFixture api;
        auto b = api.create("bridges", {{"name", "b"}});
        auto noType = api.call("POST", "bridges/" + b["id"].get<std::string>() + "/ports", json::object());
        QCOMPARE(noType.status, 400);
        QCOMPARE(q(noType.body["violations"][0]["property"].get<std::string>()), QString("type"));
        auto wrong = api.call("POST", "bridges/" + b["id"].get<std::string>() + "/ports", {{"type", "Router"}, {"portAddress", "1.1.1.1"}});
        QCOMPARE(wrong.status, 400);
        QVERIFY(wrong.text.find("Not a bridge port.") != std::string::npos);
        QCOMPARE(api.call("POST", "bridges/" + b["id"].get<std::string>() + "/ports", {{"type", "ExteriorBridge"}}).status, 201);
    }
    void missingReferenceIs404()
    {
        ApiFixture api;
        auto r = api.call("POST", "bridges", {{"name", "b"}, {"inboundFilterId", "5c6c3fa4-3b1a-4a3c-9a8e-1d2f3a4b5c6d"}});
        QCOMPARE(r.status, 404);
        QVERIFY(r.text.find("inboundFilterId") != std::string::npos);
    }

    // ---- ports, links, routes, cascades ------------------------------------------------------------
    void routerPortGetsLocalRouteMacAndTunnelKey()
    {
        ApiFixture api;
        auto ids = topology(api);
        auto p = api.call("GET", "ports/" + ids["rport"], nullptr, vt("Port-v3")).body;
        QCOMPARE(q(p["type"].get<std::string>()), QString("Router"));
        QVERIFY(p["portMac"].is_string());
        QCOMPARE(q(p["portMac"].get<std::string>().substr(0, 9)), QString("ac:ca:ba:")); // MidoNet's prefix
        QVERIFY(p["tunnelKey"].is_number());
        QCOMPARE(q(p["device"].get<std::string>()), q(kBase + "routers/" + ids["router"]));
        auto routes = api.call("GET", "routers/" + ids["router"] + "/routes", nullptr, vtc("Route-v1")).body;
        QCOMPARE(int(routes.size()), 1);
        QCOMPARE(q(routes[0]["type"].get<std::string>()), QString("Local"));
        QCOMPARE(q(routes[0]["dstNetworkAddr"].get<std::string>()), QString("10.0.0.1"));
        QCOMPARE(routes[0]["dstNetworkLength"].get<int>(), 32);
        QCOMPARE(q(routes[0]["nextHopPort"].get<std::string>()), q(ids["rport"]));
        auto bp = api.call("GET", "ports/" + ids["bport"]).body;
        QVERIFY(bp["tunnelKey"] != p["tunnelKey"]);
    }
    void linkUnlinkAndConflicts()
    {
        ApiFixture api;
        auto ids = topology(api);
        auto link = api.call("POST", "ports/" + ids["bport"] + "/link", {{"peerId", ids["rport"]}}, vt("PortLink-v1"));
        QCOMPARE(link.status, 201);
        QCOMPARE(q(api.call("GET", "ports/" + ids["rport"]).body["peerId"].get<std::string>()), q(ids["bport"]));
        QCOMPARE(q(api.call("GET", "ports/" + ids["bport"]).body["peer"].get<std::string>()), q(kBase + "ports/" + ids["rport"]));
        auto peers = api.call("GET", "bridges/" + ids["bridge"] + "/peer_ports").body;
        QCOMPARE(int(peers.size()), 1);
        auto other = api.create("routers/" + ids["router"] + "/ports", {{"type", "Router"}, {"portSubnet", {"10.0.1.1/24"}}});
        QCOMPARE(api.call("POST", "ports/" + ids["bport"] + "/link", {{"peerId", other["id"]}}).status, 409);
        QCOMPARE(api.call("POST", "ports/" + other["id"].get<std::string>() + "/link", {{"peerId", ids["rport"]}}).status, 409);
        QCOMPARE(api.call("POST", "ports/" + ids["bport"] + "/link", json::object()).status, 400);
        QCOMPARE(api.call("DELETE", "ports/" + ids["rport"] + "/link").status, 204);
        QVERIFY(api.call("GET", "ports/" + ids["bport"]).body["peerId"].is_null());
        QVERIFY(api.call("GET", "ports/" + ids["rport"]).body["peerId"].is_null());
    }
    // Every rule of the model's planLink, as the API answers it (the handler runs the model's
    // one implementation): the status, and the field a refusal names. Ports by name:
    // bport/rport (bridge b0, router r0, from topology()), rport2 (r0), rother (router r1),
    // bother (bridge b1),
    // bvlan (b1, vlanId 10), linked (b1, linked to r0's port r0-linked), bound (b1, bound to a
    // host interface), vxlan (b1, VXLAN), missing (no such port).
    void linkRules_data()
    {
        QTest::addColumn<std::string>("port");
        QTest::addColumn<std::string>("peer");
        QTest::addColumn<int>("status");
        QTest::addColumn<std::string>("property"); // "" = success or a message-only error
        QTest::newRow("bridge-to-router") << std::string("bport") << std::string("rport") << 201 << std::string();
        QTest::newRow("router-to-router") << std::string("rport") << std::string("rother") << 201 << std::string();
        QTest::newRow("bridge-to-bridge-with-vlan") << std::string("bport") << std::string("bvlan") << 201 << std::string();
        QTest::newRow("bridge-to-bridge-without-vlan") << std::string("bport") << std::string("bother") << 400 << std::string("peerId");
        QTest::newRow("port-to-itself") << std::string("bport") << std::string("bport") << 400 << std::string("peerId");
        QTest::newRow("same-device") << std::string("rport") << std::string("rport2") << 409 << std::string("peerId");
        QTest::newRow("peer-already-linked") << std::string("rport") << std::string("linked") << 409 << std::string("peerId");
        QTest::newRow("port-already-linked") << std::string("linked") << std::string("rport") << 409 << std::string("id");
        QTest::newRow("peer-bound-to-interface") << std::string("rport") << std::string("bound") << 409 << std::string("peerId");
        QTest::newRow("peer-is-vxlan") << std::string("rport") << std::string("vxlan") << 409 << std::string("peerId");
        QTest::newRow("missing-peer") << std::string("bport") << std::string("missing") << 404 << std::string();
    }
    void linkRules()
    {
        QFETCH(std::string, port);
        QFETCH(std::string, peer);
        QFETCH(int, status);
        QFETCH(std::string, property);
        ApiFixture api;
        auto ids = topology(api);
        auto router = "routers/" + ids["router"] + "/ports";
        ids["rport2"] = api.create(router, {{"type", "Router"}, {"portSubnet", {"10.0.1.1/24"}}})["id"];
        secondDevices(api, ids);
        auto b1port = [&](json body) { return api.create("bridges/" + ids["b1"] + "/ports", body)["id"].get<std::string>(); };
        ids["bvlan"] = b1port({{"type", "Bridge"}, {"vlanId", 10}});
        ids["linked"] = b1port({{"type", "Bridge"}});
        auto rlinked = api.create(router, {{"type", "Router"}, {"portSubnet", {"10.0.2.1/24"}}})["id"].get<std::string>();
        QCOMPARE(api.call("POST", "ports/" + ids["linked"] + "/link", {{"peerId", rlinked}}).status, 201);
        ids["bound"] = b1port({{"type", "Bridge"}});
        auto host = api.create("hosts", {{"name", "h"}})["id"].get<std::string>();
        auto tz = api.call("POST", "tunnel_zones", {{"name", "tz"}, {"type", "vxlan"}}, vt("TunnelZone-v1")).header("Location");
        QCOMPARE(api.call("POST", tz + "/hosts", {{"hostId", host}, {"ipAddress", "192.0.2.1"}}, vt("TunnelZoneHost-v1")).status, 201);
        QCOMPARE(api.call("POST", "hosts/" + host + "/ports", {{"portId", ids["bound"]}, {"interfaceName", "veth0"}}).status, 201);
        midonet::model::Port vx; // VXLAN ports come from VTEP bindings, not POST: written to the NSDB
        vx.id = midonet::util::Uuid::random();
        vx.type = midonet::model::PortType::Vxlan;
        vx.deviceId = midonet::util::Uuid::parse(ids["b1"]);
        api.store->multi({midonet::store::Op::create("ports", vx.id, midonet::model::encode(vx, midonet::model::View::Store).dump())});
        ids["vxlan"] = vx.id.toString();
        ids["missing"] = midonet::util::Uuid::random().toString();
        auto peerBefore = [&](const std::string &name) { return api.call("GET", "ports/" + ids[name]).body.value("peerId", json()); };
        auto before = peerBefore(port);

        auto r = api.call("POST", "ports/" + ids[port] + "/link", {{"peerId", ids[peer]}}, vt("PortLink-v1"));
        QVERIFY2(r.status == status, (std::to_string(r.status) + " " + r.text).c_str());
        if (status == 201) {
            QCOMPARE(q(peerBefore(port)), q(json(ids[peer])));
            QCOMPARE(q(peerBefore(peer)), q(json(ids[port])));
            return;
        }
        QCOMPARE(q(peerBefore(port)), q(before)); // nothing written
        if (!property.empty()) QCOMPARE(q(r.body["violations"][0]["property"].get<std::string>()), q(property));
        else QVERIFY2(r.text.find("peerId") != std::string::npos, r.text.c_str());
    }
    // Rules the handlers used to hold copies of, now the model's (checkReferences,
    // checkMacPortEntry), as the API answers them: status and the field named. $name in the
    // path or body is a fixture id: router/rport/bridge/bport (topology()), rother (router r1),
    // bother (bridge b1), bvlan (bridge b0, vlanId 10), peer1 (192.0.2.1 AS 65000 on router),
    // peer2 (192.0.2.2 AS 65000), tz2 (a zone named tz2 beside tz), lb (a load balancer), lb2
    // (one attached to r1),
    // missing (no such object).
    void modelRulesAsTheApiAnswers_data()
    {
        QTest::addColumn<std::string>("method");
        QTest::addColumn<std::string>("path");
        QTest::addColumn<std::string>("body");
        QTest::addColumn<int>("status");
        QTest::addColumn<std::string>("property"); // "" = accepted
        const std::string route = R"({"type":"%T","srcNetworkAddr":"0.0.0.0","srcNetworkLength":0,"dstNetworkAddr":"10.9.0.0","dstNetworkLength":16,"nextHopPort":"%P"})";
        auto rt = [&](const std::string &type, const std::string &port) {
            std::string b = route;
            b.replace(b.find("%T"), 2, type);
            b.replace(b.find("%P"), 2, port);
            return b;
        };
        auto row = [](const char *name, const char *m, const char *path, const std::string &body, int status, const char *prop) {
            QTest::newRow(name) << std::string(m) << std::string(path) << body << status << std::string(prop);
        };
        row("route-next-hop-on-this-router", "POST", "routers/$router/routes", rt("Normal", "$rport"), 201, "");
        row("route-next-hop-on-other-router", "POST", "routers/$router/routes", rt("Normal", "$rother"), 400, "nextHopPort");
        row("blackhole-route-next-hop-elsewhere", "POST", "routers/$router/routes", rt("BlackHole", "$rother"), 400, "nextHopPort");
        row("route-next-hop-bridge-port", "POST", "routers/$router/routes", rt("Normal", "$bport"), 400, "nextHopPort");
        row("route-next-hop-missing", "POST", "routers/$router/routes", rt("Normal", "$missing"), 404, "nextHopPort");
        row("bgp-peer-new-address", "POST", "routers/$router/bgp_peers", R"({"asNumber":65000,"address":"192.0.2.9"})", 201, "");
        row("bgp-peer-duplicate-on-create", "POST", "routers/$router/bgp_peers", R"({"asNumber":65000,"address":"192.0.2.1"})", 400, "address");
        row("bgp-peer-duplicate-on-put", "PUT", "bgp_peers/$peer2", R"({"asNumber":65000,"address":"192.0.2.1"})", 400, "address");
        row("bgp-peer-put-keeps-own-address", "PUT", "bgp_peers/$peer2", R"({"asNumber":65000,"address":"192.0.2.2","holdTime":90})", 204, "");
        row("tunnel-zone-name-taken", "POST", "tunnel_zones", R"({"name":"tz","type":"vxlan"})", 409, "name");
        row("tunnel-zone-rename-to-taken", "PUT", "tunnel_zones/$tz2", R"({"name":"tz","type":"vxlan"})", 409, "name");
        row("tunnel-zone-keeps-own-name", "PUT", "tunnel_zones/$tz2", R"({"name":"tz2","type":"gre"})", 204, "");
        row("mac-port-of-this-bridge", "POST", "bridges/$bridge/mac_table", R"({"macAddr":"aa:bb:cc:dd:ee:01","portId":"$bport"})", 201, "");
        row("mac-port-of-other-bridge", "POST", "bridges/$bridge/mac_table", R"({"macAddr":"aa:bb:cc:dd:ee:01","portId":"$bother"})", 400, "portId");
        row("mac-port-missing", "POST", "bridges/$bridge/mac_table", R"({"macAddr":"aa:bb:cc:dd:ee:01","portId":"$missing"})", 404, "portId");
        row("mac-vlan-of-the-port", "POST", "bridges/$bridge/vlans/10/mac_table", R"({"macAddr":"aa:bb:cc:dd:ee:01","portId":"$bvlan"})", 201, "");
        row("rule-at-the-head", "POST", "chains/$chain/rules", R"({"type":"drop","position":1})", 201, "");
        row("rule-position-negative", "POST", "chains/$chain/rules", R"({"type":"drop","position":-1})", 400, "position");
        row("rule-position-past-the-end", "POST", "chains/$chain/rules", R"({"type":"drop","position":2})", 400, "position");
        row("rule-jump-to-own-chain", "POST", "chains/$chain/rules", R"({"type":"jump","jumpChainId":"$chain"})", 400, "jumpChainId");
        row("rule-missing-in-port", "POST", "chains/$chain/rules", R"({"type":"drop","inPorts":["$bport","$missing"]})", 404, "inPorts[1]");
        row("rule-missing-port-group", "POST", "chains/$chain/rules", R"({"type":"drop","outPortGroup":"$missing"})", 404, "outPortGroup");
        row("port-put-keeps-type", "PUT", "ports/$bport", R"({"type":"Bridge","adminStateUp":false})", 204, "");
        row("port-put-changes-type", "PUT", "ports/$rport", R"({"type":"Bridge"})", 400, "type");
        row("lb-put-keeps-router-id", "PUT", "load_balancers/$lb", R"({"adminStateUp":false})", 204, "");
        row("lb-put-sets-router-id", "PUT", "load_balancers/$lb", R"({"routerId":"$router"})", 400, "routerId");
        row("lb-post-with-router-id", "POST", "load_balancers", R"({"routerId":"$router"})", 400, "routerId");
        row("router-takes-a-free-lb", "PUT", "routers/$router", R"({"name":"r0","tenantId":"tenant-a","loadBalancerId":"$lb"})", 204, "");
        row("router-takes-an-attached-lb", "PUT", "routers/$router", R"({"name":"r0","tenantId":"tenant-a","loadBalancerId":"$lb2"})", 409, "loadBalancerId");
        row("new-router-takes-an-attached-lb", "POST", "routers", R"({"name":"r9","tenantId":"tenant-a","loadBalancerId":"$lb2"})", 409, "loadBalancerId");
        row("vip-missing-pool", "POST", "vips", R"({"poolId":"$missing","address":"10.0.0.9","protocolPort":80})", 400, "poolId");
        row("mac-vlan-not-the-port's", "POST", "bridges/$bridge/vlans/20/mac_table", R"({"macAddr":"aa:bb:cc:dd:ee:01","portId":"$bvlan"})", 400, "vlanId");
    }
    void modelRulesAsTheApiAnswers()
    {
        QFETCH(std::string, method);
        QFETCH(std::string, path);
        QFETCH(std::string, body);
        QFETCH(int, status);
        QFETCH(std::string, property);
        ApiFixture api;
        auto ids = topology(api);
        secondDevices(api, ids);
        ids["bvlan"] = api.create("bridges/" + ids["bridge"] + "/ports", {{"type", "Bridge"}, {"vlanId", 10}})["id"];
        ids["peer1"] = api.create("routers/" + ids["router"] + "/bgp_peers", {{"asNumber", 65000}, {"address", "192.0.2.1"}})["id"];
        ids["peer2"] = api.create("routers/" + ids["router"] + "/bgp_peers", {{"asNumber", 65000}, {"address", "192.0.2.2"}})["id"];
        QCOMPARE(api.call("POST", "tunnel_zones", {{"name", "tz"}, {"type", "vxlan"}}).status, 201);
        ids["tz2"] = api.create("tunnel_zones", {{"name", "tz2"}, {"type", "vxlan"}})["id"];
        ids["lb"] = api.create("load_balancers", json::object())["id"];
        ids["lb2"] = api.create("load_balancers", json::object())["id"];
        QCOMPARE(api.call("PUT", "routers/" + ids["r1"], {{"name", "r1"}, {"tenantId", "tenant-a"}, {"loadBalancerId", ids["lb2"]}}).status, 204);
        ids["missing"] = midonet::util::Uuid::random().toString();
        auto expand = [&](std::string text) { // longest names first: no name is cut short
            std::vector<std::string> names;
            for (const auto &kv : ids) names.push_back(kv.first);
            std::sort(names.begin(), names.end(), [](auto &x, auto &y) { return x.size() > y.size(); });
            for (const auto &name : names)
                for (auto at = text.find("$" + name); at != std::string::npos; at = text.find("$" + name))
                    text.replace(at, name.size() + 1, ids[name]);
            return text;
        };
        auto r = api.call(method, expand(path), json::parse(expand(body)));
        QVERIFY2(r.status == status, (std::to_string(r.status) + " " + r.text).c_str());
        if (property.empty()) return;
        QVERIFY2(r.body.contains("violations"), r.text.c_str());
        QCOMPARE(q(r.body["violations"][0]["property"].get<std::string>()), q(property));
    }
    void routerPortPutMovesItsLocalRoute()
    {
        // The LOCAL /32 route follows the port's address: the old one goes, the new one comes.
        ApiFixture api;
        auto ids = topology(api);
        auto locals = [&] {
            std::set<std::string> out;
            for (const auto &r : api.call("GET", "routers/" + ids["router"] + "/routes", nullptr, vtc("Route-v1")).body)
                if (r["type"] == "Local") out.insert(r["dstNetworkAddr"].get<std::string>());
            return out;
        };
        QCOMPARE(locals(), std::set<std::string>{"10.0.0.1"});
        auto put = api.call("PUT", "ports/" + ids["rport"], {{"type", "Router"}, {"portSubnet", {"10.0.5.1/24"}}});
        QVERIFY2(put.status == 204, put.text.c_str());
        QCOMPARE(locals(), std::set<std::string>{"10.0.5.1"});
    }
    void unlinkOfAnUnlinkedPortWritesNothing()
    {
        ApiFixture api;
        auto ids = topology(api);
        auto before = api.call("GET", "ports/" + ids["bport"]).body;
        QCOMPARE(api.call("DELETE", "ports/" + ids["bport"] + "/link").status, 204);
        QCOMPARE(q(api.call("GET", "ports/" + ids["bport"]).body), q(before));
    }
    void deletingABridgeCascadesInOneWrite()
    {
        ApiFixture api;
        auto ids = topology(api);
        QCOMPARE(api.call("POST", "ports/" + ids["bport"] + "/link", {{"peerId", ids["rport"]}}).status, 201);
        auto pg = api.create("port_groups", {{"name", "g"}});
        QCOMPARE(api.call("POST", "port_groups/" + pg["id"].get<std::string>() + "/ports", {{"portId", ids["bport"]}}).status, 201);
        QCOMPARE(api.call("DELETE", "bridges/" + ids["bridge"]).status, 204);
        QCOMPARE(api.call("GET", "ports/" + ids["bport"]).status, 404);
        QVERIFY(api.call("GET", "ports/" + ids["rport"]).body["peerId"].is_null()); // no half link
        QCOMPARE(int(api.call("GET", "port_groups/" + pg["id"].get<std::string>() + "/ports").body.size()), 0);
        QCOMPARE(int(api.call("GET", "ports").body.size()), 1);
    }
    void deletingARouterTakesPortsAndRoutes()
    {
        ApiFixture api;
        auto ids = topology(api);
        auto route = api.call("POST", "routers/" + ids["router"] + "/routes",
                              {{"type", "Normal"}, {"srcNetworkAddr", "0.0.0.0"}, {"srcNetworkLength", 0}, {"dstNetworkAddr", "192.168.0.0"},
                               {"dstNetworkLength", 16}, {"nextHopPort", ids["rport"]}, {"weight", 100}}, vt("Route-v1"));
        QCOMPARE(route.status, 201);
        auto blackhole = api.call("POST", "routers/" + ids["router"] + "/routes",
                                  {{"type", "BlackHole"}, {"srcNetworkAddr", "0.0.0.0"}, {"dstNetworkAddr", "172.16.0.0"}, {"dstNetworkLength", 12}});
        QCOMPARE(blackhole.status, 201);
        QCOMPARE(int(api.call("GET", "routers/" + ids["router"] + "/routes").body.size()), 3);
        QCOMPARE(api.call("DELETE", "routers/" + ids["router"]).status, 204);
        QCOMPARE(api.call("GET", route.header("Location")).status, 404);
        QCOMPARE(api.call("GET", blackhole.header("Location")).status, 404);
        QCOMPARE(api.call("GET", "ports/" + ids["rport"]).status, 404);
        QCOMPARE(int(api.store->list("routes").size()), 0);
    }
    void normalRouteNeedsPortOfThisRouter()
    {
        ApiFixture api;
        auto ids = topology(api);
        auto r = api.call("POST", "routers/" + ids["router"] + "/routes",
                          {{"type", "Normal"}, {"srcNetworkAddr", "0.0.0.0"}, {"dstNetworkAddr", "1.0.0.0"}, {"dstNetworkLength", 8},
                           {"nextHopPort", ids["bport"]}});
        QCOMPARE(r.status, 400);
        QCOMPARE(q(r.body["violations"][0]["property"].get<std::string>()), QString("nextHopPort"));
    }
    void deletingAPortDropsItsRoutes()
    {
        ApiFixture api;
        auto ids = topology(api);
        QCOMPARE(api.call("DELETE", "ports/" + ids["rport"]).status, 204);
        QCOMPARE(int(api.call("GET", "routers/" + ids["router"] + "/routes").body.size()), 0);
    }
    // Rule conditions naming a deleted port, port group or IP address group are cleared in the
    // delete's own write: no rule is left matching on an object that no longer exists.
    void deletesClearRuleConditionsThatNameTheObject()
    {
        ApiFixture api;
        auto ids = topology(api);
        auto pg = api.create("port_groups", {{"name", "g"}})["id"].get<std::string>();
        auto ig = api.create("ip_addr_groups", {{"name", "ig"}}, vt("IpAddrGroup-v1"))["id"].get<std::string>();
        auto rule = api.call("POST", "chains/" + ids["chain"] + "/rules",
                             {{"type", "accept"}, {"inPorts", {ids["bport"]}}, {"portGroup", pg}, {"ipAddrGroupSrc", ig}});
        QCOMPARE(rule.status, 201);
        auto uri = rule.header("Location");
        QCOMPARE(q(api.call("GET", uri).body["inPorts"][0].get<std::string>()), q(ids["bport"]));
        QCOMPARE(api.call("DELETE", "ports/" + ids["bport"]).status, 204);
        QCOMPARE(int(api.call("GET", uri).body["inPorts"].size()), 0);
        QCOMPARE(api.call("DELETE", "port_groups/" + pg).status, 204);
        QVERIFY(api.call("GET", uri).body["portGroup"].is_null());
        QCOMPARE(api.call("DELETE", "ip_addr_groups/" + ig).status, 204);
        QVERIFY(api.call("GET", uri).body["ipAddrGroupSrc"].is_null());
        QCOMPARE(api.call("GET", uri).status, 200); // the rule itself stays
    }
    // Reads are memoised by stored text: an object re-created under the same id (same version 0)
    // by another writer is read anew, never served from the memo.
    void readsSeeAnObjectRecreatedWithTheSameVersion()
    {
        ApiFixture api;
        auto b = api.create("bridges", {{"name", "first"}});
        auto id = *midonet::util::Uuid::parse(b["id"].get<std::string>());
        QCOMPARE(q(api.call("GET", "bridges/" + id.toString()).body["name"].get<std::string>()), QString("first"));
        auto doc = json::parse(api.store->get("bridges", id).data);
        api.store->remove("bridges", id);
        doc["name"] = "second";
        QCOMPARE(api.store->create("bridges", id, doc.dump()), midonet::store::Version(0));
        QCOMPARE(q(api.call("GET", "bridges/" + id.toString()).body["name"].get<std::string>()), QString("second"));
        QCOMPARE(q(api.call("GET", "bridges").body[0]["name"].get<std::string>()), QString("second"));
    }
    // A bridge holding VXLAN ports (set by VTEP bindings, not by this API) is refused whole.
    void bridgeWithVxlanPortsIsNotDeleted()
    {
        ApiFixture api;
        auto ids = topology(api);
        auto o = api.store->get("bridges", *midonet::util::Uuid::parse(ids["bridge"]));
        auto doc = json::parse(o.data);
        doc["vxLanPortIds"] = json::array({midonet::util::Uuid::random().toString()});
        api.store->update("bridges", o.id, doc.dump(), o.version);
        QCOMPARE(api.call("DELETE", "bridges/" + ids["bridge"]).status, 409);
        QCOMPARE(api.call("GET", "bridges/" + ids["bridge"]).status, 200);
        QCOMPARE(api.call("GET", "ports/" + ids["bport"]).status, 200);
        QCOMPARE(api.call("POST", "bridges/" + ids["bridge"] + "/ports", {{"type", "Bridge"}}).status, 201); // fence lifted
    }
    void chainDeleteClearsFilters()
    {
        ApiFixture api;
        auto ids = topology(api);
        auto b = api.call("GET", "bridges/" + ids["bridge"]).body;
        b["inboundFilterId"] = ids["chain"];
        QCOMPARE(api.call("PUT", "bridges/" + ids["bridge"], b).status, 204);
        b = api.call("GET", "bridges/" + ids["bridge"]).body;
        QCOMPARE(q(b["inboundFilter"].get<std::string>()), q(kBase + "chains/" + ids["chain"]));
        QCOMPARE(api.call("DELETE", "chains/" + ids["chain"]).status, 204);
        QVERIFY(api.call("GET", "bridges/" + ids["bridge"]).body["inboundFilterId"].is_null());
    }

    // ---- rules and positions ----------------------------------------------------------------------
    void rulePositionsStayDense()
    {
        ApiFixture api;
        auto chain = api.create("chains", {{"name", "c"}})["id"].get<std::string>();
        auto rules = "chains/" + chain + "/rules";
        auto add = [&](const std::string &name, json pos) {
            json body{{"type", "accept"}, {"meterName", name}};
            if (!pos.is_null()) body["position"] = pos;
            auto r = api.call("POST", rules, body, vt("Rule-v2"));
            return r.status == 201 ? r.header("Location") : std::string("status " + std::to_string(r.status) + " " + r.text);
        };
        auto order = [&] {
            std::vector<std::string> names;
            int expected = 1;
            for (const auto &r : api.call("GET", rules, nullptr, vtc("Rule-v2")).body) {
                if (r["position"] != expected++) names.push_back("BAD-POSITION");
                names.push_back(r["meterName"]);
            }
            return names;
        };
        add("a", nullptr);        // [a]
        add("b", nullptr);        // head by default: [b a]
        add("c", 3);              // tail: [b a c]
        auto d = add("d", 2);     // [b d a c]
        add("e", 0);              // 0 = head: [e b d a c]
        QCOMPARE(order(), (std::vector<std::string>{"e", "b", "d", "a", "c"}));
        QCOMPARE(api.call("GET", d, nullptr, vt("Rule-v2")).body["position"].get<int>(), 3);
        QCOMPARE(q(api.call("GET", d).body["chainId"].get<std::string>()), q(chain));
        QCOMPARE(api.call("DELETE", d).status, 204);
        QCOMPARE(order(), (std::vector<std::string>{"e", "b", "a", "c"}));
        auto tooFar = api.call("POST", rules, {{"type", "drop"}, {"position", 6}});
        QCOMPARE(tooFar.status, 400);
        QCOMPARE(q(tooFar.body["violations"][0]["property"].get<std::string>()), QString("position"));
        QVERIFY(tooFar.text.find("Position exceeds number of rules in chain") != std::string::npos);
        QCOMPARE(api.call("PUT", d, {{"type", "drop"}}).status, 405);
    }
    void ruleValidationAndJumps()
    {
        ApiFixture api;
        auto c1 = api.create("chains", {{"name", "c1"}})["id"].get<std::string>();
        auto c2 = api.create("chains", {{"name", "c2"}})["id"].get<std::string>();
        auto r = api.call("POST", "chains/" + c1 + "/rules", {{"type", "continue"}});
        QCOMPARE(r.status, 400);
        QCOMPARE(q(r.body["violations"][0]["property"].get<std::string>()), QString("type"));
        auto nat = api.call("POST", "chains/" + c1 + "/rules", {{"type", "dnat"}, {"flowAction", "accept"}});
        QCOMPARE(nat.status, 400);
        auto jump = api.call("POST", "chains/" + c1 + "/rules", {{"type", "jump"}, {"jumpChainId", c2}, {"jumpChainName", "c2"}});
        QCOMPARE(jump.status, 201);
        QCOMPARE(api.call("DELETE", "chains/" + c2).status, 204);
        QCOMPARE(api.call("GET", jump.header("Location")).status, 404); // jump rules to a deleted chain go too
        QCOMPARE(int(api.call("GET", "chains/" + c1 + "/rules").body.size()), 0);
    }

    // ---- hosts, tunnel zones, bindings, groups, tables ------------------------------------------------
    void bindingNeedsTunnelZoneAndFreeInterface()
    {
        ApiFixture api;
        auto ids = topology(api);
        auto host = api.create("hosts", {{"name", "h"}})["id"].get<std::string>();
        auto bind = [&](const std::string &port, const std::string &ifname) {
            return api.call("POST", "hosts/" + host + "/ports", {{"portId", port}, {"interfaceName", ifname}}, vt("HostInterfacePort-v1"));
        };
        QCOMPARE(bind(ids["bport"], "veth0").status, 409); // host in no tunnel zone
        auto tz = api.call("POST", "tunnel_zones", {{"name", "tz"}, {"type", "vxlan"}}, vt("TunnelZone-v1")).header("Location");
        QCOMPARE(api.call("POST", tz + "/hosts", {{"hostId", host}, {"ipAddress", "192.0.2.1"}}, vt("TunnelZoneHost-v1")).status, 201);
        auto dupMember = api.call("POST", tz + "/hosts", {{"hostId", host}, {"ipAddress", "192.0.2.1"}}, vt("TunnelZoneHost-v1"));
        QCOMPARE(dupMember.status, 409);
        QVERIFY(dupMember.text.empty());
        auto b = bind(ids["bport"], "veth0");
        QCOMPARE(b.status, 201);
        QCOMPARE(q(b.header("Location")), q(kBase + "hosts/" + host + "/ports/" + ids["bport"]));
        auto port = api.call("GET", "ports/" + ids["bport"]).body;
        QCOMPARE(q(port["hostId"].get<std::string>()), q(host));
        QCOMPARE(q(port["interfaceName"].get<std::string>()), QString("veth0"));
        auto other = api.create("bridges/" + ids["bridge"] + "/ports", {{"type", "Bridge"}})["id"].get<std::string>();
        QCOMPARE(bind(other, "veth0").status, 409); // interface taken
        QCOMPARE(bind(ids["bport"], "veth1").status, 409); // port already bound
        QCOMPARE(api.call("GET", "hosts/" + host + "/ports", nullptr, "application/json", vtc("HostInterfacePort-v1")).body.size(), size_t(1));
        QCOMPARE(api.call("DELETE", "hosts/" + host).status, 403); // bound ports
        QCOMPARE(api.call("DELETE", "hosts/" + host + "/ports/" + ids["bport"]).status, 204);
        QVERIFY(api.call("GET", "ports/" + ids["bport"]).body["hostId"].is_null());
        QCOMPARE(api.call("DELETE", "hosts/" + host).status, 200);
        QCOMPARE(int(api.call("GET", tz + "/hosts", nullptr, "application/json", vtc("TunnelZoneHost-v1")).body.size()), 0);
    }
    void trunkBindingsShareAnInterfaceByVlan()
    {
        // L2 gateway: bridge ports with vlanIds 10 and 20 on one trunk interface; a second port
        // of VLAN 10 there is refused naming vlanId, an access port naming interfaceName.
        ApiFixture api;
        auto ids = topology(api);
        auto host = api.create("hosts", {{"name", "gw"}})["id"].get<std::string>();
        auto tz = api.call("POST", "tunnel_zones", {{"name", "tz"}, {"type", "vxlan"}}, vt("TunnelZone-v1")).header("Location");
        QCOMPARE(api.call("POST", tz + "/hosts", {{"hostId", host}, {"ipAddress", "192.0.2.1"}}, vt("TunnelZoneHost-v1")).status, 201);
        auto bind = [&](const std::string &port, const std::string &ifname) {
            return api.call("POST", "hosts/" + host + "/ports", {{"portId", port}, {"interfaceName", ifname}}, vt("HostInterfacePort-v1"));
        };
        auto vlanPort = [&](int vlan) {
            return api.create("bridges/" + ids["bridge"] + "/ports", {{"type", "Bridge"}, {"vlanId", vlan}})["id"].get<std::string>();
        };
        QCOMPARE(bind(vlanPort(10), "trunk0").status, 201);
        QCOMPARE(bind(vlanPort(20), "trunk0").status, 201);
        auto dup = bind(vlanPort(10), "trunk0");
        QCOMPARE(dup.status, 409);
        QCOMPARE(q(dup.body["violations"][0]["property"].get<std::string>()), QString("vlanId"));
        QVERIFY2(dup.body["message"].get<std::string>().find("VLAN 10 of interface trunk0") != std::string::npos,
                 dup.text.c_str());
        auto access = bind(ids["bport"], "trunk0");
        QCOMPARE(access.status, 409);
        QCOMPARE(q(access.body["violations"][0]["property"].get<std::string>()), QString("interfaceName"));
        QCOMPARE(api.call("GET", "hosts/" + host + "/ports", nullptr, "application/json", vtc("HostInterfacePort-v1")).body.size(), size_t(2));
    }
    void tunnelZoneNamesAreUnique()
    {
        ApiFixture api;
        auto media = vt("TunnelZone-v1");
        QCOMPARE(api.call("POST", "tunnel_zones", {{"name", "tz"}, {"type", "gre"}}, media).status, 201);
        QCOMPARE(api.call("POST", "tunnel_zones", {{"name", "tz"}, {"type", "vxlan"}}, media).status, 409);
    }
    void portGroupMembers()
    {
        ApiFixture api;
        auto ids = topology(api);
        auto pg = api.create("port_groups", {{"name", "g"}})["id"].get<std::string>();
        auto add = api.call("POST", "port_groups/" + pg + "/ports", {{"portId", ids["bport"]}}, vt("PortGroupPort-v1"));
        QCOMPARE(add.status, 201);
        QCOMPARE(q(add.header("Location")), q(kBase + "port_groups/" + pg + "/ports/" + ids["bport"]));
        QCOMPARE(api.call("POST", "port_groups/" + pg + "/ports", {{"portId", ids["bport"]}}).status, 409);
        QCOMPARE(int(api.call("GET", "port_groups?port_id=" + ids["bport"]).body.size()), 1);
        QCOMPARE(int(api.call("GET", "port_groups?port_id=" + ids["rport"]).body.size()), 0);
        auto mine = api.call("GET", "ports/" + ids["bport"] + "/port_groups", nullptr, "application/json", vtc("PortGroupPort-v1"));
        QCOMPARE(int(mine.body.size()), 1);
        QCOMPARE(api.call("DELETE", "port_groups/" + pg + "/ports/" + ids["bport"]).status, 204);
        QCOMPARE(api.call("DELETE", "port_groups/" + pg + "/ports/" + ids["bport"]).status, 404);
    }
    void ipAddrGroupAddresses()
    {
        ApiFixture api;
        auto g = api.call("POST", "ip_addr_groups", {{"name", "g"}}, vt("IpAddrGroup-v1")).header("Location");
        auto media = vt("IpAddrGroupAddr-v1");
        auto a = api.call("POST", g + "/ip_addrs", {{"addr", "10.0.0.5"}, {"version", 4}}, media);
        QCOMPARE(a.status, 201);
        QCOMPARE(q(a.header("Location")), q(g + "/versions/4/ip_addrs/10.0.0.5"));
        QCOMPARE(api.call("POST", g + "/ip_addrs", {{"addr", "10.0.0.5"}, {"version", 4}}, media).status, 409);
        auto bad = api.call("POST", g + "/ip_addrs", {{"addr", "10.0.0.500"}, {"version", 4}}, media);
        QCOMPARE(bad.status, 400);
        QCOMPARE(q(bad.body["violations"][0]["property"].get<std::string>()), QString("addr"));
        QCOMPARE(api.call("POST", g + "/ip_addrs", {{"addr", "fe80::1"}, {"version", 6}}, media).status, 201);
        QCOMPARE(int(api.call("GET", g + "/ip_addrs", nullptr, media, vtc("IpAddrGroupAddr-v1")).body.size()), 2);
        QCOMPARE(api.call("GET", g + "/versions/4/ip_addrs/10.0.0.5", nullptr, media, media).status, 200);
        QCOMPARE(api.call("GET", g + "/versions/5/ip_addrs/10.0.0.5", nullptr, media, media).status, 400);
        QCOMPARE(api.call("DELETE", g + "/versions/4/ip_addrs/10.0.0.5").status, 204);
        QCOMPARE(api.call("DELETE", g + "/versions/4/ip_addrs/10.0.0.5").status, 204); // idempotent
        QCOMPARE(api.call("GET", g + "/versions/4/ip_addrs/10.0.0.5", nullptr, media, media).status, 404);
    }
    void macAndArpTables()
    {
        ApiFixture api;
        auto ids = topology(api);
        auto bridge = "bridges/" + ids["bridge"];
        auto m = api.call("POST", bridge + "/mac_table", {{"macAddr", "aa:bb:cc:dd:ee:ff"}, {"portId", ids["bport"]}}, vt("MacPort-v2"));
        QCOMPARE(m.status, 201);
        QCOMPARE(q(m.header("Location")), q(kBase + bridge + "/mac_table/aa-bb-cc-dd-ee-ff_" + ids["bport"]));
        auto list = api.call("GET", bridge + "/mac_table", nullptr, "application/json", vtc("MacPort-v2"));
        QCOMPARE(int(list.body.size()), 1);
        QCOMPARE(q(list.body[0]["macAddr"].get<std::string>()), QString("aa:bb:cc:dd:ee:ff"));
        QCOMPARE(api.call("GET", m.header("Location"), nullptr, vt("MacPort-v2")).status, 200);
        QCOMPARE(api.call("POST", bridge + "/mac_table", {{"macAddr", "aa:bb:cc:dd:ee:01"}, {"portId", ids["rport"]}}).status, 400);
        QCOMPARE(api.call("DELETE", m.header("Location")).status, 204);
        QCOMPARE(int(api.call("GET", bridge + "/mac_table").body.size()), 0);
        auto arp = api.call("POST", bridge + "/arp_table", {{"ip", "10.0.0.9"}, {"mac", "aa:bb:cc:00:00:09"}}, vt("IP4Mac-v1"));
        QCOMPARE(arp.status, 201);
        QCOMPARE(api.call("POST", bridge + "/arp_table", {{"ip", "10.0.0.9"}, {"mac", "aa:bb:cc:00:00:09"}}, "application/json").status, 415);
        QCOMPARE(int(api.call("GET", bridge + "/arp_table").body.size()), 1);
        QCOMPARE(api.call("DELETE", arp.header("Location")).status, 204);
    }

    // ---- load balancing and traces ------------------------------------------------------------------
    void loadBalancerCascades()
    {
        ApiFixture api;
        auto lb = api.create("load_balancers", json::object())["id"].get<std::string>();
        auto hm = api.create("health_monitors", {{"type", "TCP"}, {"delay", 5}, {"timeout", 3}, {"maxRetries", 2}})["id"].get<std::string>();
        auto pool = api.call("POST", "load_balancers/" + lb + "/pools", {{"lbMethod", "ROUND_ROBIN"}, {"healthMonitorId", hm}}, vt("Pool-v1"));
        QCOMPARE(pool.status, 201);
        auto p = api.call("GET", pool.header("Location")).body;
        QCOMPARE(q(p["loadBalancerId"].get<std::string>()), q(lb));
        QCOMPARE(q(p["status"].get<std::string>()), QString("ACTIVE"));
        auto pid = p["id"].get<std::string>();
        auto member = api.call("POST", "pools/" + pid + "/pool_members", {{"address", "10.0.0.10"}, {"protocolPort", 80}}, vt("PoolMember-v1"));
        QCOMPARE(member.status, 201);
        auto vip = api.call("POST", "pools/" + pid + "/vips", {{"address", "192.0.2.10"}, {"protocolPort", 80}}, vt("VIP-v1"));
        QCOMPARE(vip.status, 201);
        QCOMPARE(q(api.call("GET", vip.header("Location")).body["loadBalancerId"].get<std::string>()), q(lb));
        QCOMPARE(int(api.call("GET", "load_balancers/" + lb + "/vips").body.size()), 1);
        QCOMPARE(api.call("POST", "load_balancers/" + lb + "/vips", {{"address", "192.0.2.11"}}).status, 405);
        QCOMPARE(int(api.call("GET", "pools?hm_id=" + hm).body.size()), 1);
        auto badPool = api.call("POST", "pools", {{"lbMethod", "ROUND_ROBIN"}});
        QCOMPARE(badPool.status, 400);
        QCOMPARE(q(badPool.body["violations"][0]["property"].get<std::string>()), QString("loadBalancerId"));
        // A router holding the LB blocks both deletes.
        auto r = api.create("routers", {{"name", "r"}, {"loadBalancerId", lb}});
        QVERIFY(r.is_object());
        QCOMPARE(api.call("DELETE", "load_balancers/" + lb).status, 409);
        QCOMPARE(api.call("DELETE", "routers/" + r["id"].get<std::string>()).status, 409);
        r["loadBalancerId"] = nullptr;
        QCOMPARE(api.call("PUT", "routers/" + r["id"].get<std::string>(), r).status, 204);
        QCOMPARE(api.call("DELETE", "health_monitors/" + hm).status, 204);
        QVERIFY(api.call("GET", "pools/" + pid).body["healthMonitorId"].is_null());
        QCOMPARE(api.call("DELETE", "load_balancers/" + lb).status, 204);
        QCOMPARE(api.call("GET", member.header("Location")).status, 404);
        QCOMPARE(api.call("GET", vip.header("Location")).status, 404);
        QCOMPARE(api.call("DELETE", vip.header("Location")).status, 204); // idempotent
    }
    void tracesFollowTheirDevice()
    {
        ApiFixture api;
        auto ids = topology(api);
        json cond = json::object();
        auto tr = api.call("POST", "traces", {{"name", "t"}, {"deviceType", "BRIDGE"}, {"deviceId", ids["bridge"]}, {"condition", cond}},
                           vt("TraceRequest-v1"));
        QCOMPARE(tr.status, 201);
        QCOMPARE(int(api.call("GET", "traces?tenant_id=tenant-a").body.size()), 1);
        api.token = api.bobToken;
        QCOMPARE(api.call("GET", tr.header("Location")).status, 404);
        QCOMPARE(int(api.call("GET", "traces").body.size()), 0);
        api.token = api.aliceToken;
        QCOMPARE(api.call("GET", tr.header("Location")).status, 200);
        QCOMPARE(api.call("DELETE", "bridges/" + ids["bridge"]).status, 204);
        QCOMPARE(api.call("GET", tr.header("Location")).status, 404); // the device took its trace
        auto missing = api.call("POST", "traces", {{"name", "t"}, {"deviceType", "ROUTER"}, {"deviceId", ids["bridge"]}, {"condition", cond}});
        QCOMPARE(missing.status, 404);
    }

    // ---- tenants ------------------------------------------------------------------------------------
    void tenantIsolation_data()
    {
        // Every resource type a tenant can own, created by alice; bob must not see it.
        QTest::addColumn<std::string>("kind");
        for (const char *k : {"bridge", "router", "chain", "port-group", "bridge-port", "router-port", "route", "rule", "bgp-peer",
                              "mac-table", "trace", "host", "tunnel-zone", "ip-addr-group", "load-balancer"})
            QTest::newRow(k) << std::string(k);
    }
    void tenantIsolation()
    {
        QFETCH(std::string, kind);
        ApiFixture api;
        // alice's topology (infrastructure kinds are created by the admin: tenants see none).
        api.token = api.aliceToken;
        auto b = api.create("bridges", {{"name", "ab"}});
        auto r = api.create("routers", {{"name", "ar"}});
        QVERIFY(b.is_object() && r.is_object());
        QCOMPARE(q(b["tenantId"].get<std::string>()), QString("tenant-a"));
        std::string item, list;
        auto bid = b["id"].get<std::string>(), rid = r["id"].get<std::string>();
        if (kind == "bridge") item = "bridges/" + bid, list = "bridges";
        else if (kind == "router") item = "routers/" + rid, list = "routers";
        else if (kind == "chain") item = "chains/" + api.create("chains", {{"name", "c"}})["id"].get<std::string>(), list = "chains";
        else if (kind == "port-group") item = "port_groups/" + api.create("port_groups", {{"name", "g"}})["id"].get<std::string>(), list = "port_groups";
        else if (kind == "bridge-port") item = "ports/" + api.create("bridges/" + bid + "/ports", {{"type", "Bridge"}})["id"].get<std::string>(), list = "ports";
        else if (kind == "router-port")
            item = "ports/" + api.create("routers/" + rid + "/ports", {{"type", "Router"}, {"portSubnet", {"10.1.0.1/24"}}})["id"].get<std::string>(), list = "ports";
        else if (kind == "route") {
            item = api.call("POST", "routers/" + rid + "/routes", {{"type", "BlackHole"}, {"srcNetworkAddr", "0.0.0.0"}, {"dstNetworkAddr", "9.0.0.0"}, {"dstNetworkLength", 8}})
                       .header("Location");
            list = "routers/" + rid + "/routes";
        } else if (kind == "rule") {
            auto c = api.create("chains", {{"name", "c"}})["id"].get<std::string>();
            item = api.call("POST", "chains/" + c + "/rules", {{"type", "drop"}}).header("Location");
            list = "chains/" + c + "/rules";
        } else if (kind == "bgp-peer") {
            item = api.call("POST", "routers/" + rid + "/bgp_peers", {{"asNumber", 65001}, {"address", "192.0.2.9"}}).header("Location");
            list = "routers/" + rid + "/bgp_peers";
        } else if (kind == "mac-table") {
            auto p = api.create("bridges/" + bid + "/ports", {{"type", "Bridge"}})["id"].get<std::string>();
            item = api.call("POST", "bridges/" + bid + "/mac_table", {{"macAddr", "02:00:00:00:00:01"}, {"portId", p}}).header("Location");
            list = "bridges/" + bid + "/mac_table";
        } else if (kind == "trace") {
            item = api.call("POST", "traces", {{"name", "t"}, {"deviceType", "ROUTER"}, {"deviceId", rid}, {"condition", json::object()}})
                       .header("Location");
            list = "traces";
        } else {
            api.token = api.adminToken;
            if (kind == "load-balancer") item = "load_balancers/" + api.create("load_balancers", json::object())["id"].get<std::string>(), list = "load_balancers";
            else
            if (kind == "host") item = "hosts/" + api.create("hosts", {{"name", "h"}})["id"].get<std::string>(), list = "hosts";
            else if (kind == "tunnel-zone")
                item = api.call("POST", "tunnel_zones", {{"name", "tz"}, {"type", "gre"}}, vt("TunnelZone-v1")).header("Location"), list = "tunnel_zones";
            else item = api.call("POST", "ip_addr_groups", {{"name", "g"}}, vt("IpAddrGroup-v1")).header("Location"), list = "ip_addr_groups";
        }
        QVERIFY2(!item.empty() && item.find("status") == std::string::npos, item.c_str());
        const bool infra = kind == "host" || kind == "tunnel-zone" || kind == "ip-addr-group" || kind == "load-balancer";
        auto accept = "*/*";
        // The owner (or the admin for infrastructure) sees it.
        api.token = infra ? api.adminToken : api.aliceToken;
        QCOMPARE(api.call("GET", item, nullptr, "application/json", accept).status, 200);
        // bob: never in his listings, 404 on the id, 404 on delete; nothing changed afterwards.
        api.token = api.bobToken;
        auto bobList = api.call("GET", list, nullptr, "application/json", accept);
        if (bobList.status == 200) {
            for (const auto &o : bobList.body) QVERIFY2(o.value("uri", "") != (item.rfind("http", 0) == 0 ? item : kBase + item), bobList.text.c_str());
            if (list == "bridges" || list == "routers" || list == "chains" || list == "port_groups" || list == "ports" || list == "traces" || infra)
                QCOMPARE(int(bobList.body.size()), 0);
        } else {
            QCOMPARE(bobList.status, 404); // the parent itself is alice's
        }
        QCOMPARE(api.call("GET", item, nullptr, "application/json", accept).status, 404);
        int del = api.call("DELETE", item).status;
        QVERIFY2(del == 404 || (infra && del == 403), std::to_string(del).c_str());
        api.token = infra ? api.adminToken : api.aliceToken;
        QCOMPARE(api.call("GET", item, nullptr, "application/json", accept).status, 200);
        // Filtering by another tenant id does not help bob either.
        api.token = api.bobToken;
        QCOMPARE(int(api.call("GET", "bridges?tenant_id=tenant-a").body.size()), 0);
    }
    void tenantCannotCreateForAnother()
    {
        ApiFixture api;
        api.token = api.bobToken;
        auto r = api.call("POST", "bridges", {{"name", "x"}, {"tenantId", "tenant-a"}});
        QCOMPARE(r.status, 400);
        QCOMPARE(q(r.body["violations"][0]["property"].get<std::string>()), QString("tenantId"));
        QCOMPARE(api.call("POST", "tunnel_zones", {{"name", "tz"}, {"type", "gre"}}, vt("TunnelZone-v1")).status, 403);
    }
    void tenantCannotLinkToAnothersPort()
    {
        ApiFixture api;
        api.token = api.aliceToken;
        auto ab = api.create("bridges", {{"name", "a"}})["id"].get<std::string>();
        auto ap = api.create("bridges/" + ab + "/ports", {{"type", "Bridge"}})["id"].get<std::string>();
        api.token = api.bobToken;
        auto br = api.create("routers", {{"name", "b"}})["id"].get<std::string>();
        auto bp = api.create("routers/" + br + "/ports", {{"type", "Router"}, {"portSubnet", {"10.9.0.1/24"}}})["id"].get<std::string>();
        QCOMPARE(api.call("POST", "ports/" + bp + "/link", {{"peerId", ap}}).status, 404);
    }
    void tenantsResource()
    {
        ApiFixture api;
        auto all = api.call("GET", "tenants", nullptr, "application/json", vtc("Tenant-v2"));
        QCOMPARE(all.status, 200);
        std::set<std::string> ids;
        for (const auto &t : all.body) ids.insert(t["id"]);
        QVERIFY(ids.count("tenant-a") && ids.count("tenant-b"));
        auto one = api.call("GET", "tenants/tenant-a", nullptr, "application/json", vt("Tenant-v2"));
        QCOMPARE(q(one.body["bridges"].get<std::string>()), q(kBase + "bridges?tenant_id=tenant-a"));
        api.token = api.bobToken;
        auto mine = api.call("GET", "tenants", nullptr, "application/json", vtc("Tenant-v2"));
        QCOMPARE(int(mine.body.size()), 1);
        QCOMPARE(api.call("GET", "tenants/tenant-a", nullptr, "application/json", vt("Tenant-v2")).status, 404);
        auto post = api.call("POST", "tenants", {{"id", "x"}});
        QCOMPARE(post.status, 405);
        QCOMPARE(post.body["code"].get<int>(), 405);
    }

    // ---- openapi ---------------------------------------------------------------------------------------
    void openApiDescribesEveryPathFromTheSchemas()
    {
        ApiFixture api;
        auto r = api.call("GET", "openapi.json", nullptr, "application/json");
        QCOMPARE(r.status, 200);
        const auto &paths = r.body["paths"];
        for (const char *p : {"/bridges", "/bridges/{id}", "/bridges/{id}/ports", "/routers/{id}/routes", "/chains/{id}/rules",
                              "/ports/{id}/link", "/hosts/{id}/ports", "/tunnel_zones/{id}/hosts", "/port_groups/{id}/ports",
                              "/ip_addr_groups/{id}/ip_addrs", "/bridges/{id}/mac_table", "/bridges/{id}/arp_table", "/tenants",
                              "/system_state", "/login", "/events"})
            QVERIFY2(paths.contains(p), p);
        QVERIFY(paths["/bridges"].contains("post"));
        QVERIFY(!paths["/chains/{id}"].contains("put"));
        const auto &bridge = r.body["components"]["schemas"]["Bridge"]["properties"];
        QCOMPARE(bridge["name"]["maxLength"].get<int>(), 255);
        QCOMPARE(bridge["vxLanPortIds"]["readOnly"].get<bool>(), true);
        const auto &rule = r.body["components"]["schemas"]["Rule"]["properties"];
        QVERIFY(rule["type"]["enum"].size() >= 11);
        QVERIFY(!r.body["components"]["schemas"]["Chain"]["properties"].contains("ruleIds")); // store-only
        // Every $ref names a component that is there (client generators stop at a dangling one),
        // the sub-resource types of bindings and memberships included.
        const auto &schemas = r.body["components"]["schemas"];
        std::function<void(const json &)> refs = [&](const json &j) {
            if (j.is_object())
                for (auto it = j.begin(); it != j.end(); ++it) {
                    if (it.key() == "$ref") {
                        auto name = it.value().get<std::string>().substr(std::string("#/components/schemas/").size());
                        QVERIFY2(schemas.contains(name), name.c_str());
                    }
                    refs(it.value());
                }
            else if (j.is_array())
                for (const auto &e : j) refs(e);
        };
        refs(r.body);
        for (const char *s : {"HostInterfacePort", "PortGroupPort", "TunnelZoneHost"}) QVERIFY2(schemas.contains(s), s);
    }
};

QTEST_GUILESS_MAIN(TstHandler)
#include "tst_handler.moc"
