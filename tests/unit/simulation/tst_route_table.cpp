// The router's longest-prefix-match index (agent/simulation/detail/route_table.h) against two
// references on the same finalized snapshot: the definition written out plainly (every route
// that matches and is usable, then the longest prefix, then the lowest weight, in list order),
// and the linear scan the simulation used before the index. Randomised route sets (source
// prefixes, weights and ECMP ties, ports interior / exterior active / inactive / unplugged /
// unknown, blackhole/reject/local routes, host bits in destinations) and targeted cases.
#include "agent/simulation/detail/route_table.h"

#include "sim_fixture.h"

#include <random>

using namespace simtest;
using midonet::sim::detail::RouteTable;

namespace {

bool usable(const TopologySnapshot &topo, const Route &rt)
{
    const Port *p = topo.port(rt.nextHopPort);
    return p && (p->isInterior() || (p->isExterior() && p->active));
}

// The definition, with no reliance on the list's order for which routes qualify.
std::vector<const Route *> reference(const TopologySnapshot &topo, const Router &r, IPv4Address dst,
                                     IPv4Address src)
{
    std::vector<const Route *> ok;
    for (const Route &rt : r.routes)
        if (rt.dst.length <= 32 && rt.dst.contains(dst) && rt.src.contains(src) &&
            (rt.nextHop != NextHop::Port || usable(topo, rt)))
            ok.push_back(&rt);
    if (ok.empty()) return ok;
    int len = 0;
    for (const Route *rt : ok) len = std::max<int>(len, rt->dst.length);
    uint32_t weight = UINT32_MAX;
    for (const Route *rt : ok)
        if (rt->dst.length == len) weight = std::min(weight, rt->weight);
    std::vector<const Route *> out;
    for (const Route *rt : ok)
        if (rt->dst.length == len && rt->weight == weight) out.push_back(rt);
    return out;
}

// The simulation's lookup before the index (router.cpp until 2026-11-26), verbatim.
std::vector<const Route *> linearScan(const TopologySnapshot &topo, const Router &r, IPv4Address dst,
                                      IPv4Address src)
{
    std::vector<const Route *> out;
    int bestLen = -1;
    uint32_t bestWeight = 0;
    for (const Route &rt : r.routes) {
        if (bestLen >= 0 && rt.dst.length < bestLen) break;
        if (!rt.dst.contains(dst) || !rt.src.contains(src)) continue;
        if (rt.nextHop == NextHop::Port) {
            const Port *p = topo.port(rt.nextHopPort);
            if (!p || !(p->isInterior() || (p->isExterior() && p->active))) continue;
        }
        if (bestLen < 0) {
            bestLen = rt.dst.length;
            bestWeight = rt.weight;
        }
        if (rt.weight < bestWeight) {
            out.clear();
            bestWeight = rt.weight;
        }
        if (rt.weight == bestWeight) out.push_back(&rt);
    }
    return out;
}

std::vector<const Route *> indexed(const TopologySnapshot &topo, const Router &r, IPv4Address dst,
                                   IPv4Address src)
{
    std::vector<const Route *> out;
    const RouteTable *t = topo.routeTable(r.id);
    if (!t) qFatal("no route table for router %s", r.id.toString().c_str());
    t->lookup(r.routes, dst, src, [&](const Route &rt) { return usable(topo, rt); }, out);
    return out;
}

QString describe(const std::vector<const Route *> &v)
{
    QStringList s;
    for (const Route *rt : v)
        s << QString("%1 %2/%3 src %4/%5 w%6")
                 .arg(rt->id.lo)
                 .arg(QString::fromStdString(rt->dst.address.toString()))
                 .arg(rt->dst.length)
                 .arg(QString::fromStdString(rt->src.address.toString()))
                 .arg(rt->src.length)
                 .arg(rt->weight);
    return s.join("; ");
}

// Ports of the random router: what makes a Port route usable or not.
const Uuid kInterior = id(501), kExtActive = id(502), kExtInactive = id(503), kUnplugged = id(504),
           kUnknownPort = id(505), kExtActive2 = id(506), kPeer = id(507);

TopologySnapshot randomTopology(uint32_t seed, int routes, int addressBits)
{
    std::mt19937 rng(seed);
    TopologySnapshot topo;
    topo.localHost = kLocalHost;
    auto port = [&](Uuid pid, bool interior, bool exterior, bool active) {
        Port p;
        p.id = pid;
        p.deviceId = kRouter;
        p.deviceType = DeviceType::Router;
        if (interior) p.peerId = kPeer;
        if (exterior) p.hostId = kLocalHost;
        p.active = active;
        topo.addPort(p); // no address: no implicit routes, the set is exactly the random one
    };
    port(kInterior, true, false, true);
    port(kExtActive, false, true, true);
    port(kExtActive2, false, true, true);
    port(kExtInactive, false, true, false);
    port(kUnplugged, false, false, true);
    const Uuid portsPool[] = {kInterior, kExtActive, kExtActive2, kExtInactive, kUnplugged, kUnknownPort};
    const uint8_t lengths[] = {0, 1, 8, 12, 16, 20, 23, 24, 25, 28, 31, 32};
    const uint32_t weights[] = {0, 10, 100, 100, 100, 200};
    // Addresses from a small space (the `addressBits` bits below 10.0.0.0/8's first octet
    // vary, plus a random last octet) so prefixes overlap and ties are common.
    auto addr = [&] {
        const uint32_t hi = uint32_t(rng()) & ((1u << addressBits) - 1);
        return IPv4Address{0x0a000000u | (hi << (24 - addressBits)) | (uint32_t(rng()) & 0xff)};
    };
    Router r;
    r.id = kRouter;
    for (int i = 0; i < routes; ++i) {
        Route rt;
        rt.id = id(100000 + uint64_t(rng() % 1000000)); // ids in random order, duplicates possible
        rt.dst = IPv4Subnet{addr(), lengths[rng() % std::size(lengths)]}; // host bits kept
        if (rng() % 4 == 0) rt.src = IPv4Subnet{addr(), lengths[rng() % std::size(lengths)]};
        rt.weight = weights[rng() % std::size(weights)];
        switch (rng() % 10) {
        case 0: rt.nextHop = NextHop::Blackhole; break;
        case 1: rt.nextHop = NextHop::Reject; break;
        case 2: rt.nextHop = NextHop::Local; break;
        default: rt.nextHop = NextHop::Port; break;
        }
        rt.nextHopPort = portsPool[rng() % std::size(portsPool)];
        r.routes.push_back(rt);
        if (rng() % 5 == 0) { // an equal twin via another port: an ECMP tie
            rt.id = id(100000 + uint64_t(rng() % 1000000));
            rt.nextHopPort = portsPool[rng() % std::size(portsPool)];
            r.routes.push_back(rt);
        }
    }
    topo.addRouter(r);
    topo.finalize();
    return topo;
}

} // namespace

