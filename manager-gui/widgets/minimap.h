// Minimap: a small overview of the whole scene in a corner of a MapView, with the main view's
// visible area outlined; clicking or dragging in it moves the main view there.
//
// Thread-safety: GUI thread only.
#pragma once

#include <QGraphicsView>
#include <QTimer>

namespace midonet::manager {

class MapView;

class Minimap : public QGraphicsView
{
    Q_OBJECT
public:
    explicit Minimap(MapView *main);
    // Refits the overview to the scene (coalesced: at most every 250 ms).
    void refit();

protected:
    void drawForeground(QPainter *p, const QRectF &rect) override;
    void mousePressEvent(QMouseEvent *e) override;
    void mouseMoveEvent(QMouseEvent *e) override;
    void wheelEvent(QWheelEvent *e) override;

private:
    MapView *m_main;
    QTimer m_refit;
};

} // namespace midonet::manager
