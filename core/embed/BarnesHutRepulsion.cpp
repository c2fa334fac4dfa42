#include "embed/BarnesHutRepulsion.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace scenelens::embed {

namespace {

constexpr int kLeafSize = 8;
constexpr int kMaxDepth = 40; ///< ends the split on duplicate points
constexpr int kStackSize = 8 * kMaxDepth + 8;

} // namespace

void BarnesHutRepulsion::build(const double* y, int cell, int depth) {
    const int begin = cells_[cell].begin, end = cells_[cell].end;
    double mass[3] = {0, 0, 0};
    for (int t = begin; t < end; ++t)
        for (int d = 0; d < 3; ++d)
            mass[d] += y[3 * order_[t] + d];
    for (int d = 0; d < 3; ++d)
        cells_[cell].mass[d] = mass[d] / (end - begin);
    if (end - begin <= kLeafSize || depth >= kMaxDepth)
        return;

    // Split the range into octants: by x, then each half by y, then each quarter by z.
    const Cell parent = cells_[cell];
    int bounds[9] = {begin, 0, 0, 0, 0, 0, 0, 0, end};
    for (int d = 0, step = 8; d < 3; ++d, step /= 2)
        for (int part = 0; part < 8; part += step) {
            auto low = [&](int p) { return y[3 * p + d] < parent.center[d]; };
            bounds[part + step / 2] =
                int(std::partition(order_.begin() + bounds[part],
                                   order_.begin() + bounds[part + step], low) -
                    order_.begin());
        }
    cells_[cell].firstChild = int(cells_.size());
    for (int octant = 0; octant < 8; ++octant) {
        if (bounds[octant] == bounds[octant + 1])
            continue;
        Cell child{};
        child.half = parent.half / 2;
        for (int d = 0; d < 3; ++d) {
            const bool high = (octant >> (2 - d)) & 1;
            child.center[d] = parent.center[d] + (high ? child.half : -child.half);
        }
        child.begin = bounds[octant];
        child.end = bounds[octant + 1];
        cells_.push_back(child);
        ++cells_[cell].children;
    }
    const int first = cells_[cell].firstChild, count = cells_[cell].children;
    for (int c = first; c < first + count; ++c)
        build(y, c, depth + 1);
}

double BarnesHutRepulsion::forcesOn(const double* y, int i, double* force) const {
    const double* yi = y + 3 * i;
    std::array<int, kStackSize> stack;
    int top = 0;
    stack[top++] = 0;
    double z = 0;
    force[0] = force[1] = force[2] = 0;
    auto add = [&](const double* other, double count) {
        const double dx = yi[0] - other[0], dy = yi[1] - other[1], dz = yi[2] - other[2];
        const double w = 1.0 / (1.0 + dx * dx + dy * dy + dz * dz);
        z += count * w;
        const double ww = count * w * w;
        force[0] += ww * dx;
        force[1] += ww * dy;
        force[2] += ww * dz;
    };
    while (top > 0) {
        const Cell& cell = cells_[stack[--top]];
        double d2 = 0;
        for (int d = 0; d < 3; ++d)
            d2 += (yi[d] - cell.mass[d]) * (yi[d] - cell.mass[d]);
        const double width = 2 * cell.half;
        if (width * width < theta_ * theta_ * d2) {
            add(cell.mass, cell.end - cell.begin);
        } else if (cell.children == 0) {
            for (int t = cell.begin; t < cell.end; ++t)
                if (order_[t] != i)
                    add(y + 3 * order_[t], 1);
        } else {
            for (int c = cell.firstChild; c < cell.firstChild + cell.children; ++c)
                stack[top++] = c;
        }
    }
    return z;
}

double BarnesHutRepulsion::compute(const double* y, int rows, double* forces,
                                   TsneThreads& threads) {
    double lo[3], hi[3];
    for (int d = 0; d < 3; ++d)
        lo[d] = hi[d] = y[d];
    for (int i = 0; i < rows; ++i)
        for (int d = 0; d < 3; ++d) {
            lo[d] = std::min(lo[d], y[3 * i + d]);
            hi[d] = std::max(hi[d], y[3 * i + d]);
        }
    Cell root{};
    root.half = 1e-9;
    for (int d = 0; d < 3; ++d) {
        root.center[d] = (lo[d] + hi[d]) / 2;
        root.half = std::max(root.half, (hi[d] - lo[d]) / 2);
    }
    root.begin = 0;
    root.end = rows;
    order_.resize(rows);
    for (int i = 0; i < rows; ++i)
        order_[i] = i;
    cells_.clear();
    cells_.reserve(std::size_t(rows) / 2 + 64);
    cells_.push_back(root);
    build(y, 0, 0);

    workerZ_.assign(threads.size(), 0.0);
    threads.run(rows, [&](int begin, int end, int worker) {
        double z = 0;
        for (int i = begin; i < end; ++i)
            z += forcesOn(y, i, forces + 3 * i);
        workerZ_[worker] = z;
    });
    double z = 0;
    for (double part : workerZ_)
        z += part;
    return z;
}

} // namespace scenelens::embed
