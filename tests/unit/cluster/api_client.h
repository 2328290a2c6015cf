// Test helper: drives a Handler in-process (no sockets) the way a MidoNet client would, with a
// MemoryStore behind it and three users: admin, alice (tenant A) and bob (tenant B).
#pragma once

#include "cluster/auth.h"
#include "cluster/handler.h"
#include "common/store/memory_store.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <memory>
#include <string>

namespace midonet::cluster::test {

using nlohmann::json;

struct Reply {
    int status = 0;
    json body;         // parsed body, null when empty or not JSON
    std::string text;  // raw body
    Response raw;
    std::string header(const std::string &name) const { return raw.header(name).value_or(""); }
};

class ApiFixture {
public:
    explicit ApiFixture(AuthMode mode = AuthMode::Password)
    {
        store = std::make_shared<store::MemoryStore>();
        auto users = std::make_shared<UserDirectory>();
        users->add({"admin", Role::Admin, "admin", hashPassword("adminpw", true)});
        users->add({"alice", Role::Tenant, "tenant-a", hashPassword("alicepw", true)});
        users->add({"bob", Role::Tenant, "tenant-b", hashPassword("bobpw", true)});
        HandlerOptions o;
        o.auth = mode;
        o.clock = [this] { return now; };
        tokens = std::make_shared<TokenAuthority>("test-secret", std::chrono::seconds(600));
        handler = std::make_unique<Handler>(o, *store, users, tokens);
        if (mode == AuthMode::Password) {
            adminToken = login("admin", "adminpw");
            aliceToken = login("alice", "alicepw");
            bobToken = login("bob", "bobpw");
        }
        token = adminToken;
    }

    std::string login(const std::string &user, const std::string &pw)
    {
        Request r;
        r.method = "POST";
        r.target = "/midonet-api/login";
        r.headers["Authorization"] = "Basic " + base64(user + ":" + pw);
        r.headers["Host"] = "api.example:8181";
        auto resp = handler->handle(r);
        if (resp.status != 200) return {};
        return json::parse(resp.body).value("key", "");
    }

    static std::string base64(const std::string &in)
    {
        static const char *tbl = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        std::string out;
        int val = 0, bits = -6;
        for (unsigned char c : in) {
            val = (val << 8) + c;
            bits += 8;
            while (bits >= 0) {
                out.push_back(tbl[(val >> bits) & 0x3F]);
                bits -= 6;
            }
        }
        if (bits > -6) out.push_back(tbl[((val << 8) >> (bits + 8)) & 0x3F]);
        while (out.size() % 4) out.push_back('=');
        return out;
    }

    // path: relative to the API root ("bridges") or absolute URL ("http://api.example:8181/...").
    Reply call(const std::string &method, const std::string &path, const json &body = nullptr,
               const std::string &mediaType = "application/json", const std::string &accept = "")
    {
        Request r;
        r.method = method;
        const std::string origin = "http://api.example:8181";
        if (path.rfind("http://", 0) == 0) r.target = path.substr(origin.size());
        else r.target = "/midonet-api/" + path;
        r.headers["Host"] = "api.example:8181";
        if (!token.empty()) r.headers["X-Auth-Token"] = token;
        if (!body.is_null()) {
            r.body = body.dump();
            r.headers["Content-Type"] = mediaType;
        }
        r.headers["Accept"] = accept.empty() ? (method == "GET" ? mediaType : "*/*") : accept;
        Reply rep;
        rep.raw = handler->handle(r);
        rep.status = rep.raw.status;
        rep.text = rep.raw.body;
        if (!rep.text.empty()) rep.body = json::parse(rep.text, nullptr, false);
        if (rep.body.is_discarded()) rep.body = nullptr;
        return rep;
    }

    // POST then GET the Location: the object as the client sees it (null on failure).
    json create(const std::string &path, const json &body, const std::string &mediaType = "application/json")
    {
        auto r = call("POST", path, body, mediaType);
        if (r.status != 201) return nullptr;
        auto g = call("GET", r.header("Location"), nullptr, mediaType, "*/*");
        return g.status == 200 ? g.body : json(nullptr);
    }

    std::shared_ptr<store::MemoryStore> store;
    std::shared_ptr<TokenAuthority> tokens;
    std::unique_ptr<Handler> handler;
    std::chrono::system_clock::time_point now = std::chrono::system_clock::now();
    std::string adminToken, aliceToken, bobToken, token;
};

inline std::string vt(const std::string &name) { return "application/vnd.org.midonet." + name + "+json"; }
inline std::string vtc(const std::string &name) { return "application/vnd.org.midonet.collection." + name + "+json"; }

} // namespace midonet::cluster::test
