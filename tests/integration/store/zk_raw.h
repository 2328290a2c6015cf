// A bare ZooKeeper handle for tests that look under the Store (layout) or act as a second client
// of a session (forced expiry).
#pragma once

#include <zookeeper/zookeeper.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <stdexcept>
#include <string>

namespace midonet::store::testing {

class RawZk {
public:
    RawZk(const std::string &servers, const clientid_t *session = nullptr)
    {
        zh_ = zookeeper_init2(servers.c_str(), &RawZk::watcher, 4000, session, this, 0, [](const char *) {});
        if (!zh_)
            throw std::runtime_error("zookeeper_init failed for " + servers);
        std::unique_lock lock(m_);
        if (!cv_.wait_for(lock, std::chrono::seconds(10), [this] { return state_ == ZOO_CONNECTED_STATE || state_ == ZOO_EXPIRED_SESSION_STATE; }) ||
            state_ != ZOO_CONNECTED_STATE)
            throw std::runtime_error("no ZooKeeper session on " + servers);
    }
    ~RawZk() { zookeeper_close(zh_); }
    RawZk(const RawZk &) = delete;
    RawZk &operator=(const RawZk &) = delete;
    zhandle_t *handle() const { return zh_; }

    // Data of `path`, or rc != ZOK.
    int get(const std::string &path, std::string &data, Stat &stat)
    {
        char buf[65536];
        int len = sizeof buf;
        int rc = zoo_get(zh_, path.c_str(), 0, buf, &len, &stat);
        if (rc == ZOK)
            data.assign(buf, len > 0 ? static_cast<std::size_t>(len) : 0);
        return rc;
    }

private:
    static void watcher(zhandle_t *, int type, int state, const char *, void *ctx)
    {
        if (type != ZOO_SESSION_EVENT)
            return;
        auto *self = static_cast<RawZk *>(ctx);
        std::lock_guard lock(self->m_);
        self->state_ = state;
        self->cv_.notify_all();
    }

    zhandle_t *zh_ = nullptr;
    std::mutex m_;
    std::condition_variable cv_;
    int state_ = 0;
};

} // namespace midonet::store::testing
