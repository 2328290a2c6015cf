// Feeds the EventJournal from NSDB watches: one collection watch per model type (every type of
// model::allTypes()), each change turned into a ChangeEvent with the object in its REST form and
// the tenant that owns it.
//
// Design choice (issue 4): the change log is a bounded PER-INSTANCE journal fed by store
// watches, not a global sequence in the NSDB. A global log would put one hot counter in every
// write's multi-op and would miss changes other writers (agents) make; watches see every writer.
// The price: versions are per instance (named by the journal epoch); a client resumes with
// `since` + `epoch` on the instance it was connected to, and a client that lands on another
// instance is told (`complete:false`) to re-list. With ZooKeeper, fast consecutive updates of one
// object may arrive folded into one update carrying the newest state (store.h): a client never
// misses the final state, it may skip intermediate ones. Updates that leave an object's stored
// text unchanged (the version bumps writers use to fence concurrent deletes) are not reported.
// State tables (MAC/ARP) are not streamed.
//
// Thread-safety: constructed and destroyed by one thread; callbacks run on the store's delivery
// thread and touch only this object's caches (under its mutex) and the journal.
#pragma once

#include "cluster/event_journal.h"
#include "common/store/store.h"

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace midonet::cluster {

class ChangeFeed {
public:
    ChangeFeed(store::Store &store, EventJournal &journal);
    ~ChangeFeed();
    ChangeFeed(const ChangeFeed &) = delete;
    ChangeFeed &operator=(const ChangeFeed &) = delete;

private:
    void onChange(const store::Change &c);
    std::string tenantFor(const std::string &type, const nlohmann::json &doc);
    std::optional<std::string> parentTenant(const std::string &parentType, const std::string &id);

    store::Store &store_;
    EventJournal &journal_;
    std::mutex mutex_;
    uint64_t next_ = 0;
    std::map<std::string, std::size_t> lastHash_;      // "type/id" -> hash of stored text
    std::map<std::string, std::string> tenantOfId_;    // id of bridge/router/chain -> tenant
    std::vector<store::Subscription> subscriptions_;
};

} // namespace midonet::cluster
