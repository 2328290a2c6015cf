// Content negotiation as a MidoNet client meets it: vendor types, collections, wildcards.
#include "cluster/media_type.h"

#include <QtTest>

using namespace midonet::cluster;

class TstMediaType : public QObject
{
    Q_OBJECT
private slots:
    void accept_data()
    {
        QTest::addColumn<QString>("accept");
        QTest::addColumn<bool>("jsonAllowed");
        QTest::addColumn<QString>("chosen"); // empty: 406
        const QString bridge = "application/vnd.org.midonet.Bridge-v4+json";
        QTest::newRow("vendor-exact") << bridge << true << bridge;
        QTest::newRow("vendor-v5") << "application/vnd.org.midonet.Bridge-v5+json" << true << "application/vnd.org.midonet.Bridge-v5+json";
        QTest::newRow("vendor-case-insensitive") << "application/VND.org.midonet.bridge-v4+JSON" << true << bridge;
        QTest::newRow("with-charset") << bridge + "; charset=UTF-8" << true << bridge;
        QTest::newRow("star-star") << "*/*" << true << bridge;
        QTest::newRow("missing-is-star") << "" << true << bridge;
        QTest::newRow("application-star") << "application/*" << true << bridge;
        QTest::newRow("plain-json") << "application/json" << true << "application/json";
        QTest::newRow("plain-json-refused") << "application/json" << false << "";
        QTest::newRow("other-vendor") << "application/vnd.org.midonet.Router-v3+json" << true << "";
        QTest::newRow("old-version") << "application/vnd.org.midonet.Bridge-v1+json" << true << "";
        QTest::newRow("list-second-matches") << "text/html, application/json;q=0.9" << true << "application/json";
        QTest::newRow("garbage") << "not a media type" << true << "";
        QTest::newRow("text-star") << "text/*" << true << "";
    }
    void accept()
    {
        QFETCH(QString, accept);
        QFETCH(bool, jsonAllowed);
        QFETCH(QString, chosen);
        MediaChoice c{vendorType("Bridge", 4), vendorType("Bridge", 5)};
        if (jsonAllowed) c.allowed.emplace_back(kJson);
        auto got = negotiateAccept(accept.toStdString(), c);
        QCOMPARE(QString::fromStdString(got.value_or("")), chosen);
    }
    void contentType_data()
    {
        QTest::addColumn<QString>("contentType");
        QTest::addColumn<bool>("ok");
        QTest::newRow("vendor") << "application/vnd.org.midonet.Port-v3+json" << true;
        QTest::newRow("vendor-v4") << "application/vnd.org.midonet.Port-v4+json" << true;
        QTest::newRow("json") << "application/json; charset=utf-8" << true;
        QTest::newRow("missing") << "" << false;
        QTest::newRow("xml") << "application/xml" << false;
        QTest::newRow("collection-type-on-create") << "application/vnd.org.midonet.collection.Port-v3+json" << false;
    }
    void contentType()
    {
        QFETCH(QString, contentType);
        QFETCH(bool, ok);
        MediaChoice c{vendorType("Port", 3), vendorType("Port", 4), std::string(kJson)};
        QCOMPARE(matchContentType(contentType.toStdString(), c).has_value(), ok);
    }
    void names()
    {
        QCOMPARE(QString::fromStdString(vendorCollectionType("Tenant", 2)), QString("application/vnd.org.midonet.collection.Tenant-v2+json"));
    }
};

QTEST_GUILESS_MAIN(TstMediaType)
#include "tst_media_type.moc"
