#include "tests/interop/bgp/peers.h"

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace mnbgp {

std::string sh(const std::string &cmd, int *rc)
{
    std::string out;
    FILE *f = popen(("(" + cmd + ") 2>&1").c_str(), "r");
    if (!f) {
        if (rc) *rc = -1;
        return out;
    }
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) out.append(buf, n);
    int status = pclose(f);
    if (rc) *rc = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return out;
}

bool waitFor(const std::function<bool()> &ok, std::chrono::milliseconds timeout, std::chrono::milliseconds step)
{
    auto end = std::chrono::steady_clock::now() + timeout;
    while (true) {
        if (ok()) return true;
        if (std::chrono::steady_clock::now() >= end) return false;
        std::this_thread::sleep_for(step);
    }
}

std::string fill(const std::string &path, const std::map<std::string, std::string> &vars)
{
    std::ifstream in(path);
    if (!in) throw std::runtime_error("cannot read " + path);
    std::stringstream ss;
    ss << in.rdbuf();
    std::string t = ss.str();
    for (auto &[k, v] : vars) {
        std::string key = "@" + k + "@";
        for (size_t pos; (pos = t.find(key)) != std::string::npos;) t.replace(pos, key.size(), v);
    }
    return t;
}

void writeFile(const std::string &path, const std::string &text)
{
    std::ofstream(path) << text;
}

std::string missingPrerequisite()
{
    if (geteuid() != 0) return "needs root (network namespaces, veth, daemons as user frr)";
    for (const char *p : {"/usr/lib/frr/bgpd", "/usr/lib/frr/zebra", "/usr/bin/vtysh", "/usr/sbin/bird",
                          "/usr/sbin/birdc"})
        if (access(p, X_OK) != 0) return std::string(p) + " is not installed";
    int rc = 0;
    sh("ip netns list", &rc);
    if (rc != 0) return "iproute2 'ip netns' does not work here";
    return {};
}

Namespace::Namespace(const std::string &role) : name_("mnbgp-" + std::to_string(getpid()) + "-" + role)
{
    int rc = 0;
    auto out = sh("ip netns add " + name_, &rc);
    if (rc != 0) throw std::runtime_error("ip netns add " + name_ + ": " + out);
    // Fresh namespaces: addresses usable at once (no DAD wait), loopback up.
    exec("sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0 "
         "net.ipv6.conf.all.forwarding=0; ip link set lo up");
}

Namespace::~Namespace() { sh("ip netns del " + name_); }

std::string Namespace::exec(const std::string &cmd, int *rc) const
{
    return sh("ip netns exec " + name_ + " sh -c '" + cmd + "'", rc);
}

void Namespace::enter() const
{
    int fd = open(("/run/netns/" + name_).c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0 || setns(fd, CLONE_NEWNET) != 0) throw std::runtime_error("setns " + name_);
    close(fd);
}

void link(const Namespace &a, const std::string &ifA, const std::string &v4A, const std::string &v6A,
          const Namespace &b, const std::string &ifB, const std::string &v4B, const std::string &v6B)
{
    // Created inside namespace a, its peer end moved straight into b: the host never sees them.
    sh("ip -n " + a.name() + " link add " + ifA + " type veth peer name " + ifB + " netns " + b.name());
    for (auto [ns, ifn, v4, v6] : {std::tuple{&a, ifA, v4A, v6A}, std::tuple{&b, ifB, v4B, v6B}}) {
        sh("ip -n " + ns->name() + " addr add " + v4 + "/24 dev " + ifn);
        sh("ip -n " + ns->name() + " addr add " + v6 + "/64 dev " + ifn + " nodad");
        sh("ip -n " + ns->name() + " link set " + ifn + " up");
    }
}

TempDir::TempDir()
{
    char tmpl[] = "/tmp/mnbgp-XXXXXX";
    if (!mkdtemp(tmpl)) throw std::runtime_error("mkdtemp");
    path_ = tmpl;
    sh("chmod 755 " + path_ + " && chown frr:frr " + path_);
}

TempDir::~TempDir()
{
    if (!getenv("MNBGP_KEEP")) sh("rm -rf " + path_);
}

