// UpcallQueue: the bounded queue between the userspace fast path and the agent's handler
// threads, one FIFO per port. A port's FIFO holds at most `perPort` upcalls; a miss beyond that
// is refused (the caller counts it as lost), so a port flooding new flows fills only its own
// FIFO. pop() serves ports round robin, one upcall per non-empty port per turn, so every other
// port's misses keep reaching the agent while one port floods.
//
// Invariants: every FIFO size <= perPort; `total` equals the sum of the FIFO sizes; the round
// robin cursor names a port or the end.
//
// Thread-safety: all members are safe to call from any thread (one mutex, one condition
// variable). push() never blocks: the fast path must not wait for the agent.
#pragma once

#include "agent/datapath/datapath.h"

#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>

namespace midonet::dp::userspace {

class UpcallQueue {
public:
    explicit UpcallQueue(size_t perPort) : perPort_(perPort) {}

    // False when the port's FIFO is full (the upcall is dropped).
    bool push(Upcall &&u);
    // Moves up to `max` upcalls to `out`, waiting up to `timeout` for the first.
    size_t pop(std::vector<Upcall> &out, size_t max, std::chrono::milliseconds timeout);
    void removePort(uint32_t port);
    void wakeAll(); // pop() returns early (shutdown)
    size_t size() const;

private:
    size_t perPort_;
    mutable std::mutex mu_;
    std::condition_variable cv_;
    std::map<uint32_t, std::deque<Upcall>> fifos_;
    uint32_t next_ = 0; // round robin: the port served first on the next pop()
    size_t total_ = 0;
    uint64_t wakeups_ = 0;
};

} // namespace midonet::dp::userspace
