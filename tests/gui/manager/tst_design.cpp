// Designing on the map writes to the cluster: a palette drop creates the right object, an
// Alt-drag from one device to another creates two ports and links them, every action undoes
// through the API (the object is gone from the cluster) and redoes (back, same id), a refused
// value shows its error under the field that caused it, rules reorder by drag, and a group move
// undoes. Runs against FakeCluster, a stand-in for midonet-cluster.
#include "manager-gui/widgets/main_window.h"

#include <QLabel>
#include <QLineEdit>
#include <QMimeData>
#include <QPushButton>
#include <QtTest>

#include "fake_cluster.h"
#include "gui_test_support.h"
#include "manager-gui/models/map_graph.h"
#include "manager-gui/models/rules_model.h"
#include "manager-gui/models/session.h"
#include "manager-gui/models/topology_model.h"
#include "manager-gui/widgets/inspector_dock.h"
#include "manager-gui/widgets/map_scene.h"
#include "manager-gui/widgets/map_view.h"
#include "manager-gui/widgets/node_item.h"
#include "manager-gui/widgets/palette_widget.h"

using namespace midonet::manager;
using midonet::manager::test::FakeCluster;

namespace {
QString str(const QJsonObject &o, const char *k)
{
    return o.value(QLatin1String(k)).toString();
}
} // namespace

class TstDesign : public QObject
{
    Q_OBJECT
private:
    std::unique_ptr<FakeCluster> m_fake;
    std::unique_ptr<Session> m_session;
    std::unique_ptr<MainWindow> m_window;

