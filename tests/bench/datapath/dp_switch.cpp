// dp_switch: runs our userspace datapath as a two-port switch for the benchmark script.
//   dp_switch PORT_A PORT_B [--upcalls]
// Default: megaflows in_port(A) -> B and in_port(B) -> A are installed up front (the fast path
// the benchmark measures). --upcalls: no flows; a trivial handler installs one megaflow per
// miss (in_port + UDP source port) and executes the packet, measuring new flows per second.
// Runs in the caller's network namespace until SIGINT/SIGTERM, then prints its counters as
// BENCH-style lines on stdout.
#include "agent/datapath/datapath.h"

#include <csignal>
#include <cstdio>
#include <cstring>
#include <thread>

using namespace midonet::dp;
using namespace midonet::flow;
using namespace std::chrono_literals;

namespace {
volatile std::sig_atomic_t g_stop = 0;
void onSignal(int) { g_stop = 1; }
} // namespace

int main(int argc, char **argv)
{
    if (argc < 3) {
        std::fprintf(stderr, "usage: dp_switch PORT_A PORT_B [--upcalls]\n");
        return 2;
    }
    bool upcalls = argc > 3 && std::strcmp(argv[3], "--upcalls") == 0;
    std::signal(SIGINT, onSignal);
    std::signal(SIGTERM, onSignal);
    DatapathOptions o;
    o.backend = Backend::Userspace;
    o.maxFlows = 1 << 20;
    o.upcallQueuePerPort = 1024;
    auto dp = createDatapath("mndpbench", o);
    uint32_t a = dp->addPort({argv[1], PortType::Netdev});
    uint32_t b = dp->addPort({argv[2], PortType::Netdev});
    auto inPort = [](uint32_t p) {
        FlowKey k;
        k.inPort = p;
        return FlowMatch(k, FlowMask().mark(Field::InPort));
    };
    if (!upcalls) {
        dp->putFlow(inPort(a), {OutputAction{b}});
        dp->putFlow(inPort(b), {OutputAction{a}});
    }
    std::printf("ready\n");
    std::fflush(stdout);
    uint64_t installed = 0;
    auto firstUpcall = std::chrono::steady_clock::time_point{};
    auto lastUpcall = firstUpcall;
    std::vector<Upcall> ups;
    while (!g_stop) {
        ups.clear();
        if (!dp->pollUpcalls(ups, 64, 100ms))
            continue;
        for (Upcall &u : ups) {
            uint32_t out = u.inPort == a ? b : a;
            FlowMask m;
            m.mark(Field::InPort).mark(Field::EthType).mark(Field::IpProto).mark(Field::TpSrc);
            try {
                dp->putFlow(FlowMatch(u.key, m), {OutputAction{out}}, PutMode::Create);
                ++installed;
            } catch (const DatapathError &) {
                // already installed by an earlier upcall of the same flow
            }
            dp->execute(u.packet, u.key, {OutputAction{out}});
            lastUpcall = std::chrono::steady_clock::now();
            if (firstUpcall == std::chrono::steady_clock::time_point{})
                firstUpcall = lastUpcall;
        }
    }
    DatapathStats s = dp->stats();
    std::printf("STAT exact_hit %llu\nSTAT megaflow_hit %llu\nSTAT upcall %llu\nSTAT lost %llu\n",
                (unsigned long long)s.exactHit, (unsigned long long)s.megaflowHit,
                (unsigned long long)s.upcall, (unsigned long long)s.lost);
    if (upcalls && installed) {
        double secs = std::chrono::duration<double>(lastUpcall - firstUpcall).count();
        std::printf("STAT flows_installed %llu\nSTAT new_flows_per_s %.0f\n",
                    (unsigned long long)installed, secs > 0 ? installed / secs : 0.0);
    }
    dp->destroy();
    return 0;
}
