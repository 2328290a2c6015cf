// The JSON codec: every type round-trips, emits every declared field, and turns bad input
// (truncated JSON, wrong types, huge strings, deep nesting) into violations naming the field.
#include "common/model/codec.h"

#include "common/model/api_rules.h"
#include "common/model/model.h"
#include "common/model/openapi.h"

#include <QtTest>

#include <limits>
#include <set>

using namespace midonet::model;
using nlohmann::json;

namespace {

// One complete, canonical API document per type: normalize() must give it back unchanged.
const char *sampleFor(std::string_view schemaName)
{
    static const std::map<std::string_view, const char *> samples{
        {"Tenant", R"({"id":"admin","name":"admin","description":"the admin","enabled":true})"},
        {"Host",
         R"({"id":"11111111-1111-4111-8111-111111111111","name":"compute1","addresses":["10.0.0.1"],
             "hostInterfaces":[{"hostId":"11111111-1111-4111-8111-111111111111","name":"eth0",
               "mac":"52:54:00:12:34:56","mtu":1500,"type":"Physical","endpoint":"PHYSICAL",
               "portType":null,"addresses":["10.0.0.1","fe80::1"],"status":3}],
             "alive":true,"floodingProxyWeight":2,"containerWeight":3,"containerLimit":-1,
             "enforceContainerLimit":false})"},
        {"Interface",
         R"({"hostId":null,"name":"tap0","mac":null,"mtu":0,"type":"Virtual","endpoint":"VM",
             "portType":"NetDev","addresses":[],"status":1})"},
        {"HostInterfacePort",
         R"({"hostId":"11111111-1111-4111-8111-111111111111",
             "portId":"22222222-2222-4222-8222-222222222222","interfaceName":"tap0"})"},
        {"TunnelZone", R"({"id":"33333333-3333-4333-8333-333333333333","name":"tz","type":"gre"})"},
        {"TunnelZoneHost",
         R"({"tunnelZoneId":"33333333-3333-4333-8333-333333333333",
             "hostId":"11111111-1111-4111-8111-111111111111","ipAddress":"192.168.0.1"})"},
        {"Bridge",
         R"({"id":"44444444-4444-4444-8444-444444444444","tenantId":"admin","name":"br0",
             "adminStateUp":false,"inboundFilterId":"55555555-5555-4555-8555-555555555555",
             "outboundFilterId":null,"qosPolicyId":null,
             "inboundMirrorIds":["66666666-6666-4666-8666-666666666666"],"outboundMirrorIds":[],
             "vxLanPortIds":[]})"},
        {"Router",
         R"({"id":"77777777-7777-4777-8777-777777777777","tenantId":"t1","name":"r0",
             "adminStateUp":true,"inboundFilterId":null,"outboundFilterId":null,
             "loadBalancerId":null,"asNumber":4200000000,"localRedirectChainId":null,
             "forwardChainId":null,"inboundMirrorIds":[],"outboundMirrorIds":[]})"},
        {"Port",
         R"({"id":"88888888-8888-4888-8888-888888888888","type":"Router","adminStateUp":true,
             "deviceId":"77777777-7777-4777-8777-777777777777","inboundFilterId":null,
             "outboundFilterId":null,"tunnelKey":7,"vifId":null,"hostId":null,
             "interfaceName":null,"peerId":null,"active":false,"inboundMirrorIds":[],
             "outboundMirrorIds":[],"postInFilterMirrorIds":[],"preOutFilterMirrorIds":[],
             "insertionIds":[],"qosPolicyId":null,"portAddress":"10.0.0.1",
             "networkAddress":"10.0.0.0","networkLength":24,
             "portSubnet":["10.0.0.1/24","10.1.0.1/16"],"portMac":"ac:ca:ba:00:00:01",
             "rtrPortVni":null,"offRampVxlan":null,"serviceContainerId":null,"bgpStatus":null})"},
        {"Route",
         R"({"id":"99999999-9999-4999-8999-999999999999",
             "routerId":"77777777-7777-4777-8777-777777777777","type":"Normal",
             "srcNetworkAddr":"0.0.0.0","srcNetworkLength":0,"dstNetworkAddr":"10.2.0.0",
             "dstNetworkLength":16,"nextHopPort":"88888888-8888-4888-8888-888888888888",
             "nextHopGateway":"10.0.0.254","weight":100,"attributes":null,"learned":false})"},
        {"Chain", R"({"id":"55555555-5555-4555-8555-555555555555","tenantId":"t1","name":"in"})"},
        {"Rule",
         R"({"id":"aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa",
             "chainId":"55555555-5555-4555-8555-555555555555","type":"dnat","position":2,
             "meterName":null,"condInvert":false,"matchForwardFlow":true,"matchReturnFlow":false,
             "inPorts":["88888888-8888-4888-8888-888888888888"],"invInPorts":true,"outPorts":[],
             "invOutPorts":false,"portGroup":null,"invPortGroup":false,"inPortGroup":null,
             "invInPortGroup":false,"outPortGroup":null,"invOutPortGroup":false,
             "ipAddrGroupSrc":null,"invIpAddrGroupSrc":false,"ipAddrGroupDst":null,
             "invIpAddrGroupDst":false,"traversedDevice":null,"invTraversedDevice":false,
             "noVlan":false,"vlan":null,"dlType":2048,"invDlType":false,
             "dlSrc":"02:00:00:00:00:01","dlSrcMask":"ff:ff:ff:00:00:00","invDlSrc":false,
             "dlDst":null,"dlDstMask":null,"invDlDst":false,"nwTos":null,"invNwTos":false,
             "nwProto":6,"invNwProto":false,"nwSrcAddress":"10.0.0.0","nwSrcLength":8,
             "invNwSrc":false,"nwDstAddress":"1.2.3.4","nwDstLength":32,"invNwDst":false,
             "matchNwDstRewritten":false,"tpSrc":null,"invTpSrc":false,
             "tpDst":{"start":80,"end":80},"invTpDst":false,"fragmentPolicy":"unfragmented",
             "icmpDataSrcIpAddress":null,"icmpDataSrcIpLength":null,"invIcmpDataSrcIp":false,
             "icmpDataDstIpAddress":null,"icmpDataDstIpLength":null,"invIcmpDataDstIp":false,
             "jumpChainId":null,"jumpChainName":null,"flowAction":"accept",
             "natTargets":[{"addressFrom":"10.0.0.5","addressTo":"10.0.0.6","portFrom":8080,
                            "portTo":8081}],
             "popVlan":false,"pushVlan":null,"targetPortId":null,"ingress":false,
             "failOpen":false,"requestId":null,"limit":null})"},
        {"PortGroup",
         R"({"id":"bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb","tenantId":null,"name":"web",
             "stateful":true})"},
        {"PortGroupPort",
         R"({"portGroupId":"bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb",
             "portId":"88888888-8888-4888-8888-888888888888"})"},
        {"IpAddrGroup",
         R"({"id":"cccccccc-cccc-4ccc-8ccc-cccccccccccc","name":"dbs","inboundChainId":null,
             "outboundChainId":null,"ruleIds":[],"ipAddrPorts":[]})"},
        {"IpAddrGroupAddr",
         R"({"ipAddrGroupId":"cccccccc-cccc-4ccc-8ccc-cccccccccccc","addr":"2001:db8::1",
             "version":6})"},
        {"BgpPeer",
         R"({"id":"dddddddd-dddd-4ddd-8ddd-dddddddddddd",
             "routerId":"77777777-7777-4777-8777-777777777777","asNumber":65001,
             "address":"192.0.2.1","keepAlive":30,"holdTime":90,"connectRetry":null,
             "password":"s3cret","sessionState":"Established","prefixesReceived":3,
             "prefixesAdvertised":1,"uptimeSeconds":42,
             "hostId":"12121212-1212-4212-8212-121212121212"})"},
        {"BgpNetwork",
         R"({"id":"eeeeeeee-eeee-4eee-8eee-eeeeeeeeeeee",
             "routerId":"77777777-7777-4777-8777-777777777777","subnetAddress":"203.0.113.0",
             "subnetLength":24})"},
        {"LoadBalancer",
         R"({"id":"f0000000-0000-4000-8000-000000000001","adminStateUp":true,
             "routerId":"77777777-7777-4777-8777-777777777777"})"},
        {"Pool",
         R"({"id":"f0000000-0000-4000-8000-000000000002","adminStateUp":true,
             "loadBalancerId":"f0000000-0000-4000-8000-000000000001",
             "healthMonitorId":"f0000000-0000-4000-8000-000000000005","lbMethod":"ROUND_ROBIN",
             "protocol":"TCP","status":"ACTIVE"})"},
        {"PoolMember",
         R"({"id":"f0000000-0000-4000-8000-000000000003",
             "poolId":"f0000000-0000-4000-8000-000000000002","address":"10.0.0.10",
             "protocolPort":8080,"weight":5,"adminStateUp":true,"status":"NO_MONITOR"})"},
        {"VIP",
         R"({"id":"f0000000-0000-4000-8000-000000000004","adminStateUp":true,
             "poolId":"f0000000-0000-4000-8000-000000000002","address":"198.51.100.7",
             "protocolPort":80,"sessionPersistence":"SOURCE_IP",
             "loadBalancerId":"f0000000-0000-4000-8000-000000000001"})"},
        {"HealthMonitor",
         R"({"id":"f0000000-0000-4000-8000-000000000005","adminStateUp":true,"type":"TCP",
             "delay":5,"timeout":10,"maxRetries":3})"},
        {"TraceRequest", nullptr}, // built in the test from the Rule's condition
        {"MacPort",
         R"({"macAddr":"02:00:00:00:00:0a","portId":"88888888-8888-4888-8888-888888888888",
             "vlanId":10})"},
        {"IP4Mac", R"({"ip":"10.0.0.9","mac":"02:00:00:00:00:09"})"},
        {"MacIp", R"({"ip":"10.0.0.8","mac":"02:00:00:00:00:08"})"},
        {"DhcpSubnet",
         R"({"subnetPrefix":"10.0.0.0","subnetLength":24,"defaultGateway":"10.0.0.1",
             "serverAddr":"10.0.0.2","dnsServerAddrs":["8.8.8.8"],"interfaceMTU":1450,
             "opt121Routes":[{"destinationPrefix":"169.254.169.254","destinationLength":32,
                              "gatewayAddr":"10.0.0.3"}],"enabled":true})"},
        {"DhcpHost",
         R"({"macAddr":"02:00:00:00:00:07","ipAddr":"10.0.0.7","name":"vm7",
             "extraDhcpOpts":[{"optName":"mtu","optValue":"1400"}]})"},
    };
    auto it = samples.find(schemaName);
    return it == samples.end() ? nullptr : it->second;
}

