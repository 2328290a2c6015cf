// Value syntax (reference A5): what each field kind accepts, the API JSON it becomes, how it is
// printed back, and the error text for what it refuses.
#include "cli/values.h"

#include <QtTest>

#include "cli/grammar.h"

using namespace midonet::cli;

namespace {

// References: "chainN" -> a fixed UUID; anything else is unknown.
struct StubRefs : RefContext {
    std::optional<std::string> resolveRef(const std::string &, const std::string &token) override
    {
        if (token.starts_with("chain") || token.find(':') != std::string::npos) return "uuid-of-" + token;
        return std::nullopt;
    }
    std::string displayRef(const std::string &, const std::string &uuid) override
    {
        return uuid.starts_with("uuid-of-") ? uuid.substr(8) : uuid;
    }
};

const FieldSpec &fieldOf(const char *type, const char *field)
{
    const FieldSpec *f = findType(type)->field(field);
    if (!f) qFatal("no field %s.%s", type, field);
    return *f;
}

} // namespace

class TstValues : public QObject
{
    Q_OBJECT
private slots:
    void accepted_data()
    {
        QTest::addColumn<QString>("type");
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("input");
        QTest::addColumn<QString>("json");    // expected API fields (subset)
        QTest::addColumn<QString>("printed"); // formatted back

        QTest::newRow("string") << "bridge" << "name" << "front door" << R"({"name":"front door"})" << "front door";
        QTest::newRow("state-up") << "bridge" << "state" << "up" << R"({"adminStateUp":true})" << "up";
        QTest::newRow("state-down") << "bridge" << "state" << "down" << R"({"adminStateUp":false})" << "down";
        QTest::newRow("bool-true") << "port-group" << "stateful" << "true" << R"({"stateful":true})" << "true";
        QTest::newRow("yes-no") << "rule" << "inverted" << "yes" << R"({"condInvert":true})" << "yes";
        QTest::newRow("int") << "router" << "asn" << "65000" << R"({"asNumber":65000})" << "65000";
        QTest::newRow("enum-mapped") << "route" << "type" << "blackhole" << R"({"type":"BlackHole"})" << "blackhole";
        QTest::newRow("enum-to-null") << "vip" << "persistence" << "NONE" << R"({"sessionPersistence":null})" << "";
        QTest::newRow("rule-type-dash") << "rule" << "type" << "l2-transform" << R"({"type":"l2_transform"})" << "l2-transform";
        QTest::newRow("mac") << "router-port" << "mac" << "02:AA:bb:00:00:01" << R"({"portMac":"02:aa:bb:00:00:01"})"
                             << "02:aa:bb:00:00:01";
        QTest::newRow("mac-mask") << "rule" << "hw-src-mask" << "ffff.0000.00ff" << R"({"dlSrcMask":"ff:ff:00:00:00:ff"})"
                                  << "ffff.0000.00ff";
        QTest::newRow("ipv4") << "route" << "gw" << "10.0.0.254" << R"({"nextHopGateway":"10.0.0.254"})" << "10.0.0.254";
        QTest::newRow("cidr") << "rule" << "src" << "10.0.0.0/8" << R"({"nwSrcAddress":"10.0.0.0","nwSrcLength":8,"invNwSrc":false})"
                              << "10.0.0.0/8";
        QTest::newRow("cidr-bare-is-32") << "rule" << "dst" << "1.2.3.4" << R"({"nwDstAddress":"1.2.3.4","nwDstLength":32})"
                                         << "1.2.3.4";
        QTest::newRow("cidr-slash32-prints-bare") << "rule" << "dst" << "1.2.3.4/32" << R"({"nwDstLength":32})" << "1.2.3.4";
        QTest::newRow("cidr-inverted") << "rule" << "src" << "!10.0.0.0/8" << R"({"invNwSrc":true})" << "!10.0.0.0/8";
        QTest::newRow("cidr-list") << "router-port" << "addresses" << "10.0.0.1/24,10.0.1.1"
                                   << R"({"portSubnet":["10.0.0.1/24","10.0.1.1/32"],"portAddress":"10.0.0.1","networkLength":24})"
                                   << "10.0.0.1/24,10.0.1.1/32";
        QTest::newRow("range-single") << "rule" << "dst-port" << "80" << R"({"tpDst":{"start":80,"end":80}})" << "80-80";
        QTest::newRow("range-dash") << "rule" << "src-port" << "1024-65535" << R"({"tpSrc":{"start":1024,"end":65535}})"
                                    << "1024-65535";
        QTest::newRow("range-inverted") << "rule" << "dst-port" << "!22" << R"({"invTpDst":true})" << "!22-22";
        QTest::newRow("nat-one") << "rule" << "target" << "10.0.0.5"
                                 << R"({"natTargets":[{"addressFrom":"10.0.0.5","addressTo":"10.0.0.5","portFrom":0,"portTo":0}]})"
                                 << "10.0.0.5";
        QTest::newRow("nat-range-ports") << "rule" << "target" << "10.0.0.5-10.0.0.7:1000-2000"
                                         << R"({"natTargets":[{"addressFrom":"10.0.0.5","addressTo":"10.0.0.7","portFrom":1000,"portTo":2000}]})"
                                         << "10.0.0.5-10.0.0.7:1000-2000";
        QTest::newRow("nat-list") << "rule" << "target" << "1.1.1.1:80,2.2.2.2" << R"({})" << "1.1.1.1:80,2.2.2.2";
        QTest::newRow("flow-fwd") << "rule" << "flow" << "fwd-flow" << R"({"matchForwardFlow":true,"matchReturnFlow":false})"
                                  << "fwd-flow";
        QTest::newRow("flow-return") << "rule" << "flow" << "return-flow" << R"({"matchForwardFlow":false,"matchReturnFlow":true})"
                                     << "return-flow";
        QTest::newRow("ref") << "bridge" << "infilter" << "chain0" << R"({"inboundFilterId":"uuid-of-chain0"})" << "chain0";
        QTest::newRow("ref-inverted") << "rule" << "port-group" << "!chain9" << R"({"portGroup":"uuid-of-chain9","invPortGroup":true})"
                                      << "!chain9";
        QTest::newRow("ref-list") << "rule" << "in-ports" << "bridge0:port0,bridge0:port1"
                                  << R"({"inPorts":["uuid-of-bridge0:port0","uuid-of-bridge0:port1"]})"
                                  << "bridge0:port0,bridge0:port1";
        QTest::newRow("container-no-limit") << "host" << "container-limit" << "no-limit" << R"({"containerLimit":-1})" << "no-limit";
        QTest::newRow("trace-device") << "tracerequest" << "router" << "chain0" << R"({"deviceId":"uuid-of-chain0","deviceType":"ROUTER"})"
                                      << "chain0";
        QTest::newRow("trace-condition") << "tracerequest" << "proto" << "17" << R"({"condition":{"nwProto":17,"invNwProto":false}})"
                                         << "17";
        QTest::newRow("ip-group-v6") << "ipg-addr" << "address" << "2001:db8::1" << R"({"addr":"2001:db8::1","version":6})"
                                     << "2001:db8::1";
    }
    void accepted()
    {
        QFETCH(QString, type);
        QFETCH(QString, field);
        QFETCH(QString, input);
        QFETCH(QString, json);
        QFETCH(QString, printed);
        StubRefs refs;
        const FieldSpec &f = fieldOf(qPrintable(type), qPrintable(field));
        Json obj = Json::object();
        writeField(f, input.toStdString(), obj, refs);
        auto want = Json::parse(json.toStdString());
        for (auto it = want.begin(); it != want.end(); ++it)
            QVERIFY2(obj.contains(it.key()) && obj[it.key()] == it.value(),
                     qPrintable(QString::fromStdString(it.key() + " in " + obj.dump())));
        QCOMPARE(QString::fromStdString(formatField(f, obj, refs).value_or("")), printed);
    }

