#include "common/store/memory_store.h"

#include "common/store/detail/dispatcher.h"
#include "common/store/detail/session_listeners.h"
#include "common/store/detail/paths.h"

#include <map>
#include <mutex>
#include <set>

namespace midonet::store {

using detail::checkKey;
using detail::checkTableName;
using detail::checkType;
using detail::checkValue;
using detail::childPath;
using detail::objectPath;
using detail::tablePath;

namespace {

struct MemNode {
    std::string data;
    Version version = 0;
    std::uint64_t owner = 0; // session id for ephemerals, 0 for persistent nodes
};

enum class WatchKind { object, ephemeral, collection, table };

std::string parentOf(const std::string &path) { return path.substr(0, path.rfind('/')); }
std::string lastSegment(const std::string &path) { return path.substr(path.rfind('/') + 1); }
// "bridges/<uuid>/mac_table/0/k" -> "bridges/<uuid>"
std::string owningObject(const std::string &path)
{
    auto first = path.find('/');
    auto second = path.find('/', first + 1);
    return second == std::string::npos ? path : path.substr(0, second);
}

[[noreturn]] void notFound(const std::string &path, const std::string &rule)
{
    throw StoreError(StoreErrc::not_found, path, "'" + path + "': " + rule);
}

// An ephemeral hangs under its object: none without it (ZooKeeper refuses such a child too).
void requireParentObject(bool exists, const std::string &obj, std::string_view name)
{
    if (!exists) notFound(obj, "the object must exist before its ephemeral child '" + std::string(name) + "'");
}

} // namespace

struct MemWatcher {
    WatchKind kind;
    std::string type;
    Uuid id;
    std::string key;
    std::string path; // node path, or parent path for collection/table
    WatchCallback cb;
    std::shared_ptr<detail::Listener> listener = std::make_shared<detail::Listener>();
    MemoryStore::Impl *owner = nullptr;
};

class MemoryDatabase {
public:
    std::mutex mutex;
    std::map<std::string, MemNode> nodes;
    std::map<std::string, std::vector<std::shared_ptr<MemWatcher>>> nodeWatchers, childWatchers;
    std::uint64_t nextSession = 1;

    // All below: with `mutex` held.
    void notify(const std::string &path, ChangeOp op, const MemNode &n);
    void createNode(const std::string &path, std::string data, std::uint64_t owner)
    {
        auto &n = nodes[path];
        n = MemNode{std::move(data), 0, owner};
        notify(path, ChangeOp::created, n);
    }
    void eraseNode(std::map<std::string, MemNode>::iterator it)
    {
        MemNode last = std::move(it->second);
        std::string path = it->first;
        nodes.erase(it);
        notify(path, ChangeOp::deleted, last);
    }
    // Deletes `path` and everything under it, children first (as a ZooKeeper multi must).
    void eraseSubtree(const std::string &path)
    {
        std::vector<std::string> doomed;
        auto prefix = path + "/";
        for (auto it = nodes.lower_bound(prefix); it != nodes.end() && it->first.starts_with(prefix); ++it)
            doomed.push_back(it->first);
        for (auto it = doomed.rbegin(); it != doomed.rend(); ++it)
            eraseNode(nodes.find(*it));
        if (auto it = nodes.find(path); it != nodes.end())
            eraseNode(it);
    }
    // Creates or replaces; a different owner means delete + create, as in ZooKeeper.
    void putNode(const std::string &path, std::string data, std::uint64_t owner)
    {
        auto it = nodes.find(path);
        if (it == nodes.end()) {
            createNode(path, std::move(data), owner);
        } else if (it->second.owner == owner) {
            it->second.data = std::move(data);
            ++it->second.version;
            notify(path, ChangeOp::updated, it->second);
        } else {
            eraseNode(it);
            createNode(path, std::move(data), owner);
        }
    }
    std::vector<std::pair<std::string, const MemNode *>> children(const std::string &parent)
    {
        std::vector<std::pair<std::string, const MemNode *>> out;
        auto prefix = parent + "/";
        for (auto it = nodes.lower_bound(prefix); it != nodes.end() && it->first.starts_with(prefix); ++it) {
            auto rest = std::string_view(it->first).substr(prefix.size());
            if (rest.find('/') == std::string_view::npos)
                out.emplace_back(std::string(rest), &it->second);
        }
        return out;
    }
    void removeWatcher(const std::shared_ptr<MemWatcher> &w)
    {
        auto &map = (w->kind == WatchKind::object || w->kind == WatchKind::ephemeral) ? nodeWatchers
                                                                                      : childWatchers;
        auto it = map.find(w->path);
        if (it == map.end())
            return;
        std::erase(it->second, w);
        if (it->second.empty())
            map.erase(it);
    }
};

struct MemoryStore::Impl {
    std::shared_ptr<MemoryDatabase> db;
    std::unique_ptr<detail::Dispatcher> dispatcher = std::make_unique<detail::Dispatcher>();
    // Guarded by db->mutex:
    std::uint64_t session = 0;
    std::map<std::string, std::string> ownedEphemerals; // path -> value, re-created on expiry
    std::set<std::shared_ptr<MemWatcher>> watchers;
    detail::SessionListeners sessionListeners;

