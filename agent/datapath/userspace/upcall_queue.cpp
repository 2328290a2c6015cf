#include "agent/datapath/userspace/upcall_queue.h"

namespace midonet::dp::userspace {

bool UpcallQueue::push(Upcall &&u)
{
    {
        std::lock_guard lk(mu_);
        auto &q = fifos_[u.inPort];
        if (q.size() >= perPort_)
            return false;
        q.push_back(std::move(u));
        ++total_;
    }
    cv_.notify_one();
    return true;
}

size_t UpcallQueue::pop(std::vector<Upcall> &out, size_t max, std::chrono::milliseconds timeout)
{
    std::unique_lock lk(mu_);
    uint64_t w = wakeups_;
    cv_.wait_for(lk, timeout, [&] { return total_ > 0 || wakeups_ != w; });
    size_t got = 0;
    while (got < max && total_ > 0) {
        // One from each non-empty FIFO, starting at the cursor, then around again.
        auto it = fifos_.lower_bound(next_);
        for (size_t visited = 0; visited < fifos_.size() && got < max; ++visited) {
            if (it == fifos_.end())
                it = fifos_.begin();
            if (!it->second.empty()) {
                out.push_back(std::move(it->second.front()));
                it->second.pop_front();
                --total_;
                ++got;
            }
            ++it;
        }
        next_ = it == fifos_.end() ? 0 : it->first;
    }
    return got;
}

void UpcallQueue::removePort(uint32_t port)
{
    std::lock_guard lk(mu_);
    auto it = fifos_.find(port);
    if (it == fifos_.end())
        return;
    total_ -= it->second.size();
    fifos_.erase(it);
}

void UpcallQueue::wakeAll()
{
    {
        std::lock_guard lk(mu_);
        ++wakeups_;
    }
    cv_.notify_all();
}

size_t UpcallQueue::size() const
{
    std::lock_guard lk(mu_);
    return total_;
}

} // namespace midonet::dp::userspace
