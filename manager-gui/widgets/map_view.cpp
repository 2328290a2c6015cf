#include "manager-gui/widgets/map_view.h"

#include <QDragEnterEvent>
#include <QGraphicsLineItem>
#include <QKeyEvent>
#include <QMimeData>
#include <QScrollBar>
#include <QWheelEvent>

#include "manager-gui/widgets/map_scene.h"
#include "manager-gui/widgets/minimap.h"
#include "manager-gui/widgets/node_item.h"

namespace midonet::manager {

MapView::MapView(MapScene *scene, QWidget *parent) : QGraphicsView(scene, parent), m_scene(scene)
{
    setRenderHint(QPainter::Antialiasing);
    setRenderHint(QPainter::TextAntialiasing);
    setDragMode(QGraphicsView::RubberBandDrag);
    setRubberBandSelectionMode(Qt::IntersectsItemShape);
    setTransformationAnchor(QGraphicsView::AnchorUnderMouse);
    setViewportUpdateMode(QGraphicsView::SmartViewportUpdate);
    setOptimizationFlags(QGraphicsView::DontSavePainterState | QGraphicsView::DontAdjustForAntialiasing);
    setAcceptDrops(true);
    setSceneRect(QRectF(-1e6, -1e6, 2e6, 2e6)); // free panning; no scene-rect growth churn
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_minimap = new Minimap(this);
    connect(scene, &QGraphicsScene::selectionChanged, this, [this] {
        emit selectionIdsChanged(m_scene->selectedIds());
    });
}

void MapView::setZoom(double z)
{
    z = std::clamp(z, 0.02, 6.0);
    const QPointF c = mapToScene(viewport()->rect().center());
    setTransform(QTransform::fromScale(z, z));
    centerOn(c);
    emit viewportMoved();
}

void MapView::zoomBy(double factor)
{
    const double z = std::clamp(zoom() * factor, 0.02, 6.0);
    scale(z / zoom(), z / zoom());
    emit viewportMoved();
}

void MapView::fit()
{
    const QRectF r = m_scene->visibleBounds().adjusted(-40, -40, 40, 40);
    fitInView(r, Qt::KeepAspectRatio);
    if (zoom() > 1.5) setZoom(1.5); // a tiny map is not blown up to poster size
    emit viewportMoved();
}

void MapView::centerOnIds(const QStringList &ids)
{
    QRectF r;
    for (const auto &id : ids)
        if (NodeItem *n = m_scene->nodeItem(id); n && n->isVisible()) r |= n->sceneBoundingRect();
    if (r.isNull()) return;
    if (ids.size() == 1 && zoom() < 0.8) setZoom(1.0);
    if (ids.size() > 1) {
        const QRectF vis = mapToScene(viewport()->rect()).boundingRect();
        if (r.width() > vis.width() || r.height() > vis.height()) fitInView(r.adjusted(-60, -60, 60, 60), Qt::KeepAspectRatio);
    }
    centerOn(r.center());
    emit viewportMoved();
}

NodeItem *MapView::deviceAt(const QPoint &viewPos) const
{
    // Bounding rects from the BSP index, then the node's own cheap test: long edges have huge
    // bounding rects, and asking each for its shape made a hit test cost milliseconds.
    const QPointF p = mapToScene(viewPos);
    for (QGraphicsItem *i : m_scene->items(p, Qt::IntersectsItemBoundingRect, Qt::DescendingOrder, transform()))
        if (i->type() == NodeItem::Type) {
            auto *n = static_cast<NodeItem *>(i);
            if (n->isDevice() && n->contains(n->mapFromScene(p))) return n;
        }
    return nullptr;
}

void MapView::wheelEvent(QWheelEvent *e)
{
    const double steps = e->angleDelta().y() / 120.0;
    zoomBy(std::pow(1.2, steps));
    e->accept();
}

void MapView::mousePressEvent(QMouseEvent *e)
{
    if (e->button() == Qt::MiddleButton || e->button() == Qt::RightButton) {
        m_panning = true;
        m_panLast = e->position().toPoint();
        viewport()->setCursor(Qt::ClosedHandCursor);
        e->accept();
        return;
    }
    if (e->button() == Qt::LeftButton && (m_linkMode || (e->modifiers() & Qt::AltModifier))) {
        if (NodeItem *from = deviceAt(e->position().toPoint())) {
            m_linkFrom = from;
            m_linkLine = new QGraphicsLineItem(QLineF(from->pos(), mapToScene(e->position().toPoint())));
            m_linkLine->setPen(QPen(m_scene->theme().link, 2, Qt::DashLine));
            m_linkLine->setZValue(10);
            m_scene->addItem(m_linkLine);
            e->accept();
            return;
        }
    }
    if (e->button() == Qt::LeftButton) {
        m_moving = true;
        m_scene->setUserDragging(true);
    }
    QGraphicsView::mousePressEvent(e);
}

void MapView::mouseMoveEvent(QMouseEvent *e)
{
    if (m_panning) {
        const QPoint d = e->position().toPoint() - m_panLast;
        m_panLast = e->position().toPoint();
        horizontalScrollBar()->setValue(horizontalScrollBar()->value() - d.x());
        verticalScrollBar()->setValue(verticalScrollBar()->value() - d.y());
        e->accept();
        return;
    }
    if (m_linkLine) {
        m_linkLine->setLine(QLineF(m_linkFrom->pos(), mapToScene(e->position().toPoint())));
        e->accept();
        return;
    }
    QGraphicsView::mouseMoveEvent(e);
}

void MapView::mouseReleaseEvent(QMouseEvent *e)
{
    if (m_panning && (e->button() == Qt::MiddleButton || e->button() == Qt::RightButton)) {
        m_panning = false;
        viewport()->unsetCursor();
        e->accept();
        return;
    }
    if (m_linkLine) {
        NodeItem *to = deviceAt(e->position().toPoint());
        const QString from = m_linkFrom->id();
        delete m_linkLine;
        m_linkLine = nullptr;
        m_linkFrom = nullptr;
        if (to && to->id() != from) emit linkRequested(from, to->id());
        e->accept();
        return;
    }
    QGraphicsView::mouseReleaseEvent(e);
    if (m_moving && e->button() == Qt::LeftButton) {
        m_moving = false;
        m_scene->setUserDragging(false);
        QHash<QString, QPointF> before, after;
        m_scene->takeUserMoves(&before, &after);
        if (!after.isEmpty()) emit nodesMoved(before, after);
    }
}

void MapView::mouseDoubleClickEvent(QMouseEvent *e)
{
    if (NodeItem *n = deviceAt(e->position().toPoint())) {
        emit renameRequested(n->id());
        e->accept();
        return;
    }
    QGraphicsView::mouseDoubleClickEvent(e);
}

void MapView::keyPressEvent(QKeyEvent *e)
{
    if (e->key() == Qt::Key_Delete || e->key() == Qt::Key_Backspace) {
        const QStringList ids = m_scene->selectedIds();
        if (!ids.isEmpty()) emit deleteRequested(ids);
        e->accept();
        return;
    }
    if (e->key() == Qt::Key_F2) {
        const QStringList ids = m_scene->selectedIds();
        if (ids.size() == 1) emit renameRequested(ids.first());
        e->accept();
        return;
    }
    if (e->key() == Qt::Key_Plus || e->key() == Qt::Key_Equal) { zoomBy(1.25); return; }
    if (e->key() == Qt::Key_Minus) { zoomBy(0.8); return; }
    QGraphicsView::keyPressEvent(e);
}

void MapView::dragEnterEvent(QDragEnterEvent *e)
{
    if (e->mimeData()->hasFormat(QLatin1String(kDeviceMime))) e->acceptProposedAction();
    else e->ignore();
}

void MapView::dragMoveEvent(QDragMoveEvent *e)
{
    if (e->mimeData()->hasFormat(QLatin1String(kDeviceMime))) e->acceptProposedAction();
    else e->ignore();
}

void MapView::dropEvent(QDropEvent *e)
{
    if (!e->mimeData()->hasFormat(QLatin1String(kDeviceMime))) {
        e->ignore();
        return;
    }
    const QString kind = QString::fromUtf8(e->mimeData()->data(QLatin1String(kDeviceMime)));
    e->acceptProposedAction();
    emit createRequested(kind, mapToScene(e->position().toPoint()));
}

void MapView::resizeEvent(QResizeEvent *e)
{
    QGraphicsView::resizeEvent(e);
    const QSize s(std::min(220, width() / 4), std::min(150, height() / 4));
    m_minimap->setGeometry(width() - s.width() - 10, height() - s.height() - 10, s.width(), s.height());
    m_minimap->refit();
}

void MapView::scrollContentsBy(int dx, int dy)
{
    QGraphicsView::scrollContentsBy(dx, dy);
    emit viewportMoved();
}

} // namespace midonet::manager