    void refused_data()
    {
        QTest::addColumn<QString>("type");
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("input");

        QTest::newRow("state-word") << "bridge" << "state" << "on";
        QTest::newRow("bool-capital") << "port-group" << "stateful" << "True";
        QTest::newRow("bool-yes") << "port-group" << "stateful" << "yes";
        QTest::newRow("yes-no-true") << "rule" << "inverted" << "true";
        QTest::newRow("int-letters") << "router" << "asn" << "65k";
        QTest::newRow("int-empty") << "router" << "asn" << "";
        QTest::newRow("enum-unknown") << "route" << "type" << "Normal";
        QTest::newRow("mac-short") << "router-port" << "mac" << "02:00:00:00:01";
        QTest::newRow("mac-mask-colons") << "rule" << "hw-src-mask" << "ff:ff:ff:ff:ff:ff";
        QTest::newRow("ipv4-256") << "route" << "gw" << "10.0.0.256";
        QTest::newRow("cidr-33") << "rule" << "src" << "10.0.0.0/33";
        QTest::newRow("cidr-empty-length") << "rule" << "src" << "10.0.0.0/";
        QTest::newRow("range-colon") << "rule" << "dst-port" << "10:20";
        QTest::newRow("range-reversed") << "rule" << "dst-port" << "20-10";
        QTest::newRow("range-too-big") << "rule" << "dst-port" << "65536";
        QTest::newRow("nat-bad-ip") << "rule" << "target" << "10.0.0.300";
        QTest::newRow("nat-reversed") << "rule" << "target" << "10.0.0.9-10.0.0.1";
        QTest::newRow("nat-empty-port") << "rule" << "target" << "10.0.0.1:";
        QTest::newRow("nat-empty-item") << "rule" << "target" << "10.0.0.1,";
        QTest::newRow("flow-word") << "rule" << "flow" << "forward";
        QTest::newRow("ref-unknown") << "bridge" << "infilter" << "bridge9";
        QTest::newRow("not-invertible") << "bridge" << "name" << "!x"; // accepted as a name: see below
        QTest::newRow("cidr-list-bad") << "router-port" << "addresses" << "10.0.0.1/24,nonsense";
        QTest::newRow("container-limit-below") << "host" << "container-limit" << "-2";
    }
    void refused()
    {
        QFETCH(QString, type);
        QFETCH(QString, field);
        QFETCH(QString, input);
        StubRefs refs;
        const FieldSpec &f = fieldOf(qPrintable(type), qPrintable(field));
        Json obj = Json::object();
        if (QTest::currentDataTag() == QByteArray("not-invertible")) {
            // A '!' only means "inverted" for condition fields; elsewhere it is text.
            writeField(f, input.toStdString(), obj, refs);
            QCOMPARE(obj["name"], Json("!x"));
            return;
        }
        try {
            writeField(f, input.toStdString(), obj, refs);
            QFAIL("accepted");
        } catch (const ValueError &e) {
            QCOMPARE(QString(e.what()), "Invalid value field " + field + ": " + input);
        }
        QCOMPARE(obj, Json::object()); // untouched
    }

    void valueWordsForCompletion()
    {
        QCOMPARE(valueWords(fieldOf("bridge", "state")), (std::vector<std::string>{"up", "down"}));
        QCOMPARE(valueWords(fieldOf("tunnel-zone", "type")), (std::vector<std::string>{"gre", "vxlan", "vtep"}));
        QVERIFY(valueWords(fieldOf("bridge", "name")).empty());
    }

    void nestedPaths()
    {
        Json obj = Json::object();
        setPath(obj, "condition.nwProto") = 6;
        QCOMPARE(obj.dump(), std::string(R"({"condition":{"nwProto":6}})"));
        QVERIFY(getPath(obj, "condition.nwProto"));
        QVERIFY(!getPath(obj, "condition.nwTos"));
        QVERIFY(!getPath(obj, "nothing.here"));
    }
};

QTEST_GUILESS_MAIN(TstValues)
#include "tst_values.moc"
