// ZooKeeperStore: the Store on a ZooKeeper ensemble (the NSDB proper), over the multi-threaded
// ZooKeeper C client.
//
// Layout (DESIGN.md), under a configurable root instead of a chroot so tests can use a unique
// one: <root>/<type>/<uuid>, <root>/<type>/<uuid>/<name> (ephemeral child),
// <root>/<type>/<uuid>/<table...>/<key>. ZooKeeper node versions are the object versions; a
// multi() is one ZooKeeper multi-op; remove() deletes the subtree in one multi-op.
//
// Invariants: those of store.h, with coalescedUpdates() true: ZooKeeper watches are one-shot and
// carry no data, so every notification re-reads the node (which re-arms the watch) and compares
// it with the last state the watcher saw (creation zxid and version). Nothing observed is lost
// or reported twice; updates of one node that land between two reads are folded into one.
// Collection and table watches keep a child watch on the parent plus a data watch on every child.
// After a reconnect every watch re-reads; after a session expiry a new session is opened, the
// ephemerals this store owns are re-created and every watch re-reads and reports the difference
// (their own ephemerals show up as deleted then created). A watch call made during a connection
// blip or a session replacement waits for the session and retries (3 attempts); plain reads and
// writes do not retry: they fail with connection_loss or session_expired and the caller decides.
//
// Thread-safety: as store.h. Sync calls block the calling thread for one or a few round trips;
// many threads may call at once (requests are pipelined on one connection). Internally: the
// client library's I/O and completion threads, one delivery thread for callbacks and one thread
// that replaces an expired session. Never call a Store method from the library's threads (we
// never hand them to user code).
#pragma once

#include "common/store/store.h"

#include <chrono>
#include <memory>
#include <string>

namespace midonet::store {

class ZooKeeperStore final : public Store {
public:
    struct Options {
        // "host:port[,host:port...]"; the client picks among them and fails over.
        std::string servers;
        // Absolute path every node lives under. Default: /midonet/v1
        std::string root = "/midonet/v1";
        // Asked of the server; it may grant between 2 and 20 ticks. Default: 10 s
        std::chrono::milliseconds sessionTimeout{10000};
        // How long the constructor (and a session replacement attempt) waits for a server.
        // Default: 15 s
        std::chrono::milliseconds connectTimeout{15000};
    };

    // Connects and creates the root. Throws StoreError: invalid_argument (bad servers string or
    // root), connection_loss (no server answered within connectTimeout).
    explicit ZooKeeperStore(Options options);
    ~ZooKeeperStore() override;
    ZooKeeperStore(const ZooKeeperStore &) = delete;
    ZooKeeperStore &operator=(const ZooKeeperStore &) = delete;

    // The current session's id and 16-byte password (what a second client needs to take the
    // session over, which is how tests force an expiry).
    struct SessionId {
        std::int64_t id = 0;
        std::string password;
    };
    SessionId sessionId() const;
    const Options &options() const;
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
    bool coalescedUpdates() const override { return true; }

    struct Impl;

private:
    std::shared_ptr<Impl> impl_;
};

} // namespace midonet::store