json traceSample()
{
    json rule = json::parse(sampleFor("Rule"));
    json cond = json::object();
    for (const auto &f : Condition::schema().fields) cond[f.name] = rule.value(f.name, json());
    cond["fragmentPolicy"] = "header";
    return {{"id", "f0000000-0000-4000-8000-000000000006"},
            {"name", "trace-web"},
            {"deviceType", "PORT"},
            {"deviceId", "88888888-8888-4888-8888-888888888888"},
            {"condition", cond},
            {"creationTimestampMs", 1700000000000LL},
            {"limit", 9223372036854775807LL},
            {"enabled", true}};
}

json sample(std::string_view schemaName)
{
    if (schemaName == "TraceRequest") return traceSample();
    const char *s = sampleFor(schemaName);
    return s ? json::parse(s) : json();
}

std::set<std::string> keys(const json &j)
{
    std::set<std::string> out;
    for (auto it = j.begin(); it != j.end(); ++it) out.insert(it.key());
    return out;
}

} // namespace

class TstModelCodec : public QObject
{
    Q_OBJECT
private slots:
    void roundTrip_data()
    {
        QTest::addColumn<QString>("schemaName");
        for (const auto &t : allTypes()) {
            std::string row;
            for (char c : t.schema->name) {
                if (std::isupper(static_cast<unsigned char>(c)) && !row.empty() &&
                    (std::islower(static_cast<unsigned char>(row.back())) ||
                     std::isdigit(static_cast<unsigned char>(row.back()))))
                    row += '-';
                row += char(std::tolower(static_cast<unsigned char>(c)));
            }
            QTest::newRow(row.c_str()) << QString::fromStdString(t.schema->name);
        }
    }
    void roundTrip()
    {
        QFETCH(QString, schemaName);
        const TypeInfo *t = findTypeBySchemaName(schemaName.toStdString());
        QVERIFY(t);
        json in = sample(t->schema->name);
        QVERIFY2(!in.is_null(), "no sample document for this type");
        json out;
        try {
            out = t->normalize(in, DecodeOptions::apiDocument(), View::Api);
        } catch (const ValidationError &e) {
            QFAIL(e.toJson().dump().c_str());
        }
        QCOMPARE(QString::fromStdString(out.dump()), QString::fromStdString(in.dump()));
        // Every declared API field is present.
        std::set<std::string> declared;
        const auto &sc = *t->schema;
        for (const auto &f : sc.fields) {
            bool applies = f.variants.empty() || sc.emitAllVariants ||
                           std::find(f.variants.begin(), f.variants.end(),
                                     in.value(sc.discriminator, "")) != f.variants.end();
            if (!f.storeOnly && applies) declared.insert(f.name);
        }
        QVERIFY(keys(out) == declared);
        // The NSDB view round-trips too and keeps read-only fields.
        json stored = t->normalize(in, DecodeOptions::apiDocument(), View::Store);
        QCOMPARE(t->normalize(stored, DecodeOptions::store(), View::Store), stored);
    }
    void malformedText_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("message");
        QTest::newRow("empty") << QByteArray("") << "Malformed JSON: ";
        QTest::newRow("truncated-object") << QByteArray("{\"name\":\"br") << "Malformed JSON: ";
        QTest::newRow("truncated-after-colon") << QByteArray("{\"name\":") << "Malformed JSON: ";
        QTest::newRow("trailing-garbage") << QByteArray("{} x") << "Malformed JSON: ";
        QTest::newRow("single-quotes") << QByteArray("{'name':'x'}") << "Malformed JSON: ";
        QTest::newRow("invalid-utf8") << QByteArray("{\"name\":\"\xff\xfe\"}") << "Malformed JSON: ";
        QTest::newRow("nul-byte") << QByteArray("{\"a\"\0:1}", 8) << "Malformed JSON: ";
        QTest::newRow("deep-arrays") << QByteArray(100000, '[') << "nesting deeper than 64 levels";
        QTest::newRow("deep-objects") << QByteArray("{\"a\":").repeated(1000)
                                      << "nesting deeper than 64 levels";
        QTest::newRow("huge-document")
            << (QByteArray("{\"name\":\"") + QByteArray(5 * 1024 * 1024, 'x') + "\"}")
            << "document larger than";
    }
    void malformedText()
    {
        QFETCH(QByteArray, text);
        QFETCH(QString, message);
        try {
            decodeText<Bridge>(std::string_view(text.constData(), size_t(text.size())),
                               DecodeOptions::apiInput());
            QFAIL("malformed text was accepted");
        } catch (const ValidationError &e) {
            QCOMPARE(e.httpCode(), 400);
            QVERIFY(e.violations().empty());
            QVERIFY2(QString::fromUtf8(e.what()).contains(message), e.what());
            QCOMPARE(e.toJson()["code"], json(400));
        }
    }

    void bracketsInsideStringsAreNotNesting()
    {
        std::string name(200, '[');
        auto b = decodeText<Bridge>(R"({"name":")" + name + R"("})", DecodeOptions::apiInput());
        QCOMPARE(*b.name, name);
    }

    void wrongRootType_data()
    {
        QTest::addColumn<QString>("text");
        QTest::newRow("number") << "42";
        QTest::newRow("string") << R"("bridge")";
        QTest::newRow("array") << "[{}]";
        QTest::newRow("null") << "null";
    }
    void wrongRootType()
    {
        QFETCH(QString, text);
        try {
            decodeText<Router>(text.toStdString(), DecodeOptions::apiInput());
            QFAIL("non-object accepted");
        } catch (const ValidationError &e) {
            QCOMPARE(e.violations().size(), size_t(1));
            QCOMPARE(QString::fromStdString(e.violations()[0].message),
                     QString("must be a JSON object"));
        }
    }

    // Every field of every type fed hostile values: a violation or a value, never a crash.
    void hostileValuesNeverCrash()
    {
        const std::vector<json> hostile{
            json(),           json::object(),     json::array(),
            json(1e308),      json(-1),           json(INT64_MIN),
            json(UINT64_MAX), json(true),         json(std::string(100000, 'x')),
            json("\u00e9"),   json::array({json::array({json::array()})}),
            json::array({1, "a", nullptr})};
        size_t decoded = 0, rejected = 0;
        for (const auto &t : allTypes()) {
            for (const auto &value : hostile) {
                json doc = json::object();
                for (const auto &f : t.schema->fields) doc[f.name] = value;
                for (auto opts : {DecodeOptions::apiInput(), DecodeOptions::apiDocument(),
                                  DecodeOptions::store()}) {
                    Violations v = t.validate(doc, opts);
                    v.empty() ? ++decoded : ++rejected;
                    for (const auto &x : v) QVERIFY(!x.message.empty());
                }
            }
        }
        QVERIFY(rejected > 0);
        qInfo("hostile documents: %zu decoded, %zu rejected", decoded, rejected);
    }

    void longValuesAreQuotedShort()
    {
        json doc = {{"inboundFilterId", std::string(100000, 'z')}};
        Violations v = findType("bridges")->validate(doc, DecodeOptions::apiInput());
        QCOMPARE(v.size(), size_t(1));
        QVERIFY(v[0].message.size() < 120);
    }

    void messagesStayValidUtf8()
    {
        // A non-ASCII value is quoted whole; a long one is cut on a character boundary.
        Violations v = findType("tunnel_zones")->validate(json{{"name", "z"}, {"type", "caf\u00e9"}},
                                                          DecodeOptions::apiInput());
        QCOMPARE(v.size(), size_t(1));
        QVERIFY2(v[0].message.rfind("'caf\u00e9' is not one of", 0) == 0, v[0].message.c_str());
        std::string longValue;
        for (int i = 0; i < 40; ++i) longValue += "\u65e5";
        v = findType("tunnel_zones")->validate(json{{"name", "z"}, {"type", longValue}},
                                               DecodeOptions::apiInput());
        QCOMPARE(v.size(), size_t(1));
        bool validUtf8 = true;
        try {
            (void)json(v[0].message).dump(); // throws on invalid UTF-8
        } catch (const json::exception &) {
            validUtf8 = false;
        }
        QVERIFY(validUtf8);
        QVERIFY(v[0].message.find("...'") != std::string::npos);
    }

    void encodeEmitsNullsAndEmptyLists()
    {
        json j = encode(Bridge{});
        QCOMPARE(j["id"], json());
        QCOMPARE(j["name"], json());
        QCOMPARE(j["adminStateUp"], json(true));
        QCOMPARE(j["inboundMirrorIds"], json::array());
        json rule = encode(Rule{});
        QCOMPARE(rule["type"], json("accept"));
        QVERIFY(rule.contains("jumpChainId") && rule["jumpChainId"].is_null());
        QCOMPARE(rule["natTargets"], json::array());
        QCOMPARE(rule["popVlan"], json(false));
        QVERIFY(!rule.contains("uri")); // the rule's own uri is the REST layer's link
        QVERIFY(!rule.contains("condition"));
    }

    void schemaDescribesFields()
    {
        const FieldInfo *f = Rule::schema().find("nwSrcLength");
        QVERIFY(f);
        QCOMPARE(f->kind, FieldKind::Int);
        QCOMPARE(*f->min, int64_t(0));
        QCOMPARE(*f->max, int64_t(32));
        const FieldInfo *type = Rule::schema().find("type");
        QVERIFY(type->required);
        QCOMPARE(type->enumValues.size(), size_t(11));
        const FieldInfo *tp = Rule::schema().find("tpSrc");
        QCOMPARE(tp->kind, FieldKind::Object);
        QVERIFY(tp->nested && tp->nested->find("start"));
        const FieldInfo *subnets = Port::schema().find("portSubnet");
        QCOMPARE(subnets->itemKind, FieldKind::Cidr);
        QCOMPARE(subnets->variants, std::vector<std::string>{"Router"});
        QCOMPARE(Bridge::schema().find("adminStateUp")->defaultValue, json(true));
        QVERIFY(Port::schema().find("hostId")->readOnly);
        QCOMPARE(Port::schema().find("inboundFilterId")->refersTo, std::string("chains"));
        QCOMPARE(TraceRequest::schema().find("limit")->defaultValue,
                 json(std::numeric_limits<int64_t>::max()));
    }

    void registryListsNsdbTypes()
    {
        for (const char *name : {"bridges", "routers", "ports", "routes", "chains", "rules",
                                 "hosts", "tunnel_zones", "port_groups", "ip_addr_groups",
                                 "bgp_peers", "bgp_networks", "load_balancers", "pools",
                                 "pool_members", "vips", "health_monitors", "traces", "tenants"})
            QVERIFY2(findType(name), name);
        QVERIFY(!findType("mirrors"));
        QVERIFY(!findType(""));
        QCOMPARE(findType("bridges")->mediaType, std::string_view("Bridge-v4"));
    }
    void openApiDescribesEveryType()
    {
        json c = openApiComponents();
        for (const auto &t : allTypes()) QVERIFY2(c["schemas"].contains(t.schema->name), t.schema->name.c_str());
        json rule = c["schemas"]["Rule"];
        QCOMPARE(rule["required"], json::array({"type"}));
        QCOMPARE(rule["properties"]["nwSrcLength"]["maximum"], json(32));
        QCOMPARE(rule["properties"]["type"]["enum"].size(), size_t(11));
        QCOMPARE(rule["properties"]["tpSrc"]["allOf"][0]["$ref"],
                 json("#/components/schemas/Range"));
        QCOMPARE(rule["properties"]["inPorts"]["items"]["format"], json("uuid"));
        QVERIFY(c["schemas"].contains("NatTarget") && c["schemas"].contains("Condition"));
        QVERIFY(!c["schemas"]["Chain"]["properties"].contains("ruleIds"));
        QCOMPARE(c["schemas"]["Port"]["properties"]["hostId"]["readOnly"], json(true));
        QCOMPARE(c["schemas"]["Bridge"]["properties"]["adminStateUp"]["default"], json(true));
        QVERIFY(openApiComponents(View::Store)["schemas"]["Chain"]["properties"].contains("ruleIds"));
    }

    void apiRules()
    {
        auto code = [](auto &&f) {
            try {
                f();
                return std::string();
            } catch (const ValidationError &e) {
                return e.violations().front().property;
            }
        };
        json full = {{"floodingProxyWeight", 1}, {"containerWeight", 1}, {"containerLimit", 2},
                     {"enforceContainerLimit", false}};
        QCOMPARE(code([&] { checkHostUpdate(full); }), std::string());
        full["containerLimit"] = nullptr;
        QCOMPARE(code([&] { checkHostUpdate(full); }), std::string("containerLimit"));
        Bridge stored;
        stored.vxLanPortIds = {midonet::util::Uuid::random()};
        QCOMPARE(code([&] { checkBridgeWrite(json{{"vxLanPortIds", {stored.vxLanPortIds[0].toString()}}}, nullptr); }),
                 std::string("vxLanPortIds"));
        QCOMPARE(code([&] { checkBridgeWrite(json{{"vxLanPortIds", json::array()}}, nullptr); }), std::string("vxLanPortIds"));
        QCOMPARE(code([&] { checkBridgeWrite(json{{"vxLanPortIds", nullptr}}, nullptr); }), std::string());
        QCOMPARE(code([&] { checkBridgeWrite(json{{"vxLanPortIds", {stored.vxLanPortIds[0].toString()}}}, &stored); }),
                 std::string());
        QCOMPARE(code([&] { checkBridgeWrite(json{{"vxLanPortIds", json::array()}}, &stored); }),
                 std::string("vxLanPortIds"));
        LoadBalancer lb;
        QCOMPARE(code([&] { checkLoadBalancerWrite(json{{"routerId", stored.vxLanPortIds[0].toString()}}, nullptr); }),
                 std::string("routerId"));
        lb.routerId = stored.vxLanPortIds[0];
        QCOMPARE(code([&] { checkLoadBalancerWrite(json{{"routerId", lb.routerId->toString()}}, &lb); }), std::string());
        QCOMPARE(code([&] { checkLoadBalancerWrite(json{{"routerId", nullptr}}, &lb); }), std::string("routerId"));
        Port p;
        p.type = PortType::Router;
        QCOMPARE(code([&] { checkPortKind(p, PortType::Bridge); }), std::string("type"));
        QCOMPARE(code([&] { checkPortKind(p, PortType::Router); }), std::string());
    }

    void dhcpSubnetsUniqueInBridge()
    {
        json sub = json::parse(sampleFor("DhcpSubnet"));
        json br = {{"dhcpSubnets", {sub, sub}}};
        Violations v = findType("bridges")->validate(br, DecodeOptions::store());
        QCOMPARE(v.size(), size_t(1));
        QCOMPARE(v[0].property, std::string("dhcpSubnets[1]"));
        QVERIFY(findType("bridges")->validate(br, DecodeOptions::apiInput()).empty()); // not API
    }
};

QTEST_GUILESS_MAIN(TstModelCodec)
#include "tst_codec.moc"