class TstRouteTable : public QObject
{
    Q_OBJECT
private slots:
    void matchesReferences_data()
    {
        QTest::addColumn<uint32_t>("seed");
        QTest::addColumn<int>("routes");
        QTest::addColumn<int>("addressBits");
        // Dense (few addresses, many overlaps and ties) to sparse (mostly misses).
        for (uint32_t seed = 1; seed <= 8; ++seed) {
            QTest::addRow("dense-%u", seed) << seed << 60 << 2;
            QTest::addRow("medium-%u", seed) << seed * 7919 << 400 << 6;
            QTest::addRow("sparse-%u", seed) << seed * 104729 << 2000 << 12;
        }
        QTest::addRow("empty") << 5u << 0 << 4;
        QTest::addRow("one") << 6u << 1 << 0;
    }

    void matchesReferences()
    {
        QFETCH(uint32_t, seed);
        QFETCH(int, routes);
        QFETCH(int, addressBits);
        const TopologySnapshot topo = randomTopology(seed, routes, addressBits);
        const Router &r = *topo.router(kRouter);
        std::mt19937 rng(seed ^ 0xabcdefu);
        int nonEmpty = 0, ecmp = 0;
        for (int q = 0; q < 3000; ++q) {
            IPv4Address dst, src;
            if (q % 3 == 0 && !r.routes.empty()) { // exactly on some route's network / address
                const Route &rt = r.routes[rng() % r.routes.size()];
                dst = q % 2 ? rt.dst.address : rt.dst.network();
                src = rt.src.address;
            } else {
                const uint32_t hi = uint32_t(rng()) & ((1u << addressBits) - 1);
                dst = IPv4Address{0x0a000000u | (hi << (24 - addressBits)) | (uint32_t(rng()) & 0xff)};
                if (q % 7 == 0) dst = IPv4Address{uint32_t(rng())}; // anywhere
                src = IPv4Address{0x0a000000u | (uint32_t(rng()) & 0x00ffffffu)};
            }
            const auto want = reference(topo, r, dst, src);
            const auto old = linearScan(topo, r, dst, src);
            const auto got = indexed(topo, r, dst, src);
            if (got != want || old != want) {
                qWarning("dst %s src %s", dst.toString().c_str(), src.toString().c_str());
                QCOMPARE(describe(got), describe(want));
                QCOMPARE(describe(old), describe(want));
            }
            nonEmpty += !want.empty();
            ecmp += want.size() > 1;
        }
        // The random sets must exercise what they are meant to (hits, and ties where dense).
        if (routes >= 60) QVERIFY2(nonEmpty > 100, qPrintable(QString("only %1 hits").arg(nonEmpty)));
        if (addressBits <= 2 && routes >= 60)
            QVERIFY2(ecmp > 10, qPrintable(QString("only %1 ECMP").arg(ecmp)));
    }

