#include "manager-gui/widgets/main_window.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QComboBox>
#include <QDockWidget>
#include <QFileDialog>
#include <QInputDialog>
#include <QLabel>
#include <QLibraryInfo>
#include <QLineEdit>
#include <QLocale>
#include <QMenuBar>
#include <QPainter>
#include <QSettings>
#include <QStatusBar>
#include <QStyleFactory>
#include <QSvgGenerator>
#include <QTabWidget>
#include <QToolBar>
#include <QTranslator>

#include "manager-gui/dialogs/chains_dialog.h"
#include "manager-gui/dialogs/login_dialog.h"
#include "manager-gui/dialogs/bgp_dialog.h"
#include "manager-gui/dialogs/routes_dialog.h"
#include "manager-gui/dialogs/settings_dialog.h"
#include "manager-gui/models/map_graph.h"
#include "manager-gui/models/topology_model.h"
#include "manager-gui/widgets/inspector_dock.h"
#include "manager-gui/widgets/map_scene.h"
#include "manager-gui/widgets/map_view.h"
#include "manager-gui/widgets/node_item.h"
#include "manager-gui/widgets/palette_widget.h"

namespace midonet::manager {

QTranslator *MainWindow::s_translator = nullptr;
QTranslator *MainWindow::s_qtTranslator = nullptr;

MainWindow::MainWindow(Session *session, QWidget *parent)
    : QMainWindow(parent), m_session(session ? session : new Session(this))
{
    setObjectName(QStringLiteral("mainWindow"));
    TopologyModel *model = m_session->model();
    m_virtualGraph = new MapGraph(model, MapGraph::View::Virtual, this);
    m_physicalGraph = new MapGraph(model, MapGraph::View::Physical, this);
    m_virtualScene = new MapScene(m_virtualGraph, this);
    m_physicalScene = new MapScene(m_physicalGraph, this);
    m_tabs = new QTabWidget(this);
    m_tabs->setDocumentMode(true);
    m_virtualView = new MapView(m_virtualScene, m_tabs);
    m_virtualView->setObjectName(QStringLiteral("virtualMap"));
    m_physicalView = new MapView(m_physicalScene, m_tabs);
    m_physicalView->setObjectName(QStringLiteral("physicalMap"));
    m_tabs->addTab(m_virtualView, QString());
    m_tabs->addTab(m_physicalView, QString());
    setCentralWidget(m_tabs);

    m_palette = new PaletteWidget(this);
    m_paletteDock = new QDockWidget(this);
    m_paletteDock->setObjectName(QStringLiteral("paletteDock"));
    m_paletteDock->setWidget(m_palette);
    m_paletteDock->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable);
    addDockWidget(Qt::LeftDockWidgetArea, m_paletteDock);
    m_inspector = new InspectorDock(model, this);
    m_inspector->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable);
    addDockWidget(Qt::RightDockWidgetArea, m_inspector);
    resizeDocks({m_paletteDock, m_inspector}, {175, 340}, Qt::Horizontal);

    m_search = new QLineEdit(this);
    m_search->setObjectName(QStringLiteral("search"));
    m_search->setClearButtonEnabled(true);
    m_search->setMaximumWidth(260);
    m_tenant = new QComboBox(this);
    m_tenant->setObjectName(QStringLiteral("tenantFilter"));
    m_tenant->setMinimumContentsLength(12);
    m_searchResult = new QLabel(this);
    buildActions();
    buildMenus();

    m_connectionState = new QLabel(this);
    m_connectionState->setObjectName(QStringLiteral("connectionState"));
    statusBar()->addPermanentWidget(m_connectionState);

    // ---- views → intents
    for (MapView *v : {m_virtualView, m_physicalView}) {
        connect(v, &MapView::createRequested, this, &MainWindow::createAt);
        connect(v, &MapView::linkRequested, m_session, &Session::linkDevices);
        connect(v, &MapView::deleteRequested, this, [this](const QStringList &ids) {
            QStringList objs;
            for (const auto &id : ids) objs << objectIdFor(id);
            m_session->deleteObjects(objs);
        });
        connect(v, &MapView::renameRequested, this, &MainWindow::renameNode);
        connect(v, &MapView::selectionIdsChanged, this, &MainWindow::onSelection);
        connect(v, &MapView::nodesMoved, this,
                [this, v](const QHash<QString, QPointF> &before, const QHash<QString, QPointF> &after) {
                    m_session->undoStack()->push(new MoveNodesCommand(v->mapScene()->graph(), before, after));
                    m_saveTimer.start();
                });
    }
    connect(m_palette, &PaletteWidget::createRequested, this, [this](const QString &kind) {
        MapView *v = kind == QLatin1String("tunnel_zone") ? m_physicalView : m_virtualView;
        createAt(kind, v->mapToScene(v->viewport()->rect().center()));
    });
    connect(m_inspector, &InspectorDock::applyRequested, m_session, &Session::updateObject);
    connect(m_inspector, &InspectorDock::routesRequested, this, &MainWindow::openRoutes);
    connect(m_inspector, &InspectorDock::bgpRequested, this, &MainWindow::openBgp);
    connect(m_inspector, &InspectorDock::deleteRequested, m_session, &Session::deleteObjects);
    connect(m_search, &QLineEdit::textChanged, this, [this](const QString &t) { search(t); });
    connect(m_tenant, &QComboBox::currentIndexChanged, this, [this] {
        setTenantFilter(m_tenant->currentData().toString());
    });
    connect(m_tabs, &QTabWidget::currentChanged, this, [this] {
        search(m_search->text());
        updateActions();
    });

    // ---- session → views
    connect(m_session, &Session::stateChanged, this, &MainWindow::updateConnectionState);
    connect(m_session, &Session::requestFailed, this,
            [this](const QString &objectId, const QString &what, const ApiResult &r) {
                statusBar()->showMessage(tr("%1 failed: %2").arg(what, r.errorText()), 15000);
                if (!m_inspector->currentId().isEmpty() &&
                    (objectId == m_inspector->currentId() || objectId.isEmpty()))
                    m_inspector->showErrors(r);
                if (m_routesDialog) m_routesDialog->showError(r);
                if (m_bgpDialog) m_bgpDialog->showError(r);
                if (m_chainsDialog) m_chainsDialog->showError(r);
            });
    connect(m_session, &Session::resynced, this, [this] {
        restorePositions();
        refreshTenants();
    });
    connect(m_virtualGraph, &MapGraph::rebuilt, this, &MainWindow::refreshTenants);
    connect(m_session->undoStack(), &QUndoStack::indexChanged, this, &MainWindow::updateActions);
    m_saveTimer.setSingleShot(true);
    m_saveTimer.setInterval(3000);
    connect(&m_saveTimer, &QTimer::timeout, this, &MainWindow::savePositions);

    QSettings settings;
    applyTheme(settings.value(QStringLiteral("ui/theme"), QStringLiteral("light")).toString());
    retranslate();
    updateConnectionState(m_session->state(), {});
    updateActions();
    resize(1280, 800);
}

