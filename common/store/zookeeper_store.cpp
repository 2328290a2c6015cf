#include "common/store/zookeeper_store.h"

#include "common/store/detail/dispatcher.h"
#include "common/store/detail/session_listeners.h"
#include "common/store/detail/paths.h"

#include <zookeeper/zookeeper.h>

#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <climits>
#include <condition_variable>
#include <cstring>
#include <future>
#include <map>
#include <mutex>
#include <set>
#include <thread>
#include <unordered_map>

namespace midonet::store {

using detail::checkKey;
using detail::checkTableName;
using detail::checkType;
using detail::checkValue;
using detail::childPath;
using detail::objectPath;
using detail::tablePath;

namespace {

// Concurrent writers can make a subtree delete or an entry replace fail on a node that changed
// under it; each retry re-reads. More than this many in a row means something keeps fighting us.
constexpr int kMaxRetries = 10;

std::string parentOf(const std::string &path) { return path.substr(0, path.rfind('/')); }
std::string lastSegment(const std::string &path) { return path.substr(path.rfind('/') + 1); }

const char *ruleFor(int rc)
{
    switch (rc) {
    case ZNONODE: return "does not exist";
    case ZNODEEXISTS: return "already exists";
    case ZBADVERSION: return "the stored version differs from the expected one";
    case ZNOTEMPTY: return "still has children";
    case ZCONNECTIONLOSS:
    case ZOPERATIONTIMEOUT: return "no answer from ZooKeeper; a write may or may not have happened";
    case ZSESSIONEXPIRED:
    case ZINVALIDSTATE:
    case ZSESSIONMOVED: return "the ZooKeeper session expired; a new one is being opened";
    case ZCLOSING: return "the store is closing";
    case ZNOCHILDRENFOREPHEMERALS: return "an ephemeral node cannot have children";
    default: return "ZooKeeper failed";
    }
}

StoreErrc errcFor(int rc)
{
    switch (rc) {
    case ZNONODE: return StoreErrc::not_found;
    case ZNODEEXISTS: return StoreErrc::already_exists;
    case ZBADVERSION: return StoreErrc::version_conflict;
    case ZNOTEMPTY: return StoreErrc::not_empty;
    case ZCONNECTIONLOSS:
    case ZOPERATIONTIMEOUT: return StoreErrc::connection_loss;
    case ZSESSIONEXPIRED:
    case ZINVALIDSTATE:
    case ZSESSIONMOVED: return StoreErrc::session_expired;
    case ZCLOSING: return StoreErrc::closed;
    case ZBADARGUMENTS:
    case ZNOCHILDRENFOREPHEMERALS: return StoreErrc::invalid_argument;
    default: return StoreErrc::backend_failure;
    }
}

[[noreturn]] void fail(int rc, const std::string &rel, const std::string &prefix = {}, int opIndex = -1)
{
    std::string msg = prefix + "'" + rel + "': " + ruleFor(rc);
    if (errcFor(rc) == StoreErrc::backend_failure)
        msg += std::string(" (") + zerror(rc) + ")";
    throw StoreError(errcFor(rc), rel, msg, opIndex);
}

int toZkVersion(Version v, const std::string &rel)
{
    if (v < kAnyVersion || v > INT32_MAX)
        throw StoreError(StoreErrc::invalid_argument, rel,
                         "'" + rel + "': expected version " + std::to_string(v) +
                             " is out of range (-1 for any, or 0.." + std::to_string(INT32_MAX) + ")");
    return static_cast<int>(v);
}

void zkLog(const char *message) { spdlog::debug("zookeeper client: {}", message); }

// One blocking call over the async API: no guess at buffer sizes, and the library always calls
// the completion (with ZCLOSING at worst), so wait() always returns.
struct Waiter {
    std::mutex m;
    std::condition_variable cv;
    bool done = false;
    int rc = ZOK;
    std::string data;
    Stat stat{};
    std::vector<std::string> children;

    void finish(int r)
    {
        std::lock_guard lock(m);
        rc = r;
        done = true;
        cv.notify_all();
    }
    int wait()
    {
        std::unique_lock lock(m);
        cv.wait(lock, [this] { return done; });
        return rc;
    }
    static void onData(int rc, const char *value, int len, const Stat *stat, const void *data)
    {
        auto *w = static_cast<Waiter *>(const_cast<void *>(data));
        if (rc == ZOK) {
            if (value && len > 0)
                w->data.assign(value, static_cast<std::size_t>(len));
            if (stat)
                w->stat = *stat;
        }
        w->finish(rc);
    }
    static void onChildren(int rc, const String_vector *strings, const void *data)
    {
        auto *w = static_cast<Waiter *>(const_cast<void *>(data));
        if (rc == ZOK && strings)
            for (int i = 0; i < strings->count; ++i)
                w->children.emplace_back(strings->data[i]);
        w->finish(rc);
    }
};

enum class WatchKind { object, ephemeral, collection, table };

struct NodeState {
    bool exists = false;
    std::int64_t czxid = 0;
    Version version = 0;
    std::string data;
    bool ephemeral = false;
};

struct Tracker {
    std::atomic<std::uint64_t> id{0}; // a new one per (re)start; stale completions carry the old
    WatchKind kind;
    std::string type;
    Uuid oid;
    std::string key;
    std::string path; // absolute: the node, or the parent of the watched children
    WatchCallback cb;
    std::shared_ptr<detail::Listener> listener = std::make_shared<detail::Listener>();

    std::mutex m; // guards everything below
    NodeState node;
    std::map<std::string, NodeState> children;
    bool initializing = true;
    bool initChildrenListed = false;
    int initPending = 0;
    std::promise<int> initDone;
    NodeState snapNode;
    std::map<std::string, NodeState> snapChildren;

    bool nodeKind() const { return kind == WatchKind::object || kind == WatchKind::ephemeral; }

    // With m held; called once.
    void finishInit(int rc)
    {
        if (!initializing)
            return;
        initializing = false;
        snapNode = node;
        snapChildren = children;
        initDone.set_value(rc);
    }

    std::optional<Change> makeChange(ChangeOp op, const std::string &child, const NodeState &s) const
    {
        Change c{op, type, oid, key, s.data, s.version};
        if (kind == WatchKind::collection) {
            auto id = Uuid::parse(child);
            if (!id)
                return std::nullopt; // not an object node; nothing a watcher of objects wants
            c.id = *id;
        } else if (kind == WatchKind::table) {
            c.key = child;
        }
        return c;
    }

