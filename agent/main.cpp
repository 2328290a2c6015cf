// midonet-agent: runs on every hypervisor host; owns the host's datapath and simulates packets
// that miss the fast path (DESIGN.md, "The packet's way").
#include "agent/agent.h"
#include "common/store/zookeeper_store.h"
#include "common/util/logging.h"

#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <future>
#include <thread>
#include <iostream>

namespace midonet::agent {
const char *version();
}

namespace {

// How long a stop may take before the process leaves without finishing it (see main).
constexpr std::chrono::seconds kStopGrace{5};

void printStatus(const nlohmann::json &s)
{
    std::cout << "host       " << s["hostId"].get<std::string>() << "  (up "
              << s["uptimeSeconds"].get<uint64_t>() << " s)\n";
    const auto &d = s["datapath"];
    std::cout << "datapath   " << d["name"].get<std::string>() << " (" << d["backend"].get<std::string>()
              << "), tunnel port " << d["tunnelPort"] << "\n";
    std::cout << "fast path  exact hit " << d["exactHit"] << ", megaflow hit " << d["megaflowHit"]
              << ", upcalls " << d["upcall"] << ", lost " << d["lost"] << ", " << d["masks"] << " masks\n";
    const auto &p = s["packets"];
    std::cout << "upcalls    " << p["upcalls"] << " total, " << p["upcallsPerSecond"] << "/s, "
              << p["simulations"] << " simulations (mean " << p["meanSimulationMicros"].get<double>()
              << " us), " << p["tunnelled"] << " from tunnels\n";
    const auto &f = s["flows"];
    std::cout << "flows      " << f["active"] << " active, " << f["installed"] << " installed, "
              << f["invalidated"] << " invalidated, " << f["expired"] << " expired\n";
    const auto &fs = s["flowState"];
    std::cout << "flow state " << fs["sent"] << " sent, " << fs["received"] << " received, "
              << fs["conntrackEntries"] << " conntrack entries\n";
    if (s.contains("stateTables"))
        std::cout << "tables     " << s["stateTables"]["macEntries"] << " MAC entries, "
                  << s["stateTables"]["arpEntries"] << " ARP entries\n";
    if (s.contains("topologyLoaded")) {
        const auto &t = s["topologyLoaded"];
        std::cout << "topology   reachable from here: " << t["bridges"] << " bridges, " << t["routers"]
                  << " routers, " << t["chains"] << " chains, " << t["rules"] << " rules\n";
    }
    std::cout << "ports      " << s["ports"].size() << " bound here\n";
    for (const auto &pr : s.value("configProblems", nlohmann::json::array()))
        std::cout << "PROBLEM " << pr["type"].get<std::string>() << " " << pr["id"].get<std::string>() << "  "
                  << pr["problem"].get<std::string>() << "\n";
    for (const auto &pr : s.value("bindingProblems", nlohmann::json::array()))
        std::cout << "  PROBLEM " << pr["port"].get<std::string>() << "  " << pr["problem"].get<std::string>() << "\n";
    for (const auto &port : s["ports"])
        std::cout << "  " << port["port"].get<std::string>() << "  " << port["interface"].get<std::string>()
                  << "  dp " << port["datapathPort"] << "  key " << port["tunnelKey"]
                  << (port.value("vlanId", 0) ? "  vlan " + std::to_string(port["vlanId"].get<int>()) : "") << "\n";
    if (s.contains("l2Gateway") && !s["l2Gateway"]["groups"].empty()) {
        const auto &g = s["l2Gateway"];
        std::cout << "l2 gateway " << g["takeovers"] << " takeovers, " << g["announced"] << " MACs announced, "
                  << g["macsMoved"] << " MAC entries moved\n";
        for (const auto &grp : g["groups"])
            std::cout << "  bridge " << grp["bridge"].get<std::string>() << " vlan " << grp["vlanId"] << "  "
                      << grp["role"].get<std::string>() << "  active port "
                      << (grp["activePort"].get<std::string>().empty() ? "none" : grp["activePort"].get<std::string>())
                      << "\n";
    }
    if (s.contains("underlayLiveness")) {
        const auto &l = s["underlayLiveness"];
        if (!l.value("enabled", false)) {
            std::cout << "liveness   underlay BFD off" << (l.contains("problem") ? ": " + l["problem"].get<std::string>() : "")
                      << "\n";
        } else {
            std::cout << "liveness   underlay BFD (multi-hop) " << l["intervalMs"] << " ms x " << l["multiplier"] << " on UDP "
                      << l["port"] << ", " << l["sessions"].size() << " session(s), " << l["downEvents"]
                      << " host(s) lost so far\n";
            for (const auto &h : l["sessions"])
                std::cout << "  host " << h["host"].get<std::string>() << "  " << h["address"].get<std::string>() << "  "
                          << h["state"].get<std::string>() << " for " << h["sinceSeconds"] << " s  "
                          << (h["reachable"].get<bool>() ? (h["everUp"].get<bool>() ? "reachable" : "never up (no news)")
                                                         : "UNREACHABLE: its gateway ports are inactive here, its L2 VLANs taken over")
                          << "\n";
        }
    }
    const auto gateways = s.value("gateways", nlohmann::json::array());
    if (!gateways.empty()) std::cout << "gateways   " << gateways.size() << " L3 (BGP)\n";
    for (const auto &g : gateways) {
        if (g.contains("problem")) {
            std::cout << "  PROBLEM " << g["port"].get<std::string>() << "  " << g["problem"].get<std::string>() << "\n";
            continue;
        }
        std::cout << "  port " << g["port"].get<std::string>() << "  " << g["address"].get<std::string>() << "  AS "
                  << g["localAs"] << "  namespace " << g["namespace"].get<std::string>() << "  learned routes "
                  << g["learnedRoutes"] << "\n";
        for (const auto &p : g["peers"])
            std::cout << "    peer " << p["address"].get<std::string>() << " AS " << p["remoteAs"] << "  "
                      << p["sessionState"].get<std::string>() << "  up " << p["uptimeSeconds"] << " s  received "
                      << p["prefixesReceived"] << "  advertised " << p["prefixesAdvertised"] << "  BFD "
                      << p.value("bfdState", std::string("off"))
                      << (p["lastError"].get<std::string>().empty() ? "" : "  last error: " + p["lastError"].get<std::string>())
                      << "\n";
    }
}

} // namespace

