// Where midonet-cli's settings come from (reference A1), later sources overriding earlier ones:
//   1. ~/.midonetrc, section [cli]: api_url, username, password, project_id, tenant,
//      disable_ssl_certificate_validation;
//   2. MIDO_API_URL, MIDO_USER, MIDO_PASSWORD, MIDO_PROJECT_ID, MIDO_TENANT,
//      MIDO_DISABLE_SSL_CERTIFICATE_VALIDATION;
//   3. command-line options (parsed in main.cpp with CLI11; applied with applyFlags()).
// and the start-up checks with MidoNet's texts and exit status 2.
//
// Thread-safety: plain values and pure functions.
#pragma once

#include <functional>
#include <istream>
#include <optional>
#include <string>
#include <vector>

namespace midonet::cli {

struct Settings {
    std::string apiUrl;
    std::string username;
    std::string password;
    std::string projectId;
    std::string tenant;
    bool disableSslValidation = false;
    // From flags only.
    bool noAuth = false;
    bool promptPassword = false;
    bool eval = false;
    bool debug = false;
    bool json = false;
    std::vector<std::string> words; // positional words (the -e command)
};

// INI text: [section] headers, key = value or key: value, ';'/'#' comments. Only [cli] is read.
void applyRcFile(Settings &s, std::istream &in);
// `getenv` is injectable for tests.
void applyEnvironment(Settings &s, const std::function<const char *(const char *)> &getenv);

// Flag values as parsed (nullopt: the flag was not given).
struct Flags {
    std::optional<std::string> apiUrl, username, projectId, tenant, disableSsl;
    bool password = false, noAuth = false, eval = false, debug = false, json = false;
    std::vector<std::string> words;
};
void applyFlags(Settings &s, const Flags &f);

// The first start-up problem as MidoNet words it ("Missing: Midonet API URL", "Missing: username",
// "Missing: Midonet Project ID", "No password given...", "Unrecognized command"), nullopt if
// the session can start. `canPrompt`: -p was given and stdin is a TTY (the password will be asked).
std::optional<std::string> startupProblem(const Settings &s, bool canPrompt);

} // namespace midonet::cli
