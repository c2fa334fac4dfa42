#pragma once
// Spatial queries on 2-D points for picking and selection in an embedding view: nearest point
// within a radius, points in a rectangle or a polygon (lasso). A uniform grid over the points'
// bounds (about two points per cell) answers each query in time proportional to the cells it
// touches; points are stored cell by cell so that a query reads contiguous memory.

#include <cstddef>
#include <vector>

namespace scenelens::embed {

struct Point2 {
    double x = 0, y = 0;
};

/// Even-odd rule; points on an edge may count either way. Fewer than 3 vertices hold no point.
bool pointInPolygon(const Point2& p, const std::vector<Point2>& polygon);

class PointIndex2D {
public:
    PointIndex2D() = default;
    /// xy: rows x 2 row-major (e.g. projected coordinates, or screen positions of 3-D points).
    /// Copies what it needs; points with a NaN or infinite coordinate are never returned.
    PointIndex2D(const float* xy, int rows);

    /// Index of the point nearest to p within radius (Euclidean, inclusive), or -1; ties go to
    /// the lower index.
    int nearest(const Point2& p, double radius) const;
    /// Indices ascending of the points in the closed rectangle spanned by two opposite corners.
    std::vector<int> inRectangle(const Point2& corner1, const Point2& corner2) const;
    /// Indices ascending of the points for which pointInPolygon(point, polygon) holds.
    std::vector<int> inPolygon(const std::vector<Point2>& polygon) const;

    int size() const { return rows_; }

private:
    struct CellRange {
        int x0 = 0, y0 = 0, x1 = -1, y1 = -1; ///< inclusive; empty when x1 < x0
    };

    int cellColumn(double x) const;
    int cellRow(double y) const;
    CellRange cellsOverlapping(double xMin, double yMin, double xMax, double yMax) const;
    std::size_t pointsIn(const CellRange& cells) const;
    std::vector<int> ascending(std::vector<int> indices) const;

    int rows_ = 0;
    double minX_ = 0, minY_ = 0;
    double cellWidth_ = 1, cellHeight_ = 1;
    double inverseCellWidth_ = 1, inverseCellHeight_ = 1;
    int columns_ = 0, cellRows_ = 0;
    std::vector<int> cellStart_; ///< columns_ * cellRows_ + 1 offsets into the arrays below
    struct Entry {
        float x, y;
        int index; ///< original row
    };
    std::vector<Entry> entries_; ///< the finite points, cell by cell
};

} // namespace scenelens::embed
