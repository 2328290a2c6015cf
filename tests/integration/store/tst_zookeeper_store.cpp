// The Store conformance suite on ZooKeeperStore against a private ZooKeeper, plus what only the
// ZooKeeper backend has: the DESIGN.md layout, connect strings, a server restart.
#include "common/store/zookeeper_store.h"

#include "tests/integration/store/zk_raw.h"
#include "tests/support/tcp_proxy.h"
#include "tests/support/zookeeper_server.h"
#include "tests/unit/store/store_conformance.h"

#include <QtTest>

#include <cstring>
#include <map>
#include <stdexcept>

using namespace midonet::store;
using namespace midonet::store::testing;
using midonet::test::TcpProxy;
using midonet::test::ZooKeeperServer;

namespace {

class ZooKeeperBackend final : public StoreBackend {
public:
    std::string name() const override { return "zookeeper"; }
    std::string unavailableReason() override { return midonet::test::zooKeeperUnavailableReason(); }
    void startUp() override { server = std::make_unique<ZooKeeperServer>(); }
    void shutDown() override { server.reset(); }
    void freshNamespace() override
    {
        proxies.clear(); // the stores of the previous test are gone
        root = "/midonet-test-" + Uuid::random().toString().substr(0, 8) + "/v1";
    }
    // A cuttable store reaches the server through its own proxy, so a test can cut it off alone.
    std::unique_ptr<Store> newStore(bool cuttable) override
    {
        if (!cuttable)
            return std::make_unique<ZooKeeperStore>(options());
        auto proxy = std::make_unique<TcpProxy>(server->port());
        auto o = options();
        o.servers = proxy->address();
        auto store = std::make_unique<ZooKeeperStore>(o);
        proxies[store.get()] = std::move(proxy);
        return store;
    }
    // A second client takes the session over with its id and password and closes it: the server
    // ends the session, and the store learns it has expired when it reconnects. The store is cut
    // off meanwhile, or it would take its session back before the close (the C client
    // reconnects at once) and nothing would expire.
    void expire(Store &store) override
    {
        auto id = dynamic_cast<ZooKeeperStore &>(store).sessionId();
        clientid_t cid{};
        cid.client_id = id.id;
        std::memcpy(cid.passwd, id.password.data(), sizeof cid.passwd);
        auto found = proxies.find(&store);
        if (found == proxies.end())
            throw std::logic_error("expire() needs a store made by newStore(true)");
        auto &proxy = *found->second;
        proxy.block();
        {
            RawZk thief(server->connectString(), &cid);
        }
        proxy.unblock();
    }
    ZooKeeperStore::Options options() const
    {
        ZooKeeperStore::Options o;
        o.servers = server->connectString();
        o.root = root;
        o.sessionTimeout = std::chrono::milliseconds(4000);
        o.connectTimeout = std::chrono::milliseconds(10000);
        return o;
    }

    std::unique_ptr<ZooKeeperServer> server;
    std::map<Store *, std::unique_ptr<TcpProxy>> proxies;
    std::string root;
};

} // namespace

class TstZooKeeperStore : public StoreConformance {
    Q_OBJECT
public:
    TstZooKeeperStore() : StoreConformance(std::make_unique<ZooKeeperBackend>()) {}

private:
    ZooKeeperBackend &zk() { return static_cast<ZooKeeperBackend &>(backend()); }

private slots:
    void layoutFollowsTheDesign()
    {
        ZooKeeperStore s(zk().options());
        auto bridge = Uuid::random(), host = Uuid::random();
        s.create("bridges", bridge, R"({"name":"b"})");
        s.update("bridges", bridge, R"({"name":"b2"})");
        s.putEntry(macTable(bridge, 7), "aa:bb:cc:dd:ee:ff", "port");
        s.create("hosts", host, "{}");
        s.putEphemeral("hosts", host, kAliveName, "");

        RawZk raw(zk().server->connectString());
        std::string data;
        Stat stat{};
        QCOMPARE(raw.get(zk().root + "/bridges/" + bridge.toString(), data, stat), int(ZOK));
        QCOMPARE(data, std::string(R"({"name":"b2"})"));
        QCOMPARE(stat.version, 1); // ZooKeeper's version is the object's version
        QCOMPARE(raw.get(zk().root + "/bridges/" + bridge.toString() + "/mac_table/7/aa:bb:cc:dd:ee:ff", data, stat),
                 int(ZOK));
        QCOMPARE(data, std::string("port"));
        QCOMPARE(stat.ephemeralOwner, std::int64_t(0));
        QCOMPARE(raw.get(zk().root + "/hosts/" + host.toString() + "/alive", data, stat), int(ZOK));
        QCOMPARE(stat.ephemeralOwner, s.sessionId().id);
    }

    void severalServersInTheConnectString()
    {
        auto o = zk().options();
        o.servers = "127.0.0.1:1," + o.servers + ",127.0.0.1:2"; // two dead servers around the live one
        for (int i = 0; i < 3; ++i) {
            ZooKeeperStore s(o);
            auto id = Uuid::random();
            s.create("routers", id, "r");
            QCOMPARE(s.get("routers", id).data, std::string("r"));
        }
    }

