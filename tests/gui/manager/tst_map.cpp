// The maps follow the cluster: objects created through the API appear (virtual or physical map),
// a change made by another client arrives through the event stream within a second, search
// highlights by name, IP or MAC, the tenant filter hides other tenants, export writes PNG and SVG,
// and after a cluster restart the Manager reconnects with a fresh WebSocket and shows no stale
// objects. Runs against FakeCluster, a stand-in for midonet-cluster.
#include "manager-gui/widgets/main_window.h"

#include <QFile>
#include <QImage>
#include <QLabel>
#include <QTemporaryDir>
#include <QWebSocket>
#include <QtTest>

#include "fake_cluster.h"
#include "gui_test_support.h"
#include "manager-gui/models/map_graph.h"
#include "manager-gui/models/session.h"
#include "manager-gui/models/topology_model.h"
#include "manager-gui/net/event_stream.h"
#include "manager-gui/widgets/map_scene.h"
#include "manager-gui/widgets/map_view.h"
#include "manager-gui/widgets/node_item.h"

using namespace midonet::manager;
using midonet::manager::test::FakeCluster;

namespace {
QString nodeByLabel(const MapGraph *g, const QString &label)
{
    for (const auto &n : g->nodes())
        if (n.label == label) return n.id;
    return {};
}
} // namespace

class TstMap : public QObject
{
    Q_OBJECT
private:
    std::unique_ptr<FakeCluster> m_fake;
    std::unique_ptr<Session> m_session;
    std::unique_ptr<MainWindow> m_window;

    void connectDemo()
    {
        m_fake = std::make_unique<FakeCluster>();
        QVERIFY(m_fake->start());
        m_fake->loadDemo();
        m_session = std::make_unique<Session>();
        m_window = std::make_unique<MainWindow>(m_session.get());
        m_window->show();
        m_session->connectTo({QUrl(m_fake->url()), QStringLiteral("admin"), QString(), QString()});
        QTRY_COMPARE_WITH_TIMEOUT(int(m_session->state()), int(Session::State::Online), 10000);
        QTRY_COMPARE(m_fake->eventClients(), 1);
        QTRY_VERIFY(!nodeByLabel(m_window->virtualGraph(), QStringLiteral("acme-web")).isEmpty());
    }

private slots:
    void initTestCase() { test::isolateSettings(); }
    void init() { connectDemo(); }
    void cleanup()
    {
        m_window.reset();
        m_session.reset();
        m_fake.reset();
    }

    void createdByApiAppears_data()
    {
        QTest::addColumn<QString>("type");
        QTest::addColumn<QString>("name");
        QTest::addColumn<bool>("physical");
        QTest::newRow("bridge") << "bridges" << "new-bridge" << false;
        QTest::newRow("router") << "routers" << "new-router" << false;
        QTest::newRow("load-balancer") << "load_balancers" << "new-lb" << false;
        QTest::newRow("host") << "hosts" << "new-host" << true;
        QTest::newRow("tunnel-zone") << "tunnel_zones" << "new-zone" << true;
    }
    void createdByApiAppears()
    {
        QFETCH(QString, type);
        QFETCH(QString, name);
        QFETCH(bool, physical);
        MapGraph *g = physical ? m_window->physicalGraph() : m_window->virtualGraph();
        MapView *v = physical ? m_window->physicalView() : m_window->virtualView();
        QElapsedTimer t;
        t.start();
        const QJsonObject o = m_fake->create(type, QJsonObject{{QStringLiteral("name"), name}, {QStringLiteral("type"), QStringLiteral("vxlan")}});
        // Within a second, through the event stream (no reload).
        QTRY_VERIFY_WITH_TIMEOUT(v->mapScene()->nodeItem(o.value(QLatin1String("id")).toString()), 1000);
        QVERIFY2(t.elapsed() < 1000, qPrintable(QString::number(t.elapsed())));
        QCOMPARE(g->nodes().value(o.value(QLatin1String("id")).toString()).label, name);
    }

