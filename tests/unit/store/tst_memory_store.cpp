// The Store conformance suite on MemoryStore, plus what only the memory backend promises.
#include "common/store/memory_store.h"

#include "tests/unit/store/store_conformance.h"

#include <QtTest>

using namespace midonet::store;
using namespace midonet::store::testing;

namespace {

class MemoryBackend final : public StoreBackend {
public:
    std::string name() const override { return "memory"; }
    void freshNamespace() override { db_ = MemoryStore::newDatabase(); }
    std::unique_ptr<Store> newStore(bool) override { return std::make_unique<MemoryStore>(db_); }
    void expire(Store &store) override { dynamic_cast<MemoryStore &>(store).expireSession(); }

private:
    std::shared_ptr<MemoryDatabase> db_ = MemoryStore::newDatabase();
};

} // namespace

class TstMemoryStore : public StoreConformance {
    Q_OBJECT
public:
    TstMemoryStore() : StoreConformance(std::make_unique<MemoryBackend>()) {}

private slots:
    void errorCodesHaveTheirCategory()
    {
        std::error_code ec = StoreErrc::version_conflict;
        QCOMPARE(std::string(ec.category().name()), std::string("midonet.store"));
        QCOMPARE(ec.message(), std::string("version conflict"));
        StoreError e(StoreErrc::not_found, "bridges/x", "'bridges/x': no object with this id");
        QVERIFY(e.code() == StoreErrc::not_found);
        QCOMPARE(e.path(), std::string("bridges/x"));
        QCOMPARE(e.opIndex(), -1);
        QVERIFY(std::string(e.what()).find("bridges/x") != std::string::npos);
    }

    // Unlike ZooKeeper, the memory backend keeps every version for its watchers, and all stores
    // on one database see one global order.
    void everyVersionInOneGlobalOrder()
    {
        auto db = MemoryStore::newDatabase();
        MemoryStore a(db), b(db);
        Recorder rec;
        auto w = b.watchCollection("bridges", rec.callback());
        auto x = Uuid::random(), y = Uuid::random();
        a.create("bridges", x, "x0");
        a.create("bridges", y, "y0");
        for (int i = 1; i <= 100; ++i) {
            a.update("bridges", x, "x" + std::to_string(i));
            a.update("bridges", y, "y" + std::to_string(i));
        }
        b.drainCallbacks();
        auto cs = rec.changes();
        QCOMPARE(cs.size(), std::size_t(202));
        for (int i = 1; i <= 100; ++i) {
            QCOMPARE(cs[2 * i].id, x);
            QCOMPARE(cs[2 * i].version, Version(i));
            QCOMPARE(cs[2 * i + 1].id, y);
        }
    }

    void subscriptionOutlivesStore()
    {
        Subscription sub;
        {
            MemoryStore s;
            sub = s.watchCollection("hosts", [](const Change &) {}).subscription;
            QVERIFY(sub.active());
        }
        sub.cancel(); // the store is gone: a no-op, not a crash
        QVERIFY(!sub.active());
    }
};

QTEST_GUILESS_MAIN(TstMemoryStore)
#include "tst_memory_store.moc"
