#include "manager-gui/widgets/minimap.h"

#include <QMouseEvent>
#include <QPainter>

#include "manager-gui/widgets/map_scene.h"
#include "manager-gui/widgets/map_view.h"

namespace midonet::manager {

Minimap::Minimap(MapView *main) : QGraphicsView(main->scene(), main), m_main(main)
{
    setInteractive(false);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setFrameShape(QFrame::Box);
    setRenderHint(QPainter::Antialiasing, false);
    setViewportUpdateMode(QGraphicsView::FullViewportUpdate);
    setOptimizationFlags(QGraphicsView::DontSavePainterState);
    setCursor(Qt::PointingHandCursor);
    m_refit.setSingleShot(true);
    m_refit.setInterval(250);
    connect(&m_refit, &QTimer::timeout, this, [this] {
        fitInView(m_main->mapScene()->visibleBounds().adjusted(-30, -30, 30, 30), Qt::KeepAspectRatio);
        viewport()->update();
    });
    connect(main, &MapView::viewportMoved, this, [this] { viewport()->update(); });
    connect(main->mapScene()->graph(), &MapGraph::positionsChanged, this, [this] { refit(); });
    connect(main->mapScene()->graph(), &MapGraph::rebuilt, this, [this] { refit(); });
}

void Minimap::refit()
{
    if (!m_refit.isActive()) m_refit.start();
}

void Minimap::drawForeground(QPainter *p, const QRectF &)
{
    const QRectF vis = m_main->mapToScene(m_main->viewport()->rect()).boundingRect();
    const MapTheme &t = m_main->mapScene()->theme();
    p->setPen(QPen(t.selection, 0));
    QColor fill = t.selection;
    fill.setAlpha(40);
    p->setBrush(fill);
    p->drawRect(vis);
}

void Minimap::mousePressEvent(QMouseEvent *e)
{
    m_main->centerOn(mapToScene(e->position().toPoint()));
    e->accept();
}

void Minimap::mouseMoveEvent(QMouseEvent *e)
{
    if (e->buttons() & Qt::LeftButton) m_main->centerOn(mapToScene(e->position().toPoint()));
    e->accept();
}

void Minimap::wheelEvent(QWheelEvent *e)
{
    e->accept();
}

} // namespace midonet::manager
