// dp_restart_probe: the process that owns a kernel (ovs) datapath, as the agent does, for the
// restart test that runs inside the qemu VM (tests/kernel/restart/restart-in-vm.sh).
//
//   dp_restart_probe hold DP PORT_A PORT_B
//       Creates datapath DP with two netdev ports and installs the "established" flows: ICMP
//       and ARP between A and B, by in_port (the agent's megaflows for a running ping). Then
//       serves upcalls (misses get a per-destination-port UDP flow, as below) until killed.
//       Prints "ready" once the flows are in.
//   dp_restart_probe takeover DP NS_A NS_B DST_IP SECONDS
//       The restarted owner: opens the existing DP (upcalls move to this process), adopts the
//       flows it finds (they stay in the kernel, as the agent's FlowTable::adopt keeps them for
//       a grace period), then proves that new flows work: a UDP flow A -> B:7000 that no flow
//       matches misses, comes up here, gets a flow installed and the packet executed. A sender
//       in NS_A sends one datagram every 5 ms; the first one received in NS_B ends the
//       measurement. Serves upcalls for SECONDS, then exits.
//
// Output: "BENCH <name> <value> <unit>" lines (restart_open_ms, restart_adopted_flows,
// restart_adopted_icmp_packets, restart_new_flow_ms) and "RESULT new_flow ok|timeout".
#include "agent/datapath/datapath.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <thread>

using namespace midonet::dp;
using namespace midonet::flow;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

