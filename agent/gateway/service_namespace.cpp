#include "agent/gateway/service_namespace.h"

#include <spdlog/spdlog.h>

#include <fcntl.h>
#include <sched.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <vector>

extern char **environ;

namespace midonet::agent {

namespace {

// Runs argv without a shell; returns the exit status (-1 if it could not start).
int run(const std::vector<std::string> &args, bool quiet = false)
{
    std::vector<char *> argv;
    for (const auto &a : args) argv.push_back(const_cast<char *>(a.c_str()));
    argv.push_back(nullptr);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    if (quiet) {
        posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
        posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
    }
    pid_t pid = 0;
    int rc = posix_spawnp(&pid, argv[0], &fa, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&fa);
    if (rc != 0) return -1;
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

void must(const std::vector<std::string> &args)
{
    if (run(args) != 0) {
        std::string cmd;
        for (const auto &a : args) cmd += (cmd.empty() ? "" : " ") + a;
        throw std::runtime_error("service namespace: '" + cmd + "' failed");
    }
}

} // namespace

std::string ServiceNamespace::nameFor(const util::Uuid &port)
{
    return "mbgp-" + port.toString().substr(0, 8);
}

void ServiceNamespace::create(const std::string &name, util::MacAddress mac, util::IPv4Subnet address)
{
    destroy(name);
    must({"ip", "netns", "add", name});
    // No IPv6 inside: the virtual router is IPv4, and neighbour discovery sent before the
    // service port is registered would be dropped as coming from an unknown port.
    for (const char *k : {"net.ipv6.conf.all.disable_ipv6=1", "net.ipv6.conf.default.disable_ipv6=1"})
        run({"ip", "netns", "exec", name, "sysctl", "-q", "-w", k}, true);
    must({"ip", "link", "add", name, "type", "veth", "peer", "name", kInsideName, "netns", name});
    // No IPv6 on the outside end: its router solicitations would leave through the uplink.
    run({"sysctl", "-q", "-w", "net.ipv6.conf." + name + ".disable_ipv6=1"}, true);
    must({"ip", "link", "set", name, "up"});
    must({"ip", "-n", name, "link", "set", "lo", "up"});
    must({"ip", "-n", name, "link", "set", kInsideName, "address", mac.toString()});
    must({"ip", "-n", name, "addr", "add", address.toString(), "dev", kInsideName});
    run({"ip", "netns", "exec", name, "ethtool", "-K", kInsideName, "tx", "off"}, true);
}

void ServiceNamespace::up(const std::string &name)
{
    must({"ip", "-n", name, "link", "set", kInsideName, "up"});
    spdlog::info("service namespace {} up", name);
}

void ServiceNamespace::destroy(const std::string &name) noexcept
{
    run({"ip", "link", "del", name}, true);
    run({"ip", "netns", "del", name}, true);
}

void ServiceNamespace::enter(const std::string &name)
{
    const std::string path = "/run/netns/" + name;
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw std::runtime_error("cannot open " + path + ": " + std::strerror(errno));
    int rc = ::setns(fd, CLONE_NEWNET);
    int err = errno;
    ::close(fd);
    if (rc != 0) throw std::runtime_error("setns " + path + ": " + std::strerror(err));
}

} // namespace midonet::agent
