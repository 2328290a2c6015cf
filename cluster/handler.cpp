// The request pipeline: CORS, root, login, authentication, routing, error mapping. Resources
// live in resources_*.cpp; see handler.h for the contract.
#include "cluster/handler.h"

#include "cluster/detail/api.h"
#include "cluster/detail/handler_state.h"

#include <spdlog/spdlog.h>

namespace midonet::cluster {

using namespace detail;

struct Handler::Impl : HandlerState {
    explicit Impl(HandlerState s) : HandlerState(std::move(s)) {}
};

namespace {

void addCors(Response &r)
{
    r.setHeader("Access-Control-Allow-Origin", "*");
    r.setHeader("Access-Control-Allow-Methods", "GET, POST, PUT, DELETE, OPTIONS");
    r.setHeader("Access-Control-Allow-Headers", "Origin, X-Auth-Token, X-Auth-Project, Content-Type, Accept, Authorization");
    r.setHeader("Access-Control-Expose-Headers", "Location");
}

Response errorResponse(const ApiError &e)
{
    Response r;
    r.status = e.status;
    if (!e.body.is_null()) {
        r.setHeader("Content-Type", std::string(kErrorType));
        r.body = e.body.dump();
    }
    for (const auto &[k, v] : e.headers) r.setHeader(k, v);
    return r;
}

ApiError fromStoreError(const store::StoreError &e)
{
    using store::StoreErrc;
    switch (e.errc()) {
    case StoreErrc::not_found: return ApiError::message(404, e.what());
    case StoreErrc::already_exists: return ApiError::message(409, e.what());
    case StoreErrc::version_conflict: return ApiError::message(409, e.what());
    case StoreErrc::connection_loss:
    case StoreErrc::session_expired:
    case StoreErrc::closed: return ApiError::message(503, "Resource read timeout: " + std::string(e.what()));
    case StoreErrc::invalid_argument: return ApiError::message(400, e.what());
    default: return ApiError::message(500, e.what());
    }
}

std::string baseUri(const Request &req, const std::string &rootPath)
{
    std::string scheme = "http";
    if (auto p = req.header("X-Forwarded-Proto"); !p.empty()) scheme = std::string(p.substr(0, p.find(',')));
    std::string host;
    if (auto h = req.header("X-Forwarded-Host"); !h.empty()) host = std::string(h.substr(0, h.find(',')));
    else if (auto h2 = req.header("Host"); !h2.empty()) host = std::string(h2);
    if (host.empty()) {
        auto origin = req.localOrigin;
        auto pos = origin.find("://");
        if (pos != std::string::npos) {
            if (req.header("X-Forwarded-Proto").empty()) scheme = origin.substr(0, pos);
            host = origin.substr(pos + 3);
        } else {
            host = origin;
        }
    }
    if (auto port = req.header("X-Forwarded-Port"); !port.empty() && host.find(':') == std::string::npos)
        host += ":" + std::string(port);
    return scheme + "://" + host + rootPath;
}

} // namespace

Handler::Handler(HandlerOptions options, store::Store &store, std::shared_ptr<const UserDirectory> users,
                 std::shared_ptr<const TokenAuthority> tokens)
    : impl_(std::make_unique<Impl>(HandlerState{std::move(options), store, std::move(users), std::move(tokens), {}, {}}))
{
    auto &s = *impl_;
    while (!s.options.rootPath.empty() && s.options.rootPath.back() == '/') s.options.rootPath.pop_back();
    s.rootSegments = parseTarget(s.options.rootPath).segments;
    if (s.options.auth == AuthMode::Password && !s.tokens)
        throw std::invalid_argument("password authentication needs a token authority");
    if (!s.users) s.users = std::make_shared<UserDirectory>();
    addCoreRoutes(s.routes);
    addDeviceRoutes(s.routes);
    addChainRoutes(s.routes);
    addInfraRoutes(s.routes);
    addServiceRoutes(s.routes);
}

Handler::~Handler() = default;

namespace {

std::optional<Identity> authenticate(const HandlerState &s, const Request &req, std::string_view queryToken, ApiError &err)
{
    if (s.options.auth == AuthMode::None) return Identity{"admin", Role::Admin, "admin"};
    std::string_view token = req.header("X-Auth-Token");
    if (token.empty()) token = queryToken;
    if (token.empty()) {
        err = ApiError::message(401, "No token was passed in.");
        return std::nullopt;
    }
    auto who = s.tokens->verify(token, s.now());
    if (!who) {
        err = ApiError::message(401, "Authentication error: the token is invalid or expired");
        return std::nullopt;
    }
    return who;
}

Response login(const HandlerState &s, const Request &req)
{
    Response r;
    r.status = 200;
    r.setHeader("Content-Type", "application/vnd.org.midonet.Token-v1+json; charset=UTF-8");
    if (s.options.auth == AuthMode::None) {
        r.setHeader("Set-Cookie", "sessionId=00000000");
        r.body = json{{"key", "00000000"}, {"expires", nullptr}}.dump();
        return r;
    }
    auto creds = parseBasicAuthorization(req.header("Authorization"));
    std::optional<Identity> who;
    if (creds.error.empty()) {
        who = s.users->verify(creds.user, creds.password);
        if (!who) creds.error = "Authentication error";
    }
    if (!who) {
        spdlog::info("login refused ({}): {}", creds.user.empty() ? "no user" : creds.user, creds.error);
        ApiError e = ApiError::message(401, creds.error);
        e.headers.emplace_back("WWW-Authenticate", "Basic  realm=\"BASIC_AUTH_REALM\"");
        return errorResponse(e);
    }
    auto issued = s.tokens->issue(*who, s.now());
    auto date = formatTokenDate(issued.expires);
    r.setHeader("Set-Cookie", "sessionId=" + issued.token + "; Expires=" + date);
    r.body = json{{"key", issued.token}, {"expires", date}}.dump();
    spdlog::info("login: user {} ({}{})", who->user, who->isAdmin() ? "admin" : "tenant ",
                 who->isAdmin() ? "" : who->tenant);
    return r;
}

} // namespace

Response Handler::handle(const Request &req) const
{
    const auto &s = *impl_;
    Response resp;
    std::string identityText = "-";
    try {
        auto target = parseTarget(req.target);
        const auto &root = s.rootSegments;
        bool underRoot = target.segments.size() >= root.size() &&
                         std::equal(root.begin(), root.end(), target.segments.begin());
        if (!underRoot) throw ApiError::message(404, "Resource " + req.target.substr(0, req.target.find('?')) + " not found");
        std::vector<std::string> rest(target.segments.begin() + root.size(), target.segments.end());
        if (req.method == "OPTIONS") {
            resp.status = 200;
            resp.setHeader("Allow", "GET, POST, PUT, DELETE, OPTIONS");
        } else if (!rest.empty() && rest[0] == "login" && rest.size() == 1) {
            resp = login(s, req);
        } else {
            ApiError authErr = ApiError::bare(401);
            Ctx ctx{req, s, s.store, {}, baseUri(req, s.options.rootPath), {}, target.query};
            if (rest.empty()) {
                // The root resource needs no credentials in MidoNet (the client fetches it first).
                ctx.who = Identity{"anonymous", Role::Admin, ""};
            } else {
                auto who = authenticate(s, req, "", authErr);
                if (!who) throw authErr;
                ctx.who = *who;
                identityText = who->user;
            }
            bool pathMatched = false;
            const ApiRoute *route = s.routes.match(req.method, rest, ctx.vars, pathMatched);
            if (!route) {
                if (pathMatched) throw ApiError::bare(405);
                if (rest.size() == 1) throw ApiError::message(404, "Root resource " + rest[0] + " not found");
                throw ApiError::message(404, "Resource " + req.target.substr(0, req.target.find('?')) + " not found");
            }
            resp = route->fn(ctx);
            if (req.method != "GET") spdlog::info("{} {} by {} -> {}", req.method, req.target, identityText, resp.status);
        }
    } catch (const ApiError &e) {
        resp = errorResponse(e);
    } catch (const model::ModelError &e) {
        resp = errorResponse(ApiError{e.httpCode(), e.toJson(), {}});
    } catch (const store::StoreError &e) {
        resp = errorResponse(fromStoreError(e));
    } catch (const std::exception &e) {
        spdlog::error("{} {}: unexpected error: {}", req.method, req.target, e.what());
        resp = errorResponse(ApiError::message(500, e.what()));
    }
    addCors(resp);
    spdlog::debug("{} {} [{}] -> {}", req.method, req.target, identityText, resp.status);
    return resp;
}

bool Handler::isEventsTarget(std::string_view target) const
{
    auto t = parseTarget(target);
    const auto &root = impl_->rootSegments;
    return t.segments.size() == root.size() + 1 && std::equal(root.begin(), root.end(), t.segments.begin()) &&
           t.segments.back() == "events";
}

Handler::EventsAccess Handler::authorizeEvents(const Request &req) const
{
    const auto &s = *impl_;
    EventsAccess access;
    auto target = parseTarget(req.target);
    ApiError err = ApiError::bare(401);
    // Browsers cannot set headers on a WebSocket handshake: accept the token as ?token= too.
    auto tok = target.query.count("token") ? target.query.at("token") : std::string();
    auto who = authenticate(s, req, tok, err);
    if (!who) {
        access.error = errorResponse(err);
        addCors(access.error);
        return access;
    }
    try {
        if (auto it = target.query.find("type"); it != target.query.end()) {
            std::string_view v = it->second;
            size_t pos = 0;
            while (pos <= v.size()) {
                auto comma = v.find(',', pos);
                if (comma == std::string_view::npos) comma = v.size();
                if (comma > pos) access.filter.types.emplace(v.substr(pos, comma - pos));
                pos = comma + 1;
            }
        }
        if (auto it = target.query.find("since"); it != target.query.end()) {
            size_t used = 0;
            access.filter.since = std::stoull(it->second, &used);
            if (used != it->second.size()) throw std::invalid_argument("since");
        }
    } catch (const std::exception &) {
        access.error = errorResponse(ApiError::violation("since", "must be a non-negative integer version"));
        addCors(access.error);
        return access;
    }
    if (auto it = target.query.find("epoch"); it != target.query.end()) access.filter.epoch = it->second;
    if (who->isAdmin()) {
        if (auto it = target.query.find("tenant_id"); it != target.query.end()) access.filter.tenant = it->second;
    } else {
        access.filter.tenant = who->tenant;
    }
    access.allowed = true;
    spdlog::info("events: {} subscribed (types {}, since {})", who->user, access.filter.types.size(),
                 access.filter.since ? std::to_string(*access.filter.since) : "now");
    return access;
}

} // namespace midonet::cluster
