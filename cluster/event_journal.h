// Bounded, in-order journal of NSDB changes that feeds the `/midonet-api/events` WebSocket stream.
//
// Each change carries the NSDB's global change version (see change_feed.h for where versions
// come from); the journal keeps the newest `capacity` changes so a client that reconnects with the
// last version it saw receives exactly the changes after it. If the client's version is older
// than the oldest change kept, the backlog is marked incomplete and the client must re-list
// (the stream tells it so; nothing is silently skipped).
//
// Invariants: versions strictly increase along the journal; a subscriber sees every change with
// version > its start version exactly once, in version order (backlog then live, no gap, no
// duplicate), because backlog capture and registration happen under one lock.
//
// Thread-safety: every member is safe to call from any thread. Sinks are called with the journal
// lock held, in version order, from the thread that appends: they must not block and must not
// call back into the journal (post to a strand instead).
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace midonet::cluster {

struct ChangeEvent {
    uint64_t version = 0;  // global, strictly increasing
    std::string type;      // NSDB type name: "bridges", "ports", ...
    std::string id;        // object id (or table entry key)
    std::string op;        // "create" | "update" | "delete"
    nlohmann::json object; // wire (REST) form after the change; null on delete
    std::string tenant;    // owning tenant, "" for infrastructure objects (admins only)
    nlohmann::json toJson() const;
};

class EventJournal {
public:
    // `epoch` names this journal's version space (random per process): versions are only
    // comparable within one epoch, so a client resuming with another epoch must re-list.
    explicit EventJournal(size_t capacity = 100000, std::string epoch = {});
    const std::string &epoch() const { return epoch_; }

    using Sink = std::function<void(const ChangeEvent &)>;
    struct Backlog {
        std::vector<ChangeEvent> events;
        bool complete = true; // false: `since` is older than what the journal still holds
        uint64_t subscription = 0;
    };

    // Declares where this journal starts: the NSDB's change version when the feed began. A
    // subscriber asking for an older version gets an incomplete backlog.
    void start(uint64_t version);
    // Appends a change; ignored when its version is not newer than the last one (a duplicate
    // delivery from a re-armed watch).
    void append(ChangeEvent e);
    // Returns the changes with version > since and registers `sink` for every later one.
    Backlog subscribe(uint64_t since, Sink sink);
    void unsubscribe(uint64_t subscription);
    uint64_t lastVersion() const;
    size_t subscribers() const;

private:
    mutable std::mutex mutex_;
    size_t capacity_;
    std::string epoch_;
    std::deque<ChangeEvent> events_;
    uint64_t last_ = 0;
    // Lowest version the journal can vouch for: every change after it is in events_ (or was
    // trimmed, which moves floor_ up).
    uint64_t floor_ = 0;
    uint64_t nextSubscription_ = 1;
    std::map<uint64_t, Sink> sinks_;
};

} // namespace midonet::cluster
