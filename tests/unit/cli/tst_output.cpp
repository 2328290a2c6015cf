// What midonet-cli prints: object lines, single fields, references as alias chains, describe,
// help, session commands, error texts, and aliases per namespace (reference A3, A4, A7).
#include "cli/shell.h"

#include <QtTest>

#include "tests/unit/cli/cli_session.h"

using namespace midonet::cli;
using namespace midonet::cli::test;

class TstOutput : public QObject
{
    Q_OBJECT
private slots:
    void output_data()
    {
        QTest::addColumn<QStringList>("setup");
        QTest::addColumn<QString>("line");
        QTest::addColumn<QString>("output");
        QTest::addColumn<bool>("ok");

        const QStringList bridges{"bridge create name front", "bridge create name back"};
        const QStringList routed{"router create name edge", "router router0 add port addresses 10.0.0.1/24",
                                 "router router0 add route src 0.0.0.0/0 dst 0.0.0.0/0 gw 10.0.0.254 port router0:port0 type normal"};
        const QStringList rules{"chain create name in", "chain chain0 add rule pos 2 type drop src !10.0.0.0/8",
                                "chain chain0 add rule pos 1 type accept dst 1.2.3.4 dst-port 80"};

        QTest::newRow("list") << bridges << "bridge list"
                              << "bridge bridge0 name front state up\nbridge bridge1 name back state up\n" << true;
        QTest::newRow("list-verb-first") << bridges << "list bridge"
                                         << "bridge bridge0 name front state up\nbridge bridge1 name back state up\n" << true;
        QTest::newRow("list-abbreviated") << bridges << "bridge l"
                                          << "bridge bridge0 name front state up\nbridge bridge1 name back state up\n" << true;
        QTest::newRow("list-filter") << bridges << "bridge list name back" << "bridge bridge1 name back state up\n" << true;
        QTest::newRow("list-empty") << QStringList{} << "bridge list" << "" << true;
        QTest::newRow("show") << bridges << "bridge bridge1 show" << "bridge bridge1 name back state up\n" << true;
        QTest::newRow("show-verb-first") << bridges << "show bridge bridge0" << "bridge bridge0 name front state up\n" << true;
        QTest::newRow("show-field") << bridges << "bridge bridge0 show name" << "front\n" << true;
        QTest::newRow("show-field-before-verb") << bridges << "bridge bridge0 name show" << "front\n" << true;
        QTest::newRow("show-id") << bridges << "show bridge bridge1 id" << "$2\n" << true;
        QTest::newRow("show-by-uuid") << bridges << "bridge $2 show" << "bridge bridge1 name back state up\n" << true;
        QTest::newRow("show-reference")
            << (bridges + QStringList{"chain create name in", "bridge bridge0 set infilter chain0"})
            << "bridge bridge0 show infilter" << "chain chain0 name in\n" << true;
        QTest::newRow("show-state-down") << QStringList{"bridge create name b state down"} << "bridge bridge0 show"
                                         << "bridge bridge0 name b state down\n" << true;
        QTest::newRow("bridge-port-list")
            << QStringList{"bridge create name b", "bridge bridge0 port create vlan 5"} << "bridge bridge0 port list"
            << "port port0 device bridge0 state up plugged no vlan 5\n" << true;
        QTest::newRow("router-port-list") << routed << "router router0 list port"
                                          << "port port0 device router0 state up plugged no addresses 10.0.0.1/24\n" << true;
        QTest::newRow("all-ports-at-root")
            << (routed + QStringList{"bridge create name b", "bridge bridge0 port create"}) << "port list"
            << "port port0 device router0 state up plugged no addresses 10.0.0.1/24\n"
               "port port0 device bridge0 state up plugged no\n" << true;
        QTest::newRow("port-by-composite-alias") << routed << "port router0:port0 show"
                                                 << "port port0 device router0 state up plugged no addresses 10.0.0.1/24\n" << true;
        QTest::newRow("route-list") << routed << "router router0 route list"
                                    << "route route0 type normal src 0.0.0.0/0 dst 0.0.0.0/0 gw 10.0.0.254 port router0:port0\n"
                                    << true;
        QTest::newRow("route-port-shows-port") << routed << "router router0 route route0 show port"
                                               << "port port0 device router0 state up plugged no addresses 10.0.0.1/24\n" << true;
        QTest::newRow("rules-sorted-by-pos")
            << rules << "chain chain0 rule list"
            << "rule rule1 pos 1 type accept dst 1.2.3.4 dst-port 80-80\nrule rule0 pos 2 type drop src !10.0.0.0/8\n" << true;
        QTest::newRow("nat-targets")
            << QStringList{"chain create name nat", "chain chain0 add rule type snat action accept target 1.1.1.1-1.1.1.9:100-200,2.2.2.2:80,3.3.3.3"}
            << "chain chain0 rule rule0 show target" << "1.1.1.1-1.1.1.9:100-200,2.2.2.2:80,3.3.3.3\n" << true;
        QTest::newRow("jump-to-alias")
            << QStringList{"chain create name a", "chain create name b", "chain chain0 add rule type jump jump-to chain1"}
            << "chain chain0 rule list" << "rule rule0 type jump jump-to chain1\n" << true;
        QTest::newRow("flow-and-mask")
            << QStringList{"chain create name a", "chain chain0 add rule type accept flow fwd-flow hw-dst-mask ffff.ffff.0000 inverted yes"}
            << "chain chain0 rule list" << "rule rule0 type accept flow fwd-flow hw-dst-mask ffff.ffff.0000 inverted yes\n"
            << true;
        QTest::newRow("tunnel-zone-members")
            << QStringList{"@host h1", "host list", "tunnel-zone create name tz type gre",
                           "tunnel-zone tzone0 add member host host0 address 10.0.0.1"}
            << "tunnel-zone tzone0 member list" << "host host0 address 10.0.0.1\n" << true;
        QTest::newRow("host-list") << QStringList{"@host h1"} << "host list" << "host host0 name h1 alive true\n" << true;
        QTest::newRow("tenant-list") << QStringList{"@tenant admin"} << "tenant list"
                                     << "id admin name admin description admin enabled yes\n" << true;
        QTest::newRow("system-state") << QStringList{} << "system-state show"
                                      << "state ACTIVE availability READWRITE\n" << true;
        QTest::newRow("system-state-field") << QStringList{} << "system-state show availability" << "READWRITE\n" << true;
        QTest::newRow("pool-member-chain")
            << QStringList{"load-balancer create", "load-balancer lb0 add pool lb-method ROUND_ROBIN",
                           "load-balancer lb0 pool pool0 add member address 10.0.0.10 protocol-port 80"}
            << "load-balancer lb0 pool pool0 member list" << "member pm0 address 10.0.0.10 protocol-port 80 state up\n" << true;
        QTest::newRow("describe-type")
            << QStringList{} << "describe bridge"
            << "Object collections:\n  port  dhcp\nFields:\n  name       state      infilter   outfilter\n" << true;
        QTest::newRow("describe-object") << bridges << "bridge bridge0 describe"
                                         << "Object collections:\n  port  dhcp\nFields:\n  name       state      infilter   outfilter\n"
                                         << true;
        QTest::newRow("describe-leaf") << QStringList{} << "describe system-state"
                                       << "Object collections:\n  <NONE>\nFields:\n  state         availability\n" << true;
        QTest::newRow("sett") << QStringList{} << "sett 0123456789abcdef0123456789abcdef"
                              << "tenant_id: 0123456789abcdef0123456789abcdef\n" << true;
        QTest::newRow("cleart") << QStringList{} << "cleart" << "tenant_id: None\n" << true;
        QTest::newRow("debug-on") << QStringList{} << "debug on" << "turned on debug mode\n" << true;
        QTest::newRow("debug-off") << QStringList{} << "debug off" << "turned off debug mode\n" << true;
        QTest::newRow("empty-line") << QStringList{} << "   " << "" << true;
        QTest::newRow("help-command") << QStringList{} << "help sett"
                                      << "sett TENANT_ID\n  Sets the session tenant (new routers, bridges, chains and port groups get it;\n"
                                         "  top-level lists are filtered by it).\n" << true;

        // Errors (printed on stdout; the command fails, the session goes on).
        QTest::newRow("error-syntax") << bridges << "bridge bridge0 frob now" << "Syntax error at: ...frob now\n" << false;
        QTest::newRow("error-unknown-collection") << QStringList{} << "switch list" << "Syntax error at: ...switch list\n" << false;
        QTest::newRow("error-incomplete") << QStringList{} << "bridge" << "Missing arguments, incomplete command\n" << false;
        QTest::newRow("error-incomplete-object") << bridges << "bridge bridge0" << "Missing arguments, incomplete command\n" << false;
        QTest::newRow("error-missing-value") << QStringList{} << "bridge create name" << "Missing arguments, incomplete command\n" << false;
        QTest::newRow("error-quote") << QStringList{} << "bridge create name 'front" << "Syntax error: unmatched quote\n" << false;
        QTest::newRow("error-bad-state") << bridges << "bridge bridge0 set state sideways"
                                         << "Internal error: Invalid value field state: sideways\n" << false;
        QTest::newRow("error-bad-cidr") << QStringList{"chain create name c"} << "chain chain0 add rule dst 10.0.0.0/33"
                                        << "Internal error: Invalid value field dst: 10.0.0.0/33\n" << false;
        QTest::newRow("error-range-with-colon") << QStringList{"chain create name c"} << "chain chain0 add rule dst-port 10:20"
                                                << "Internal error: Invalid value field dst-port: 10:20\n" << false;
        QTest::newRow("error-unknown-reference") << bridges << "bridge bridge0 set infilter chain7"
                                                 << "Internal error: Invalid value field infilter: chain7\n" << false;
        QTest::newRow("error-root-path-wrong-type") << (bridges + QStringList{"chain create name in"})
                                                    << "bridge bridge0 set infilter bridge bridge1"
                                                    << "Internal error: Invalid value field infilter: bridge bridge1\n" << false;
        QTest::newRow("error-read-only")
            << QStringList{"bridge create name b", "bridge bridge0 port create"} << "bridge bridge0 port port0 set device bridge0"
            << "User error: 'device is a read-only attribute.'\n" << false;
        QTest::newRow("error-not-clearable") << bridges << "bridge bridge0 clear name" << "Field name cannot be cleared.\n" << false;
        QTest::newRow("error-unknown-id") << QStringList{} << "bridge 11111111-2222-3333-4444-555555555555 show"
                                          << "Internal error: 404 Not Found: Not found: @/bridges/11111111-2222-3333-4444-555555555555\n"
                                          << false;
        QTest::newRow("error-filter-no-match") << QStringList{"tunnel-zone create name tz type vxlan"}
                                               << "tunnel-zone tzone0 member address 10.9.9.9 delete"
                                               << "Syntax error at: ...member address 10.9.9.9\n" << false;
    }
    void output()
    {
        QFETCH(QStringList, setup);
        QFETCH(QString, line);
        QFETCH(QString, output);
        QFETCH(bool, ok);
        CliSession s;
        for (const auto &l : setup) {
            auto printed = s.run(expand(l.toStdString()));
            QVERIFY2(s.ok, qPrintable(l + " -> " + QString::fromStdString(printed)));
        }
        auto printed = s.run(expand(line.toStdString()));
        QCOMPARE(QString::fromStdString(printed), QString::fromStdString(expand(output.toStdString())));
        QCOMPARE(s.ok, ok);
    }