MainWindow::~MainWindow()
{
    savePositions();
}

void MainWindow::buildActions()
{
    auto make = [this](QKeySequence key = {}) {
        auto *a = new QAction(this);
        if (!key.isEmpty()) a->setShortcut(key);
        return a;
    };
    m_connect = make(QKeySequence(Qt::CTRL | Qt::Key_O));
    m_disconnect = make();
    m_exportPng = make(QKeySequence(Qt::CTRL | Qt::Key_E));
    m_exportSvg = make();
    m_quit = make(QKeySequence::Quit);
    // Our own undo/redo actions (not QUndoStack::createUndoAction) so their text is translated
    // with ours: Qt's "Undo %1" would need Qt's own catalogue.
    QUndoStack *stack = m_session->undoStack();
    m_undo = make(QKeySequence::Undo);
    m_redo = make(QKeySequence::Redo);
    connect(m_undo, &QAction::triggered, stack, &QUndoStack::undo);
    connect(m_redo, &QAction::triggered, stack, &QUndoStack::redo);
    connect(stack, &QUndoStack::canUndoChanged, m_undo, &QAction::setEnabled);
    connect(stack, &QUndoStack::canRedoChanged, m_redo, &QAction::setEnabled);
    connect(stack, &QUndoStack::undoTextChanged, this, &MainWindow::updateUndoTexts);
    connect(stack, &QUndoStack::redoTextChanged, this, &MainWindow::updateUndoTexts);
    m_undo->setEnabled(false);
    m_redo->setEnabled(false);
    m_delete = make(QKeySequence::Delete);
    m_delete->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_rename = make(QKeySequence(Qt::Key_F2));
    m_rename->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_selectAll = make(QKeySequence::SelectAll);
    m_zoomIn = make(QKeySequence::ZoomIn);
    m_zoomOut = make(QKeySequence::ZoomOut);
    m_fit = make(QKeySequence(Qt::CTRL | Qt::Key_0));
    m_relayout = make(QKeySequence(Qt::CTRL | Qt::Key_L));
    m_linkMode = make(QKeySequence(Qt::Key_L));
    m_linkMode->setCheckable(true);
    m_settings = make(QKeySequence::Preferences);
    m_routes = make();
    m_bgp = make();
    m_chains = make();

    connect(m_connect, &QAction::triggered, this, &MainWindow::showLoginDialog);
    connect(m_disconnect, &QAction::triggered, this, [this] {
        savePositions();
        m_session->disconnectFrom();
    });
    connect(m_exportPng, &QAction::triggered, this, [this] {
        const QString f = QFileDialog::getSaveFileName(this, tr("Export map"), QStringLiteral("map.png"),
                                                       tr("PNG image (*.png)"));
        if (!f.isEmpty()) exportMap(f);
    });
    connect(m_exportSvg, &QAction::triggered, this, [this] {
        const QString f = QFileDialog::getSaveFileName(this, tr("Export map"), QStringLiteral("map.svg"),
                                                       tr("SVG drawing (*.svg)"));
        if (!f.isEmpty()) exportMap(f);
    });
    connect(m_quit, &QAction::triggered, this, &QWidget::close);
    connect(m_delete, &QAction::triggered, this, [this] {
        QStringList objs;
        for (const auto &id : currentView()->mapScene()->selectedIds()) objs << objectIdFor(id);
        m_session->deleteObjects(objs);
    });
    connect(m_rename, &QAction::triggered, this, [this] {
        const QStringList ids = currentView()->mapScene()->selectedIds();
        if (ids.size() == 1) renameNode(ids.first());
    });
    connect(m_selectAll, &QAction::triggered, this, [this] {
        MapScene *s = currentView()->mapScene();
        QStringList ids;
        for (auto it = s->graph()->nodes().begin(); it != s->graph()->nodes().end(); ++it) ids << it.key();
        s->selectIds(ids);
    });
    connect(m_zoomIn, &QAction::triggered, this, [this] { currentView()->zoomBy(1.25); });
    connect(m_zoomOut, &QAction::triggered, this, [this] { currentView()->zoomBy(0.8); });
    connect(m_fit, &QAction::triggered, this, [this] { currentView()->fit(); });
    connect(m_relayout, &QAction::triggered, this, [this] { currentView()->mapScene()->graph()->unpinAll(); });
    connect(m_linkMode, &QAction::toggled, this, [this](bool on) {
        m_virtualView->setLinkMode(on);
        m_physicalView->setLinkMode(on);
    });
    connect(m_settings, &QAction::triggered, this, &MainWindow::showSettings);
    connect(m_routes, &QAction::triggered, this, [this] {
        const QStringList ids = m_virtualView->mapScene()->selectedIds();
        if (ids.size() == 1) openRoutes(ids.first());
    });
    connect(m_bgp, &QAction::triggered, this, [this] {
        const QStringList ids = m_virtualView->mapScene()->selectedIds();
        if (ids.size() == 1) openBgp(ids.first());
    });
    connect(m_chains, &QAction::triggered, this, &MainWindow::openChains);
}

