// Speaker configuration validation: each rule names the field it refuses.
#include "gateway/bgp/config.h"

#include <QtTest>

using namespace midonet::gateway::bgp;
namespace bgp = midonet::gateway::bgp;

class TstConfig : public QObject
{
    Q_OBJECT

    static SpeakerConfig good()
    {
        SpeakerConfig c;
        c.localAs = 4200000001u;
        c.routerId = 0x0a000001;
        PeerConfig p;
        p.address = boost::asio::ip::make_address("10.0.0.2");
        p.remoteAs = 65002;
        c.peers = {p};
        c.networks = {*Prefix::parse("203.0.113.0/24")};
        return c;
    }

private slots:
    void validate_data()
    {
        QTest::addColumn<int>("mutation");
        QTest::addColumn<int>("error");
        QTest::addColumn<QString>("field");
        QTest::newRow("good") << 0 << 0 << "";
        QTest::newRow("no-local-as") << 1 << int(ConfigError::MissingLocalAs) << "localAs";
        QTest::newRow("no-router-id") << 2 << int(ConfigError::MissingRouterId) << "routerId";
        QTest::newRow("hold-time-2") << 3 << int(ConfigError::BadHoldTime) << "holdTime";
        QTest::newRow("peer-as-0") << 4 << int(ConfigError::MissingPeerAs) << "remoteAs";
        QTest::newRow("duplicate-peer") << 5 << int(ConfigError::DuplicatePeer) << "peer 10.0.0.2";
        QTest::newRow("password-81") << 6 << int(ConfigError::PasswordTooLong) << "md5Password";
        QTest::newRow("network-length-40") << 7 << int(ConfigError::BadNetwork) << "network";
    }
    void validate()
    {
        QFETCH(int, mutation);
        QFETCH(int, error);
        QFETCH(QString, field);
        auto c = good();
        switch (mutation) {
        case 1: c.localAs = 0; break;
        case 2: c.routerId = 0; break;
        case 3: c.peers[0].holdTime = 2; break;
        case 4: c.peers[0].remoteAs = 0; break;
        case 5: c.peers.push_back(c.peers[0]); break;
        case 6: c.peers[0].md5Password = std::string(81, 'x'); break;
        case 7: c.networks[0].length = 40; break;
        }
        std::string detail;
        auto ec = bgp::validate(c, &detail);
        QCOMPARE(ec.value(), error);
        if (error) {
            QCOMPARE(&ec.category(), &configCategory());
            QVERIFY2(QString::fromStdString(detail).contains(field), detail.c_str());
        }
    }

    // PeerConfig::bfd is checked by gateway/bfd's rules, and the peer is named.
    void bfdChecked()
    {
        auto c = good();
        c.peers[0].bfd = midonet::gateway::bfd::SessionConfig{};
        QVERIFY(!bgp::validate(c));
        c.peers[0].bfd->desiredMinTx = std::chrono::microseconds(0);
        std::string detail;
        auto ec = bgp::validate(c, &detail);
        QCOMPARE(ec, std::error_code(midonet::gateway::bfd::ConfigError::BadDesiredMinTx));
        QVERIFY2(QString::fromStdString(detail).startsWith("peer 10.0.0.2 bfd.desiredMinTx"), detail.c_str());
    }
};

QTEST_GUILESS_MAIN(TstConfig)
#include "tst_config.moc"
