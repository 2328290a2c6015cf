// The L2 gateway election as operators see it through the NSDB: two gateway hosts with a port
// each on one bridge and VLAN end up with exactly one active port, every agent agrees which,
// a handover moves the MACs learned behind the old port to the new one, and a host coming back
// does not take the VLAN back (no flap). The takeover on the underlay's verdict (before the
// holder's session expires): when to take over (a table of cases), and, with the holder still
// alive behind a broken underlay, that the new holder wins once and the old one steps down
// without taking it back. Crash failover with real agents is the e2e test's (tests/e2e/l2gw).
#include "agent/gateway/l2_gateway.h"

#include "common/model/bridge.h"
#include "common/model/codec.h"
#include "common/model/port.h"
#include "common/store/memory_store.h"

#include <QtTest>

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <thread>

using namespace midonet;
using namespace midonet::agent;

namespace {

util::Uuid id(uint64_t n) { return util::Uuid{0x1262a7e, n}; }
const util::Uuid kBridge = id(1), kHost1 = id(11), kHost2 = id(12), kP1 = id(21), kP2 = id(22), kVm = id(23);

template <class T> void put(store::Store &st, const T &obj)
{
    st.create(T::kType, obj.id, model::encode(obj, model::View::Store).dump());
}

model::Port gatewayPort(const util::Uuid &pid, const util::Uuid &host)
{
    model::Port p;
    p.id = pid;
    p.deviceId = kBridge;
    p.hostId = host;
    p.interfaceName = "trunk0";
    p.vlanId = 10;
    return p;
}

// What each host's underlay liveness says of the others: (viewer, host) -> unreachable since.
struct Underlay {
    std::mutex mu;
    std::map<std::pair<util::Uuid, util::Uuid>, std::chrono::steady_clock::time_point> down;
    void set(const util::Uuid &viewer, const util::Uuid &host, bool unreachable)
    {
        std::lock_guard lock(mu);
        if (unreachable) down.emplace(std::make_pair(viewer, host), std::chrono::steady_clock::now());
        else down.erase({viewer, host});
    }
    std::optional<std::chrono::steady_clock::time_point> since(const util::Uuid &viewer, const util::Uuid &host)
    {
        std::lock_guard lock(mu);
        auto it = down.find({viewer, host});
        if (it == down.end()) return std::nullopt;
        return it->second;
    }
};

// One gateway host: its NSDB session, topology cache, bound ports and L2 gateway.
struct Host {
    store::MemoryStore store;
    TopologyCache topology;
    LocalPorts ports;
    std::unique_ptr<dp::Datapath> dp;
    std::atomic<int> changes{0};
    std::unique_ptr<L2Gateway> gw;

