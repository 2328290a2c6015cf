#include "tests/support/zookeeper_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace fs = std::filesystem;

namespace midonet::test {

namespace {

const char *const kZooKeeperJar = "/usr/share/java/zookeeper.jar";
const char *const kLoggerJar = "/usr/share/java/slf4j-simple.jar";

std::string findJava()
{
    if (const char *home = std::getenv("JAVA_HOME")) {
        auto p = fs::path(home) / "bin" / "java";
        if (::access(p.c_str(), X_OK) == 0)
            return p.string();
    }
    const char *path = std::getenv("PATH");
    std::stringstream ss(path ? path : "/usr/bin:/bin");
    std::string dir;
    while (std::getline(ss, dir, ':')) {
        auto p = fs::path(dir) / "java";
        if (!dir.empty() && ::access(p.c_str(), X_OK) == 0)
            return p.string();
    }
    return {};
}

// The jars of Debian's packages: zookeeper.jar names its dependencies in its manifest; we add a
// logger binding (and any jar the zookeeper package ships in /usr/share/zookeeper).
std::string classPath()
{
    std::string cp = kZooKeeperJar;
    if (fs::exists(kLoggerJar))
        cp += std::string(":") + kLoggerJar;
    std::error_code ec;
    for (auto &e : fs::directory_iterator("/usr/share/zookeeper", ec))
        if (e.path().extension() == ".jar")
            cp += ":" + e.path().string();
    return cp;
}

unsigned short freePort()
{
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = 0;
    socklen_t len = sizeof a;
    if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr *>(&a), sizeof a) != 0 ||
        ::getsockname(fd, reinterpret_cast<sockaddr *>(&a), &len) != 0) {
        if (fd >= 0)
            ::close(fd);
        throw std::runtime_error(std::string("no free loopback port: ") + std::strerror(errno));
    }
    ::close(fd);
    return ntohs(a.sin_port);
}

} // namespace

std::string zooKeeperUnavailableReason()
{
    if (findJava().empty())
        return "java not found (install a JRE, e.g. Debian's default-jre-headless)";
    if (!fs::exists(kZooKeeperJar))
        return std::string(kZooKeeperJar) + " missing (install Debian's zookeeper package)";
    return {};
}