    void changeByOtherClientUpdatesMap_data()
    {
        QTest::addColumn<QString>("change");
        QTest::newRow("rename-bridge") << "rename";
        QTest::newRow("delete-router") << "delete";
        QTest::newRow("bind-port") << "bind";
        QTest::newRow("agent-dies") << "agent";
        QTest::newRow("link-ports") << "link";
    }
    void changeByOtherClientUpdatesMap()
    {
        QFETCH(QString, change);
        MapGraph *vg = m_window->virtualGraph();
        MapGraph *pg = m_window->physicalGraph();
        if (change == QLatin1String("rename")) {
            QJsonObject b = m_fake->findByName(QStringLiteral("bridges"), QStringLiteral("acme-web"));
            b.insert(QStringLiteral("name"), QStringLiteral("acme-frontend"));
            m_fake->update(QStringLiteral("bridges"), b);
            QTRY_COMPARE_WITH_TIMEOUT(vg->nodes().value(b.value(QLatin1String("id")).toString()).label, QStringLiteral("acme-frontend"), 1000);
            auto *item = m_window->virtualView()->mapScene()->nodeItem(b.value(QLatin1String("id")).toString());
            QCOMPARE(item->node().label, QStringLiteral("acme-frontend"));
        } else if (change == QLatin1String("delete")) {
            const QJsonObject r = m_fake->findByName(QStringLiteral("routers"), QStringLiteral("globex-router"));
            const QString id = r.value(QLatin1String("id")).toString();
            const int ports = int(m_session->model()->portsOf(id).size());
            QVERIFY(ports > 0);
            m_fake->remove(QStringLiteral("routers"), id);
            QTRY_VERIFY_WITH_TIMEOUT(!m_window->virtualView()->mapScene()->nodeItem(id), 1000);
            QVERIFY(m_session->model()->portsOf(id).isEmpty());
            for (const auto &n : vg->nodes()) QVERIFY(n.parent != id);
        } else if (change == QLatin1String("bind")) {
            const QJsonObject b = m_fake->findByName(QStringLiteral("bridges"), QStringLiteral("globex-db"));
            const QJsonObject p = m_fake->createPort(b.value(QLatin1String("id")).toString(), {});
            const QJsonObject h = m_fake->findByName(QStringLiteral("hosts"), QStringLiteral("compute-2"));
            m_fake->bind(p.value(QLatin1String("id")).toString(), h.value(QLatin1String("id")).toString(), QStringLiteral("tap-new"));
            QTRY_VERIFY_WITH_TIMEOUT(!nodeByLabel(vg, QStringLiteral("tap-new")).isEmpty(), 1000);
            QTRY_VERIFY_WITH_TIMEOUT(!nodeByLabel(pg, QStringLiteral("tap-new")).isEmpty(), 1000);
            QCOMPARE(pg->nodes().value(nodeByLabel(pg, QStringLiteral("tap-new"))).parent, h.value(QLatin1String("id")).toString());
        } else if (change == QLatin1String("agent")) {
            QJsonObject h = m_fake->findByName(QStringLiteral("hosts"), QStringLiteral("compute-1"));
            const QString id = h.value(QLatin1String("id")).toString();
            QCOMPARE(pg->nodes().value(id).state, QStringLiteral("alive"));
            h.insert(QStringLiteral("alive"), false);
            m_fake->update(QStringLiteral("hosts"), h);
            QTRY_COMPARE_WITH_TIMEOUT(pg->nodes().value(id).state, QStringLiteral("dead"), 1000);
        } else if (change == QLatin1String("link")) {
            const QJsonObject a = m_fake->findByName(QStringLiteral("bridges"), QStringLiteral("acme-web"));
            const QJsonObject b = m_fake->findByName(QStringLiteral("bridges"), QStringLiteral("globex-db"));
            const QJsonObject pa = m_fake->createPort(a.value(QLatin1String("id")).toString(), {});
            const QJsonObject pb = m_fake->createPort(b.value(QLatin1String("id")).toString(), {});
            m_fake->link(pa.value(QLatin1String("id")).toString(), pb.value(QLatin1String("id")).toString());
            QString key = pa.value(QLatin1String("id")).toString(), other = pb.value(QLatin1String("id")).toString();
            if (other < key) std::swap(key, other);
            QTRY_VERIFY_WITH_TIMEOUT(m_window->virtualView()->mapScene()->hasEdge(QStringLiteral("link:") + key + QLatin1Char('|') + other), 1000);
        }
    }

