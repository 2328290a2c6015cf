// Minimap: a small overview of the whole scene in a corner of a MapView, with the main view's
// visible area outlined; clicking or dragging in it moves the main view there.
//
// The overview is rendered into a pixmap at most every 250 ms, when the scene changed or was
// refitted; a paint draws that pixmap and the visible-area rectangle. Rendering 10,000 items on
// every pan step of the main view cost more than the main view itself (bench_manager).
//
// It hides itself while the whole map is in the main view (it would only cover part of it) and
// shows again when part of the map is off-screen.
//
// Thread-safety: GUI thread only.
#pragma once

#include <QGraphicsView>
#include <QPixmap>
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
    // Shown only when part of the map lies outside the main view.
    void updateVisibility();
    // How many times the overview was rendered (tests and benchmarks).
    int overviewRenders() const { return m_renders; }

protected:
    void paintEvent(QPaintEvent *e) override;
    void resizeEvent(QResizeEvent *e) override;
    void mousePressEvent(QMouseEvent *e) override;
    void mouseMoveEvent(QMouseEvent *e) override;
    void wheelEvent(QWheelEvent *e) override;

private:
    void renderOverview();

    MapView *m_main;
    QTimer m_refit;   // refit + re-render, coalesced
    QTimer m_stale;   // the scene changed: re-render, coalesced
    QPixmap m_overview;
    QRectF m_mapBounds; // the map's extent at the last refit
    bool m_dirty = true;
    int m_renders = 0;
};

} // namespace midonet::manager
