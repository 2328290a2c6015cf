#include "agent/ports/port_binder.h"

#include <spdlog/spdlog.h>

#include <net/if.h>

namespace midonet::agent {

PortBinder::PortBinder(dp::Datapath &dp, TopologyCache &topology, LocalPorts &ports,
                       FlowTable &flows, util::Uuid hostId)
    : dp_(dp), topology_(topology), ports_(ports), flows_(flows), hostId_(hostId)
{
}

size_t PortBinder::reconcile()
{
    struct Want {
        std::string ifname;
        uint32_t tunnelKey;
        util::Uuid device;
        uint16_t vlanId;
    };
    std::unordered_map<util::Uuid, Want> wanted;
    for (const auto &b : topology_.boundPorts(hostId_))
        wanted[b.portId] = {b.interfaceName, b.tunnelKey, b.deviceId, b.vlanId};

    std::vector<flow::FlowTag> stale;
    size_t changes = 0;
    // Gone: binding removed, interface renamed, or the interface disappeared.
    for (const auto &lp : ports_.all()) {
        auto it = wanted.find(lp.portId);
        const bool keep = it != wanted.end() && it->second.ifname == lp.interfaceName &&
                          it->second.vlanId == lp.vlanId &&
                          ::if_nametoindex(lp.interfaceName.c_str()) != 0;
        if (keep) {
            if (it->second.tunnelKey != lp.tunnelKey) { // key re-allocated: re-index
                LocalPort moved = lp;
                moved.tunnelKey = it->second.tunnelKey;
                ports_.set(moved);
                stale.push_back(flow::FlowTag::tunnelKey(lp.tunnelKey));
            }
            continue;
        }
        // A trunk stays in the datapath while another L2 gateway port still uses it.
        const bool lastUser = ports_.usersOf(lp.dpPort) <= 1 || ::if_nametoindex(lp.interfaceName.c_str()) == 0;
        if (lastUser) {
            try {
                dp_.removePort(lp.dpPort);
            } catch (const dp::DatapathError &e) {
                if (e.errnum() != ENOENT) spdlog::warn("unbinding {}: {}", lp.interfaceName, e.what());
            }
        }
        ports_.erase(lp.portId);
        stale.push_back(flow::FlowTag::device(lp.portId));
        stale.push_back(flow::FlowTag::tunnelKey(lp.tunnelKey));
        if (it != wanted.end()) stale.push_back(flow::FlowTag::device(it->second.device));
        spdlog::info("port {} unbound from {} (datapath port {})", lp.portId.toString(), lp.interfaceName, lp.dpPort);
        ++changes;
    }
    // New: bound in the NSDB, interface present, not in the datapath yet.
    std::unordered_map<util::Uuid, std::string> problems;
    for (const auto &[id, w] : wanted) {
        if (ports_.byPort(id)) continue;
        if (::if_nametoindex(w.ifname.c_str()) == 0) {
            // Often just a VM not started yet; said once, kept in the status until it appears.
            problems[id] = "interface " + w.ifname + " does not exist on this host";
            continue;
        }
        uint32_t number = 0;
        for (const auto &other : ports_.all()) {
            if (other.interfaceName != w.ifname) continue;
            if (other.vlanId == 0 || w.vlanId == 0 || other.vlanId == w.vlanId) {
                // The cluster refuses such bindings; an older NSDB may still hold one.
                problems[id] = "interface " + w.ifname + " is already used by port " +
                               other.portId.toString() + " (ports share an interface only as " +
                               "L2 gateway ports with different vlanIds)";
            }
            number = other.dpPort; // a trunk already in the datapath
        }
        if (problems.count(id)) continue;
        if (number == 0) {
            try {
                number = dp_.addPort(dp::PortSpec(w.ifname, dp::PortType::Netdev));
            } catch (const dp::DatapathError &e) {
                if (e.errnum() != EEXIST) {
                    problems[id] = std::string("datapath refused ") + w.ifname + ": " + e.what();
                    continue;
                }
                number = dp_.portByName(w.ifname).number; // left over from an earlier run
            }
        }
        ports_.set({id, w.ifname, number, w.tunnelKey, w.vlanId});
        stale.push_back(flow::FlowTag::device(id));
        stale.push_back(flow::FlowTag::device(w.device));
        stale.push_back(flow::FlowTag::tunnelKey(w.tunnelKey));
        if (w.vlanId)
            spdlog::info("port {} bound to trunk {} VLAN {} (datapath port {}, tunnel key {})",
                         id.toString(), w.ifname, w.vlanId, number, w.tunnelKey);
        else
            spdlog::info("port {} bound to {} (datapath port {}, tunnel key {})", id.toString(),
                         w.ifname, number, w.tunnelKey);
        ++changes;
    }
    {
        std::lock_guard lock(mu_);
        for (const auto &[id, why] : problems)
            if (!problems_.count(id) || problems_[id] != why)
                spdlog::warn("port {} cannot be bound: {}", id.toString(), why);
        for (const auto &[id, why] : problems_)
            if (!problems.count(id)) spdlog::info("port {}: binding problem resolved", id.toString());
        problems_ = std::move(problems);
    }
    if (changes) {
        topology_.localBindingsChanged();
        flows_.invalidate(stale);
    }
    return changes;
}

std::vector<std::pair<util::Uuid, std::string>> PortBinder::problems() const
{
    std::lock_guard lock(mu_);
    return {problems_.begin(), problems_.end()};
}

} // namespace midonet::agent