    void searchHighlights_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("physical");
        QTest::addColumn<int>("atLeast");
        QTest::newRow("by-name") << "acme-web" << false << 1;
        QTest::newRow("by-ip") << "10.1.0.1/24" << false << 1;
        QTest::newRow("by-port-mac") << "ac:ca:ba" << false << 3;
        QTest::newRow("by-host-mac") << "52:54:00:12:34:02" << true << 1;
        QTest::newRow("by-host-ip") << "192.168.10.13" << true << 1;
        QTest::newRow("nothing") << "no-such-thing" << false << 0;
    }
    void searchHighlights()
    {
        QFETCH(QString, text);
        QFETCH(bool, physical);
        QFETCH(int, atLeast);
        m_window->showPhysicalMap(physical);
        const int found = m_window->search(text);
        QVERIFY2(found >= atLeast, qPrintable(QString::number(found)));
        if (atLeast == 0) QCOMPARE(found, 0);
        MapScene *s = m_window->currentView()->mapScene();
        for (const auto &id : s->highlighted()) QVERIFY(s->nodeItem(id)->highlighted());
        QCOMPARE(int(s->highlighted().size()), found);
    }

    void tenantFilter()
    {
        MapScene *s = m_window->virtualView()->mapScene();
        MapGraph *g = m_window->virtualGraph();
        m_window->setTenantFilter(QStringLiteral("acme"));
        const QString acme = nodeByLabel(g, QStringLiteral("acme-web"));
        const QString globex = nodeByLabel(g, QStringLiteral("globex-db"));
        QVERIFY(s->nodeItem(acme)->isVisible());
        QVERIFY(!s->nodeItem(globex)->isVisible());
        for (const auto &n : g->nodes())
            if (n.parent == globex) QVERIFY(!s->nodeItem(n.id)->isVisible());
        m_window->setTenantFilter(QString());
        QVERIFY(s->nodeItem(globex)->isVisible());
    }

    void exportPngAndSvg()
    {
        QTemporaryDir dir;
        const QString png = dir.filePath(QStringLiteral("map.png")), svg = dir.filePath(QStringLiteral("map.svg"));
        m_window->virtualGraph()->settle(200);
        QVERIFY(m_window->exportMap(png));
        QVERIFY(m_window->exportMap(svg));
        const QImage img(png);
        QVERIFY(img.width() > 200 && img.height() > 100);
        QFile f(svg);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray data = f.readAll();
        QVERIFY(data.contains("<svg"));
        QVERIFY(data.contains("acme-web")); // labels are text in the SVG, not pixels
    }

    void reconnectAfterClusterRestart()
    {
        const quint16 port = m_fake->port();
        const QWebSocket *first = m_session->events()->socket();
        QVERIFY(first);
        m_fake->stop(true); // a memory-backed cluster restarts empty
        QTRY_COMPARE_WITH_TIMEOUT(int(m_session->state()), int(Session::State::Reconnecting), 5000);
        QTRY_VERIFY(m_window->connectionLabel()->text().contains(QLatin1String("reconnecting")));
        QVERIFY(m_fake->start(port));
        m_fake->create(QStringLiteral("bridges"), QJsonObject{{QStringLiteral("name"), QStringLiteral("after-restart")}});
        QTRY_COMPARE_WITH_TIMEOUT(int(m_session->state()), int(Session::State::Online), 15000);
        QTRY_VERIFY(!nodeByLabel(m_window->virtualGraph(), QStringLiteral("after-restart")).isEmpty());
        // Nothing from before the restart survives: no stale bridges, routers, hosts or ports.
        QTRY_VERIFY(nodeByLabel(m_window->virtualGraph(), QStringLiteral("acme-web")).isEmpty());
        QCOMPARE(m_session->model()->objects(QStringLiteral("bridges")).size(), 1);
        QVERIFY(m_session->model()->objects(QStringLiteral("hosts")).isEmpty());
        QCOMPARE(m_window->virtualView()->mapScene()->nodeCount(), 1);
        QVERIFY(m_window->physicalGraph()->nodes().isEmpty());
        // A fresh QWebSocket, and live events flow again.
        QVERIFY(m_session->events()->socket() != first);
        m_fake->create(QStringLiteral("routers"), QJsonObject{{QStringLiteral("name"), QStringLiteral("live-again")}});
        QTRY_VERIFY_WITH_TIMEOUT(!nodeByLabel(m_window->virtualGraph(), QStringLiteral("live-again")).isEmpty(), 1000);
    }

    void positionsSavedPerUser()
    {
        MapGraph *g = m_window->virtualGraph();
        const QString id = nodeByLabel(g, QStringLiteral("acme-web"));
        g->setPositions({{id, QPointF(1234, -567)}});
        m_window.reset(); // saves
        m_window = std::make_unique<MainWindow>(m_session.get());
        m_session->resync();
        QTRY_VERIFY(m_window->virtualGraph()->nodes().contains(id));
        QTRY_COMPARE(m_window->virtualGraph()->position(id), QPointF(1234, -567));
        QVERIFY(m_window->virtualGraph()->nodes().value(id).pinned);
    }
};

QTEST_MAIN(TstMap)
#include "tst_map.moc"
