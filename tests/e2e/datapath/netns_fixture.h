// Network-namespace helpers for the datapath tests: named namespaces we create and always
// delete (prefix mndp-), veth pairs between them, running code on a thread that has entered a
// namespace (sockets opened there stay there), and small UDP helpers.
//
// Invariants: every namespace a Netns creates is deleted by its destructor; interfaces inside
// go with it. Nothing here touches the host's own namespace beyond creating and deleting ours.
//
// Thread-safety: Netns objects belong to the test thread; inNamespace() runs its function on a
// fresh thread, so the caller's namespace never changes except through EnterNetns.
#pragma once

#include <fcntl.h>
#include <netinet/in.h>
#include <sched.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>
#include <arpa/inet.h>

#include <cstdio>
#include <cstdlib>
#include <functional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace midonet::dp::test {

// The path of `prog` found through PATH, or `prog` itself. Why: a busybox shell (as in the
// kernel VM) runs its own applets before PATH, and busybox's `ip` knows no veth or netns.
inline std::string resolveTool(const std::string &prog)
{
    const char *path = std::getenv("PATH");
    std::string p = path ? path : "";
    for (size_t start = 0; start <= p.size();) {
        size_t end = p.find(':', start);
        if (end == std::string::npos)
            end = p.size();
        std::string cand = p.substr(start, end - start) + "/" + prog;
        if (end > start && access(cand.c_str(), X_OK) == 0)
            return cand;
        start = end + 1;
    }
    return prog;
}

// Runs a shell command; returns its exit status. Output goes to the test log. A leading "ip "
// runs iproute2's ip found through PATH.
inline int sh(std::string cmd)
{
    static const std::string ip = resolveTool("ip");
    if (cmd.rfind("ip ", 0) == 0)
        cmd = ip + cmd.substr(2);
    int rc = std::system(cmd.c_str());
    return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}
inline void shOrThrow(const std::string &cmd)
{
    if (int rc = sh(cmd); rc != 0)
        throw std::runtime_error("command failed (" + std::to_string(rc) + "): " + cmd);
}
inline std::string shOutput(const std::string &cmd)
{
    std::string out;
    if (FILE *p = popen(cmd.c_str(), "r")) {
        char buf[4096];
        size_t n;
        while ((n = fread(buf, 1, sizeof buf, p)) > 0)
            out.append(buf, n);
        pclose(p);
    }
    return out;
}

class Netns {
public:
    explicit Netns(std::string name) : name_(std::move(name))
    {
        sh("ip netns del " + name_ + " 2>/dev/null");
        shOrThrow("ip netns add " + name_);
        // Quiet namespaces: no IPv6 autoconfiguration chatter to show up as upcalls.
        exec("sh -c 'echo 1 > /proc/sys/net/ipv6/conf/all/disable_ipv6; "
             "echo 1 > /proc/sys/net/ipv6/conf/default/disable_ipv6' 2>/dev/null");
        exec("ip link set lo up");
    }
    ~Netns() { sh("ip netns del " + name_ + " 2>/dev/null"); }
    Netns(const Netns &) = delete;
    Netns &operator=(const Netns &) = delete;

    const std::string &name() const { return name_; }
    int exec(const std::string &cmd) const { return sh("ip netns exec " + name_ + " " + cmd); }
    void execOrThrow(const std::string &cmd) const
    {
        shOrThrow("ip netns exec " + name_ + " " + cmd);
    }
    int fd() const { return open(("/run/netns/" + name_).c_str(), O_RDONLY | O_CLOEXEC); }

private:
    std::string name_;
};

// Moves the calling thread into `ns` until destroyed.
class EnterNetns {
public:
    explicit EnterNetns(const Netns &ns)
    {
        self_ = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
        int fd = ns.fd();
        if (fd < 0 || setns(fd, CLONE_NEWNET) != 0) {
            if (fd >= 0)
                close(fd);
            throw std::runtime_error("setns into " + ns.name() + " failed");
        }
        close(fd);
    }
    ~EnterNetns()
    {
        setns(self_, CLONE_NEWNET);
        close(self_);
    }

private:
    int self_ = -1;
};

