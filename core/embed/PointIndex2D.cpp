#include "embed/PointIndex2D.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>

namespace scenelens::embed {

namespace {

struct Bounds {
    double minX = std::numeric_limits<double>::infinity();
    double minY = std::numeric_limits<double>::infinity();
    double maxX = -std::numeric_limits<double>::infinity();
    double maxY = -std::numeric_limits<double>::infinity();

    void extend(double x, double y) {
        minX = std::min(minX, x);
        minY = std::min(minY, y);
        maxX = std::max(maxX, x);
        maxY = std::max(maxY, y);
    }
};

bool isFinite(const Point2& p) {
    return std::isfinite(p.x) && std::isfinite(p.y);
}

// The even-odd test with the polygon's bounds already known: points outside them are outside,
// which also keeps rounding in the crossing test from ever counting them in.
bool insideEvenOdd(double x, double y, const std::vector<Point2>& polygon, const Bounds& bounds) {
    if (x < bounds.minX || x > bounds.maxX || y < bounds.minY || y > bounds.maxY)
        return false;
    bool inside = false;
    const std::size_t n = polygon.size();
    for (std::size_t i = 0, j = n - 1; i < n; j = i++) {
        const Point2& a = polygon[i];
        const Point2& b = polygon[j];
        if ((a.y > y) != (b.y > y)) {
            const double crossing = a.x + (y - a.y) * (b.x - a.x) / (b.y - a.y);
            if (x < crossing)
                inside = !inside;
        }
    }
    return inside;
}

// Bounds of a polygon that can hold points, or nothing for fewer than 3 or non-finite vertices.
bool polygonBounds(const std::vector<Point2>& polygon, Bounds& bounds) {
    if (polygon.size() < 3)
        return false;
    for (const Point2& v : polygon) {
        if (!isFinite(v))
            return false;
        bounds.extend(v.x, v.y);
    }
    return true;
}

} // namespace

bool pointInPolygon(const Point2& p, const std::vector<Point2>& polygon) {
    Bounds bounds;
    return polygonBounds(polygon, bounds) && insideEvenOdd(p.x, p.y, polygon, bounds);
}

PointIndex2D::PointIndex2D(const float* xy, int rows) : rows_(std::max(rows, 0)) {
    Bounds bounds;
    int finite = 0;
    for (int i = 0; i < rows_; ++i)
        if (std::isfinite(xy[2 * i]) && std::isfinite(xy[2 * i + 1])) {
            bounds.extend(xy[2 * i], xy[2 * i + 1]);
            ++finite;
        }
    if (finite == 0)
        bounds = Bounds{0, 0, 0, 0};

    // About two points per cell, cells as square as the bounds allow.
    const double width = bounds.maxX - bounds.minX, height = bounds.maxY - bounds.minY;
    const long long target = std::max(1, finite / 2);
    long long columns = 1, cellRows = 1;
    if (width > 0 && height > 0) {
        const double side = std::sqrt(width * height / double(target));
        columns = std::clamp<long long>(std::llround(width / side), 1, target);
        cellRows = std::clamp<long long>(std::llround(height / side), 1, target);
    } else if (width > 0) {
        columns = target;
    } else if (height > 0) {
        cellRows = target;
    }
    minX_ = bounds.minX;
    minY_ = bounds.minY;
    columns_ = int(columns);
    cellRows_ = int(cellRows);
    cellWidth_ = width > 0 ? width / double(columns) : 1.0;
    cellHeight_ = height > 0 ? height / double(cellRows) : 1.0;
    inverseCellWidth_ = 1.0 / cellWidth_;
    inverseCellHeight_ = 1.0 / cellHeight_;

    // Counting sort into cells; within a cell the points keep ascending index order.
    std::vector<int> cellOf(rows_, -1);
    cellStart_.assign(std::size_t(columns_) * cellRows_ + 1, 0);
    for (int i = 0; i < rows_; ++i)
        if (std::isfinite(xy[2 * i]) && std::isfinite(xy[2 * i + 1])) {
            cellOf[i] = cellRow(xy[2 * i + 1]) * columns_ + cellColumn(xy[2 * i]);
            ++cellStart_[cellOf[i] + 1];
        }
    for (std::size_t c = 1; c < cellStart_.size(); ++c)
        cellStart_[c] += cellStart_[c - 1];
    entries_.resize(finite);
    std::vector<int> next(cellStart_.begin(), cellStart_.end() - 1);
    for (int i = 0; i < rows_; ++i) {
        if (cellOf[i] < 0)
            continue;
        entries_[next[cellOf[i]]++] = {xy[2 * i], xy[2 * i + 1], i};
    }
}

// Monotone in x (rounding is monotone), so a point and a query bound computed from the same
// doubles always fall in consistently ordered columns: range queries stay exact.
int PointIndex2D::cellColumn(double x) const {
    const double c = (x - minX_) * inverseCellWidth_;
    if (!(c > 0))
        return 0;
    return c >= columns_ - 1 ? columns_ - 1 : int(c); // truncation is floor for c > 0
}

int PointIndex2D::cellRow(double y) const {
    const double r = (y - minY_) * inverseCellHeight_;
    if (!(r > 0))
        return 0;
    return r >= cellRows_ - 1 ? cellRows_ - 1 : int(r);
}

PointIndex2D::CellRange PointIndex2D::cellsOverlapping(double xMin, double yMin, double xMax,
                                                       double yMax) const {
    if (entries_.empty() || !(xMin <= xMax) || !(yMin <= yMax))
        return {};
    return {cellColumn(xMin), cellRow(yMin), cellColumn(xMax), cellRow(yMax)};
}

std::size_t PointIndex2D::pointsIn(const CellRange& cells) const {
    std::size_t count = 0;
    for (int r = cells.y0; r <= cells.y1; ++r)
        count += cellStart_[std::size_t(r) * columns_ + cells.x1 + 1] -
                 cellStart_[std::size_t(r) * columns_ + cells.x0];
    return count;
}

std::vector<int> PointIndex2D::ascending(std::vector<int> indices) const {
    // A large selection is cheaper to order by marking than by sorting.
    if (indices.size() < std::size_t(rows_) / 32) {
        std::sort(indices.begin(), indices.end());
        return indices;
    }
    std::vector<std::uint8_t> selected(rows_, 0);
    for (int i : indices)
        selected[i] = 1;
    std::size_t out = 0;
    for (int i = 0; i < rows_; ++i)
        if (selected[i])
            indices[out++] = i;
    return indices;
}

int PointIndex2D::nearest(const Point2& p, double radius) const {
    if (!isFinite(p) || !(radius >= 0))
        return -1;
    // Widened by far more than rounding can move a point across the search window's border.
    const double slack = 1e-12 * (std::abs(p.x) + std::abs(p.y) + radius);
    const double reach = radius + slack;
    const CellRange cells = cellsOverlapping(p.x - reach, p.y - reach, p.x + reach, p.y + reach);
    const double limit = radius * radius;
    double best = std::numeric_limits<double>::infinity();
    int bestIndex = -1;
    for (int r = cells.y0; r <= cells.y1; ++r) {
        const int begin = cellStart_[std::size_t(r) * columns_ + cells.x0];
        const int end = cellStart_[std::size_t(r) * columns_ + cells.x1 + 1];
        for (int k = begin; k < end; ++k) {
            const Entry& e = entries_[k];
            const double dx = double(e.x) - p.x, dy = double(e.y) - p.y;
            const double d2 = dx * dx + dy * dy;
            if (d2 <= limit && (d2 < best || (d2 == best && e.index < bestIndex))) {
                best = d2;
                bestIndex = e.index;
            }
        }
    }
    return bestIndex;
}

std::vector<int> PointIndex2D::inRectangle(const Point2& corner1, const Point2& corner2) const {
    if (!isFinite(corner1) || !isFinite(corner2))
        return {};
    const double xMin = std::min(corner1.x, corner2.x), xMax = std::max(corner1.x, corner2.x);
    const double yMin = std::min(corner1.y, corner2.y), yMax = std::max(corner1.y, corner2.y);
    const CellRange cells = cellsOverlapping(xMin, yMin, xMax, yMax);
    std::vector<int> found;
    found.reserve(pointsIn(cells)); // untouched reserve costs no memory traffic
    for (int r = cells.y0; r <= cells.y1; ++r) {
        const bool innerRow = r > cells.y0 && r < cells.y1;
        for (int c = cells.x0; c <= cells.x1; ++c) {
            const std::size_t cell = std::size_t(r) * columns_ + c;
            // Cells strictly inside the range hold only points inside the rectangle, since the
            // cell of a coordinate is monotone in it.
            const bool inner = innerRow && c > cells.x0 && c < cells.x1;
            for (int k = cellStart_[cell]; k < cellStart_[cell + 1]; ++k) {
                const Entry& e = entries_[k];
                if (inner || (e.x >= xMin && e.x <= xMax && e.y >= yMin && e.y <= yMax))
                    found.push_back(e.index);
            }
        }
    }
    return ascending(std::move(found));
}

std::vector<int> PointIndex2D::inPolygon(const std::vector<Point2>& polygon) const {
    Bounds bounds;
    if (!polygonBounds(polygon, bounds))
        return {};
    const CellRange cells = cellsOverlapping(bounds.minX, bounds.minY, bounds.maxX, bounds.maxY);
    if (cells.x1 < cells.x0)
        return {};
    const int spanX = cells.x1 - cells.x0 + 1, spanY = cells.y1 - cells.y0 + 1;

    // Mark the cells an edge passes through (dilated by a margin far above rounding error). An
    // unmarked cell lies wholly inside or wholly outside, like its centre.
    const double scale = std::abs(minX_) + std::abs(minY_) + columns_ * cellWidth_ +
                         cellRows_ * cellHeight_ + std::abs(bounds.minX) + std::abs(bounds.maxX) +
                         std::abs(bounds.minY) + std::abs(bounds.maxY);
    const double margin = 1e-6 * std::min(cellWidth_, cellHeight_) + 1e-12 * scale;
    const double infinity = std::numeric_limits<double>::infinity();
    std::vector<std::uint8_t> crossed(std::size_t(spanX) * spanY, 0);
    const std::size_t n = polygon.size();
    for (std::size_t i = 0, j = n - 1; i < n; j = i++) {
        const Point2& a = polygon[j];
        const Point2& b = polygon[i];
        const double edgeMinX = std::min(a.x, b.x) - margin, edgeMaxX = std::max(a.x, b.x) + margin;
        const int c0 = std::max(cellColumn(edgeMinX), cells.x0);
        const int c1 = std::min(cellColumn(edgeMaxX), cells.x1);
        for (int c = c0; c <= c1; ++c) {
            // The outer columns also hold whatever lies beyond the grid.
            const double slabMin = c == 0 ? -infinity : minX_ + c * cellWidth_ - margin;
            const double slabMax =
                c == columns_ - 1 ? infinity : minX_ + (c + 1) * cellWidth_ + margin;
            const double x0 = std::max(edgeMinX, slabMin), x1 = std::min(edgeMaxX, slabMax);
            if (x0 > x1)
                continue;
            double y0 = a.y, y1 = b.y;
            if (a.x != b.x) {
                const auto yAt = [&](double x) {
                    const double t = std::clamp((x - a.x) / (b.x - a.x), 0.0, 1.0);
                    return a.y + t * (b.y - a.y);
                };
                y0 = yAt(x0);
                y1 = yAt(x1);
            }
            const int r0 = std::max(cellRow(std::min(y0, y1) - margin), cells.y0);
            const int r1 = std::min(cellRow(std::max(y0, y1) + margin), cells.y1);
            for (int r = r0; r <= r1; ++r)
                crossed[std::size_t(r - cells.y0) * spanX + (c - cells.x0)] = 1;
        }
    }

    std::vector<int> found;
    found.reserve(pointsIn(cells));
    for (int r = cells.y0; r <= cells.y1; ++r) {
        const std::uint8_t* rowCrossed = crossed.data() + std::size_t(r - cells.y0) * spanX;
        const std::size_t rowBase = std::size_t(r) * columns_;
        int c = cells.x0;
        while (c <= cells.x1) {
            if (rowCrossed[c - cells.x0]) {
                const std::size_t cell = rowBase + c;
                for (int k = cellStart_[cell]; k < cellStart_[cell + 1]; ++k)
                    if (insideEvenOdd(entries_[k].x, entries_[k].y, polygon, bounds))
                        found.push_back(entries_[k].index);
                ++c;
                continue;
            }
            // A run of uncrossed cells shares one side of the polygon: one test decides it.
            int end = c;
            while (end + 1 <= cells.x1 && !rowCrossed[end + 1 - cells.x0])
                ++end;
            const double centreX = minX_ + (c + 0.5) * cellWidth_;
            const double centreY = minY_ + (r + 0.5) * cellHeight_;
            if (insideEvenOdd(centreX, centreY, polygon, bounds))
                for (int k = cellStart_[rowBase + c]; k < cellStart_[rowBase + end + 1]; ++k)
                    found.push_back(entries_[k].index);
            c = end + 1;
        }
    }
    return ascending(std::move(found));
}

} // namespace scenelens::embed
