#include "manager-gui/widgets/map_scene.h"

#include <QPainter>

#include "manager-gui/widgets/edge_layer.h"
#include "manager-gui/widgets/node_item.h"

namespace midonet::manager {

MapScene::MapScene(MapGraph *graph, QObject *parent) : QGraphicsScene(parent), m_graph(graph)
{
    setItemIndexMethod(QGraphicsScene::BspTreeIndex);
    m_font = QFont(QStringLiteral("Noto Sans CJK JP"));
    m_font.setPointSizeF(8.5);
    m_font.setStyleHint(QFont::SansSerif);
    m_edgeLayer = new EdgeLayer(this);
    addItem(m_edgeLayer);
    connect(graph, &MapGraph::nodeAdded, this, &MapScene::addNode);
    connect(graph, &MapGraph::nodeRemoved, this, &MapScene::removeNode);
    connect(graph, &MapGraph::edgeAdded, this, &MapScene::addEdge);
    connect(graph, &MapGraph::edgeRemoved, this, &MapScene::removeEdge);
    connect(graph, &MapGraph::nodeChanged, this, [this](const QString &id) {
        if (NodeItem *n = m_nodes.value(id)) {
            n->setNode(m_graph->nodes().value(id));
            applyFilter(n);
        }
    });
    connect(graph, &MapGraph::positionsChanged, this, &MapScene::syncPositions);
    connect(graph, &MapGraph::rebuilt, this, [this] {
        m_children.clear();
        for (const auto &n : m_graph->nodes())
            if (!n.parent.isEmpty()) m_children[n.parent] << n.id;
    });
    for (auto it = graph->nodes().begin(); it != graph->nodes().end(); ++it) addNode(it.key());
    for (auto it = graph->edges().begin(); it != graph->edges().end(); ++it) addEdge(it.key());
}

MapScene::~MapScene()
{
    // No selectionChanged to views that may be half destroyed.
    blockSignals(true);
    // The layer points at nodes: it goes first.
    delete m_edgeLayer;
}

bool MapScene::hasEdge(const QString &id) const
{
    return m_edgeLayer->contains(id);
}

void MapScene::setTheme(const MapTheme &t)
{
    m_theme = t;
    m_bodyCache.clear();
    setBackgroundBrush(t.background);
    m_edgeLayer->restyle();
    update();
}

void MapScene::addNode(const QString &id)
{
    if (m_nodes.contains(id)) return;
    const MapNode &n = m_graph->nodes()[id];
    auto *item = new NodeItem(this, n);
    m_syncing = true;
    item->setPos(n.pos);
    m_syncing = false;
    item->setHighlighted(m_highlight.contains(id));
    addItem(item);
    m_nodes.insert(id, item);
    applyFilter(item);
}

void MapScene::addEdge(const QString &id)
{
    const MapEdge &e = m_graph->edges()[id];
    NodeItem *a = m_nodes.value(e.a), *b = m_nodes.value(e.b);
    if (!a || !b) return;
    m_edgeLayer->addEdge(e, a, b);
}

void MapScene::removeEdge(const QString &id)
{
    m_edgeLayer->removeEdge(id);
}

void MapScene::removeNode(const QString &id)
{
    NodeItem *item = m_nodes.take(id);
    if (!item) return;
    // Edges the graph did not report yet (defensive): remove those touching this node.
    m_edgeLayer->removeEdgesOf(item);
    m_highlight.remove(id);
    delete item;
}

void MapScene::syncPositions(const QStringList &ids)
{
    m_syncing = true;
    const auto apply = [this](NodeItem *item) {
        if (m_dragging && item->isSelected()) return;
        const QPointF p = m_graph->nodes().value(item->id()).pos;
        if ((item->pos() - p).manhattanLength() > 0.05) item->setPos(p);
    };
    if (ids.isEmpty()) {
        for (NodeItem *item : std::as_const(m_nodes)) apply(item);
    } else {
        for (const auto &id : ids)
            if (NodeItem *item = m_nodes.value(id)) apply(item);
    }
    m_syncing = false;
}

void MapScene::nodeItemMoved(NodeItem *item, QPointF delta)
{
    m_edgeLayer->nodeMoved(item);
    if (m_syncing) return;
    if (!m_movedFrom.contains(item->id())) m_movedFrom.insert(item->id(), item->pos() - delta);
    // A user drag: ports and interfaces hanging off the moved node travel with it, so a device
    // keeps its ports around it instead of the layout pulling them back later.
    for (const QString &child : m_children.value(item->id()))
        if (NodeItem *c = m_nodes.value(child); c && !c->isSelected()) c->setPos(c->pos() + delta);
}

void MapScene::takeUserMoves(QHash<QString, QPointF> *before, QHash<QString, QPointF> *after)
{
    for (auto it = m_movedFrom.begin(); it != m_movedFrom.end(); ++it) {
        NodeItem *n = m_nodes.value(it.key());
        if (!n || (n->pos() - it.value()).manhattanLength() < 0.5) continue;
        before->insert(it.key(), it.value());
        after->insert(it.key(), n->pos());
    }
    m_movedFrom.clear();
}

QStringList MapScene::selectedIds() const
{
    QStringList out;
    for (QGraphicsItem *i : selectedItems())
        if (i->type() == NodeItem::Type) out << static_cast<NodeItem *>(i)->id();
    out.sort();
    return out;
}

void MapScene::selectIds(const QStringList &ids)
{
    clearSelection();
    for (const auto &id : ids)
        if (NodeItem *n = m_nodes.value(id)) n->setSelected(true);
}

void MapScene::applyFilter(NodeItem *item)
{
    const bool visible = m_tenant.isEmpty() || item->node().tenant.isEmpty() || item->node().tenant == m_tenant;
    if (item->isVisible() == visible) return;
    item->setVisible(visible);
    m_edgeLayer->nodeVisibilityChanged(item);
}

void MapScene::setTenantFilter(const QString &tenant)
{
    m_tenant = tenant;
    for (NodeItem *n : std::as_const(m_nodes)) {
        const bool visible = tenant.isEmpty() || n->node().tenant.isEmpty() || n->node().tenant == tenant;
        n->setVisible(visible);
    }
    m_edgeLayer->refreshVisibility();
}

int MapScene::setHighlight(const QStringList &ids)
{
    for (const auto &id : std::as_const(m_highlight))
        if (NodeItem *n = m_nodes.value(id)) n->setHighlighted(false);
    m_highlight = QSet<QString>(ids.begin(), ids.end());
    int visible = 0;
    for (const auto &id : ids)
        if (NodeItem *n = m_nodes.value(id)) {
            n->setHighlighted(true);
            visible += n->isVisible() ? 1 : 0;
        }
    return visible;
}

QRectF MapScene::visibleBounds() const
{
    QRectF r;
    for (NodeItem *n : std::as_const(m_nodes))
        if (n->isVisible()) r |= n->sceneBoundingRect();
    return r.isNull() ? QRectF(-200, -150, 400, 300) : r;
}

void MapScene::drawBackground(QPainter *p, const QRectF &rect)
{
    p->fillRect(rect, m_theme.background);
    // A light grid helps the eye when panning; skipped when zoomed far out (too dense).
    const double scale = p->worldTransform().m11();
    if (scale < 0.3) return;
    const double step = 50;
    p->setPen(QPen(m_theme.grid, 0));
    const double left = std::floor(rect.left() / step) * step, top = std::floor(rect.top() / step) * step;
    QVarLengthArray<QLineF, 128> lines;
    for (double x = left; x < rect.right(); x += step) lines.append(QLineF(x, rect.top(), x, rect.bottom()));
    for (double y = top; y < rect.bottom(); y += step) lines.append(QLineF(rect.left(), y, rect.right(), y));
    p->drawLines(lines.data(), int(lines.size()));
}

} // namespace midonet::manager
