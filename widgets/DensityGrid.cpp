#include "DensityGrid.h"

#include <algorithm>
#include <cmath>

namespace scenelens {

namespace {

// Box blur passes over the counts: two passes approximate a Gaussian, enough for smooth lines.
constexpr int kSmoothingPasses = 2;

std::vector<float> boxBlur(const std::vector<float>& grid, int cells) {
    std::vector<float> out(grid.size(), 0.f);
    for (int y = 0; y < cells; ++y)
        for (int x = 0; x < cells; ++x) {
            float sum = 0;
            int n = 0;
            for (int dy = -1; dy <= 1; ++dy)
                for (int dx = -1; dx <= 1; ++dx) {
                    const int xx = x + dx, yy = y + dy;
                    if (xx < 0 || yy < 0 || xx >= cells || yy >= cells)
                        continue;
                    sum += grid[std::size_t(yy) * cells + xx];
                    ++n;
                }
            out[std::size_t(y) * cells + x] = sum / float(n);
        }
    return out;
}

} // namespace

DensityGrid::DensityGrid(const float* coords, int rows, int dims, const std::uint8_t* flags,
                         std::uint8_t hiddenBit, int cells)
    : cells_(cells), counts_(std::size_t(cells) * cells, 0.f) {
    float minX = INFINITY, minY = INFINITY, maxX = -INFINITY, maxY = -INFINITY;
    for (int i = 0; i < rows; ++i) {
        const float* p = coords + std::size_t(i) * dims;
        minX = std::min(minX, p[0]);
        maxX = std::max(maxX, p[0]);
        minY = std::min(minY, p[1]);
        maxY = std::max(maxY, p[1]);
    }
    if (rows == 0)
        return;
    // Widen degenerate bounds so that every point falls into a cell.
    const double width = std::max(double(maxX - minX), 1e-9) * 1.0001;
    const double height = std::max(double(maxY - minY), 1e-9) * 1.0001;
    bounds_ = QRectF(minX, minY, width, height);
    for (int i = 0; i < rows; ++i) {
        if (flags[i] & hiddenBit)
            continue;
        const float* p = coords + std::size_t(i) * dims;
        const int x = std::min(cells - 1, int((p[0] - minX) / width * cells));
        const int y = std::min(cells - 1, int((p[1] - minY) / height * cells));
        counts_[std::size_t(y) * cells + x] += 1.f;
        ++total_;
    }
}

double DensityGrid::countIn(const QRectF& dataRect) const {
    if (cells_ == 0 || total_ == 0)
        return 0;
    const QRectF overlap = dataRect.normalized().intersected(bounds_);
    if (overlap.isEmpty())
        return 0;
    const double cellW = bounds_.width() / cells_, cellH = bounds_.height() / cells_;
    const int x0 = std::clamp(int((overlap.left() - bounds_.left()) / cellW), 0, cells_ - 1);
    const int x1 = std::clamp(int((overlap.right() - bounds_.left()) / cellW), 0, cells_ - 1);
    const int y0 = std::clamp(int((overlap.top() - bounds_.top()) / cellH), 0, cells_ - 1);
    const int y1 = std::clamp(int((overlap.bottom() - bounds_.top()) / cellH), 0, cells_ - 1);
    double count = 0;
    for (int y = y0; y <= y1; ++y)
        for (int x = x0; x <= x1; ++x) {
            const QRectF cell(bounds_.left() + x * cellW, bounds_.top() + y * cellH, cellW, cellH);
            const QRectF inside = cell.intersected(overlap);
            count +=
                cellValue(counts_, x, y) * (inside.width() * inside.height()) / (cellW * cellH);
        }
    return count;
}

std::vector<float> DensityGrid::smoothed() const {
    std::vector<float> grid = counts_;
    for (int pass = 0; pass < kSmoothingPasses; ++pass)
        grid = boxBlur(grid, cells_);
    return grid;
}

QPainterPath DensityGrid::contours(const std::vector<double>& levels) const {
    QPainterPath path;
    if (cells_ < 2 || total_ == 0)
        return path;
    const std::vector<float> grid = smoothed();
    const double maxValue = *std::max_element(grid.begin(), grid.end());
    const double cellW = bounds_.width() / cells_, cellH = bounds_.height() / cells_;
    // Sample points sit at cell centres.
    const auto at = [&](double gx, double gy) {
        return QPointF(bounds_.left() + (gx + 0.5) * cellW, bounds_.top() + (gy + 0.5) * cellH);
    };
    for (const double fraction : levels) {
        const double level = fraction * maxValue;
        for (int y = 0; y + 1 < cells_; ++y)
            for (int x = 0; x + 1 < cells_; ++x) {
                const double v[4] = {cellValue(grid, x, y), cellValue(grid, x + 1, y),
                                     cellValue(grid, x + 1, y + 1), cellValue(grid, x, y + 1)};
                const double corner[4][2] = {{0, 0}, {1, 0}, {1, 1}, {0, 1}};
                // Crossings on the four edges of the square, in order.
                QPointF crossings[4];
                int found = 0;
                for (int e = 0; e < 4; ++e) {
                    const int a = e, b = (e + 1) % 4;
                    if ((v[a] >= level) == (v[b] >= level))
                        continue;
                    const double t = (level - v[a]) / (v[b] - v[a]);
                    crossings[found++] = at(x + corner[a][0] + t * (corner[b][0] - corner[a][0]),
                                            y + corner[a][1] + t * (corner[b][1] - corner[a][1]));
                }
                // Two crossings: one segment; four (a saddle): two segments.
                for (int s = 0; s + 1 < found; s += 2) {
                    path.moveTo(crossings[s]);
                    path.lineTo(crossings[s + 1]);
                }
            }
    }
    return path;
}

} // namespace scenelens