long pidFromFile(const std::string &path)
{
    std::ifstream in(path);
    long pid = 0;
    in >> pid;
    return pid;
}

long peakRssKbOf(long pid)
{
    if (pid <= 0) return 0;
    std::ifstream in("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind("VmHWM:", 0) == 0) return std::atol(line.c_str() + 6);
    return 0;
}

static void killPidFile(const std::string &path, int sig)
{
    long pid = pidFromFile(path);
    if (pid <= 0) return;
    ::kill(pid_t(pid), sig);
    waitFor([&] { return ::kill(pid_t(pid), 0) != 0; }, std::chrono::seconds(5));
    std::remove(path.c_str());
}

bool Frr::start(const std::string &conf)
{
    if (!zebra_) {
        writeFile(dir_ + "/zebra.conf", "hostname mnbgp-zebra\nlog file " + dir_ + "/zebra.log\n");
        sh("chown -R frr:frr " + dir_);
        // FRR always writes /var/tmp/frr: give it a private /var/tmp in its own mount namespace.
        ns_.exec("unshare -m sh -c \"mount -t tmpfs tmpfs /var/tmp && exec /usr/lib/frr/zebra -d -f " + dir_ +
                 "/zebra.conf -i " + dir_ + "/zebra.pid -z " + dir_ + "/zserv.api --vty_socket " + dir_ +
                 " -u frr -g frr\"");
        zebra_ = waitFor([&] { return access((dir_ + "/zserv.api").c_str(), F_OK) == 0; }, std::chrono::seconds(10));
        if (!zebra_) return false;
    }
    return startBgpd(conf);
}

bool Frr::startBgpd(const std::string &conf)
{
    writeFile(dir_ + "/bgpd.conf", conf);
    sh("chown -R frr:frr " + dir_);
    ns_.exec("unshare -m sh -c \"mount -t tmpfs tmpfs /var/tmp && exec /usr/lib/frr/bgpd -d -n -f " + dir_ +
             "/bgpd.conf -i " + dir_ + "/bgpd.pid -z " + dir_ + "/zserv.api --vty_socket " + dir_ +
             " -u frr -g frr\"");
    return waitFor([&] { return access((dir_ + "/bgpd.vty").c_str(), F_OK) == 0 && pidFromFile(dir_ + "/bgpd.pid") > 0; },
                   std::chrono::seconds(10));
}

void Frr::killBgpd(int signal)
{
    killPidFile(dir_ + "/bgpd.pid", signal);
    std::remove((dir_ + "/bgpd.vty").c_str());
}

void Frr::stop()
{
    killPidFile(dir_ + "/bgpd.pid", SIGTERM);
    killPidFile(dir_ + "/zebra.pid", SIGTERM);
    zebra_ = false;
}

std::string Frr::vtysh(const std::string &command) const
{
    std::string args;
    std::stringstream ss(command);
    for (std::string line; std::getline(ss, line);) args += " -c '" + line + "'";
    return sh("vtysh --vty_socket " + dir_ + args);
}

long Frr::bgpdPeakRssKb() const { return peakRssKbOf(pidFromFile(dir_ + "/bgpd.pid")); }

bool Bird::start(const std::string &conf)
{
    writeFile(dir_ + "/bird.conf", conf);
    int rc = 0;
    auto out = ns_.exec("bird -c " + dir_ + "/bird.conf -s " + dir_ + "/bird.ctl -P " + dir_ + "/bird.pid", &rc);
    if (rc != 0) {
        std::fprintf(stderr, "bird: %s\n", out.c_str());
        return false;
    }
    return waitFor([&] { return access((dir_ + "/bird.ctl").c_str(), F_OK) == 0; }, std::chrono::seconds(10));
}

void Bird::kill(int signal)
{
    killPidFile(dir_ + "/bird.pid", signal);
    std::remove((dir_ + "/bird.ctl").c_str());
}

void Bird::stop() { kill(SIGTERM); }

std::string Bird::birdc(const std::string &command) const
{
    return sh("birdc -s " + dir_ + "/bird.ctl " + command);
}

long Bird::peakRssKb() const { return peakRssKbOf(pidFromFile(dir_ + "/bird.pid")); }

} // namespace mnbgp
