#include "manager-gui/widgets/edge_layer.h"

#include <QPainter>
#include <QStyleOptionGraphicsItem>

#include "manager-gui/widgets/map_scene.h"
#include "manager-gui/widgets/node_item.h"

namespace midonet::manager {

namespace {
constexpr double kLabelLod = 0.75;   // edge labels (tunnel addresses) from this zoom on
// With more edges than this in view every edge is a 1 px aliased line: the raster engine draws
// cosmetic pens of width <= 1 with its fast line stroker, wider ones as stroked paths (40% of a
// frame at 12,000 edges), and aliased lines cost half as much. Small maps keep their styles.
constexpr size_t kCheapEdges = 400;
constexpr double kDashLod = 0.3;     // below: solid too (dashes are invisible far out)
// Below this zoom ports are not drawn (node_item.cpp), nor the short edges attaching them.
constexpr double kAttachLod = 0.3;
constexpr double kLabelMargin = 40;  // room for a label around the line's midpoint
int kindIndex(MapEdge::Kind k) { return int(k); }
} // namespace

EdgeLayer::EdgeLayer(MapScene *scene) : m_scene(scene)
{
    setZValue(0);
    setAcceptedMouseButtons(Qt::NoButton);
    setFlag(ItemUsesExtendedStyleOption); // exposedRect: only the edges crossing it are drawn
    restyle();
}

EdgeLayer::~EdgeLayer() = default;

void EdgeLayer::restyle()
{
    const MapTheme &t = m_scene->theme();
    // Widths in pixels (cosmetic): a line keeps its weight at every zoom, and 1 px cosmetic
    // lines take the raster engine's fast path. Only links are wider, and only zoomed in.
    m_pens[kindIndex(MapEdge::Kind::Attach)] = QPen(t.edge, 1);
    m_pens[kindIndex(MapEdge::Kind::Link)] = QPen(t.link, 2.4);
    m_pens[kindIndex(MapEdge::Kind::Binding)] = QPen(t.binding, 1, Qt::DashLine);
    m_pens[kindIndex(MapEdge::Kind::Member)] = QPen(t.member, 1, Qt::DotLine);
    m_pens[kindIndex(MapEdge::Kind::LoadBalancer)] = QPen(t.lb, 1, Qt::DashDotLine);
    for (int k = 0; k < 5; ++k) {
        m_pens[k].setCosmetic(true);
        m_midPens[k] = m_pens[k];
        m_midPens[k].setWidthF(1.0);
        m_farPens[k] = m_midPens[k];
        m_farPens[k].setStyle(Qt::SolidLine);
    }
    m_labelFont = m_scene->labelFont();
    m_labelFont.setPointSizeF(m_labelFont.pointSizeF() * 0.8);
    for (auto &e : m_edges) prepareLabel(e.get());
    update();
}

void EdgeLayer::prepareLabel(Edge *e) const
{
    if (e->edge.label.isEmpty()) return;
    e->label = QStaticText(e->edge.label);
    e->label.setTextFormat(Qt::PlainText);
    e->label.prepare(QTransform(), m_labelFont);
}

const MapEdge *EdgeLayer::edge(const QString &id) const
{
    const Edge *e = m_byId.value(id);
    return e ? &e->edge : nullptr;
}

void EdgeLayer::place(Edge *e)
{
    const QRectF old = e->box;
    e->line = QLineF(e->a->pos(), e->b->pos());
    const double m = e->edge.label.isEmpty() ? 3 : kLabelMargin;
    e->box = QRectF(e->line.p1(), e->line.p2()).normalized().adjusted(-m, -m, m, m);
    if (!m_bounds.contains(e->box)) {
        prepareGeometryChange();
        m_bounds |= e->box;
    }
    if (e->visible) {
        if (!old.isNull()) update(old);
        update(e->box);
    }
}

void EdgeLayer::addEdge(const MapEdge &edge, NodeItem *a, NodeItem *b)
{
    if (m_byId.contains(edge.id)) return;
    auto e = std::make_unique<Edge>();
    e->edge = edge;
    e->a = a;
    e->b = b;
    e->visible = a->isVisible() && b->isVisible();
    e->index = m_edges.size();
    prepareLabel(e.get());
    Edge *raw = e.get();
    m_edges.push_back(std::move(e));
    m_byId.insert(edge.id, raw);
    m_byNode[a] << raw;
    m_byNode[b] << raw;
    place(raw);
}

void EdgeLayer::removeEdge(const QString &id)
{
    Edge *e = m_byId.take(id);
    if (!e) return;
    update(e->box);
    for (NodeItem *n : {e->a, e->b}) {
        auto it = m_byNode.find(n);
        if (it == m_byNode.end()) continue;
        it->removeAll(e);
        if (it->isEmpty()) m_byNode.erase(it);
    }
    // Swap with the last and pop: indices stay dense, the scan stays a plain loop.
    const size_t i = e->index;
    if (i + 1 != m_edges.size()) {
        std::swap(m_edges[i], m_edges.back());
        m_edges[i]->index = i;
    }
    m_edges.pop_back();
}

void EdgeLayer::removeEdgesOf(NodeItem *node)
{
    const QList<Edge *> edges = m_byNode.value(node);
    for (Edge *e : edges) removeEdge(e->edge.id);
}

void EdgeLayer::nodeMoved(NodeItem *node)
{
    auto it = m_byNode.constFind(node);
    if (it == m_byNode.cend()) return;
    for (Edge *e : *it) place(e);
}

void EdgeLayer::refreshVisibility()
{
    for (auto &e : m_edges) e->visible = e->a->isVisible() && e->b->isVisible();
    update();
}

void EdgeLayer::nodeVisibilityChanged(NodeItem *node)
{
    auto it = m_byNode.constFind(node);
    if (it == m_byNode.cend()) return;
    for (Edge *e : *it) {
        e->visible = e->a->isVisible() && e->b->isVisible();
        update(e->box);
    }
}

void EdgeLayer::paint(QPainter *p, const QStyleOptionGraphicsItem *option, QWidget *widget)
{
    const double lod = QStyleOptionGraphicsItem::levelOfDetailFromTransform(p->worldTransform());
    const QRectF exposed = option->exposedRect;
    // The style depends on how many edges the whole view shows, not this (maybe partial) paint:
    // a repainted strip must look like its surroundings.
    const QRectF view = widget ? p->worldTransform().inverted().mapRect(QRectF(widget->rect())) : exposed;
    size_t inView = 0;
    const bool labels = lod >= kLabelLod;
    const bool attach = lod >= kAttachLod;
    for (auto &b : m_batch) b.clear();
    m_labels.clear();
    for (const auto &e : m_edges) {
        if (!e->visible || (!attach && e->edge.kind == MapEdge::Kind::Attach) || !e->box.intersects(view)) continue;
        ++inView;
        if (!e->box.intersects(exposed)) continue;
        m_batch[kindIndex(e->edge.kind)].push_back(e->line);
        if (labels && !e->edge.label.isEmpty()) m_labels.push_back(e.get());
    }
    const bool cheap = inView > kCheapEdges;
    const bool aa = p->testRenderHint(QPainter::Antialiasing);
    if (cheap) p->setRenderHint(QPainter::Antialiasing, false);
    for (int k = 0; k < 5; ++k) {
        if (m_batch[k].empty()) continue;
        p->setPen(lod < kDashLod ? m_farPens[k] : cheap ? m_midPens[k] : m_pens[k]);
        p->drawLines(m_batch[k].data(), int(m_batch[k].size()));
    }
    p->setRenderHint(QPainter::Antialiasing, aa);
    if (m_labels.empty()) return;
    p->setFont(m_labelFont);
    p->setPen(m_scene->theme().subtext);
    for (const Edge *e : m_labels) {
        const QSizeF s = e->label.size();
        p->drawStaticText(e->line.center() - QPointF(s.width() / 2, s.height()), e->label);
    }
}

} // namespace midonet::manager