namespace {

constexpr uint16_t kEthArp = 0x0806, kEthIpv4 = 0x0800;
constexpr uint8_t kIcmp = 1;

double msSince(Clock::time_point t0)
{
    return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

FlowMatch byInPort(uint32_t in, uint16_t ethType, uint8_t proto = 0)
{
    FlowKey k;
    k.inPort = in;
    k.ethType = ethType;
    FlowMask m;
    m.mark(Field::InPort).mark(Field::EthType);
    if (proto) {
        k.ipProto = proto;
        m.mark(Field::IpProto);
    }
    return FlowMatch(k, m);
}

// Misses become a flow on (in_port, UDP/TCP/…, destination port), output to the other port.
void serveUpcalls(Datapath &dp, uint32_t a, uint32_t b, Clock::time_point until)
{
    std::vector<Upcall> ups;
    while (Clock::now() < until) {
        ups.clear();
        if (!dp.pollUpcalls(ups, 64, 50ms))
            continue;
        for (Upcall &u : ups) {
            if (u.inPort != a && u.inPort != b)
                continue;
            uint32_t out = u.inPort == a ? b : a;
            FlowMask m;
            m.mark(Field::InPort).mark(Field::EthType);
            if (u.key.ethType == kEthIpv4 && (u.key.ipProto == 6 || u.key.ipProto == 17))
                m.mark(Field::IpProto).mark(Field::TpDst); // the kernel wants the protocol exact
            try {
                dp.putFlow(FlowMatch(u.key, m), {OutputAction{out}}, PutMode::Create);
            } catch (const DatapathError &) {
                // already there (two packets of one flow missed together)
            }
            dp.execute(u.packet, u.key, {OutputAction{out}});
        }
    }
}

// A socket created inside network namespace `ns` (ip netns name); the thread comes back.
int socketIn(const std::string &ns, int type)
{
    int self = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
    int target = open(("/run/netns/" + ns).c_str(), O_RDONLY | O_CLOEXEC);
    if (self < 0 || target < 0 || setns(target, CLONE_NEWNET) != 0) {
        std::fprintf(stderr, "cannot enter namespace %s: %s\n", ns.c_str(), std::strerror(errno));
        std::exit(1);
    }
    int fd = socket(AF_INET, type | SOCK_CLOEXEC, 0);
    setns(self, CLONE_NEWNET);
    close(self);
    close(target);
    return fd;
}

int hold(const std::string &name, const std::string &pa, const std::string &pb)
{
    DatapathOptions o;
    o.backend = Backend::Ovs;
    auto dp = createDatapath(name, o);
    uint32_t a = dp->addPort({pa, PortType::Netdev});
    uint32_t b = dp->addPort({pb, PortType::Netdev});
    for (auto [in, out] : {std::pair{a, b}, std::pair{b, a}}) {
        dp->putFlow(byInPort(in, kEthIpv4, kIcmp), {OutputAction{out}});
        dp->putFlow(byInPort(in, kEthArp), {OutputAction{out}});
    }
    std::printf("ready\n");
    std::fflush(stdout);
    serveUpcalls(*dp, a, b, Clock::time_point::max());
    return 0;
}

int takeover(const std::string &name, const std::string &nsA, const std::string &nsB,
             const std::string &dst, int seconds)
{
    const auto t0 = Clock::now();
    DatapathOptions o;
    o.backend = Backend::Ovs;
    auto dp = openDatapath(name, o);
    const double openMs = msSince(t0);
    // What the agent does on restart: keep what the kernel forwards, forget nothing yet.
    size_t adopted = 0;
    uint64_t icmpPackets = 0;
    for (const Flow &f : dp->dumpFlows()) {
        ++adopted;
        if (f.match.key.ipProto == kIcmp)
            icmpPackets += f.stats.packets;
    }
    std::vector<PortInfo> ports = dp->listPorts();
    uint32_t a = 0, b = 0;
    for (const PortInfo &p : ports) {
        if (p.number == 0)
            continue;
        (a ? b : a) = p.number;
    }
    std::printf("BENCH restart_open_ms %.1f ms\n", openMs);
    std::printf("BENCH restart_adopted_flows %zu flows\n", adopted);
    std::printf("BENCH restart_adopted_icmp_packets %llu packets\n",
                (unsigned long long)icmpPackets);
    std::fflush(stdout);

    // The new flow: UDP A -> B:7000, sent every 5 ms until B has one.
    int rx = socketIn(nsB, SOCK_DGRAM);
    int tx = socketIn(nsA, SOCK_DGRAM);
    sockaddr_in any{};
    any.sin_family = AF_INET;
    any.sin_port = htons(7000);
    if (bind(rx, reinterpret_cast<sockaddr *>(&any), sizeof any) != 0) {
        std::perror("bind in B");
        return 1;
    }
    sockaddr_in to = any;
    inet_pton(AF_INET, dst.c_str(), &to.sin_addr);
    std::atomic<bool> received{false};
    std::atomic<double> newFlowMs{-1};
    std::thread sender([&] {
        while (!received && msSince(t0) < 5000) {
            sendto(tx, "new", 3, 0, reinterpret_cast<sockaddr *>(&to), sizeof to);
            std::this_thread::sleep_for(5ms);
        }
    });
    std::thread receiver([&] {
        pollfd p{rx, POLLIN, 0};
        if (poll(&p, 1, 5000) == 1) {
            newFlowMs = msSince(t0);
            received = true;
        }
    });
    serveUpcalls(*dp, a, b, t0 + std::chrono::seconds(seconds));
    receiver.join();
    received = true;
    sender.join();
    if (newFlowMs >= 0) {
        std::printf("BENCH restart_new_flow_ms %.1f ms\n", newFlowMs.load());
        std::printf("RESULT new_flow ok\n");
    } else {
        std::printf("RESULT new_flow timeout\n");
    }
    return 0;
}

} // namespace

int main(int argc, char **argv)
{
    const std::string mode = argc > 1 ? argv[1] : "";
    try {
        if (mode == "hold" && argc == 5)
            return hold(argv[2], argv[3], argv[4]);
        if (mode == "takeover" && argc == 7)
            return takeover(argv[2], argv[3], argv[4], argv[5], std::stoi(argv[6]));
    } catch (const std::exception &e) {
        std::fprintf(stderr, "dp_restart_probe %s: %s\n", mode.c_str(), e.what());
        return 1;
    }
    std::fprintf(stderr, "usage: dp_restart_probe hold DP PORT_A PORT_B\n"
                         "       dp_restart_probe takeover DP NS_A NS_B DST_IP SECONDS\n"
                         "(run by tests/kernel/restart/restart-in-vm.sh inside the VM)\n");
    return mode == "--help" ? 0 : 2;
}