    void apiErrorShowsMessageAndField()
    {
        CliSession s;
        s.api.overrides["POST " + expand("@/bridges")] = FakeApi::reply(
            400, Json{{"message", "Validation error(s) found"},
                      {"code", 400},
                      {"violations", {{{"property", "name"}, {"message", "size must be between 0 and 255"}}}}});
        auto printed = s.run("bridge create name x");
        QCOMPARE(printed, std::string("Internal error: 400 Bad Request: Validation error(s) found "
                                      "(name: size must be between 0 and 255)\n"));
        QVERIFY(!s.ok);
    }

    void aliasesPerNamespace()
    {
        CliSession s;
        QCOMPARE(s.run("router create name a"), std::string("router0\n"));
        QCOMPARE(s.run("router create name b"), std::string("router1\n"));
        QCOMPARE(s.run("router router0 add port"), std::string("router0:port0\n"));
        QCOMPARE(s.run("router router1 add port"), std::string("router1:port0\n"));
        QCOMPARE(s.run("router router0 add port"), std::string("router0:port1\n"));
        QCOMPARE(s.run("bridge create name c"), std::string("bridge0\n"));
        QCOMPARE(s.shell.aliases().resolveChain("router1:port0").value_or(""), fakeId(4));
        QCOMPARE(s.shell.aliases().resolveChain("router0:port1").value_or(""), fakeId(5));
        QVERIFY(!s.shell.aliases().resolveChain("bridge0:port0"));
        // Aliases are never reused, even after a delete.
        s.run("router router0 port port1 delete");
        QCOMPARE(s.run("router router0 add port"), std::string("router0:port2\n"));
    }

