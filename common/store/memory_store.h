// MemoryStore: the Store in one process's memory, for tests and single-process use.
//
// A MemoryDatabase is the shared tree (the "ensemble"); each MemoryStore on it is one client
// with its own session, like one ZooKeeper connection. Ephemerals belong to the session of the
// store that wrote them: destroying that store, or expireSession(), makes them vanish for every
// other store, exactly as a ZooKeeper session ending does.
//
// Invariants: those of store.h. Every change is reported to every watcher (coalescedUpdates()
// is false): a MemoryStore has the history ZooKeeper lacks. Changes are applied and queued for
// watchers under one database lock, so all watchers see all changes in one global order.
//
// Thread-safety: as store.h. A MemoryDatabase may be shared by stores on any threads; it lives as
// long as its last store or handle.
#pragma once

#include "common/store/store.h"

#include <memory>

namespace midonet::store {

class MemoryDatabase;

class MemoryStore final : public Store {
public:
    // A store on a fresh, private database.
    MemoryStore();
    // A new session on an existing database.
    explicit MemoryStore(std::shared_ptr<MemoryDatabase> db);
    ~MemoryStore() override;
    MemoryStore(const MemoryStore &) = delete;
    MemoryStore &operator=(const MemoryStore &) = delete;

    static std::shared_ptr<MemoryDatabase> newDatabase();
    std::shared_ptr<MemoryDatabase> database() const;

    // Ends the session as a server would on a timeout: its ephemerals vanish (watchers see
    // `deleted`), the owner hears `expired`, then a new session re-creates the ephemerals this
    // store still owns and the owner hears `reestablished`.
    void expireSession();
    // Blocks until every notification queued so far for this store's callbacks has run.
    void drainCallbacks();

    Version create(std::string_view type, const Uuid &id, std::string data) override;
    Object get(std::string_view type, const Uuid &id) override;
    std::vector<Object> list(std::string_view type) override;
    Version update(std::string_view type, const Uuid &id, std::string data,
                   Version expected = kAnyVersion) override;
    void remove(std::string_view type, const Uuid &id, Version expected = kAnyVersion) override;
    std::vector<Version> multi(const std::vector<Op> &ops) override;

    void putEphemeral(std::string_view type, const Uuid &id, std::string_view name,
                      std::string data) override;
    bool claimEphemeral(std::string_view type, const Uuid &id, std::string_view name,
                        std::string data) override;
    bool takeOverEphemeral(std::string_view type, const Uuid &id, std::string_view name,
                           std::string_view holder, std::string data) override;
    bool removeEphemeral(std::string_view type, const Uuid &id, std::string_view name) override;
    std::optional<Entry> getEphemeral(std::string_view type, const Uuid &id,
                                      std::string_view name) override;

    void putEntry(const TableRef &table, std::string_view key, std::string value,
                  bool ephemeral = false) override;
    bool removeEntry(const TableRef &table, std::string_view key) override;
    std::vector<Entry> entries(const TableRef &table) override;

    Watched<std::optional<Object>> watchObject(std::string_view type, const Uuid &id,
                                               WatchCallback cb) override;
    Watched<std::vector<Object>> watchCollection(std::string_view type, WatchCallback cb) override;
    Watched<std::vector<Entry>> watchTable(const TableRef &table, WatchCallback cb) override;
    Watched<std::optional<Entry>> watchEphemeral(std::string_view type, const Uuid &id,
                                                 std::string_view name, WatchCallback cb) override;

    Subscription subscribeSession(SessionCallback cb) override;
    bool coalescedUpdates() const override { return false; }

    struct Impl;

private:
    std::shared_ptr<Impl> impl_;
};

} // namespace midonet::store
