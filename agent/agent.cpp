#include "agent/agent.h"

#include <spdlog/spdlog.h>

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <stdexcept>

namespace midonet::agent {

namespace {

constexpr const char *kTunnelPortName = "mnvxlan0";
constexpr uint64_t kAdoptGraceMs = 5'000;

std::string systemHostName()
{
    char buf[256] = {};
    ::gethostname(buf, sizeof buf - 1);
    return buf;
}

sockaddr_un unixAddress(const std::string &path)
{
    sockaddr_un sa{};
    sa.sun_family = AF_UNIX;
    if (path.size() >= sizeof sa.sun_path)
        throw std::runtime_error("status socket path too long: " + path);
    std::memcpy(sa.sun_path, path.c_str(), path.size() + 1);
    return sa;
}

} // namespace

Agent::Agent(store::Store &store, AgentConfig config) : store_(store), config_(std::move(config)) {}

Agent::~Agent() { stop(); }

void Agent::start()
{
    startedMs_ = dp::monotonicMs();
    hostId_ = config_.hostId ? *config_.hostId : loadOrCreateHostId(config_.stateDir);
    const std::string name = config_.hostName.empty() ? systemHostName() : config_.hostName;
    registrar_ = std::make_unique<HostRegistrar>(store_, hostId_, name);
    registrar_->registerHost();
    if (!config_.tunnelZone.empty()) {
        if (!config_.tunnelIp)
            throw std::runtime_error("--tunnel-zone needs --tunnel-ip: the address other hosts tunnel to");
        registrar_->joinTunnelZone(config_.tunnelZone, *config_.tunnelIp);
    }
    std::optional<util::IPv4Address> tunnelIp = config_.tunnelIp ? config_.tunnelIp : registrar_->tunnelAddress();
    if (!tunnelIp)
        spdlog::warn("this host is in no tunnel zone: it can reach only ports bound here until an "
                     "operator adds it to one (or start with --tunnel-zone and --tunnel-ip)");

    dp::DatapathOptions opts;
    opts.backend = config_.backend;
    opts.vxlanLocalIp = tunnelIp.value_or(util::IPv4Address{});
    try {
        dp_ = dp::createDatapath(config_.datapathName, opts);
    } catch (const dp::DatapathError &e) {
        if (e.errnum() != EEXIST) throw;
        // A kernel datapath left by the previous run: keep it and its flows (traffic goes on
        // while we restart); reconcile below instead of flushing.
        dp_ = dp::openDatapath(config_.datapathName, opts);
        spdlog::info("re-using existing datapath {}", config_.datapathName);
    }
    spdlog::info("datapath {} ({} backend)", config_.datapathName, dp::backendName(dp_->backend()));

    uint32_t tunnelPort = 0;
    try {
        tunnelPort = dp_->addPort(dp::PortSpec(kTunnelPortName, dp::PortType::Vxlan, config_.vxlanPort));
    } catch (const dp::DatapathError &e) {
        if (e.errnum() != EEXIST) throw;
        tunnelPort = dp_->portByName(kTunnelPortName).number;
    }
    ports_.setTunnelPort(tunnelPort);

    flows_ = std::make_unique<FlowTable>(*dp_);
    for (const auto &f : dp_->dumpFlows()) flows_->adopt(f.match, startedMs_, kAdoptGraceMs);

    LocalBindings local;
    local.localHost = hostId_;
    local.tunnelDpPort = tunnelPort;
    local.dpPortOf = [this](const util::Uuid &p) { return ports_.dpPortOf(p); };
    local.portActive = [this](const util::Uuid &p) { return !l2gw_ || l2gw_->portActive(p); };
    local.hostReachable = [this](const util::Uuid &h) { return !liveness_ || liveness_->hostReachable(h); };
    topology_ = std::make_unique<TopologyCache>(store_, local, [this](const std::vector<flow::FlowTag> &tags, bool all) {
        if (all) {
            flows_->clear();
            return;
        }
        size_t n = flows_->invalidate(tags);
        if (n) spdlog::debug("invalidated {} flows", n);
    });

    PacketHandler::Publish publish;
    publish.macLearned = [this](const sim::MacLearned &m) { tables_->publishMac(m); };
    publish.arpLearned = [this](const sim::ArpLearned &a) { tables_->publishArp(a); };
    publish.flowState = [this](util::IPv4Address to, const std::vector<sim::StateChange> &c) {
        if (flowState_) flowState_->send(to, c);
    };
    handler_ = std::make_unique<PacketHandler>(*dp_, *topology_, *flows_, ports_, publish, config_.stateTimers);
    tables_ = std::make_unique<StateTableSync>(store_, [this](const std::vector<sim::StateChange> &c) {
        handler_->applyRemoteState(c);
    });
    binder_ = std::make_unique<PortBinder>(*dp_, *topology_, ports_, *flows_, hostId_);
    L2Gateway::Hooks l2hooks;
    l2hooks.activityChanged = [this](const std::vector<flow::FlowTag> &tags) {
        topology_->localBindingsChanged();
        flows_->invalidate(tags);
    };
    // liveness_ is made below, before the binder thread (the only caller after this function)
    // starts; it stays until the agent is destroyed.
    l2hooks.unreachableSince = [this](const util::Uuid &h) -> std::optional<std::chrono::steady_clock::time_point> {
        if (!liveness_) return std::nullopt;
        return liveness_->unreachableSince(h);
    };
    l2gw_ = std::make_unique<L2Gateway>(store_, *topology_, ports_, *dp_, hostId_, l2hooks);
    topology_->start();

    flowState_ = std::make_unique<FlowStateExchange>(
        util::IPv4Address{}, config_.flowStatePort,
        [this](const std::vector<sim::StateChange> &changes, util::IPv4Address from) {
            spdlog::debug("{} flow state entries from {}", changes.size(), from.toString());
            handler_->applyRemoteState(changes);
        });

    binder_->reconcile();
    l2gw_->reconcile();
    if (config_.underlayLiveness)
        liveness_ = std::make_unique<UnderlayLiveness>(*topology_, hostId_, *config_.underlayLiveness,
                                                       [this](const std::vector<flow::FlowTag> &tags) {
                                                           // Stale snapshot first: a flow simulated
                                                           // on the old one is then not installed.
                                                           topology_->localBindingsChanged();
                                                           size_t n = flows_->invalidate(tags);
                                                           spdlog::info("underlay liveness: {} flows invalidated", n);
                                                       });
    gateways_ = std::make_unique<Gateways>(store_, *topology_, ports_, *dp_, *flows_, hostId_, config_.bgpBfd);
    handler_->setServicePorts(&gateways_->services());

    statusPath_ = (std::filesystem::path(config_.stateDir) / "agent.sock").string();
    std::filesystem::create_directories(config_.stateDir);
    ::unlink(statusPath_.c_str());
    statusFd_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    auto sa = unixAddress(statusPath_);
    if (statusFd_ < 0 || ::bind(statusFd_, reinterpret_cast<sockaddr *>(&sa), sizeof sa) < 0 ||
        ::listen(statusFd_, 8) < 0)
        throw std::runtime_error("status socket " + statusPath_ + ": " + std::strerror(errno));

    upcallThread_ = std::thread([this] { upcallLoop(); });
    binderThread_ = std::thread([this] { binderLoop(); });
    statusThread_ = std::thread([this] { statusLoop(); });
    gateways_->start();
    if (liveness_) liveness_->start();
    spdlog::info("agent running: host {}, tunnel {} on UDP {}, flow state on UDP {}, status {}",
                 hostId_.toString(), tunnelIp ? tunnelIp->toString() : "none", config_.vxlanPort,
                 flowState_->port(), statusPath_);
}

void Agent::stop()
{
    if (stop_.exchange(true)) return;
    if (gateways_) gateways_->stop(); // sessions closed with Cease, namespaces removed
    if (liveness_) liveness_->stop(); // AdminDown to every peer: a clean stop is no failure
    for (auto *t : {&upcallThread_, &binderThread_, &statusThread_})
        if (t->joinable()) t->join();
    if (statusFd_ >= 0) {
        ::close(statusFd_);
        ::unlink(statusPath_.c_str());
    }
    if (l2gw_) l2gw_->stop(); // hands active L2 gateway ports over at once
    flowState_.reset();
    tables_.reset();
    if (topology_) topology_->stop();
    // The datapath object goes; a kernel datapath and its flows stay so traffic survives an
    // agent restart. The userspace datapath lives in this process and stops with it.
    spdlog::info("agent stopped");
}

void Agent::upcallLoop()
{
    std::vector<dp::Upcall> batch;
    uint64_t lastExpiry = dp::monotonicMs(), windowStart = lastExpiry, windowCount = 0;
    while (!stop_) {
        batch.clear();
        size_t n = 0;
        try {
            n = dp_->pollUpcalls(batch, 64, std::chrono::milliseconds(100));
        } catch (const dp::DatapathError &e) {
            spdlog::error("upcall poll failed: {}", e.what());
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        for (size_t i = 0; i < n; ++i) {
            try {
                handler_->handle(batch[i]);
            } catch (const std::exception &e) {
                spdlog::error("upcall on port {} not handled: {}", batch[i].inPort, e.what());
            }
        }
        windowCount += n;
        const uint64_t now = dp::monotonicMs();
        if (now - windowStart >= 1000) {
            upcallsPerSecond_ = windowCount * 1000 / (now - windowStart);
            windowStart = now;
            windowCount = 0;
        }
        if (now - lastExpiry >= 1000) {
            flows_->expire(now, std::chrono::seconds(60));
            handler_->expireParked(now);
            auto gone = handler_->expireLearned(now);
            for (const auto &m : gone.macs) tables_->unpublishMac(m);
            for (const auto &a : gone.arps) tables_->unpublishArp(a);
            lastExpiry = now;
        }
    }
}

void Agent::reportConfigProblems()
{
    auto [now, gen] = topology_->configProblems();
    std::lock_guard lock(problemsMu_);
    if (gen == problemsGeneration_) return;
    problemsGeneration_ = gen;
    for (const auto &p : now)
        if (std::find(configProblems_.begin(), configProblems_.end(), p) == configProblems_.end())
            spdlog::warn("configuration problem: {} {}: {}", p.type, p.id.toString(), p.problem);
    for (const auto &p : configProblems_)
        if (std::find(now.begin(), now.end(), p) == now.end())
            spdlog::info("configuration problem gone: {} {}", p.type, p.id.toString());
    configProblems_ = std::move(now);
}

void Agent::binderLoop()
{
    uint64_t lastRefresh = dp::monotonicMs();
    while (!stop_) {
        try {
            topology_->refreshReach();
            reportConfigProblems();
            binder_->reconcile();
            l2gw_->reconcile();
            tables_->flush();
            auto [bridges, routers] = topology_->deviceIds();
            tables_->follow(bridges, routers);
            if (dp::monotonicMs() - lastRefresh > 10'000) {
                registrar_->refreshInterfaces();
                lastRefresh = dp::monotonicMs();
            }
        } catch (const std::exception &e) {
            spdlog::warn("binder: {}", e.what());
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
}

void Agent::statusLoop()
{
    while (!stop_) {
        pollfd p{statusFd_, POLLIN, 0};
        if (::poll(&p, 1, 200) <= 0) continue;
        int c = ::accept4(statusFd_, nullptr, nullptr, SOCK_CLOEXEC);
        if (c < 0) continue;
        std::string body;
        try {
            body = status().dump(2) + "\n";
        } catch (const std::exception &e) {
            body = std::string("{\"error\":\"") + e.what() + "\"}\n";
        }
        for (size_t off = 0; off < body.size();) {
            ssize_t w = ::write(c, body.data() + off, body.size() - off);
            if (w <= 0) break;
            off += size_t(w);
        }
        ::close(c);
    }
}

nlohmann::json Agent::status() const
{
    using nlohmann::json;
    json ports = json::array();
    for (const auto &p : ports_.all())
        ports.push_back({{"port", p.portId.toString()}, {"interface", p.interfaceName},
                         {"datapathPort", p.dpPort}, {"tunnelKey", p.tunnelKey}, {"vlanId", p.vlanId}});
    json problems = json::array();
    for (const auto &[id, why] : binder_->problems()) problems.push_back({{"port", id.toString()}, {"problem", why}});
    json config = json::array();
    {
        std::lock_guard lock(problemsMu_);
        for (const auto &p : configProblems_)
            config.push_back({{"type", p.type}, {"id", p.id.toString()}, {"problem", p.problem}});
    }
    const auto fs = flows_->stats();
    const auto ps = handler_->stats();
    const auto ds = dp_->stats();
    return {
        {"hostId", hostId_.toString()},
        {"uptimeSeconds", (dp::monotonicMs() - startedMs_) / 1000},
        {"datapath", {{"name", config_.datapathName}, {"backend", dp::backendName(dp_->backend())},
                      {"tunnelPort", ports_.tunnelPort()}, {"exactHit", ds.exactHit},
                      {"megaflowHit", ds.megaflowHit}, {"upcall", ds.upcall}, {"lost", ds.lost},
                      {"flows", ds.flows}, {"masks", ds.masks}}},
        {"ports", ports},
        {"bindingProblems", problems},
        {"configProblems", config},
        {"flows", {{"active", fs.size}, {"installed", fs.installed}, {"invalidated", fs.invalidated},
                   {"expired", fs.expired}, {"failed", fs.failed}, {"stale", fs.stale}}},
        {"packets", {{"upcalls", ps.upcalls}, {"upcallsPerSecond", upcallsPerSecond_.load()},
                     {"simulations", ps.simulations}, {"tunnelled", ps.tunnelled},
                     {"executed", ps.executed}, {"generated", ps.generated}, {"parked", ps.parked},
                     {"unknownPort", ps.unknownPort}, {"unknownVlan", ps.unknownVlan}, {"steered", ps.steered},
                     {"meanSimulationMicros", ps.simulations ? double(ps.simNanos) / ps.simulations / 1000.0 : 0.0}}},
        {"l2Gateway", l2gw_->status()},
        {"gateways", gateways_ ? gateways_->status() : json::array()},
        {"underlayLiveness", liveness_ ? liveness_->status() : json{{"enabled", false}}},
        {"flowState", {{"sent", flowState_ ? flowState_->sent() : 0},
                       {"received", flowState_ ? flowState_->received() : 0},
                       {"conntrackEntries", handler_->conntrackEntries()}}},
        {"stateTables", {{"macEntries", handler_->macEntries()}, {"arpEntries", handler_->arpEntries()}}},
        {"topologyLoaded", topology_->lazyLoaded()},
    };
}

nlohmann::json readAgentStatus(const std::string &stateDir)
{
    const std::string path = (std::filesystem::path(stateDir) / "agent.sock").string();
    int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    auto sa = unixAddress(path);
    if (fd < 0 || ::connect(fd, reinterpret_cast<sockaddr *>(&sa), sizeof sa) < 0) {
        int err = errno;
        if (fd >= 0) ::close(fd);
        throw std::runtime_error("no agent answers on " + path + ": " + std::strerror(err) +
                                 " (is midonet-agent running with --state-dir " + stateDir + "?)");
    }
    std::string body;
    char buf[4096];
    for (ssize_t n; (n = ::read(fd, buf, sizeof buf)) > 0;) body.append(buf, size_t(n));
    ::close(fd);
    return nlohmann::json::parse(body);
}

} // namespace midonet::agent
