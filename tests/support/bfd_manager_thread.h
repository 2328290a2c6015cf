// BfdManagerThread: a gateway/bfd Manager running on its own io thread (in a network namespace,
// or in the process's own), with every state change it reported kept and timestamped. What the
// BFD unit, integration and interop tests drive (tests/unit/gateway/tst_bfd_manager.cpp,
// tests/integration/agent/tst_underlay_multihop.cpp, tests/interop/bfd/tst_bfd_multihop_interop.cpp). Header only: a test including it links
// midonet-gateway itself.
//
// Thread rules: the manager is touched only on its io thread — through call(), which posts and
// waits. freeze() stops the thread (the process "stops answering": nothing sent, nothing read,
// like SIGSTOP); thaw() runs it again on a new thread (the sockets keep their namespace).
#pragma once

#include "gateway/bfd/manager.h"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/post.hpp>

#include <chrono>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <fcntl.h>
#include <sched.h>
#include <unistd.h>

namespace midonet::test {

struct BfdManagerThread {
    using Clock = std::chrono::steady_clock;
    using Change = std::pair<Clock::time_point, gateway::bfd::StateChange>;

    boost::asio::io_context io;
    std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work;
    std::thread thread;
    std::unique_ptr<gateway::bfd::Manager> mgr;
    std::mutex m; // guards changes
    std::vector<Change> changes;

    // Runs f on the manager's thread and returns its result.
    template <class F>
    auto call(F f)
    {
        std::packaged_task<decltype(f())()> t(std::move(f));
        auto fut = t.get_future();
        boost::asio::post(io, [&t] { t(); });
        return fut.get();
    }

    // `ns` empty: the thread stays in this process's namespace.
    BfdManagerThread(const std::string &ns, const gateway::bfd::Manager::Options &options)
    {
        std::promise<bool> entered;
        auto f = entered.get_future();
        work.emplace(io.get_executor());
        thread = std::thread([this, ns, &entered] {
            bool ok = true;
            if (!ns.empty()) {
                int fd = open(("/run/netns/" + ns).c_str(), O_RDONLY | O_CLOEXEC);
                ok = fd >= 0 && setns(fd, CLONE_NEWNET) == 0;
                if (fd >= 0) close(fd);
            }
            entered.set_value(ok);
            if (ok) io.run();
        });
        if (!f.get()) {
            thread.join();
            throw std::runtime_error("setns " + ns);
        }
        call([&] {
            mgr = std::make_unique<gateway::bfd::Manager>(
                io,
                [this](const gateway::bfd::StateChange &c) {
                    std::lock_guard l(m);
                    changes.emplace_back(Clock::now(), c);
                },
                options);
            return 0;
        });
    }
    ~BfdManagerThread()
    {
        if (thread.joinable()) {
            boost::asio::post(io, [this] {
                mgr.reset();
                io.stop();
            });
            thread.join();
        }
        mgr.reset();
    }
    BfdManagerThread(const BfdManagerThread &) = delete;
    BfdManagerThread &operator=(const BfdManagerThread &) = delete;

    void freeze()
    {
        work.reset();
        io.stop();
        if (thread.joinable()) thread.join();
    }
    void thaw()
    {
        io.restart();
        work.emplace(io.get_executor());
        thread = std::thread([this] { io.run(); });
    }
    std::optional<gateway::bfd::SessionStatus> status(const std::string &peer)
    {
        return call([&] { return mgr->status(boost::asio::ip::make_address(peer)); });
    }
    // The session's state; AdminDown when there is no session with `peer`.
    gateway::bfd::State state(const std::string &peer)
    {
        auto s = status(peer);
        return s ? s->state : gateway::bfd::State::AdminDown;
    }
    std::optional<gateway::bfd::StateChange> lastChange()
    {
        std::lock_guard l(m);
        if (changes.empty()) return std::nullopt;
        return changes.back().second;
    }
    // The first reported change into state `s` at or after `after`.
    std::optional<Change> firstChangeTo(gateway::bfd::State s, Clock::time_point after)
    {
        std::lock_guard l(m);
        for (auto &[t, c] : changes)
            if (t >= after && c.to == s) return Change{t, c};
        return std::nullopt;
    }
};

} // namespace midonet::test