    // With m held: what changed between the last state seen and `now`.
    void diff(const NodeState &old, const NodeState &now, const std::string &child, std::vector<Change> &out) const
    {
        auto add = [&](ChangeOp op, const NodeState &s) {
            if (auto c = makeChange(op, child, s))
                out.push_back(std::move(*c));
        };
        if (!old.exists && now.exists) {
            add(ChangeOp::created, now);
        } else if (old.exists && !now.exists) {
            add(ChangeOp::deleted, old);
        } else if (old.exists && now.exists) {
            if (old.czxid != now.czxid) { // deleted and created again between two reads
                add(ChangeOp::deleted, old);
                add(ChangeOp::created, now);
            } else if (now.version > old.version) {
                add(ChangeOp::updated, now);
            }
        }
    }
};

NodeState stateOf(const char *value, int len, const Stat *stat)
{
    NodeState s;
    s.exists = true;
    if (value && len > 0)
        s.data.assign(value, static_cast<std::size_t>(len));
    if (stat) {
        s.czxid = stat->czxid;
        s.version = stat->version;
        s.ephemeral = stat->ephemeralOwner != 0;
    }
    return s;
}

} // namespace

// One ZooKeeper handle: a session. Replaced as a whole when the session expires.
struct Conn {
    zhandle_t *zh = nullptr;
    ZooKeeperStore::Impl *impl = nullptr;
    std::mutex m;
    std::condition_variable cv;
    bool connected = false;
    bool everConnected = false;
    bool expired = false;

    ~Conn()
    {
        if (zh)
            zookeeper_close(zh); // completes what is pending with ZCLOSING, joins its threads
    }
};

struct Req {
    Conn *conn;
    std::uint64_t tracker;
    std::string child;
    bool initial;
};

struct ZooKeeperStore::Impl {
    Options options;
    std::unique_ptr<detail::Dispatcher> dispatcher = std::make_unique<detail::Dispatcher>();

    std::mutex connMutex;
    std::shared_ptr<Conn> current;
    std::atomic<Conn *> currentRaw{nullptr};

    std::mutex trackersMutex;
    std::unordered_map<std::uint64_t, std::shared_ptr<Tracker>> trackers;
    std::atomic<std::uint64_t> nextTracker{1};

    std::mutex ephemeralsMutex;
    std::map<std::string, std::string> ownedEphemerals; // absolute path -> value

    std::mutex knownPathsMutex;
    std::set<std::string> knownPaths; // persistent parents known to exist

    detail::SessionListeners sessionListeners;

    std::mutex controlMutex;
    std::condition_variable controlCv;
    bool replaceRequested = false;
    bool stopping = false;
    std::thread control;

    std::string abs(const std::string &rel) const { return options.root + "/" + rel; }
    std::string rel(const std::string &absPath) const { return absPath.substr(options.root.size() + 1); }

    std::shared_ptr<Conn> conn()
    {
        std::lock_guard lock(connMutex);
        if (!current)
            throw StoreError(StoreErrc::closed, "", "the store is closing");
        return current;
    }

    std::shared_ptr<Tracker> findTracker(std::uint64_t id)
    {
        std::lock_guard lock(trackersMutex);
        auto it = trackers.find(id);
        return it == trackers.end() ? nullptr : it->second;
    }

    void post(const std::shared_ptr<Tracker> &t, std::vector<Change> changes)
    {
        for (auto &c : changes)
            dispatcher->post([t, c = std::move(c)] { t->listener->deliver([&] { t->cb(c); }); });
    }

    void postSession(SessionEvent e) { sessionListeners.post(*dispatcher, e); }

    // --- connection ---------------------------------------------------------------------------
    std::shared_ptr<Conn> connect()
    {
        auto c = std::make_shared<Conn>();
        c->impl = this;
        c->zh = zookeeper_init2(options.servers.c_str(), &Impl::sessionWatcher,
                                static_cast<int>(options.sessionTimeout.count()), nullptr, c.get(), 0, zkLog);
        if (!c->zh)
            throw StoreError(StoreErrc::invalid_argument, "",
                             "ZooKeeper servers '" + options.servers + "': the client refused them (" +
                                 std::strerror(errno) + "); expected host:port[,host:port...]");
        std::unique_lock lock(c->m);
        if (!c->cv.wait_for(lock, options.connectTimeout, [&] { return c->connected || c->expired; }) ||
            !c->connected) {
            lock.unlock();
            throw StoreError(StoreErrc::connection_loss, "",
                             "no ZooKeeper server in '" + options.servers + "' answered within " +
                                 std::to_string(options.connectTimeout.count()) + " ms");
        }
        return c;
    }

    static void sessionWatcher(zhandle_t *, int type, int state, const char *, void *ctx)
    {
        if (type != ZOO_SESSION_EVENT)
            return;
        auto *c = static_cast<Conn *>(ctx);
        c->impl->onSessionEvent(c, state);
    }

    // On the library's completion thread.
    void onSessionEvent(Conn *c, int state)
    {
        bool isCurrent = currentRaw.load() == c;
        if (state == ZOO_CONNECTED_STATE) {
            bool again;
            {
                std::lock_guard lock(c->m);
                again = c->everConnected;
                c->connected = c->everConnected = true;
                c->cv.notify_all();
            }
            if (isCurrent && again) {
                spdlog::info("store: reconnected to ZooKeeper, session kept");
                postSession(SessionEvent::connected);
                rearmAll(c); // reads that failed while we were away left watches unarmed
            }
        } else if (state == ZOO_CONNECTING_STATE || state == ZOO_ASSOCIATING_STATE) {
            bool was;
            {
                std::lock_guard lock(c->m);
                was = c->connected;
                c->connected = false;
            }
            if (isCurrent && was) {
                spdlog::warn("store: lost the connection to ZooKeeper; reconnecting");
                postSession(SessionEvent::disconnected);
            }
        } else if (state == ZOO_EXPIRED_SESSION_STATE || state == ZOO_AUTH_FAILED_STATE) {
            {
                std::lock_guard lock(c->m);
                c->connected = false;
                c->expired = true;
                c->cv.notify_all();
            }
            if (isCurrent) {
                spdlog::warn("store: ZooKeeper session expired; opening a new one");
                postSession(SessionEvent::expired);
                std::lock_guard lock(controlMutex);
                replaceRequested = true;
                controlCv.notify_all();
            }
        }
    }

    // The control thread: replaces an expired session.
    void controlLoop()
    {
        for (;;) {
            {
                std::unique_lock lock(controlMutex);
                controlCv.wait(lock, [this] { return stopping || replaceRequested; });
                if (stopping)
                    return;
                replaceRequested = false;
            }
            std::shared_ptr<Conn> fresh;
            while (!fresh) {
                try {
                    fresh = connect();
                } catch (const StoreError &e) {
                    spdlog::warn("store: {}; retrying", e.what());
                    std::unique_lock lock(controlMutex);
                    if (controlCv.wait_for(lock, std::chrono::seconds(1), [this] { return stopping; }))
                        return;
                }
            }
            std::shared_ptr<Conn> old;
            {
                std::lock_guard lock(connMutex);
                old = std::move(current);
                current = fresh;
                currentRaw.store(fresh.get());
            }
            old.reset(); // closes the expired handle here, off the library's threads
            recreateEphemerals(*fresh);
            spdlog::info("store: new ZooKeeper session 0x{:x} established",
                         static_cast<unsigned long long>(zoo_client_id(fresh->zh)->client_id));
            postSession(SessionEvent::reestablished);
            rearmAll(fresh.get());
        }
    }