void MainWindow::buildMenus()
{
    m_fileMenu = menuBar()->addMenu(QString());
    m_fileMenu->addAction(m_connect);
    m_fileMenu->addAction(m_disconnect);
    m_fileMenu->addSeparator();
    m_fileMenu->addAction(m_exportPng);
    m_fileMenu->addAction(m_exportSvg);
    m_fileMenu->addSeparator();
    m_fileMenu->addAction(m_quit);
    m_editMenu = menuBar()->addMenu(QString());
    m_editMenu->addAction(m_undo);
    m_editMenu->addAction(m_redo);
    m_editMenu->addSeparator();
    m_editMenu->addAction(m_delete);
    m_editMenu->addAction(m_rename);
    m_editMenu->addAction(m_selectAll);
    m_viewMenu = menuBar()->addMenu(QString());
    m_viewMenu->addAction(m_zoomIn);
    m_viewMenu->addAction(m_zoomOut);
    m_viewMenu->addAction(m_fit);
    m_viewMenu->addAction(m_relayout);
    m_viewMenu->addSeparator();
    m_viewMenu->addAction(m_paletteDock->toggleViewAction());
    m_viewMenu->addAction(m_inspector->toggleViewAction());
    m_viewMenu->addSeparator();
    m_viewMenu->addAction(m_settings);
    m_designMenu = menuBar()->addMenu(QString());
    m_designMenu->addAction(m_linkMode);
    m_designMenu->addAction(m_routes);
    m_designMenu->addAction(m_bgp);
    m_designMenu->addAction(m_chains);

    m_toolbar = addToolBar(QString());
    m_toolbar->setObjectName(QStringLiteral("mainToolbar"));
    m_toolbar->setMovable(false);
    m_toolbar->addAction(m_connect);
    m_toolbar->addSeparator();
    m_toolbar->addAction(m_undo);
    m_toolbar->addAction(m_redo);
    m_toolbar->addAction(m_delete);
    m_toolbar->addSeparator();
    m_toolbar->addAction(m_zoomIn);
    m_toolbar->addAction(m_zoomOut);
    m_toolbar->addAction(m_fit);
    m_toolbar->addAction(m_linkMode);
    m_toolbar->addSeparator();
    m_toolbar->addWidget(m_search);
    m_toolbar->addWidget(m_searchResult);
    m_toolbar->addSeparator();
    m_toolbar->addWidget(m_tenant);
}

