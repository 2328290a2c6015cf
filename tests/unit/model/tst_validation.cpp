// Validation: every rule a user can break gives exactly one violation naming the property and
// the rule, as MidoNet's 400 body carries it.
#include "common/model/codec.h"

#include "common/model/model.h"

#include <QtTest>

using namespace midonet::model;
using nlohmann::json;

class TstModelValidation : public QObject
{
    Q_OBJECT
private slots:
    void violation_data()
    {
        QTest::addColumn<QString>("type");     // schema name
        QTest::addColumn<QString>("document"); // API input
        QTest::addColumn<QString>("property"); // expected property; empty row = valid
        QTest::addColumn<QString>("message");  // expected message fragment

        const QString longName = QString(R"({"name":"%1"})").arg(QString(256, 'x'));
        const QString maxName = QString(R"({"name":"%1"})").arg(QString(255, QChar(0x65e5)));
        // generic field kinds
        QTest::newRow("valid-empty-bridge") << "Bridge" << "{}" << "" << "";
        QTest::newRow("unknown-fields-ignored")
            << "Bridge" << R"({"uri":"http://x/bridges/1","foo":{"bar":[1,2]},"ports":"x"})" << ""
            << "";
        QTest::newRow("read-only-ignored-on-input")
            << "Bridge" << R"({"vxLanPortIds":"garbage"})" << "" << "";
        QTest::newRow("name-too-long") << "Bridge" << longName << "name"
                                       << "size must be between 0 and 255";
        QTest::newRow("name-255-multibyte-chars-ok") << "Bridge" << maxName << "" << "";
        QTest::newRow("bool-as-string") << "Bridge" << R"({"adminStateUp":"yes"})"
                                        << "adminStateUp" << "must be a boolean";
        QTest::newRow("string-as-number") << "Bridge" << R"({"name":12})" << "name"
                                          << "must be a string";
        QTest::newRow("bad-uuid") << "Bridge" << R"({"inboundFilterId":"not-a-uuid"})"
                                  << "inboundFilterId" << "'not-a-uuid' is not a valid UUID";
        QTest::newRow("uuid-as-number") << "Bridge" << R"({"inboundFilterId":5})"
                                        << "inboundFilterId" << "'5' is not a valid UUID";
        QTest::newRow("list-not-array") << "Bridge" << R"({"inboundMirrorIds":"x"})"
                                        << "inboundMirrorIds" << "must be an array";
        QTest::newRow("list-null-item") << "Bridge" << R"({"inboundMirrorIds":[null]})"
                                        << "inboundMirrorIds[0]" << "may not be null";
        QTest::newRow("list-bad-item")
            << "Bridge"
            << R"({"outboundMirrorIds":["11111111-1111-4111-8111-111111111111","x"]})"
            << "outboundMirrorIds[1]" << "'x' is not a valid UUID";
        QTest::newRow("int-as-float") << "Rule" << R"({"type":"drop","nwProto":6.5})"
                                      << "nwProto" << "must be an integer";
        QTest::newRow("int-as-string") << "Rule" << R"({"type":"drop","nwProto":"6"})"
                                       << "nwProto" << "must be an integer";
        QTest::newRow("int-beyond-int64") << "Rule"
                                          << R"({"type":"drop","nwProto":18446744073709551615})"
                                          << "nwProto" << "must be between 0 and 255";
        QTest::newRow("object-as-root") << "Bridge" << "[]" << "" << "must be a JSON object";
        // tunnel zones
        QTest::newRow("tz-missing-name") << "TunnelZone" << R"({"type":"gre"})" << "name"
                                         << "may not be null";
        QTest::newRow("tz-empty-name") << "TunnelZone" << R"({"name":"","type":"gre"})"
                                       << "name" << "size must be between 1 and 255";
        QTest::newRow("tz-unknown-type") << "TunnelZone" << R"({"name":"z","type":"ipsec"})"
                                         << "type" << "'ipsec' is not one of: gre, vxlan, vtep";
        QTest::newRow("tz-type-case-sensitive") << "TunnelZone" << R"({"name":"z","type":"GRE"})"
                                                << "type" << "is not one of: gre, vxlan, vtep";
        QTest::newRow("tz-member-bad-ip")
            << "TunnelZoneHost"
            << R"({"hostId":"11111111-1111-4111-8111-111111111111","ipAddress":"10.0.0.256"})"
            << "ipAddress" << "'10.0.0.256' is an invalid IP format";
        QTest::newRow("tz-member-missing-host") << "TunnelZoneHost" << R"({"ipAddress":"10.0.0.1"})"
                                                << "hostId" << "may not be null";
        // hosts and bindings
        QTest::newRow("host-flooding-weight-too-big") << "Host" << R"({"floodingProxyWeight":70000})"
                                                      << "floodingProxyWeight"
                                                      << "must be between 0 and 65535";
        QTest::newRow("host-container-limit-below-minus-one")
            << "Host" << R"({"containerLimit":-2})" << "containerLimit"
            << "must be between -1 and 2147483647";
        QTest::newRow("binding-missing-interface")
            << "HostInterfacePort" << R"({"portId":"11111111-1111-4111-8111-111111111111"})"
            << "interfaceName" << "may not be null";
        // ports
        QTest::newRow("port-missing-type") << "Port" << "{}" << "type" << "may not be null";
        QTest::newRow("port-unknown-type") << "Port" << R"({"type":"Tunnel"})" << "type"
                                           << "'Tunnel' is not one of: Bridge, Router, Vxlan";
        QTest::newRow("port-legacy-type-accepted")
            << "Port" << R"({"type":"InteriorRouter","portAddress":"10.0.0.1","networkLength":24})"
            << "" << "";
        QTest::newRow("bridge-port-vlan-too-big") << "Port" << R"({"type":"Bridge","vlanId":4096})"
                                                  << "vlanId" << "must be between 0 and 4095";
        QTest::newRow("router-port-without-address") << "Port" << R"({"type":"Router"})"
                                                     << "portAddress"
                                                     << "needs portAddress or portSubnet";
        QTest::newRow("router-port-cidr-length-33")
            << "Port" << R"({"type":"Router","portSubnet":["10.0.0.1/33"]})" << "portSubnet[0]"
            << "is an invalid CIDR format";
        QTest::newRow("router-port-cidr-without-length")
            << "Port" << R"({"type":"Router","portSubnet":["10.0.0.1"]})" << "portSubnet[0]"
            << "'10.0.0.1' is an invalid CIDR format";
        QTest::newRow("router-port-bad-mac")
            << "Port" << R"({"type":"Router","portAddress":"10.0.0.1","portMac":"zz:00"})"
            << "portMac" << "'zz:00' is an invalid MAC format";
        QTest::newRow("router-port-vni-too-big")
            << "Port" << R"({"type":"Router","portAddress":"10.0.0.1","rtrPortVni":16777216})"
            << "rtrPortVni" << "must be between 0 and 16777215";
        QTest::newRow("router-port-network-length-33")
            << "Port" << R"({"type":"Router","portAddress":"10.0.0.1","networkLength":33})"
            << "networkLength" << "must be between 0 and 32";
        // routes
        QTest::newRow("route-missing-src")
            << "Route" << R"({"type":"BlackHole","dstNetworkAddr":"10.0.0.0"})"
            << "srcNetworkAddr" << "may not be null";
        QTest::newRow("route-dst-length-33")
            << "Route"
            << R"({"type":"BlackHole","srcNetworkAddr":"0.0.0.0","dstNetworkAddr":"10.0.0.0","dstNetworkLength":33})"
            << "dstNetworkLength" << "must be between 0 and 32";
        QTest::newRow("route-normal-without-next-hop")
            << "Route" << R"({"type":"Normal","srcNetworkAddr":"0.0.0.0","dstNetworkAddr":"10.0.0.0"})"
            << "nextHopPort" << "may not be null for a Normal route";
        QTest::newRow("route-negative-weight")
            << "Route"
            << R"({"type":"Reject","srcNetworkAddr":"0.0.0.0","dstNetworkAddr":"10.0.0.0","weight":-1})"
            << "weight" << "must be between 0 and 2147483647";
        QTest::newRow("route-unknown-type")
            << "Route" << R"({"type":"normal","srcNetworkAddr":"0.0.0.0","dstNetworkAddr":"1.0.0.0"})"
            << "type" << "is not one of: Normal, BlackHole, Reject, Local, Fip64";
        QTest::newRow("route-bad-gateway")
            << "Route"
            << R"({"type":"Reject","srcNetworkAddr":"0.0.0.0","dstNetworkAddr":"10.0.0.0","nextHopGateway":"gw"})"
            << "nextHopGateway" << "'gw' is an invalid IP format";
        // rules: types and their requirements
        QTest::newRow("rule-missing-type") << "Rule" << "{}" << "type" << "may not be null";
        QTest::newRow("rule-continue-is-not-a-type")
            << "Rule" << R"({"type":"continue"})" << "type"
            << "'continue' is not one of: accept, drop, reject, return, jump, dnat, snat, "
               "rev_dnat, rev_snat, l2_transform, trace";
        QTest::newRow("rule-jump-without-chain") << "Rule" << R"({"type":"jump"})"
                                                 << "jumpChainId"
                                                 << "may not be null for a jump rule";
        QTest::newRow("rule-dnat-without-action")
            << "Rule" << R"({"type":"dnat","natTargets":[{"addressFrom":"1.1.1.1","addressTo":"1.1.1.1"}]})"
            << "flowAction" << "may not be null for a dnat rule";
        QTest::newRow("rule-snat-without-targets") << "Rule"
                                                   << R"({"type":"snat","flowAction":"accept"})"
                                                   << "natTargets"
                                                   << "must have at least one target for a snat rule";
        QTest::newRow("rule-dnat-redirect-action")
            << "Rule"
            << R"({"type":"dnat","flowAction":"redirect","natTargets":[{"addressFrom":"1.1.1.1","addressTo":"1.1.1.1"}]})"
            << "flowAction" << "'redirect' is not allowed for a dnat rule";
        QTest::newRow("rule-rev-snat-without-action") << "Rule" << R"({"type":"rev_snat"})"
                                                      << "flowAction"
                                                      << "may not be null for a rev_snat rule";
        QTest::newRow("rule-unknown-flow-action")
            << "Rule" << R"({"type":"rev_dnat","flowAction":"drop"})" << "flowAction"
            << "'drop' is not one of: accept, continue, return, redirect";
        QTest::newRow("rule-nat-target-missing-address")
            << "Rule" << R"({"type":"dnat","flowAction":"accept","natTargets":[{"addressFrom":"1.1.1.1"}]})"
            << "natTargets[0].addressTo" << "may not be null";
        QTest::newRow("rule-nat-target-port-too-big")
            << "Rule"
            << R"({"type":"snat","flowAction":"accept","natTargets":[{"addressFrom":"1.1.1.1","addressTo":"1.1.1.1","portFrom":1,"portTo":70000}]})"
            << "natTargets[0].portTo" << "must be between 0 and 65535";
        QTest::newRow("rule-nat-target-addresses-reversed")
            << "Rule"
            << R"({"type":"snat","flowAction":"accept","natTargets":[{"addressFrom":"1.1.1.9","addressTo":"1.1.1.1"}]})"
            << "natTargets[0].addressTo" << "must not be lower than addressFrom";
        QTest::newRow("rule-l2-redirect-without-port")
            << "Rule" << R"({"type":"l2_transform","flowAction":"redirect"})" << "targetPortId"
            << "may not be null when flowAction is redirect";
        QTest::newRow("rule-l2-continue-action")
            << "Rule" << R"({"type":"l2_transform","flowAction":"continue"})" << "flowAction"
            << "'continue' is not allowed for a l2_transform rule";
        QTest::newRow("rule-l2-push-vlan-too-big")
            << "Rule" << R"({"type":"l2_transform","pushVlan":65536})" << "pushVlan"
            << "must be between 0 and 65535";
        QTest::newRow("rule-trace-without-request") << "Rule" << R"({"type":"trace"})"
                                                    << "requestId"
                                                    << "may not be null for a trace rule";
        QTest::newRow("rule-position-negative") << "Rule" << R"({"type":"drop","position":-1})"
                                                << "position"
                                                << "must be between 0 and 2147483647";
        // rules: conditions
        QTest::newRow("rule-tp-src-zero") << "Rule"
                                          << R"({"type":"drop","tpSrc":{"start":0,"end":10}})"
                                          << "tpSrc.start" << "must be between 1 and 65535";
        QTest::newRow("rule-tp-dst-too-big")
            << "Rule" << R"({"type":"drop","tpDst":{"start":1,"end":65536}})" << "tpDst.end"
            << "must be between 1 and 65535";
        QTest::newRow("rule-tp-dst-reversed")
            << "Rule" << R"({"type":"drop","tpDst":{"start":90,"end":80}})" << "tpDst.end"
            << "must not be less than start";
        QTest::newRow("rule-tp-not-object") << "Rule" << R"({"type":"drop","tpSrc":80})"
                                            << "tpSrc" << "must be a JSON object";
        QTest::newRow("rule-tp-missing-end") << "Rule" << R"({"type":"drop","tpSrc":{"start":80}})"
                                             << "tpSrc.end" << "may not be null";
        QTest::newRow("rule-nw-src-length-33")
            << "Rule" << R"({"type":"drop","nwSrcAddress":"10.0.0.0","nwSrcLength":33})"
            << "nwSrcLength" << "must be between 0 and 32";
        QTest::newRow("rule-nw-dst-bad-ip") << "Rule"
                                            << R"({"type":"drop","nwDstAddress":"10.0.0"})"
                                            << "nwDstAddress" << "'10.0.0' is an invalid IP format";
        QTest::newRow("rule-length-without-address") << "Rule"
                                                     << R"({"type":"drop","nwDstLength":24})"
                                                     << "nwDstLength" << "needs nwDstAddress";
        QTest::newRow("rule-dl-type-below-ethertypes") << "Rule" << R"({"type":"drop","dlType":100})"
                                                       << "dlType"
                                                       << "must be between 1536 and 65535";
        QTest::newRow("rule-dl-src-bad-mac") << "Rule"
                                             << R"({"type":"drop","dlSrc":"00-11-22-33-44-55"})"
                                             << "dlSrc" << "is an invalid MAC format";
        QTest::newRow("rule-mask-without-mac")
            << "Rule" << R"({"type":"drop","dlDstMask":"ff:ff:ff:ff:ff:ff"})" << "dlDstMask"
            << "needs dlDst";
        QTest::newRow("rule-vlan-too-big") << "Rule" << R"({"type":"drop","vlan":4096})" << "vlan"
                                           << "must be between 0 and 4095";
        QTest::newRow("rule-forward-and-return")
            << "Rule" << R"({"type":"drop","matchForwardFlow":true,"matchReturnFlow":true})"
            << "matchReturnFlow" << "cannot be set together with matchForwardFlow";
        QTest::newRow("rule-frag-unknown") << "Rule"
                                           << R"({"type":"drop","fragmentPolicy":"first"})"
                                           << "fragmentPolicy"
                                           << "is not one of: any, nonheader, header, unfragmented";
        QTest::newRow("rule-frag-any-with-ports")
            << "Rule" << R"({"type":"drop","fragmentPolicy":"any","tpDst":{"start":80,"end":80}})"
            << "fragmentPolicy" << "must be header or unfragmented when tpSrc or tpDst is set";
        QTest::newRow("rule-frag-nonheader-with-ports")
            << "Rule"
            << R"({"type":"drop","fragmentPolicy":"nonheader","tpSrc":{"start":80,"end":80}})"
            << "fragmentPolicy" << "must be header or unfragmented";
        QTest::newRow("rule-frag-dynamic-snat-header")
            << "Rule"
            << R"({"type":"snat","flowAction":"accept","fragmentPolicy":"header","natTargets":[{"addressFrom":"1.1.1.1","addressTo":"1.1.1.1","portFrom":1024,"portTo":65535}]})"
            << "fragmentPolicy" << "must be unfragmented for a dnat/snat rule";
        QTest::newRow("rule-frag-floating-ip-any-ok")
            << "Rule"
            << R"({"type":"dnat","flowAction":"accept","fragmentPolicy":"any","natTargets":[{"addressFrom":"1.1.1.1","addressTo":"1.1.1.1"}]})"
            << "" << "";
        // ip address groups
        QTest::newRow("ipg-missing-name") << "IpAddrGroup" << "{}" << "name" << "may not be null";
        QTest::newRow("ipg-addr-v4-given-v6") << "IpAddrGroupAddr"
                                              << R"({"addr":"::1","version":4})" << "addr"
                                              << "'::1' is an invalid IPv4 address";
        QTest::newRow("ipg-addr-version-5") << "IpAddrGroupAddr"
                                            << R"({"addr":"1.2.3.4","version":5})" << "version"
                                            << "must be 4 or 6";
        // BGP
        QTest::newRow("bgp-peer-as-zero") << "BgpPeer" << R"({"asNumber":0,"address":"1.1.1.1"})"
                                          << "asNumber" << "must be between 1 and 4294967295";
        QTest::newRow("bgp-peer-keepalive-too-small")
            << "BgpPeer" << R"({"asNumber":65000,"address":"1.1.1.1","keepAlive":4})"
            << "keepAlive" << "must be between 5 and 3600";
        QTest::newRow("bgp-peer-hold-time-too-big")
            << "BgpPeer" << R"({"asNumber":65000,"address":"1.1.1.1","holdTime":7201})"
            << "holdTime" << "must be between 5 and 7200";
        QTest::newRow("bgp-peer-missing-address") << "BgpPeer" << R"({"asNumber":65000})"
                                                  << "address" << "may not be null";
        QTest::newRow("bgp-network-length-33")
            << "BgpNetwork" << R"({"subnetAddress":"10.0.0.0","subnetLength":33})"
            << "subnetLength" << "must be between 0 and 32";
        // load balancing
        QTest::newRow("pool-unknown-method")
            << "Pool"
            << R"({"loadBalancerId":"11111111-1111-4111-8111-111111111111","lbMethod":"LEAST_CONN"})"
            << "lbMethod" << "'LEAST_CONN' is not one of: ROUND_ROBIN";
        QTest::newRow("pool-missing-lb") << "Pool" << R"({"lbMethod":"ROUND_ROBIN"})"
                                         << "loadBalancerId" << "may not be null";
        QTest::newRow("member-weight-zero")
            << "PoolMember"
            << R"({"poolId":"11111111-1111-4111-8111-111111111111","address":"10.0.0.1","weight":0})"
            << "weight" << "must be between 1 and 2147483647";
        QTest::newRow("member-port-too-big")
            << "PoolMember"
            << R"({"poolId":"11111111-1111-4111-8111-111111111111","address":"10.0.0.1","protocolPort":65536})"
            << "protocolPort" << "must be between 0 and 65535";
        QTest::newRow("vip-unknown-persistence")
            << "VIP"
            << R"({"poolId":"11111111-1111-4111-8111-111111111111","address":"10.0.0.1","sessionPersistence":"HTTP_COOKIE"})"
            << "sessionPersistence" << "is not one of: SOURCE_IP";
        QTest::newRow("hm-missing-type") << "HealthMonitor" << R"({"delay":5})" << "type"
                                         << "may not be null";
        QTest::newRow("hm-negative-delay") << "HealthMonitor" << R"({"type":"TCP","delay":-5})"
                                           << "delay" << "must be between 0 and 2147483647";
        // traces
        QTest::newRow("trace-missing-condition")
            << "TraceRequest"
            << R"({"name":"t","deviceType":"PORT","deviceId":"11111111-1111-4111-8111-111111111111"})"
            << "condition" << "may not be null";
        QTest::newRow("trace-nested-condition-error")
            << "TraceRequest"
            << R"({"name":"t","deviceType":"PORT","deviceId":"11111111-1111-4111-8111-111111111111","condition":{"nwDstAddress":"1.0.0.0","nwDstLength":40}})"
            << "condition.nwDstLength" << "must be between 0 and 32";
        QTest::newRow("trace-unknown-device-type")
            << "TraceRequest"
            << R"({"name":"t","deviceType":"HOST","deviceId":"11111111-1111-4111-8111-111111111111","condition":{}})"
            << "deviceType" << "'HOST' is not one of: BRIDGE, PORT, ROUTER";
        QTest::newRow("trace-negative-limit")
            << "TraceRequest"
            << R"({"name":"t","deviceType":"PORT","deviceId":"11111111-1111-4111-8111-111111111111","condition":{},"limit":-1})"
            << "limit" << "must be between 0 and 9223372036854775807";
        // state tables
        QTest::newRow("mac-entry-vlan-too-big")
            << "MacPort"
            << R"({"macAddr":"02:00:00:00:00:01","portId":"11111111-1111-4111-8111-111111111111","vlanId":5000})"
            << "vlanId" << "must be between 0 and 4095";
        QTest::newRow("arp-entry-missing-mac") << "IP4Mac" << R"({"ip":"10.0.0.1"})" << "mac"
                                               << "may not be null";
    }
    void violation()
    {
        QFETCH(QString, type);
        QFETCH(QString, document);
        QFETCH(QString, property);
        QFETCH(QString, message);
        const TypeInfo *t = findTypeBySchemaName(type.toStdString());
        QVERIFY2(t, "unknown schema name");
        json doc = json::parse(document.toStdString());
        Violations v = t->validate(doc, DecodeOptions::apiInput());
        QString got;
        for (const auto &x : v)
            got += QString::fromStdString(x.property + ": " + x.message) + "\n";
        if (message.isEmpty()) {
            QVERIFY2(v.empty(), qPrintable(got));
            return;
        }
        QVERIFY2(v.size() == 1, qPrintable("expected one violation, got:\n" + got));
        QCOMPARE(QString::fromStdString(v[0].property), property);
        QVERIFY2(QString::fromStdString(v[0].message).contains(message), qPrintable(got));
    }