    // --- sync helpers ---------------------------------------------------------------------------
    int getNode(Conn &c, const std::string &path, std::string *data, Stat *stat)
    {
        Waiter w;
        int rc = zoo_aget(c.zh, path.c_str(), 0, &Waiter::onData, &w);
        if (rc == ZOK)
            rc = w.wait();
        if (rc == ZOK) {
            if (data)
                *data = std::move(w.data);
            if (stat)
                *stat = w.stat;
        }
        return rc;
    }

    int getChildren(Conn &c, const std::string &path, std::vector<std::string> &out)
    {
        Waiter w;
        int rc = zoo_aget_children(c.zh, path.c_str(), 0, &Waiter::onChildren, &w);
        if (rc == ZOK)
            rc = w.wait();
        if (rc == ZOK)
            out = std::move(w.children);
        return rc;
    }

    // Reads every child of `parent` with its data, pipelined. Children deleted meanwhile are left
    // out. ZNONODE if the parent does not exist.
    int readChildren(Conn &c, const std::string &parent, std::vector<std::pair<std::string, NodeState>> &out)
    {
        std::vector<std::string> names;
        int rc = getChildren(c, parent, names);
        if (rc != ZOK)
            return rc;
        std::vector<std::unique_ptr<Waiter>> waiters;
        for (auto &n : names) {
            auto w = std::make_unique<Waiter>();
            int r = zoo_aget(c.zh, (parent + "/" + n).c_str(), 0, &Waiter::onData, w.get());
            if (r != ZOK)
                w->finish(r);
            waiters.push_back(std::move(w));
        }
        int firstError = ZOK;
        for (std::size_t i = 0; i < names.size(); ++i) {
            int r = waiters[i]->wait();
            if (r == ZOK)
                out.emplace_back(names[i], stateOf(waiters[i]->data.data(),
                                                   static_cast<int>(waiters[i]->data.size()), &waiters[i]->stat));
            else if (r != ZNONODE && firstError == ZOK)
                firstError = r;
        }
        return firstError;
    }

    // Creates the persistent nodes from the root down to `path` (inclusive), as needed.
    void ensurePersistent(Conn &c, const std::string &path)
    {
        {
            std::lock_guard lock(knownPathsMutex);
            if (knownPaths.count(path))
                return;
        }
        std::size_t pos = 1;
        for (;;) {
            pos = path.find('/', pos);
            std::string prefix = pos == std::string::npos ? path : path.substr(0, pos);
            int rc = zoo_create(c.zh, prefix.c_str(), "", 0, &ZOO_OPEN_ACL_UNSAFE, ZOO_PERSISTENT, nullptr, 0);
            if (rc != ZOK && rc != ZNODEEXISTS)
                fail(rc, prefix, "creating parent ");
            if (pos == std::string::npos)
                break;
            ++pos;
        }
        std::lock_guard lock(knownPathsMutex);
        knownPaths.insert(path);
    }

    // Every node under `path` (not `path` itself), children after their parents.
    int descendants(Conn &c, const std::string &path, std::vector<std::string> &out)
    {
        std::vector<std::string> names;
        int rc = getChildren(c, path, names);
        if (rc != ZOK)
            return rc;
        for (auto &n : names) {
            std::string child = path + "/" + n;
            out.push_back(child);
            int r = descendants(c, child, out);
            if (r != ZOK && r != ZNONODE)
                return r;
        }
        return ZOK;
    }

    [[noreturn]] void versionConflict(Conn &c, const std::string &path, Version expected,
                                      const std::string &prefix = {}, int opIndex = -1)
    {
        Stat stat{};
        std::string actual = "another";
        if (getNode(c, path, nullptr, &stat) == ZOK)
            actual = std::to_string(stat.version);
        auto r = rel(path);
        throw StoreError(StoreErrc::version_conflict, r,
                         prefix + "'" + r + "': expected version " + std::to_string(expected) +
                             " but the stored version is " + actual,
                         opIndex);
    }

    // Creates or replaces `path`; ephemeral ones are owned by c's session. Missing table nodes
    // between the owning object and `path` are created; a missing object is not_found.
    void putNode(Conn &c, const std::string &objPath, const std::string &path, const std::string &data,
                 bool ephemeral)
    {
        const int mode = ephemeral ? ZOO_EPHEMERAL : ZOO_PERSISTENT;
        const std::int64_t wantOwner = ephemeral ? zoo_client_id(c.zh)->client_id : 0;
        const int len = static_cast<int>(data.size());
        for (int attempt = 0; attempt < kMaxRetries; ++attempt) {
            int rc = zoo_create(c.zh, path.c_str(), data.data(), len, &ZOO_OPEN_ACL_UNSAFE, mode, nullptr, 0);
            if (rc == ZOK)
                return;
            if (rc == ZNONODE) {
                std::string parent = parentOf(path);
                if (parent == objPath)
                    fail(ZNONODE, rel(objPath), "owner of '" + rel(path) + "': ");
                std::size_t pos = objPath.size() + 1;
                for (;;) {
                    pos = parent.find('/', pos);
                    std::string prefix = pos == std::string::npos ? parent : parent.substr(0, pos);
                    int r = zoo_create(c.zh, prefix.c_str(), "", 0, &ZOO_OPEN_ACL_UNSAFE, ZOO_PERSISTENT, nullptr, 0);
                    if (r == ZNONODE)
                        fail(ZNONODE, rel(objPath), "owner of '" + rel(path) + "': ");
                    if (r != ZOK && r != ZNODEEXISTS)
                        fail(r, rel(prefix));
                    if (pos == std::string::npos)
                        break;
                    ++pos;
                }
                continue;
            }
            if (rc != ZNODEEXISTS)
                fail(rc, rel(path));
            Stat stat{};
            rc = getNode(c, path, nullptr, &stat);
            if (rc == ZNONODE)
                continue;
            if (rc != ZOK)
                fail(rc, rel(path));
            if (stat.ephemeralOwner == wantOwner) {
                Stat out{};
                rc = zoo_set2(c.zh, path.c_str(), data.data(), len, stat.version, &out);
                if (rc == ZOK)
                    return;
            } else { // another owner: take it over in one step
                zoo_op_t ops[2];
                zoo_op_result_t results[2];
                zoo_delete_op_init(&ops[0], path.c_str(), stat.version);
                zoo_create_op_init(&ops[1], path.c_str(), data.data(), len, &ZOO_OPEN_ACL_UNSAFE, mode, nullptr, 0);
                rc = zoo_multi(c.zh, 2, ops, results);
                if (rc == ZOK)
                    return;
            }
            if (rc != ZBADVERSION && rc != ZNONODE && rc != ZNODEEXISTS)
                fail(rc, rel(path));
        }
        throw StoreError(StoreErrc::version_conflict, rel(path),
                         "'" + rel(path) + "': still changing under us after " + std::to_string(kMaxRetries) +
                             " attempts to write it");
    }

