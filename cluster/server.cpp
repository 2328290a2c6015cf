// Beast sessions; see server.h for the rules they follow.
#include "cluster/server.h"

#include "cluster/event_journal.h"
#include "cluster/events.h"
#include "cluster/media_type.h"
#include "cluster/handler.h"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <spdlog/spdlog.h>

#include <deque>
#include <thread>
#include <vector>

namespace midonet::cluster {

namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace {

std::string originOf(const tcp::socket &s)
{
    boost::system::error_code ec;
    auto ep = s.local_endpoint(ec);
    if (ec) return "http://localhost";
    auto addr = ep.address();
    std::string host = addr.is_v6() ? "[" + addr.to_string() + "]" : addr.to_string();
    return "http://" + host + ":" + std::to_string(ep.port());
}

// Copies the request line and headers; the body is moved out when the caller is done with `req`.
Request toRequest(http::request<http::string_body> &req, const std::string &origin, bool takeBody = false)
{
    Request r;
    r.method = std::string(req.method_string());
    r.target = std::string(req.target());
    for (const auto &f : req) {
        auto [it, fresh] = r.headers.emplace(std::string(f.name_string()), std::string(f.value()));
        if (!fresh) it->second += ", " + std::string(f.value());
    }
    r.body = takeBody ? std::move(req.body()) : req.body();
    r.localOrigin = origin;
    return r;
}

using HttpResponse = http::response<http::string_body>;

// Takes the body over (no copy of what the handler rendered).
std::shared_ptr<HttpResponse> toBeast(Response &&resp, unsigned version, bool keepAlive, bool head)
{
    auto res = std::make_shared<HttpResponse>(static_cast<http::status>(resp.status), version);
    for (const auto &[name, value] : resp.headers) res->insert(name, value);
    res->set(http::field::server, "midonet-cluster");
    const size_t length = resp.body.size();
    if (!head) res->body() = std::move(resp.body);
    res->keep_alive(keepAlive);
    res->prepare_payload();
    if (head) res->content_length(length);
    return res;
}

class WsSession : public std::enable_shared_from_this<WsSession>
{
public:
    WsSession(tcp::socket &&socket, EventJournal &journal, EventFilter filter, size_t queueLimit)
        : ws_(std::move(socket)), journal_(journal), filter_(std::move(filter)), queueLimit_(queueLimit)
    {
    }
    ~WsSession()
    {
        if (subscription_) journal_.unsubscribe(subscription_);
    }

    void run(http::request<http::string_body> req)
    {
        ws_.set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
        ws_.set_option(websocket::stream_base::decorator(
            [](websocket::response_type &res) { res.set(http::field::server, "midonet-cluster"); }));
        req_ = std::move(req);
        ws_.async_accept(req_, beast::bind_front_handler(&WsSession::onAccept, shared_from_this()));
    }

private:
    void onAccept(beast::error_code ec)
    {
        if (ec) return;
        ws_.text(true);
        std::weak_ptr<WsSession> weak = shared_from_this();
        auto executor = ws_.get_executor();
        // A version from another epoch (another instance, or this one before a restart) means
        // nothing here: start from the oldest change held and say the backlog is incomplete.
        bool foreign = filter_.since && filter_.epoch && *filter_.epoch != journal_.epoch();
        uint64_t since = foreign ? 0 : filter_.since.value_or(journal_.lastVersion());
        // The sink runs under the journal lock on the appending thread: filter and serialise
        // there (cheap), then hop onto this session's strand to queue the write.
        auto backlog = journal_.subscribe(since, [weak, executor, filter = filter_](const ChangeEvent &e) {
            if (!filter.accepts(e)) return;
            auto text = std::make_shared<std::string>(e.toJson().dump());
            net::post(executor, [weak, text] {
                if (auto self = weak.lock()) self->enqueue(std::move(*text));
            });
        });
        subscription_ = backlog.subscription;
        // First frame: where the stream stands, and whether the resume point was still held.
        nlohmann::json hello{{"type", "hello"},
                             {"version", journal_.lastVersion()},
                             {"epoch", journal_.epoch()},
                             {"resumed", filter_.since.has_value() && !foreign},
                             {"complete", backlog.complete && !foreign}};
        if (!backlog.complete || foreign)
            hello["message"] = "this journal does not reach back to `since` (older, or another epoch): list again";
        enqueue(hello.dump());
        for (const auto &e : backlog.events)
            if (filter_.accepts(e)) enqueue(e.toJson().dump());
        doRead();
    }

    void doRead()
    {
        ws_.async_read(inbound_, beast::bind_front_handler(&WsSession::onRead, shared_from_this()));
    }
    void onRead(beast::error_code ec, size_t)
    {
        if (ec) {
            closed_ = true;
            if (subscription_) journal_.unsubscribe(subscription_);
            subscription_ = 0;
            return;
        }
        inbound_.consume(inbound_.size()); // clients have nothing to say; keep reading for close/ping
        doRead();
    }

    void enqueue(std::string text)
    {
        if (closed_) return;
        if (queue_.size() >= queueLimit_) {
            spdlog::warn("events: subscriber too slow ({} queued), disconnecting; it resumes by version", queue_.size());
            closed_ = true;
            beast::get_lowest_layer(ws_).close();
            return;
        }
        queue_.push_back(std::move(text));
        if (queue_.size() == 1) doWrite();
    }
    void doWrite()
    {
        ws_.async_write(net::buffer(queue_.front()), beast::bind_front_handler(&WsSession::onWrite, shared_from_this()));
    }
    void onWrite(beast::error_code ec, size_t)
    {
        if (ec) {
            closed_ = true;
            queue_.clear();
            return;
        }
        queue_.pop_front();
        if (!queue_.empty()) doWrite();
    }

    websocket::stream<beast::tcp_stream> ws_;
    EventJournal &journal_;
    EventFilter filter_;
    size_t queueLimit_;
    http::request<http::string_body> req_;
    beast::flat_buffer inbound_;
    std::deque<std::string> queue_;
    uint64_t subscription_ = 0;
    bool closed_ = false;
};

class HttpSession : public std::enable_shared_from_this<HttpSession>
{
public:
    HttpSession(tcp::socket &&socket, const ServerOptions &options, const Handler &handler, EventJournal &journal)
        : stream_(std::move(socket)), options_(options), handler_(handler), journal_(journal),
          origin_(originOf(stream_.socket()))
    {
    }

    void run() { net::dispatch(stream_.get_executor(), beast::bind_front_handler(&HttpSession::doRead, shared_from_this())); }

private:
    void doRead()
    {
        reading_ = true;
        parser_.emplace();
        parser_->body_limit(options_.bodyLimit);
        parser_->header_limit(16 * 1024);
        stream_.expires_after(options_.readTimeout);
        http::async_read(stream_, buffer_, *parser_, beast::bind_front_handler(&HttpSession::onRead, shared_from_this()));
    }

    void onRead(beast::error_code ec, size_t)
    {
        reading_ = false;
        if (ec == http::error::end_of_stream || ec == beast::error::timeout || ec == net::error::connection_reset) {
            if (queue_.empty()) doClose();
            else closeAfterWrites_ = true;
            return;
        }
        if (ec == http::error::body_limit || ec == http::error::header_limit) {
            Response r;
            r.status = 413;
            r.setHeader("Content-Type", std::string(kErrorType));
            r.body = nlohmann::json{{"message", "Request too large"}, {"code", 413}}.dump();
            closeAfterWrites_ = true;
            queue_.push_back(toBeast(std::move(r), 11, false, false));
            if (queue_.size() == 1) doWrite();
            return;
        }
        if (ec) {
            if (queue_.empty()) doClose();
            else closeAfterWrites_ = true;
            return;
        }
        auto req = parser_->release();
        if (websocket::is_upgrade(req) && handler_.isEventsTarget(req.target())) {
            if (!queue_.empty()) { // an upgrade behind pipelined requests: refuse, keep it simple
                closeAfterWrites_ = true;
                return;
            }
            auto access = handler_.authorizeEvents(toRequest(req, origin_));
            if (!access.allowed) {
                closeAfterWrites_ = true;
                queue_.push_back(toBeast(std::move(access.error), req.version(), false, false));
                doWrite();
                return;
            }
            stream_.expires_never();
            std::make_shared<WsSession>(stream_.release_socket(), journal_, std::move(access.filter), options_.wsQueueLimit)
                ->run(std::move(req));
            return;
        }
        bool keepAlive = req.keep_alive();
        bool head = req.method() == http::verb::head;
        Request r = toRequest(req, origin_, true);
        if (head) r.method = "GET";
        queue_.push_back(toBeast(handler_.handle(r), req.version(), keepAlive, head));
        if (!keepAlive) closeAfterWrites_ = true;
        if (queue_.size() == 1) doWrite();
        if (!closeAfterWrites_ && queue_.size() < options_.pipelineLimit) doRead();
    }

    void doWrite()
    {
        http::async_write(stream_, *queue_.front(), beast::bind_front_handler(&HttpSession::onWrite, shared_from_this()));
    }

    void onWrite(beast::error_code ec, size_t)
    {
        if (ec) return doClose();
        queue_.pop_front();
        if (!queue_.empty()) return doWrite();
        if (closeAfterWrites_) return doClose();
        if (!reading_) doRead(); // the queue drained: resume reading if a full queue paused it
    }

    void doClose()
    {
        beast::error_code ec;
        stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    }

    beast::tcp_stream stream_;
    const ServerOptions &options_;
    const Handler &handler_;
    EventJournal &journal_;
    std::string origin_;
    beast::flat_buffer buffer_{64 * 1024};
    std::optional<http::request_parser<http::string_body>> parser_;
    std::deque<std::shared_ptr<HttpResponse>> queue_;
    bool reading_ = false;
    bool closeAfterWrites_ = false;
};

} // namespace

struct Server::Impl : std::enable_shared_from_this<Server::Impl> {
    ServerOptions options;
    const Handler &handler;
    EventJournal &journal;
    net::io_context ioc;
    tcp::acceptor acceptor{net::make_strand(ioc)};
    std::vector<std::thread> threads;
    uint16_t boundPort = 0;

