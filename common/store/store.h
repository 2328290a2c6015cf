// Store: the Network State Database (NSDB) as the rest of MidoNet sees it.
//
// What it is. A tree of versioned values under a root (default "/midonet/v1"):
//   <type>/<uuid>                    an object; the value is opaque text (JSON, encoded by
//                                    common/model), the version an integer
//   <type>/<uuid>/<name>             an ephemeral child of an object (host liveness:
//                                    hosts/<uuid>/alive), tied to this store's session
//   <type>/<uuid>/<table>/<key>      an entry of a state table owned by an object
//                                    (bridges/<uuid>/mac_table/<vlan>/<mac>,
//                                    routers/<uuid>/arp_table/<ip>); optionally ephemeral
// Two backends: ZooKeeperStore (the NSDB proper) and MemoryStore (tests, single process). Both
// have the semantics written here; where a backend differs it is said below.
//
// Invariants.
// - A created object has version 0; every successful update adds 1. A delete and re-create
//   starts again at 0. Calls taking `expected` fail with version_conflict unless the stored
//   version equals it; kAnyVersion skips the check.
// - Deleting an object deletes its ephemeral children and state tables with it, atomically.
// - multi() applies all its ops or none; the StoreError of a failed multi names the failing op.
// - Ephemerals (putEphemeral, putEntry(..., ephemeral = true)) live as long as the session of the
//   store that wrote them. If that session expires they vanish (watchers see them deleted) and
//   the store re-creates the ones it still owns once a new session is up (watchers see them
//   created again). Destroying the store ends its session: they vanish for good.
// - Watches. A watch call returns a snapshot and, afterwards, reports every change relative to
//   it: per object/entry in version order, never twice, never a change that did not happen, and
//   the last notification always carries the stored state once writes stop. Deletes and
//   creates of children of a collection/table are all reported. A backend without history
//   (ZooKeeper; coalescedUpdates() says so) may fold changes of ONE object that land faster
//   than it can re-read: updates into one `updated` with the newest value and version, a create
//   and its first updates into one `created`, updates just before a delete into the `deleted`
//   (which then carries the last value the watcher saw); a delete and re-create between two
//   reads still shows as `deleted` then `created`. MemoryStore reports every single version.
// - Errors are StoreError (store_error.h), naming the path and the rule. connection_loss on a
//   write means the outcome is unknown: re-read before retrying non-idempotent writes.
//
// Thread-safety.
// - Every member function may be called from any thread concurrently (a REST server calls from
//   many request threads; the agent from its own threads and from watch callbacks).
// - Callbacks (watches and session events) run on one delivery thread per store, one at a time,
//   in the order the changes were observed. They may call back into the store. A callback that
//   blocks holds up every later notification of that store.
// - Callbacks may start before the watch call returns: guard shared caches with a lock.
// - Subscription::cancel() (or its destructor) returns after any running callback of that
//   subscription has finished, except when called from inside a callback; no callback of it
//   starts afterwards.
// - Destroying a store while other threads still call it is undefined; subscriptions may outlive
//   their store (cancel becomes a no-op).
#pragma once

#include "common/store/store_error.h"
#include "common/util/uuid.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace midonet::store {

using util::Uuid;
using Version = std::int64_t;
inline constexpr Version kAnyVersion = -1;
// The largest value accepted (ZooKeeper's default packet limit is 1 MiB, with headers).
inline constexpr std::size_t kMaxValueSize = 1000 * 1000;

struct Object {
    Uuid id;
    std::string data;
    Version version = 0;
    bool operator==(const Object &) const = default;
};

// A state table owned by an object: {"bridges", id, "mac_table/0"}, {"routers", id, "arp_table"}.
// `name` is one or more '/'-separated segments of [A-Za-z0-9_.:-].
struct TableRef {
    std::string type;
    Uuid id;
    std::string name;
};
TableRef macTable(const Uuid &bridge, unsigned vlan);
TableRef arpTable(const Uuid &router);
// Name of the ephemeral child a live agent keeps under hosts/<id>.
inline constexpr std::string_view kAliveName = "alive";

struct Entry {
    std::string key;
    std::string value;
    Version version = 0;
    bool ephemeral = false;
    bool operator==(const Entry &) const = default;
};

// One write of a multi-operation. Ops address objects only.
struct Op {
    enum class Kind { create, update, remove, check };
    Kind kind;
    std::string type;
    Uuid id;
    std::string data;
    Version version = kAnyVersion; // expected version (update/remove/check)

    static Op create(std::string type, const Uuid &id, std::string data);
    static Op update(std::string type, const Uuid &id, std::string data, Version expected = kAnyVersion);
    static Op remove(std::string type, const Uuid &id, Version expected = kAnyVersion);
    static Op check(std::string type, const Uuid &id, Version expected);
};

enum class ChangeOp { created, updated, deleted };
const char *toString(ChangeOp op);

// One notification. For objects `key` is empty; for table entries it is the entry key, for
// ephemeral children the child name. `data`/`version` are the new state, or for `deleted` the
// last state the watcher knew.
struct Change {
    ChangeOp op;
    std::string type;
    Uuid id;
    std::string key;
    std::string data;
    Version version = 0;
};
using WatchCallback = std::function<void(const Change &)>;

enum class SessionEvent {
    connected,     // the connection came back; the session (and its ephemerals) survived
    disconnected,  // the connection was lost; calls fail with connection_loss until it is back
    expired,       // the session ended: its ephemerals are gone, watches are being re-armed
    reestablished, // a new session is up; ephemerals this store owns are re-created
};
const char *toString(SessionEvent e);
using SessionCallback = std::function<void(SessionEvent)>;