    void unreachableOrBadServersAreErrors()
    {
        auto o = zk().options();
        o.servers = "127.0.0.1:1";
        o.connectTimeout = std::chrono::milliseconds(500);
        try {
            ZooKeeperStore s(o);
            QFAIL("connected to nothing");
        } catch (const StoreError &e) {
            QCOMPARE(e.errc(), StoreErrc::connection_loss);
            QVERIFY(std::string(e.what()).find("127.0.0.1:1") != std::string::npos);
        }
        o = zk().options();
        o.root = "midonet/v1/";
        try {
            ZooKeeperStore s(o);
            QFAIL("accepted a relative root");
        } catch (const StoreError &e) {
            QCOMPARE(e.errc(), StoreErrc::invalid_argument);
            QVERIFY(std::string(e.what()).find("midonet/v1/") != std::string::npos);
        }
    }

    // The store is cut off (shorter than its session timeout) while others write: when it is
    // back, every watch reports what it missed, once, and nothing else.
    void watchesCatchUpAfterACut()
    {
        auto cut = backend().newStore(true);
        auto writer = backend().newStore();
        auto kept = Uuid::random(), gone = Uuid::random(), fresh = Uuid::random(), reborn = Uuid::random();
        writer->create("bridges", kept, "k0");
        writer->create("bridges", gone, "g0");
        writer->create("bridges", reborn, "r0");
        std::mutex m;
        std::vector<SessionEvent> events;
        auto sess = cut->subscribeSession([&](SessionEvent e) {
            std::lock_guard lock(m);
            events.push_back(e);
        });
        Recorder coll, obj;
        auto wc = cut->watchCollection("bridges", coll.callback());
        auto wo = cut->watchObject("bridges", kept, obj.callback());
        QCOMPARE(wc.initial.size(), std::size_t(3));

        auto &proxy = *zk().proxies.at(cut.get());
        proxy.block();
        QVERIFY(eventually([&] {
            std::lock_guard lock(m);
            return !events.empty() && events.back() == SessionEvent::disconnected;
        }));
        writer->update("bridges", kept, "k1");
        writer->update("bridges", kept, "k2");
        writer->remove("bridges", gone);
        writer->create("bridges", fresh, "f0");
        writer->remove("bridges", reborn); // deleted and created again: same name, new node
        writer->create("bridges", reborn, "r1");
        QVERIFY(coll.size() == 0 && obj.size() == 0);
        proxy.unblock();
        QVERIFY(eventually([&] {
            std::lock_guard lock(m);
            return events.back() == SessionEvent::connected;
        }));
        QVERIFY2(eventually([&] { return coll.size() >= 5 && obj.size() >= 1; }), "changes made during the cut were lost");
        writer->create("bridges", Uuid::random(), "marker"); // anything extra would arrive before it
        QVERIFY(eventually([&] { return coll.size() >= 6; }));
        auto cs = coll.changes();
        QCOMPARE(cs.size(), std::size_t(6));
        std::map<Uuid, Change> by;
        std::vector<Change> rebirth;
        for (auto &c : cs) {
            by[c.id] = c;
            if (c.id == reborn)
                rebirth.push_back(c);
        }
        QCOMPARE(rebirth.size(), std::size_t(2));
        QCOMPARE(rebirth[0].op, ChangeOp::deleted);
        QCOMPARE(rebirth[0].data, std::string("r0"));
        QCOMPARE(rebirth[1].op, ChangeOp::created);
        QCOMPARE(rebirth[1].data, std::string("r1"));
        QCOMPARE(by[kept].op, ChangeOp::updated);
        QCOMPARE(by[kept].data, std::string("k2")); // the two updates folded into the latest
        QCOMPARE(by[gone].op, ChangeOp::deleted);
        QCOMPARE(by[fresh].op, ChangeOp::created);
        QCOMPARE(obj.size(), std::size_t(1));
        QCOMPARE(obj.changes()[0].version, Version(2));
        // And the cut store writes again.
        cut->update("bridges", kept, "k3");
    }

    // Kept last: it restarts the shared server.
    void carriesOnAcrossAServerRestart()
    {
        ZooKeeperStore s(zk().options());
        ZooKeeperStore watcher(zk().options());
        std::mutex m;
        std::vector<SessionEvent> events;
        auto sess = s.subscribeSession([&](SessionEvent e) {
            std::lock_guard lock(m);
            events.push_back(e);
        });
        auto id = Uuid::random();
        s.create("bridges", id, "before");
        Recorder rec;
        auto w = watcher.watchObject("bridges", id, rec.callback());

        zk().server->restart();
        QVERIFY2(eventually([&] {
                     std::lock_guard lock(m);
                     return !events.empty() &&
                            (events.back() == SessionEvent::connected || events.back() == SessionEvent::reestablished);
                 }),
                 "the owner was not told the connection came back");
        {
            std::lock_guard lock(m);
            QCOMPARE(events.front(), SessionEvent::disconnected);
        }
        // Writes work again (retrying while the client finishes reconnecting), and the watch
        // armed before the restart still reports.
        QVERIFY(eventually([&] {
            try {
                s.update("bridges", id, "after");
                return true;
            } catch (const StoreError &) {
                return false;
            }
        }));
        QVERIFY(eventually([&] { return rec.size() >= 1 && rec.changes().back().data == "after"; }));
    }
};

QTEST_GUILESS_MAIN(TstZooKeeperStore)
#include "tst_zookeeper_store.moc"