    void recreateEphemerals(Conn &c)
    {
        std::map<std::string, std::string> owned;
        {
            std::lock_guard lock(ephemeralsMutex);
            owned = ownedEphemerals;
        }
        for (auto &[path, data] : owned) {
            // <root>/<type>/<uuid>/...: the owning object is two segments below the root.
            auto r = rel(path);
            auto second = r.find('/', r.find('/') + 1);
            std::string objPath = abs(r.substr(0, second));
            bool keep = true;
            try {
                int rc = zoo_create(c.zh, path.c_str(), data.data(), static_cast<int>(data.size()),
                                    &ZOO_OPEN_ACL_UNSAFE, ZOO_EPHEMERAL, nullptr, 0);
                if (rc == ZNONODE)
                    putNode(c, objPath, path, data, true); // re-creates table nodes, or throws
                else if (rc == ZNODEEXISTS)
                    keep = false; // someone else has taken it over meanwhile
                else if (rc != ZOK)
                    fail(rc, r);
            } catch (const StoreError &e) {
                spdlog::warn("store: not re-creating ephemeral {}: {}", r, e.what());
                keep = e.errc() != StoreErrc::not_found;
            }
            if (!keep) {
                std::lock_guard lock(ephemeralsMutex);
                ownedEphemerals.erase(path);
            }
        }
    }

    // --- watches (completion thread, except the initial arm) ----------------------------------
    static void trackerWatcher(zhandle_t *zh, int type, int, const char *path, void *ctx)
    {
        if (type == ZOO_SESSION_EVENT || type == ZOO_NOTWATCHING_EVENT || !path)
            return;
        auto *c = static_cast<Conn *>(const_cast<void *>(zoo_get_context(zh)));
        auto t = c->impl->findTracker(reinterpret_cast<std::uintptr_t>(ctx));
        if (!t)
            return; // cancelled: the one-shot watch simply is not re-armed
        std::string p = path;
        if (t->nodeKind())
            c->impl->armNode(c, t, false);
        else if (p == t->path)
            c->impl->armChildren(c, t, false);
        else
            c->impl->armChild(c, t, lastSegment(p), false);
    }

    static void *ctxOf(const std::shared_ptr<Tracker> &t) { return reinterpret_cast<void *>(t->id.load()); }

    void initFailed(const std::shared_ptr<Tracker> &t, int rc)
    {
        std::lock_guard lock(t->m);
        t->finishInit(rc);
    }
    void initFailed(const std::shared_ptr<Tracker> &t, std::uint64_t attempt, int rc)
    {
        std::lock_guard lock(t->m);
        if (t->id == attempt)
            t->finishInit(rc);
    }

    // Reads the tracked node (name empty) or one child of it and re-arms its watch; `done`
    // receives the data. A read that cannot be sent fails the watch's start if it is part of it.
    void armData(Conn *c, const std::shared_ptr<Tracker> &t, const std::string &name, bool initial,
                 data_completion_t done)
    {
        auto *r = new Req{c, t->id, name, initial};
        std::string path = name.empty() ? t->path : t->path + "/" + name;
        int rc = zoo_awget(c->zh, path.c_str(), &Impl::trackerWatcher, ctxOf(t), done, r);
        if (rc != ZOK) {
            delete r;
            if (initial)
                initFailed(t, rc);
        }
    }
    void armNode(Conn *c, const std::shared_ptr<Tracker> &t, bool initial)
    {
        armData(c, t, {}, initial, &Impl::onNodeData);
    }

    static void onNodeData(int rc, const char *value, int len, const Stat *stat, const void *data)
    {
        std::unique_ptr<Req> r(static_cast<Req *>(const_cast<void *>(data)));
        auto *self = r->conn->impl;
        auto t = self->findTracker(r->tracker);
        if (!t)
            return;
        if (rc == ZOK || rc == ZNONODE) {
            NodeState now = rc == ZOK ? stateOf(value, len, stat) : NodeState{};
            std::vector<Change> changes;
            {
                std::lock_guard lock(t->m);
                if (t->id != r->tracker)
                    return; // from an earlier attempt of startWatch
                const bool emit = !t->initializing; // before init, changes fold into the snapshot
                t->diff(t->node, now, {}, changes);
                t->node = now;
                if (t->initializing && rc == ZOK && r->initial)
                    t->finishInit(ZOK);
                if (!emit)
                    changes.clear();
            }
            self->post(t, std::move(changes));
            if (rc == ZNONODE) { // watch for its creation instead
                auto *e = new Req{r->conn, t->id, {}, r->initial};
                int erc = zoo_awexists(r->conn->zh, t->path.c_str(), &Impl::trackerWatcher, ctxOf(t),
                                       &Impl::onNodeExists, e);
                if (erc != ZOK) {
                    delete e;
                    if (r->initial)
                        self->initFailed(t, r->tracker, erc);
                }
            }
        } else if (r->initial) {
            self->initFailed(t, r->tracker, rc);
        }
    }

    static void onNodeExists(int rc, const Stat *, const void *data)
    {
        std::unique_ptr<Req> r(static_cast<Req *>(const_cast<void *>(data)));
        auto *self = r->conn->impl;
        auto t = self->findTracker(r->tracker);
        if (!t)
            return;
        if (rc == ZOK)
            self->armNode(r->conn, t, r->initial); // created between our two reads
        else if (r->initial)
            self->initFailed(t, r->tracker, rc == ZNONODE ? ZOK : rc);
    }

    void armChildren(Conn *c, const std::shared_ptr<Tracker> &t, bool initial)
    {
        auto *r = new Req{c, t->id, {}, initial};
        int rc = zoo_awget_children(c->zh, t->path.c_str(), &Impl::trackerWatcher, ctxOf(t), &Impl::onChildren, r);
        if (rc != ZOK) {
            delete r;
            if (initial)
                initFailed(t, rc);
        }
    }

