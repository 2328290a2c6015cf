// Upcall fairness of the userspace datapath: one port floods new flows (every packet a miss)
// while (a) an established flow between two other ports keeps forwarding and (b) a third
// port's occasional misses still reach a slow agent. The flood may only lose its own upcalls.
#include "agent/datapath/datapath.h"

#include "tests/e2e/datapath/netns_fixture.h"

#include <QtTest/QtTest>

#include <linux/if_packet.h>
#include <net/if.h>
#include <netinet/ether.h>

#include <atomic>

using namespace midonet;
using namespace midonet::dp;
using namespace midonet::dp::test;
using namespace midonet::flow;
using namespace std::chrono_literals;

namespace {
FlowMatch inPortOnly(uint32_t port)
{
    FlowKey k;
    k.inPort = port;
    return FlowMatch(k, FlowMask().mark(Field::InPort));
}

// Raw Ethernet/IPv4/UDP frames from H1, each with a new source port and destination: all
// different flow keys, so every one is a miss.
void flood(const Netns &ns, std::atomic<bool> &stop, std::atomic<uint64_t> &sent)
{
    EnterNetns e(ns);
    int fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
    sockaddr_ll sll{};
    sll.sll_family = AF_PACKET;
    sll.sll_ifindex = int(if_nametoindex("eth0"));
    sll.sll_halen = 6;
    uint8_t f[60] = {0x02, 0, 0, 0, 0, 0x63, 0x02, 0, 0, 0, 0, 0x01, 0x08, 0x00,
                     0x45, 0, 0, 46, 0, 0, 0x40, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 9, 0, 0,
                     0, 0, 0x1f, 0x90, 0, 26, 0, 0};
    uint32_t i = 0;
    while (!stop) {
        ++i;
        f[32] = uint8_t(i >> 8);
        f[33] = uint8_t(i);
        f[34] = uint8_t(i >> 16);
        f[35] = uint8_t(i >> 24);
        if (sendto(fd, f, sizeof f, 0, reinterpret_cast<sockaddr *>(&sll), sizeof sll) > 0)
            sent.fetch_add(1);
        else
            std::this_thread::yield();
    }
    close(fd);
}
} // namespace

class TestDatapathFairness : public QObject {
    Q_OBJECT

private slots:
    void floodingPortStarvesNobody()
    {
        if (geteuid() != 0)
            QSKIP("needs root: creates network namespaces and a datapath");
        std::string prefix = "mndp-" + std::to_string(getpid()) + "-f";
        Netns sw(prefix + "sw"), h1(prefix + "h1"), h2(prefix + "h2"), h3(prefix + "h3");
        vethPair(h1, "eth0", sw, "p1");
        vethPair(h2, "eth0", sw, "p2");
        vethPair(h3, "eth0", sw, "p3");
        h1.execOrThrow("ip addr add 10.0.0.1/24 dev eth0");
        h2.execOrThrow("ip addr add 10.0.0.2/24 dev eth0");
        h3.execOrThrow("ip addr add 10.0.0.3/24 dev eth0");
        h2.execOrThrow("ip link set eth0 address 02:00:00:00:00:02");
        h3.execOrThrow("ip link set eth0 address 02:00:00:00:00:03");
        h2.execOrThrow("ip neigh replace 10.0.0.3 lladdr 02:00:00:00:00:03 dev eth0 nud permanent");
        h3.execOrThrow("ip neigh replace 10.0.0.2 lladdr 02:00:00:00:00:02 dev eth0 nud permanent");
        h3.execOrThrow("ip neigh replace 10.0.0.99 lladdr 02:00:00:00:00:99 dev eth0 nud permanent");

        std::unique_ptr<Datapath> dp;
        uint32_t p1, p2, p3;
        {
            EnterNetns e(sw);
            DatapathOptions o;
            o.backend = Backend::Userspace;
            o.upcallQueuePerPort = 64;
            dp = createDatapath("mndpf", o);
            p1 = dp->addPort({"p1"});
            p2 = dp->addPort({"p2"});
            p3 = dp->addPort({"p3"});
        }
        dp->putFlow(inPortOnly(p2), {OutputAction{p3}});
        {
            // Back to H2 only what is for H2: H3's packets to 10.0.0.99 must miss.
            FlowKey k;
            k.inPort = p3;
            k.ethType = kEthTypeIpv4;
            k.ipv4Dst = *IPv4Address::parse("10.0.0.2");
            dp->putFlow(FlowMatch(k, FlowMask().mark(Field::InPort).mark(Field::EthType)
                                         .mark(Field::Ipv4Dst)),
                        {OutputAction{p2}});
        }

        // A slow agent: 16 upcalls per 5 ms at most.
        std::atomic<bool> stop{false};
        std::atomic<uint64_t> fromP1{0}, fromP3{0}, sent{0}, other{0};
        std::thread agent([&] {
            std::vector<Upcall> ups;
            while (!stop) {
                ups.clear();
                dp->pollUpcalls(ups, 16, 10ms);
                for (auto &u : ups) {
                    if (u.inPort == p1)
                        ++fromP1;
                    else if (u.inPort == p3 && u.key.ipv4Dst.toString() == "10.0.0.99")
                        ++fromP3;
                    else
                        ++other;
                }
                std::this_thread::sleep_for(5ms);
            }
        });
        std::thread flooder([&] { flood(h1, stop, sent); });
        std::this_thread::sleep_for(300ms); // the flood is on

        UdpSocket rx(h3, 6000), tx(h2, 0), miss(h3, 0);
        const int established = 500, misses = 20;
        for (int i = 0; i < established; ++i) {
            tx.sendTo("10.0.0.3", 6000, "e" + std::to_string(i));
            if (i % (established / misses) == 0)
                miss.sendTo("10.0.0.99", 6001, "m");
            std::this_thread::sleep_for(2ms);
        }
        int received = 0;
        while (!rx.recv(500).empty())
            ++received;
        std::this_thread::sleep_for(300ms);
        stop = true;
        flooder.join();
        agent.join();
        DatapathStats st = dp->stats();
        qInfo("flood sent %llu, upcalls from the flooder %llu, lost %llu; established %d/%d; "
              "other port's misses delivered %llu/%d",
              (unsigned long long)sent.load(), (unsigned long long)fromP1.load(),
              (unsigned long long)st.lost, received, established,
              (unsigned long long)fromP3.load(), misses);
        qInfo("other upcalls %llu; ports: ", (unsigned long long)other.load());
        for (auto &p : dp->listPorts())
            qInfo("  port %u %s rx %llu tx %llu txdrop %llu", p.number, p.name.c_str(),
                  (unsigned long long)p.stats.rxPackets, (unsigned long long)p.stats.txPackets,
                  (unsigned long long)p.stats.txDropped);
        {
            EnterNetns e(sw);
            dp->destroy();
            dp.reset();
        }
        QVERIFY2(st.lost > 0, "the flood never filled its queue: the test proved nothing");
        QVERIFY2(received >= established * 99 / 100, "established flow stalled by the flood");
        QVERIFY2(fromP3 >= uint64_t(misses) * 9 / 10, "other port's misses starved by the flood");
    }
};

QTEST_GUILESS_MAIN(TestDatapathFairness)
#include "tst_datapath_fairness.moc"
