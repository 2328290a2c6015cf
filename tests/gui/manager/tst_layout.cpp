// The incremental layout: pinned (user-placed) nodes never move, linked nodes end up closer than
// unlinked ones, coincident nodes separate, the Barnes–Hut approximation gives the same layout
// quality as the exact sum (theta 0), and MapGraph keeps positions across rebuilds.
#include "manager-gui/models/force_layout.h"

#include <QtTest>

#include <cmath>

#include "manager-gui/models/map_graph.h"
#include "manager-gui/models/topology_model.h"

using namespace midonet::manager;

namespace {
double dist(const ForceLayout &l, int a, int b)
{
    return std::hypot(l.x[size_t(a)] - l.x[size_t(b)], l.y[size_t(a)] - l.y[size_t(b)]);
}
void run(ForceLayout &l, int steps)
{
    for (int i = 0; i < steps; ++i) {
        l.step();
        l.temperature = std::max(1.0, l.temperature * 0.97);
    }
}
} // namespace

class TstLayout : public QObject
{
    Q_OBJECT
private slots:
    void pinnedNodesStay_data()
    {
        QTest::addColumn<int>("nodes");
        QTest::newRow("small") << 10;
        QTest::newRow("medium") << 300;
    }
    void pinnedNodesStay()
    {
        QFETCH(int, nodes);
        ForceLayout l;
        for (int i = 0; i < nodes; ++i) l.addNode(i * 3.0, (i % 7) * 5.0, i % 5 == 0);
        for (int i = 1; i < nodes; ++i) l.edges.push_back({i - 1, i, 1.0f});
        const ForceLayout before = l;
        run(l, 100);
        for (int i = 0; i < nodes; ++i) {
            if (i % 5 == 0) {
                QCOMPARE(l.x[size_t(i)], before.x[size_t(i)]);
                QCOMPARE(l.y[size_t(i)], before.y[size_t(i)]);
            }
            QVERIFY(std::isfinite(l.x[size_t(i)]) && std::isfinite(l.y[size_t(i)]));
        }
    }

    void linkedCloserThanUnlinked()
    {
        ForceLayout l;
        for (int i = 0; i < 40; ++i) l.addNode(std::cos(i) * 200, std::sin(i * 1.3) * 200, false);
        // Two clusters of 20, each a ring.
        for (int c = 0; c < 2; ++c)
            for (int i = 0; i < 20; ++i) l.edges.push_back({c * 20 + i, c * 20 + (i + 1) % 20, 1.0f});
        run(l, 400);
        double inside = 0, across = 0;
        for (int i = 0; i < 20; ++i) {
            inside += dist(l, i, (i + 1) % 20);
            across += dist(l, i, 20 + i);
        }
        QVERIFY2(inside < across, qPrintable(QStringLiteral("%1 vs %2").arg(inside).arg(across)));
    }

    void coincidentNodesSeparate()
    {
        ForceLayout l;
        for (int i = 0; i < 50; ++i) l.addNode(0, 0, false);
        run(l, 150);
        double minD = 1e9;
        for (int i = 0; i < 50; ++i)
            for (int j = i + 1; j < 50; ++j) minD = std::min(minD, dist(l, i, j));
        QVERIFY2(minD > 5, qPrintable(QString::number(minD)));
    }

    void approximationMatchesExact()
    {
        // Same start, theta 0.9 (Barnes–Hut) vs theta 0 (every pair): average edge length within 15 %.
        auto build = [](double theta) {
            ForceLayout l;
            l.theta = theta;
            for (int i = 0; i < 400; ++i) l.addNode(std::fmod(i * 37.0, 500), std::fmod(i * 91.0, 500), false);
            for (int i = 1; i < 400; ++i) l.edges.push_back({i, (i * 7) % i, 1.0f});
            run(l, 200);
            double total = 0;
            for (const auto &e : l.edges) total += dist(l, e.a, e.b);
            return total / double(l.edges.size());
        };
        const double approx = build(0.9), exact = build(0.0);
        QVERIFY2(std::abs(approx - exact) / exact < 0.15, qPrintable(QStringLiteral("%1 vs %2").arg(approx).arg(exact)));
    }

    void graphKeepsPositionsAcrossRebuilds()
    {
        TopologyModel model;
        MapGraph g(&model, MapGraph::View::Virtual);
        g.setLayoutEnabled(false);
        model.upsert(QStringLiteral("bridges"), QJsonObject{{QStringLiteral("id"), QStringLiteral("b1")}, {QStringLiteral("name"), QStringLiteral("one")}});
        g.rebuild();
        g.setPositions({{QStringLiteral("b1"), QPointF(10, 20)}});
        model.upsert(QStringLiteral("bridges"), QJsonObject{{QStringLiteral("id"), QStringLiteral("b1")}, {QStringLiteral("name"), QStringLiteral("renamed")}});
        model.upsert(QStringLiteral("ports"), QJsonObject{{QStringLiteral("id"), QStringLiteral("p1")}, {QStringLiteral("deviceId"), QStringLiteral("b1")}});
        g.rebuild();
        QCOMPARE(g.position(QStringLiteral("b1")), QPointF(10, 20));
        QCOMPARE(g.nodes().value(QStringLiteral("b1")).label, QStringLiteral("renamed"));
        // A new port starts next to its device.
        QVERIFY(QLineF(g.position(QStringLiteral("p1")), QPointF(10, 20)).length() < 60);
        model.remove(QStringLiteral("bridges"), QStringLiteral("b1"));
        g.rebuild();
        QVERIFY(!g.nodes().contains(QStringLiteral("b1")));
        QVERIFY(!g.nodes().contains(QStringLiteral("p1"))); // a port without its device is not drawn
    }
};

QTEST_MAIN(TstLayout)
#include "tst_layout.moc"
