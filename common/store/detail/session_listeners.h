// Internal: the session listeners of one store (Store::subscribeSession), shared by both
// backends: who listens, posting an event to each of them on the store's delivery thread, and
// the Subscription that removes one. Cancelling waits for the listener's running callback (unless
// called from inside one) and no callback of it starts afterwards, as store.h promises.
//
// Thread-safety: subscribe(), post() and cancelling from any thread; the list is guarded by
// its own mutex. The owner (the backend's Impl) owns this object and the dispatcher slot; a
// Subscription holds only a weak reference to it and does nothing once the owner is gone.
#pragma once

#include "common/store/detail/dispatcher.h"
#include "common/store/store.h"

#include <memory>
#include <mutex>
#include <utility>
#include <vector>

namespace midonet::store::detail {

class SessionListeners {
public:
    // `owner` keeps this object and `dispatcher` (a slot the owner may empty when it closes)
    // alive while the returned Subscription cancels.
    Subscription subscribe(SessionCallback cb, std::weak_ptr<const void> owner,
                           const std::unique_ptr<Dispatcher> &dispatcher);
    // Queues `e` for every current listener, in subscription order.
    void post(Dispatcher &dispatcher, SessionEvent e);

private:
    std::mutex mutex_;
    std::vector<std::pair<std::shared_ptr<Listener>, SessionCallback>> listeners_;
};

} // namespace midonet::store::detail