    void longestUsablePrefixWins()
    {
        Fixture f;
        f.buildTwoTier();
        auto add = [&](uint64_t n, const char *dst, Uuid port, uint32_t weight = 100) {
            Route rt;
            rt.id = id(n);
            rt.dst = cidr(dst);
            rt.nextHopPort = port;
            rt.weight = weight;
            f.router(kRouter).routes.push_back(rt);
        };
        add(600, "198.51.100.0/24", kUplink);
        add(601, "198.51.100.0/25", id(999)); // unknown port: not usable
        add(602, "198.51.100.128/25", kUplink, 300);
        f.topo.finalize();
        const Router &r = *f.topo.router(kRouter);
        auto ids = [&](const char *dst, const char *src = "10.0.0.11") {
            QStringList s;
            for (const Route *rt : indexed(f.topo, r, ip(dst), ip(src))) s << QString::number(rt->id.lo);
            return s.join(",");
        };
        QCOMPARE(ids("198.51.100.7"), QString("600"));   // the /25 is unusable: the /24
        QCOMPARE(ids("198.51.100.200"), QString("602")); // the /25 wins whatever its weight
        QCOMPARE(ids("8.8.8.8"), QString::number(kDefaultRoute.lo));
        // The uplink goes inactive (a standby): its routes no longer count, nor the default's.
        Port up = *f.topo.port(kUplink);
        up.active = false;
        f.topo.addPort(up);
        f.topo.finalize();
        QCOMPARE(ids("198.51.100.200"), QString());
        QCOMPARE(ids("8.8.8.8"), QString());
        QCOMPARE(ids("10.0.1.3"), QString::number(derivedId(kRouterB, 2).lo)); // interior port
    }

