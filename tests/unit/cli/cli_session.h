// A midonet-cli session over FakeApi for unit tests: run lines, read what was printed, and
// refer to the fake's deterministic ids as $1, $2... in expectations.
// Thread-safety: single-threaded test helper.
#pragma once

#include <QString>
#include <QStringList>

#include <cstdio>
#include <sstream>

#include "cli/api_client.h"
#include "cli/shell.h"
#include "tests/unit/cli/fake_api.h"

namespace midonet::cli::test {

inline std::string fakeId(int n)
{
    char id[40];
    std::snprintf(id, sizeof id, "00000000-0000-0000-0000-%012d", n);
    return id;
}

// "$3" -> fakeId(3), "@/" -> FakeApi::base + "/".
inline std::string expand(std::string s)
{
    for (int n = 20; n >= 1; --n) {
        std::string key = "$" + std::to_string(n);
        for (size_t p; (p = s.find(key)) != std::string::npos;) s.replace(p, key.size(), fakeId(n));
    }
    for (size_t p; (p = s.find("@/")) != std::string::npos;) s.replace(p, 1, FakeApi::base);
    return s;
}

inline ShellOptions aliasOptions(bool aliases)
{
    ShellOptions o;
    o.aliases = aliases;
    return o;
}

struct CliSession {
    FakeApi api;
    ApiClient client{api, {FakeApi::base, "admin", "secret", "admin"}};
    std::ostringstream out;
    Shell shell;
    bool ok = true;

    explicit CliSession(bool aliases = true) : shell(client, out, aliasOptions(aliases)) { client.login(); }

    // Lines starting with '@' seed the fake instead: "@host NAME", "@tenant ID".
    std::string run(const std::string &line)
    {
        if (line.starts_with("@host ")) {
            api.add("/hosts", {{"name", line.substr(6)}, {"alive", true}, {"addresses", Json::array()}});
            return {};
        }
        if (line.starts_with("@tenant ")) {
            auto id = line.substr(8);
            api.add("/tenants", {{"id", id}, {"name", id}, {"description", id}, {"enabled", true}});
            return {};
        }
        out.str("");
        ok = shell.execute(line);
        return out.str();
    }

    void runAll(const QStringList &lines)
    {
        for (const auto &l : lines) run(l.toStdString());
    }
};

} // namespace midonet::cli::test
