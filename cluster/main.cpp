// midonet-cluster: stateless REST API in front of the NSDB (DESIGN.md). Filled by issue 4.
#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include "common/util/logging.h"

int main(int argc, char **argv)
{
    CLI::App app{"midonet-cluster: stateless REST API of the MidoNet network virtualisation system"};
    std::string zookeeper = "127.0.0.1:2181", listen = "127.0.0.1:8181", store = "zookeeper";
    std::string logLevel = "info";
    app.add_option("--zookeeper", zookeeper, "ZooKeeper connect string")->capture_default_str();
    app.add_option("--listen", listen, "address:port to serve the REST API on")->capture_default_str();
    app.add_option("--store", store, "NSDB backend")
        ->check(CLI::IsMember({"memory", "zookeeper"}))
        ->capture_default_str();
    app.add_option("--log-level", logLevel, "trace|debug|info|warn|error")->capture_default_str();
    CLI11_PARSE(app, argc, argv);
    midonet::util::initLogging("midonet-cluster", logLevel);
    spdlog::error("midonet-cluster: the REST API is not implemented yet (issue 4)");
    return 1;
}
