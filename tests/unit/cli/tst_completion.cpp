// Tab completion candidates for partial lines (reference A7): verbs, the current object's
// collections, aliases of the right type in the right namespace, field names, enum values,
// and values fetched from the API (hosts not yet aliased, tenant ids).
#include "cli/shell.h"

#include <QtTest>

#include "tests/unit/cli/cli_session.h"

using namespace midonet::cli;
using namespace midonet::cli::test;

class TstCompletion : public QObject
{
    Q_OBJECT
private slots:
    void candidates_data()
    {
        QTest::addColumn<QStringList>("setup");
        QTest::addColumn<QString>("line");
        QTest::addColumn<QStringList>("expected");

        const QStringList verbs{"add", "clear", "create", "delete", "describe", "list", "set", "show"};
        const QStringList topo{"bridge create name a", "bridge create name b", "bridge bridge0 port create",
                               "router create name r", "router router0 port create", "chain create name c"};
        auto with = [](QStringList a, const QStringList &b) {
            a += b;
            a.sort();
            return a;
        };

        QTest::newRow("first-word-prefix") << QStringList{} << "b" << QStringList{"bridge"};
        QTest::newRow("first-word-t") << QStringList{} << "t" << QStringList{"tenant", "tracerequest", "tunnel-zone"};
        QTest::newRow("first-word-verbs") << QStringList{} << "de" << QStringList{"debug", "delete", "describe"};
        QTest::newRow("after-collection") << topo << "bridge " << with(verbs, {"bridge0", "bridge1"});
        QTest::newRow("alias-prefix") << topo << "bridge bri" << QStringList{"bridge0", "bridge1"};
        QTest::newRow("aliases-filtered-by-type") << topo << "router r" << QStringList{"router0"};
        QTest::newRow("after-object") << topo << "bridge bridge0 " << with(verbs, {"dhcp", "port"});
        QTest::newRow("child-aliases-in-namespace") << topo << "bridge bridge0 port " << with(verbs, {"port0"});
        QTest::newRow("set-fields") << topo << "bridge bridge0 set "
                                    << QStringList{"dhcp", "infilter", "name", "outfilter", "port", "state"};
        QTest::newRow("set-field-prefix") << topo << "bridge bridge0 set in" << QStringList{"infilter"};
        QTest::newRow("state-values") << topo << "bridge bridge0 set state " << QStringList{"down", "up"};
        QTest::newRow("reference-values") << topo << "bridge bridge0 set infilter " << QStringList{"chain0"};
        QTest::newRow("reference-root-path") << topo << "bridge bridge0 set infilter chain " << QStringList{"chain0"};
        QTest::newRow("port-reference-chains") << topo << "bridge bridge0 port port0 set peer "
                                               << QStringList{"bridge0:port0", "router0:port0"};
        QTest::newRow("router-port-writable-fields")
            << topo << "router router0 port port0 set "
            << QStringList{"addresses", "infilter", "mac", "outfilter", "peer", "state", "vni", "vxlan-off-ramp"};
        QTest::newRow("show-fields") << topo << "bridge bridge0 show "
                                     << QStringList{"dhcp", "id", "infilter", "name", "outfilter", "port", "state"};
        QTest::newRow("create-collections") << topo << "router router0 add "
                                            << QStringList{"bgp-network", "bgp-peer", "port", "route"};
        QTest::newRow("route-types") << topo << "router router0 add route type "
                                     << QStringList{"blackhole", "local", "normal", "reject"};
        QTest::newRow("rule-field-prefix") << topo << "chain chain0 add rule fl" << QStringList{"flow"};
        QTest::newRow("rule-flow-values") << topo << "chain chain0 add rule flow " << QStringList{"fwd-flow", "return-flow"};
        QTest::newRow("rule-types") << topo << "chain chain0 add rule type r"
                                    << QStringList{"reject", "return", "rev_dnat", "rev_snat"};
        QTest::newRow("rule-jump-target") << topo << "chain chain0 add rule type jump jump-to " << QStringList{"chain0"};
        QTest::newRow("tunnel-zone-types") << QStringList{} << "tunnel-zone create type " << QStringList{"gre", "vtep", "vxlan"};
        QTest::newRow("list-collections") << QStringList{} << "list tu" << QStringList{"tunnel-zone"};
        QTest::newRow("system-state-fields") << QStringList{} << "system-state show " << QStringList{"availability", "state"};
        QTest::newRow("system-state-values") << QStringList{} << "system-state set state " << QStringList{"ACTIVE", "UPGRADE"};
        QTest::newRow("hosts-from-api") << QStringList{"@host h1", "@host h2"} << "host h" << QStringList{"host0", "host1"};
        QTest::newRow("member-filter-fields") << QStringList{"tunnel-zone create name tz type vxlan"}
                                              << "tunnel-zone tzone0 member " << with(verbs, {"address", "host"});
        QTest::newRow("tenants-from-api") << QStringList{"@tenant admin", "@tenant demo"} << "sett " << QStringList{"admin", "demo"};
        QTest::newRow("debug-values") << QStringList{} << "debug o" << QStringList{"off", "on"};
        QTest::newRow("help-topics") << QStringList{} << "help cl" << QStringList{"clear", "cleart"};
        QTest::newRow("nothing-after-bad-word") << topo << "bogus " << QStringList{};
        QTest::newRow("nothing-in-open-quote") << topo << "bridge create name 'fr" << QStringList{};
    }
    void candidates()
    {
        QFETCH(QStringList, setup);
        QFETCH(QString, line);
        QFETCH(QStringList, expected);
        CliSession s;
        for (const auto &l : setup) {
            auto printed = s.run(l.toStdString());
            QVERIFY2(s.ok, qPrintable(l + " -> " + QString::fromStdString(printed)));
        }
        QStringList got;
        for (const auto &c : s.shell.complete(line.toStdString())) got << QString::fromStdString(c);
        QCOMPARE(got, expected);
    }

    void completionSendsNothingWhenAliasesExist()
    {
        // Completing from aliases already known needs no request.
        CliSession s;
        s.run("bridge create name a");
        auto before = s.api.requests.size();
        s.shell.complete("bridge bridge0 set ");
        QCOMPARE(s.api.requests.size(), before);
    }
};

QTEST_GUILESS_MAIN(TstCompletion)
#include "tst_completion.moc"
