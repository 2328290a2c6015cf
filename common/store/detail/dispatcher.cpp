#include "common/store/detail/dispatcher.h"

#include <future>

#include <spdlog/spdlog.h>

namespace midonet::store::detail {

void Listener::deactivate(const Dispatcher &d)
{
    if (d.onDeliveryThread()) {
        // Inside a callback the mutex may already be ours: the flag alone stops later calls.
        active_.store(false);
        return;
    }
    std::lock_guard lock(mutex_);
    active_.store(false);
}

Dispatcher::Dispatcher()
{
    std::promise<void> started;
    auto f = started.get_future();
    thread_ = std::thread([this, &started] {
        threadId_ = std::this_thread::get_id();
        started.set_value();
        run();
    });
    f.wait();
}

Dispatcher::~Dispatcher()
{
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
        queue_.clear();
    }
    cv_.notify_all();
    if (thread_.joinable()) {
        if (onDeliveryThread())
            thread_.detach(); // the store was destroyed from one of its own callbacks
        else
            thread_.join();
    }
}

void Dispatcher::post(std::function<void()> fn)
{
    {
        std::lock_guard lock(mutex_);
        if (stopping_)
            return;
        queue_.push_back(std::move(fn));
    }
    cv_.notify_one();
}

void Dispatcher::drain()
{
    if (onDeliveryThread())
        return;
    auto done = std::make_shared<std::promise<void>>();
    auto f = done->get_future();
    post([done] { done->set_value(); });
    f.wait();
}

void Dispatcher::run()
{
    for (;;) {
        std::function<void()> fn;
        {
            std::unique_lock lock(mutex_);
            cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
            if (stopping_)
                return;
            fn = std::move(queue_.front());
            queue_.pop_front();
        }
        try {
            fn();
        } catch (const std::exception &e) {
            // A throwing callback must not take the delivery thread (and every later
            // notification) down with it; it is reported, not swallowed.
            spdlog::error("store: a watch callback threw: {}", e.what());
        } catch (...) {
            spdlog::error("store: a watch callback threw a non-standard exception");
        }
    }
}

} // namespace midonet::store::detail