void MainWindow::retranslate()
{
    setWindowTitle(tr("MidoNet Manager"));
    m_tabs->setTabText(0, tr("Virtual topology"));
    m_tabs->setTabText(1, tr("Physical"));
    m_paletteDock->setWindowTitle(tr("Devices"));
    m_toolbar->setWindowTitle(tr("Main"));
    m_fileMenu->setTitle(tr("&File"));
    m_editMenu->setTitle(tr("&Edit"));
    m_viewMenu->setTitle(tr("&View"));
    m_designMenu->setTitle(tr("&Design"));
    m_connect->setText(tr("&Connect…"));
    m_disconnect->setText(tr("&Disconnect"));
    m_exportPng->setText(tr("Export map as &PNG…"));
    m_exportSvg->setText(tr("Export map as &SVG…"));
    m_quit->setText(tr("&Quit"));
    updateUndoTexts();
    m_delete->setText(tr("De&lete"));
    m_rename->setText(tr("Re&name…"));
    m_selectAll->setText(tr("Select &all"));
    m_zoomIn->setText(tr("Zoom &in"));
    m_zoomOut->setText(tr("Zoom &out"));
    m_fit->setText(tr("&Fit to window"));
    m_relayout->setText(tr("Re-run &layout"));
    m_linkMode->setText(tr("&Link mode"));
    m_linkMode->setToolTip(tr("Drag from one device to another to link them (or hold Alt while dragging)"));
    m_settings->setText(tr("&Settings…"));
    m_routes->setText(tr("&Routes of the selected router…"));
    m_bgp->setText(tr("&BGP of the selected router…"));
    m_chains->setText(tr("&Chains and rules…"));
    m_search->setPlaceholderText(tr("Search name, IP or MAC"));
    m_tenant->setToolTip(tr("Show one tenant's objects"));
    if (m_tenant->count() > 0) m_tenant->setItemText(0, tr("All tenants"));
    else m_tenant->addItem(tr("All tenants"), QString());
    updateConnectionState(m_state, m_stateDetail);
    search(m_search->text());
}

