// ForceLayout: our incremental force-directed layout (DESIGN.md: Graphviz is EPL, and a batch
// layout would move what the user placed).
//
// Nodes repel each other (k²/d), edges pull like springs (d²/k, each edge with its own ideal
// length factor) and a weak pull to the centre keeps separate components in view. Repulsion uses
// a Barnes–Hut quadtree (a far cell acts as one mass at its centre when size/distance < theta),
// so one step is O(n log n): a few milliseconds at 5,000 nodes instead of the 25 million pairs of
// the exact sum. Pinned nodes (placed by the user) push and pull others but never move. Every
// step moves a node by at most the current temperature; the caller cools it between steps and
// stops when the largest move is small.
//
// Thread-safety: plain data, no locking; use from one thread at a time.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

namespace midonet::manager {

class ForceLayout
{
public:
    struct Edge
    {
        int a, b;
        float length = 1.0f; // ideal length as a factor of idealLength
    };

    std::vector<double> x, y;
    std::vector<std::uint8_t> pinned;
    std::vector<Edge> edges;
    double idealLength = 80.0;
    double temperature = 40.0;
    double theta = 0.9;
    double gravity = 0.05;

    void clear();
    int addNode(double px, double py, bool pin);
    int size() const { return int(x.size()); }
    // One iteration; returns the largest displacement of a free node.
    double step();

private:
    struct Cell
    {
        double cx = 0, cy = 0, mass = 0;  // centre of mass and node count
        double x0, y0, size;              // square bounds
        int child[4] = {-1, -1, -1, -1};
        int body = -1;                    // the single node of a leaf, -1 otherwise
    };
    void buildTree();
    void insert(int cell, int node, int depth);
    void repulse(int node, double &fx, double &fy) const;

    std::vector<Cell> m_cells;
    std::vector<double> m_fx, m_fy;
};

} // namespace midonet::manager
