// The network side of midonet-cluster: an HTTP/1.1 listener on Boost.Beast whose sessions hand
// every request to the pure Handler (handler.h), plus the `/midonet-api/events` WebSocket stream
// fed by the EventJournal. Beast stays inside server.cpp so no other translation unit pays for it.
//
// Session rules (STYLE.md habit 14): each connection runs on its own strand; a timeout is armed
// before every read (idle keep-alive connections close after `readTimeout`); the request body is
// capped at `bodyLimit` (413 and close beyond it) and headers at 16 KiB; at most `pipelineLimit`
// responses wait for writing before the session stops reading (HTTP/1.1 pipelining keeps its
// order). A WebSocket subscriber whose outgoing queue exceeds `wsQueueLimit` messages is
// disconnected; it resumes from its last version on reconnect, so nothing is lost.
//
// Thread-safety: start() and stop() from one controlling thread; port() from any thread after
// start(). The Handler and EventJournal must outlive the Server.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

namespace midonet::cluster {

class Handler;
class EventJournal;

struct ServerOptions {
    std::string address = "127.0.0.1";
    uint16_t port = 8181; // 0: any free port (tests); port() tells which
    int threads = 4;
    size_t bodyLimit = 1 << 20;
    std::chrono::seconds readTimeout{30};
    size_t pipelineLimit = 16;
    size_t wsQueueLimit = 10000;
};

class Server {
public:
    Server(ServerOptions options, const Handler &handler, EventJournal &journal);
    ~Server();
    Server(const Server &) = delete;
    Server &operator=(const Server &) = delete;

    // Binds, listens and starts the I/O threads. Throws std::system_error when it cannot bind.
    void start();
    // Stops accepting, closes every session and joins the threads. Idempotent.
    void stop();
    uint16_t port() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// "host:port" or "[v6]:port" or ":port" → address and port; throws std::invalid_argument.
std::pair<std::string, uint16_t> parseListenAddress(const std::string &text);

} // namespace midonet::cluster