void MainWindow::updateUndoTexts()
{
    const QUndoStack *stack = m_session->undoStack();
    m_undo->setText(stack->canUndo() ? tr("&Undo %1").arg(stack->undoText()) : tr("&Undo"));
    m_redo->setText(stack->canRedo() ? tr("&Redo %1").arg(stack->redoText()) : tr("&Redo"));
    m_undo->setIconText(tr("Undo"));
    m_redo->setIconText(tr("Redo"));
}

void MainWindow::changeEvent(QEvent *e)
{
    if (e->type() == QEvent::LanguageChange) retranslate();
    QMainWindow::changeEvent(e);
}

void MainWindow::closeEvent(QCloseEvent *e)
{
    savePositions();
    QMainWindow::closeEvent(e);
}

MapView *MainWindow::currentView() const
{
    return m_tabs->currentIndex() == 1 ? m_physicalView : m_virtualView;
}

void MainWindow::showPhysicalMap(bool physical)
{
    m_tabs->setCurrentIndex(physical ? 1 : 0);
}

void MainWindow::updateConnectionState(Session::State s, const QString &detail)
{
    m_state = s;
    m_stateDetail = detail;
    QString text, color;
    switch (s) {
    case Session::State::Disconnected: text = tr("Not connected"); color = QStringLiteral("#8a939e"); break;
    case Session::State::Connecting: text = tr("Connecting to %1…").arg(detail); color = QStringLiteral("#d99a2b"); break;
    case Session::State::Online:
        text = tr("Connected to %1 as %2").arg(m_session->login().url.toString(),
                                               m_session->login().user.isEmpty() ? tr("(no user)") : m_session->login().user);
        color = QStringLiteral("#2ea04f");
        break;
    case Session::State::Reconnecting: text = tr("Connection lost, reconnecting…"); color = QStringLiteral("#d99a2b"); break;
    case Session::State::Failed: text = tr("Connection failed: %1").arg(detail); color = QStringLiteral("#d23b3b"); break;
    }
    if (!m_connectionState) return;
    m_connectionState->setText(text);
    m_connectionState->setStyleSheet(QStringLiteral("QLabel { padding: 0 6px; border-left: 10px solid %1; }").arg(color));
    m_connectionState->setToolTip(detail);
    updateActions();
}

void MainWindow::updateActions()
{
    if (!m_disconnect) return;
    const bool online = m_state == Session::State::Online || m_state == Session::State::Reconnecting;
    m_disconnect->setEnabled(online);
    const QStringList sel = currentView()->mapScene()->selectedIds();
    m_delete->setEnabled(online && !sel.isEmpty());
    m_rename->setEnabled(online && sel.size() == 1);
    m_routes->setEnabled(online && sel.size() == 1 &&
                         m_session->model()->typeOf(sel.value(0)) == QLatin1String("routers"));
    m_bgp->setEnabled(m_routes->isEnabled());
    m_chains->setEnabled(online);
    m_palette->setEnabled(online);
}

QString MainWindow::objectIdFor(const QString &nodeId) const
{
    // Interface and binding nodes stand for their port.
    if (nodeId.startsWith(QLatin1String("if:")) || nodeId.startsWith(QLatin1String("pb:"))) return nodeId.mid(3);
    return nodeId;
}

void MainWindow::onSelection(const QStringList &ids)
{
    m_inspector->showObject(ids.size() == 1 ? objectIdFor(ids.first()) : QString());
    updateActions();
}

void MainWindow::createAt(const QString &kind, QPointF pos)
{
    if (m_session->state() != Session::State::Online) {
        statusBar()->showMessage(tr("Connect to a cluster first"), 5000);
        return;
    }
    // A default name operators can rename later: "bridge-3", "router-2", ...
    const QString path = kind == QLatin1String("load_balancer") ? QStringLiteral("load_balancers")
                         : kind == QLatin1String("tunnel_zone") ? QStringLiteral("tunnel_zones")
                                                                : kind + QLatin1Char('s');
    QSet<QString> names;
    for (const auto &o : m_session->model()->objects(path)) names.insert(o.value(QLatin1String("name")).toString());
    QString name;
    for (int n = int(names.size()) + 1;; ++n) {
        name = QStringLiteral("%1-%2").arg(kind == QLatin1String("load_balancer") ? QStringLiteral("lb") : kind.section(QLatin1Char('_'), 0, 0)).arg(n);
        if (!names.contains(name)) break;
    }
    const QString id = m_session->createDevice(kind, name);
    MapGraph *g = kind == QLatin1String("tunnel_zone") ? m_physicalGraph : m_virtualGraph;
    g->placeNext(id, pos);
}

