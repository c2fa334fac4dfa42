#pragma once
// Repulsive t-SNE forces in 3-D by Barnes-Hut on an octree (van der Maaten 2014). Private to t-SNE.

#include "embed/TsneThreads.h"

#include <vector>

namespace scenelens::embed {

class BarnesHutRepulsion {
public:
    /// theta: a cell is summarised by its centre of mass when its width < theta * distance.
    explicit BarnesHutRepulsion(double theta = 0.5) : theta_(theta) {}

    /// y: rows x 3 row-major. Writes forces (rows x 3) ~ sum_j w_ij^2 (y_i - y_j) with
    /// w_ij = 1 / (1 + |y_i - y_j|^2) and returns Z ~ sum_{i != j} w_ij.
    double compute(const double* y, int rows, double* forces, TsneThreads& threads);

private:
    struct Cell {
        double center[3];
        double half;    ///< half the width
        double mass[3]; ///< centre of mass
        int begin, end; ///< range of order_
        int firstChild = -1, children = 0;
    };

    void build(const double* y, int cell, int depth);
    double forcesOn(const double* y, int i, double* force) const;

    double theta_;
    std::vector<Cell> cells_;
    std::vector<int> order_;
    std::vector<double> workerZ_;
};

} // namespace scenelens::embed
