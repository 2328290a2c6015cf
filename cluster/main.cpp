// midonet-cluster: stateless REST API in front of the NSDB (DESIGN.md, issue 4).
#include "cluster/auth.h"
#include "cluster/cluster_app.h"
#include "common/util/logging.h"

#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include <csignal>
#include <cstdlib>
#include <iostream>

int main(int argc, char **argv)
{
    using namespace midonet::cluster;
    CLI::App app{"midonet-cluster: stateless REST API of the MidoNet network virtualisation system\n"
                 "(MidoNet 5.x compatible, on /midonet-api; WebSocket change stream on /midonet-api/events)"};
    ClusterOptions o;
    std::string logLevel = "info";
    bool hashOnly = false;
    if (const char *pw = std::getenv("MIDONET_ADMIN_PASSWORD")) o.adminPassword = pw;
    if (const char *sec = std::getenv("MIDONET_TOKEN_SECRET")) o.tokenSecret = sec;
    app.set_config("--config", "", "Read options from an INI/TOML file (keys are the long option names)");
    app.add_option("--listen", o.listen, "address:port to serve the REST API on")->capture_default_str();
    app.add_option("--store", o.store, "NSDB backend")->check(CLI::IsMember({"memory", "zookeeper"}))->capture_default_str();
    app.add_option("--zookeeper", o.zookeeper, "ZooKeeper connect string host:port[,host:port...]")->capture_default_str();
    app.add_option("--zookeeper-root", o.zookeeperRoot, "ZooKeeper path the NSDB lives under")->capture_default_str();
    app.add_option("--root-path", o.rootPath, "URL path of the API")->capture_default_str();
    app.add_option("--threads", o.threads, "I/O threads")->check(CLI::Range(1, 256))->capture_default_str();
    app.add_option("--auth", o.auth, "none: every request is admin (MidoNet's Mock provider); password: users + tokens")
        ->check(CLI::IsMember({"none", "password"}))->capture_default_str();
    app.add_option("--users", o.usersFile, "users file: '<name> <admin|tenant> <tenant|-> <crypto_pwhash_str hash>' per line");
    app.add_option("--admin-user", o.adminUser, "name of the default admin")->capture_default_str();
    app.add_option("--admin-password", o.adminPassword, "password of the default admin (or env MIDONET_ADMIN_PASSWORD)");
    app.add_option("--admin-tenant", o.adminTenant, "tenant of the default admin")->capture_default_str();
    app.add_option("--token-secret", o.tokenSecret, "shared HMAC secret for tokens (or env MIDONET_TOKEN_SECRET; default: kept in the NSDB)");
    app.add_option("--token-lifetime", o.tokenLifetime, "token lifetime in seconds")->check(CLI::Range(1, 86400 * 365))->capture_default_str();
    app.add_option("--journal-size", o.journalSize, "changes kept for /events resume")->capture_default_str();
    app.add_option("--body-limit", o.bodyLimit, "largest request body in bytes")->capture_default_str();
    app.add_option("--read-timeout", o.readTimeout, "seconds a connection may idle before a request")->capture_default_str();
    app.add_option("--log-level", logLevel, "trace|debug|info|warn|error (debug logs every request)")->capture_default_str();
    app.add_flag("--hash-password", hashOnly, "read a password from stdin, print its hash for a users file, exit");
    CLI11_PARSE(app, argc, argv);

    if (hashOnly) {
        std::string pw;
        std::getline(std::cin, pw);
        std::cout << hashPassword(pw) << "\n";
        return 0;
    }
    try {
        midonet::util::initLogging("midonet-cluster", logLevel);
        sigset_t signals;
        sigemptyset(&signals);
        sigaddset(&signals, SIGINT);
        sigaddset(&signals, SIGTERM);
        pthread_sigmask(SIG_BLOCK, &signals, nullptr); // threads started below inherit the mask
        ClusterApp cluster(o);
        cluster.start();
        int sig = 0;
        sigwait(&signals, &sig);
        spdlog::info("signal {}: stopping", sig);
        cluster.stop();
    } catch (const std::exception &e) {
        spdlog::error("midonet-cluster: {}", e.what());
        return 1;
    }
    return 0;
}
