// The object-type table and the parser built on it: every command form of reference A2 parses
// to the same Command whatever the verb position, and the table holds its invariants.
#include "cli/grammar.h"

#include <QtTest>

#include <set>

#include "cli/parser.h"

using namespace midonet::cli;

namespace {

// A Command as one line of text, to compare forms: VERB path... [coll=C] [f=v...] [field=F...].
// (No raw string literals with \" in this file: Qt 6.4's moc mis-reads them.)
QString describe(const Command &c)
{
    QStringList parts{verbName(c.verb)};
    for (const auto &e : c.path) {
        QString p = QString::fromStdString(e.type->id);
        if (!e.id.empty()) p += ":" + QString::fromStdString(e.id);
        for (const auto &f : e.filter) p += "[" + QString::fromStdString(f.field->cli + "=" + f.value) + "]";
        parts << p;
    }
    if (c.collection) parts << "coll=" + QString::fromStdString(c.collection->id);
    for (const auto &a : c.args) parts << QString::fromStdString(a.field->cli + "=" + a.value);
    for (const auto *f : c.fields) parts << "field=" + QString::fromStdString(f->cli);
    if (c.showId) parts << "field=id";
    return parts.join(' ');
}

std::vector<std::string> words(const QString &line) { return tokenize(line.toStdString()); }

} // namespace

class TstGrammar : public QObject
{
    Q_OBJECT
private slots:
    void tableInvariants()
    {
        std::set<std::string> ids;
        for (const auto &t : objectTypes()) {
            QVERIFY2(ids.insert(t.id).second, t.id.c_str());
            std::set<std::string> fields;
            for (const auto &f : t.fields) {
                QVERIFY2(fields.insert(f.cli).second, (t.id + "." + f.cli).c_str());
                QVERIFY2(!t.child(f.cli), (t.id + "." + f.cli).c_str());
                if (f.kind == FieldKind::Enum) QVERIFY(!f.enums.empty());
                if (f.kind == FieldKind::Cidr) QVERIFY(!f.api2.empty());
            }
            for (const auto &c : t.children) QVERIFY2(findType(c.typeId), c.typeId.c_str());
            if (t.id != "root") QVERIFY2(!t.mediaType.empty(), t.id.c_str());
        }
        QCOMPARE(rootType().id, std::string("root"));
    }

    void mediaTypes()
    {
        QCOMPARE(findType("bridge")->itemMediaType(), std::string("application/vnd.org.midonet.Bridge-v4+json"));
        QCOMPARE(findType("bridge")->collectionMediaType(),
                 std::string("application/vnd.org.midonet.collection.Bridge-v4+json"));
        QCOMPARE(findType("router-port")->itemMediaType(), std::string("application/vnd.org.midonet.Port-v3+json"));
        QCOMPARE(findType("rule")->itemMediaType(), std::string("application/vnd.org.midonet.Rule-v2+json"));
        QCOMPARE(findType("tenant")->collectionMediaType(),
                 std::string("application/vnd.org.midonet.collection.Tenant-v2+json"));
        QCOMPARE(findType("vip")->itemMediaType(), std::string("application/vnd.org.midonet.VIP-v1+json"));
    }

    void polymorphicPorts()
    {
        const auto &port = *findType("port");
        QCOMPARE(concreteType(port, "Bridge").id, std::string("bridge-port"));
        QCOMPARE(concreteType(port, "InteriorRouter").id, std::string("router-port"));
        QCOMPARE(concreteType(*findType("bridge"), "Router").id, std::string("bridge"));
    }

