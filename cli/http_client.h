// A small synchronous HTTP/1.1 client for the REST API (plain http only), on Boost.Beast.
// One keep-alive connection to the last host:port; reconnects when the server closed it.
// Boost headers stay in http_client.cpp: this header is all the rest of the CLI sees.
//
// Invariants: every request carries Host, User-Agent and Content-Length; a request on a kept
// connection that fails before any response byte arrived is retried once on a fresh
// connection (the server may have closed an idle connection).
//
// Thread-safety: not thread-safe; one HttpClient per thread.
#pragma once

#include <chrono>
#include <memory>

#include "cli/transport.h"

namespace midonet::cli {

class HttpClient final : public Transport {
public:
    explicit HttpClient(std::chrono::milliseconds timeout = std::chrono::seconds(30));
    ~HttpClient() override;
    HttpClient(const HttpClient &) = delete;
    HttpClient &operator=(const HttpClient &) = delete;

    // Throws TransportError (see transport.h), and for an https:// or malformed URL too.
    HttpResponse send(const HttpRequest &request) override;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// Splits "http://host[:port]/path?q" (port defaults to 80). nullopt for anything else.
struct UrlParts {
    std::string host;
    std::string port;
    std::string target; // path + query, at least "/"
};
std::optional<UrlParts> splitHttpUrl(std::string_view url);

} // namespace midonet::cli
