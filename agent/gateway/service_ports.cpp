#include "agent/gateway/service_ports.h"

namespace midonet::agent {

void ServicePorts::set(ServicePort p)
{
    std::lock_guard lock(mu_);
    if (auto it = byUplink_.find(p.uplinkPort); it != byUplink_.end()) {
        byServiceDp_.erase(it->second.serviceDpPort);
        byUplinkDp_.erase(it->second.uplinkDpPort);
    }
    byServiceDp_[p.serviceDpPort] = p.uplinkPort;
    byUplinkDp_[p.uplinkDpPort] = p.uplinkPort;
    byUplink_[p.uplinkPort] = p;
}

void ServicePorts::erase(const util::Uuid &uplinkPort)
{
    std::lock_guard lock(mu_);
    auto it = byUplink_.find(uplinkPort);
    if (it == byUplink_.end()) return;
    byServiceDp_.erase(it->second.serviceDpPort);
    byUplinkDp_.erase(it->second.uplinkDpPort);
    byUplink_.erase(it);
}

std::optional<ServicePort> ServicePorts::byUplink(const util::Uuid &uplinkPort) const
{
    std::lock_guard lock(mu_);
    auto it = byUplink_.find(uplinkPort);
    if (it == byUplink_.end()) return std::nullopt;
    return it->second;
}

std::vector<ServicePort> ServicePorts::all() const
{
    std::lock_guard lock(mu_);
    std::vector<ServicePort> out;
    for (const auto &[id, p] : byUplink_) out.push_back(p);
    return out;
}

bool ServicePorts::empty() const
{
    std::lock_guard lock(mu_);
    return byUplink_.empty();
}

SteerDecision ServicePorts::steer(const flow::FlowKey &k) const
{
    using flow::Field;
    SteerDecision d;
    std::lock_guard lock(mu_);
    if (byUplink_.empty()) return d;
    if (auto it = byServiceDp_.find(k.inPort); it != byServiceDp_.end()) {
        const ServicePort &p = byUplink_.at(it->second);
        d.kind = SteerDecision::Kind::Only;
        d.actions = {flow::OutputAction{p.uplinkDpPort}};
        d.mask.mark(Field::InPort);
        d.uplinkPort = p.uplinkPort;
        return d;
    }
    auto it = byUplinkDp_.find(k.inPort);
    if (it == byUplinkDp_.end()) return d;
    const ServicePort &p = byUplink_.at(it->second);
    if (k.isIpv4() && k.ipv4Dst == p.address && k.ipFrag != flow::FragType::Later) {
        const bool bgp = k.ipProto == flow::kIpProtoTcp && (k.tpSrc == kBgpPort || k.tpDst == kBgpPort);
        const bool bfd = k.ipProto == flow::kIpProtoUdp && (k.tpDst == kBfdPort || k.tpDst == kBfdMultihopPort);
        if (bgp || bfd) {
            d.kind = SteerDecision::Kind::Only;
            d.actions = {flow::OutputAction{p.serviceDpPort}};
            d.mask.mark(Field::InPort).mark(Field::EthType).mark(Field::Ipv4Dst).mark(Field::IpProto)
                .mark(Field::IpFrag).mark(Field::TpSrc).mark(Field::TpDst);
            d.uplinkPort = p.uplinkPort;
        }
        return d;
    }
    if (k.isArp() && k.arpOp == 2 && k.arpTip == p.address) {
        d.kind = SteerDecision::Kind::CopyThenSimulate;
        d.actions = {flow::OutputAction{p.serviceDpPort}};
        d.uplinkPort = p.uplinkPort;
    }
    return d;
}

} // namespace midonet::agent