    void allViolationsReported()
    {
        json doc = {{"name", std::string(300, 'n')},
                    {"adminStateUp", 1},
                    {"inboundFilterId", "x"},
                    {"outboundMirrorIds", {1}}};
        try {
            decode<Bridge>(doc, DecodeOptions::apiInput());
            QFAIL("decode accepted four bad fields");
        } catch (const ValidationError &e) {
            QCOMPARE(e.httpCode(), 400);
            QCOMPARE(e.violations().size(), size_t(4));
            json body = e.toJson();
            QCOMPARE(body["message"], json("Validation error(s) found"));
            QCOMPARE(body["code"], json(400));
            QCOMPARE(body["violations"][0]["property"], json("name"));
            QCOMPARE(body["violations"][3]["property"], json("outboundMirrorIds[0]"));
        }
    }

    void crossFieldRulesWaitForCleanFields()
    {
        // A bad jumpChainId is reported as such, not also as "jump needs jumpChainId".
        Violations v = findType("rules")->validate(json{{"type", "jump"}, {"jumpChainId", "x"}},
                                                   DecodeOptions::apiInput());
        QCOMPARE(v.size(), size_t(1));
        QCOMPARE(QString::fromStdString(v[0].property), QString("jumpChainId"));
    }

    void fragmentPolicyDefaults_data()
    {
        QTest::addColumn<QString>("document");
        QTest::addColumn<QString>("policy");
        QTest::newRow("plain-rule-any") << R"({"type":"drop"})" << "any";
        QTest::newRow("port-range-header")
            << R"({"type":"accept","tpDst":{"start":22,"end":22}})" << "header";
        QTest::newRow("floating-ip-any")
            << R"({"type":"dnat","flowAction":"accept","natTargets":[{"addressFrom":"1.1.1.1","addressTo":"1.1.1.1"}]})"
            << "any";
        QTest::newRow("address-range-unfragmented")
            << R"({"type":"dnat","flowAction":"accept","natTargets":[{"addressFrom":"1.1.1.1","addressTo":"1.1.1.2"}]})"
            << "unfragmented";
        QTest::newRow("snat-with-ports-unfragmented")
            << R"({"type":"snat","flowAction":"accept","natTargets":[{"addressFrom":"1.1.1.1","addressTo":"1.1.1.1","portFrom":1024,"portTo":2048}]})"
            << "unfragmented";
        QTest::newRow("floating-ip-with-l4-unfragmented")
            << R"({"type":"dnat","flowAction":"accept","tpDst":{"start":80,"end":80},"natTargets":[{"addressFrom":"1.1.1.1","addressTo":"1.1.1.1"}]})"
            << "unfragmented";
        QTest::newRow("explicit-unfragmented-kept")
            << R"({"type":"drop","fragmentPolicy":"unfragmented"})" << "unfragmented";
    }
    void fragmentPolicyDefaults()
    {
        QFETCH(QString, document);
        QFETCH(QString, policy);
        auto rule = decodeText<Rule>(document.toStdString(), DecodeOptions::apiInput());
        QCOMPARE(encode(rule)["fragmentPolicy"], json(policy.toStdString()));
    }

