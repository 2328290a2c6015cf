// The only translation unit of the CLI that includes Boost.Beast/Asio (compile time, and one
// place to audit the wire code). Operations are Beast's async ones run to completion on a
// private io_context: that is how tcp_stream's expiry (our timeout) applies; synchronous
// Beast calls would ignore it.
#include "cli/http_client.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <algorithm>
#include <cctype>

namespace midonet::cli {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

bool iequals(std::string_view a, std::string_view b)
{
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
}

std::optional<std::string> findHeader(const Headers &h, std::string_view name)
{
    for (const auto &[k, v] : h)
        if (iequals(k, name)) return v;
    return std::nullopt;
}

} // namespace

std::optional<std::string> HttpRequest::header(std::string_view name) const { return findHeader(headers, name); }
std::optional<std::string> HttpResponse::header(std::string_view name) const { return findHeader(headers, name); }

std::optional<UrlParts> splitHttpUrl(std::string_view url)
{
    constexpr std::string_view scheme = "http://";
    if (url.substr(0, scheme.size()) != scheme) return std::nullopt;
    url.remove_prefix(scheme.size());
    auto slash = url.find_first_of("/?");
    std::string_view authority = url.substr(0, slash);
    UrlParts parts;
    parts.target = slash == std::string_view::npos ? "/" : std::string(url.substr(slash));
    if (parts.target.front() == '?') parts.target.insert(0, "/");
    if (authority.empty()) return std::nullopt;
    if (authority.front() == '[') { // [v6]:port
        auto close = authority.find(']');
        if (close == std::string_view::npos) return std::nullopt;
        parts.host = std::string(authority.substr(1, close - 1));
        auto rest = authority.substr(close + 1);
        parts.port = rest.starts_with(':') ? std::string(rest.substr(1)) : "80";
    } else {
        auto colon = authority.rfind(':');
        parts.host = std::string(authority.substr(0, colon));
        parts.port = colon == std::string_view::npos ? "80" : std::string(authority.substr(colon + 1));
    }
    if (parts.host.empty() || parts.port.empty() ||
        !std::all_of(parts.port.begin(), parts.port.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }))
        return std::nullopt;
    return parts;
}

struct HttpClient::Impl {
    std::chrono::milliseconds timeout;
    asio::io_context ioc;
    std::optional<beast::tcp_stream> stream;
    std::string connectedTo; // "host:port" of the open stream
    beast::flat_buffer buffer;

    void close()
    {
        if (stream) {
            beast::error_code ignored;
            stream->socket().shutdown(tcp::socket::shutdown_both, ignored);
            stream->close();
        }
        stream.reset();
        connectedTo.clear();
        buffer.clear();
    }

    // Runs the posted operation to completion; returns its error.
    beast::error_code run(beast::error_code &ec)
    {
        ioc.restart();
        ioc.run();
        return ec;
    }

    void connect(const UrlParts &u)
    {
        close();
        beast::error_code ec;
        tcp::resolver resolver(ioc);
        auto endpoints = resolver.resolve(u.host, u.port, ec);
        if (ec) throw TransportError("cannot resolve " + u.host + ": " + ec.message(), true);
        stream.emplace(ioc);
        stream->expires_after(timeout);
        stream->async_connect(endpoints, [&](beast::error_code e, const tcp::endpoint &) { ec = e; });
        run(ec);
        if (ec) {
            close();
            bool refused = ec == asio::error::connection_refused || ec == asio::error::host_unreachable ||
                           ec == asio::error::network_unreachable;
            throw TransportError("cannot connect to " + u.host + ":" + u.port + ": " + ec.message(), refused);
        }
        connectedTo = u.host + ":" + u.port;
    }

    // One exchange on the open stream. On failure `retryable` tells whether no reply byte had
    // arrived (a kept connection the server had closed), so a fresh connection may retry it.
    HttpResponse exchange(const UrlParts &u, const HttpRequest &r, bool &retryable)
    {
        http::verb verb = http::string_to_verb(r.method);
        if (verb == http::verb::unknown) throw TransportError("unknown HTTP method " + r.method, false);
        http::request<http::string_body> req{verb, u.target, 11};
        req.set(http::field::host, u.port == "80" ? u.host : u.host + ":" + u.port);
        req.set(http::field::user_agent, "midonet-cli");
        for (const auto &[k, v] : r.headers) req.set(k, v);
        req.body() = r.body;
        req.prepare_payload();
        req.keep_alive(true);

        beast::error_code ec;
        stream->expires_after(timeout);
        http::async_write(*stream, req, [&](beast::error_code e, std::size_t) { ec = e; });
        run(ec);
        retryable = true;
        if (ec) throw TransportError("sending to " + connectedTo + ": " + ec.message(), false);

        http::response_parser<http::string_body> parser;
        parser.body_limit(64 * 1024 * 1024);
        stream->expires_after(timeout);
        http::async_read(*stream, buffer, parser, [&](beast::error_code e, std::size_t) { ec = e; });
        run(ec);
        retryable = (ec == http::error::end_of_stream || ec == asio::error::connection_reset ||
                     ec == asio::error::eof) &&
                    !parser.got_some();
        if (ec) {
            std::string what = ec == beast::error::timeout ? "timed out waiting for " + connectedTo
                                                           : "reading from " + connectedTo + ": " + ec.message();
            throw TransportError(what, false);
        }
        auto &res = parser.get();
        HttpResponse out;
        out.status = static_cast<int>(res.result_int());
        out.reason = std::string(res.reason());
        for (const auto &h : res) out.headers.emplace_back(std::string(h.name_string()), std::string(h.value()));
        out.body = std::move(res.body());
        if (!res.keep_alive()) close();
        return out;
    }
};

HttpClient::HttpClient(std::chrono::milliseconds timeout) : impl_(std::make_unique<Impl>())
{
    impl_->timeout = timeout;
}

HttpClient::~HttpClient() { impl_->close(); }

HttpResponse HttpClient::send(const HttpRequest &request)
{
    auto parts = splitHttpUrl(request.url);
    if (!parts) {
        if (request.url.starts_with("https://"))
            throw TransportError("https is not supported by this client: " + request.url, false);
        throw TransportError("not an http URL: " + request.url, false);
    }
    bool reused = impl_->stream && impl_->connectedTo == parts->host + ":" + parts->port;
    if (!reused) impl_->connect(*parts);
    bool retryable = false;
    try {
        return impl_->exchange(*parts, request, retryable);
    } catch (const TransportError &) {
        impl_->close();
        if (!reused || !retryable) throw;
    }
    impl_->connect(*parts);
    try {
        return impl_->exchange(*parts, request, retryable);
    } catch (const TransportError &) {
        impl_->close();
        throw;
    }
}

} // namespace midonet::cli