void MainWindow::renameNode(const QString &nodeId)
{
    const QString id = objectIdFor(nodeId);
    const QString type = m_session->model()->typeOf(id);
    if (type.isEmpty() || type == QLatin1String("ports") || type == QLatin1String("hosts")) return;
    bool ok = false;
    const QString name = QInputDialog::getText(this, tr("Rename"), tr("New name:"), QLineEdit::Normal,
                                               m_session->model()->find(id).value(QLatin1String("name")).toString(), &ok);
    if (ok && !name.trimmed().isEmpty()) m_session->renameObject(id, name.trimmed());
}

int MainWindow::search(const QString &text)
{
    MapView *v = currentView();
    const QStringList ids = v->mapScene()->graph()->search(text);
    const int visible = v->mapScene()->setHighlight(ids);
    (v == m_virtualView ? m_physicalView : m_virtualView)->mapScene()->setHighlight({});
    if (text.trimmed().isEmpty()) m_searchResult->clear();
    else m_searchResult->setText(tr("%1 found").arg(visible));
    if (m_search->text() != text) {
        const QSignalBlocker block(m_search);
        m_search->setText(text);
    }
    if (!ids.isEmpty()) v->centerOnIds(ids);
    return visible;
}

void MainWindow::setTenantFilter(const QString &tenant)
{
    m_virtualScene->setTenantFilter(tenant);
    m_physicalScene->setTenantFilter(tenant);
    const int idx = m_tenant->findData(tenant);
    if (idx >= 0 && idx != m_tenant->currentIndex()) m_tenant->setCurrentIndex(idx);
}

void MainWindow::refreshTenants()
{
    const QStringList tenants = m_virtualGraph->tenants();
    QStringList shown;
    for (int i = 1; i < m_tenant->count(); ++i) shown << m_tenant->itemData(i).toString();
    if (shown == tenants) return;
    const QString current = m_tenant->currentData().toString();
    const QSignalBlocker block(m_tenant);
    while (m_tenant->count() > 1) m_tenant->removeItem(1);
    for (const auto &t : tenants) m_tenant->addItem(t, t);
    m_tenant->setCurrentIndex(std::max(0, m_tenant->findData(current)));
}

bool MainWindow::exportMap(const QString &path)
{
    MapScene *s = currentView()->mapScene();
    const QRectF src = s->visibleBounds().adjusted(-30, -30, 30, 30);
    const QList<QGraphicsItem *> sel = s->selectedItems();
    s->clearSelection(); // selection outlines are not part of the drawing
    bool ok = false;
    if (path.endsWith(QLatin1String(".svg"), Qt::CaseInsensitive)) {
        QSvgGenerator gen;
        gen.setFileName(path);
        gen.setSize(src.size().toSize());
        gen.setViewBox(QRectF(QPointF(0, 0), src.size()));
        gen.setTitle(tr("MidoNet topology"));
        QPainter p(&gen);
        p.setRenderHint(QPainter::Antialiasing);
        s->render(&p, QRectF(QPointF(0, 0), src.size()), src);
        ok = p.end();
    } else {
        // At least 1:1 so labels are readable, at most 8k pixels on the long side.
        const double scale = std::min(2.0, 8000.0 / std::max(src.width(), src.height()));
        QImage img((src.size() * scale).toSize(), QImage::Format_ARGB32_Premultiplied);
        img.fill(s->theme().background);
        QPainter p(&img);
        p.setRenderHint(QPainter::Antialiasing);
        p.setRenderHint(QPainter::TextAntialiasing);
        s->render(&p, QRectF(QPointF(0, 0), img.size()), src);
        p.end();
        ok = img.save(path);
    }
    for (QGraphicsItem *i : sel) i->setSelected(true);
    statusBar()->showMessage(ok ? tr("Map saved to %1").arg(path) : tr("Could not save %1").arg(path), 8000);
    return ok;
}

