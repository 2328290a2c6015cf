#include "cluster/auth.h"

#include <nlohmann/json.hpp>
#include <sodium.h>

#include <cctype>
#include <cstring>
#include <ctime>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace midonet::cluster {

namespace {
void ensureSodium()
{
    static const int rc = sodium_init();
    if (rc < 0) throw std::runtime_error("libsodium failed to initialise");
}

std::string toBase64(const unsigned char *data, size_t len, int variant)
{
    std::string out(sodium_base64_encoded_len(len, variant), '\0');
    sodium_bin2base64(out.data(), out.size(), data, len, variant);
    out.resize(std::strlen(out.c_str()));
    return out;
}

std::optional<std::string> fromBase64(std::string_view text, int variant)
{
    std::string out(text.size(), '\0');
    size_t len = 0;
    if (sodium_base642bin(reinterpret_cast<unsigned char *>(out.data()), out.size(), text.data(), text.size(),
                          nullptr, &len, nullptr, variant) != 0)
        return std::nullopt;
    out.resize(len);
    return out;
}

std::string roleName(Role r) { return r == Role::Admin ? "admin" : "tenant"; }
} // namespace

std::string hashPassword(std::string_view password, bool fast)
{
    ensureSodium();
    char out[crypto_pwhash_STRBYTES];
    auto ops = fast ? crypto_pwhash_OPSLIMIT_MIN : crypto_pwhash_OPSLIMIT_INTERACTIVE;
    auto mem = fast ? crypto_pwhash_MEMLIMIT_MIN : crypto_pwhash_MEMLIMIT_INTERACTIVE;
    if (crypto_pwhash_str(out, password.data(), password.size(), ops, mem) != 0)
        throw std::runtime_error("password hashing ran out of memory");
    return out;
}

void UserDirectory::loadFile(const std::string &path)
{
    std::ifstream in(path);
    if (!in) throw std::runtime_error("users file " + path + ": cannot open");
    std::string line;
    int lineNo = 0;
    while (std::getline(in, line)) {
        ++lineNo;
        if (auto hash = line.find('#'); hash != std::string::npos && (hash == 0 || std::isspace(static_cast<unsigned char>(line[hash - 1]))))
            line.resize(hash);
        std::istringstream words(line);
        UserRecord u;
        std::string role, tenant;
        if (!(words >> u.name)) continue;
        if (!(words >> role >> tenant >> u.passwordHash) || (role != "admin" && role != "tenant"))
            throw std::runtime_error("users file " + path + ":" + std::to_string(lineNo) +
                                     ": expected '<name> <admin|tenant> <tenant-id|-> <crypto_pwhash_str hash>'");
        u.role = role == "admin" ? Role::Admin : Role::Tenant;
        u.tenant = tenant == "-" ? "" : tenant;
        if (u.role == Role::Tenant && u.tenant.empty())
            throw std::runtime_error("users file " + path + ":" + std::to_string(lineNo) + ": a tenant user needs a tenant id");
        add(std::move(u));
    }
}

void UserDirectory::add(UserRecord user) { users_[user.name] = std::move(user); }

std::optional<Identity> UserDirectory::verify(std::string_view user, std::string_view password) const
{
    ensureSodium();
    auto it = users_.find(user);
    if (it == users_.end()) return std::nullopt;
    if (crypto_pwhash_str_verify(it->second.passwordHash.c_str(), password.data(), password.size()) != 0)
        return std::nullopt;
    return Identity{it->second.name, it->second.role, it->second.tenant};
}

std::map<std::string, std::string> UserDirectory::tenants() const
{
    std::map<std::string, std::string> out;
    for (const auto &[name, u] : users_)
        if (!u.tenant.empty()) out.emplace(u.tenant, u.tenant);
    return out;
}

TokenAuthority::TokenAuthority(std::string_view secret, std::chrono::seconds lifetime) : lifetime_(lifetime)
{
    ensureSodium();
    static const char context[] = "midonet-cluster token v1";
    crypto_generichash(key_, sizeof key_, reinterpret_cast<const unsigned char *>(secret.data()), secret.size(),
                       reinterpret_cast<const unsigned char *>(context), sizeof context - 1);
}