    void forms_data()
    {
        QTest::addColumn<QString>("line");
        QTest::addColumn<QString>("parsed");

        const QString listPorts = "list bridge:bridge0 coll=bridge-port";
        QTest::newRow("list-verb-first") << "list bridge bridge0 port" << listPorts;
        QTest::newRow("list-verb-middle") << "bridge bridge0 list port" << listPorts;
        QTest::newRow("list-verb-last") << "bridge bridge0 port list" << listPorts;
        QTest::newRow("list-abbrev-l") << "bridge bridge0 port l" << listPorts;
        QTest::newRow("list-root") << "bridge list" << "list coll=bridge";
        QTest::newRow("list-filter") << "bridge list name foo" << "list coll=bridge name=foo";
        QTest::newRow("list-filter-verb-first") << "list bridge name foo" << "list coll=bridge name=foo";
        const QString show = "show bridge:bridge0";
        QTest::newRow("show-verb-first") << "show bridge bridge0" << show;
        QTest::newRow("show-verb-last") << "bridge bridge0 show" << show;
        QTest::newRow("show-abbrev-s") << "bridge bridge0 s" << show;
        QTest::newRow("show-abbrev-sh") << "sh bridge bridge0" << show;
        const QString showName = "show bridge:bridge0 field=name";
        QTest::newRow("show-field-first") << "show bridge bridge0 name" << showName;
        QTest::newRow("show-field-after-verb") << "bridge bridge0 show name" << showName;
        QTest::newRow("show-field-before-verb") << "bridge bridge0 name show" << showName;
        QTest::newRow("show-id") << "bridge bridge0 show id" << "show bridge:bridge0 field=id";
        QTest::newRow("show-system-state-field") << "system-state show state" << "show system-state field=state";
        QTest::newRow("show-composite-alias") << "port router0:port1 show" << "show port:router0:port1";
        const QString create = "create coll=bridge name=front";
        QTest::newRow("create-coll-verb") << "bridge create name front" << create;
        QTest::newRow("create-verb-first") << "create bridge name front" << create;
        QTest::newRow("add-verb-first") << "add bridge name front" << create;
        const QString addPort = "create router:router0 coll=router-port addresses=10.0.0.1/24";
        QTest::newRow("add-in-path") << "router router0 add port addresses 10.0.0.1/24" << addPort;
        QTest::newRow("create-after-coll") << "router router0 port create addresses 10.0.0.1/24" << addPort;
        QTest::newRow("create-first-with-path") << "create router router0 port addresses 10.0.0.1/24" << addPort;
        QTest::newRow("create-bare") << "bridge bridge0 port create" << "create bridge:bridge0 coll=bridge-port";
        QTest::newRow("add-route")
            << "router router0 add route src 0.0.0.0/0 dst 0.0.0.0/0 gw 10.0.0.254 port router0:port0 type normal"
            << "create router:router0 coll=route src=0.0.0.0/0 dst=0.0.0.0/0 gw=10.0.0.254 port=router0:port0 type=normal";
        QTest::newRow("add-rule") << "chain chain0 add rule type dnat action accept dst 1.2.3.4 target 10.0.0.5"
                                  << "create chain:chain0 coll=rule type=dnat action=accept dst=1.2.3.4 target=10.0.0.5";
        const QString setPeer = "set bridge:bridge0 bridge-port:port0 peer=router0:port0";
        QTest::newRow("set-in-path") << "bridge bridge0 port port0 set peer router0:port0" << setPeer;
        QTest::newRow("set-verb-first") << "set bridge bridge0 port port0 peer router0:port0" << setPeer;
        QTest::newRow("clear-fields") << "bridge bridge0 clear infilter outfilter"
                                      << "clear bridge:bridge0 field=infilter field=outfilter";
        QTest::newRow("clear-verb-first") << "clear bridge bridge0 infilter" << "clear bridge:bridge0 field=infilter";
        const QString del = "delete chain:chain0 rule:rule1";
        QTest::newRow("delete-last") << "chain chain0 rule rule1 delete" << del;
        QTest::newRow("delete-first") << "delete chain chain0 rule rule1" << del;
        QTest::newRow("delete-middle") << "chain chain0 delete rule rule1" << del;
        QTest::newRow("delete-abbrev") << "chain chain0 del rule rule1" << del;
        QTest::newRow("delete-by-filter") << "tunnel-zone tzone0 member host host0 delete"
                                          << "delete tunnel-zone:tzone0 tz-member[host=host0]";
        QTest::newRow("delete-by-filter-verb-first") << "delete bridge bridge0 dhcp subnet 10.0.0.0/24"
                                                     << "delete bridge:bridge0 dhcp[subnet=10.0.0.0/24]";
        QTest::newRow("filter-then-child") << "bridge bridge0 dhcp subnet 10.0.0.0/24 host list"
                                           << "list bridge:bridge0 dhcp[subnet=10.0.0.0/24] coll=dhcp-host";
        QTest::newRow("describe-root") << "describe" << "describe";
        QTest::newRow("describe-coll") << "describe router" << "describe coll=router";
        QTest::newRow("describe-abbrev") << "desc router" << "describe coll=router";
        QTest::newRow("describe-object") << "router router0 describe" << "describe router:router0";
        QTest::newRow("host-binding") << "host host0 add binding interface eth0 port bridge0:port0"
                                      << "create host:host0 coll=binding interface=eth0 port=bridge0:port0";
        QTest::newRow("list-host-interfaces") << "host host0 interface list" << "list host:host0 coll=host-interface";
        QTest::newRow("lb-pool-member") << "load-balancer lb0 pool pool0 add member address 10.0.0.1"
                                        << "create load-balancer:lb0 pool:pool0 coll=pool-member address=10.0.0.1";
        QTest::newRow("reference-as-root-path") << "bridge bridge0 set infilter chain chain0 name x"
                                                << "set bridge:bridge0 infilter=chain chain0 name=x";
        QTest::newRow("value-that-is-a-verb") << "bridge create name list" << "create coll=bridge name=list";
        QTest::newRow("quoted-value") << "bridge create name \"a b\"" << "create coll=bridge name=a b";
    }
    void forms()
    {
        QFETCH(QString, line);
        QFETCH(QString, parsed);
        QCOMPARE(describe(parseCommand(words(line))), parsed);
    }