    QString idOf(const QString &type, const QString &name) { return str(m_fake->findByName(type, name), "id"); }
    QList<QJsonObject> fakePortsOf(const QString &device)
    {
        QList<QJsonObject> out;
        for (const auto &p : m_fake->objects(QStringLiteral("ports")))
            if (str(p, "deviceId") == device) out << p;
        return out;
    }
    // Puts two nodes side by side in the middle of the view at zoom 1.
    void placePair(MapView *v, const QString &a, const QString &b)
    {
        MapGraph *g = v->mapScene()->graph();
        g->setLayoutEnabled(false);
        // Everything else well away from the two: where the layout had got to (it varies with
        // the machine's load) a port or another device could lie on top of a press point.
        QHash<QString, QPointF> pos;
        for (const auto &n : g->nodes()) pos.insert(n.id, n.pos + QPointF(0, 5000));
        pos.insert(a, QPointF(-150, 0));
        pos.insert(b, QPointF(150, 0));
        g->setPositions(pos);
        v->setZoom(1.0);
        v->centerOn(0, 0);
        QTRY_COMPARE(v->mapScene()->nodeItem(a)->pos(), QPointF(-150, 0));
        // A press there hits the node itself.
        QTRY_COMPARE(v->itemAt(v->mapFromScene(QPointF(-150, 0))), static_cast<QGraphicsItem *>(v->mapScene()->nodeItem(a)));
        QTRY_COMPARE(v->itemAt(v->mapFromScene(QPointF(150, 0))), static_cast<QGraphicsItem *>(v->mapScene()->nodeItem(b)));
    }
    void drop(MapView *v, const QString &kind, QPointF scenePos)
    {
        std::unique_ptr<QMimeData> mime(PaletteWidget::mimeFor(kind));
        const QPointF local = v->mapFromScene(scenePos);
        QDragEnterEvent enter(local.toPoint(), Qt::CopyAction, mime.get(), Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(v->viewport(), &enter);
        QVERIFY(enter.isAccepted());
        QDropEvent dropEvent(local, Qt::CopyAction, mime.get(), Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(v->viewport(), &dropEvent);
        QVERIFY(dropEvent.isAccepted());
    }

private slots:
    void initTestCase() { test::isolateSettings(); }
    void init()
    {
        m_fake = std::make_unique<FakeCluster>();
        QVERIFY(m_fake->start());
        m_fake->loadDemo();
        m_session = std::make_unique<Session>();
        m_window = std::make_unique<MainWindow>(m_session.get());
        m_window->resize(1200, 800);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
        m_session->connectTo({QUrl(m_fake->url()), QStringLiteral("admin"), QString(), QStringLiteral("acme")});
        QTRY_COMPARE_WITH_TIMEOUT(int(m_session->state()), int(Session::State::Online), 10000);
        QTRY_COMPARE(m_fake->eventClients(), 1);
    }
    void cleanup()
    {
        m_window.reset();
        m_session.reset();
        m_fake.reset();
    }

    void dropCreates_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("type");
        QTest::addColumn<QString>("name");
        QTest::addColumn<bool>("physical");
        QTest::newRow("bridge") << "bridge" << "bridges" << "bridge-3" << false;
        QTest::newRow("router") << "router" << "routers" << "router-4" << false;
        QTest::newRow("load-balancer") << "load_balancer" << "load_balancers" << QString() << false;
        QTest::newRow("tunnel-zone") << "tunnel_zone" << "tunnel_zones" << "tunnel-2" << true;
    }
    void dropCreates()
    {
        QFETCH(QString, kind);
        QFETCH(QString, type);
        QFETCH(QString, name);
        QFETCH(bool, physical);
        MapView *v = physical ? m_window->physicalView() : m_window->virtualView();
        m_window->showPhysicalMap(physical);
        const int before = int(m_fake->objects(type).size());
        const QPointF at(40, 60);
        drop(v, kind, at);
        QTRY_COMPARE(int(m_fake->objects(type).size()), before + 1);
        QJsonObject created;
        for (const auto &o : m_fake->objects(type))
            if (!m_session->model()->contains(type, str(o, "id")) || str(o, "name") == name) created = o;
        QVERIFY(!created.isEmpty());
        if (!name.isEmpty()) QCOMPARE(str(created, "name"), name);
        if (type == QLatin1String("bridges") || type == QLatin1String("routers"))
            QCOMPARE(str(created, "tenantId"), QStringLiteral("acme")); // the login tenant
        if (type == QLatin1String("tunnel_zones")) QCOMPARE(str(created, "type"), QStringLiteral("vxlan"));
        // It appears where it was dropped, pinned there.
        const QString id = str(created, "id");
        QTRY_VERIFY(v->mapScene()->nodeItem(id));
        QCOMPARE(v->mapScene()->graph()->position(id), v->mapToScene(v->mapFromScene(at))); // pixel-rounded
        QVERIFY(v->mapScene()->graph()->nodes().value(id).pinned);
    }

    void linkByDrag_data()
    {
        QTest::addColumn<QString>("typeA");
        QTest::addColumn<QString>("nameA");
        QTest::addColumn<QString>("typeB");
        QTest::addColumn<QString>("nameB");
        QTest::newRow("bridge-to-router") << "bridges" << "acme-web" << "routers" << "globex-router";
        QTest::newRow("router-to-router") << "routers" << "acme-router" << "routers" << "globex-router";
        QTest::newRow("bridge-to-bridge") << "bridges" << "acme-web" << "bridges" << "globex-db";
    }
    void linkByDrag()
    {
        QFETCH(QString, typeA);
        QFETCH(QString, nameA);
        QFETCH(QString, typeB);
        QFETCH(QString, nameB);
        const QString a = idOf(typeA, nameA), b = idOf(typeB, nameB);
        const int portsA = int(fakePortsOf(a).size()), portsB = int(fakePortsOf(b).size());
        MapView *v = m_window->virtualView();
        placePair(v, a, b);
        test::drag(v, QPointF(-150, 0), QPointF(150, 0), Qt::AltModifier);
        QTRY_COMPARE(int(fakePortsOf(a).size()), portsA + 1);
        QTRY_COMPARE(int(fakePortsOf(b).size()), portsB + 1);
        QJsonObject pa, pb;
        QTRY_VERIFY([&] {
            for (const auto &p : fakePortsOf(a))
                if (!str(p, "peerId").isEmpty() && str(m_fake->object(QStringLiteral("ports"), str(p, "peerId")), "deviceId") == b) {
                    pa = p;
                    pb = m_fake->object(QStringLiteral("ports"), str(p, "peerId"));
                    return true;
                }
            return false;
        }());
        QCOMPARE(str(pb, "peerId"), str(pa, "id"));
        for (const auto &p : {pa, pb})
            if (str(p, "type") == QLatin1String("Router")) QVERIFY(!str(p, "portAddress").isEmpty());
        if (typeA == QLatin1String("routers") && typeB == QLatin1String("routers"))
            QCOMPARE(str(pa, "portAddress").section(QLatin1Char('.'), 0, 2), str(pb, "portAddress").section(QLatin1Char('.'), 0, 2));
        // The link shows on the map.
        QString k1 = str(pa, "id"), k2 = str(pb, "id");
        if (k2 < k1) std::swap(k1, k2);
        QTRY_VERIFY(v->mapScene()->hasEdge(QStringLiteral("link:") + k1 + QLatin1Char('|') + k2));
    }

    void undoRedo_data()
    {
        QTest::addColumn<QString>("action");
        QTest::newRow("create-bridge") << "create";
        QTest::newRow("link-devices") << "link";
        QTest::newRow("delete-router-with-links") << "delete";
        QTest::newRow("rename") << "rename";
    }
    void undoRedo()
    {
        QFETCH(QString, action);
        QUndoStack *undo = m_session->undoStack();
        const QString web = idOf(QStringLiteral("bridges"), QStringLiteral("acme-web"));
        const QString router = idOf(QStringLiteral("routers"), QStringLiteral("globex-router"));
        if (action == QLatin1String("create")) {
            const QString id = m_session->createDevice(QStringLiteral("bridge"), QStringLiteral("undo-me"));
            QTRY_VERIFY(!m_fake->object(QStringLiteral("bridges"), id).isEmpty());
            QTRY_VERIFY(m_window->virtualView()->mapScene()->nodeItem(id));
            undo->undo();
            QTRY_VERIFY(m_fake->object(QStringLiteral("bridges"), id).isEmpty()); // gone from the cluster
            QTRY_VERIFY(!m_window->virtualView()->mapScene()->nodeItem(id));
            undo->redo();
            QTRY_COMPARE(str(m_fake->object(QStringLiteral("bridges"), id), "name"), QStringLiteral("undo-me")); // same id
            QTRY_VERIFY(m_window->virtualView()->mapScene()->nodeItem(id));
        } else if (action == QLatin1String("link")) {
            const int before = int(m_fake->objects(QStringLiteral("ports")).size());
            m_session->linkDevices(web, router);
            QTRY_COMPARE(int(m_fake->objects(QStringLiteral("ports")).size()), before + 2);
            QTRY_COMPARE(undo->count(), 1);
            undo->undo();
            QTRY_COMPARE(int(m_fake->objects(QStringLiteral("ports")).size()), before);
            undo->redo();
            QTRY_COMPARE(int(m_fake->objects(QStringLiteral("ports")).size()), before + 2);
            // Recounted on every try: redo creates the two ports first and links them after, so
            // a count taken once when the ports appear can see them still unlinked (CI did).
            const auto linked = [&] {
                int n = 0;
                for (const auto &p : fakePortsOf(web))
                    if (str(m_fake->object(QStringLiteral("ports"), str(p, "peerId")), "deviceId") == router) ++n;
                return n;
            };
            QTRY_COMPARE(linked(), 1);
        } else if (action == QLatin1String("delete")) {
            const QList<QJsonObject> ports = fakePortsOf(router);
            QVERIFY(ports.size() >= 2);
            m_session->deleteObjects({router});
            QTRY_VERIFY(m_fake->object(QStringLiteral("routers"), router).isEmpty());
            QTRY_VERIFY(fakePortsOf(router).isEmpty());
            undo->undo();
            QTRY_VERIFY(!m_fake->object(QStringLiteral("routers"), router).isEmpty());
            QTRY_COMPARE(fakePortsOf(router).size(), ports.size());
            // Links come back too: every port that had a peer has it again.
            for (const auto &p : ports)
                if (!str(p, "peerId").isEmpty())
                    QTRY_COMPARE(str(m_fake->object(QStringLiteral("ports"), str(p, "id")), "peerId"), str(p, "peerId"));
            QTRY_VERIFY(m_window->virtualView()->mapScene()->nodeItem(router));
            undo->redo();
            QTRY_VERIFY(m_fake->object(QStringLiteral("routers"), router).isEmpty());
        } else if (action == QLatin1String("rename")) {
            m_session->renameObject(web, QStringLiteral("acme-frontend"));
            QTRY_COMPARE(str(m_fake->object(QStringLiteral("bridges"), web), "name"), QStringLiteral("acme-frontend"));
            undo->undo();
            QTRY_COMPARE(str(m_fake->object(QStringLiteral("bridges"), web), "name"), QStringLiteral("acme-web"));
            QTRY_COMPARE(m_window->virtualGraph()->nodes().value(web).label, QStringLiteral("acme-web"));
            undo->redo();
            QTRY_COMPARE(str(m_fake->object(QStringLiteral("bridges"), web), "name"), QStringLiteral("acme-frontend"));
        }
    }

    void validationErrorOnField_data()
    {
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("message");
        QTest::newRow("bad-ip") << "portAddress" << "10.1.0.300" << "is an invalid IP format";
        QTest::newRow("not-an-ip") << "portAddress" << "gateway" << "is an invalid IP format";
    }
    void validationErrorOnField()
    {
        QFETCH(QString, field);
        QFETCH(QString, value);
        QFETCH(QString, message);
        // A router port, selected on the map: the inspector shows its fields.
        QString port;
        for (const auto &p : fakePortsOf(idOf(QStringLiteral("routers"), QStringLiteral("acme-router"))))
            if (str(p, "portAddress") == QLatin1String("10.1.0.1")) port = str(p, "id");
        QVERIFY(!port.isEmpty());
        m_window->virtualView()->mapScene()->selectIds({port});
        InspectorDock *insp = m_window->inspector();
        QTRY_COMPARE(insp->currentId(), port);
        auto *edit = qobject_cast<QLineEdit *>(insp->editorFor(field));
        QVERIFY(edit);
        edit->setText(value);
        emit edit->textEdited(value);
        const int commands = m_session->undoStack()->count();
        insp->findChild<QPushButton *>(QStringLiteral("inspectorApply"))->click();
        QTRY_VERIFY(insp->errorLabelFor(field)->isVisible());
        QCOMPARE(insp->errorLabelFor(field)->text(), message);
        QVERIFY(!insp->editorFor(field)->styleSheet().isEmpty()); // marked red
        QCOMPARE(edit->text(), value);                            // the refused value stays to be corrected
        QCOMPARE(str(m_fake->object(QStringLiteral("ports"), port), "portAddress"), QStringLiteral("10.1.0.1"));
        QTRY_COMPARE(m_session->undoStack()->count(), commands); // nothing to undo for a refused edit
    }

    void reorderRulesByDrag()
    {
        const QString chain = idOf(QStringLiteral("chains"), QStringLiteral("acme-web-in"));
        m_session->loadRules(chain);
        RulesModel rules(m_session->model());
        QSignalSpy moved(&rules, &RulesModel::moveRequested);
        connect(&rules, &RulesModel::moveRequested, m_session.get(), &Session::moveRule);
        rules.setChain(chain);
        QTRY_COMPARE(rules.rowCount(), 3);
        const QString last = rules.ruleId(2); // the "drop" rule
        // Drag the last row onto the top.
        std::unique_ptr<QMimeData> mime(rules.mimeData({rules.index(2, 0)}));
        rules.dropMimeData(mime.get(), Qt::MoveAction, 0, 0, {});
        QCOMPARE(moved.count(), 1);
        QTRY_COMPARE(rules.ruleId(0), last);
        QTRY_COMPARE(m_fake->object(QStringLiteral("rules"), last).value(QLatin1String("position")).toInt(), 1);
        m_session->undoStack()->undo();
        QTRY_COMPARE(m_fake->object(QStringLiteral("rules"), last).value(QLatin1String("position")).toInt(), 3);
        QTRY_COMPARE(rules.ruleId(2), last);
    }

    void groupMoveUndo()
    {
        MapView *v = m_window->virtualView();
        const QString a = idOf(QStringLiteral("bridges"), QStringLiteral("acme-web"));
        const QString b = idOf(QStringLiteral("bridges"), QStringLiteral("globex-db"));
        placePair(v, a, b);
        v->mapScene()->selectIds({a, b});
        test::drag(v, QPointF(-150, 0), QPointF(-100, 50));
        QTRY_COMPARE(v->mapScene()->nodeItem(a)->pos(), QPointF(-100, 50));
        QCOMPARE(v->mapScene()->nodeItem(b)->pos(), QPointF(200, 50)); // moved with the group
        QCOMPARE(m_window->virtualGraph()->position(b), QPointF(200, 50));
        m_session->undoStack()->undo();
        QTRY_COMPARE(v->mapScene()->nodeItem(a)->pos(), QPointF(-150, 0));
        QCOMPARE(v->mapScene()->nodeItem(b)->pos(), QPointF(150, 0));
    }

    void deleteKeyDeletesSelection()
    {
        MapView *v = m_window->virtualView();
        const QString lb = idOf(QStringLiteral("load_balancers"), QStringLiteral("acme-lb"));
        const QString web = idOf(QStringLiteral("bridges"), QStringLiteral("globex-db"));
        v->mapScene()->selectIds({web});
        v->setFocus();
        QTest::keyClick(v, Qt::Key_Delete);
        QTRY_VERIFY(m_fake->object(QStringLiteral("bridges"), web).isEmpty());
        QVERIFY(!m_fake->object(QStringLiteral("load_balancers"), lb).isEmpty());
    }
};

QTEST_MAIN(TstDesign)
#include "tst_design.moc"