// veth pair: `a` in nsA, `b` in nsB, both up.
inline void vethPair(const Netns &nsA, const std::string &a, const Netns &nsB, const std::string &b)
{
    shOrThrow("ip link add " + a + " netns " + nsA.name() + " type veth peer name " + b +
              " netns " + nsB.name());
    nsA.execOrThrow("ip link set " + a + " up");
    nsB.execOrThrow("ip link set " + b + " up");
}

// Runs f on a new thread inside `ns` and waits for it.
template <typename F> auto inNamespace(const Netns &ns, F &&f)
{
    using R = decltype(f());
    if constexpr (std::is_void_v<R>) {
        std::thread t([&] {
            EnterNetns e(ns);
            f();
        });
        t.join();
    } else {
        R r{};
        std::thread t([&] {
            EnterNetns e(ns);
            r = f();
        });
        t.join();
        return r;
    }
}

inline sockaddr_in ipv4(const std::string &addr, uint16_t port)
{
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    sa.sin_port = htons(port);
    inet_pton(AF_INET, addr.c_str(), &sa.sin_addr);
    return sa;
}

// A UDP socket bound in `ns` (receive side); recv() waits up to timeoutMs.
class UdpSocket {
public:
    UdpSocket(const Netns &ns, uint16_t port)
    {
        fd_ = inNamespace(ns, [&] {
            int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
            sockaddr_in sa = ipv4("0.0.0.0", port);
            int buf = 8 << 20; // room for every datagram a test sends before reading
            setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &buf, sizeof buf);
            bind(fd, reinterpret_cast<sockaddr *>(&sa), sizeof sa);
            return fd;
        });
    }
    ~UdpSocket() { close(fd_); }
    int fd() const { return fd_; }
    // Returns the payload received, or "" on timeout.
    std::string recv(int timeoutMs)
    {
        timeval tv{timeoutMs / 1000, (timeoutMs % 1000) * 1000};
        setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        char buf[65536];
        ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
        return n > 0 ? std::string(buf, size_t(n)) : std::string();
    }
    int drain()
    {
        int n = 0;
        char buf[65536];
        while (::recv(fd_, buf, sizeof buf, MSG_DONTWAIT) > 0)
            ++n;
        return n;
    }
    void sendTo(const std::string &addr, uint16_t port, const std::string &payload)
    {
        sockaddr_in sa = ipv4(addr, port);
        sendto(fd_, payload.data(), payload.size(), 0, reinterpret_cast<sockaddr *>(&sa),
               sizeof sa);
    }

private:
    int fd_ = -1;
};

// Sends `bytes` over one TCP connection from `client` to `server`:`addr`:`port` and returns how
// many the server read before the client closed (or the deadline passed). Large writes give the
// datapath whole TSO segments to carry.
inline size_t tcpTransfer(const Netns &server, const std::string &addr, uint16_t port,
                          const Netns &client, size_t bytes, int timeoutMs = 10000)
{
    int lfd = inNamespace(server, [&] {
        int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        int one = 1;
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        sockaddr_in sa = ipv4("0.0.0.0", port);
        bind(fd, reinterpret_cast<sockaddr *>(&sa), sizeof sa);
        listen(fd, 1);
        return fd;
    });
    timeval tv{timeoutMs / 1000, (timeoutMs % 1000) * 1000};
    size_t got = 0;
    std::thread reader([&] {
        setsockopt(lfd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        int c = accept(lfd, nullptr, nullptr);
        if (c < 0)
            return;
        setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        std::vector<char> buf(1 << 16);
        ssize_t n;
        while ((n = ::recv(c, buf.data(), buf.size(), 0)) > 0)
            got += size_t(n);
        close(c);
    });
    inNamespace(client, [&] {
        int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
        sockaddr_in sa = ipv4(addr, port);
        if (connect(fd, reinterpret_cast<sockaddr *>(&sa), sizeof sa) == 0) {
            std::vector<char> buf(1 << 16, 'x');
            for (size_t sent = 0; sent < bytes;) {
                ssize_t n = ::send(fd, buf.data(), std::min(buf.size(), bytes - sent), MSG_NOSIGNAL);
                if (n <= 0)
                    break;
                sent += size_t(n);
            }
        }
        close(fd);
    });
    reader.join();
    close(lfd);
    return got;
}

} // namespace midonet::dp::test
