// store_bench: what the NSDB Store costs, memory and ZooKeeper side by side.
//
// For each backend: single-thread writes/s (update of existing objects), writes/s from 8 threads
// (REST request threads), reads/s, multi-ops of 10 creates/s, and the watch notification latency
// (write on one session, notified on another; one write in flight at a time) at p50 and p99.
// Each figure is the median of 3 runs, printed as `BENCH <name> <value> <unit>`.
// ZooKeeper is a private standalone server on loopback (tests/support), fsync off, so the
// figures are of the client, the protocol and the server, not of the disk.
//
// Usage: store_bench [--quick]   (--quick: shorter runs, for a smoke test)
#include "common/store/memory_store.h"
#include "common/store/zookeeper_store.h"
#include "tests/support/zookeeper_server.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

using namespace midonet::store;
using Clock = std::chrono::steady_clock;

namespace {

double gRunSeconds = 1.0;

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

void print(const std::string &name, double value, const char *unit)
{
    std::printf("BENCH %s %.0f %s\n", name.c_str(), value, unit);
    std::fflush(stdout);
}

// Runs `op` (which returns how many operations it did) until gRunSeconds pass; returns ops/s.
double rate(const std::function<int()> &op)
{
    auto start = Clock::now();
    auto end = start + std::chrono::duration<double>(gRunSeconds);
    long n = 0;
    while (Clock::now() < end)
        n += op();
    return n / std::chrono::duration<double>(Clock::now() - start).count();
}

double rateThreads(int threads, const std::function<int(int)> &op)
{
    std::atomic<long> total{0};
    std::atomic<bool> stop{false};
    std::vector<std::thread> ts;
    auto start = Clock::now();
    for (int t = 0; t < threads; ++t)
        ts.emplace_back([&, t] {
            long n = 0;
            while (!stop)
                n += op(t);
            total += n;
        });
    std::this_thread::sleep_for(std::chrono::duration<double>(gRunSeconds));
    stop = true;
    for (auto &t : ts)
        t.join();
    return total / std::chrono::duration<double>(Clock::now() - start).count();
}

struct Latency {
    double p50, p99;
};

// Ping-pong: write, wait for the other session's notification, repeat.
Latency watchLatency(Store &writer, Store &watcher, int samples)
{
    auto id = Uuid::random();
    writer.create("bridges", id, "0");
    std::mutex m;
    std::condition_variable cv;
    Version seen = 0;
    auto w = watcher.watchObject("bridges", id, [&](const Change &c) {
        std::lock_guard lock(m);
        seen = c.version;
        cv.notify_all();
    });
    std::vector<double> us;
    for (int i = 1; i <= samples; ++i) {
        auto t0 = Clock::now();
        writer.update("bridges", id, std::to_string(i));
        std::unique_lock lock(m);
        if (!cv.wait_for(lock, std::chrono::seconds(10), [&] { return seen >= i; })) {
            std::fprintf(stderr, "store_bench: notification %d never came\n", i);
            break;
        }
        us.push_back(std::chrono::duration<double, std::micro>(Clock::now() - t0).count());
    }
    std::sort(us.begin(), us.end());
    if (us.empty())
        return {0, 0};
    return {us[us.size() / 2], us[std::min(us.size() - 1, us.size() * 99 / 100)]};
}

void benchBackend(const std::string &prefix, const std::function<std::unique_ptr<Store>()> &newStore,
                  int latencySamples)
{
    std::vector<double> writes, writes8, reads, multis, p50s, p99s;
    for (int run = 0; run < 3; ++run) {
        auto a = newStore();
        auto b = newStore();
        std::vector<Uuid> ids(64);
        for (auto &id : ids) {
            id = Uuid::random();
            a->create("bridges", id, R"({"name":"bench","admin_state_up":true})");
        }
        std::size_t next = 0;
        const std::string body = R"({"name":"bench-updated","admin_state_up":true,"tenant_id":"t1"})";
        writes.push_back(rate([&] {
            a->update("bridges", ids[next++ % ids.size()], body);
            return 1;
        }));
        writes8.push_back(rateThreads(8, [&](int t) {
            a->update("bridges", ids[static_cast<std::size_t>(t)], body);
            return 1;
        }));
        reads.push_back(rate([&] {
            (void)a->get("bridges", ids[next++ % ids.size()]);
            return 1;
        }));
        multis.push_back(rate([&] {
            std::vector<Op> ops;
            for (int i = 0; i < 10; ++i)
                ops.push_back(Op::create("ports", Uuid::random(), body));
            a->multi(ops);
            return 1;
        }));
        auto lat = watchLatency(*a, *b, latencySamples);
        p50s.push_back(lat.p50);
        p99s.push_back(lat.p99);
    }
    print(prefix + "_writes_per_s", median(writes), "ops/s");
    print(prefix + "_writes_8_threads_per_s", median(writes8), "ops/s");
    print(prefix + "_reads_per_s", median(reads), "ops/s");
    print(prefix + "_multi10_per_s", median(multis), "multi/s");
    print(prefix + "_watch_latency_p50", median(p50s), "us");
    print(prefix + "_watch_latency_p99", median(p99s), "us");
}

} // namespace

int main(int argc, char **argv)
{
    bool quick = argc > 1 && std::strcmp(argv[1], "--quick") == 0;
    if (argc > 1 && !quick) {
        std::fprintf(stderr, "usage: store_bench [--quick]\n");
        return 2;
    }
    if (quick)
        gRunSeconds = 0.2;
    const int samples = quick ? 200 : 2000;

    auto db = MemoryStore::newDatabase();
    benchBackend("memory", [&] { return std::make_unique<MemoryStore>(db); }, samples);

    if (auto why = midonet::test::zooKeeperUnavailableReason(); !why.empty()) {
        std::fprintf(stderr, "store_bench: ZooKeeper figures skipped: %s\n", why.c_str());
        return 0;
    }
    try {
        midonet::test::ZooKeeperServer server;
        ZooKeeperStore::Options o;
        o.servers = server.connectString();
        o.root = "/midonet-bench/v1";
        benchBackend("zk", [&] { return std::make_unique<ZooKeeperStore>(o); }, samples);
    } catch (const std::exception &e) {
        std::fprintf(stderr, "store_bench: ZooKeeper run failed: %s\n", e.what());
        return 1;
    }
    return 0;
}
