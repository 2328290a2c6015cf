// BFD session configuration: the ranges validate() accepts and the field it names otherwise.
#include "gateway/bfd/config.h"

#include <QtTest>

using namespace midonet::gateway::bfd;
using namespace std::chrono_literals;

class TstBfdConfig : public QObject
{
    Q_OBJECT
private slots:
    void validate_data()
    {
        QTest::addColumn<qint64>("txUs");
        QTest::addColumn<qint64>("rxUs");
        QTest::addColumn<int>("mult");
        QTest::addColumn<int>("error");
        QTest::addColumn<QString>("field");
        QTest::newRow("defaults") << qint64(300000) << qint64(300000) << 3 << 0 << "";
        QTest::newRow("fastest") << qint64(10000) << qint64(10000) << 1 << 0 << "";
        QTest::newRow("slowest") << qint64(60000000) << qint64(60000000) << 255 << 0 << "";
        QTest::newRow("tx-too-fast") << qint64(9999) << qint64(300000) << 3 << int(ConfigError::BadDesiredMinTx) << "bfd.desiredMinTx";
        QTest::newRow("tx-zero") << qint64(0) << qint64(300000) << 3 << int(ConfigError::BadDesiredMinTx) << "bfd.desiredMinTx";
        QTest::newRow("rx-too-slow") << qint64(300000) << qint64(60000001) << 3 << int(ConfigError::BadRequiredMinRx) << "bfd.requiredMinRx";
        QTest::newRow("mult-zero") << qint64(300000) << qint64(300000) << 0 << int(ConfigError::BadDetectMult) << "bfd.detectMult";
    }
    void validate()
    {
        QFETCH(qint64, txUs);
        QFETCH(qint64, rxUs);
        QFETCH(int, mult);
        QFETCH(int, error);
        QFETCH(QString, field);
        SessionConfig c;
        c.desiredMinTx = std::chrono::microseconds(txUs);
        c.requiredMinRx = std::chrono::microseconds(rxUs);
        c.detectMult = uint8_t(mult);
        std::string detail;
        auto ec = midonet::gateway::bfd::validate(c, &detail);
        QCOMPARE(ec.value(), error);
        if (error) {
            QCOMPARE(&ec.category(), &configCategory());
            QVERIFY2(QString::fromStdString(detail).startsWith(field + ":"), detail.c_str());
        }
    }
};

QTEST_GUILESS_MAIN(TstBfdConfig)
#include "tst_bfd_config.moc"
