// midonet-agent: runs on every hypervisor host; owns the host's datapath and simulates packets
// that miss the fast path (DESIGN.md, "The packet's way").
#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include "common/util/logging.h"

namespace midonet::agent {
const char *version();
}

int main(int argc, char **argv)
{
    CLI::App app{"midonet-agent: per-host agent of the MidoNet network virtualisation system"};
    std::string zookeeper = "127.0.0.1:2181";
    std::string datapath = "auto";
    std::string logLevel = "info";
    app.add_option("--zookeeper", zookeeper, "ZooKeeper connect string (host:port,...)")
        ->capture_default_str();
    app.add_option("--datapath", datapath, "datapath backend")
        ->check(CLI::IsMember({"auto", "ovs", "userspace"}))
        ->capture_default_str();
    app.add_option("--log-level", logLevel, "trace|debug|info|warn|error")->capture_default_str();
    app.set_version_flag("--version", midonet::agent::version());
    CLI11_PARSE(app, argc, argv);

    midonet::util::initLogging("midonet-agent", logLevel);
    spdlog::error("midonet-agent {}: the agent daemon is not implemented yet (issue 7); "
                  "nothing to run", midonet::agent::version());
    return 1;
}
