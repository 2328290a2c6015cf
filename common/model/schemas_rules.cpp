// Schemas of rules, their conditions and trace requests, with the rule-type requirements and
// MidoNet's fragment-policy defaults.
#include "common/model/detail/schema_builder.h"
#include "common/model/rule.h"
#include "common/model/trace_request.h"

namespace midonet::model {

using detail::SchemaBuilder;

const Schema<PortRange> &PortRange::schema()
{
    static const Schema<PortRange> s = [] {
        SchemaBuilder<PortRange> b("Range");
        b.field("start", &PortRange::start).required().range(1, 65535);
        b.field("end", &PortRange::end).required().range(1, 65535);
        b.finish([](PortRange &r, const std::string &p, Violations &v) {
            if (r.start > r.end) v.push_back({p + "end", "must not be less than start"});
        });
        return b.build();
    }();
    return s;
}

const Schema<NatTarget> &NatTarget::schema()
{
    static const Schema<NatTarget> s = [] {
        SchemaBuilder<NatTarget> b("NatTarget");
        b.field("addressFrom", &NatTarget::addressFrom).required();
        b.field("addressTo", &NatTarget::addressTo).required();
        b.field("portFrom", &NatTarget::portFrom).range(0, 65535);
        b.field("portTo", &NatTarget::portTo).range(0, 65535);
        b.finish([](NatTarget &t, const std::string &p, Violations &v) {
            if (t.addressFrom > t.addressTo)
                v.push_back({p + "addressTo", "must not be lower than addressFrom"});
            if (t.portFrom > t.portTo) v.push_back({p + "portTo", "must not be lower than portFrom"});
            else if (t.portFrom == 0 && t.portTo != 0)
                v.push_back({p + "portFrom", "must be between 1 and 65535 when portTo is set"});
        });
        return b.build();
    }();
    return s;
}

namespace {

void checkCondition(Condition &c, const std::string &p, Violations &v)
{
    if (c.matchForwardFlow && c.matchReturnFlow)
        v.push_back({p + "matchReturnFlow", "cannot be set together with matchForwardFlow"});
    if (c.noVlan && c.vlan && *c.vlan != 0)
        v.push_back({p + "vlan", "cannot be set together with noVlan"});
    auto lengthNeedsAddress = [&](const std::optional<int32_t> &len,
                                  const std::optional<util::IPv4Address> &addr,
                                  const char *lenName, const char *addrName) {
        if (len && !addr)
            v.push_back({p + lenName, std::string("needs ") + addrName});
    };
    lengthNeedsAddress(c.nwSrcLength, c.nwSrcAddress, "nwSrcLength", "nwSrcAddress");
    lengthNeedsAddress(c.nwDstLength, c.nwDstAddress, "nwDstLength", "nwDstAddress");
    lengthNeedsAddress(c.icmpDataSrcIpLength, c.icmpDataSrcIpAddress, "icmpDataSrcIpLength",
                       "icmpDataSrcIpAddress");
    lengthNeedsAddress(c.icmpDataDstIpLength, c.icmpDataDstIpAddress, "icmpDataDstIpLength",
                       "icmpDataDstIpAddress");
    if (c.dlSrcMask && !c.dlSrc) v.push_back({p + "dlSrcMask", "needs dlSrc"});
    if (c.dlDstMask && !c.dlDst) v.push_back({p + "dlDstMask", "needs dlDst"});
}

// MidoNet: `header` when a port range is set, else `any`; `any`/`nonheader` cannot look at L4.
void defaultFragmentPolicy(Condition &c, const std::string &p, Violations &v)
{
    if (!c.fragmentPolicy) {
        c.fragmentPolicy = c.hasL4Fields() ? FragmentPolicy::Header : FragmentPolicy::Any;
        return;
    }
    if (c.hasL4Fields() &&
        (*c.fragmentPolicy == FragmentPolicy::Any || *c.fragmentPolicy == FragmentPolicy::Nonheader))
        v.push_back({p + "fragmentPolicy",
                     "must be header or unfragmented when tpSrc or tpDst is set"});
}

void requireAction(const Rule &r, std::initializer_list<FlowAction> allowed, Violations &v)
{
    std::string names;
    for (auto a : allowed) names += (names.empty() ? "" : ", ") + std::string(enumName(a));
    std::string type(enumName(r.type));
    if (!r.flowAction) {
        v.push_back({"flowAction", "may not be null for a " + type + " rule (one of: " + names + ")"});
        return;
    }
    for (auto a : allowed)
        if (*r.flowAction == a) return;
    v.push_back({"flowAction", "'" + std::string(enumName(*r.flowAction)) +
                                   "' is not allowed for a " + type + " rule (one of: " + names +
                                   ")"});
}

void finishRule(Rule &r, const std::string &, Violations &v)
{
    checkCondition(r.condition, "", v);
    switch (r.type) {
    case RuleType::Jump:
        if (!r.jumpChainId) v.push_back({"jumpChainId", "may not be null for a jump rule"});
        break;
    case RuleType::Dnat:
    case RuleType::Snat:
        requireAction(r, {FlowAction::Accept, FlowAction::Continue, FlowAction::Return}, v);
        if (r.natTargets.empty())
            v.push_back({"natTargets", "must have at least one target for a " +
                                           std::string(enumName(r.type)) + " rule"});
        break;
    case RuleType::RevDnat:
    case RuleType::RevSnat:
        requireAction(r, {FlowAction::Accept, FlowAction::Continue, FlowAction::Return}, v);
        break;
    case RuleType::L2Transform:
        if (r.flowAction) requireAction(r, {FlowAction::Accept, FlowAction::Redirect}, v);
        if (r.flowAction == FlowAction::Redirect && !r.targetPortId)
            v.push_back({"targetPortId", "may not be null when flowAction is redirect"});
        break;
    case RuleType::Trace:
        if (!r.requestId) v.push_back({"requestId", "may not be null for a trace rule"});
        break;
    default:
        break;
    }
    if (r.isForwardNat() && !r.isFloatingIpNat()) {
        // Dynamic NAT rewrites ports, which later fragments do not carry.
        if (!r.condition.fragmentPolicy) r.condition.fragmentPolicy = FragmentPolicy::Unfragmented;
        else if (*r.condition.fragmentPolicy != FragmentPolicy::Unfragmented)
            v.push_back({"fragmentPolicy",
                         "must be unfragmented for a dnat/snat rule other than a single-address, "
                         "port-less target without tpSrc/tpDst"});
        return;
    }
    defaultFragmentPolicy(r.condition, "", v);
}

} // namespace

bool Rule::isFloatingIpNat() const
{
    return natTargets.size() == 1 && natTargets[0].addressFrom == natTargets[0].addressTo &&
           natTargets[0].portFrom == 0 && natTargets[0].portTo == 0 && !condition.hasL4Fields();
}

const Schema<Condition> &Condition::schema()
{
    static const Schema<Condition> s = [] {
        SchemaBuilder<Condition> b("Condition");
        using C = Condition;
        b.field("condInvert", &C::condInvert);
        b.field("matchForwardFlow", &C::matchForwardFlow);
        b.field("matchReturnFlow", &C::matchReturnFlow);
        b.field("inPorts", &C::inPorts).refersTo("ports").maxItems(1024);
        b.field("invInPorts", &C::invInPorts);
        b.field("outPorts", &C::outPorts).refersTo("ports").maxItems(1024);
        b.field("invOutPorts", &C::invOutPorts);
        b.field("portGroup", &C::portGroup).refersTo("port_groups");
        b.field("invPortGroup", &C::invPortGroup);
        b.field("inPortGroup", &C::inPortGroup).refersTo("port_groups");
        b.field("invInPortGroup", &C::invInPortGroup);
        b.field("outPortGroup", &C::outPortGroup).refersTo("port_groups");
        b.field("invOutPortGroup", &C::invOutPortGroup);
        b.field("ipAddrGroupSrc", &C::ipAddrGroupSrc).refersTo("ip_addr_groups");
        b.field("invIpAddrGroupSrc", &C::invIpAddrGroupSrc);
        b.field("ipAddrGroupDst", &C::ipAddrGroupDst).refersTo("ip_addr_groups");
        b.field("invIpAddrGroupDst", &C::invIpAddrGroupDst);
        b.field("traversedDevice", &C::traversedDevice);
        b.field("invTraversedDevice", &C::invTraversedDevice);
        b.field("noVlan", &C::noVlan);
        b.field("vlan", &C::vlan).range(0, 4095);
        b.field("dlType", &C::dlType).range(0x0600, 0xFFFF);
        b.field("invDlType", &C::invDlType);
        b.field("dlSrc", &C::dlSrc);
        b.field("dlSrcMask", &C::dlSrcMask);
        b.field("invDlSrc", &C::invDlSrc);
        b.field("dlDst", &C::dlDst);
        b.field("dlDstMask", &C::dlDstMask);
        b.field("invDlDst", &C::invDlDst);
        b.field("nwTos", &C::nwTos).range(0, 255);
        b.field("invNwTos", &C::invNwTos);
        b.field("nwProto", &C::nwProto).range(0, 255);
        b.field("invNwProto", &C::invNwProto);
        b.field("nwSrcAddress", &C::nwSrcAddress);
        b.field("nwSrcLength", &C::nwSrcLength).range(0, 32);
        b.field("invNwSrc", &C::invNwSrc);
        b.field("nwDstAddress", &C::nwDstAddress);
        b.field("nwDstLength", &C::nwDstLength).range(0, 32);
        b.field("invNwDst", &C::invNwDst);
        b.field("matchNwDstRewritten", &C::matchNwDstRewritten);
        b.field("tpSrc", &C::tpSrc);
        b.field("invTpSrc", &C::invTpSrc);
        b.field("tpDst", &C::tpDst);
        b.field("invTpDst", &C::invTpDst);
        b.field("fragmentPolicy", &C::fragmentPolicy);
        b.field("icmpDataSrcIpAddress", &C::icmpDataSrcIpAddress);
        b.field("icmpDataSrcIpLength", &C::icmpDataSrcIpLength).range(0, 32);
        b.field("invIcmpDataSrcIp", &C::invIcmpDataSrcIp);
        b.field("icmpDataDstIpAddress", &C::icmpDataDstIpAddress);
        b.field("icmpDataDstIpLength", &C::icmpDataDstIpLength).range(0, 32);
        b.field("invIcmpDataDstIp", &C::invIcmpDataDstIp);
        b.field("uri", &C::uri).readOnly().apiOnly();
        b.finish([](Condition &c, const std::string &p, Violations &v) {
            checkCondition(c, p, v);
            defaultFragmentPolicy(c, p, v);
        });
        return b.build();
    }();
    return s;
}

const Schema<Rule> &Rule::schema()
{
    static const Schema<Rule> s = [] {
        const std::vector<std::string> nat{"dnat", "snat"}, jump{"jump"}, l2{"l2_transform"},
            trace{"trace"}, action{"dnat", "snat", "rev_dnat", "rev_snat", "l2_transform"};
        SchemaBuilder<Rule> b("Rule");
        b.field("id", &Rule::id);
        b.field("chainId", &Rule::chainId).readOnly().refersTo("chains");
        b.field("type", &Rule::type).required();
        b.field("position", &Rule::position).apiOnly().min(0);
        b.field("meterName", &Rule::meterName);
        b.embed(&Rule::condition, {"uri"});
        b.field("jumpChainId", &Rule::jumpChainId).refersTo("chains").variants(jump);
        b.field("jumpChainName", &Rule::jumpChainName).variants(jump);
        b.field("flowAction", &Rule::flowAction).variants(action);
        b.field("natTargets", &Rule::natTargets).maxItems(1024).variants(nat);
        b.field("popVlan", &Rule::popVlan).variants(l2);
        b.field("pushVlan", &Rule::pushVlan).range(0, 65535).variants(l2);
        b.field("targetPortId", &Rule::targetPortId).refersTo("ports").variants(l2);
        b.field("ingress", &Rule::ingress).variants(l2);
        b.field("failOpen", &Rule::failOpen).variants(l2);
        b.field("requestId", &Rule::requestId).refersTo("traces").variants(trace);
        b.field("limit", &Rule::limit).min(0).variants(trace);
        // Every rule emits every key (clients index any of them); unconfirmed whether Java
        // emits per subtype, and extra null keys are harmless.
        b.discriminator("type", [](const Rule &r) { return std::string(enumName(r.type)); }, true);
        b.finish(finishRule);
        return b.build();
    }();
    return s;
}

std::string_view TraceRequest::deviceNsdbType() const
{
    switch (deviceType) {
    case TraceDeviceType::Bridge: return "bridges";
    case TraceDeviceType::Router: return "routers";
    case TraceDeviceType::Port: return "ports";
    }
    return "ports";
}

const Schema<TraceRequest> &TraceRequest::schema()
{
    static const Schema<TraceRequest> s = [] {
        SchemaBuilder<TraceRequest> b("TraceRequest");
        b.field("id", &TraceRequest::id);
        b.field("name", &TraceRequest::name).required().length(1, 255);
        b.field("deviceType", &TraceRequest::deviceType).required();
        b.field("deviceId", &TraceRequest::deviceId).required();
        b.field("condition", &TraceRequest::condition).required();
        b.field("creationTimestampMs", &TraceRequest::creationTimestampMs).min(0);
        b.field("limit", &TraceRequest::limit).min(0);
        b.field("enabled", &TraceRequest::enabled);
        return b.build();
    }();
    return s;
}

} // namespace midonet::model
