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
    // We paint the viewport ourselves (cached overview); Qt's own scene-driven updates would
    // repaint on every item change.
    setViewportUpdateMode(QGraphicsView::NoViewportUpdate);
    setOptimizationFlags(QGraphicsView::DontSavePainterState);
    setCursor(Qt::PointingHandCursor);
    m_refit.setSingleShot(true);
    m_refit.setInterval(250);
    connect(&m_refit, &QTimer::timeout, this, [this] {
        m_mapBounds = m_main->mapScene()->visibleBounds();
        fitInView(m_mapBounds.adjusted(-30, -30, 30, 30), Qt::KeepAspectRatio);
        m_dirty = true;
        viewport()->update();
        updateVisibility();
    });
    m_stale.setSingleShot(true);
    m_stale.setInterval(250);
    connect(&m_stale, &QTimer::timeout, this, [this] {
        m_dirty = true;
        viewport()->update();
    });
    connect(main->mapScene(), &QGraphicsScene::changed, this, [this] {
        if (!m_stale.isActive()) m_stale.start();
    });
    connect(main, &MapView::viewportMoved, this, [this] {
        updateVisibility();
        if (isVisible()) viewport()->update();
    });
    connect(main->mapScene()->graph(), &MapGraph::positionsChanged, this, [this] { refit(); });
    connect(main->mapScene()->graph(), &MapGraph::rebuilt, this, [this] { refit(); });
}

void Minimap::refit()
{
    if (!m_refit.isActive()) m_refit.start();
}

void Minimap::updateVisibility()
{
    const QRectF vis = m_main->mapToScene(m_main->viewport()->rect()).boundingRect();
    const bool wholeMapInView = !m_mapBounds.isNull() && vis.contains(m_mapBounds);
    setVisible(!wholeMapInView);
}

void Minimap::renderOverview()
{
    const qreal dpr = viewport()->devicePixelRatioF();
    m_overview = QPixmap(viewport()->size() * dpr);
    m_overview.setDevicePixelRatio(dpr);
    m_overview.fill(m_main->mapScene()->theme().background);
    QPainter p(&m_overview);
    // The scene rectangle this view shows, drawn into the whole pixmap.
    const QRectF source = mapToScene(viewport()->rect()).boundingRect();
    scene()->render(&p, QRectF(QPointF(0, 0), QSizeF(viewport()->size())), source, Qt::IgnoreAspectRatio);
    m_dirty = false;
    ++m_renders;
}

void Minimap::paintEvent(QPaintEvent *)
{
    if (m_dirty || m_overview.deviceIndependentSize() != QSizeF(viewport()->size())) renderOverview();
    QPainter p(viewport());
    p.drawPixmap(0, 0, m_overview);
    // The main view's visible area.
    const QRectF vis = m_main->mapToScene(m_main->viewport()->rect()).boundingRect();
    const MapTheme &t = m_main->mapScene()->theme();
    QColor fill = t.selection;
    fill.setAlpha(40);
    p.setPen(QPen(t.selection, 1));
    p.setBrush(fill);
    p.drawRect(mapFromScene(vis).boundingRect());
}

void Minimap::resizeEvent(QResizeEvent *e)
{
    QGraphicsView::resizeEvent(e);
    m_dirty = true;
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
