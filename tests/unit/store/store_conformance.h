// The Store conformance suite: one set of tests every backend must pass. A backend test
// (tests/unit/store/tst_memory_store.cpp, tests/integration/store/tst_zookeeper_store.cpp)
// derives from StoreConformance with its StoreBackend; only the fixture differs.
//
// Thread-safety: QtTest runs the slots on the main thread; store callbacks arrive on the stores'
// delivery threads and are recorded under a lock (Recorder).
#pragma once

#include "common/store/store.h"

#include <QObject>

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace midonet::store::testing {

// What differs between backends.
class StoreBackend {
public:
    virtual ~StoreBackend() = default;
    virtual std::string name() const = 0;
    // Empty if the backend can run here, else the one-line reason to skip.
    virtual std::string unavailableReason() { return {}; }
    virtual void startUp() {}
    virtual void shutDown() {}
    // A fresh, empty namespace for the next test function.
    virtual void freshNamespace() = 0;
    // A new client with its own session on the current namespace. Only a `cuttable` one may be
    // passed to expire() (a backend may need to route it specially).
    virtual std::unique_ptr<Store> newStore(bool cuttable = false) = 0;
    // Ends the store's session as the server would on a timeout (it then re-establishes).
    virtual void expire(Store &store) = 0;
};

// Collects notifications from a delivery thread.
class Recorder {
public:
    WatchCallback callback()
    {
        return [this](const Change &c) {
            std::lock_guard lock(m_);
            changes_.push_back(c);
        };
    }
    std::vector<Change> changes() const
    {
        std::lock_guard lock(m_);
        return changes_;
    }
    std::size_t size() const
    {
        std::lock_guard lock(m_);
        return changes_.size();
    }
    void clear()
    {
        std::lock_guard lock(m_);
        changes_.clear();
    }

private:
    mutable std::mutex m_;
    std::vector<Change> changes_;
};

// Polls `pred` until it holds or `ms` pass; never a fixed sleep.
bool eventually(const std::function<bool()> &pred, int ms = 15000);

class StoreConformance : public QObject {
    Q_OBJECT
public:
    explicit StoreConformance(std::unique_ptr<StoreBackend> backend);
    ~StoreConformance() override;

protected:
    StoreBackend &backend() { return *backend_; }

private slots:
    void initTestCase();
    void cleanupTestCase();
    void init();

    void crud();
    void listIsPerTypeAndOrdered();
    void versionConflicts();
    void badInputIsRejectedWithPathAndRule();
    void multiIsAllOrNothing();
    void multiReturnsVersions();
    void removeTakesTablesAndEphemeralsAlong();

    void watchObjectSeesEveryChangeInOrder();
    void watchCollectionLosesNothing();
    void watchStartsFromSnapshot();
    void cancelledWatchIsSilent();
    void watchesComeAndGoWhileChangesFlow();

    void ephemeralVanishesWhenSessionCloses();
    void claimEphemeralElectsOneOwner();
    void takeOverEphemeralFromAStaleHolder();
    void ephemeralVanishesOnExpiryAndComesBack();

    void racingWritersOneWins();

    void tableAddRemoveWatch();
    void tableEphemeralEntriesFollowTheirSession();
    void tableReplaceTakesOwnership();

private:
    std::unique_ptr<StoreBackend> backend_;
};

} // namespace midonet::store::testing
