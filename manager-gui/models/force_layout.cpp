#include "manager-gui/models/force_layout.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace midonet::manager {

namespace {
constexpr int kMaxDepth = 24; // coincident points stop splitting here
}

void ForceLayout::clear()
{
    x.clear();
    y.clear();
    pinned.clear();
    edges.clear();
}

int ForceLayout::addNode(double px, double py, bool pin)
{
    x.push_back(px);
    y.push_back(py);
    pinned.push_back(pin ? 1 : 0);
    return int(x.size()) - 1;
}

void ForceLayout::buildTree()
{
    m_cells.clear();
    const int n = size();
    if (n == 0) return;
    double minX = std::numeric_limits<double>::max(), minY = minX;
    double maxX = std::numeric_limits<double>::lowest(), maxY = maxX;
    for (int i = 0; i < n; ++i) {
        minX = std::min(minX, x[i]);
        maxX = std::max(maxX, x[i]);
        minY = std::min(minY, y[i]);
        maxY = std::max(maxY, y[i]);
    }
    Cell root;
    root.x0 = minX;
    root.y0 = minY;
    root.size = std::max({maxX - minX, maxY - minY, 1.0}) * 1.0001;
    m_cells.reserve(size_t(n) * 2 + 1);
    m_cells.push_back(root);
    for (int i = 0; i < n; ++i) insert(0, i, 0);
}

void ForceLayout::insert(int cell, int node, int depth)
{
    for (;;) {
        Cell &c = m_cells[size_t(cell)];
        // Running centre of mass.
        c.cx = (c.cx * c.mass + x[size_t(node)]) / (c.mass + 1);
        c.cy = (c.cy * c.mass + y[size_t(node)]) / (c.mass + 1);
        c.mass += 1;
        const bool leaf = c.child[0] < 0 && c.child[1] < 0 && c.child[2] < 0 && c.child[3] < 0;
        if (leaf && c.body < 0 && c.mass == 1) {
            c.body = node;
            return;
        }
        if (depth >= kMaxDepth) return; // coincident: the mass is counted, no deeper split
        const double half = c.size / 2;
        auto quadrant = [&](int n) {
            const int qx = x[size_t(n)] >= c.x0 + half ? 1 : 0;
            const int qy = y[size_t(n)] >= c.y0 + half ? 1 : 0;
            return qy * 2 + qx;
        };
        auto childFor = [&](int q) {
            if (m_cells[size_t(cell)].child[q] < 0) {
                Cell nc;
                const Cell &p = m_cells[size_t(cell)];
                nc.size = half;
                nc.x0 = p.x0 + (q & 1 ? half : 0);
                nc.y0 = p.y0 + (q & 2 ? half : 0);
                m_cells.push_back(nc);
                m_cells[size_t(cell)].child[q] = int(m_cells.size()) - 1;
            }
            return m_cells[size_t(cell)].child[q];
        };
        if (c.body >= 0) {
            // Push the old single body one level down first.
            const int old = c.body;
            m_cells[size_t(cell)].body = -1;
            const int oq = quadrant(old);
            const int oc = childFor(oq);
            Cell &occ = m_cells[size_t(oc)];
            occ.cx = x[size_t(old)];
            occ.cy = y[size_t(old)];
            occ.mass = 1;
            occ.body = old;
        }
        const int q = quadrant(node);
        cell = childFor(q);
        ++depth;
    }
}

void ForceLayout::repulse(int node, double &fx, double &fy) const
{
    const double k2 = idealLength * idealLength;
    const double px = x[size_t(node)], py = y[size_t(node)];
    int stack[256];
    int top = 0;
    stack[top++] = 0;
    while (top > 0) {
        const Cell &c = m_cells[size_t(stack[--top])];
        if (c.mass == 0 || c.body == node) continue;
        double dx = px - c.cx, dy = py - c.cy;
        double d2 = dx * dx + dy * dy;
        const bool leaf = c.child[0] < 0 && c.child[1] < 0 && c.child[2] < 0 && c.child[3] < 0;
        if (leaf || c.size * c.size < theta * theta * d2) {
            if (d2 < 0.01) {
                // Same spot: a deterministic nudge apart.
                dx = ((node * 7919) % 13 - 6) * 0.1 + 0.05;
                dy = ((node * 104729) % 11 - 5) * 0.1 + 0.05;
                d2 = dx * dx + dy * dy;
            }
            // Cut off very distant cells: their force is tiny and they cost the most.
            const double f = k2 * c.mass / d2;
            fx += dx * f;
            fy += dy * f;
            continue;
        }
        for (int q = 0; q < 4; ++q)
            if (c.child[q] >= 0 && top < 255) stack[top++] = c.child[q];
    }
}

double ForceLayout::step()
{
    const int n = size();
    if (n == 0) return 0;
    buildTree();
    m_fx.assign(size_t(n), 0.0);
    m_fy.assign(size_t(n), 0.0);
    double cx = 0, cy = 0;
    for (int i = 0; i < n; ++i) {
        cx += x[size_t(i)];
        cy += y[size_t(i)];
    }
    cx /= n;
    cy /= n;
    for (int i = 0; i < n; ++i) {
        if (pinned[size_t(i)]) continue;
        repulse(i, m_fx[size_t(i)], m_fy[size_t(i)]);
        m_fx[size_t(i)] -= gravity * (x[size_t(i)] - cx) * idealLength / 10;
        m_fy[size_t(i)] -= gravity * (y[size_t(i)] - cy) * idealLength / 10;
    }
    for (const Edge &e : edges) {
        const double dx = x[size_t(e.b)] - x[size_t(e.a)], dy = y[size_t(e.b)] - y[size_t(e.a)];
        const double d = std::sqrt(dx * dx + dy * dy) + 1e-9;
        const double len = idealLength * e.length;
        const double f = d * d / len / d; // along the unit vector
        m_fx[size_t(e.a)] += dx * f;
        m_fy[size_t(e.a)] += dy * f;
        m_fx[size_t(e.b)] -= dx * f;
        m_fy[size_t(e.b)] -= dy * f;
    }
    double maxMove = 0;
    for (int i = 0; i < n; ++i) {
        if (pinned[size_t(i)]) continue;
        const double fx = m_fx[size_t(i)], fy = m_fy[size_t(i)];
        const double f = std::sqrt(fx * fx + fy * fy);
        if (f < 1e-9) continue;
        const double move = std::min(f, temperature);
        x[size_t(i)] += fx / f * move;
        y[size_t(i)] += fy / f * move;
        maxMove = std::max(maxMove, move);
    }
    return maxMove;
}

} // namespace midonet::manager
