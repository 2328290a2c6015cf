#include "manager-gui/widgets/node_item.h"

#include <QFontMetricsF>
#include <QPaintEngine>
#include <QPainter>
#include <QStyleOptionGraphicsItem>

#include "manager-gui/widgets/map_scene.h"

namespace midonet::manager {

namespace {
constexpr double kLabelWidth = 150;
constexpr double kLabelLine = 14;
// Zoom levels (scene-to-device scale) below which parts are skipped.
constexpr double kLodDetail = 0.55;
constexpr double kLodLabel = 0.3;
constexpr double kLodPortLabel = 0.8;
constexpr double kLodFlat = 0.2;
constexpr double kLodPorts = 0.3;
// Around the symbol: room for the highlight halo, the selection frame and the state dot.
constexpr double kBodyMargin = 12;
// Zoomed out, labels grow (in scene units) up to this factor so they stay readable on screen.
constexpr double kMaxLabelScale = 1.6;
} // namespace

NodeItem::NodeItem(MapScene *scene, const MapNode &node) : m_scene(scene)
{
    setFlags(ItemIsSelectable | ItemSendsGeometryChanges);
    setNode(node);
}

bool NodeItem::isDevice() const
{
    switch (m_node.kind) {
    case MapNode::Kind::Bridge:
    case MapNode::Kind::Router:
    case MapNode::Kind::LoadBalancer:
    case MapNode::Kind::Host:
    case MapNode::Kind::TunnelZone: return true;
    default: return false;
    }
}

QSizeF NodeItem::symbolSize(MapNode::Kind kind)
{
    switch (kind) {
    case MapNode::Kind::Bridge: return {48, 28};
    case MapNode::Kind::Router: return {38, 38};
    case MapNode::Kind::LoadBalancer: return {38, 38};
    case MapNode::Kind::Host: return {50, 34};
    case MapNode::Kind::TunnelZone: return {46, 40};
    case MapNode::Kind::Port: return {12, 12};
    case MapNode::Kind::Interface: return {24, 18};
    case MapNode::Kind::Binding: return {24, 16};
    }
    return {20, 20};
}

void NodeItem::setNode(const MapNode &node)
{
    prepareGeometryChange();
    m_node = node;
    const QSizeF s = symbolSize(node.kind);
    const bool small = node.kind == MapNode::Kind::Port;
    const double w = std::max(s.width(), small ? 110.0 : kLabelWidth);
    // Room for labels drawn up to kMaxLabelScale larger when zoomed out (see paint()).
    const double h = s.height() + (small ? kLabelLine + 2 : 2 * kLabelLine + 4) * kMaxLabelScale;
    m_bounds = QRectF(-w / 2, -s.height() / 2 - 3, w, h + 6);
    setFlag(ItemIsMovable, isDevice() || node.kind == MapNode::Kind::Interface || node.kind == MapNode::Kind::Binding);
    setZValue(small ? 2 : 1);
    const QFont f = labelFont(false), f2 = labelFont(true);
    const QString label = QFontMetricsF(f).elidedText(node.label, Qt::ElideMiddle, m_bounds.width() / kMaxLabelScale);
    const QString detail = QFontMetricsF(f2).elidedText(node.detail, Qt::ElideRight, m_bounds.width() / kMaxLabelScale);
    m_label = QStaticText(label);
    m_label.setTextFormat(Qt::PlainText);
    m_label.prepare(QTransform(), f);
    m_labelWidth = QFontMetricsF(f).horizontalAdvance(label);
    m_detail = QStaticText(detail);
    m_detail.setTextFormat(Qt::PlainText);
    m_detail.prepare(QTransform(), f2);
    m_detailWidth = QFontMetricsF(f2).horizontalAdvance(detail);
    update();
}

QFont NodeItem::labelFont(bool detail) const
{
    QFont f = m_scene->labelFont();
    if (m_node.kind == MapNode::Kind::Port) f.setPointSizeF(f.pointSizeF() * 0.85);
    if (detail) f.setPointSizeF(f.pointSizeF() * 0.85);
    return f;
}

void NodeItem::setHighlighted(bool on)
{
    if (on == m_highlighted) return;
    m_highlighted = on;
    update();
}

QRectF NodeItem::boundingRect() const
{
    return m_bounds;
}

QPainterPath NodeItem::shape() const
{
    // Hit area: the symbol (plus a margin for tiny ports), not the label below it.
    QPainterPath path;
    const QSizeF s = symbolSize(m_node.kind);
    const double m = m_node.kind == MapNode::Kind::Port ? 4 : 2;
    path.addRect(QRectF(-s.width() / 2 - m, -s.height() / 2 - m, s.width() + 2 * m, s.height() + 2 * m));
    return path;
}

bool NodeItem::contains(const QPointF &point) const
{
    // The same area as shape(), without building a path per test.
    const QSizeF s = symbolSize(m_node.kind);
    const double m = m_node.kind == MapNode::Kind::Port ? 4 : 2;
    return std::abs(point.x()) <= s.width() / 2 + m && std::abs(point.y()) <= s.height() / 2 + m;
}

void NodeItem::paintSymbol(QPainter *p, MapNode::Kind kind, const QRectF &r, const QColor &fill,
                           const QColor &outline)
{
    p->setPen(QPen(outline, 1.4));
    p->setBrush(fill);
    switch (kind) {
    case MapNode::Kind::Bridge: {
        p->drawRoundedRect(r, 5, 5);
        // Two "cables" across: a bridge joins segments.
        p->setPen(QPen(Qt::white, 2));
        const double y1 = r.top() + r.height() / 3, y2 = r.top() + 2 * r.height() / 3;
        p->drawLine(QPointF(r.left() + 7, y1), QPointF(r.right() - 7, y1));
        p->drawLine(QPointF(r.left() + 7, y2), QPointF(r.right() - 7, y2));
        break;
    }
    case MapNode::Kind::Router: {
        p->drawEllipse(r);
        // Four arrows out of the centre: a router forwards between networks.
        p->setPen(QPen(Qt::white, 2));
        const QPointF c = r.center();
        const double a = r.width() * 0.28;
        p->drawLine(c - QPointF(a, 0), c + QPointF(a, 0));
        p->drawLine(c - QPointF(0, a), c + QPointF(0, a));
        p->drawLine(c + QPointF(a, 0), c + QPointF(a - 4, -4));
        p->drawLine(c - QPointF(a, 0), c - QPointF(a - 4, 4));
        break;
    }
    case MapNode::Kind::LoadBalancer: {
        QPolygonF d;
        d << QPointF(r.center().x(), r.top()) << QPointF(r.right(), r.center().y())
          << QPointF(r.center().x(), r.bottom()) << QPointF(r.left(), r.center().y());
        p->drawPolygon(d);
        p->setPen(QPen(Qt::white, 2));
        const QPointF c = r.center();
        p->drawLine(c + QPointF(-8, 0), c + QPointF(6, -7));
        p->drawLine(c + QPointF(-8, 0), c + QPointF(7, 0));
        p->drawLine(c + QPointF(-8, 0), c + QPointF(6, 7));
        break;
    }
    case MapNode::Kind::Host: {
        p->drawRoundedRect(r, 3, 3);
        p->setPen(QPen(Qt::white, 1.6));
        for (int i = 1; i <= 3; ++i) {
            const double y = r.top() + i * r.height() / 4;
            p->drawLine(QPointF(r.left() + 6, y), QPointF(r.right() - 14, y));
        }
        break;
    }
    case MapNode::Kind::TunnelZone: {
        QPolygonF hex;
        const QPointF c = r.center();
        for (int i = 0; i < 6; ++i) {
            const double ang = M_PI / 3 * i;
            hex << c + QPointF(std::cos(ang) * r.width() / 2, std::sin(ang) * r.height() / 2);
        }
        p->drawPolygon(hex);
        break;
    }
    case MapNode::Kind::Port: p->drawEllipse(r); break;
    case MapNode::Kind::Interface:
    case MapNode::Kind::Binding: {
        p->drawRect(r.adjusted(0, 0, 0, -4));
        p->drawLine(QPointF(r.center().x() - 5, r.bottom()), QPointF(r.center().x() + 5, r.bottom()));
        break;
    }
    }
}

bool NodeItem::isDead() const
{
    return m_node.state == QLatin1String("down") || m_node.state == QLatin1String("dead");
}

QColor NodeItem::fillColor() const
{
    const MapTheme &t = m_scene->theme();
    QColor fill;
    switch (m_node.kind) {
    case MapNode::Kind::Bridge: fill = t.bridge; break;
    case MapNode::Kind::Router: fill = t.router; break;
    case MapNode::Kind::LoadBalancer: fill = t.lb; break;
    case MapNode::Kind::Host: fill = t.host; break;
    case MapNode::Kind::TunnelZone: fill = t.zone; break;
    case MapNode::Kind::Port: fill = t.port; break;
    case MapNode::Kind::Interface: fill = t.iface; break;
    case MapNode::Kind::Binding: fill = t.binding_node; break;
    }
    const bool dead = isDead();
    if (m_node.kind == MapNode::Kind::Port)
        return m_node.state == QLatin1String("up") ? t.up : dead ? t.down : t.port;
    if (dead) fill = QColor::fromHsv(fill.hsvHue(), 45, fill.value()); // washed out
    return fill;
}

void NodeItem::paintBody(QPainter *p, const QColor &fill, bool selected) const
{
    const MapTheme &t = m_scene->theme();
    const QSizeF s = symbolSize(m_node.kind);
    const QRectF sym(-s.width() / 2, -s.height() / 2, s.width(), s.height());
    if (m_highlighted) {
        p->setPen(Qt::NoPen);
        p->setBrush(QColor(t.highlight.red(), t.highlight.green(), t.highlight.blue(), 110));
        p->drawEllipse(sym.center(), s.width() / 2 + 10, s.height() / 2 + 10);
    }
    paintSymbol(p, m_node.kind, sym, fill, selected ? t.selection : fill.darker(140));
    if (selected) {
        p->setPen(QPen(t.selection, 2, Qt::DashLine));
        p->setBrush(Qt::NoBrush);
        p->drawRect(sym.adjusted(-4, -4, 4, 4));
    }
    // State dot on devices and hosts: green up/alive, red down/dead.
    if (isDevice() && m_node.kind != MapNode::Kind::TunnelZone) {
        p->setPen(QPen(t.background, 1.5));
        p->setBrush(isDead() ? t.down : t.up);
        p->drawEllipse(QPointF(sym.right() - 2, sym.top() + 2), 4.5, 4.5);
    }
}

void NodeItem::paint(QPainter *p, const QStyleOptionGraphicsItem *option, QWidget *)
{
    const MapTheme &t = m_scene->theme();
    const QTransform world = p->worldTransform();
    const double lod = QStyleOptionGraphicsItem::levelOfDetailFromTransform(world);
    const bool port = m_node.kind == MapNode::Kind::Port;
    if (port && lod < kLodPorts) return; // a few pixels: noise, and 8 in 10 nodes of a big map
    const QSizeF s = symbolSize(m_node.kind);
    const QRectF sym(-s.width() / 2, -s.height() / 2, s.width(), s.height());
    const bool selected = option->state & QStyle::State_Selected;
    if (lod < kLodFlat) {
        // Far out: a flat rectangle, no outline, no text.
        p->fillRect(sym, m_highlighted ? t.highlight : selected ? t.selection : fillColor());
        return;
    }
    const bool raster = p->paintEngine() && p->paintEngine()->type() == QPaintEngine::Raster;
    if (raster && world.type() <= QTransform::TxScale && !world.isRotating()) {
        // Blit the cached body at whole device pixels.
        const double dpr = p->device()->devicePixelRatioF();
        const int bucket = std::max(1, int(std::lround(lod * dpr * 100)));
        const int state = isDead() ? 1 : m_node.state == QLatin1String("up") ? 2 : 0;
        const quint64 key = quint64(bucket) | quint64(m_node.kind) << 16 | quint64(state) << 20
                            | quint64(selected) << 22 | quint64(m_highlighted) << 23;
        const QRectF body = sym.adjusted(-kBodyMargin, -kBodyMargin, kBodyMargin, kBodyMargin);
        auto &cache = m_scene->bodyCache();
        auto it = cache.constFind(key);
        if (it == cache.cend()) {
            const double scale = bucket / 100.0; // device pixels per scene unit
            QPixmap pix(int(std::ceil(body.width() * scale)), int(std::ceil(body.height() * scale)));
            pix.fill(Qt::transparent);
            QPainter bp(&pix);
            bp.setRenderHint(QPainter::Antialiasing);
            bp.scale(scale, scale);
            bp.translate(-body.topLeft());
            paintBody(&bp, fillColor(), selected);
            bp.end();
            pix.setDevicePixelRatio(dpr);
            if (cache.size() > 512) cache.clear(); // many zoom levels visited: start over
            it = cache.insert(key, pix);
        }
        const QPointF at = world.map(body.topLeft());
        p->setWorldTransform(QTransform());
        p->drawPixmap(QPointF(std::round(at.x() * dpr) / dpr, std::round(at.y() * dpr) / dpr), *it);
        p->setWorldTransform(world);
    } else {
        paintBody(p, fillColor(), selected);
    }
    const double labelLod = port ? kLodPortLabel : kLodLabel;
    if (lod < labelLod) return;
    // Zoomed out, labels are drawn larger in scene units so they stay readable on screen.
    const double grow = std::clamp(1.0 / lod, 1.0, kMaxLabelScale);
    p->save();
    p->translate(0, sym.bottom() + 3);
    p->scale(grow, grow);
    p->setFont(labelFont(false));
    p->setPen(t.text);
    p->drawStaticText(QPointF(-m_labelWidth / 2, 0), m_label);
    if (lod >= kLodDetail && !m_node.detail.isEmpty() && !port) {
        p->setFont(labelFont(true));
        p->setPen(t.subtext);
        p->drawStaticText(QPointF(-m_detailWidth / 2, kLabelLine), m_detail);
    }
    p->restore();
}

QVariant NodeItem::itemChange(GraphicsItemChange change, const QVariant &value)
{
    if (change == ItemPositionChange) {
        m_lastPos = pos();
    } else if (change == ItemPositionHasChanged) {
        m_scene->nodeItemMoved(this, pos() - m_lastPos);
    }
    return QGraphicsItem::itemChange(change, value);
}

} // namespace midonet::manager
