// Test/benchmark helper: a tiny blocking HTTP/1.1 client (keep-alive, Content-Length bodies) and
// a read-only WebSocket client on plain POSIX sockets, so the tests talk to midonet-cluster over
// real TCP without pulling Beast into every test translation unit.
// Thread-safety: one client per thread.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>

namespace midonet::cluster::test {

inline int connectTo(uint16_t port)
{
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr *>(&a), sizeof a) != 0) {
        ::close(fd);
        throw std::runtime_error("connect to port " + std::to_string(port) + ": " + std::strerror(errno));
    }
    int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return fd;
}

struct HttpReply {
    int status = 0;
    std::map<std::string, std::string> headers; // lower-case names
    std::string body;
    std::string header(const std::string &lower) const
    {
        auto it = headers.find(lower);
        return it == headers.end() ? std::string() : it->second;
    }
};

class HttpClient {
public:
    explicit HttpClient(uint16_t port) : port_(port) {}
    ~HttpClient() { disconnect(); }
    HttpClient(const HttpClient &) = delete;
    HttpClient &operator=(const HttpClient &) = delete;

    std::string token;

    // `target` is a path ("/midonet-api/bridges") or an absolute URL on this server.
    HttpReply request(const std::string &method, std::string target, const std::string &body = {},
                      const std::string &contentType = "application/json", const std::string &extraHeaders = {})
    {
        if (target.rfind("http://", 0) == 0) target = target.substr(target.find('/', 7));
        std::string req = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port_) +
                          "\r\nAccept: */*\r\n";
        if (!token.empty()) req += "X-Auth-Token: " + token + "\r\n";
        if (!body.empty()) req += "Content-Type: " + contentType + "\r\n";
        req += "Content-Length: " + std::to_string(body.size()) + "\r\n" + extraHeaders + "\r\n" + body;
        for (int attempt = 0; attempt < 2; ++attempt) {
            if (fd_ < 0) fd_ = connectTo(port_);
            if (sendAll(req)) {
                if (auto r = readReply()) return *r;
            }
            disconnect(); // a keep-alive connection the server closed: reconnect once
        }
        throw std::runtime_error(method + " " + target + ": no reply");
    }

    void disconnect()
    {
        if (fd_ >= 0) ::close(fd_);
        fd_ = -1;
        buf_.clear();
    }

private:
    bool sendAll(const std::string &s)
    {
        size_t off = 0;
        while (off < s.size()) {
            auto n = ::send(fd_, s.data() + off, s.size() - off, MSG_NOSIGNAL);
            if (n <= 0) return false;
            off += size_t(n);
        }
        return true;
    }
    bool fill()
    {
        char tmp[65536];
        auto n = ::recv(fd_, tmp, sizeof tmp, 0);
        if (n <= 0) return false;
        buf_.append(tmp, size_t(n));
        return true;
    }
    std::optional<HttpReply> readReply()
    {
        size_t end;
        while ((end = buf_.find("\r\n\r\n")) == std::string::npos)
            if (!fill()) return std::nullopt;
        HttpReply r;
        std::string head = buf_.substr(0, end);
        buf_.erase(0, end + 4);
        auto lineEnd = head.find("\r\n");
        auto status = head.substr(0, lineEnd);
        r.status = std::stoi(status.substr(status.find(' ') + 1, 3));
        size_t pos = lineEnd == std::string::npos ? head.size() : lineEnd + 2;
        while (pos < head.size()) {
            auto e = head.find("\r\n", pos);
            if (e == std::string::npos) e = head.size();
            auto line = head.substr(pos, e - pos);
            auto colon = line.find(':');
            if (colon != std::string::npos) {
                std::string name = line.substr(0, colon);
                for (auto &c : name) c = char(std::tolower(static_cast<unsigned char>(c)));
                auto v = line.substr(colon + 1);
                while (!v.empty() && v.front() == ' ') v.erase(0, 1);
                r.headers[name] = v;
            }
            pos = e + 2;
        }
        size_t len = r.headers.count("content-length") ? std::stoul(r.headers["content-length"]) : 0;
        while (buf_.size() < len)
            if (!fill()) return std::nullopt;
        r.body = buf_.substr(0, len);
        buf_.erase(0, len);
        if (r.header("connection") == "close") disconnect();
        return r;
    }

    uint16_t port_;
    int fd_ = -1;
    std::string buf_;
};

// Reads text frames from a WebSocket (handshake, unmasked server frames; answers nothing).
class WsReader {
public:
    WsReader(uint16_t port, const std::string &target, const std::string &token = {})
    {
        fd_ = connectTo(port);
        std::string req = "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                          "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n";
        if (!token.empty()) req += "X-Auth-Token: " + token + "\r\n";
        req += "\r\n";
        ::send(fd_, req.data(), req.size(), MSG_NOSIGNAL);
        size_t end;
        while ((end = buf_.find("\r\n\r\n")) == std::string::npos)
            if (!fill(std::chrono::seconds(5))) throw std::runtime_error("websocket handshake: no answer");
        status = std::stoi(buf_.substr(9, 3));
        buf_.erase(0, end + 4);
    }
    ~WsReader() { ::close(fd_); }
    int status = 0;

    // Next text frame, or nullopt after `timeout` / on close.
    std::optional<std::string> next(std::chrono::milliseconds timeout = std::chrono::milliseconds(5000))
    {
        auto deadline = std::chrono::steady_clock::now() + timeout;
        for (;;) {
            if (buf_.size() >= 2) {
                uint8_t b0 = uint8_t(buf_[0]), b1 = uint8_t(buf_[1]);
                uint64_t len = b1 & 0x7f;
                size_t hdr = 2;
                if (len == 126 && buf_.size() >= 4) len = (uint8_t(buf_[2]) << 8) | uint8_t(buf_[3]), hdr = 4;
                else if (len == 127 && buf_.size() >= 10) {
                    len = 0;
                    for (int i = 0; i < 8; ++i) len = (len << 8) | uint8_t(buf_[2 + i]);
                    hdr = 10;
                }
                if ((b1 & 0x7f) < 126 || hdr > 2) {
                    if (buf_.size() >= hdr + len) {
                        std::string payload = buf_.substr(hdr, len);
                        buf_.erase(0, hdr + len);
                        int opcode = b0 & 0x0f;
                        if (opcode == 8) return std::nullopt;
                        if (opcode == 1 || opcode == 0) return payload;
                        continue; // ping/pong
                    }
                }
            }
            auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
            if (left.count() <= 0 || !fill(left)) return std::nullopt;
        }
    }

private:
    bool fill(std::chrono::milliseconds timeout)
    {
        pollfd p{fd_, POLLIN, 0};
        if (::poll(&p, 1, int(timeout.count())) <= 0) return false;
        char tmp[65536];
        auto n = ::recv(fd_, tmp, sizeof tmp, 0);
        if (n <= 0) return false;
        buf_.append(tmp, size_t(n));
        return true;
    }
    int fd_ = -1;
    std::string buf_;
};

} // namespace midonet::cluster::test