std::string fourLetterWord(unsigned short port, const std::string &word, std::chrono::milliseconds timeout)
{
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return {};
    timeval tv{static_cast<time_t>(timeout.count() / 1000), static_cast<suseconds_t>((timeout.count() % 1000) * 1000)};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons(port);
    std::string out;
    if (::connect(fd, reinterpret_cast<sockaddr *>(&a), sizeof a) == 0 &&
        ::send(fd, word.data(), word.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(word.size())) {
        char buf[4096];
        ssize_t n;
        while ((n = ::recv(fd, buf, sizeof buf, 0)) > 0)
            out.append(buf, static_cast<std::size_t>(n));
    }
    ::close(fd);
    return out;
}

struct ZooKeeperEnsemble::Member {
    int myid = 0;
    unsigned short clientPort = 0, quorumPort = 0, electionPort = 0;
    std::string dir;
    pid_t pid = -1;
};

ZooKeeperEnsemble::ZooKeeperEnsemble(int members, std::chrono::milliseconds tick)
{
    if (auto why = zooKeeperUnavailableReason(); !why.empty())
        throw std::runtime_error(why);
    char tmpl[] = "/tmp/midonet-zk-XXXXXX";
    if (!::mkdtemp(tmpl))
        throw std::runtime_error(std::string("cannot create a temporary dir: ") + std::strerror(errno));
    dir_ = tmpl;
    for (int i = 0; i < members; ++i) {
        auto m = std::make_unique<Member>();
        m->myid = i + 1;
        m->clientPort = freePort();
        if (members > 1) {
            m->quorumPort = freePort();
            m->electionPort = freePort();
        }
        m->dir = dir_ + "/server" + std::to_string(m->myid);
        fs::create_directories(m->dir + "/data");
        members_.push_back(std::move(m));
    }
    for (auto &m : members_) {
        std::ofstream cfg(m->dir + "/zoo.cfg");
        cfg << "tickTime=" << tick.count() << "\n"
            << "initLimit=20\nsyncLimit=10\n"
            << "dataDir=" << m->dir << "/data\n"
            << "clientPort=" << m->clientPort << "\n"
            << "clientPortAddress=127.0.0.1\n"
            << "4lw.commands.whitelist=*\n"
            << "admin.enableServer=false\n"
            // Tests kill processes, not machines: the page cache keeps what was acknowledged.
            << "forceSync=no\n"
            << "maxClientCnxns=0\n";
        if (members > 1)
            for (auto &peer : members_)
                cfg << "server." << peer->myid << "=127.0.0.1:" << peer->quorumPort << ":" << peer->electionPort
                    << "\n";
        std::ofstream(m->dir + "/data/myid") << m->myid << "\n";
    }
    try {
        for (int i = 0; i < members; ++i)
            start(i);
        for (int i = 0; i < members; ++i)
            waitServing(i);
    } catch (...) {
        for (int i = 0; i < members; ++i)
            kill(i);
        throw;
    }
}

ZooKeeperEnsemble::~ZooKeeperEnsemble()
{
    for (int i = 0; i < size(); ++i)
        kill(i);
    std::error_code ec;
    if (!std::getenv("MIDONET_KEEP_ZK_DIRS"))
        fs::remove_all(dir_, ec);
}

void ZooKeeperEnsemble::start(int i)
{
    auto &m = *members_.at(i);
    if (m.pid > 0)
        return;
    std::string java = findJava();
    std::string cp = classPath();
    std::string cfg = m.dir + "/zoo.cfg";
    std::string log = m.dir + "/server.log";
    std::vector<std::string> args = {java,
                                     "-Xms32m",
                                     "-Xmx256m",
                                     "-XX:+UseSerialGC",
                                     "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                                     "-Dzookeeper.jmx.log4j.disable=true",
                                     "-cp",
                                     cp,
                                     "org.apache.zookeeper.server.quorum.QuorumPeerMain",
                                     cfg};
    // Everything the child needs is prepared here: between fork and exec in a threaded process
    // only async-signal-safe calls are allowed (no malloc).
    std::vector<char *> argv;
    for (auto &a : args)
        argv.push_back(const_cast<char *>(a.c_str()));
    argv.push_back(nullptr);
    pid_t parent = ::getpid();
    pid_t pid = ::fork();
    if (pid < 0)
        throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
    if (pid == 0) {
        // The JVM must not outlive a test that crashes or is killed by ctest's timeout.
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (::getppid() != parent)
            ::_exit(1);
        int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
        if (fd >= 0) {
            ::dup2(fd, 1);
            ::dup2(fd, 2);
            ::close(fd);
        }
        int devnull = ::open("/dev/null", O_RDONLY);
        if (devnull >= 0)
            ::dup2(devnull, 0);
        ::execv(argv[0], argv.data());
        ::_exit(127);
    }
    m.pid = pid;
}

void ZooKeeperEnsemble::kill(int i)
{
    auto &m = *members_.at(i);
    if (m.pid <= 0)
        return;
    ::kill(m.pid, SIGKILL);
    int status = 0;
    ::waitpid(m.pid, &status, 0);
    m.pid = -1;
}

void ZooKeeperEnsemble::restart(int i)
{
    kill(i);
    start(i);
    waitServing(i);
}

bool ZooKeeperEnsemble::running(int i) const { return members_.at(i)->pid > 0; }

int ZooKeeperEnsemble::size() const { return static_cast<int>(members_.size()); }

unsigned short ZooKeeperEnsemble::clientPort(int i) const { return members_.at(i)->clientPort; }

std::string ZooKeeperEnsemble::connectString() const
{
    std::string s;
    for (auto &m : members_)
        s += (s.empty() ? "" : ",") + std::string("127.0.0.1:") + std::to_string(m->clientPort);
    return s;
}

std::string ZooKeeperEnsemble::mode(int i) const
{
    if (!running(i))
        return {};
    auto answer = fourLetterWord(members_.at(i)->clientPort, "srvr", std::chrono::milliseconds(1000));
    auto pos = answer.find("Mode: ");
    if (pos == std::string::npos)
        return {};
    auto end = answer.find('\n', pos);
    return answer.substr(pos + 6, end == std::string::npos ? std::string::npos : end - pos - 6);
}

std::optional<int> ZooKeeperEnsemble::leader(std::chrono::milliseconds timeout) const
{
    auto deadline = std::chrono::steady_clock::now() + timeout;
    do {
        for (int i = 0; i < size(); ++i) {
            auto md = mode(i);
            if (md == "leader" || md == "standalone")
                return i;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    } while (std::chrono::steady_clock::now() < deadline);
    return std::nullopt;
}

void ZooKeeperEnsemble::waitServing(int i, std::chrono::milliseconds timeout) const
{
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        if (!mode(i).empty())
            return;
        int status = 0;
        if (members_.at(i)->pid > 0 && ::waitpid(members_.at(i)->pid, &status, WNOHANG) == members_.at(i)->pid) {
            const_cast<Member &>(*members_.at(i)).pid = -1;
            throw std::runtime_error("ZooKeeper server " + std::to_string(i + 1) + " exited at start-up:\n" +
                                     logTail(i));
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    throw std::runtime_error("ZooKeeper server " + std::to_string(i + 1) + " did not serve within " +
                             std::to_string(timeout.count()) + " ms:\n" + logTail(i));
}

std::string ZooKeeperEnsemble::logTail(int i, std::size_t bytes) const
{
    std::ifstream in(members_.at(i)->dir + "/server.log", std::ios::binary);
    std::string all((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    return all.size() > bytes ? all.substr(all.size() - bytes) : all;
}

} // namespace midonet::test