    static void onChildren(int rc, const String_vector *strings, const void *data)
    {
        std::unique_ptr<Req> r(static_cast<Req *>(const_cast<void *>(data)));
        auto *self = r->conn->impl;
        auto t = self->findTracker(r->tracker);
        if (!t)
            return;
        if (rc != ZOK && rc != ZNONODE) {
            if (r->initial)
                self->initFailed(t, r->tracker, rc);
            return;
        }
        std::set<std::string> names;
        if (rc == ZOK && strings)
            for (int i = 0; i < strings->count; ++i)
                names.insert(strings->data[i]);
        std::vector<Change> changes;
        std::vector<std::string> fresh;
        {
            std::lock_guard lock(t->m);
            if (t->id != r->tracker)
                return;
            const bool emit = !t->initializing;
            for (auto it = t->children.begin(); it != t->children.end();) {
                if (names.count(it->first)) {
                    ++it;
                    continue;
                }
                if (it->second.exists)
                    t->diff(it->second, NodeState{}, it->first, changes);
                it = t->children.erase(it);
            }
            for (auto &n : names)
                if (t->children.emplace(n, NodeState{}).second)
                    fresh.push_back(n);
            if (r->initial && t->initializing) {
                t->initChildrenListed = true;
                t->initPending += static_cast<int>(fresh.size());
                if (t->initPending == 0 && rc == ZOK)
                    t->finishInit(ZOK);
            }
            if (!emit)
                changes.clear();
        }
        self->post(t, std::move(changes));
        bool initialReads = r->initial && rc == ZOK;
        for (auto &n : fresh)
            self->armChild(r->conn, t, n, initialReads);
        if (rc == ZNONODE) { // the table (or collection) does not exist yet: wait for it
            auto *e = new Req{r->conn, t->id, {}, r->initial};
            int erc = zoo_awexists(r->conn->zh, t->path.c_str(), &Impl::trackerWatcher, ctxOf(t),
                                   &Impl::onParentExists, e);
            if (erc != ZOK) {
                delete e;
                if (r->initial)
                    self->initFailed(t, r->tracker, erc);
            }
        }
    }

    static void onParentExists(int rc, const Stat *, const void *data)
    {
        std::unique_ptr<Req> r(static_cast<Req *>(const_cast<void *>(data)));
        auto *self = r->conn->impl;
        auto t = self->findTracker(r->tracker);
        if (!t)
            return;
        if (rc == ZOK)
            self->armChildren(r->conn, t, r->initial);
        else if (r->initial)
            self->initFailed(t, r->tracker, rc == ZNONODE ? ZOK : rc);
    }

    void armChild(Conn *c, const std::shared_ptr<Tracker> &t, const std::string &name, bool initial)
    {
        armData(c, t, name, initial, &Impl::onChildData);
    }

    static void onChildData(int rc, const char *value, int len, const Stat *stat, const void *data)
    {
        std::unique_ptr<Req> r(static_cast<Req *>(const_cast<void *>(data)));
        auto *self = r->conn->impl;
        auto t = self->findTracker(r->tracker);
        if (!t)
            return;
        std::vector<Change> changes;
        {
            std::lock_guard lock(t->m);
            if (t->id != r->tracker)
                return;
            const bool emit = !t->initializing;
            auto it = t->children.find(r->child);
            if (it != t->children.end()) {
                if (rc == ZOK) {
                    NodeState now = stateOf(value, len, stat);
                    t->diff(it->second, now, r->child, changes);
                    it->second = now;
                } else if (rc == ZNONODE) {
                    t->diff(it->second, NodeState{}, r->child, changes);
                    t->children.erase(it);
                }
            }
            if (r->initial && t->initializing) {
                if (rc != ZOK && rc != ZNONODE)
                    t->finishInit(rc);
                else if (--t->initPending == 0 && t->initChildrenListed)
                    t->finishInit(ZOK);
            }
            if (!emit)
                changes.clear();
        }
        self->post(t, std::move(changes));
    }

    // Re-reads everything watched, on `c`: after a reconnect or on a new session.
    void rearmAll(Conn *c)
    {
        std::vector<std::shared_ptr<Tracker>> all;
        {
            std::lock_guard lock(trackersMutex);
            for (auto &[id, t] : trackers)
                all.push_back(t);
        }
        for (auto &t : all) {
            if (t->nodeKind()) {
                armNode(c, t, false);
                continue;
            }
            std::vector<std::string> known;
            {
                std::lock_guard lock(t->m);
                for (auto &[n, s] : t->children)
                    known.push_back(n);
            }
            armChildren(c, t, false);
            for (auto &n : known)
                armChild(c, t, n, false);
        }
    }

