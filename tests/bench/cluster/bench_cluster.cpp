// Requests per second and p99 latency of midonet-cluster, measured with wrk against an
// in-process server: GET of one bridge, GET of a 1,000-bridge collection, POST create; on the
// memory store and on a private ZooKeeper. Medians of 3 runs; one `BENCH <name> <value> <unit>`
// line per figure. wrk and the server share the machine's cores: compare figures of one run.
#include "cluster/cluster_app.h"
#include "cluster/handler.h"
#include "common/store/memory_store.h"
#include "tests/integration/cluster/http_client.h"
#include "tests/support/zookeeper_server.h"

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <regex>
#include <vector>

using namespace midonet;
using namespace midonet::cluster;

namespace {

struct WrkResult {
    double rps = 0, p99ms = 0;
};

double toMs(double v, const std::string &unit)
{
    if (unit == "us") return v / 1000;
    if (unit == "s") return v * 1000;
    if (unit == "m") return v * 60000;
    return v;
}

WrkResult runWrk(const std::string &url, const std::string &token, int seconds, int connections, const std::string &script)
{
    std::string cmd = "wrk -t2 -c" + std::to_string(connections) + " -d" + std::to_string(seconds) + "s --latency -H 'X-Auth-Token: " +
                      token + "' -H 'Accept: */*' " + (script.empty() ? "" : "-s " + script + " ") + url + " 2>&1";
    FILE *p = popen(cmd.c_str(), "r");
    std::string out;
    char buf[4096];
    while (size_t n = fread(buf, 1, sizeof buf, p)) out.append(buf, n);
    pclose(p);
    WrkResult r;
    std::smatch m;
    if (std::regex_search(out, m, std::regex(R"(Requests/sec:\s+([0-9.]+))"))) r.rps = std::stod(m[1]);
    if (std::regex_search(out, m, std::regex(R"(99%\s+([0-9.]+)(us|ms|s|m))"))) r.p99ms = toMs(std::stod(m[1]), m[2]);
    if (out.find("Non-2xx") != std::string::npos) std::cerr << "warning: non-2xx replies:\n" << out;
    return r;
}

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

void bench(const std::string &backend, ClusterApp &app, int seconds)
{
    cluster::test::HttpClient c(app.port());
    c.token = "00000000";
    std::string one;
    for (int i = 0; i < 1000; ++i) {
        auto r = c.request("POST", "/midonet-api/bridges", nlohmann::json{{"name", "bench" + std::to_string(i)}, {"tenantId", "bench"}}.dump());
        if (r.status != 201) throw std::runtime_error("populate: status " + std::to_string(r.status));
        if (one.empty()) one = r.header("location");
    }
    std::string base = "http://127.0.0.1:" + std::to_string(app.port());
    std::string script = "/tmp/midonet_bench_post.lua";
    std::ofstream(script) << "wrk.method = \"POST\"\nwrk.body = '{\"name\":\"wrk\",\"tenantId\":\"other\"}'\n"
                             "wrk.headers[\"Content-Type\"] = \"application/vnd.org.midonet.Bridge-v4+json\"\n";
    struct Case {
        std::string name, url, script;
        int connections;
    };
    // The 1,000-item list is measured before POST adds more bridges (filtered by tenant so later
    // creates do not change its size either way).
    std::vector<Case> cases{{"get_item", one, "", 32},
                            {"get_list_1000", base + "/midonet-api/bridges?tenant_id=bench", "", 8},
                            {"post_create", base + "/midonet-api/bridges", script, 16}};
    for (const auto &k : cases) {
        std::vector<double> rps, p99;
        for (int run = 0; run < 3; ++run) {
            auto r = runWrk(k.url, "00000000", seconds, k.connections, k.script);
            rps.push_back(r.rps);
            p99.push_back(r.p99ms);
        }
        std::printf("BENCH cluster_%s_%s_rps %.0f requests/s\n", backend.c_str(), k.name.c_str(), median(rps));
        std::printf("BENCH cluster_%s_%s_p99 %.2f ms\n", backend.c_str(), k.name.c_str(), median(p99));
        std::fflush(stdout);
    }
}

} // namespace

int main(int argc, char **argv)
{
    int seconds = argc > 1 ? std::atoi(argv[1]) : 5;
    spdlog::set_level(spdlog::level::warn);
    if (std::system("wrk --version > /dev/null 2>&1") > 256) {
        std::cerr << "wrk is not installed (Debian package wrk)\n";
        return 1;
    }
    ClusterOptions o;
    o.listen = "127.0.0.1:0";
    o.auth = "none"; // token checks are one HMAC; measure the API and the store
    o.threads = 2;
    {
        o.store = "memory";
        ClusterApp app(o);
        app.start();
        bench("memory", app, seconds);
    }
    if (auto why = midonet::test::zooKeeperUnavailableReason(); !why.empty()) {
        std::cerr << "zookeeper: skipped: " << why << "\n";
        return 0;
    }
    midonet::test::ZooKeeperServer zk;
    o.store = "zookeeper";
    o.zookeeper = zk.connectString();
    o.zookeeperRoot = "/bench-" + util::Uuid::random().toString().substr(0, 8) + "/v1";
    o.threads = 8; // store calls block their I/O thread: more threads keep ZooKeeper busy
    ClusterApp app(o);
    app.start();
    bench("zookeeper", app, seconds);
    return 0;
}
