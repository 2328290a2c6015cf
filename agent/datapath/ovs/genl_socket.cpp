#include "agent/datapath/ovs/genl_socket.h"

#include "agent/datapath/datapath.h"

#include <linux/genetlink.h>
#include <linux/openvswitch.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <netlink/socket.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>

namespace midonet::dp::ovs {

GenlSocket::GenlSocket()
{
    sock_ = nl_socket_alloc();
    if (!sock_)
        throw DatapathError(ENOMEM, "netlink: cannot allocate a socket");
    if (int err = genl_connect(sock_); err < 0) {
        nl_socket_free(sock_);
        throw DatapathError(EPROTO, std::string("netlink: genl_connect: ") + nl_geterror(err));
    }
    // Replies are read by hand (transact), so libnl's own sequence checks stay out of the way
    // of multi-part dumps; we check nlmsg_seq ourselves.
    nl_socket_disable_seq_check(sock_);
    // Large dumps and upcalls with whole TSO frames need more than the default buffer.
    nl_socket_set_buffer_size(sock_, 4 << 20, 1 << 20);
}

GenlSocket::~GenlSocket() { nl_socket_free(sock_); }

int GenlSocket::resolve(const char *name)
{
    int id = genl_ctrl_resolve(sock_, name);
    return id < 0 ? -1 : id;
}

uint32_t GenlSocket::portId() const { return nl_socket_get_local_port(sock_); }
int GenlSocket::fd() const { return nl_socket_get_fd(sock_); }
void GenlSocket::setNonBlocking() { nl_socket_set_nonblocking(sock_); }
void GenlSocket::setReceiveBuffer(int bytes) { nl_socket_set_buffer_size(sock_, bytes, 0); }

namespace {

// Walks the netlink messages of one datagram. Returns true once the transaction is complete.
bool parseDatagram(std::span<const uint8_t> data, uint32_t seq, int &error, bool &done,
                   const std::function<void(const GenlReply &)> &onReply)
{
    size_t off = 0;
    while (off + NLMSG_HDRLEN <= data.size()) {
        nlmsghdr h;
        std::memcpy(&h, data.data() + off, sizeof h);
        if (h.nlmsg_len < NLMSG_HDRLEN || off + h.nlmsg_len > data.size())
            break;
        auto body = data.subspan(off + NLMSG_HDRLEN, h.nlmsg_len - NLMSG_HDRLEN);
        off += NLMSG_ALIGN(h.nlmsg_len);
        if (seq && h.nlmsg_seq != seq)
            continue; // a late reply to someone else's request: not ours
        if (h.nlmsg_type == NLMSG_ERROR) {
            nlmsgerr e;
            std::memcpy(&e, body.data(), std::min(sizeof e, body.size()));
            error = -e.error;
            done = true;
            continue;
        }
        if (h.nlmsg_type == NLMSG_DONE) {
            done = true;
            continue;
        }
        if (h.nlmsg_type < NLMSG_MIN_TYPE)
            continue;
        size_t hdr = GENL_HDRLEN + sizeof(ovs_header);
        if (body.size() < hdr)
            continue;
        genlmsghdr g;
        ovs_header o;
        std::memcpy(&g, body.data(), sizeof g);
        std::memcpy(&o, body.data() + GENL_HDRLEN, sizeof o);
        onReply(GenlReply{g.cmd, o.dp_ifindex, body.subspan(hdr)});
        if (!(h.nlmsg_flags & NLM_F_MULTI) && seq == 0)
            done = true;
    }
    return done;
}

} // namespace

void GenlSocket::transact(int family, uint8_t cmd, uint8_t version, int dpIfindex,
                          const Bytes &attrs, int flags,
                          const std::function<void(const GenlReply &)> &onReply,
                          const std::string &what)
{
    nl_msg *msg = nlmsg_alloc_size(NLMSG_HDRLEN + GENL_HDRLEN + sizeof(ovs_header) +
                                   attrs.size() + 64);
    if (!msg)
        throw DatapathError(ENOMEM, what + ": cannot allocate a message");
    void *hdr = genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, family, sizeof(ovs_header),
                            flags | NLM_F_ACK, cmd, version);
    ovs_header oh{dpIfindex};
    std::memcpy(hdr, &oh, sizeof oh);
    if (!attrs.empty() && nlmsg_append(msg, const_cast<uint8_t *>(attrs.data()), attrs.size(),
                                       NLMSG_ALIGNTO) < 0) {
        nlmsg_free(msg);
        throw DatapathError(EMSGSIZE, what + ": request too large");
    }
    int sent = nl_send_auto(sock_, msg);
    uint32_t seq = nlmsg_hdr(msg)->nlmsg_seq;
    nlmsg_free(msg);
    if (sent < 0)
        throw DatapathError(EIO, what + ": send: " + nl_geterror(sent));

    std::vector<uint8_t> buf(1 << 17);
    int error = 0;
    bool done = false;
    while (!done) {
        ssize_t n = recv(fd(), buf.data(), buf.size(), MSG_TRUNC);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN) { // non-blocking request socket: wait for the reply
                fd_set rfds;
                FD_ZERO(&rfds);
                FD_SET(fd(), &rfds);
                select(fd() + 1, &rfds, nullptr, nullptr, nullptr);
                continue;
            }
            throw DatapathError(errno, what + ": recv: " + std::strerror(errno));
        }
        if (size_t(n) > buf.size()) { // truncated: grow and let the kernel resend? not possible
            throw DatapathError(EMSGSIZE, what + ": reply larger than the receive buffer");
        }
        parseDatagram({buf.data(), size_t(n)}, seq, error, done, onReply);
    }
    if (error)
        throw DatapathError(error, what); // system_error appends strerror
}

bool GenlSocket::receiveOne(std::vector<uint8_t> &buf,
                            const std::function<void(const GenlReply &)> &f)
{
    ssize_t n = recv(fd(), buf.data(), buf.size(), MSG_DONTWAIT);
    if (n < 0 && errno == ENOBUFS)
        return true; // the kernel dropped upcalls (it counts them as lost); more may wait
    if (n <= 0)
        return false;
    int error = 0;
    bool done = false;
    parseDatagram({buf.data(), size_t(n)}, 0, error, done, f);
    return true;
}

} // namespace midonet::dp::ovs
