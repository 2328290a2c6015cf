// The Manager against the real midonet-cluster (memory store, auth none), started by the test:
// login, an object created by another client appears on the map through /events, a palette drop
// and a link drag write the right objects, undo/redo go through the API, a refused port address
// shows on its field, and after the cluster process restarts the Manager reconnects with no stale
// objects. Skips with a reason when midonet-cluster is not built.
#include "manager-gui/widgets/main_window.h"

#include <QLabel>
#include <QLineEdit>
#include <QMimeData>
#include <QProcess>
#include <QPushButton>
#include <QTcpServer>
#include <QtTest>

#include "gui_test_support.h"
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
                                    QStringLiteral("none"), QStringLiteral("--listen"),
                                    QStringLiteral("127.0.0.1:%1").arg(m_port)});
        if (!m_cluster->waitForStarted(5000)) return false;
        // Ready when the root answers.
        for (int i = 0; i < 100; ++i) {
            ApiResult r = call([&](ApiClient::Callback cb) {
                m_other->get(m_other->apiRoot(), QStringLiteral("application/json"), this, cb);
            });
            if (r.ok()) return true;
            QTest::qWait(100);
        }
        return false;
    }
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
        const ApiResult l = call([&](ApiClient::Callback cb) { m_other->login(QStringLiteral("admin"), QStringLiteral("x"), {}, this, cb); });
        QVERIFY2(l.ok(), qPrintable(l.errorText()));
        m_session = std::make_unique<Session>();
        m_window = std::make_unique<MainWindow>(m_session.get());
        m_window->resize(1200, 800);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
        m_session->connectTo({QUrl(QStringLiteral("http://127.0.0.1:%1").arg(m_port)), QStringLiteral("admin"), QStringLiteral("x"), QString()});
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

    void createdByOtherClientAppears_data()
    {
        QTest::addColumn<QString>("type");
        QTest::newRow("bridge") << "bridges";
        QTest::newRow("router") << "routers";
    }
    void createdByOtherClientAppears()
    {
        QFETCH(QString, type);
        QElapsedTimer t;
        t.start();
        const QJsonObject o = create(type, QJsonObject{{QStringLiteral("name"), QStringLiteral("from-cli")}, {QStringLiteral("tenantId"), QStringLiteral("acme")}});
        QVERIFY(!str(o, "id").isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(m_window->virtualView()->mapScene()->nodeItem(str(o, "id")), 2000);
        qInfo("created by another client → on the map in %lld ms", t.elapsed());
        QCOMPARE(m_window->virtualGraph()->nodes().value(str(o, "id")).label, QStringLiteral("from-cli"));
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
        QVERIFY(startCluster()); // memory store: empty again
        const ApiResult l = call([&](ApiClient::Callback cb) { m_other->login(QStringLiteral("admin"), QStringLiteral("x"), {}, this, cb); });
        QVERIFY(l.ok());
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