    // Waits (up to connectTimeout) for a connected session other than an expired one.
    void waitForSession()
    {
        auto deadline = std::chrono::steady_clock::now() + options.connectTimeout;
        while (std::chrono::steady_clock::now() < deadline) {
            auto c = conn();
            {
                std::lock_guard lock(c->m);
                if (c->connected && !c->expired)
                    return;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
    }

    std::shared_ptr<Tracker> startWatch(std::shared_ptr<Tracker> t)
    {
        // A watch asked for during a connection blip or a session replacement is retried once the
        // session is back, rather than failing the caller (an agent sets watches as it goes).
        for (int attempt = 0;; ++attempt) {
            auto c = conn();
            {
                std::lock_guard lock(t->m);
                t->node = {};
                t->children.clear();
                t->initializing = true;
                t->initChildrenListed = false;
                t->initPending = 0;
                t->initDone = std::promise<int>();
            }
            t->id = nextTracker++; // completions of an earlier attempt find nothing and stop
            auto done = t->initDone.get_future();
            {
                std::lock_guard lock(trackersMutex);
                trackers[t->id] = t;
            }
            if (t->nodeKind())
                armNode(c.get(), t, true);
            else
                armChildren(c.get(), t, true);
            int rc = ZOPERATIONTIMEOUT;
            if (done.wait_for(options.connectTimeout + options.sessionTimeout) == std::future_status::ready)
                rc = done.get();
            if (rc == ZOK)
                return t;
            {
                std::lock_guard lock(trackersMutex);
                trackers.erase(t->id);
            }
            bool transient = rc == ZCONNECTIONLOSS || rc == ZSESSIONEXPIRED || rc == ZINVALIDSTATE ||
                             rc == ZSESSIONMOVED;
            if (!transient || attempt >= 2) {
                t->listener->deactivate(*dispatcher);
                fail(rc, rel(t->path), "watching ");
            }
            waitForSession();
        }
    }

    void dropTracker(std::uint64_t id)
    {
        std::shared_ptr<Tracker> t;
        {
            std::lock_guard lock(trackersMutex);
            auto it = trackers.find(id);
            if (it == trackers.end())
                return;
            t = it->second;
            trackers.erase(it);
        }
        t->listener->deactivate(*dispatcher);
    }

    Subscription subscriptionFor(const std::shared_ptr<Tracker> &t, const std::shared_ptr<Impl> &self)
    {
        std::weak_ptr<Impl> weak = self;
        auto id = t->id.load();
        return Subscription([weak, id] {
            if (auto impl = weak.lock())
                impl->dropTracker(id);
        });
    }
};

// --- ZooKeeperStore ---------------------------------------------------------------------------

ZooKeeperStore::ZooKeeperStore(Options options) : impl_(std::make_shared<Impl>())
{
    static std::once_flag logOnce;
    std::call_once(logOnce, [] { zoo_set_debug_level(ZOO_LOG_LEVEL_WARN); });
    auto &root = options.root;
    if (root.size() < 2 || root[0] != '/' || root.back() == '/' || root.find("//") != std::string::npos)
        throw StoreError(StoreErrc::invalid_argument, root,
                         "root '" + root + "': must be an absolute path like /midonet/v1, without a trailing '/'");
    if (options.servers.empty())
        throw StoreError(StoreErrc::invalid_argument, "", "ZooKeeper servers: must not be empty (host:port[,...])");
    impl_->options = std::move(options);
    auto c = impl_->connect();
    impl_->ensurePersistent(*c, impl_->options.root);
    {
        std::lock_guard lock(impl_->connMutex);
        impl_->current = c;
        impl_->currentRaw.store(c.get());
    }
    impl_->control = std::thread([impl = impl_.get()] { impl->controlLoop(); });
}

ZooKeeperStore::~ZooKeeperStore()
{
    {
        std::lock_guard lock(impl_->controlMutex);
        impl_->stopping = true;
    }
    impl_->controlCv.notify_all();
    if (impl_->control.joinable())
        impl_->control.join();
    std::shared_ptr<Conn> c;
    {
        std::lock_guard lock(impl_->connMutex);
        c = std::move(impl_->current);
        impl_->currentRaw.store(nullptr);
    }
    c.reset(); // ends the session: our ephemerals vanish
    {
        std::lock_guard lock(impl_->trackersMutex);
        for (auto &[id, t] : impl_->trackers)
            t->listener->deactivate(*impl_->dispatcher);
        impl_->trackers.clear();
    }
    impl_->dispatcher.reset();
}

ZooKeeperStore::SessionId ZooKeeperStore::sessionId() const
{
    auto c = impl_->conn();
    const clientid_t *id = zoo_client_id(c->zh);
    return SessionId{id->client_id, std::string(id->passwd, sizeof id->passwd)};
}

const ZooKeeperStore::Options &ZooKeeperStore::options() const { return impl_->options; }

void ZooKeeperStore::drainCallbacks() { impl_->dispatcher->drain(); }

Version ZooKeeperStore::create(std::string_view type, const Uuid &id, std::string data)
{
    checkType(type);
    auto rel = objectPath(type, id);
    checkValue(data.size(), rel);
    auto c = impl_->conn();
    auto path = impl_->abs(rel);
    for (int attempt = 0; attempt < 2; ++attempt) {
        int rc = zoo_create(c->zh, path.c_str(), data.data(), static_cast<int>(data.size()), &ZOO_OPEN_ACL_UNSAFE,
                            ZOO_PERSISTENT, nullptr, 0);
        if (rc == ZOK)
            return 0;
        if (rc == ZNONODE && attempt == 0) {
            {
                std::lock_guard lock(impl_->knownPathsMutex); // it was, but is no more
                impl_->knownPaths.erase(impl_->abs(std::string(type)));
            }
            impl_->ensurePersistent(*c, impl_->abs(std::string(type)));
            continue;
        }
        if (rc == ZNODEEXISTS)
            throw StoreError(StoreErrc::already_exists, rel, "'" + rel + "': an object with this id already exists");
        fail(rc, rel);
    }
    fail(ZNONODE, rel);
}

Object ZooKeeperStore::get(std::string_view type, const Uuid &id)
{
    checkType(type);
    auto rel = objectPath(type, id);
    auto c = impl_->conn();
    Object o{id, {}, 0};
    Stat stat{};
    int rc = impl_->getNode(*c, impl_->abs(rel), &o.data, &stat);
    if (rc == ZNONODE)
        throw StoreError(StoreErrc::not_found, rel, "'" + rel + "': no object with this id");
    if (rc != ZOK)
        fail(rc, rel);
    o.version = stat.version;
    return o;
}

std::vector<Object> ZooKeeperStore::list(std::string_view type)
{
    checkType(type);
    auto c = impl_->conn();
    std::vector<std::pair<std::string, NodeState>> kids;
    int rc = impl_->readChildren(*c, impl_->abs(std::string(type)), kids);
    if (rc != ZOK && rc != ZNONODE)
        fail(rc, std::string(type));
    std::vector<Object> out;
    for (auto &[name, s] : kids)
        if (auto id = Uuid::parse(name))
            out.push_back(Object{*id, std::move(s.data), s.version});
    std::sort(out.begin(), out.end(), [](const Object &a, const Object &b) { return a.id < b.id; });
    return out;
}

Version ZooKeeperStore::update(std::string_view type, const Uuid &id, std::string data, Version expected)
{
    checkType(type);
    auto rel = objectPath(type, id);
    checkValue(data.size(), rel);
    int zv = toZkVersion(expected, rel);
    auto c = impl_->conn();
    auto path = impl_->abs(rel);
    Stat stat{};
    int rc = zoo_set2(c->zh, path.c_str(), data.data(), static_cast<int>(data.size()), zv, &stat);
    if (rc == ZOK)
        return stat.version;
    if (rc == ZNONODE)
        throw StoreError(StoreErrc::not_found, rel, "'" + rel + "': no object with this id to update");
    if (rc == ZBADVERSION)
        impl_->versionConflict(*c, path, expected);
    fail(rc, rel);
}

void ZooKeeperStore::remove(std::string_view type, const Uuid &id, Version expected)
{
    multi({Op::remove(std::string(type), id, expected)});
}

std::vector<Version> ZooKeeperStore::multi(const std::vector<Op> &ops)
{
    if (ops.empty())
        return {};
    std::set<std::string> createdTypes;
    detail::checkOps(ops);
    for (std::size_t i = 0; i < ops.size(); ++i) {
        toZkVersion(ops[i].version, objectPath(ops[i].type, ops[i].id));
        if (ops[i].kind == Op::Kind::create)
            createdTypes.insert(ops[i].type);
    }
    auto c = impl_->conn();
    for (auto &t : createdTypes)
        impl_->ensurePersistent(*c, impl_->abs(t));

    for (int attempt = 0; attempt < kMaxRetries; ++attempt) {
        // Expand removes into deletes of the subtree, deepest first; `owner` maps back to ops.
        std::vector<std::string> paths;
        std::vector<int> owner;
        std::vector<bool> expanded;
        for (std::size_t i = 0; i < ops.size(); ++i) {
            auto path = impl_->abs(objectPath(ops[i].type, ops[i].id));
            if (ops[i].kind == Op::Kind::remove) {
                std::vector<std::string> below;
                int rc = impl_->descendants(*c, path, below);
                if (rc != ZOK && rc != ZNONODE)
                    fail(rc, objectPath(ops[i].type, ops[i].id), detail::describeOp(ops[i], i) + ": ",
                         static_cast<int>(i));
                for (auto it = below.rbegin(); it != below.rend(); ++it) {
                    paths.push_back(*it);
                    owner.push_back(static_cast<int>(i));
                    expanded.push_back(true);
                }
            }
            paths.push_back(path);
            owner.push_back(static_cast<int>(i));
            expanded.push_back(false);
        }
        std::vector<zoo_op_t> zops(paths.size());
        std::vector<zoo_op_result_t> results(paths.size());
        std::vector<Stat> stats(paths.size());
        for (std::size_t k = 0; k < paths.size(); ++k) {
            const Op &op = ops[owner[k]];
            if (expanded[k]) {
                zoo_delete_op_init(&zops[k], paths[k].c_str(), -1);
                continue;
            }
            int zv = static_cast<int>(op.version);
            switch (op.kind) {
            case Op::Kind::create:
                zoo_create_op_init(&zops[k], paths[k].c_str(), op.data.data(), static_cast<int>(op.data.size()),
                                   &ZOO_OPEN_ACL_UNSAFE, ZOO_PERSISTENT, nullptr, 0);
                break;
            case Op::Kind::update:
                zoo_set_op_init(&zops[k], paths[k].c_str(), op.data.data(), static_cast<int>(op.data.size()), zv,
                                &stats[k]);
                break;
            case Op::Kind::remove: zoo_delete_op_init(&zops[k], paths[k].c_str(), zv); break;
            case Op::Kind::check: zoo_check_op_init(&zops[k], paths[k].c_str(), zv); break;
            }
        }
        int rc = zoo_multi(c->zh, static_cast<int>(zops.size()), zops.data(), results.data());
        if (rc == ZOK) {
            std::vector<Version> out;
            for (std::size_t k = 0; k < paths.size(); ++k) {
                if (expanded[k])
                    continue;
                const Op &op = ops[owner[k]];
                switch (op.kind) {
                case Op::Kind::create: out.push_back(0); break;
                case Op::Kind::update: out.push_back(stats[k].version); break;
                case Op::Kind::remove: out.push_back(-1); break;
                case Op::Kind::check: out.push_back(op.version); break;
                }
            }
            return out;
        }
        // Which op failed: the first result that is neither ok nor "rolled back".
        std::size_t failed = paths.size();
        for (std::size_t k = 0; k < paths.size(); ++k)
            if (results[k].err != ZOK && results[k].err != ZRUNTIMEINCONSISTENCY) {
                failed = k;
                rc = results[k].err;
                break;
            }
        if (failed == paths.size())
            fail(rc, "", "multi-operation of " + std::to_string(ops.size()) + " ops: ");
        int idx = owner[failed];
        const Op &op = ops[idx];
        auto rel = objectPath(op.type, op.id);
        auto what = detail::describeOp(op, idx) + ": ";
        if (expanded[failed] || (op.kind == Op::Kind::remove && rc == ZNOTEMPTY))
            continue; // the subtree changed while we deleted it: read it again
        if (rc == ZBADVERSION)
            impl_->versionConflict(*c, paths[failed], op.version, what, idx);
        if (rc == ZNONODE)
            throw StoreError(StoreErrc::not_found, rel, what + "'" + rel + "': no object with this id", idx);
        if (rc == ZNODEEXISTS)
            throw StoreError(StoreErrc::already_exists, rel,
                             what + "'" + rel + "': an object with this id already exists", idx);
        fail(rc, rel, what, idx);
    }
    throw StoreError(StoreErrc::not_empty, "",
                     "multi-operation: children kept appearing under a deleted object (" +
                         std::to_string(kMaxRetries) + " attempts)");
}

void ZooKeeperStore::putEphemeral(std::string_view type, const Uuid &id, std::string_view name, std::string data)
{
    auto [obj, rel] = detail::ephemeralPaths(type, id, name);
    checkValue(data.size(), rel);
    auto c = impl_->conn();
    auto path = impl_->abs(rel);
    impl_->putNode(*c, impl_->abs(obj), path, data, true);
    std::lock_guard lock(impl_->ephemeralsMutex);
    impl_->ownedEphemerals[path] = std::move(data);
}

bool ZooKeeperStore::claimEphemeral(std::string_view type, const Uuid &id, std::string_view name, std::string data)
{
    auto [obj, rel] = detail::ephemeralPaths(type, id, name);
    checkValue(data.size(), rel);
    auto c = impl_->conn();
    auto path = impl_->abs(rel);
    for (int attempt = 0; attempt < 8; ++attempt) {
        int rc = zoo_create(c->zh, path.c_str(), data.data(), static_cast<int>(data.size()),
                            &ZOO_OPEN_ACL_UNSAFE, ZOO_EPHEMERAL, nullptr, 0);
        if (rc == ZOK) {
            std::lock_guard lock(impl_->ephemeralsMutex);
            impl_->ownedEphemerals[path] = std::move(data);
            return true;
        }
        if (rc == ZNONODE)
            fail(ZNONODE, obj, "owner of '" + rel + "': ");
        if (rc != ZNODEEXISTS)
            fail(rc, rel);
        Stat stat{};
        rc = impl_->getNode(*c, path, nullptr, &stat);
        if (rc == ZNONODE)
            continue; // its holder let go between the two calls: try again
        if (rc != ZOK)
            fail(rc, rel);
        return stat.ephemeralOwner == zoo_client_id(c->zh)->client_id;
    }
    return false;
}

bool ZooKeeperStore::takeOverEphemeral(std::string_view type, const Uuid &id, std::string_view name,
                                       std::string_view holder, std::string data)
{
    auto [obj, rel] = detail::ephemeralPaths(type, id, name);
    checkValue(data.size(), rel);
    auto c = impl_->conn();
    auto path = impl_->abs(rel);
    for (int attempt = 0; attempt < 8; ++attempt) {
        std::string value;
        Stat stat{};
        int rc = impl_->getNode(*c, path, &value, &stat);
        if (rc == ZNONODE)
            return claimEphemeral(type, id, name, std::move(data));
        if (rc != ZOK)
            fail(rc, rel);
        if (stat.ephemeralOwner == zoo_client_id(c->zh)->client_id)
            return true;
        if (value != holder)
            return false;
        // Any session may delete another's ephemeral; delete + create in one multi, so the
        // entry is never seen absent (no third party claims it in between) and the create stays
        // create-if-absent.
        zoo_op_t ops[2];
        zoo_op_result_t results[2];
        zoo_delete_op_init(&ops[0], path.c_str(), stat.version);
        zoo_create_op_init(&ops[1], path.c_str(), data.data(), static_cast<int>(data.size()),
                           &ZOO_OPEN_ACL_UNSAFE, ZOO_EPHEMERAL, nullptr, 0);
        rc = zoo_multi(c->zh, 2, ops, results);
        if (rc == ZOK) {
            std::lock_guard lock(impl_->ephemeralsMutex);
            impl_->ownedEphemerals[path] = std::move(data);
            return true;
        }
        if (rc != ZBADVERSION && rc != ZNONODE && rc != ZNODEEXISTS)
            fail(rc, rel);
        // It changed between the read and the multi: look again.
    }
    return false;
}

bool ZooKeeperStore::removeEphemeral(std::string_view type, const Uuid &id, std::string_view name)
{
    auto [obj, rel] = detail::ephemeralPaths(type, id, name);
    auto path = impl_->abs(rel);
    {
        std::lock_guard lock(impl_->ephemeralsMutex);
        impl_->ownedEphemerals.erase(path);
    }
    auto c = impl_->conn();
    int rc = zoo_delete(c->zh, path.c_str(), -1);
    if (rc == ZOK)
        return true;
    if (rc == ZNONODE)
        return false;
    fail(rc, rel);
}

std::optional<Entry> ZooKeeperStore::getEphemeral(std::string_view type, const Uuid &id, std::string_view name)
{
    auto [obj, rel] = detail::ephemeralPaths(type, id, name);
    auto c = impl_->conn();
    Entry e{std::string(name), {}, 0, false};
    Stat stat{};
    int rc = impl_->getNode(*c, impl_->abs(rel), &e.value, &stat);
    if (rc == ZNONODE)
        return std::nullopt;
    if (rc != ZOK)
        fail(rc, rel);
    e.version = stat.version;
    e.ephemeral = stat.ephemeralOwner != 0;
    return e;
}

void ZooKeeperStore::putEntry(const TableRef &table, std::string_view key, std::string value, bool ephemeral)
{
    checkType(table.type);
    auto obj = objectPath(table.type, table.id);
    checkTableName(table.name, obj);
    auto tpath = tablePath(table);
    checkKey(key, tpath);
    auto rel = childPath(tpath, key);
    checkValue(value.size(), rel);
    auto c = impl_->conn();
    auto path = impl_->abs(rel);
    impl_->putNode(*c, impl_->abs(obj), path, value, ephemeral);
    std::lock_guard lock(impl_->ephemeralsMutex);
    if (ephemeral)
        impl_->ownedEphemerals[path] = std::move(value);
    else
        impl_->ownedEphemerals.erase(path);
}

bool ZooKeeperStore::removeEntry(const TableRef &table, std::string_view key)
{
    checkType(table.type);
    auto obj = objectPath(table.type, table.id);
    checkTableName(table.name, obj);
    auto tpath = tablePath(table);
    checkKey(key, tpath);
    auto rel = childPath(tpath, key);
    auto path = impl_->abs(rel);
    {
        std::lock_guard lock(impl_->ephemeralsMutex);
        impl_->ownedEphemerals.erase(path);
    }
    auto c = impl_->conn();
    int rc = zoo_delete(c->zh, path.c_str(), -1);
    if (rc == ZOK)
        return true;
    if (rc == ZNONODE)
        return false;
    fail(rc, rel);
}

std::vector<Entry> ZooKeeperStore::entries(const TableRef &table)
{
    checkType(table.type);
    auto obj = objectPath(table.type, table.id);
    checkTableName(table.name, obj);
    auto rel = tablePath(table);
    auto c = impl_->conn();
    std::vector<std::pair<std::string, NodeState>> kids;
    int rc = impl_->readChildren(*c, impl_->abs(rel), kids);
    if (rc != ZOK && rc != ZNONODE)
        fail(rc, rel);
    std::vector<Entry> out;
    for (auto &[key, s] : kids)
        out.push_back(Entry{key, std::move(s.data), s.version, s.ephemeral});
    std::sort(out.begin(), out.end(), [](const Entry &a, const Entry &b) { return a.key < b.key; });
    return out;
}

Watched<std::optional<Object>> ZooKeeperStore::watchObject(std::string_view type, const Uuid &id, WatchCallback cb)
{
    checkType(type);
    auto t = std::make_shared<Tracker>();
    t->kind = WatchKind::object;
    t->type = type;
    t->oid = id;
    t->path = impl_->abs(objectPath(type, id));
    t->cb = std::move(cb);
    impl_->startWatch(t);
    Watched<std::optional<Object>> out;
    {
        std::lock_guard lock(t->m);
        if (t->snapNode.exists)
            out.initial = Object{id, t->snapNode.data, t->snapNode.version};
    }
    out.subscription = impl_->subscriptionFor(t, impl_);
    return out;
}

Watched<std::vector<Object>> ZooKeeperStore::watchCollection(std::string_view type, WatchCallback cb)
{
    checkType(type);
    auto t = std::make_shared<Tracker>();
    t->kind = WatchKind::collection;
    t->type = type;
    t->path = impl_->abs(std::string(type));
    t->cb = std::move(cb);
    impl_->startWatch(t);
    Watched<std::vector<Object>> out;
    {
        std::lock_guard lock(t->m);
        for (auto &[name, s] : t->snapChildren)
            if (s.exists)
                if (auto id = Uuid::parse(name))
                    out.initial.push_back(Object{*id, s.data, s.version});
    }
    std::sort(out.initial.begin(), out.initial.end(), [](auto &a, auto &b) { return a.id < b.id; });
    out.subscription = impl_->subscriptionFor(t, impl_);
    return out;
}

Watched<std::vector<Entry>> ZooKeeperStore::watchTable(const TableRef &table, WatchCallback cb)
{
    checkType(table.type);
    checkTableName(table.name, objectPath(table.type, table.id));
    auto t = std::make_shared<Tracker>();
    t->kind = WatchKind::table;
    t->type = table.type;
    t->oid = table.id;
    t->path = impl_->abs(tablePath(table));
    t->cb = std::move(cb);
    impl_->startWatch(t);
    Watched<std::vector<Entry>> out;
    {
        std::lock_guard lock(t->m);
        for (auto &[key, s] : t->snapChildren)
            if (s.exists)
                out.initial.push_back(Entry{key, s.data, s.version, s.ephemeral});
    }
    out.subscription = impl_->subscriptionFor(t, impl_);
    return out;
}

Watched<std::optional<Entry>> ZooKeeperStore::watchEphemeral(std::string_view type, const Uuid &id,
                                                             std::string_view name, WatchCallback cb)
{
    checkType(type);
    auto obj = objectPath(type, id);
    checkKey(name, obj);
    auto t = std::make_shared<Tracker>();
    t->kind = WatchKind::ephemeral;
    t->type = type;
    t->oid = id;
    t->key = name;
    t->path = impl_->abs(childPath(obj, name));
    t->cb = std::move(cb);
    impl_->startWatch(t);
    Watched<std::optional<Entry>> out;
    {
        std::lock_guard lock(t->m);
        if (t->snapNode.exists)
            out.initial = Entry{std::string(name), t->snapNode.data, t->snapNode.version, t->snapNode.ephemeral};
    }
    out.subscription = impl_->subscriptionFor(t, impl_);
    return out;
}

Subscription ZooKeeperStore::subscribeSession(SessionCallback cb)
{
    return impl_->sessionListeners.subscribe(std::move(cb), impl_, impl_->dispatcher);
}

} // namespace midonet::store
