// A loopback TCP forwarder that a test can cut: clients connect to port(), bytes go to and from
// the target port untouched; block() drops every connection and turns new ones away until
// unblock(). It lets a test take a ZooKeeper client off the network (to expire its session
// deterministically, or to see it reconnect) without touching the server.
//
// Invariants: while blocked no byte moves in either direction; unblocking does not restore old
// connections (clients must reconnect, as after a real network cut).
//
// Thread-safety: block()/unblock()/port() from any thread; one internal thread does the I/O.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <thread>

namespace midonet::test {

class TcpProxy {
public:
    explicit TcpProxy(unsigned short targetPort);
    ~TcpProxy();
    TcpProxy(const TcpProxy &) = delete;
    TcpProxy &operator=(const TcpProxy &) = delete;

    unsigned short port() const { return port_; }
    std::string address() const { return "127.0.0.1:" + std::to_string(port_); }
    void block();
    void unblock();

private:
    void run();

    unsigned short target_;
    unsigned short port_ = 0;
    int listenFd_ = -1;
    int wakeFd_[2] = {-1, -1};
    std::atomic<bool> blocked_{false};
    std::atomic<bool> stopping_{false};
    std::atomic<int> generation_{0};
    std::thread thread_;
};

} // namespace midonet::test