    void referencesAliasTheirParents()
    {
        // Objects reached through a reference are aliased at the root; a port reference reads
        // the port to find its device, and the device gets its root alias on the way.
        CliSession s;
        auto router = s.api.add("/routers", {{"name", "r"}});
        auto port = s.api.add("/routers/" + router["id"].get<std::string>() + "/ports",
                              {{"type", "Router"}, {"deviceId", router["id"]}});
        s.api.add("/chains", {{"name", "c"}});
        s.run("chain list");
        s.run("chain chain0 add rule type accept in-ports " + port["id"].get<std::string>());
        QCOMPARE(s.run("chain chain0 rule list"), std::string("rule rule0 type accept in-ports router0:port0\n"));
    }

    void aliasesOff()
    {
        // With -e or piped input there are no aliases: UUIDs everywhere (reference A1).
        CliSession s(false);
        QCOMPARE(s.run("bridge create name front"), fakeId(1) + "\n");
        QCOMPARE(s.run("bridge list"), "bridge " + fakeId(1) + " name front state up\n");
        QCOMPARE(s.run("bridge " + fakeId(1) + " add port"), fakeId(2) + "\n");
        QCOMPARE(s.run("bridge " + fakeId(1) + " port list"), "port " + fakeId(2) + " device " + fakeId(1) + " state up plugged no\n");
        QCOMPARE(s.run("bridge bridge0 show"), std::string("Internal error: 404 Not Found: Not found: ") +
                                                   FakeApi::base + "/bridges/bridge0\n");
    }