    Host(std::shared_ptr<store::MemoryDatabase> db, const util::Uuid &host, const util::Uuid &port, int n,
         Underlay *underlay = nullptr)
        : store(db), topology(store, LocalBindings{}, [](const auto &, bool) {})
    {
        topology.start();
        ports.set({port, "trunk0", 5, uint32_t(port.lo), 10});
        dp::DatapathOptions o;
        o.backend = dp::Backend::Userspace;
        dp = dp::createDatapath("mnt-l2" + std::to_string(::getpid()) + "-" + std::to_string(n), o);
        L2Gateway::Hooks h;
        h.activityChanged = [this](const std::vector<flow::FlowTag> &) { ++changes; };
        if (underlay) h.unreachableSince = [underlay, host](const util::Uuid &other) { return underlay->since(host, other); };
        gw = std::make_unique<L2Gateway>(store, topology, ports, *dp, host, h);
    }
    ~Host()
    {
        gw.reset();
        topology.stop();
    }
};

template <class F> bool eventually(F f)
{
    for (int i = 0; i < 200; ++i) {
        if (f()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return f();
}

} // namespace

class TstL2Gateway : public QObject
{
    Q_OBJECT
private slots:
    void exactlyOneActivePortAndHandover()
    {
        auto db = store::MemoryStore::newDatabase();
        store::MemoryStore admin(db);
        model::Bridge b;
        b.id = kBridge;
        put(admin, b);
        put(admin, gatewayPort(kP1, kHost1));
        put(admin, gatewayPort(kP2, kHost2));
        model::Port vm;
        vm.id = kVm;
        vm.deviceId = kBridge;
        put(admin, vm);

        auto h1 = std::make_unique<Host>(db, kHost1, kP1, 1);
        auto h2 = std::make_unique<Host>(db, kHost2, kP2, 2);
        h1->gw->reconcile();
        h2->gw->reconcile();
        auto agreeOnOne = [&] {
            const bool a1 = h1->gw->portActive(kP1), a2 = h1->gw->portActive(kP2);
            return a1 != a2 && h2->gw->portActive(kP1) == a1 && h2->gw->portActive(kP2) == a2;
        };
        QVERIFY2(eventually(agreeOnOne), "both agents see exactly one active port, the same one");
        QVERIFY(h1->gw->portActive(kVm)); // not a gateway port: always active
        const bool firstIsOne = h1->gw->portActive(kP1);
        auto &active = firstIsOne ? h1 : h2;
        auto &standby = firstIsOne ? h2 : h1;
        const util::Uuid activePort = firstIsOne ? kP1 : kP2, standbyPort = firstIsOne ? kP2 : kP1;
        QCOMPARE(QString::fromStdString(active->gw->status()["groups"][0]["role"].get<std::string>()),
                 QString("active"));
        QCOMPARE(QString::fromStdString(standby->gw->status()["groups"][0]["role"].get<std::string>()),
                 QString("standby"));
        QVERIFY(standby->changes > 0); // the standby's snapshot learned who is active

        // A physical machine's MAC learned through the active port (its agent's ephemeral
        // entry), a VM's MAC on the virtual side.
        const auto phys = *util::MacAddress::parse("02:00:00:00:0c:01");
        const auto vmMac = *util::MacAddress::parse("02:00:00:00:0a:01");
        active->store.putEntry(store::macTable(kBridge, 0), phys.toString(), activePort.toString(), true);
        admin.putEntry(store::macTable(kBridge, 0), vmMac.toString(), kVm.toString());
        QVERIFY(eventually([&] { return standby->gw->status()["groups"][0]["ports"].size() == 2; }));
        std::this_thread::sleep_for(std::chrono::milliseconds(50)); // let the MAC watch deliver

        // The active host goes: the standby takes over and moves the MAC behind it.
        active.reset();
        QVERIFY2(eventually([&] { return standby->gw->portActive(standbyPort) && !standby->gw->portActive(activePort); }),
                 "the standby took over");
        QVERIFY(eventually([&] {
            for (const auto &e : admin.entries(store::macTable(kBridge, 0)))
                if (e.key == phys.toString()) return e.value == standbyPort.toString();
            return false;
        }));
        auto st = standby->gw->status();
        QCOMPARE(st["takeovers"].get<int>(), 1);
        QCOMPARE(st["macsMoved"].get<int>(), 1);

        // The old host comes back: it stays standby (no flap, no second active).
        const bool oneWasFirst = firstIsOne;
        auto back = std::make_unique<Host>(db, oneWasFirst ? kHost1 : kHost2, activePort, 3);
        back->gw->reconcile();
        QVERIFY(eventually([&] { return back->gw->portActive(standbyPort) && !back->gw->portActive(activePort); }));
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        QVERIFY(standby->gw->portActive(standbyPort));
        QCOMPARE(QString::fromStdString(back->gw->status()["groups"][0]["role"].get<std::string>()),
                 QString("standby"));
    }

    void takeOverDecision_data()
    {
        QTest::addColumn<bool>("standby");
        QTest::addColumn<int>("unreachableMs"); // holder unreachable since, ms after its claim was seen; -1: reachable
        QTest::addColumn<bool>("displaced");
        QTest::addColumn<bool>("expected");
        QTest::newRow("holder's host died after its claim: take over") << true << 500 << false << true;
        QTest::newRow("holder reachable: wait") << true << -1 << false << false;
        QTest::newRow("not a standby here (no port bound, or we hold it)") << false << 500 << false << false;
        QTest::newRow("holder already unreachable when it claimed (it replaced a third host)")
            << true << -200 << false << false;
        QTest::newRow("holder displaced us across a broken underlay: do not take it back")
            << true << 80 << true << false;
        QTest::newRow("displaced, and the displacer unreachable for long: still not")
            << true << 5000 << true << false;
    }
    void takeOverDecision()
    {
        QFETCH(bool, standby);
        QFETCH(int, unreachableMs);
        QFETCH(bool, displaced);
        QFETCH(bool, expected);
        const auto seen = std::chrono::steady_clock::now();
        std::optional<std::chrono::steady_clock::time_point> since;
        if (unreachableMs >= 0 || unreachableMs == -200) since = seen + std::chrono::milliseconds(unreachableMs);
        QCOMPARE(L2Gateway::shouldTakeOver(standby, since, seen, displaced), expected);
    }

    void underlayVerdictTakesOverWhileTheHolderLives()
    {
        // Both hosts keep their NSDB sessions; the underlay between them breaks. The standby
        // takes the VLAN over at once (no session expiry), the old holder steps down on its
        // watch, and although it too sees the other unreachable it does not take it back.
        auto db = store::MemoryStore::newDatabase();
        store::MemoryStore admin(db);
        model::Bridge b;
        b.id = kBridge;
        put(admin, b);
        put(admin, gatewayPort(kP1, kHost1));
        put(admin, gatewayPort(kP2, kHost2));
        Underlay underlay;
        auto h1 = std::make_unique<Host>(db, kHost1, kP1, 4, &underlay);
        h1->gw->reconcile();
        QVERIFY(eventually([&] { h1->gw->reconcile(); return h1->gw->portActive(kP1) && !h1->gw->portActive(kP2); }));
        auto h2 = std::make_unique<Host>(db, kHost2, kP2, 5, &underlay);
        QVERIFY(eventually([&] { h2->gw->reconcile(); return h2->gw->status()["groups"].size() == 1 &&
                                                          h2->gw->status()["groups"][0]["role"] == "standby"; }));
        QVERIFY(h2->gw->portActive(kP1));
        h2->gw->reconcile();
        QVERIFY(h2->gw->portActive(kP1)); // holder reachable: no takeover

        std::this_thread::sleep_for(std::chrono::milliseconds(5));
        underlay.set(kHost2, kHost1, true); // h2 sees h1 unreachable first
        h2->gw->reconcile();
        QVERIFY2(h2->gw->portActive(kP2) && !h2->gw->portActive(kP1), "the standby took over on the verdict");
        QCOMPARE(admin.getEphemeral("bridges", kBridge, L2Gateway::ownerName(10))->value, kP2.toString());
        QVERIFY2(eventually([&] { return !h1->gw->portActive(kP1) && h1->gw->portActive(kP2); }),
                 "the old holder stepped down when its entry was replaced");
        QCOMPARE(QString::fromStdString(h1->gw->status()["groups"][0]["role"].get<std::string>()), QString("standby"));

        underlay.set(kHost1, kHost2, true); // and h1 sees h2 unreachable, a little later
        for (int i = 0; i < 5; ++i) {
            h1->gw->reconcile();
            h2->gw->reconcile();
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        QVERIFY2(h1->gw->portActive(kP2) && h2->gw->portActive(kP2) && !h2->gw->portActive(kP1),
                 "no bounce: the displaced host did not take it back");
        QCOMPARE(admin.getEphemeral("bridges", kBridge, L2Gateway::ownerName(10))->value, kP2.toString());
        QCOMPARE(h2->gw->status()["takeovers"].get<int>(), 1);

        // The underlay heals; later h2 really dies (its session lives on): h1 takes it over.
        underlay.set(kHost1, kHost2, false);
        underlay.set(kHost2, kHost1, false);
        std::this_thread::sleep_for(std::chrono::milliseconds(2100)); // past the displaced hold
        h1->gw->reconcile();
        QVERIFY(h1->gw->portActive(kP2));
        underlay.set(kHost1, kHost2, true);
        h1->gw->reconcile();
        QVERIFY2(h1->gw->portActive(kP1) && !h1->gw->portActive(kP2), "the healed host took over from a dead holder");
        QCOMPARE(admin.getEphemeral("bridges", kBridge, L2Gateway::ownerName(10))->value, kP1.toString());
    }

    void announcementIsATaggedBroadcastRarp()
    {
        const auto mac = *util::MacAddress::parse("02:00:00:00:0a:01");
        auto f = L2Gateway::announcement(mac, 20);
        QVERIFY(f.size() >= 18 + 28);
        QCOMPARE(std::vector<uint8_t>(f.begin(), f.begin() + 6), std::vector<uint8_t>(6, 0xff));
        QCOMPARE(std::vector<uint8_t>(f.begin() + 6, f.begin() + 12),
                 std::vector<uint8_t>(mac.bytes.begin(), mac.bytes.end()));
        QCOMPARE(int(f[12]) << 8 | f[13], 0x8100);
        QCOMPARE((int(f[14]) << 8 | f[15]) & 0xfff, 20);
        QCOMPARE(int(f[16]) << 8 | f[17], 0x8035);
    }
};

QTEST_GUILESS_MAIN(TstL2Gateway)
#include "tst_l2_gateway.moc"
