// MapScene: the QGraphicsScene of one map. It mirrors a MapGraph into NodeItems and EdgeItems
// (add/change/remove as the graph says), moves items when the layout moves nodes, and applies the
// view-only state: theme, tenant filter, search highlight.
//
// The scene keeps Qt's BSP tree index for the nodes (hit tests and partial repaints at 10,000
// nodes need it, DESIGN.md); all edges are one EdgeLayer item, so long edges do not crowd the
// index. It reports nodes the user dragged so the caller can make the move undoable.
//
// Thread-safety: GUI thread only.
#pragma once

#include <QFont>
#include <QGraphicsScene>
#include <QHash>
#include <QPixmap>
#include <QSet>

#include "manager-gui/models/map_graph.h"
#include "manager-gui/widgets/map_theme.h"

namespace midonet::manager {

class EdgeLayer;
class NodeItem;

class MapScene : public QGraphicsScene
{
    Q_OBJECT
public:
    explicit MapScene(MapGraph *graph, QObject *parent = nullptr);
    ~MapScene() override;

    MapGraph *graph() const { return m_graph; }
    const MapTheme &theme() const { return m_theme; }
    void setTheme(const MapTheme &t);
    const QFont &labelFont() const { return m_font; }
    // Node bodies (symbol, state dot, selection, highlight) rendered once per look and zoom
    // level, blitted by NodeItem::paint (see node_item.h). Cleared with the theme.
    QHash<quint64, QPixmap> &bodyCache() { return m_bodyCache; }

    NodeItem *nodeItem(const QString &id) const { return m_nodes.value(id); }
    // Whether the edge is on the map (edges are drawn by one EdgeLayer item, see edge_layer.h).
    bool hasEdge(const QString &id) const;
    EdgeLayer *edgeLayer() const { return m_edgeLayer; }
    int nodeCount() const { return int(m_nodes.size()); }
    QStringList selectedIds() const;
    void selectIds(const QStringList &ids);

    // Only nodes of this tenant (and nodes without a tenant) are shown; empty shows all.
    void setTenantFilter(const QString &tenant);
    QString tenantFilter() const { return m_tenant; }
    // Marks these nodes; returns how many are visible.
    int setHighlight(const QStringList &ids);
    QStringList highlighted() const { return QStringList(m_highlight.begin(), m_highlight.end()); }
    // Bounding rect of the visible items (for fit and export).
    QRectF visibleBounds() const;

    // While the user drags, layout steps do not fight the mouse.
    void setUserDragging(bool on) { m_dragging = on; }
    // Called by a NodeItem that moved by `delta`; a user move carries its ports along.
    void nodeItemMoved(NodeItem *item, QPointF delta);
    // The nodes the user moved since the last call: position before and after.
    void takeUserMoves(QHash<QString, QPointF> *before, QHash<QString, QPointF> *after);

protected:
    void drawBackground(QPainter *p, const QRectF &rect) override;

private:
    void addNode(const QString &id);
    void addEdge(const QString &id);
    void removeNode(const QString &id);
    void removeEdge(const QString &id);
    void syncPositions(const QStringList &ids);
    void applyFilter(NodeItem *item);

    MapGraph *m_graph;
    MapTheme m_theme = MapTheme::light();
    QFont m_font;
    QHash<quint64, QPixmap> m_bodyCache;
    QHash<QString, NodeItem *> m_nodes;
    EdgeLayer *m_edgeLayer;
    QSet<QString> m_highlight;
    QString m_tenant;
    QHash<QString, QStringList> m_children;
    QHash<QString, QPointF> m_movedFrom;
    bool m_dragging = false;
    bool m_syncing = false;
};

} // namespace midonet::manager
