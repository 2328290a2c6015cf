// MAC, IPv4, IPv6, CIDR and UUID parsing: what users type in the API and CLI.
#include "common/util/net_types.h"
#include "common/util/uuid.h"

#include <QtTest>

using namespace midonet::util;

class TstNetTypes : public QObject
{
    Q_OBJECT
private slots:
    void ipv4_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("valid");
        QTest::addColumn<QString>("printed");
        QTest::newRow("plain") << "10.0.0.1" << true << "10.0.0.1";
        QTest::newRow("zeros") << "0.0.0.0" << true << "0.0.0.0";
        QTest::newRow("max") << "255.255.255.255" << true << "255.255.255.255";
        QTest::newRow("octet-too-big") << "10.0.0.256" << false << "";
        QTest::newRow("three-octets") << "10.0.1" << false << "";
        QTest::newRow("trailing-dot") << "10.0.0.1." << false << "";
        QTest::newRow("letters") << "10.a.0.1" << false << "";
        QTest::newRow("empty") << "" << false << "";
        QTest::newRow("negative") << "10.-1.0.1" << false << "";
    }
    void ipv4()
    {
        QFETCH(QString, text);
        QFETCH(bool, valid);
        QFETCH(QString, printed);
        auto a = IPv4Address::parse(text.toStdString());
        QCOMPARE(a.has_value(), valid);
        if (valid) QCOMPARE(QString::fromStdString(a->toString()), printed);
    }
    void cidr_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("valid");
        QTest::addColumn<int>("length");
        QTest::newRow("slash24") << "10.0.0.1/24" << true << 24;
        QTest::newRow("bare-is-32") << "10.0.0.1" << true << 32;
        QTest::newRow("slash0") << "0.0.0.0/0" << true << 0;
        QTest::newRow("slash33") << "10.0.0.0/33" << false << 0;
        QTest::newRow("empty-length") << "10.0.0.0/" << false << 0;
        QTest::newRow("junk-length") << "10.0.0.0/2x" << false << 0;
    }
    void cidr()
    {
        QFETCH(QString, text);
        QFETCH(bool, valid);
        QFETCH(int, length);
        auto s = IPv4Subnet::parse(text.toStdString());
        QCOMPARE(s.has_value(), valid);
        if (valid) QCOMPARE(int(s->length), length);
    }
    void cidrContains()
    {
        auto s = *IPv4Subnet::parse("10.1.2.3/16");
        QVERIFY(s.contains(*IPv4Address::parse("10.1.200.7")));
        QVERIFY(!s.contains(*IPv4Address::parse("10.2.0.1")));
        QCOMPARE(QString::fromStdString(s.network().toString()), QString("10.1.0.0"));
        QVERIFY(IPv4Subnet::parse("0.0.0.0/0")->contains(*IPv4Address::parse("8.8.8.8")));
    }
    void mac()
    {
        auto m = MacAddress::parse("AA:bb:0c:dd:ee:0F");
        QVERIFY(m);
        QCOMPARE(QString::fromStdString(m->toString()), QString("aa:bb:0c:dd:ee:0f"));
        QVERIFY(!MacAddress::parse("aa:bb:cc:dd:ee"));
        QVERIFY(!MacAddress::parse("aa-bb-cc-dd-ee-ff"));
        QVERIFY(!MacAddress::parse("gg:bb:cc:dd:ee:ff"));
        QVERIFY(MacAddress::broadcast().isMulticast());
        QCOMPARE(MacAddress::fromU64(m->toU64()), *m);
    }
    void ipv6()
    {
        auto a = IPv6Address::parse("2001:db8::1");
        QVERIFY(a);
        QCOMPARE(QString::fromStdString(a->toString()), QString("2001:db8::1"));
        QVERIFY(!IPv6Address::parse("2001:db8:::1"));
        QVERIFY(!IPv6Address::parse(std::string(200, '1')));
    }
    void uuid()
    {
        auto u = Uuid::random();
        auto back = Uuid::parse(u.toString());
        QVERIFY(back);
        QCOMPARE(*back, u);
        QCOMPARE(u.toString()[14], '4');
        QVERIFY(Uuid::parse("6BA7B810-9DAD-11D1-80B4-00C04FD430C8"));
        QCOMPARE(QString::fromStdString(Uuid::parse("6BA7B810-9DAD-11D1-80B4-00C04FD430C8")->toString()),
                 QString("6ba7b810-9dad-11d1-80b4-00c04fd430c8"));
        QVERIFY(!Uuid::parse("6ba7b810-9dad-11d1-80b4-00c04fd430c"));
        QVERIFY(!Uuid::parse("6ba7b810x9dad-11d1-80b4-00c04fd430c8"));
        QVERIFY(Uuid::random() != Uuid::random());
    }
};

QTEST_GUILESS_MAIN(TstNetTypes)
#include "tst_net_types.moc"
