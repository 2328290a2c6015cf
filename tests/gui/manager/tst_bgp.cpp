// The BGP peers table: address and AS always; session state, prefix counts, uptime and gateway
// host when the cluster reports them, "—" with an explanatory tooltip when it does not (no agent
// runs the session, or an older cluster). Status updates keep the rows (no reset). No network.
#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QtTest>

#include "manager-gui/models/bgp_model.h"
#include "manager-gui/models/topology_model.h"

using namespace midonet::manager;

class TstBgp : public QObject
{
    Q_OBJECT
private slots:
    void statusColumns_data()
    {
        QTest::addColumn<QJsonObject>("status");
        QTest::addColumn<QStringList>("shown"); // State, Received, Advertised, Up for, Host
        QTest::newRow("no agent") << QJsonObject{} << QStringList{"—", "—", "—", "—", "—"};
        QTest::newRow("established")
            << QJsonObject{{"sessionState", "Established"}, {"prefixesReceived", 12}, {"prefixesAdvertised", 3},
                           {"uptimeSeconds", 93784}, {"hostId", "8e6a1c9e-0000-4000-8000-000000000001"}}
            << QStringList{"Established", "12", "3", "1d 02:03:04", "gw-1"};
        QTest::newRow("connecting, host unknown")
            << QJsonObject{{"sessionState", "Connect"}, {"prefixesReceived", 0}, {"prefixesAdvertised", 0},
                           {"uptimeSeconds", 59}, {"hostId", "11111111-2222-4333-8444-555555555555"}}
            << QStringList{"Connect", "0", "0", "00:00:59", "11111111"};
        QTest::newRow("nulls") << QJsonObject{{"sessionState", QJsonValue()}, {"hostId", QJsonValue()}}
                               << QStringList{"—", "—", "—", "—", "—"};
    }
    void statusColumns()
    {
        QFETCH(QJsonObject, status);
        QFETCH(QStringList, shown);
        TopologyModel model;
        model.upsert(QStringLiteral("hosts"), QJsonObject{{"id", "8e6a1c9e-0000-4000-8000-000000000001"}, {"name", "gw-1"}});
        QJsonObject peer{{"id", "p1"}, {"routerId", "r1"}, {"address", "192.0.2.1"}, {"asNumber", 65001}};
        for (auto it = status.begin(); it != status.end(); ++it) peer.insert(it.key(), it.value());
        model.upsert(QStringLiteral("bgp_peers"), peer);
        // Another router's peer is not in this table.
        model.upsert(QStringLiteral("bgp_peers"), QJsonObject{{"id", "p2"}, {"routerId", "r2"}, {"address", "192.0.2.2"}, {"asNumber", 65002}});
        BgpPeersModel peers(&model);
        QAbstractItemModelTester tester(&peers);
        peers.setRouter(QStringLiteral("r1"));
        QCOMPARE(peers.rowCount(), 1);
        QCOMPARE(peers.index(0, BgpPeersModel::Address).data().toString(), QStringLiteral("192.0.2.1"));
        QCOMPARE(peers.index(0, BgpPeersModel::As).data().toString(), QStringLiteral("65001"));
        const int cols[] = {BgpPeersModel::State, BgpPeersModel::Received, BgpPeersModel::Advertised, BgpPeersModel::Uptime,
                            BgpPeersModel::Host};
        for (int i = 0; i < 5; ++i) {
            QCOMPARE(peers.index(0, cols[i]).data().toString(), shown[i]);
            const bool absent = shown[i] == QStringLiteral("—");
            QCOMPARE(!peers.index(0, cols[i]).data(Qt::ToolTipRole).toString().isEmpty(), absent || cols[i] == BgpPeersModel::Host);
        }
    }

    void statusUpdateKeepsRows()
    {
        TopologyModel model;
        model.upsert(QStringLiteral("bgp_peers"), QJsonObject{{"id", "p1"}, {"routerId", "r1"}, {"address", "192.0.2.10"}, {"asNumber", 1}});
        model.upsert(QStringLiteral("bgp_peers"), QJsonObject{{"id", "p2"}, {"routerId", "r1"}, {"address", "192.0.2.9"}, {"asNumber", 2}});
        BgpPeersModel peers(&model);
        peers.setRouter(QStringLiteral("r1"));
        // Numeric address order: .9 before .10.
        QCOMPARE(peers.index(0, BgpPeersModel::Address).data().toString(), QStringLiteral("192.0.2.9"));
        QSignalSpy resets(&peers, &QAbstractItemModel::modelReset);
        QSignalSpy changes(&peers, &QAbstractItemModel::dataChanged);
        model.upsert(QStringLiteral("bgp_peers"), QJsonObject{{"id", "p1"}, {"routerId", "r1"}, {"address", "192.0.2.10"}, {"asNumber", 1},
                                                              {"sessionState", "Established"}});
        QTRY_COMPARE(changes.size(), 1);
        QCOMPARE(resets.size(), 0);
        QCOMPARE(peers.index(1, BgpPeersModel::State).data().toString(), QStringLiteral("Established"));
    }

    void networks()
    {
        TopologyModel model;
        model.upsert(QStringLiteral("bgp_networks"), QJsonObject{{"id", "n1"}, {"routerId", "r1"}, {"subnetAddress", "203.0.113.0"}, {"subnetLength", 24}});
        BgpNetworksModel nets(&model);
        nets.setRouter(QStringLiteral("r1"));
        QCOMPARE(nets.rowCount(), 1);
        QCOMPARE(nets.index(0, 0).data().toString(), QStringLiteral("203.0.113.0/24"));
        QCOMPARE(nets.networkId(0), QStringLiteral("n1"));
    }
};

QTEST_MAIN(TstBgp)
#include "tst_bgp.moc"
