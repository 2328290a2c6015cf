#include "manager-gui/widgets/edge_item.h"

#include <QPainter>
#include <QPainterPathStroker>
#include <QStyleOptionGraphicsItem>

#include "manager-gui/widgets/map_scene.h"
#include "manager-gui/widgets/node_item.h"

namespace midonet::manager {

EdgeItem::EdgeItem(MapScene *scene, const MapEdge &edge, NodeItem *a, NodeItem *b)
    : m_scene(scene), m_edge(edge), m_a(a), m_b(b)
{
    setZValue(0);
    setAcceptedMouseButtons(Qt::NoButton);
    a->addEdge(this);
    b->addEdge(this);
    adjust();
}

EdgeItem::~EdgeItem()
{
    if (m_a) m_a->removeEdge(this);
    if (m_b) m_b->removeEdge(this);
}

void EdgeItem::adjust()
{
    if (!m_a || !m_b) return;
    const QLineF l(m_a->pos(), m_b->pos());
    if (l == m_line) return;
    prepareGeometryChange();
    m_line = l;
}

QRectF EdgeItem::boundingRect() const
{
    const double m = m_edge.label.isEmpty() ? 3 : 40;
    return QRectF(m_line.p1(), m_line.p2()).normalized().adjusted(-m, -m, m, m);
}

QPainterPath EdgeItem::shape() const
{
    QPainterPath path(m_line.p1());
    path.lineTo(m_line.p2());
    QPainterPathStroker stroker;
    stroker.setWidth(4);
    return stroker.createStroke(path);
}

void EdgeItem::paint(QPainter *p, const QStyleOptionGraphicsItem *, QWidget *)
{
    const MapTheme &t = m_scene->theme();
    const double lod = QStyleOptionGraphicsItem::levelOfDetailFromTransform(p->worldTransform());
    QPen pen;
    switch (m_edge.kind) {
    case MapEdge::Kind::Attach: pen = QPen(t.edge, 1.2); break;
    case MapEdge::Kind::Link: pen = QPen(t.link, 2.4); break;
    case MapEdge::Kind::Binding: pen = QPen(t.binding, 1.4, Qt::DashLine); break;
    case MapEdge::Kind::Member: pen = QPen(t.member, 1.6, Qt::DotLine); break;
    case MapEdge::Kind::LoadBalancer: pen = QPen(t.lb, 1.8, Qt::DashDotLine); break;
    }
    // Widths in pixels (cosmetic): the raster engine clips and draws these much faster than
    // stroking long scene-unit lines, and a line keeps its weight at every zoom.
    pen.setCosmetic(true);
    if (lod < 0.3) {
        pen.setStyle(Qt::SolidLine); // dashes are invisible far out and cost the most
        pen.setWidthF(1.0);
    }
    p->setPen(pen);
    p->drawLine(m_line);
    if (!m_edge.label.isEmpty() && lod >= 0.75) {
        QFont f = m_scene->labelFont();
        f.setPointSizeF(f.pointSizeF() * 0.8);
        p->setFont(f);
        p->setPen(t.subtext);
        p->drawText(QRectF(m_line.center() - QPointF(60, 14), QSizeF(120, 14)), Qt::AlignCenter, m_edge.label);
    }
}

} // namespace midonet::manager