TokenAuthority::Issued TokenAuthority::issue(const Identity &who, std::chrono::system_clock::time_point now) const
{
    auto expires = std::chrono::time_point_cast<std::chrono::seconds>(now + lifetime_);
    nlohmann::json payload{{"u", who.user},
                           {"r", roleName(who.role)},
                           {"t", who.tenant},
                           {"e", expires.time_since_epoch().count()}};
    unsigned char nonce[8];
    randombytes_buf(nonce, sizeof nonce);
    payload["n"] = toBase64(nonce, sizeof nonce, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    const std::string text = payload.dump();
    std::string body = toBase64(reinterpret_cast<const unsigned char *>(text.data()), text.size(),
                                sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256(mac, reinterpret_cast<const unsigned char *>(body.data()), body.size(), key_);
    return {"m1." + body + "." + toBase64(mac, sizeof mac, sodium_base64_VARIANT_URLSAFE_NO_PADDING), expires};
}

std::optional<Identity> TokenAuthority::verify(std::string_view token, std::chrono::system_clock::time_point now) const
{
    if (token.substr(0, 3) != "m1.") return std::nullopt;
    token.remove_prefix(3);
    auto dot = token.find('.');
    if (dot == std::string_view::npos) return std::nullopt;
    auto body = token.substr(0, dot);
    auto mac = fromBase64(token.substr(dot + 1), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    if (!mac || mac->size() != crypto_auth_hmacsha256_BYTES) return std::nullopt;
    if (crypto_auth_hmacsha256_verify(reinterpret_cast<const unsigned char *>(mac->data()),
                                      reinterpret_cast<const unsigned char *>(body.data()), body.size(), key_) != 0)
        return std::nullopt;
    auto text = fromBase64(body, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    if (!text) return std::nullopt;
    auto payload = nlohmann::json::parse(*text, nullptr, false);
    if (!payload.is_object()) return std::nullopt;
    try {
        auto expires = std::chrono::system_clock::time_point(std::chrono::seconds(payload.at("e").get<int64_t>()));
        if (expires <= now) return std::nullopt;
        Identity who{payload.at("u").get<std::string>(),
                     payload.at("r").get<std::string>() == "admin" ? Role::Admin : Role::Tenant,
                     payload.at("t").get<std::string>()};
        return who;
    } catch (const nlohmann::json::exception &) {
        return std::nullopt;
    }
}

std::string formatTokenDate(std::chrono::system_clock::time_point t)
{
    std::time_t tt = std::chrono::system_clock::to_time_t(t);
    std::tm tm{};
    gmtime_r(&tt, &tm);
    char buf[64];
    std::strftime(buf, sizeof buf, "%a, %d-%m-%Y %H:%M:%S UTC", &tm);
    return buf;
}

BasicCredentials parseBasicAuthorization(std::string_view value)
{
    BasicCredentials c;
    if (value.empty()) {
        c.error = "Authorization header is not set.";
        return c;
    }
    if (value.size() < 6 || !std::equal(value.begin(), value.begin() + 6, "basic ", [](char a, char b) {
            return std::tolower(static_cast<unsigned char>(a)) == b;
        })) {
        c.error = "Authorization header does not contain Basic.";
        return c;
    }
    auto encoded = value.substr(6);
    while (!encoded.empty() && encoded.front() == ' ') encoded.remove_prefix(1);
    while (!encoded.empty() && encoded.back() == ' ') encoded.remove_suffix(1);
    auto decoded = fromBase64(encoded, sodium_base64_VARIANT_ORIGINAL);
    if (!decoded) decoded = fromBase64(encoded, sodium_base64_VARIANT_ORIGINAL_NO_PADDING);
    // MidoNet splits on ':' and wants exactly two non-empty parts: an empty password or a ':'
    // inside the password is "not valid".
    auto colon = decoded ? decoded->find(':') : std::string::npos;
    if (!decoded || colon == std::string::npos || colon == 0 || colon + 1 == decoded->size() ||
        decoded->find(':', colon + 1) != std::string::npos) {
        c.error = "Authorization header is not valid";
        return c;
    }
    c.user = decoded->substr(0, colon);
    c.password = decoded->substr(colon + 1);
    return c;
}

std::string randomSecret()
{
    ensureSodium();
    unsigned char buf[32];
    randombytes_buf(buf, sizeof buf);
    char hex[65];
    sodium_bin2hex(hex, sizeof hex, buf, sizeof buf);
    return hex;
}

} // namespace midonet::cluster