    void jsonOutput()
    {
        CliSession s;
        s.run("bridge create name front");
        ShellOptions o;
        o.json = true;
        std::ostringstream out;
        Shell json(s.client, out, o);
        QVERIFY(json.execute("bridge list"));
        auto parsed = Json::parse(out.str());
        QVERIFY(parsed.is_array());
        QCOMPARE(parsed[0]["name"], Json("front"));
    }

    void unauthorizedEndsSession()
    {
        CliSession s;
        s.api.overrides["GET " + expand("@/bridges")] = FakeApi::reply(401, Json{{"message", "no"}, {"code", 401}});
        bool ended = false;
        try {
            s.run("bridge list");
        } catch (const SessionEnd &e) {
            ended = true;
            QCOMPARE(e.exitCode, 1);
        }
        QVERIFY(ended);
        QCOMPARE(s.out.str(), std::string("Invalid credential. Wrong username/password. Bye.\n"));
        // It logged in again once before giving up (the Python client's retry).
        int logins = 0;
        for (const auto &r : s.api.requests) logins += r.url.ends_with("/login");
        QCOMPARE(logins, 2);
    }

    void connectionLostEndsSession()
    {
        struct Refusing : Transport {
            HttpResponse send(const HttpRequest &) override { throw TransportError("refused", true); }
        } refusing;
        ApiClient client(refusing, {FakeApi::base, "", "", ""});
        std::ostringstream out;
        Shell shell(client, out, {});
        QVERIFY_THROWS_EXCEPTION(SessionEnd, shell.execute("bridge list"));
        QCOMPARE(out.str(), std::string("Connection to MidoNet API server refused.\nBye.\n"));
    }

    void exitAndQuit()
    {
        CliSession s;
        QVERIFY(!s.shell.exitRequested());
        s.run("quit");
        QVERIFY(s.shell.exitRequested());
    }
};

QTEST_GUILESS_MAIN(TstOutput)
#include "tst_output.moc"
