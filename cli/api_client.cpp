#include "cli/api_client.h"

#include "cli/grammar.h"

namespace midonet::cli {

namespace {

std::string base64(std::string_view in)
{
    static constexpr char table[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    size_t i = 0;
    for (; i + 2 < in.size(); i += 3) {
        uint32_t n = uint8_t(in[i]) << 16 | uint8_t(in[i + 1]) << 8 | uint8_t(in[i + 2]);
        for (int s = 18; s >= 0; s -= 6) out += table[(n >> s) & 63];
    }
    if (size_t rest = in.size() - i) {
        uint32_t n = uint8_t(in[i]) << 16 | (rest == 2 ? uint8_t(in[i + 1]) << 8 : 0);
        out += table[(n >> 18) & 63];
        out += table[(n >> 12) & 63];
        out += rest == 2 ? table[(n >> 6) & 63] : '=';
        out += '=';
    }
    return out;
}

bool success(int status) { return status >= 200 && status < 300; }

} // namespace

std::string describeHttpError(const HttpResponse &r)
{
    std::string out = std::to_string(r.status);
    if (!r.reason.empty()) out += " " + r.reason;
    auto body = Json::parse(r.body, nullptr, false);
    if (body.is_object()) {
        if (auto m = body.find("message"); m != body.end() && m->is_string()) out += ": " + m->get<std::string>();
        if (auto v = body.find("violations"); v != body.end() && v->is_array() && !v->empty()) {
            std::string list;
            for (const auto &item : *v) {
                if (!list.empty()) list += "; ";
                list += item.value("property", std::string("?")) + ": " + item.value("message", std::string());
            }
            out += " (" + list + ")";
        }
    } else if (!r.body.empty() && r.body.size() < 400) {
        out += ": " + r.body;
    }
    return out;
}

ApiClient::ApiClient(Transport &transport, ApiConfig config) : transport_(transport), config_(std::move(config))
{
    base_ = config_.url;
    while (!base_.empty() && base_.back() == '/') base_.pop_back();
}

void ApiClient::login()
{
    HttpRequest r;
    r.method = "POST";
    r.url = base_ + "/login";
    r.headers.emplace_back("Authorization", "Basic " + base64(config_.username + ":" + config_.password));
    if (!config_.projectId.empty()) r.headers.emplace_back("X-Auth-Project", config_.projectId);
    r.body = "{}"; // what the Python client sends
    auto res = transport_.send(r);
    if (trace_) trace_(r, res);
    if (res.status == 401) throw AuthError(describeHttpError(res));
    if (!success(res.status)) throw ApiError(res.status, describeHttpError(res));
    // The token is the value of the first cookie, which must be sessionId (REST §2).
    auto cookie = res.header("Set-Cookie");
    std::string token;
    if (cookie) {
        auto first = cookie->substr(0, cookie->find(';'));
        if (auto eq = first.find('='); eq != std::string::npos) token = first.substr(eq + 1);
    }
    if (token.empty()) {
        auto body = Json::parse(res.body, nullptr, false);
        if (body.is_object() && body.contains("key") && body["key"].is_string()) token = body["key"];
    }
    if (token.empty()) throw ApiError(res.status, "login answered without a sessionId cookie");
    token_ = token;
}

HttpResponse ApiClient::send(HttpRequest request)
{
    auto attempt = [&] {
        HttpRequest r = request;
        if (!token_.empty()) r.headers.emplace_back("X-Auth-Token", token_);
        auto res = transport_.send(r);
        if (trace_) trace_(r, res);
        return res;
    };
    auto res = attempt();
    if (res.status == 401 && !config_.username.empty()) {
        login(); // throws AuthError when the credentials are refused now
        res = attempt();
    }
    if (res.status == 401) throw AuthError(describeHttpError(res));
    return res;
}

Json ApiClient::parseBody(const HttpResponse &r, const std::string &url)
{
    auto j = Json::parse(r.body, nullptr, false);
    if (j.is_discarded()) throw ApiError(r.status, "the API answered " + url + " with something that is not JSON");
    return j;
}

const Json &ApiClient::root()
{
    if (!root_) root_ = get(base_ + "/", vendorType("Application-v5"));
    return *root_;
}

std::string ApiClient::rootLink(const std::string &key)
{
    const auto &r = root();
    auto it = r.find(key);
    if (it == r.end() || !it->is_string()) throw ApiError(0, "the API's root resource has no '" + key + "'");
    return it->get<std::string>();
}

std::string ApiClient::itemUrl(const std::string &templateKey, const std::string &id)
{
    auto t = rootLink(templateKey);
    auto pos = t.find("{id}");
    if (pos == std::string::npos) throw ApiError(0, "template '" + templateKey + "' has no {id}");
    return t.replace(pos, 4, id);
}

Json ApiClient::get(const std::string &url, const std::string &accept)
{
    HttpRequest r{"GET", url, {{"Accept", accept}}, {}};
    auto res = send(r);
    if (!success(res.status)) throw ApiError(res.status, describeHttpError(res));
    return parseBody(res, url);
}

Json ApiClient::list(const std::string &url, const std::string &accept)
{
    auto j = get(url, accept);
    if (!j.is_array()) throw ApiError(0, "the API answered " + url + " with something that is not a list");
    return j;
}

Json ApiClient::create(const std::string &url, const std::string &mediaType, const Json &body)
{
    HttpRequest r{"POST", url, {{"Content-Type", mediaType}, {"Accept", mediaType}}, body.dump()};
    auto res = send(r);
    if (!success(res.status)) throw ApiError(res.status, describeHttpError(res));
    auto location = res.header("Location");
    if (!location || location->empty()) throw ApiError(res.status, "create answered without a Location");
    return get(*location, mediaType);
}

Json ApiClient::update(const Json &obj, const std::string &mediaType)
{
    auto uri = obj.value("uri", std::string());
    if (uri.empty()) throw ApiError(0, "object has no uri to update");
    HttpRequest r{"PUT", uri, {{"Content-Type", mediaType}, {"Accept", mediaType}}, obj.dump()};
    auto res = send(r);
    if (!success(res.status)) throw ApiError(res.status, describeHttpError(res));
    return get(uri, mediaType);
}

void ApiClient::remove(const std::string &url)
{
    auto res = send(HttpRequest{"DELETE", url, {}, {}});
    if (!success(res.status)) throw ApiError(res.status, describeHttpError(res));
}

void ApiClient::post(const std::string &url, const std::string &mediaType, const Json &body)
{
    auto res = send(HttpRequest{"POST", url, {{"Content-Type", mediaType}}, body.dump()});
    if (!success(res.status)) throw ApiError(res.status, describeHttpError(res));
}

} // namespace midonet::cli