    void postSession(SessionEvent e) { sessionListeners.post(*dispatcher, e); }

    // With db->mutex held.
    void dropSessionEphemerals()
    {
        std::vector<std::string> mine;
        for (auto &[path, n] : db->nodes)
            if (n.owner == session)
                mine.push_back(path);
        for (auto it = mine.rbegin(); it != mine.rend(); ++it)
            db->eraseNode(db->nodes.find(*it));
    }

    // With db->mutex held.
    Subscription subscribe(std::shared_ptr<MemWatcher> w, std::weak_ptr<Impl> self)
    {
        w->owner = this;
        auto &map = (w->kind == WatchKind::object || w->kind == WatchKind::ephemeral) ? db->nodeWatchers
                                                                                      : db->childWatchers;
        map[w->path].push_back(w);
        watchers.insert(w);
        return Subscription([self, w] {
            auto impl = self.lock();
            if (!impl)
                return;
            {
                std::lock_guard lock(impl->db->mutex);
                if (!impl->watchers.erase(w))
                    return; // the store is being destroyed, or this was cancelled already
                impl->db->removeWatcher(w);
            }
            w->listener->deactivate(*impl->dispatcher);
        });
    }
};

void MemoryDatabase::notify(const std::string &path, ChangeOp op, const MemNode &n)
{
    auto post = [&](const std::shared_ptr<MemWatcher> &w, Change c) {
        w->owner->dispatcher->post([w, c = std::move(c)] { w->listener->deliver([&] { w->cb(c); }); });
    };
    if (auto it = nodeWatchers.find(path); it != nodeWatchers.end())
        for (auto &w : it->second)
            post(w, Change{op, w->type, w->id, w->key, n.data, n.version});
    if (auto it = childWatchers.find(parentOf(path)); it != childWatchers.end()) {
        auto seg = lastSegment(path);
        for (auto &w : it->second) {
            if (w->kind == WatchKind::collection) {
                if (auto id = Uuid::parse(seg))
                    post(w, Change{op, w->type, *id, {}, n.data, n.version});
            } else {
                post(w, Change{op, w->type, w->id, seg, n.data, n.version});
            }
        }
    }
}

MemoryStore::MemoryStore() : MemoryStore(newDatabase()) {}

MemoryStore::MemoryStore(std::shared_ptr<MemoryDatabase> db) : impl_(std::make_shared<Impl>())
{
    impl_->db = std::move(db);
    std::lock_guard lock(impl_->db->mutex);
    impl_->session = impl_->db->nextSession++;
}

MemoryStore::~MemoryStore()
{
    {
        std::lock_guard lock(impl_->db->mutex);
        for (auto &w : impl_->watchers)
            impl_->db->removeWatcher(w);
        impl_->watchers.clear();
        impl_->dropSessionEphemerals();
    }
    impl_->dispatcher.reset();
}

std::shared_ptr<MemoryDatabase> MemoryStore::newDatabase() { return std::make_shared<MemoryDatabase>(); }
std::shared_ptr<MemoryDatabase> MemoryStore::database() const { return impl_->db; }

void MemoryStore::drainCallbacks() { impl_->dispatcher->drain(); }

void MemoryStore::expireSession()
{
    auto &db = *impl_->db;
    std::lock_guard lock(db.mutex);
    impl_->dropSessionEphemerals();
    impl_->postSession(SessionEvent::expired);
    impl_->session = db.nextSession++;
    for (auto it = impl_->ownedEphemerals.begin(); it != impl_->ownedEphemerals.end();) {
        if (db.nodes.count(owningObject(it->first)) && !db.nodes.count(it->first)) {
            db.createNode(it->first, it->second, impl_->session);
            ++it;
        } else {
            it = impl_->ownedEphemerals.erase(it); // its object is gone, or someone took it over
        }
    }
    impl_->postSession(SessionEvent::reestablished);
}

Version MemoryStore::create(std::string_view type, const Uuid &id, std::string data)
{
    checkType(type);
    auto path = objectPath(type, id);
    checkValue(data.size(), path);
    auto &db = *impl_->db;
    std::lock_guard lock(db.mutex);
    if (db.nodes.count(path))
        throw StoreError(StoreErrc::already_exists, path, "'" + path + "': an object with this id already exists");
    db.createNode(path, std::move(data), 0);
    return 0;
}

Object MemoryStore::get(std::string_view type, const Uuid &id)
{
    checkType(type);
    auto path = objectPath(type, id);
    auto &db = *impl_->db;
    std::lock_guard lock(db.mutex);
    auto it = db.nodes.find(path);
    if (it == db.nodes.end())
        notFound(path, "no object with this id");
    return Object{id, it->second.data, it->second.version};
}

std::vector<Object> MemoryStore::list(std::string_view type)
{
    checkType(type);
    auto &db = *impl_->db;
    std::lock_guard lock(db.mutex);
    std::vector<Object> out;
    for (auto &[name, n] : db.children(std::string(type)))
        if (auto id = Uuid::parse(name))
            out.push_back(Object{*id, n->data, n->version});
    std::sort(out.begin(), out.end(), [](const Object &a, const Object &b) { return a.id < b.id; });
    return out;
}

namespace {

[[noreturn]] void versionConflict(const std::string &path, Version expected, Version actual,
                                  const std::string &prefix = {}, int opIndex = -1)
{
    throw StoreError(StoreErrc::version_conflict, path,
                     prefix + "'" + path + "': expected version " + std::to_string(expected) +
                         " but the stored version is " + std::to_string(actual),
                     opIndex);
}

} // namespace

Version MemoryStore::update(std::string_view type, const Uuid &id, std::string data, Version expected)
{
    checkType(type);
    auto path = objectPath(type, id);
    checkValue(data.size(), path);
    detail::checkExpected(expected, path);
    auto &db = *impl_->db;
    std::lock_guard lock(db.mutex);
    auto it = db.nodes.find(path);
    if (it == db.nodes.end())
        notFound(path, "no object with this id to update");
    if (expected != kAnyVersion && expected != it->second.version)
        versionConflict(path, expected, it->second.version);
    it->second.data = std::move(data);
    ++it->second.version;
    db.notify(path, ChangeOp::updated, it->second);
    return it->second.version;
}

void MemoryStore::remove(std::string_view type, const Uuid &id, Version expected)
{
    checkType(type);
    auto path = objectPath(type, id);
    detail::checkExpected(expected, path);
    auto &db = *impl_->db;
    std::lock_guard lock(db.mutex);
    auto it = db.nodes.find(path);
    if (it == db.nodes.end())
        notFound(path, "no object with this id to delete");
    if (expected != kAnyVersion && expected != it->second.version)
        versionConflict(path, expected, it->second.version);
    db.eraseSubtree(path);
}

std::vector<Version> MemoryStore::multi(const std::vector<Op> &ops)
{
    detail::checkOps(ops);
    auto &db = *impl_->db;
    std::lock_guard lock(db.mutex);
    // Stage every op against an overlay first: nothing is written unless all of them pass.
    std::map<std::string, std::optional<MemNode>> overlay;
    auto lookup = [&](const std::string &path) -> std::optional<MemNode> {
        if (auto it = overlay.find(path); it != overlay.end())
            return it->second;
        if (auto it = db.nodes.find(path); it != db.nodes.end())
            return it->second;
        return std::nullopt;
    };
    std::vector<Version> results;
    for (std::size_t i = 0; i < ops.size(); ++i) {
        const Op &op = ops[i];
        auto path = objectPath(op.type, op.id);
        auto what = [&] { return detail::describeOp(op, i) + ": "; }; // only on errors
        auto cur = lookup(path);
        int idx = static_cast<int>(i);
        if (op.kind == Op::Kind::create) {
            if (cur)
                throw StoreError(StoreErrc::already_exists, path,
                                 what() + "'" + path + "': an object with this id already exists", idx);
            overlay[path] = MemNode{op.data, 0, 0};
            results.push_back(0);
            continue;
        }
        if (!cur)
            throw StoreError(StoreErrc::not_found, path, what() + "'" + path + "': no object with this id", idx);
        if (op.version != kAnyVersion && op.version != cur->version)
            versionConflict(path, op.version, cur->version, what(), idx);
        switch (op.kind) {
        case Op::Kind::update:
            overlay[path] = MemNode{op.data, cur->version + 1, 0};
            results.push_back(cur->version + 1);
            break;
        case Op::Kind::remove:
            overlay[path] = std::nullopt;
            results.push_back(-1);
            break;
        default:
            results.push_back(cur->version);
            break;
        }
    }
    // Apply in op order, so watchers see the ops in the order they were given.
    for (std::size_t i = 0; i < ops.size(); ++i) {
        const Op &op = ops[i];
        auto path = objectPath(op.type, op.id);
        switch (op.kind) {
        case Op::Kind::create:
            db.createNode(path, op.data, 0);
            break;
        case Op::Kind::update: {
            auto &n = db.nodes[path];
            n.data = op.data;
            ++n.version;
            db.notify(path, ChangeOp::updated, n);
            break;
        }
        case Op::Kind::remove:
            db.eraseSubtree(path);
            break;
        case Op::Kind::check:
            break;
        }
    }
    return results;
}

void MemoryStore::putEphemeral(std::string_view type, const Uuid &id, std::string_view name, std::string data)
{
    auto [obj, path] = detail::ephemeralPaths(type, id, name);
    checkValue(data.size(), path);
    auto &db = *impl_->db;
    std::lock_guard lock(db.mutex);
    requireParentObject(db.nodes.count(obj) != 0, obj, name);
    impl_->ownedEphemerals[path] = data;
    db.putNode(path, std::move(data), impl_->session);
}

bool MemoryStore::claimEphemeral(std::string_view type, const Uuid &id, std::string_view name, std::string data)
{
    auto [obj, path] = detail::ephemeralPaths(type, id, name);
    checkValue(data.size(), path);
    auto &db = *impl_->db;
    std::lock_guard lock(db.mutex);
    requireParentObject(db.nodes.count(obj) != 0, obj, name);
    if (auto it = db.nodes.find(path); it != db.nodes.end())
        return it->second.owner == impl_->session;
    impl_->ownedEphemerals[path] = data;
    db.putNode(path, std::move(data), impl_->session);
    return true;
}

bool MemoryStore::takeOverEphemeral(std::string_view type, const Uuid &id, std::string_view name,
                                    std::string_view holder, std::string data)
{
    auto [obj, path] = detail::ephemeralPaths(type, id, name);
    checkValue(data.size(), path);
    auto &db = *impl_->db;
    std::lock_guard lock(db.mutex);
    requireParentObject(db.nodes.count(obj) != 0, obj, name);
    if (auto it = db.nodes.find(path); it != db.nodes.end()) {
        if (it->second.owner == impl_->session)
            return true;
        if (it->second.data != holder)
            return false;
        // Replaced in place: watchers see the new holder, never the entry absent (as with
        // ZooKeeper's multi, whose watchers re-read after the delete event).
        it->second.data = data;
        it->second.owner = impl_->session;
        ++it->second.version;
        impl_->ownedEphemerals[path] = std::move(data);
        db.notify(path, ChangeOp::updated, it->second);
        return true;
    }
    impl_->ownedEphemerals[path] = data;
    db.putNode(path, std::move(data), impl_->session);
    return true;
}

bool MemoryStore::removeEphemeral(std::string_view type, const Uuid &id, std::string_view name)
{
    auto [obj, path] = detail::ephemeralPaths(type, id, name);
    auto &db = *impl_->db;
    std::lock_guard lock(db.mutex);
    impl_->ownedEphemerals.erase(path);
    auto it = db.nodes.find(path);
    if (it == db.nodes.end())
        return false;
    db.eraseNode(it);
    return true;
}

std::optional<Entry> MemoryStore::getEphemeral(std::string_view type, const Uuid &id, std::string_view name)
{
    auto [obj, path] = detail::ephemeralPaths(type, id, name);
    auto &db = *impl_->db;
    std::lock_guard lock(db.mutex);
    auto it = db.nodes.find(path);
    if (it == db.nodes.end())
        return std::nullopt;
    return Entry{std::string(name), it->second.data, it->second.version, it->second.owner != 0};
}

void MemoryStore::putEntry(const TableRef &table, std::string_view key, std::string value, bool ephemeral)
{
    checkType(table.type);
    auto obj = objectPath(table.type, table.id);
    checkTableName(table.name, obj);
    auto tpath = tablePath(table);
    checkKey(key, tpath);
    auto path = childPath(tpath, key);
    checkValue(value.size(), path);
    auto &db = *impl_->db;
    std::lock_guard lock(db.mutex);
    if (!db.nodes.count(obj))
        notFound(obj, "the object owning table '" + table.name + "' does not exist");
    if (ephemeral)
        impl_->ownedEphemerals[path] = value;
    else
        impl_->ownedEphemerals.erase(path);
    db.putNode(path, std::move(value), ephemeral ? impl_->session : 0);
}

bool MemoryStore::removeEntry(const TableRef &table, std::string_view key)
{
    checkType(table.type);
    auto obj = objectPath(table.type, table.id);
    checkTableName(table.name, obj);
    auto tpath = tablePath(table);
    checkKey(key, tpath);
    auto path = childPath(tpath, key);
    auto &db = *impl_->db;
    std::lock_guard lock(db.mutex);
    impl_->ownedEphemerals.erase(path);
    auto it = db.nodes.find(path);
    if (it == db.nodes.end())
        return false;
    db.eraseNode(it);
    return true;
}

std::vector<Entry> MemoryStore::entries(const TableRef &table)
{
    checkType(table.type);
    auto obj = objectPath(table.type, table.id);
    checkTableName(table.name, obj);
    auto &db = *impl_->db;
    std::lock_guard lock(db.mutex);
    std::vector<Entry> out;
    for (auto &[key, n] : db.children(tablePath(table)))
        out.push_back(Entry{key, n->data, n->version, n->owner != 0});
    return out;
}

Watched<std::optional<Object>> MemoryStore::watchObject(std::string_view type, const Uuid &id, WatchCallback cb)
{
    checkType(type);
    auto w = std::make_shared<MemWatcher>(
        MemWatcher{WatchKind::object, std::string(type), id, {}, objectPath(type, id), std::move(cb)});
    auto &db = *impl_->db;
    std::lock_guard lock(db.mutex);
    Watched<std::optional<Object>> out;
    if (auto it = db.nodes.find(w->path); it != db.nodes.end())
        out.initial = Object{id, it->second.data, it->second.version};
    out.subscription = impl_->subscribe(w, impl_);
    return out;
}

Watched<std::vector<Object>> MemoryStore::watchCollection(std::string_view type, WatchCallback cb)
{
    checkType(type);
    auto w = std::make_shared<MemWatcher>(
        MemWatcher{WatchKind::collection, std::string(type), {}, {}, std::string(type), std::move(cb)});
    auto &db = *impl_->db;
    std::lock_guard lock(db.mutex);
    Watched<std::vector<Object>> out;
    for (auto &[name, n] : db.children(w->path))
        if (auto id = Uuid::parse(name))
            out.initial.push_back(Object{*id, n->data, n->version});
    std::sort(out.initial.begin(), out.initial.end(), [](auto &a, auto &b) { return a.id < b.id; });
    out.subscription = impl_->subscribe(w, impl_);
    return out;
}

Watched<std::vector<Entry>> MemoryStore::watchTable(const TableRef &table, WatchCallback cb)
{
    checkType(table.type);
    checkTableName(table.name, objectPath(table.type, table.id));
    auto w = std::make_shared<MemWatcher>(
        MemWatcher{WatchKind::table, table.type, table.id, {}, tablePath(table), std::move(cb)});
    auto &db = *impl_->db;
    std::lock_guard lock(db.mutex);
    Watched<std::vector<Entry>> out;
    for (auto &[key, n] : db.children(w->path))
        out.initial.push_back(Entry{key, n->data, n->version, n->owner != 0});
    out.subscription = impl_->subscribe(w, impl_);
    return out;
}

Watched<std::optional<Entry>> MemoryStore::watchEphemeral(std::string_view type, const Uuid &id,
                                                          std::string_view name, WatchCallback cb)
{
    checkType(type);
    auto obj = objectPath(type, id);
    checkKey(name, obj);
    auto w = std::make_shared<MemWatcher>(MemWatcher{WatchKind::ephemeral, std::string(type), id,
                                                     std::string(name), childPath(obj, name), std::move(cb)});
    auto &db = *impl_->db;
    std::lock_guard lock(db.mutex);
    Watched<std::optional<Entry>> out;
    if (auto it = db.nodes.find(w->path); it != db.nodes.end())
        out.initial = Entry{std::string(name), it->second.data, it->second.version, it->second.owner != 0};
    out.subscription = impl_->subscribe(w, impl_);
    return out;
}

Subscription MemoryStore::subscribeSession(SessionCallback cb)
{
    return impl_->sessionListeners.subscribe(std::move(cb), impl_, impl_->dispatcher);
}

} // namespace midonet::store
