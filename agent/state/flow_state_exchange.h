// FlowStateExchange: sends connection-tracking keys and NAT bindings created here to the hosts
// that will see the return traffic, and receives theirs (DESIGN.md "Flow state"; reference B9).
//
// MidoNet sends flow state inside the tunnel (tunnel key 0xFFFFFF) ahead of the packet. We send
// it as one UDP datagram to the peer agent's flow-state port on its tunnel address, on the same
// underlay, before the packet itself is executed: the peer applies it before the first tunnelled
// packet can come back as a reply, because the reply needs the packet to arrive first and the
// datagram left earlier on the same path. The message is JSON (a few hundred bytes per flow).
//
// Thread-safety: send() from any thread; the receive callback runs on the exchange's own thread.
#pragma once

#include "agent/simulation/state_tables.h"
#include "agent/simulation/simulation_result.h"
#include "common/util/net_types.h"

#include <atomic>
#include <functional>
#include <string>
#include <thread>
#include <vector>

namespace midonet::agent {

class FlowStateExchange {
public:
    using Receive = std::function<void(const std::vector<sim::StateChange> &changes,
                                       util::IPv4Address from)>;
    inline static constexpr uint16_t kDefaultPort = 2925; // MidoNet's flow-state UDP port

    // Binds UDP `port` on `local` (0.0.0.0 = any) and sends to `peerPort` on peers (0: the same
    // port, as every agent uses one). Throws std::system_error on failure.
    FlowStateExchange(util::IPv4Address local, uint16_t port, Receive onReceive, uint16_t peerPort = 0);
    ~FlowStateExchange();

    // Sends the conntrack and NAT changes among `changes` (others are ignored); returns false
    // when there was nothing to send or the send failed (logged).
    bool send(util::IPv4Address to, const std::vector<sim::StateChange> &changes);

    uint16_t port() const { return port_; }
    uint64_t sent() const { return sent_; }
    uint64_t received() const { return received_; }

    // Wire format, exposed for tests.
    static std::string encode(const std::vector<sim::StateChange> &changes);
    static std::vector<sim::StateChange> decode(const std::string &text); // throws on bad input

private:
    void run();

    int fd_ = -1;
    uint16_t port_ = 0;
    uint16_t peerPort_ = 0;
    Receive onReceive_;
    std::atomic<bool> stop_{false};
    std::atomic<uint64_t> sent_{0}, received_{0};
    std::thread thread_;
};

} // namespace midonet::agent