    void ecmpTiesKeepListOrder()
    {
        // Equal routes come back in the snapshot's order (longest prefix, weight, then as
        // given), the order the ECMP hash indexes into on every host.
        TopologySnapshot topo;
        Port a, b;
        a.id = kExtActive;
        a.deviceId = kRouter;
        a.deviceType = DeviceType::Router;
        a.hostId = kLocalHost;
        b = a;
        b.id = kExtActive2;
        topo.addPort(a);
        topo.addPort(b);
        Router r;
        r.id = kRouter;
        for (uint64_t n : {703, 701, 704, 702}) {
            Route rt;
            rt.id = id(n);
            rt.dst = cidr("203.0.113.0/24");
            rt.nextHopPort = n % 2 ? kExtActive : kExtActive2;
            rt.weight = n == 704 ? 50 : 100;
            r.routes.push_back(rt);
        }
        Route wide;
        wide.id = id(700);
        wide.dst = cidr("203.0.0.0/16");
        wide.nextHopPort = kExtActive;
        wide.weight = 1;
        r.routes.push_back(wide);
        topo.addRouter(r);
        topo.finalize();
        const Router &fr = *topo.router(kRouter);
        auto got = indexed(topo, fr, ip("203.0.113.9"), ip("1.2.3.4"));
        QCOMPARE(describe(got), describe(linearScan(topo, fr, ip("203.0.113.9"), ip("1.2.3.4"))));
        QCOMPARE(got.size(), size_t(1)); // weight 50 beats the three at 100
        QCOMPARE(got[0]->id, id(704));
        // Port b inactive: 704 and 702 go; 703 and 701 tie, in the order given.
        b.active = false;
        topo.addPort(b);
        topo.finalize();
        got = indexed(topo, fr, ip("203.0.113.9"), ip("1.2.3.4"));
        QStringList order;
        for (const Route *rt : got) order << QString::number(rt->id.lo);
        QCOMPARE(order.join(","), QString("703,701"));
    }

    void sourcePrefixFallsBackToShorterPrefix()
    {
        TopologySnapshot topo;
        Port a;
        a.id = kInterior;
        a.deviceId = kRouter;
        a.deviceType = DeviceType::Router;
        a.peerId = kPeer;
        topo.addPort(a);
        Router r;
        r.id = kRouter;
        auto add = [&](uint64_t n, const char *dst, const char *src) {
            Route rt;
            rt.id = id(n);
            rt.dst = cidr(dst);
            rt.src = cidr(src);
            rt.nextHopPort = kInterior;
            r.routes.push_back(rt);
        };
        add(800, "0.0.0.0/0", "0.0.0.0/0");
        add(801, "10.9.0.0/16", "172.16.0.0/12");
        add(802, "10.9.8.7/24", "0.0.0.0/0"); // host bits: still 10.9.8.0/24
        add(803, "0.0.0.0/0", "192.168.0.0/16");
        topo.addRouter(r);
        topo.finalize();
        const Router &fr = *topo.router(kRouter);
        auto first = [&](const char *dst, const char *src) {
            auto v = indexed(topo, fr, ip(dst), ip(src));
            return v.empty() ? uint64_t(0) : v[0]->id.lo;
        };
        for (const char *dst : {"10.9.1.1", "10.9.8.200", "1.1.1.1"})
            for (const char *src : {"172.16.5.5", "8.8.8.8", "192.168.1.1"})
                QCOMPARE(describe(indexed(topo, fr, ip(dst), ip(src))),
                         describe(reference(topo, fr, ip(dst), ip(src))));
        QCOMPARE(first("10.9.1.1", "172.16.5.5"), uint64_t(801));
        QCOMPARE(first("10.9.1.1", "8.8.8.8"), uint64_t(800)); // the /16's source does not match
        QCOMPARE(first("10.9.8.200", "172.16.5.5"), uint64_t(802));
        QCOMPARE(indexed(topo, fr, ip("1.1.1.1"), ip("192.168.1.1")).size(), size_t(2)); // 800 + 803
    }

    void noRoutes()
    {
        TopologySnapshot topo;
        Router r;
        r.id = kRouter;
        topo.addRouter(r);
        topo.finalize();
        QVERIFY(indexed(topo, *topo.router(kRouter), ip("1.2.3.4"), ip("5.6.7.8")).empty());
        QVERIFY(topo.routeTable(id(12345)) == nullptr);
    }
};

QTEST_APPLESS_MAIN(TstRouteTable)
#include "tst_route_table.moc"