    void routerPortDerivesAddresses()
    {
        auto p = decodeText<Port>(R"({"type":"Router","portAddress":"10.1.2.3","networkLength":16})",
                                  DecodeOptions::apiInput());
        json j = encode(p);
        QCOMPARE(j["portSubnet"], json::array({"10.1.2.3/16"}));
        QCOMPARE(j["networkAddress"], json("10.1.0.0"));
        QCOMPARE(j["networkLength"], json(16));
        auto q = decodeText<Port>(R"({"type":"Router","portSubnet":["192.168.5.9/24","10.0.0.1/8"]})",
                                  DecodeOptions::apiInput());
        QCOMPARE(encode(q)["portAddress"], json("192.168.5.9"));
        QCOMPARE(encode(q)["networkAddress"], json("192.168.5.0"));
    }

    void readOnlyFieldsDroppedOrKept()
    {
        json doc = {{"type", "Bridge"},
                    {"hostId", "11111111-1111-4111-8111-111111111111"},
                    {"interfaceName", "tap0"},
                    {"tunnelKey", 5}};
        auto input = decode<Port>(doc, DecodeOptions::apiInput());
        QVERIFY(!input.hostId && !input.interfaceName && !input.tunnelKey);
        auto document = decode<Port>(doc, DecodeOptions::apiDocument());
        QVERIFY(document.hostId && document.interfaceName == "tap0" && document.tunnelKey == 5);
        // PUT: what the server owns comes from the stored object.
        copyServerOwned(document, input);
        QCOMPARE(input.hostId, document.hostId);
        QCOMPARE(input.tunnelKey, document.tunnelKey);
    }

    void storeOnlyFieldsNeverInApi()
    {
        Chain c;
        c.id = midonet::util::Uuid::random();
        c.ruleIds = {midonet::util::Uuid::random()};
        QVERIFY(!encode(c).contains("ruleIds"));
        QVERIFY(encode(c, View::Store).contains("ruleIds"));
        // and a client cannot write them
        json in = encode(c, View::Store);
        QVERIFY(decode<Chain>(in, DecodeOptions::apiInput()).ruleIds.empty());
        QCOMPARE(decode<Chain>(in, DecodeOptions::store()).ruleIds, c.ruleIds);
    }
};

QTEST_GUILESS_MAIN(TstModelValidation)
#include "tst_validation.moc"