    Impl(ServerOptions o, const Handler &h, EventJournal &j)
        : options(std::move(o)), handler(h), journal(j), ioc(std::max(1, options.threads))
    {
    }

    void doAccept()
    {
        acceptor.async_accept(net::make_strand(ioc), [this](beast::error_code ec, tcp::socket socket) {
            if (ec == net::error::operation_aborted) return;
            if (!ec) {
                socket.set_option(tcp::no_delay(true), ec);
                std::make_shared<HttpSession>(std::move(socket), options, handler, journal)->run();
            } else {
                spdlog::warn("accept: {}", ec.message());
            }
            doAccept();
        });
    }
};

Server::Server(ServerOptions options, const Handler &handler, EventJournal &journal)
    : impl_(std::make_unique<Impl>(std::move(options), handler, journal))
{
}

Server::~Server() { stop(); }

void Server::start()
{
    auto &i = *impl_;
    tcp::endpoint ep{net::ip::make_address(i.options.address), i.options.port};
    i.acceptor.open(ep.protocol());
    i.acceptor.set_option(net::socket_base::reuse_address(true));
    i.acceptor.bind(ep);
    i.acceptor.listen(net::socket_base::max_listen_connections);
    i.boundPort = i.acceptor.local_endpoint().port();
    i.doAccept();
    for (int t = 0; t < std::max(1, i.options.threads); ++t) i.threads.emplace_back([&i] { i.ioc.run(); });
    spdlog::info("midonet-cluster listening on {}:{} ({} threads)", i.options.address, i.boundPort, i.options.threads);
}

void Server::stop()
{
    if (!impl_) return;
    auto &i = *impl_;
    if (i.threads.empty()) return;
    net::post(i.acceptor.get_executor(), [&i] {
        beast::error_code ec;
        i.acceptor.close(ec);
    });
    i.ioc.stop();
    for (auto &t : i.threads) t.join();
    i.threads.clear();
}

uint16_t Server::port() const { return impl_->boundPort; }

std::pair<std::string, uint16_t> parseListenAddress(const std::string &text)
{
    auto colon = text.rfind(':');
    if (colon == std::string::npos) throw std::invalid_argument("--listen wants host:port, got '" + text + "'");
    std::string host = text.substr(0, colon), portText = text.substr(colon + 1);
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    if (host.empty()) host = "0.0.0.0";
    int port = -1;
    try {
        size_t used = 0;
        port = std::stoi(portText, &used);
        if (used != portText.size()) port = -1;
    } catch (...) {
    }
    if (port < 0 || port > 65535) throw std::invalid_argument("--listen: bad port in '" + text + "'");
    return {host, static_cast<uint16_t>(port)};
}

} // namespace midonet::cluster
