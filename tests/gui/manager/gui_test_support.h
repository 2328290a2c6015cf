// Helpers shared by the Manager's GUI tests: connect a Session to a cluster and wait for it,
// find map nodes by label, send raw mouse events to a view's viewport.
#pragma once

#include <QGraphicsView>
#include <QMouseEvent>
#include <QStandardPaths>
#include <QtTest>

namespace midonet::manager::test {

// Keeps the tests' QSettings away from the user's own.
inline void isolateSettings()
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("MidoNetTest"));
    QCoreApplication::setApplicationName(QStringLiteral("midonet-manager-test"));
}

inline void mouse(QGraphicsView *v, QEvent::Type type, QPointF scenePos, Qt::MouseButton button,
                  Qt::MouseButtons buttons, Qt::KeyboardModifiers mods = Qt::NoModifier)
{
    const QPointF local = v->mapFromScene(scenePos);
    QMouseEvent e(type, local, v->viewport()->mapToGlobal(local), button, buttons, mods);
    QApplication::sendEvent(v->viewport(), &e);
}

// A press-move-release drag in scene coordinates.
inline void drag(QGraphicsView *v, QPointF from, QPointF to, Qt::KeyboardModifiers mods = Qt::NoModifier)
{
    mouse(v, QEvent::MouseButtonPress, from, Qt::LeftButton, Qt::LeftButton, mods);
    for (int i = 1; i <= 5; ++i)
        mouse(v, QEvent::MouseMove, from + (to - from) * i / 5.0, Qt::NoButton, Qt::LeftButton, mods);
    mouse(v, QEvent::MouseButtonRelease, to, Qt::LeftButton, Qt::NoButton, mods);
}

} // namespace midonet::manager::test
