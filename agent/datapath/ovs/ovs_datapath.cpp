#include "agent/datapath/ovs/ovs_datapath.h"

#include <linux/genetlink.h>
#include <linux/openvswitch.h>
#include <net/if.h>
#include <poll.h>
#include <spdlog/spdlog.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>

namespace midonet::dp::ovs {

using namespace midonet::flow;

Families resolveFamilies(GenlSocket &sock)
{
    Families f;
    f.datapath = sock.resolve(OVS_DATAPATH_FAMILY);
    f.vport = sock.resolve(OVS_VPORT_FAMILY);
    f.flow = sock.resolve(OVS_FLOW_FAMILY);
    f.packet = sock.resolve(OVS_PACKET_FAMILY);
    return f;
}

namespace {

void setLinkUp(const std::string &ifname)
{
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return;
    ifreq ifr{};
    std::strncpy(ifr.ifr_name, ifname.c_str(), IFNAMSIZ - 1);
    if (ioctl(fd, SIOCGIFFLAGS, &ifr) == 0) {
        ifr.ifr_flags |= IFF_UP;
        ioctl(fd, SIOCSIFFLAGS, &ifr);
    }
    close(fd);
}

uint32_t toOvsType(PortType t)
{
    switch (t) {
    case PortType::Netdev: return OVS_VPORT_TYPE_NETDEV;
    case PortType::Internal: return OVS_VPORT_TYPE_INTERNAL;
    case PortType::Vxlan: return OVS_VPORT_TYPE_VXLAN;
    }
    return OVS_VPORT_TYPE_NETDEV;
}

} // namespace

OvsDatapath::OvsDatapath(const std::string &name, bool create, const DatapathOptions &opts)
    : name_(name), opts_(opts)
{
    fam_ = resolveFamilies(req_);
    if (!fam_.complete())
        throw DatapathError(ENODEV, "ovs: the openvswitch kernel module is not loaded (Generic "
                                    "Netlink family ovs_datapath unknown)");
    Bytes a;
    AttrWriter w(a);
    w.put(OVS_DP_ATTR_NAME, name.c_str(), name.size() + 1);
    auto onReply = [&](const GenlReply &r) { ifindex_ = r.dpIfindex; };
    if (create) {
        // Misses on the local port go to its own socket, like every other port's.
        auto local = newUpcallSocket();
        w.putU32(OVS_DP_ATTR_UPCALL_PID, local->portId());
        w.putU32(OVS_DP_ATTR_USER_FEATURES, OVS_DP_F_UNALIGNED | OVS_DP_F_VPORT_PIDS);
        req_.transact(fam_.datapath, OVS_DP_CMD_NEW, OVS_DATAPATH_VERSION, 0, a, NLM_F_ECHO,
                      onReply, "ovs: create datapath " + name);
        upcall_[OVSP_LOCAL] = local;
    } else {
        uint32_t features = 0;
        req_.transact(fam_.datapath, OVS_DP_CMD_GET, OVS_DATAPATH_VERSION, 0, a, 0,
                      [&](const GenlReply &r) {
                          onReply(r);
                          forEachAttr(r.attrs, [&](const Attr &at) {
                              if (at.type == OVS_DP_ATTR_USER_FEATURES)
                                  features = at.u32();
                          });
                      },
                      "ovs: open datapath " + name);
        // Whoever opened the datapath last chose how misses are dispatched. Open vSwitch's own
        // tools (ovs-dpctl, ovs-vswitchd) switch it to per-CPU dispatch
        // (OVS_DP_F_DISPATCH_UPCALL_PER_CPU) with their own per-CPU pids, or none at all; the
        // kernel then ignores every vport's UPCALL_PID and a miss to pid 0 is counted lost.
        // Put the per-vport mode we rely on back before taking the ports over.
        constexpr uint32_t ours = OVS_DP_F_UNALIGNED | OVS_DP_F_VPORT_PIDS;
        if (features != ours) {
            spdlog::info("ovs: datapath {} had user features {:#x} (per-CPU dispatch: {}); "
                         "setting {:#x} (per-vport upcall sockets)",
                         name, features, (features & OVS_DP_F_DISPATCH_UPCALL_PER_CPU) ? "yes" : "no",
                         ours);
        }
        Bytes f;
        AttrWriter wf(f);
        wf.putU32(OVS_DP_ATTR_USER_FEATURES, ours);
        req_.transact(fam_.datapath, OVS_DP_CMD_SET, OVS_DATAPATH_VERSION, ifindex_, f, 0,
                      [](const GenlReply &) {}, "ovs: set user features of " + name);
        // Take over the existing ports: each gets a fresh upcall socket of ours.
        for (const PortInfo &p : listPorts()) {
            auto s = newUpcallSocket();
            Bytes b;
            AttrWriter wb(b);
            wb.putU32(OVS_VPORT_ATTR_PORT_NO, p.number);
            wb.putU32(OVS_VPORT_ATTR_UPCALL_PID, s->portId());
            req_.transact(fam_.vport, OVS_VPORT_CMD_SET, OVS_VPORT_VERSION, ifindex_, b, 0,
                          [](const GenlReply &) {}, "ovs: take over port " + p.name);
            upcall_[p.number] = s;
        }
    }
}

OvsDatapath::~OvsDatapath() = default;

std::shared_ptr<GenlSocket> OvsDatapath::newUpcallSocket()
{
    auto s = std::make_shared<GenlSocket>();
    s->setNonBlocking();
    return s;
}

void OvsDatapath::destroy()
{
    std::lock_guard lk(mu_);
    req_.transact(fam_.datapath, OVS_DP_CMD_DEL, OVS_DATAPATH_VERSION, ifindex_, {}, 0,
                  [](const GenlReply &) {}, "ovs: destroy datapath " + name_);
    std::lock_guard ul(upMu_);
    upcall_.clear();
}

// ---- ports ----

PortInfo OvsDatapath::decodeVport(const GenlReply &r) const
{
    PortInfo p;
    forEachAttr(r.attrs, [&](const Attr &a) {
        switch (a.type) {
        case OVS_VPORT_ATTR_PORT_NO: p.number = a.u32(); break;
        case OVS_VPORT_ATTR_NAME:
            p.name.assign(reinterpret_cast<const char *>(a.data.data()),
                          strnlen(reinterpret_cast<const char *>(a.data.data()), a.data.size()));
            break;
        case OVS_VPORT_ATTR_TYPE:
            p.type = a.u32() == OVS_VPORT_TYPE_INTERNAL ? PortType::Internal
                     : a.u32() == OVS_VPORT_TYPE_VXLAN  ? PortType::Vxlan
                                                        : PortType::Netdev;
            break;
        case OVS_VPORT_ATTR_OPTIONS:
            forEachAttr(a.data, [&](const Attr &o) {
                if (o.type == OVS_TUNNEL_ATTR_DST_PORT)
                    p.vxlanPort = uint16_t(o.u32() & 0xffff);
            });
            break;
        case OVS_VPORT_ATTR_STATS: {
            ovs_vport_stats s{};
            std::memcpy(&s, a.data.data(), std::min(sizeof s, a.data.size()));
            p.stats = {s.rx_packets, s.tx_packets, s.rx_bytes, s.tx_bytes, s.rx_dropped,
                       s.tx_dropped};
            break;
        }
        default: break;
        }
    });
    return p;
}

uint32_t OvsDatapath::addPort(const PortSpec &spec)
{
    if (spec.name.empty() || spec.name.size() >= IFNAMSIZ)
        throw DatapathError(EINVAL, "ovs: bad port name '" + spec.name + "'");
    auto sock = newUpcallSocket();
    Bytes a;
    AttrWriter w(a);
    w.put(OVS_VPORT_ATTR_NAME, spec.name.c_str(), spec.name.size() + 1);
    w.putU32(OVS_VPORT_ATTR_TYPE, toOvsType(spec.type));
    w.putU32(OVS_VPORT_ATTR_UPCALL_PID, sock->portId());
    if (spec.number)
        w.putU32(OVS_VPORT_ATTR_PORT_NO, *spec.number);
    if (spec.type == PortType::Vxlan) {
        size_t n = w.beginNest(OVS_VPORT_ATTR_OPTIONS);
        w.putU16(OVS_TUNNEL_ATTR_DST_PORT, spec.vxlanPort);
        w.endNest(n);
    }
    PortInfo info;
    {
        std::lock_guard lk(mu_);
        req_.transact(fam_.vport, OVS_VPORT_CMD_NEW, OVS_VPORT_VERSION, ifindex_, a, NLM_F_ECHO,
                      [&](const GenlReply &r) { info = decodeVport(r); },
                      "ovs: add port " + spec.name);
    }
    if (spec.type == PortType::Internal)
        setLinkUp(spec.name); // the agent expects an internal port to carry traffic at once
    std::lock_guard ul(upMu_);
    upcall_[info.number] = sock;
    return info.number;
}

void OvsDatapath::removePort(uint32_t port)
{
    Bytes a;
    AttrWriter w(a);
    w.putU32(OVS_VPORT_ATTR_PORT_NO, port);
    {
        std::lock_guard lk(mu_);
        req_.transact(fam_.vport, OVS_VPORT_CMD_DEL, OVS_VPORT_VERSION, ifindex_, a, 0,
                      [](const GenlReply &) {}, "ovs: remove port " + std::to_string(port));
    }
    std::lock_guard ul(upMu_);
    upcall_.erase(port);
}

std::vector<PortInfo> OvsDatapath::listPorts()
{
    std::vector<PortInfo> out;
    std::lock_guard lk(mu_);
    req_.transact(fam_.vport, OVS_VPORT_CMD_GET, OVS_VPORT_VERSION, ifindex_, {}, NLM_F_DUMP,
                  [&](const GenlReply &r) {
                      if (r.dpIfindex == ifindex_)
                          out.push_back(decodeVport(r));
                  },
                  "ovs: list ports of " + name_);
    std::sort(out.begin(), out.end(),
              [](const PortInfo &a, const PortInfo &b) { return a.number < b.number; });
    return out;
}

PortInfo OvsDatapath::portByName(const std::string &name)
{
    Bytes a;
    AttrWriter w(a);
    w.put(OVS_VPORT_ATTR_NAME, name.c_str(), name.size() + 1);
    PortInfo info;
    std::lock_guard lk(mu_);
    req_.transact(fam_.vport, OVS_VPORT_CMD_GET, OVS_VPORT_VERSION, ifindex_, a, 0,
                  [&](const GenlReply &r) { info = decodeVport(r); }, "ovs: port " + name);
    return info;
}

// ---- flows ----

Flow OvsDatapath::decodeFlow(const GenlReply &r) const
{
    Flow f;
    FlowKey key, mask = FlowMask::exact().bits;
    forEachAttr(r.attrs, [&](const Attr &a) {
        switch (a.type) {
        case OVS_FLOW_ATTR_KEY: key = decodeKey(a.data); break;
        case OVS_FLOW_ATTR_MASK:
            mask = decodeKey(a.data, true);
            break;
        case OVS_FLOW_ATTR_ACTIONS: f.actions = decodeActions(a.data); break;
        case OVS_FLOW_ATTR_STATS: {
            ovs_flow_stats s{};
            std::memcpy(&s, a.data.data(), std::min(sizeof s, a.data.size()));
            f.stats.packets = s.n_packets;
            f.stats.bytes = s.n_bytes;
            break;
        }
        case OVS_FLOW_ATTR_USED: f.stats.lastUsedMs = a.u64(); break;
        case OVS_FLOW_ATTR_TCP_FLAGS: f.stats.tcpFlags = a.u8(); break;
        default: break;
        }
    });
    // The kernel reports "no ethertype" as an absent key attribute with an exact mask.
    if (!key.ethType)
        mask.ethType = 0;
    // A tagged flow's outer type is implied by vlanTci; an untagged one never reports a TCI mask.
    f.match = FlowMatch(key, FlowMask{mask});
    return f;
}

void OvsDatapath::putFlow(const FlowMatch &match, const FlowActions &actions, PutMode mode)
{
    Bytes keyAttrs, maskAttrs, actAttrs, a;
    encodeMatch(match, keyAttrs, maskAttrs);
    encodeActions(actions, match, actAttrs);
    AttrWriter w(a);
    w.put(OVS_FLOW_ATTR_KEY | NLA_F_NESTED, keyAttrs.data(), keyAttrs.size());
    w.put(OVS_FLOW_ATTR_MASK | NLA_F_NESTED, maskAttrs.data(), maskAttrs.size());
    w.put(OVS_FLOW_ATTR_ACTIONS | NLA_F_NESTED, actAttrs.data(), actAttrs.size());
    std::lock_guard lk(mu_);
    std::string what = "ovs: put flow " + match.toString();
    if (mode == PutMode::Modify) {
        req_.transact(fam_.flow, OVS_FLOW_CMD_SET, OVS_FLOW_VERSION, ifindex_, a, 0,
                      [](const GenlReply &) {}, what);
        return;
    }
    int flags = NLM_F_CREATE | (mode == PutMode::Create ? NLM_F_EXCL : 0);
    req_.transact(fam_.flow, OVS_FLOW_CMD_NEW, OVS_FLOW_VERSION, ifindex_, a, flags,
                  [](const GenlReply &) {}, what);
    installedAt_.try_emplace(match, monotonicMs());
}

std::optional<Flow> OvsDatapath::getFlow(const FlowMatch &match)
{
    Bytes keyAttrs, maskAttrs, a;
    encodeMatch(match, keyAttrs, maskAttrs);
    AttrWriter w(a);
    w.put(OVS_FLOW_ATTR_KEY | NLA_F_NESTED, keyAttrs.data(), keyAttrs.size());
    std::optional<Flow> out;
    std::lock_guard lk(mu_);
    try {
        req_.transact(fam_.flow, OVS_FLOW_CMD_GET, OVS_FLOW_VERSION, ifindex_, a, 0,
                      [&](const GenlReply &r) { out = decodeFlow(r); },
                      "ovs: get flow " + match.toString());
    } catch (const DatapathError &e) {
        if (e.errnum() == ENOENT)
            return std::nullopt;
        throw;
    }
    return out;
}

FlowStats OvsDatapath::deleteFlow(const FlowMatch &match)
{
    Bytes keyAttrs, maskAttrs, a;
    encodeMatch(match, keyAttrs, maskAttrs);
    AttrWriter w(a);
    w.put(OVS_FLOW_ATTR_KEY | NLA_F_NESTED, keyAttrs.data(), keyAttrs.size());
    FlowStats stats;
    std::lock_guard lk(mu_);
    req_.transact(fam_.flow, OVS_FLOW_CMD_DEL, OVS_FLOW_VERSION, ifindex_, a, NLM_F_ECHO,
                  [&](const GenlReply &r) { stats = decodeFlow(r).stats; },
                  "ovs: delete flow " + match.toString());
    installedAt_.erase(match);
    return stats;
}

std::vector<Flow> OvsDatapath::dumpFlows()
{
    std::vector<Flow> out;
    std::lock_guard lk(mu_);
    req_.transact(fam_.flow, OVS_FLOW_CMD_GET, OVS_FLOW_VERSION, ifindex_, {}, NLM_F_DUMP,
                  [&](const GenlReply &r) { out.push_back(decodeFlow(r)); },
                  "ovs: dump flows of " + name_);
    return out;
}

void OvsDatapath::flushFlows()
{
    std::lock_guard lk(mu_);
    req_.transact(fam_.flow, OVS_FLOW_CMD_DEL, OVS_FLOW_VERSION, ifindex_, {}, 0,
                  [](const GenlReply &) {}, "ovs: flush flows of " + name_);
    installedAt_.clear();
}

std::vector<Flow> OvsDatapath::expireIdleFlows(std::chrono::milliseconds idle)
{
    std::vector<Flow> flows = dumpFlows();
    // Read the clock after the dump: the kernel stamps "used" at dump time (now minus the idle
    // jiffies), so a flow used a moment ago can carry a time later than a clock read before the
    // dump, and now - last would wrap around and expire the busiest flow.
    const uint64_t now = monotonicMs();
    std::vector<Flow> expired;
    for (Flow &f : flows) {
        uint64_t last = f.stats.lastUsedMs;
        if (!last) {
            std::lock_guard lk(mu_);
            // a flow someone else installed: start its clock now
            last = installedAt_.try_emplace(f.match, now).first->second;
        }
        if (last >= now || now - last < uint64_t(idle.count()))
            continue;
        try {
            f.stats = deleteFlow(f.match);
            expired.push_back(std::move(f));
        } catch (const DatapathError &e) {
            if (e.errnum() != ENOENT) // raced with another delete: fine
                throw;
        }
    }
    return expired;
}

// ---- packets ----

void OvsDatapath::execute(std::span<const uint8_t> packet, const FlowKey &key,
                          const FlowActions &actions)
{
    Bytes keyAttrs, actAttrs, a;
    encodeExecuteKey(key, keyAttrs);
    encodeActions(actions, FlowMatch(key, FlowMask::exact()), actAttrs);
    AttrWriter w(a);
    w.put(OVS_PACKET_ATTR_PACKET, packet.data(), packet.size());
    w.put(OVS_PACKET_ATTR_KEY | NLA_F_NESTED, keyAttrs.data(), keyAttrs.size());
    w.put(OVS_PACKET_ATTR_ACTIONS | NLA_F_NESTED, actAttrs.data(), actAttrs.size());
    std::lock_guard lk(mu_);
    req_.transact(fam_.packet, OVS_PACKET_CMD_EXECUTE, OVS_PACKET_VERSION, ifindex_, a, 0,
                  [](const GenlReply &) {}, "ovs: execute packet");
}

size_t OvsDatapath::pollUpcalls(std::vector<Upcall> &out, size_t max,
                                std::chrono::milliseconds timeout)
{
    std::vector<std::pair<uint32_t, std::shared_ptr<GenlSocket>>> socks;
    uint32_t start;
    {
        std::lock_guard ul(upMu_);
        for (auto &[port, s] : upcall_)
            socks.emplace_back(port, s);
        start = rr_;
    }
    if (socks.empty() || max == 0)
        return 0;
    std::vector<pollfd> pfds;
    for (auto &[port, s] : socks)
        pfds.push_back({s->fd(), POLLIN, 0});
    if (poll(pfds.data(), pfds.size(), int(timeout.count())) <= 0)
        return 0;

    // Round robin from where the last call stopped, at most `batch` upcalls per port per turn.
    const size_t batch = 16;
    size_t first = 0;
    while (first < socks.size() && socks[first].first < start)
        ++first;
    std::vector<uint8_t> buf(1 << 17);
    size_t got = 0;
    bool progress = true;
    while (got < max && progress) {
        progress = false;
        for (size_t i = 0; i < socks.size() && got < max; ++i) {
            size_t idx = (first + i) % socks.size();
            auto &[port, s] = socks[idx];
            for (size_t n = 0; n < batch && got < max; ++n) {
                bool any = s->receiveOne(buf, [&](const GenlReply &r) {
                    if (r.cmd != OVS_PACKET_CMD_MISS && r.cmd != OVS_PACKET_CMD_ACTION)
                        return;
                    Upcall u;
                    u.kind = r.cmd == OVS_PACKET_CMD_MISS ? Upcall::Kind::Miss
                                                          : Upcall::Kind::Action;
                    forEachAttr(r.attrs, [&](const Attr &a) {
                        if (a.type == OVS_PACKET_ATTR_PACKET)
                            u.packet.assign(a.data.begin(), a.data.end());
                        else if (a.type == OVS_PACKET_ATTR_KEY)
                            u.key = decodeKey(a.data);
                        else if (a.type == OVS_PACKET_ATTR_USERDATA)
                            u.cookie = a.u64();
                    });
                    u.inPort = u.key.inPort;
                    out.push_back(std::move(u));
                    ++got;
                });
                if (!any)
                    break;
                progress = true;
            }
        }
        first = (first + 1) % socks.size();
    }
    std::lock_guard ul(upMu_);
    rr_ = socks[first].first;
    return got;
}

uint32_t OvsDatapath::upcallPid(uint32_t port)
{
    std::lock_guard ul(upMu_);
    auto it = upcall_.find(port);
    if (it == upcall_.end())
        throw DatapathError(ENOENT, "ovs: no port " + std::to_string(port));
    return it->second->portId();
}

DatapathStats OvsDatapath::stats()
{
    DatapathStats st;
    Bytes a;
    AttrWriter w(a);
    w.put(OVS_DP_ATTR_NAME, name_.c_str(), name_.size() + 1);
    std::lock_guard lk(mu_);
    req_.transact(fam_.datapath, OVS_DP_CMD_GET, OVS_DATAPATH_VERSION, 0, a, 0,
                  [&](const GenlReply &r) {
                      forEachAttr(r.attrs, [&](const Attr &x) {
                          if (x.type == OVS_DP_ATTR_STATS) {
                              ovs_dp_stats s{};
                              std::memcpy(&s, x.data.data(), std::min(sizeof s, x.data.size()));
                              // n_missed counts lost upcalls too; keep the tiers disjoint.
                              st.megaflowHit = s.n_hit;
                              st.upcall = s.n_missed - s.n_lost;
                              st.lost = s.n_lost;
                              st.flows = s.n_flows;
                          } else if (x.type == OVS_DP_ATTR_MEGAFLOW_STATS) {
                              ovs_dp_megaflow_stats m{};
                              std::memcpy(&m, x.data.data(), std::min(sizeof m, x.data.size()));
                              st.masks = m.n_masks;
                          }
                      });
                  },
                  "ovs: stats of " + name_);
    return st;
}

} // namespace midonet::dp::ovs
