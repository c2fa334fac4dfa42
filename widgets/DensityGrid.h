#pragma once
// Point counts on a coarse grid over a 2-D plot's bounds: how many visible points a data
// rectangle holds (for density-aware alpha) and iso-density contour lines (marching squares).

#include <QPainterPath>
#include <QRectF>

#include <cstdint>
#include <vector>

namespace scenelens {

class DensityGrid {
public:
    DensityGrid() = default;
    /// Counts the rows of `coords` (rows x dims, x and y used) whose flags lack `hiddenBit`.
    DensityGrid(const float* coords, int rows, int dims, const std::uint8_t* flags,
                std::uint8_t hiddenBit, int cells = 96);

    int total() const { return total_; }
    /// Visible points in the cells that `dataRect` overlaps, cells partly inside counted by the
    /// overlapped share (points spread evenly within a cell).
    double countIn(const QRectF& dataRect) const;
    /// Iso-lines of the smoothed density at `levels` fractions of its maximum, in data coordinates.
    QPainterPath contours(const std::vector<double>& levels) const;

private:
    double cellValue(const std::vector<float>& grid, int x, int y) const {
        return grid[std::size_t(y) * cells_ + x];
    }
    std::vector<float> smoothed() const;

    QRectF bounds_;
    int cells_ = 0;
    int total_ = 0;
    std::vector<float> counts_;
};

} // namespace scenelens
