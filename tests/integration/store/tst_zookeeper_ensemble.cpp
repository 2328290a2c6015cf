// ZooKeeperStore on a 3-node ensemble: the leader dies in the middle of a stream of writes; every
// acknowledged write must still be there afterwards, and the same client must carry on.
#include "common/store/zookeeper_store.h"

#include "tests/support/zookeeper_server.h"

#include <QtTest>

#include <atomic>
#include <set>
#include <thread>

using namespace midonet::store;
using midonet::test::ZooKeeperEnsemble;

namespace {

bool eventually(const std::function<bool()> &pred, int ms)
{
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
    while (!pred()) {
        if (std::chrono::steady_clock::now() > deadline)
            return pred();
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return true;
}

} // namespace

class TstZooKeeperEnsemble : public QObject {
    Q_OBJECT
private slots:
    void initTestCase()
    {
        if (auto why = midonet::test::zooKeeperUnavailableReason(); !why.empty())
            QSKIP(why.c_str());
    }

    void acknowledgedWritesSurviveLeaderLoss()
    {
        std::unique_ptr<ZooKeeperEnsemble> started;
        try {
            started = std::make_unique<ZooKeeperEnsemble>(3, std::chrono::milliseconds(300));
        } catch (const std::exception &e) {
            QFAIL((std::string("the ensemble did not start: ") + e.what()).c_str());
        }
        ZooKeeperEnsemble &ensemble = *started;
        auto oldLeader = ensemble.leader();
        QVERIFY2(oldLeader.has_value(), "the ensemble elected no leader");

        ZooKeeperStore::Options o;
        o.servers = ensemble.connectString();
        o.root = "/midonet-ensemble-test/v1";
        o.sessionTimeout = std::chrono::milliseconds(6000);
        ZooKeeperStore store(o);
        std::mutex m;
        std::vector<SessionEvent> sessionEvents;
        auto sess = store.subscribeSession([&](SessionEvent e) {
            std::lock_guard lock(m);
            sessionEvents.push_back(e);
        });

        std::mutex ackMutex;
        std::vector<std::pair<Uuid, std::string>> acked;
        std::atomic<int> ackedCount{0}, retries{0};
        std::atomic<bool> stop{false};
        std::thread writer([&] {
            for (int i = 0; !stop; ++i) {
                auto id = Uuid::random();
                auto data = "write-" + std::to_string(i);
                for (bool first = true; !stop; first = false) {
                    try {
                        store.create("bridges", id, data);
                    } catch (const StoreError &e) {
                        if (e.errc() == StoreErrc::already_exists && !first) {
                            // An earlier attempt got through before the connection dropped.
                        } else if (e.errc() == StoreErrc::connection_loss || e.errc() == StoreErrc::session_expired ||
                                   e.errc() == StoreErrc::closed) {
                            ++retries;
                            std::this_thread::sleep_for(std::chrono::milliseconds(20));
                            continue;
                        } else {
                            qWarning("unexpected: %s", e.what());
                            std::this_thread::sleep_for(std::chrono::milliseconds(20));
                            continue;
                        }
                    }
                    std::lock_guard lock(ackMutex);
                    acked.emplace_back(id, data);
                    ++ackedCount;
                    break;
                }
            }
        });
        auto stopWriter = qScopeGuard([&] {
            stop = true;
            writer.join();
        });

        QVERIFY(eventually([&] { return ackedCount >= 200; }, 30000));
        const int beforeKill = ackedCount;
        ensemble.kill(*oldLeader);
        QVERIFY2(eventually([&] { return ackedCount >= beforeKill + 300; }, 60000),
                 "the client did not carry on after the leader died");
        stopWriter.dismiss();
        stop = true;
        writer.join();
        qInfo("%d writes acknowledged, %d retried across the fail-over", ackedCount.load(), retries.load());

        auto newLeader = ensemble.leader();
        QVERIFY(newLeader.has_value());
        QVERIFY(*newLeader != *oldLeader);

        // Every acknowledged write is there, with its data, read by the same client...
        auto check = [&](Store &s) {
            auto all = s.list("bridges");
            std::map<Uuid, std::string> stored;
            for (auto &obj : all)
                stored[obj.id] = obj.data;
            int missing = 0;
            for (auto &[id, data] : acked)
                if (stored.count(id) == 0 || stored[id] != data)
                    ++missing;
            return missing;
        };
        QCOMPARE(check(store), 0);
        // ...and by a client of the old leader once it is back and has caught up.
        ensemble.restart(*oldLeader);
        ZooKeeperStore::Options only = o;
        only.servers = "127.0.0.1:" + std::to_string(ensemble.clientPort(*oldLeader));
        ZooKeeperStore rejoined(only);
        QCOMPARE(check(rejoined), 0);
        {
            std::lock_guard lock(m);
            QVERIFY2(std::find(sessionEvents.begin(), sessionEvents.end(), SessionEvent::disconnected) !=
                             sessionEvents.end() ||
                         retries == 0,
                     "connection trouble was not reported to the owner");
        }
    }
};

QTEST_GUILESS_MAIN(TstZooKeeperEnsemble)
#include "tst_zookeeper_ensemble.moc"