void MainWindow::applyTheme(const QString &theme)
{
    const bool dark = theme == QLatin1String("dark");
    QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
    QPalette pal = QApplication::style()->standardPalette();
    if (dark) {
        pal.setColor(QPalette::Window, QColor(0x2a, 0x2e, 0x35));
        pal.setColor(QPalette::WindowText, QColor(0xe6, 0xe9, 0xee));
        pal.setColor(QPalette::Base, QColor(0x1f, 0x22, 0x28));
        pal.setColor(QPalette::AlternateBase, QColor(0x2a, 0x2e, 0x35));
        pal.setColor(QPalette::Text, QColor(0xe6, 0xe9, 0xee));
        pal.setColor(QPalette::Button, QColor(0x33, 0x38, 0x40));
        pal.setColor(QPalette::ButtonText, QColor(0xe6, 0xe9, 0xee));
        pal.setColor(QPalette::ToolTipBase, QColor(0x33, 0x38, 0x40));
        pal.setColor(QPalette::ToolTipText, QColor(0xe6, 0xe9, 0xee));
        pal.setColor(QPalette::Highlight, QColor(0x1f, 0x6f, 0xeb));
        pal.setColor(QPalette::HighlightedText, Qt::white);
        pal.setColor(QPalette::PlaceholderText, QColor(0x8a, 0x93, 0x9e));
        pal.setColor(QPalette::Disabled, QPalette::Text, QColor(0x6a, 0x72, 0x7c));
        pal.setColor(QPalette::Disabled, QPalette::ButtonText, QColor(0x6a, 0x72, 0x7c));
        pal.setColor(QPalette::Disabled, QPalette::WindowText, QColor(0x6a, 0x72, 0x7c));
    }
    QApplication::setPalette(pal);
    const MapTheme t = dark ? MapTheme::darkTheme() : MapTheme::light();
    m_virtualScene->setTheme(t);
    m_physicalScene->setTheme(t);
}

void MainWindow::setLanguage(const QString &code)
{
    const QString lang = code.isEmpty() ? QLocale::system().name() : code;
    if (s_translator) {
        QCoreApplication::removeTranslator(s_translator);
        delete s_translator;
        s_translator = nullptr;
    }
    if (s_qtTranslator) {
        QCoreApplication::removeTranslator(s_qtTranslator);
        delete s_qtTranslator;
        s_qtTranslator = nullptr;
    }
    if (lang.startsWith(QLatin1String("ja"))) {
        auto *t = new QTranslator;
        if (t->load(QStringLiteral(":/i18n/midonet_ja.qm"))) {
            QCoreApplication::installTranslator(t);
            s_translator = t;
        } else {
            delete t;
        }
        // Qt's own strings (standard buttons "Close", "OK", "Cancel", line-edit menus): Debian
        // package qt6-translations-l10n. Without it those stay English.
        auto *q = new QTranslator;
        if (q->load(QStringLiteral("qtbase_ja"), QLibraryInfo::path(QLibraryInfo::TranslationsPath))) {
            QCoreApplication::installTranslator(q);
            s_qtTranslator = q;
        } else {
            delete q;
        }
    }
    if (!s_translator) {
        // Back to the English source strings: widgets still need a LanguageChange to redraw.
        QEvent e(QEvent::LanguageChange);
        for (QWidget *w : QApplication::allWidgets()) QCoreApplication::sendEvent(w, &e);
    }
}

bool MainWindow::selectByName(const QString &name)
{
    MapScene *s = currentView()->mapScene();
    for (const auto &n : s->graph()->nodes())
        if (n.label == name || n.id == name) {
            s->selectIds({n.id});
            currentView()->centerOnIds({n.id});
            return true;
        }
    return false;
}

void MainWindow::showLoginDialog()
{
    LoginDialog dlg(this);
    if (!m_session->login().url.isEmpty()) {
        LoginInfo info = m_session->login();
        info.password.clear();
        dlg.setLoginInfo(info);
    }
    if (m_state == Session::State::Failed) dlg.setError(m_stateDetail);
    if (dlg.exec() != QDialog::Accepted) return;
    savePositions();
    m_restoredProfile.clear();
    m_session->connectTo(dlg.loginInfo());
}

