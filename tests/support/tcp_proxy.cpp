#include "tests/support/tcp_proxy.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <vector>

namespace midonet::test {

namespace {

sockaddr_in loopback(unsigned short port)
{
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons(port);
    return a;
}

struct Pair {
    int client = -1, server = -1;
};

} // namespace

TcpProxy::TcpProxy(unsigned short targetPort) : target_(targetPort)
{
    listenFd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int one = 1;
    ::setsockopt(listenFd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    auto a = loopback(0);
    socklen_t len = sizeof a;
    if (listenFd_ < 0 || ::bind(listenFd_, reinterpret_cast<sockaddr *>(&a), sizeof a) != 0 ||
        ::listen(listenFd_, 64) != 0 || ::getsockname(listenFd_, reinterpret_cast<sockaddr *>(&a), &len) != 0)
        throw std::runtime_error(std::string("TcpProxy: cannot listen on loopback: ") + std::strerror(errno));
    port_ = ntohs(a.sin_port);
    if (::pipe2(wakeFd_, O_CLOEXEC | O_NONBLOCK) != 0)
        throw std::runtime_error(std::string("TcpProxy: pipe: ") + std::strerror(errno));
    thread_ = std::thread([this] { run(); });
}

TcpProxy::~TcpProxy()
{
    stopping_ = true;
    char c = 'x';
    (void)!::write(wakeFd_[1], &c, 1);
    thread_.join();
    ::close(listenFd_);
    ::close(wakeFd_[0]);
    ::close(wakeFd_[1]);
}

void TcpProxy::block()
{
    blocked_ = true;
    ++generation_;
    char c = 'b';
    (void)!::write(wakeFd_[1], &c, 1);
}

void TcpProxy::unblock() { blocked_ = false; }

void TcpProxy::run()
{
    std::vector<Pair> pairs;
    int seenGeneration = generation_;
    auto closePair = [](Pair &p) {
        ::close(p.client);
        ::close(p.server);
        p.client = p.server = -1;
    };
    while (!stopping_) {
        if (generation_ != seenGeneration) { // block(): cut everything now
            seenGeneration = generation_;
            for (auto &p : pairs)
                closePair(p);
            pairs.clear();
        }
        std::vector<pollfd> fds;
        fds.push_back({wakeFd_[0], POLLIN, 0});
        fds.push_back({listenFd_, POLLIN, 0});
        for (auto &p : pairs) {
            fds.push_back({p.client, POLLIN, 0});
            fds.push_back({p.server, POLLIN, 0});
        }
        const std::size_t polled = pairs.size(); // pairs accepted below wait for the next poll
        if (::poll(fds.data(), fds.size(), 200) < 0 && errno != EINTR)
            return;
        if (fds[0].revents) {
            char buf[64];
            while (::read(wakeFd_[0], buf, sizeof buf) > 0) {
            }
        }
        if (fds[1].revents & POLLIN) {
            int c = ::accept4(listenFd_, nullptr, nullptr, SOCK_CLOEXEC);
            if (c >= 0) {
                if (blocked_) {
                    ::close(c); // turned away, as if the network were down
                } else {
                    int s = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
                    auto a = loopback(target_);
                    if (s >= 0 && ::connect(s, reinterpret_cast<sockaddr *>(&a), sizeof a) == 0) {
                        pairs.push_back({c, s});
                    } else {
                        ::close(c);
                        if (s >= 0)
                            ::close(s);
                    }
                }
            }
        }
        for (std::size_t i = 0; i < polled; ++i) {
            auto &p = pairs[i];
            for (int dir = 0; dir < 2; ++dir) {
                short ev = fds[2 + 2 * i + dir].revents;
                if (!ev || p.client < 0)
                    continue;
                int from = dir == 0 ? p.client : p.server;
                int to = dir == 0 ? p.server : p.client;
                char buf[65536];
                ssize_t n = ::recv(from, buf, sizeof buf, 0);
                bool ok = n > 0;
                for (ssize_t off = 0; ok && off < n;) {
                    ssize_t w = ::send(to, buf + off, static_cast<std::size_t>(n - off), MSG_NOSIGNAL);
                    if (w <= 0)
                        ok = false;
                    else
                        off += w;
                }
                if (!ok || blocked_)
                    closePair(p);
            }
        }
        std::erase_if(pairs, [](const Pair &p) { return p.client < 0; });
    }
    for (auto &p : pairs)
        closePair(p);
}

} // namespace midonet::test
