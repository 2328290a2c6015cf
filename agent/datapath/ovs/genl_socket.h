// GenlSocket: one Generic Netlink socket (libnl-genl-3) used for request/reply transactions
// with the Open vSwitch families, plus family-id resolution.
//
// Invariants: a transaction sends one request and reads until its ACK, DONE or error, so the
// socket never holds replies of an earlier request; errors come back as DatapathError with the
// kernel's errno.
//
// Thread-safety: none. Each GenlSocket belongs to one thread at a time; OvsDatapath guards its
// request socket with a mutex and gives every upcall socket to pollUpcalls() alone.
#pragma once

#include "agent/datapath/ovs/ovs_codec.h"

#include <cstdint>
#include <functional>
#include <span>
#include <string>

struct nl_sock;

namespace midonet::dp::ovs {

// A received Generic Netlink message: the command and the attributes after the family header.
struct GenlReply {
    uint8_t cmd;
    int dpIfindex; // struct ovs_header
    std::span<const uint8_t> attrs;
};

class GenlSocket {
public:
    GenlSocket(); // connects; throws DatapathError
    ~GenlSocket();
    GenlSocket(const GenlSocket &) = delete;
    GenlSocket &operator=(const GenlSocket &) = delete;

    // Family id of `name`, or -1 when the kernel does not know it (module not loaded).
    int resolve(const char *name);
    uint32_t portId() const; // the Netlink pid the kernel sends upcalls to
    int fd() const;
    void setNonBlocking();
    void setReceiveBuffer(int bytes);

    // Sends a request (genl header + struct ovs_header{dpIfindex} + attrs) and calls onReply
    // for each reply message. flags: NLM_F_* beyond NLM_F_REQUEST|NLM_F_ACK (e.g. NLM_F_DUMP,
    // NLM_F_ECHO, NLM_F_CREATE). Throws DatapathError(errno, what) on an error ack.
    void transact(int family, uint8_t cmd, uint8_t version, int dpIfindex, const Bytes &attrs,
                  int flags, const std::function<void(const GenlReply &)> &onReply,
                  const std::string &what);

    // Upcall sockets: reads one datagram without blocking and calls f for each message in it.
    // Returns false when nothing was waiting.
    bool receiveOne(std::vector<uint8_t> &buf, const std::function<void(const GenlReply &)> &f);

private:
    nl_sock *sock_ = nullptr;
};

} // namespace midonet::dp::ovs