void MainWindow::openRoutes(const QString &routerId)
{
    if (m_session->model()->typeOf(routerId) != QLatin1String("routers")) return;
    m_session->loadRoutes(routerId);
    if (m_routesDialog) m_routesDialog->close();
    auto *dlg = new RoutesDialog(m_session->model(), routerId, this);
    dlg->setAttribute(Qt::WA_DeleteOnClose);
    connect(dlg, &RoutesDialog::addRequested, m_session, &Session::addRoute);
    connect(dlg, &RoutesDialog::deleteRequested, m_session, &Session::deleteObjects);
    m_routesDialog = dlg;
    dlg->show();
}

BgpDialog *MainWindow::bgpDialog() const
{
    return m_bgpDialog;
}

void MainWindow::openBgp(const QString &routerId)
{
    if (m_session->model()->typeOf(routerId) != QLatin1String("routers")) return;
    m_session->loadBgp(routerId);
    if (m_bgpDialog) m_bgpDialog->close();
    auto *dlg = new BgpDialog(m_session->model(), routerId, this);
    dlg->setAttribute(Qt::WA_DeleteOnClose);
    connect(dlg, &BgpDialog::addPeerRequested, m_session, &Session::addBgpPeer);
    connect(dlg, &BgpDialog::addNetworkRequested, m_session, &Session::addBgpNetwork);
    connect(dlg, &BgpDialog::deleteRequested, m_session, &Session::deleteObjects);
    connect(dlg, &BgpDialog::refreshRequested, m_session, &Session::loadBgp);
    m_bgpDialog = dlg;
    dlg->show();
}

void MainWindow::openChains()
{
    if (!m_chainsDialog) {
        auto *dlg = new ChainsDialog(m_session->model(), this);
        dlg->setAttribute(Qt::WA_DeleteOnClose);
        connect(dlg, &ChainsDialog::chainSelected, m_session, &Session::loadRules);
        connect(dlg, &ChainsDialog::createChainRequested, this,
                [this](const QString &name) { m_session->createDevice(QStringLiteral("chain"), name); });
        connect(dlg, &ChainsDialog::deleteRequested, m_session, &Session::deleteObjects);
        connect(dlg, &ChainsDialog::addRuleRequested, m_session, &Session::addRule);
        connect(dlg, &ChainsDialog::moveRuleRequested, m_session, &Session::moveRule);
        m_chainsDialog = dlg;
    }
    m_chainsDialog->show();
    m_chainsDialog->raise();
}

void MainWindow::showSettings()
{
    SettingsDialog dlg(this);
    if (dlg.exec() != QDialog::Accepted) return;
    applyTheme(dlg.theme());
    setLanguage(dlg.language());
}

void MainWindow::savePositions()
{
    if (m_restoredProfile.isEmpty()) return;
    QSettings s;
    s.beginGroup(QStringLiteral("positions/") + m_restoredProfile);
    s.setValue(QStringLiteral("virtual"), m_virtualGraph->savePositions());
    s.setValue(QStringLiteral("physical"), m_physicalGraph->savePositions());
}

void MainWindow::restorePositions()
{
    const QString profile = m_session->profileKey();
    if (profile == m_restoredProfile) return; // a resync after reconnect keeps the live positions
    m_restoredProfile = profile;
    m_virtualGraph->rebuild(); // the resync's last changes may not have reached the graphs yet
    m_physicalGraph->rebuild();
    QSettings s;
    s.beginGroup(QStringLiteral("positions/") + profile);
    const QVariantMap v = s.value(QStringLiteral("virtual")).toMap();
    const QVariantMap p = s.value(QStringLiteral("physical")).toMap();
    m_virtualGraph->restorePositions(v);
    m_physicalGraph->restorePositions(p);
    if (v.isEmpty()) m_virtualGraph->settle(300);
    if (p.isEmpty()) m_physicalGraph->settle(300);
    m_virtualView->fit();
    m_physicalView->fit();
}

} // namespace midonet::manager
