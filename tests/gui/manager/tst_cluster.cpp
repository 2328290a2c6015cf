// The Manager against the real midonet-cluster (memory store, password auth), started by the
// test: login (right and wrong credentials); objects created by another client (bridge, router,
// router port, tunnel zone) appear on the right map through /events; a rename, a delete and a
// link by another client update the map; a palette drop of each device kind writes the right
// object, undo deletes it from the NSDB and redo restores it with the same id (checked through
// the REST API, not the model); a link drag writes both ports and the link, undo/redo likewise;
// a router's BGP peers and networks are added, refused and deleted through the BGP dialog (the
// status columns cope with the cluster not reporting a session); a refused port address shows on
// its field; after the cluster process restarts the Manager
// reconnects with no stale objects. Waits poll with deadlines (loaded machines). Skips with a
// reason when midonet-cluster is not built.
#include "manager-gui/widgets/main_window.h"

#include <QTableView>

#include <QLabel>
#include <QLineEdit>
#include <QMimeData>
#include <QProcess>
#include <QPushButton>
#include <QTcpServer>
#include <QtTest>

#include "gui_test_support.h"
#include "manager-gui/dialogs/bgp_dialog.h"
#include "manager-gui/models/bgp_model.h"
#include "manager-gui/models/map_graph.h"
#include "manager-gui/models/session.h"
#include "manager-gui/models/topology_model.h"
#include "manager-gui/net/api_client.h"
#include "manager-gui/widgets/inspector_dock.h"
#include "manager-gui/widgets/map_scene.h"
#include "manager-gui/widgets/map_view.h"
#include "manager-gui/widgets/node_item.h"
#include "manager-gui/widgets/palette_widget.h"

using namespace midonet::manager;

namespace {
QString str(const QJsonObject &o, const char *k)
{
    return o.value(QLatin1String(k)).toString();
}
const QString kPassword = QStringLiteral("s3cret-admin");
} // namespace

class TstCluster : public QObject
{
    Q_OBJECT
private:
    QString m_binary;
    quint16 m_port = 0;
    std::unique_ptr<QProcess> m_cluster;
    std::unique_ptr<Session> m_session;
    std::unique_ptr<MainWindow> m_window;
    std::unique_ptr<ApiClient> m_other; // "another client", like the CLI

