// Rule: one entry of a chain, a condition (every field optional, each with its own inversion
// flag) plus what to do when it matches. Condition is shared with trace requests.
//
// Invariants of a decoded Rule:
//  - jump has jumpChainId; dnat/snat have flowAction (accept|continue|return) and >= 1 target;
//    rev_dnat/rev_snat have flowAction; l2_transform's flowAction is accept|redirect and a
//    redirect names targetPortId; trace has requestId.
//  - condition.fragmentPolicy is set (defaulted as MidoNet does) and consistent with the L4
//    fields and the NAT kind.
//  - chainId is read-only (from the path) and position is derived from the chain's order.
//
// Thread-safety: plain values.
#pragma once

#include "common/model/enums.h"
#include "common/model/schema.h"
#include "common/util/net_types.h"
#include "common/util/uuid.h"

#include <limits>
#include <optional>
#include <string>
#include <vector>

namespace midonet::model {

// {"start":a,"end":b}, inclusive; 1..65535 for L4 ports (for ICMP: type and code).
struct PortRange {
    static constexpr std::string_view kType = "";
    int32_t start = 0;
    int32_t end = 0;
    static const Schema<PortRange> &schema();
    bool operator==(const PortRange &) const = default;
};

// {addressFrom, addressTo, portFrom, portTo}; ports 0-0 mean "keep the port" (static NAT).
struct NatTarget {
    static constexpr std::string_view kType = "";
    util::IPv4Address addressFrom;
    util::IPv4Address addressTo;
    int32_t portFrom = 0;
    int32_t portTo = 0;
    static const Schema<NatTarget> &schema();
    bool operator==(const NatTarget &) const = default;
};

struct Condition {
    static constexpr std::string_view kType = "";

    bool condInvert = false;
    bool matchForwardFlow = false;
    bool matchReturnFlow = false;
    std::vector<util::Uuid> inPorts;
    bool invInPorts = false;
    std::vector<util::Uuid> outPorts;
    bool invOutPorts = false;
    std::optional<util::Uuid> portGroup;
    bool invPortGroup = false;
    std::optional<util::Uuid> inPortGroup;
    bool invInPortGroup = false;
    std::optional<util::Uuid> outPortGroup;
    bool invOutPortGroup = false;
    std::optional<util::Uuid> ipAddrGroupSrc;
    bool invIpAddrGroupSrc = false;
    std::optional<util::Uuid> ipAddrGroupDst;
    bool invIpAddrGroupDst = false;
    std::optional<util::Uuid> traversedDevice;
    bool invTraversedDevice = false;
    bool noVlan = false;
    std::optional<int32_t> vlan;
    std::optional<int32_t> dlType;
    bool invDlType = false;
    std::optional<util::MacAddress> dlSrc;
    std::optional<util::MacAddress> dlSrcMask;
    bool invDlSrc = false;
    std::optional<util::MacAddress> dlDst;
    std::optional<util::MacAddress> dlDstMask;
    bool invDlDst = false;
    std::optional<int32_t> nwTos;
    bool invNwTos = false;
    std::optional<int32_t> nwProto;
    bool invNwProto = false;
    std::optional<util::IPv4Address> nwSrcAddress;
    std::optional<int32_t> nwSrcLength;
    bool invNwSrc = false;
    std::optional<util::IPv4Address> nwDstAddress;
    std::optional<int32_t> nwDstLength;
    bool invNwDst = false;
    bool matchNwDstRewritten = false;
    std::optional<PortRange> tpSrc;
    bool invTpSrc = false;
    std::optional<PortRange> tpDst;
    bool invTpDst = false;
    std::optional<FragmentPolicy> fragmentPolicy;
    std::optional<util::IPv4Address> icmpDataSrcIpAddress;
    std::optional<int32_t> icmpDataSrcIpLength;
    bool invIcmpDataSrcIp = false;
    std::optional<util::IPv4Address> icmpDataDstIpAddress;
    std::optional<int32_t> icmpDataDstIpLength;
    bool invIcmpDataDstIp = false;
    // Only in a trace request's nested condition, always null (MidoNet emits "uri":null there).
    std::optional<std::string> uri;

    bool hasL4Fields() const { return tpSrc.has_value() || tpDst.has_value(); }

    static const Schema<Condition> &schema();
    bool operator==(const Condition &) const = default;
};

struct Rule {
    static constexpr std::string_view kType = "rules";
    static constexpr std::string_view kMediaType = "Rule-v2";

    util::Uuid id;
    std::optional<util::Uuid> chainId; // RO: from the path
    RuleType type = RuleType::Accept;
    // Input: where to insert (null/0 = 1, the head). Output: the 1-based index. Never stored.
    std::optional<int32_t> position;
    std::optional<std::string> meterName;
    Condition condition; // flattened into the rule's JSON

    // jump
    std::optional<util::Uuid> jumpChainId;
    std::optional<std::string> jumpChainName;
    // dnat, snat, rev_dnat, rev_snat, l2_transform
    std::optional<FlowAction> flowAction;
    std::vector<NatTarget> natTargets;
    // l2_transform
    bool popVlan = false;
    std::optional<int32_t> pushVlan;
    std::optional<util::Uuid> targetPortId;
    bool ingress = false;
    bool failOpen = false;
    // trace
    std::optional<util::Uuid> requestId;
    std::optional<int64_t> limit;

    bool isForwardNat() const { return type == RuleType::Dnat || type == RuleType::Snat; }
    // A single address, port-less NAT target without L4 conditions: a floating IP, which works
    // on any fragment (MidoNet lets its fragmentPolicy default to `any`).
    bool isFloatingIpNat() const;

    static const Schema<Rule> &schema();
    bool operator==(const Rule &) const = default;
};

} // namespace midonet::model
