// The whole midonet-cluster process as an object: store, auth, handler, change feed, journal and
// server, wired from ClusterOptions. main() parses flags into it; integration tests and the
// benchmark start several in one process on one NSDB.
//
// Thread-safety: construct, start() and stop() from one thread; port() from any after start().
#pragma once

#include "cluster/handler.h"
#include "cluster/server.h"

#include <chrono>
#include <memory>
#include <string>

namespace midonet::store {
class Store;
}

namespace midonet::cluster {

struct ClusterOptions {
    std::string listen = "127.0.0.1:8181";   // Default: 127.0.0.1:8181 (MidoNet's port)
    std::string store = "zookeeper";         // memory | zookeeper. Default: zookeeper
    std::string zookeeper = "127.0.0.1:2181"; // Default: 127.0.0.1:2181
    std::string zookeeperRoot = "/midonet/v1"; // Default: /midonet/v1
    std::string rootPath = "/midonet-api";   // Default: /midonet-api
    int threads = 4;                         // Default: 4
    std::string auth = "password";           // none | password. Default: password
    std::string usersFile;                   // Default: none
    std::string adminUser = "admin";         // Default: admin
    std::string adminPassword;               // Default: none (env MIDONET_ADMIN_PASSWORD)
    std::string adminTenant = "admin";       // Default: admin
    std::string tokenSecret;                 // Default: generated once, kept in the NSDB
    int tokenLifetime = 3600;                // seconds. Default: 3600
    size_t journalSize = 100000;             // events kept for resume. Default: 100000
    size_t bodyLimit = 1 << 20;              // bytes. Default: 1 MiB
    int readTimeout = 30;                    // seconds. Default: 30
    bool fastPasswordHash = false;           // tests: hash the default admin with minimum limits
};

class ClusterApp {
public:
    // Uses `store` when given (tests share one MemoryStore database between instances);
    // otherwise opens the store the options name. Throws on bad options or no NSDB.
    explicit ClusterApp(ClusterOptions options, std::shared_ptr<store::Store> store = nullptr);
    ~ClusterApp();
    void start();
    void stop();
    uint16_t port() const;
    const Handler &handler() const;
    store::Store &store();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// The shared token secret: the flag's value, or the one kept in the NSDB (created by the first
// instance that needs it, read by every other).
std::string sharedTokenSecret(store::Store &store, const std::string &configured);

} // namespace midonet::cluster
