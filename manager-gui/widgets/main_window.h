// The Manager's top-level window: the virtual and physical maps in tabs, the device palette and
// the inspector in docks, a toolbar with search and the tenant filter, and the connection state
// in the status bar. It wires views to the Session's intents; it never talks to the network
// itself (DESIGN.md, "The Manager"; STYLE.md habit 13).
//
// Thread-safety: GUI thread only.
#pragma once

#include <QHash>
#include <QMainWindow>
#include <QPointer>
#include <QTimer>

#include "manager-gui/models/session.h"

class QAction;
class QComboBox;
class QLabel;
class QLineEdit;
class QTabWidget;
class QToolBar;
class QTranslator;

namespace midonet::manager {

class ChainsDialog;
class InspectorDock;
class MapGraph;
class MapScene;
class MapView;
class PaletteWidget;
class RoutesDialog;
class BgpDialog;

class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    // Uses `session` when given (tests, main), else makes its own.
    explicit MainWindow(Session *session = nullptr, QWidget *parent = nullptr);
    ~MainWindow() override;

    Session *session() const { return m_session; }
    MapGraph *virtualGraph() const { return m_virtualGraph; }
    MapGraph *physicalGraph() const { return m_physicalGraph; }
    MapView *virtualView() const { return m_virtualView; }
    MapView *physicalView() const { return m_physicalView; }
    MapView *currentView() const;
    InspectorDock *inspector() const { return m_inspector; }
    PaletteWidget *palette() const { return m_palette; }
    QLabel *connectionLabel() const { return m_connectionState; }
    QTabWidget *tabs() const { return m_tabs; }

    void showPhysicalMap(bool physical);
    // Highlights matches on the current map and centres on them; returns the number found.
    int search(const QString &text);
    void setTenantFilter(const QString &tenant);
    // Saves the current map as PNG or SVG (by extension).
    bool exportMap(const QString &path);
    // Applies "light" or "dark" to the whole application.
    void applyTheme(const QString &theme);
    // Switches the interface language at run time: "" = system locale, "en", "ja".
    static void setLanguage(const QString &code);
    // Selects the node with this name (or id) on the current map and shows it in the inspector.
    bool selectByName(const QString &name);

public slots:
    void showLoginDialog();
    void openRoutes(const QString &routerId);
    // The router's BGP peers (with session status) and advertised networks.
    void openBgp(const QString &routerId);
    BgpDialog *bgpDialog() const;
    void openChains();
    void showSettings();

protected:
    void changeEvent(QEvent *e) override;
    void closeEvent(QCloseEvent *e) override;

private:
    void buildActions();
    void buildMenus();
    void retranslate();
    void updateConnectionState(Session::State s, const QString &detail);
    void createAt(const QString &kind, QPointF pos);
    void renameNode(const QString &id);
    void onSelection(const QStringList &ids);
    void updateActions();
    void updateUndoTexts();
    void refreshTenants();
    void savePositions();
    void restorePositions();
    QString objectIdFor(const QString &nodeId) const;

    Session *m_session;
    MapGraph *m_virtualGraph, *m_physicalGraph;
    MapScene *m_virtualScene, *m_physicalScene;
    MapView *m_virtualView, *m_physicalView;
    QTabWidget *m_tabs;
    PaletteWidget *m_palette;
    QDockWidget *m_paletteDock;
    InspectorDock *m_inspector;
    QToolBar *m_toolbar;
    QLineEdit *m_search;
    QComboBox *m_tenant;
    QLabel *m_connectionState = nullptr;
    QLabel *m_searchResult;
    QPointer<RoutesDialog> m_routesDialog;
    QPointer<BgpDialog> m_bgpDialog;
    QPointer<ChainsDialog> m_chainsDialog;
    QTimer m_saveTimer;
    QString m_restoredProfile;
    Session::State m_state = Session::State::Disconnected;
    QString m_stateDetail;

    QMenu *m_fileMenu, *m_editMenu, *m_viewMenu, *m_designMenu;
    QAction *m_connect, *m_disconnect, *m_exportPng, *m_exportSvg, *m_quit;
    QAction *m_undo, *m_redo, *m_delete, *m_rename, *m_selectAll;
    QAction *m_zoomIn, *m_zoomOut, *m_fit, *m_relayout, *m_linkMode, *m_settings;
    QAction *m_routes, *m_bgp, *m_chains;

    static QTranslator *s_translator;
    static QTranslator *s_qtTranslator; // Qt's own strings (qtbase_ja)
};

} // namespace midonet::manager