int main(int argc, char **argv)
{
    CLI::App app{"midonet-agent: per-host agent of the MidoNet network virtualisation system.\n"
                 "Registers the host, binds virtual ports to local interfaces, simulates packets that\n"
                 "miss the fast path and installs flows; tunnels to other hosts over VXLAN."};
    std::string zookeeper = "127.0.0.1:2181", root = "/midonet/v1", datapath = "auto";
    std::string logLevel = "info", hostId, tunnelIp;
    midonet::agent::AgentConfig cfg;
    bool status = false;
    int sessionTimeoutMs = 10000;
    app.add_option("--zookeeper", zookeeper, "ZooKeeper connect string of the NSDB (host:port,...)")
        ->capture_default_str();
    app.add_option("--zookeeper-root", root, "NSDB root path")->capture_default_str();
    app.add_option("--zookeeper-session-timeout", sessionTimeoutMs,
                   "ZooKeeper session timeout in ms: how long after this agent dies other hosts see it gone\n"
                   "(its liveness, learned routes, gateway roles); the server clamps it to 2-20 ticks")
        ->check(CLI::Range(200, 120000))
        ->capture_default_str();
    app.add_option("--datapath", datapath, "datapath backend (auto: ovs where the kernel module is loaded)")
        ->check(CLI::IsMember({"auto", "ovs", "userspace"}))
        ->capture_default_str();
    app.add_option("--datapath-name", cfg.datapathName, "datapath name")->capture_default_str();
    app.add_option("--state-dir", cfg.stateDir, "host id file and status socket")->capture_default_str();
    app.add_option("--host-id", hostId, "use this host id instead of the one in the state dir");
    app.add_option("--host-name", cfg.hostName, "host name to register (default: the system's)");
    app.add_option("--tunnel-ip", tunnelIp, "underlay address other hosts tunnel to");
    int bfdIntervalMs = 0, bfdMultiplier = 3;
    app.add_option("--bgp-bfd-interval-ms", bfdIntervalMs,
                   "run BFD (RFC 5880) with every BGP peer of this host's L3 gateways, sending and expecting\n"
                   "a packet every N ms; a peer silent for N x --bgp-bfd-multiplier ms is down at once (0: off,\n"
                   "the BGP hold timer alone detects a dead peer)")
        ->check(CLI::Range(0, 60000))
        ->capture_default_str();
    app.add_option("--bgp-bfd-multiplier", bfdMultiplier, "BFD packets missed before the peer is down")
        ->check(CLI::Range(1, 255))
        ->capture_default_str();
    int livenessIntervalMs = 100, livenessMultiplier = 3, livenessPort = midonet::gateway::bfd::kMultihopControlPort,
        livenessMaxHops = 16;
    app.add_option("--underlay-bfd-interval-ms", livenessIntervalMs,
                   "run multi-hop BFD (RFC 5880/5883) over the underlay between this host and gateway hosts, L3\n"
                   "(BGP) and L2 (VLAN) (or, on a gateway host, every host of its tunnel zones): a packet every N ms;\n"
                   "a host silent for N x --underlay-bfd-multiplier ms after its session was up has its gateway ports\n"
                   "inactive here, so traffic leaves through the other gateways at once, and its L2 gateway VLANs\n"
                   "are taken over by a standby here (0: off, a dead gateway is seen when its ZooKeeper session\n"
                   "expires)")
        ->check(CLI::Range(0, 60000))
        ->capture_default_str();
    app.add_option("--underlay-bfd-multiplier", livenessMultiplier, "underlay BFD packets missed before a host is unreachable")
        ->check(CLI::Range(1, 255))
        ->capture_default_str();
    app.add_option("--underlay-bfd-port", livenessPort,
                   "UDP port of underlay BFD, the same on every host (RFC 5883 multi-hop: 4784; change it where\n"
                   "another BFD daemon owns 4784 on the host)")
        ->check(CLI::Range(1, 65535))
        ->capture_default_str();
    app.add_option("--underlay-bfd-max-hops", livenessMaxHops,
                   "routers allowed between two hosts on the underlay: BFD packets that crossed more (TTL below\n"
                   "255 - N) are dropped (0 would do on a flat underlay; a leaf-spine fabric needs 3)")
        ->check(CLI::Range(0, 254))
        ->capture_default_str();
    app.add_option("--tunnel-zone", cfg.tunnelZone, "join this tunnel zone (created if missing) with --tunnel-ip");
    app.add_option("--vxlan-port", cfg.vxlanPort, "UDP port of VXLAN tunnels")->capture_default_str();
    app.add_option("--flow-state-port", cfg.flowStatePort, "UDP port for flow state between agents")
        ->capture_default_str();
    app.add_option("--mac-expiry-ms", cfg.stateTimers.macExpiryMs,
                   "forget a MAC learned here this long after its last flow went")
        ->capture_default_str();
    app.add_option("--arp-stale-ms", cfg.stateTimers.arpStaleMs,
                   "re-ask for a next hop's MAC this long after learning it (still used meanwhile)")
        ->capture_default_str();
    app.add_option("--arp-expiry-ms", cfg.stateTimers.arpExpiryMs,
                   "forget a next hop's MAC this long after learning it unless answered again")
        ->capture_default_str();
    app.add_option("--log-level", logLevel, "trace|debug|info|warn|error")->capture_default_str();
    app.add_flag("--status", status, "print the status of the agent running with --state-dir and exit");
    app.set_version_flag("--version", midonet::agent::version());
    CLI11_PARSE(app, argc, argv);
    if (bfdIntervalMs > 0) {
        midonet::gateway::bfd::SessionConfig b;
        b.desiredMinTx = b.requiredMinRx = std::chrono::milliseconds(bfdIntervalMs);
        b.detectMult = uint8_t(bfdMultiplier);
        cfg.bgpBfd = b;
    }

    if (livenessIntervalMs > 0) {
        if (livenessIntervalMs < 10) {
            std::cerr << "midonet-agent: --underlay-bfd-interval-ms: " << livenessIntervalMs
                      << " is below 10 ms (0 turns it off)\n";
            return 2;
        }
        midonet::agent::UnderlayLivenessConfig l;
        l.interval = std::chrono::milliseconds(livenessIntervalMs);
        l.multiplier = uint8_t(livenessMultiplier);
        l.port = uint16_t(livenessPort);
        l.maxHops = uint8_t(livenessMaxHops);
        cfg.underlayLiveness = l;
    } else {
        cfg.underlayLiveness.reset();
    }

    if (status) {
        try {
            printStatus(midonet::agent::readAgentStatus(cfg.stateDir));
            return 0;
        } catch (const std::exception &e) {
            std::cerr << "midonet-agent: " << e.what() << "\n";
            return 1;
        }
    }

    midonet::util::initLogging("midonet-agent", logLevel);
    if (!hostId.empty()) {
        auto id = midonet::util::Uuid::parse(hostId);
        if (!id) {
            std::cerr << "midonet-agent: --host-id: '" << hostId << "' is not a UUID\n";
            return 2;
        }
        cfg.hostId = *id;
    }
    if (!tunnelIp.empty()) {
        auto ip = midonet::util::IPv4Address::parse(tunnelIp);
        if (!ip) {
            std::cerr << "midonet-agent: --tunnel-ip: '" << tunnelIp << "' is not an IPv4 address\n";
            return 2;
        }
        cfg.tunnelIp = *ip;
    }
    cfg.backend = datapath == "ovs" ? midonet::dp::Backend::Ovs
                  : datapath == "userspace" ? midonet::dp::Backend::Userspace
                                            : midonet::dp::Backend::Auto;

    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr); // every thread started below inherits this

    // One thread takes SIGINT/SIGTERM for the whole process. The first signal asks for a clean
    // stop and arms a deadline: stopping waits on nothing but our own threads, except that store
    // calls in flight may wait for an NSDB that is gone (up to connect + session timeout each).
    // An operator's stop must not hang on that, so past the deadline (or on a second signal) the
    // process leaves at once; ZooKeeper then expires our session and the ephemerals with it.
    std::promise<int> stopRequested;
    std::thread([&signals, &stopRequested] {
        int sig = 0;
        sigwait(&signals, &sig);
        stopRequested.set_value(sig);
        const auto deadline = std::chrono::steady_clock::now() + kStopGrace;
        timespec step{0, 100 * 1000 * 1000};
        while (std::chrono::steady_clock::now() < deadline) {
            siginfo_t info;
            if (sigtimedwait(&signals, &info, &step) > 0) {
                spdlog::warn("signal {} again: leaving without a clean stop", info.si_signo);
                spdlog::default_logger()->flush();
                std::_Exit(0);
            }
        }
        spdlog::error("stop did not finish within {} s (NSDB unreachable?): leaving without a clean stop",
                      std::chrono::duration_cast<std::chrono::seconds>(kStopGrace).count());
        spdlog::default_logger()->flush();
        std::_Exit(0);
    }).detach();
    auto stopSignal = stopRequested.get_future();

    try {
        spdlog::info("midonet-agent {} connecting to ZooKeeper {}", midonet::agent::version(), zookeeper);
        midonet::store::ZooKeeperStore::Options zo;
        zo.servers = zookeeper;
        zo.root = root;
        zo.sessionTimeout = std::chrono::milliseconds(sessionTimeoutMs);
        midonet::store::ZooKeeperStore store(zo);
        // The NSDB may blink while the agent starts (a session lost on a loaded machine): start
        // again after a pause instead of giving up; other errors (datapath, sockets) end it.
        for (int attempt = 1;; ++attempt) {
            midonet::agent::Agent agent(store, cfg);
            if (stopSignal.wait_for(std::chrono::seconds(0)) == std::future_status::ready) {
                spdlog::info("signal {} while starting: not starting", stopSignal.get());
                return 0;
            }
            try {
                agent.start();
            } catch (const midonet::store::StoreError &e) {
                const auto c = e.errc();
                if (c != midonet::store::StoreErrc::connection_loss && c != midonet::store::StoreErrc::session_expired)
                    throw;
                const auto pause = std::chrono::milliseconds(std::min(500 * attempt, 5000));
                spdlog::warn("start interrupted by the NSDB ({}); starting again in {} ms", e.what(), pause.count());
                agent.stop();
                if (stopSignal.wait_for(pause) == std::future_status::ready) return 0;
                continue;
            }
            spdlog::info("signal {}: stopping", stopSignal.get());
            agent.stop();
            break;
        }
    } catch (const std::exception &e) {
        spdlog::critical("{}", e.what());
        return 1;
    }
    return 0;
}
