#include "cli/settings.h"

#include <algorithm>
#include <cctype>

namespace midonet::cli {

namespace {

std::string trim(std::string s)
{
    auto notSpace = [](unsigned char c) { return !std::isspace(c); };
    s.erase(s.begin(), std::find_if(s.begin(), s.end(), notSpace));
    s.erase(std::find_if(s.rbegin(), s.rend(), notSpace).base(), s.end());
    return s;
}

bool truthy(std::string v)
{
    std::transform(v.begin(), v.end(), v.begin(), [](unsigned char c) { return std::tolower(c); });
    return v == "true" || v == "1" || v == "yes" || v == "on";
}

void setKey(Settings &s, const std::string &key, const std::string &value)
{
    if (key == "api_url") s.apiUrl = value;
    else if (key == "username") s.username = value;
    else if (key == "password") s.password = value;
    else if (key == "project_id") s.projectId = value;
    else if (key == "tenant") s.tenant = value;
    else if (key == "disable_ssl_certificate_validation") s.disableSslValidation = truthy(value);
}

} // namespace

void applyRcFile(Settings &s, std::istream &in)
{
    std::string line, section;
    bool sawTenant = false;
    while (std::getline(in, line)) {
        line = trim(line);
        if (line.empty() || line[0] == '#' || line[0] == ';') continue;
        if (line.front() == '[' && line.back() == ']') {
            section = trim(line.substr(1, line.size() - 2));
            continue;
        }
        if (section != "cli") continue;
        auto sep = line.find_first_of("=:");
        if (sep == std::string::npos) continue;
        auto key = trim(line.substr(0, sep));
        setKey(s, key, trim(line.substr(sep + 1)));
        sawTenant |= key == "tenant";
    }
    // A file without `tenant` means "no tenant" (reference A1), even if set before.
    if (!sawTenant) s.tenant.clear();
}

void applyEnvironment(Settings &s, const std::function<const char *(const char *)> &getenv)
{
    auto take = [&](const char *name, std::string &into) {
        if (const char *v = getenv(name)) into = v;
    };
    take("MIDO_API_URL", s.apiUrl);
    take("MIDO_USER", s.username);
    take("MIDO_PASSWORD", s.password);
    take("MIDO_PROJECT_ID", s.projectId);
    take("MIDO_TENANT", s.tenant);
    if (const char *v = getenv("MIDO_DISABLE_SSL_CERTIFICATE_VALIDATION")) s.disableSslValidation = truthy(v);
}

void applyFlags(Settings &s, const Flags &f)
{
    if (f.apiUrl) s.apiUrl = *f.apiUrl;
    if (f.username) s.username = *f.username;
    if (f.projectId) s.projectId = *f.projectId;
    if (f.tenant) s.tenant = *f.tenant;
    if (f.disableSsl) s.disableSslValidation = truthy(*f.disableSsl);
    s.promptPassword = f.password;
    s.noAuth = f.noAuth;
    s.eval = f.eval;
    s.debug = f.debug;
    s.json = f.json;
    s.words = f.words;
}

std::optional<std::string> startupProblem(const Settings &s, bool canPrompt)
{
    if (!s.words.empty() && !s.eval) return "Unrecognized command";
    if (s.apiUrl.empty()) return "Missing: Midonet API URL";
    if (s.noAuth) return std::nullopt;
    if (s.username.empty()) return "Missing: username";
    if (s.projectId.empty()) return "Missing: Midonet Project ID";
    if (s.password.empty() && !canPrompt)
        return "No password given. Use -p to be asked for it, MIDO_PASSWORD or password in ~/.midonetrc";
    return std::nullopt;
}

} // namespace midonet::cli