    void errors_data()
    {
        QTest::addColumn<QString>("line");
        QTest::addColumn<QString>("error");
        QTest::newRow("unknown-word") << "frobnicate" << "Syntax error at: ...frobnicate";
        QTest::newRow("unknown-field") << "bridge create colour red" << "Syntax error at: ...colour red";
        QTest::newRow("field-of-other-type") << "bridge create addresses 10.0.0.1" << "Syntax error at: ...addresses 10.0.0.1";
        QTest::newRow("extra-after-delete") << "bridge bridge0 delete now" << "Syntax error at: ...now";
        QTest::newRow("two-show-fields") << "bridge bridge0 show name state" << "Syntax error at: ...state";
        QTest::newRow("no-verb") << "bridge bridge0" << "Missing arguments, incomplete command";
        QTest::newRow("list-no-coll") << "bridge bridge0 list" << "Missing arguments, incomplete command";
        QTest::newRow("set-nothing") << "bridge bridge0 set" << "Missing arguments, incomplete command";
        QTest::newRow("set-no-value") << "bridge bridge0 set name" << "Missing arguments, incomplete command";
        QTest::newRow("show-coll") << "show bridge" << "Missing arguments, incomplete command";
        QTest::newRow("delete-coll") << "delete bridge" << "Missing arguments, incomplete command";
        QTest::newRow("clear-nothing") << "bridge bridge0 clear" << "Missing arguments, incomplete command";
        QTest::newRow("idless-needs-filter") << "tunnel-zone tzone0 member x1 delete" << "Syntax error at: ...x1 delete";
        QTest::newRow("unmatched-quote") << "bridge create name 'x" << "Syntax error: unmatched quote";
        QTest::newRow("unmatched-double") << "bridge create name \"x" << "Syntax error: unmatched quote";
    }
    void errors()
    {
        QFETCH(QString, line);
        QFETCH(QString, error);
        try {
            parseCommand(words(line));
            QFAIL("parsed");
        } catch (const std::exception &e) {
            QCOMPARE(QString(e.what()), error);
        }
    }

    void tokenizer_data()
    {
        QTest::addColumn<QString>("line");
        QTest::addColumn<QStringList>("words");
        QTest::newRow("spaces") << "  a   b\tc " << QStringList{"a", "b", "c"};
        QTest::newRow("single-quotes") << "name 'a \"b\" c'" << QStringList{"name", "a \"b\" c"};
        QTest::newRow("double-quotes-escape") << "name \"a \\\"b\\\" c\"" << QStringList{"name", "a \"b\" c"};
        QTest::newRow("backslash-space") << "a\\ b c" << QStringList{"a b", "c"};
        QTest::newRow("adjacent-quotes") << "x'y'\"z\"" << QStringList{"xyz"};
        QTest::newRow("empty-quoted") << "name ''" << QStringList{"name", ""};
        QTest::newRow("bang") << "src !10.0.0.0/8" << QStringList{"src", "!10.0.0.0/8"};
    }
    void tokenizer()
    {
        QFETCH(QString, line);
        QFETCH(QStringList, words);
        QStringList got;
        for (const auto &w : tokenize(line.toStdString())) got << QString::fromStdString(w);
        QCOMPARE(got, words);
    }
};

QTEST_GUILESS_MAIN(TstGrammar)
#include "tst_grammar.moc"
