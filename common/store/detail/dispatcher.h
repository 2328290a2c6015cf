// Internal: the delivery thread of one store. Backends post closures in the order they observe
// changes; the thread runs them one at a time. A Listener is one subscription's slot: deliver()
// runs its callback only while it is active, and deactivate() waits for a running callback of
// that listener (unless called on the delivery thread itself, from inside a callback).
//
// Thread-safety: post() and deactivate() from any thread; the destructor stops the thread after
// dropping what is still queued (the store is going away).
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

namespace midonet::store::detail {

class Dispatcher;

class Listener {
public:
    template <class F> void deliver(F &&call)
    {
        std::lock_guard lock(mutex_);
        if (active_.load())
            call();
    }
    void deactivate(const Dispatcher &d);
    bool active() const { return active_.load(); }

private:
    std::mutex mutex_;
    std::atomic<bool> active_{true};
};

class Dispatcher {
public:
    Dispatcher();
    ~Dispatcher();
    Dispatcher(const Dispatcher &) = delete;
    Dispatcher &operator=(const Dispatcher &) = delete;

    void post(std::function<void()> fn);
    bool onDeliveryThread() const { return std::this_thread::get_id() == threadId_; }
    // Blocks until everything posted before the call has run (tests, benchmarks).
    void drain();

private:
    void run();

    std::mutex mutex_;
    std::condition_variable cv_;
    std::deque<std::function<void()>> queue_;
    bool stopping_ = false;
    std::thread thread_;
    std::thread::id threadId_;
};

} // namespace midonet::store::detail