    bool startCluster()
    {
        m_cluster = std::make_unique<QProcess>();
        m_cluster->setProcessChannelMode(QProcess::ForwardedErrorChannel);
        m_cluster->start(m_binary, {QStringLiteral("--store"), QStringLiteral("memory"), QStringLiteral("--auth"),
                                    QStringLiteral("password"), QStringLiteral("--admin-password"), kPassword,
                                    QStringLiteral("--listen"), QStringLiteral("127.0.0.1:%1").arg(m_port)});
        if (!m_cluster->waitForStarted(5000)) return false;
        // Ready when "another client" (like the CLI) can log in.
        for (int i = 0; i < 100; ++i) {
            ApiResult r = call([&](ApiClient::Callback cb) {
                m_other->login(QStringLiteral("admin"), kPassword, {}, this, cb);
            });
            if (r.ok()) return true;
            QTest::qWait(100);
        }
        return false;
    }
    QString clusterUrl() const { return QStringLiteral("http://127.0.0.1:%1").arg(m_port); }
    void stopCluster()
    {
        if (!m_cluster) return;
        m_cluster->kill();
        m_cluster->waitForFinished(5000);
        m_cluster.reset();
    }
    // Runs one asynchronous API call to completion.
    ApiResult call(const std::function<void(ApiClient::Callback)> &start)
    {
        ApiResult out;
        bool done = false;
        start([&](const ApiResult &r) {
            out = r;
            done = true;
        });
        if (!QTest::qWaitFor([&] { return done; }, 10000)) out.message = QStringLiteral("no answer in 10 s");
        return out;
    }
    QJsonObject create(const QString &type, const QJsonObject &body, const QUrl &where = {})
    {
        const ApiResult r = call([&](ApiClient::Callback cb) {
            m_other->post(where.isEmpty() ? m_other->collectionUrl(type) : where, ApiClient::itemMediaType(type), body, this, cb);
        });
        if (!r.ok()) qWarning("create %s: %s", qPrintable(type), qPrintable(r.errorText()));
        const ApiResult g = call([&](ApiClient::Callback cb) { m_other->get(r.location, ApiClient::itemMediaType(type), this, cb); });
        return g.body.toObject();
    }
    QJsonObject get(const QString &type, const QString &id, int *status = nullptr)
    {
        const ApiResult r = call([&](ApiClient::Callback cb) { m_other->get(m_other->itemUrl(type, id), ApiClient::itemMediaType(type), this, cb); });
        if (status) *status = r.status;
        return r.ok() ? r.body.toObject() : QJsonObject();
    }
    QList<QJsonObject> list(const QUrl &url, const QString &type)
    {
        const ApiResult r = call([&](ApiClient::Callback cb) { m_other->get(url, ApiClient::collectionMediaType(type), this, cb); });
        QList<QJsonObject> out;
        for (const auto &v : r.body.toArray()) out << v.toObject();
        return out;
    }
    QUrl sub(const QString &type, const QString &id, const QString &tail)
    {
        QUrl u = m_other->itemUrl(type, id);
        u.setPath(u.path() + QLatin1Char('/') + tail);
        return u;
    }

private slots:
    void initTestCase()
    {
        test::isolateSettings();
        m_binary = qEnvironmentVariable("MIDONET_CLUSTER_BINARY",
                                        qEnvironmentVariable("MIDONET_BUILD_DIR") + QStringLiteral("/cluster/midonet-cluster"));
        if (!QFileInfo(m_binary).isExecutable()) QSKIP("midonet-cluster is not built (ninja midonet-cluster)");
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost));
        m_port = probe.serverPort();
        probe.close();
        m_other = std::make_unique<ApiClient>();
        m_other->setBaseUrl(QUrl(QStringLiteral("http://127.0.0.1:%1").arg(m_port)));
    }
    void init()
    {
        QVERIFY2(startCluster(), "midonet-cluster did not answer");
        m_session = std::make_unique<Session>();
        m_window = std::make_unique<MainWindow>(m_session.get());
        m_window->resize(1200, 800);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
        m_session->connectTo({QUrl(clusterUrl()), QStringLiteral("admin"), kPassword, QString()});
        QTRY_COMPARE_WITH_TIMEOUT(int(m_session->state()), int(Session::State::Online), 10000);
        QTRY_VERIFY(m_window->connectionLabel()->text().contains(QLatin1String("Connected")));
        QTest::qWait(300); // the event stream's hello
    }
    void cleanup()
    {
        m_window.reset();
        m_session.reset();
        stopCluster();
    }

    void login_data()
    {
        QTest::addColumn<QString>("user");
        QTest::addColumn<QString>("password");
        QTest::addColumn<bool>("accepted");
        QTest::newRow("right password") << "admin" << kPassword << true;
        QTest::newRow("wrong password") << "admin" << "not-the-password" << false;
        QTest::newRow("unknown user") << "mallory" << kPassword << false;
    }
    void login()
    {
        QFETCH(QString, user);
        QFETCH(QString, password);
        QFETCH(bool, accepted);
        // Objects that exist before the login are on the map right after it.
        const QJsonObject bridge = create(QStringLiteral("bridges"), QJsonObject{{QStringLiteral("name"), QStringLiteral("existing")}});
        QVERIFY(!str(bridge, "id").isEmpty());
        Session session;
        MainWindow window(&session);
        session.connectTo({QUrl(clusterUrl()), user, password, QString()});
        const int want = int(accepted ? Session::State::Online : Session::State::Failed);
        QTRY_COMPARE_WITH_TIMEOUT(int(session.state()), want, 10000);
        const QString status = window.connectionLabel()->text();
        qInfo("status bar: %s", qPrintable(status));
        if (accepted) {
            QVERIFY2(status.contains(QLatin1String("as admin")), qPrintable(status));
            QTRY_VERIFY(window.virtualView()->mapScene()->nodeItem(str(bridge, "id")));
        } else {
            QVERIFY2(status.startsWith(QLatin1String("Connection failed")), qPrintable(status));
            QCOMPARE(window.virtualView()->mapScene()->nodeCount(), 0);
        }
    }

    void createdByOtherClientAppears_data()
    {
        QTest::addColumn<QString>("type");
        QTest::addColumn<QString>("parentType"); // for ports: created on a new device of this type
        QTest::addColumn<QJsonObject>("body");
        QTest::addColumn<bool>("physical");
        QTest::addColumn<QString>("label"); // part of the node's label or detail on the map
        const QJsonObject named{{QStringLiteral("name"), QStringLiteral("from-cli")}, {QStringLiteral("tenantId"), QStringLiteral("acme")}};
        QTest::newRow("bridge") << "bridges" << QString() << named << false << "from-cli";
        QTest::newRow("router") << "routers" << QString() << named << false << "from-cli";
        QTest::newRow("router port")
            << "ports" << "routers"
            << QJsonObject{{QStringLiteral("type"), QStringLiteral("Router")}, {QStringLiteral("portAddress"), QStringLiteral("10.9.8.1")}, {QStringLiteral("networkLength"), 24}}
            << false << "10.9.8.1";
        QTest::newRow("tunnel zone") << "tunnel_zones" << QString()
                                     << QJsonObject{{QStringLiteral("name"), QStringLiteral("tz-cli")}, {QStringLiteral("type"), QStringLiteral("vxlan")}}
                                     << true << "tz-cli";
    }
    void createdByOtherClientAppears()
    {
        QFETCH(QString, type);
        QFETCH(QString, parentType);
        QFETCH(QJsonObject, body);
        QFETCH(bool, physical);
        QFETCH(QString, label);
        QUrl where;
        if (!parentType.isEmpty()) {
            const QJsonObject parent = create(parentType, QJsonObject{{QStringLiteral("name"), QStringLiteral("parent")}});
            where = sub(parentType, str(parent, "id"), type);
        }
        MapView *v = physical ? m_window->physicalView() : m_window->virtualView();
        QElapsedTimer t;
        t.start();
        const QJsonObject o = create(type, body, where);
        QVERIFY2(!str(o, "id").isEmpty(), "the cluster did not create it");
        // The promise: a change made by the CLI is on the map within a second (2 s here
        // for loaded machines).
        QTRY_VERIFY_WITH_TIMEOUT(v->mapScene()->nodeItem(str(o, "id")), 2000);
        qInfo("created by another client -> on the map in %lld ms", t.elapsed());
        const MapNode n = v->mapScene()->graph()->nodes().value(str(o, "id"));
        QVERIFY2(n.label.contains(label) || n.detail.contains(label), qPrintable(n.label + QLatin1String(" | ") + n.detail));
    }

    void changeByOtherClientUpdatesMap_data()
    {
        QTest::addColumn<QString>("change");
        QTest::newRow("rename") << "rename";
        QTest::newRow("delete") << "delete";
        QTest::newRow("link") << "link";
    }
    void changeByOtherClientUpdatesMap()
    {
        QFETCH(QString, change);
        MapScene *scene = m_window->virtualView()->mapScene();
        const QJsonObject r1 = create(QStringLiteral("routers"), QJsonObject{{QStringLiteral("name"), QStringLiteral("r1")}});
        const QJsonObject r2 = create(QStringLiteral("routers"), QJsonObject{{QStringLiteral("name"), QStringLiteral("r2")}});
        const QString id1 = str(r1, "id"), id2 = str(r2, "id");
        QTRY_VERIFY(scene->nodeItem(id1) && scene->nodeItem(id2));
        if (change == QLatin1String("rename")) {
            QJsonObject renamed = r1;
            renamed.insert(QStringLiteral("name"), QStringLiteral("r1-renamed"));
            const ApiResult r = call([&](ApiClient::Callback cb) {
                m_other->put(m_other->itemUrl(QStringLiteral("routers"), id1), ApiClient::itemMediaType(QStringLiteral("routers")), renamed, this, cb);
            });
            QVERIFY2(r.ok(), qPrintable(r.errorText()));
            QTRY_COMPARE_WITH_TIMEOUT(scene->nodeItem(id1)->node().label, QStringLiteral("r1-renamed"), 2000);
        } else if (change == QLatin1String("delete")) {
            const ApiResult r = call([&](ApiClient::Callback cb) { m_other->del(m_other->itemUrl(QStringLiteral("routers"), id1), this, cb); });
            QVERIFY2(r.ok(), qPrintable(r.errorText()));
            QTRY_VERIFY_WITH_TIMEOUT(!scene->nodeItem(id1), 2000);
            QVERIFY(scene->nodeItem(id2));
        } else {
            const QJsonObject routerPort{{QStringLiteral("type"), QStringLiteral("Router")}, {QStringLiteral("networkLength"), 30}};
            QJsonObject b1 = routerPort, b2 = routerPort;
            b1.insert(QStringLiteral("portAddress"), QStringLiteral("169.254.9.1"));
            b2.insert(QStringLiteral("portAddress"), QStringLiteral("169.254.9.2"));
            const QString p1 = str(create(QStringLiteral("ports"), b1, sub(QStringLiteral("routers"), id1, QStringLiteral("ports"))), "id");
            const QString p2 = str(create(QStringLiteral("ports"), b2, sub(QStringLiteral("routers"), id2, QStringLiteral("ports"))), "id");
            QTRY_VERIFY(scene->nodeItem(p1) && scene->nodeItem(p2));
            const QString edge = QStringLiteral("link:") + std::min(p1, p2) + QLatin1Char('|') + std::max(p1, p2);
            QVERIFY(!scene->hasEdge(edge));
            const ApiResult r = call([&](ApiClient::Callback cb) {
                m_other->post(sub(QStringLiteral("ports"), p1, QStringLiteral("link")), ApiClient::itemMediaType(QStringLiteral("link")),
                              QJsonObject{{QStringLiteral("peerId"), p2}}, this, cb);
            });
            QVERIFY2(r.ok(), qPrintable(r.errorText()));
            QTRY_VERIFY_WITH_TIMEOUT(scene->hasEdge(edge), 2000);
        }
    }

    void dropCreatesTheRightObject_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("type");
        QTest::addColumn<bool>("physical");
        QTest::addColumn<QString>("name"); // empty: the object has no name (load balancers)
        QTest::newRow("bridge") << "bridge" << "bridges" << false << "bridge-1";
        QTest::newRow("router") << "router" << "routers" << false << "router-1";
        QTest::newRow("load balancer") << "load_balancer" << "load_balancers" << false << QString();
        QTest::newRow("tunnel zone") << "tunnel_zone" << "tunnel_zones" << true << "tunnel-1";
    }
    void dropCreatesTheRightObject()
    {
        QFETCH(QString, kind);
        QFETCH(QString, type);
        QFETCH(bool, physical);
        QFETCH(QString, name);
        MapView *v = physical ? m_window->physicalView() : m_window->virtualView();
        std::unique_ptr<QMimeData> mime(PaletteWidget::mimeFor(kind));
        const QPointF local = v->mapFromScene(QPointF(20, 30));
        QDragEnterEvent enter(local.toPoint(), Qt::CopyAction, mime.get(), Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(v->viewport(), &enter);
        QDropEvent drop(local, Qt::CopyAction, mime.get(), Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(v->viewport(), &drop);
        const QUrl coll = m_other->collectionUrl(type);
        QTRY_COMPARE_WITH_TIMEOUT(list(coll, type).size(), 1, 5000);
        const QJsonObject o = list(coll, type).first();
        const QString id = str(o, "id");
        if (!name.isEmpty()) QCOMPARE(str(o, "name"), name);
        if (kind == QLatin1String("tunnel_zone")) QCOMPARE(str(o, "type"), QStringLiteral("vxlan"));
        else QCOMPARE(o.value(QLatin1String("adminStateUp")).toBool(), true);
        // On the map where it was dropped (a few pixels of slack: a hidden tab's view rounds).
        QTRY_VERIFY(v->mapScene()->nodeItem(id));
        const QPointF at = v->mapScene()->nodeItem(id)->pos();
        QVERIFY2((at - QPointF(20, 30)).manhattanLength() < 10, qPrintable(QStringLiteral("at %1,%2").arg(at.x()).arg(at.y())));
        // Undo deletes it from the NSDB, redo creates it again with the same id.
        m_session->undoStack()->undo();
        int status = 0;
        QTRY_VERIFY_WITH_TIMEOUT((get(type, id, &status), status == 404), 5000);
        QTRY_VERIFY(!v->mapScene()->nodeItem(id));
        m_session->undoStack()->redo();
        QTRY_VERIFY_WITH_TIMEOUT((get(type, id, &status), status == 200), 5000);
        if (!name.isEmpty()) QCOMPARE(str(get(type, id), "name"), name);
        QTRY_VERIFY(v->mapScene()->nodeItem(id));
    }

    void dropAndLinkWriteTheRightObjects()
    {
        MapView *v = m_window->virtualView();
        std::unique_ptr<QMimeData> mime(PaletteWidget::mimeFor(QStringLiteral("bridge")));
        const QPointF local = v->mapFromScene(QPointF(0, 0));
        QDragEnterEvent enter(local.toPoint(), Qt::CopyAction, mime.get(), Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(v->viewport(), &enter);
        QDropEvent drop(local, Qt::CopyAction, mime.get(), Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(v->viewport(), &drop);
        QTRY_COMPARE(list(m_other->collectionUrl(QStringLiteral("bridges")), QStringLiteral("bridges")).size(), 1);
        const QJsonObject bridge = list(m_other->collectionUrl(QStringLiteral("bridges")), QStringLiteral("bridges")).first();
        QCOMPARE(str(bridge, "name"), QStringLiteral("bridge-1"));
        const QJsonObject router = create(QStringLiteral("routers"), QJsonObject{{QStringLiteral("name"), QStringLiteral("r1")}});
        QTRY_VERIFY(v->mapScene()->nodeItem(str(router, "id")));
        QTRY_VERIFY(v->mapScene()->nodeItem(str(bridge, "id")));
        v->mapScene()->graph()->setLayoutEnabled(false);
        v->mapScene()->graph()->setPositions({{str(bridge, "id"), QPointF(-150, 0)}, {str(router, "id"), QPointF(150, 0)}});
        v->setZoom(1.0);
        v->centerOn(0, 0);
        QTRY_COMPARE(v->mapScene()->nodeItem(str(router, "id"))->pos(), QPointF(150, 0));
        test::drag(v, QPointF(-150, 0), QPointF(150, 0), Qt::AltModifier);
        QTRY_COMPARE_WITH_TIMEOUT(list(sub(QStringLiteral("routers"), str(router, "id"), QStringLiteral("ports")), QStringLiteral("ports")).size(), 1, 5000);
        const QJsonObject rp = list(sub(QStringLiteral("routers"), str(router, "id"), QStringLiteral("ports")), QStringLiteral("ports")).first();
        QVERIFY(!str(rp, "portAddress").isEmpty());
        QTRY_VERIFY(!str(get(QStringLiteral("ports"), str(rp, "id")), "peerId").isEmpty());
        const QJsonObject bp = get(QStringLiteral("ports"), str(get(QStringLiteral("ports"), str(rp, "id")), "peerId"));
        QCOMPARE(str(bp, "deviceId"), str(bridge, "id"));
        // Undo the link: both ports are gone from the cluster; redo: back, same ids.
        m_session->undoStack()->undo();
        int status = 0;
        QTRY_VERIFY((get(QStringLiteral("ports"), str(rp, "id"), &status), status == 404));
        m_session->undoStack()->redo();
        QTRY_COMPARE(str(get(QStringLiteral("ports"), str(rp, "id")), "peerId"), str(bp, "id"));
        // Undo twice more: link, then the bridge itself.
        m_session->undoStack()->undo();
        m_session->undoStack()->undo();
        QTRY_VERIFY((get(QStringLiteral("bridges"), str(bridge, "id"), &status), status == 404));
        QTRY_VERIFY(!v->mapScene()->nodeItem(str(bridge, "id")));
        m_session->undoStack()->redo();
        QTRY_COMPARE(str(get(QStringLiteral("bridges"), str(bridge, "id")), "name"), QStringLiteral("bridge-1"));
    }

    void bgpPeersAndNetworksThroughTheDialog()
    {
        const QJsonObject router = create(QStringLiteral("routers"), QJsonObject{{QStringLiteral("name"), QStringLiteral("edge")}});
        const QString rid = str(router, "id");
        QTRY_VERIFY(m_window->virtualView()->mapScene()->nodeItem(rid));
        m_window->openBgp(rid);
        BgpDialog *dlg = m_window->bgpDialog();
        QVERIFY(dlg);
        auto *address = dlg->findChild<QLineEdit *>(QStringLiteral("address"));
        auto *as = dlg->findChild<QLineEdit *>(QStringLiteral("asNumber"));
        auto *addPeer = dlg->findChild<QPushButton *>(QStringLiteral("addPeer"));
        QVERIFY(address && as && addPeer);
        QVERIFY(!addPeer->isEnabled());
        address->setText(QStringLiteral("192.0.2.9"));
        as->setText(QStringLiteral("4200000001")); // a 4-byte AS
        QVERIFY(addPeer->isEnabled());
        addPeer->click();
        const QUrl peers = sub(QStringLiteral("routers"), rid, QStringLiteral("bgp_peers"));
        QTRY_COMPARE_WITH_TIMEOUT(list(peers, QStringLiteral("bgp_peers")).size(), 1, 5000);
        const QJsonObject peer = list(peers, QStringLiteral("bgp_peers")).first();
        QCOMPARE(str(peer, "address"), QStringLiteral("192.0.2.9"));
        QCOMPARE(peer.value(QLatin1String("asNumber")).toInteger(), 4200000001LL);
        // The table shows it; status columns show what the cluster reports, "—" when it reports
        // nothing (no agent runs this session here).
        BgpPeersModel *pm = dlg->peersModel();
        QTRY_COMPARE(pm->rowCount(), 1);
        QCOMPARE(pm->index(0, BgpPeersModel::Address).data().toString(), QStringLiteral("192.0.2.9"));
        QCOMPARE(pm->index(0, BgpPeersModel::As).data().toString(), QStringLiteral("4200000001"));
        const QString state = pm->index(0, BgpPeersModel::State).data().toString();
        QCOMPARE(state, peer.contains(QLatin1String("sessionState")) ? str(peer, "sessionState") : QStringLiteral("—"));
        // The same peer again: the cluster refuses it, the message shows under the peer form.
        addPeer->click();
        auto *peerError = dlg->findChild<QLabel *>(QStringLiteral("peerError"));
        QTRY_VERIFY_WITH_TIMEOUT(peerError->isVisible(), 5000);
        QVERIFY2(peerError->text().contains(QLatin1String("address")), qPrintable(peerError->text()));
        QCOMPARE(list(peers, QStringLiteral("bgp_peers")).size(), 1);
        // An advertised network.
        auto *subnet = dlg->findChild<QLineEdit *>(QStringLiteral("subnet"));
        subnet->setText(QStringLiteral("203.0.113.0/24"));
        dlg->findChild<QPushButton *>(QStringLiteral("addNetwork"))->click();
        const QUrl nets = sub(QStringLiteral("routers"), rid, QStringLiteral("bgp_networks"));
        QTRY_COMPARE_WITH_TIMEOUT(list(nets, QStringLiteral("bgp_networks")).size(), 1, 5000);
        QCOMPARE(str(list(nets, QStringLiteral("bgp_networks")).first(), "subnetAddress"), QStringLiteral("203.0.113.0"));
        QTRY_COMPARE(dlg->networksModel()->rowCount(), 1);
        QCOMPARE(dlg->networksModel()->index(0, 0).data().toString(), QStringLiteral("203.0.113.0/24"));
        // Delete the peer from its table; undo brings it back (same id), through the API.
        auto *table = dlg->findChild<QTableView *>(QStringLiteral("bgpPeers"));
        table->selectRow(0);
        dlg->findChild<QPushButton *>(QStringLiteral("deletePeer"))->click();
        QTRY_COMPARE_WITH_TIMEOUT(list(peers, QStringLiteral("bgp_peers")).size(), 0, 5000);
        QTRY_COMPARE(pm->rowCount(), 0);
        m_session->undoStack()->undo();
        QTRY_COMPARE_WITH_TIMEOUT(list(peers, QStringLiteral("bgp_peers")).size(), 1, 5000);
        QCOMPARE(str(list(peers, QStringLiteral("bgp_peers")).first(), "id"), str(peer, "id"));
        QTRY_COMPARE(pm->rowCount(), 1);
    }

    void refusedAddressShowsOnItsField()
    {
        const QJsonObject router = create(QStringLiteral("routers"), QJsonObject{{QStringLiteral("name"), QStringLiteral("r1")}});
        const QJsonObject port = create(QStringLiteral("ports"), QJsonObject{{QStringLiteral("type"), QStringLiteral("Router")},
                                                                             {QStringLiteral("portAddress"), QStringLiteral("10.0.0.1")},
                                                                             {QStringLiteral("networkLength"), 24}},
                                        sub(QStringLiteral("routers"), str(router, "id"), QStringLiteral("ports")));
        QVERIFY(!str(port, "id").isEmpty());
        QTRY_VERIFY(m_window->virtualView()->mapScene()->nodeItem(str(port, "id")));
        m_window->virtualView()->mapScene()->selectIds({str(port, "id")});
        InspectorDock *insp = m_window->inspector();
        QTRY_COMPARE(insp->currentId(), str(port, "id"));
        auto *edit = qobject_cast<QLineEdit *>(insp->editorFor(QStringLiteral("portAddress")));
        QVERIFY(edit);
        edit->setText(QStringLiteral("10.0.0.300"));
        emit edit->textEdited(edit->text());
        insp->findChild<QPushButton *>(QStringLiteral("inspectorApply"))->click();
        QTRY_VERIFY_WITH_TIMEOUT(insp->errorLabelFor(QStringLiteral("portAddress"))->isVisible() || !insp->generalError().isEmpty(), 5000);
        qInfo("cluster said: %s | %s", qPrintable(insp->errorLabelFor(QStringLiteral("portAddress"))->text()), qPrintable(insp->generalError()));
        QVERIFY2(insp->errorLabelFor(QStringLiteral("portAddress"))->isVisible(), qPrintable(insp->generalError()));
        QCOMPARE(str(get(QStringLiteral("ports"), str(port, "id")), "portAddress"), QStringLiteral("10.0.0.1"));
    }

    void reconnectAfterClusterRestart()
    {
        create(QStringLiteral("bridges"), QJsonObject{{QStringLiteral("name"), QStringLiteral("before")}});
        QTRY_COMPARE(m_window->virtualView()->mapScene()->nodeCount(), 1);
        const auto *firstSocket = m_session->events();
        Q_UNUSED(firstSocket);
        stopCluster();
        QTRY_COMPARE_WITH_TIMEOUT(int(m_session->state()), int(Session::State::Reconnecting), 5000);
        QVERIFY(startCluster()); // memory store: empty again; new token secret, the Manager logs in again
        const QJsonObject after = create(QStringLiteral("bridges"), QJsonObject{{QStringLiteral("name"), QStringLiteral("after")}});
        QTRY_COMPARE_WITH_TIMEOUT(int(m_session->state()), int(Session::State::Online), 20000);
        QTRY_VERIFY(m_window->virtualView()->mapScene()->nodeItem(str(after, "id")));
        QTRY_COMPARE(m_window->virtualView()->mapScene()->nodeCount(), 1); // "before" is gone
        const QJsonObject live = create(QStringLiteral("routers"), QJsonObject{{QStringLiteral("name"), QStringLiteral("live")}});
        QTRY_VERIFY_WITH_TIMEOUT(m_window->virtualView()->mapScene()->nodeItem(str(live, "id")), 2000);
    }
};

QTEST_MAIN(TstCluster)
#include "tst_cluster.moc"