// Ends a watch or session listener when cancelled or destroyed. Move-only.
class Subscription {
public:
    Subscription() = default;
    explicit Subscription(std::function<void()> cancel) : cancel_(std::move(cancel)) {}
    Subscription(Subscription &&o) noexcept : cancel_(std::move(o.cancel_)) { o.cancel_ = nullptr; }
    Subscription &operator=(Subscription &&o) noexcept;
    Subscription(const Subscription &) = delete;
    Subscription &operator=(const Subscription &) = delete;
    ~Subscription() { cancel(); }

    void cancel();
    bool active() const { return static_cast<bool>(cancel_); }

private:
    std::function<void()> cancel_;
};

// What a watch call returns: the state at registration, and the subscription that reports
// changes after it.
template <class T> struct Watched {
    T initial;
    Subscription subscription;
};

class Store {
public:
    virtual ~Store() = default;

    // --- Objects ------------------------------------------------------------------------------
    // Returns the new version (0). already_exists if the id is taken.
    virtual Version create(std::string_view type, const Uuid &id, std::string data) = 0;
    // not_found if absent.
    virtual Object get(std::string_view type, const Uuid &id) = 0;
    // Every object of a type, ordered by id. Empty if none.
    virtual std::vector<Object> list(std::string_view type) = 0;
    // Returns the new version. not_found, version_conflict.
    virtual Version update(std::string_view type, const Uuid &id, std::string data,
                           Version expected = kAnyVersion) = 0;
    // Deletes the object with its ephemeral children and state tables. not_found,
    // version_conflict.
    virtual void remove(std::string_view type, const Uuid &id, Version expected = kAnyVersion) = 0;
    // All or nothing. Returns the version each op left (check: the checked version; remove: -1).
    // The ops together must stay within kMaxValueSize (one ZooKeeper packet).
    virtual std::vector<Version> multi(const std::vector<Op> &ops) = 0;

    // --- Ephemeral children of an object (host liveness) -------------------------------------
    // Creates or replaces <type>/<id>/<name>, owned by this store's session. not_found if the
    // object does not exist.
    virtual void putEphemeral(std::string_view type, const Uuid &id, std::string_view name,
                              std::string data) = 0;
    // Creates <type>/<id>/<name> owned by this session only if nobody holds it: the primitive
    // for electing one owner among several stores (the active L2 gateway port of a VLAN).
    // Returns true if this session holds it (created now, or already ours: the value is then
    // left as it is), false if another session does. After a session expiry it is re-created
    // like any owned ephemeral, unless another session took it meanwhile. not_found if the
    // object does not exist.
    virtual bool claimEphemeral(std::string_view type, const Uuid &id, std::string_view name,
                                std::string data) = 0;
    // Takes <type>/<id>/<name> over from a holder known to be dead before its session expires
    // (the L2 gateway standby whose peer went unreachable over the underlay): if it holds
    // `holder` and belongs to another session, replaces it in one step (delete conditioned on the
    // version read with the value, then create-if-absent, atomically: no read finds it absent
    // and never two hold it, though a ZooKeeper watch may report a delete before the create, so
    // watchers re-read on a delete) by one owned by this session with `data`. If it is absent,
    // claims it as claimEphemeral does. Returns true if this session holds it afterwards (also
    // when it already did), false if it names another value. Caveat: a node deleted and
    // re-created with the same version between the read and the replace is replaced too (the
    // version cannot tell them apart); one holder still results. not_found if the object does
    // not exist.
    virtual bool takeOverEphemeral(std::string_view type, const Uuid &id, std::string_view name,
                                   std::string_view holder, std::string data) = 0;
    // Returns false if it was not there.
    virtual bool removeEphemeral(std::string_view type, const Uuid &id, std::string_view name) = 0;
    virtual std::optional<Entry> getEphemeral(std::string_view type, const Uuid &id,
                                              std::string_view name) = 0;

    // --- State tables -------------------------------------------------------------------------
    // Creates or replaces an entry. Replacing moves ownership to this session (an ephemeral entry
    // learned by another agent becomes ours). not_found if the owning object does not exist.
    virtual void putEntry(const TableRef &table, std::string_view key, std::string value,
                          bool ephemeral = false) = 0;
    // Returns false if it was not there.
    virtual bool removeEntry(const TableRef &table, std::string_view key) = 0;
    // Ordered by key. Empty if the table (or its owner) does not exist.
    virtual std::vector<Entry> entries(const TableRef &table) = 0;

    // --- Watches (see the invariants above) ---------------------------------------------------
    virtual Watched<std::optional<Object>> watchObject(std::string_view type, const Uuid &id,
                                                       WatchCallback cb) = 0;
    // Objects created, updated and deleted in a type.
    virtual Watched<std::vector<Object>> watchCollection(std::string_view type, WatchCallback cb) = 0;
    // Entries added, replaced and removed; works before the table or its owner exist.
    virtual Watched<std::vector<Entry>> watchTable(const TableRef &table, WatchCallback cb) = 0;
    virtual Watched<std::optional<Entry>> watchEphemeral(std::string_view type, const Uuid &id,
                                                         std::string_view name, WatchCallback cb) = 0;

    // --- Session ------------------------------------------------------------------------------
    virtual Subscription subscribeSession(SessionCallback cb) = 0;
    // True if consecutive updates of one object may be folded into one notification.
    virtual bool coalescedUpdates() const = 0;
};

} // namespace midonet::store
