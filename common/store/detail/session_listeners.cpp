#include "common/store/detail/session_listeners.h"

namespace midonet::store::detail {

Subscription SessionListeners::subscribe(SessionCallback cb, std::weak_ptr<const void> owner,
                                         const std::unique_ptr<Dispatcher> &dispatcher)
{
    auto listener = std::make_shared<Listener>();
    {
        std::lock_guard lock(mutex_);
        listeners_.emplace_back(listener, std::move(cb));
    }
    return Subscription([this, owner = std::move(owner), &dispatcher, listener] {
        auto alive = owner.lock();
        if (!alive)
            return;
        {
            std::lock_guard lock(mutex_);
            std::erase_if(listeners_, [&](auto &p) { return p.first == listener; });
        }
        if (dispatcher) // emptied only while the store closes: nothing is delivered any more
            listener->deactivate(*dispatcher);
    });
}

void SessionListeners::post(Dispatcher &dispatcher, SessionEvent e)
{
    std::lock_guard lock(mutex_);
    for (auto &[listener, cb] : listeners_)
        dispatcher.post([listener, cb, e] { listener->deliver([&] { cb(e); }); });
}

} // namespace midonet::store::detail
