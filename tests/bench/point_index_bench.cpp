// point_index_bench: PointIndex2D build time and query times (lasso, rectangle, hover) on
// clustered 2-D points like a t-SNE plot's, at 1M and 5M points by default.
// Usage: point_index_bench [points...]

#include "embed/PointIndex2D.h"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <vector>

using namespace scenelens::embed;

namespace {

using Clock = std::chrono::steady_clock;

double millisecondsSince(Clock::time_point start) {
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

// Fifty Gaussian clusters in [-50, 50]^2, as projected embeddings look.
std::vector<float> clusteredPoints(int rows) {
    std::mt19937 engine(1);
    std::uniform_real_distribution<float> centre(-40.0f, 40.0f);
    std::vector<std::pair<float, float>> centres(50);
    for (auto& c : centres)
        c = {centre(engine), centre(engine)};
    std::normal_distribution<float> spread(0.0f, 3.0f);
    std::vector<float> xy(2 * std::size_t(rows));
    for (int i = 0; i < rows; ++i) {
        const auto& c = centres[i % centres.size()];
        xy[2 * std::size_t(i)] = c.first + spread(engine);
        xy[2 * std::size_t(i) + 1] = c.second + spread(engine);
    }
    return xy;
}

// A wobbly hand-drawn lasso of `vertices` points around (cx, cy).
std::vector<Point2> lasso(double cx, double cy, double radius, int vertices) {
    std::vector<Point2> polygon;
    for (int k = 0; k < vertices; ++k) {
        const double angle = 2 * M_PI * k / vertices;
        const double r = radius * (1.0 + 0.25 * std::sin(7 * angle));
        polygon.push_back({cx + r * std::cos(angle), cy + r * std::sin(angle)});
    }
    return polygon;
}

template <typename Work> double bestOf(int repeats, Work&& work) {
    double best = INFINITY;
    for (int r = 0; r < repeats; ++r) {
        const auto start = Clock::now();
        work();
        best = std::min(best, millisecondsSince(start));
    }
    return best;
}

void run(int rows) {
    const std::vector<float> xy = clusteredPoints(rows);
    PointIndex2D index;
    const double build = bestOf(3, [&] { index = PointIndex2D(xy.data(), rows); });
    std::printf("%d points: build %.1f ms\n", rows, build);
    for (double radius : {10.0, 30.0, 60.0}) {
        const std::vector<Point2> polygon = lasso(0, 0, radius, 400);
        std::size_t selected = 0;
        const double time = bestOf(5, [&] { selected = index.inPolygon(polygon).size(); });
        std::printf("  lasso (400 vertices, radius %2.0f): %8zu points selected in %.1f ms\n",
                    radius, selected, time);
    }
    std::size_t inBox = 0;
    const double box = bestOf(5, [&] { inBox = index.inRectangle({-20, -20}, {20, 20}).size(); });
    std::printf("  rectangle 40 x 40: %zu points in %.1f ms\n", inBox, box);
    std::mt19937 engine(2);
    std::uniform_real_distribution<double> where(-50, 50);
    const int hovers = 100000;
    int found = 0;
    const auto start = Clock::now();
    for (int q = 0; q < hovers; ++q)
        found += index.nearest({where(engine), where(engine)}, 0.05) >= 0;
    std::printf("  hover (nearest within 0.05): %.2f us per query, %d of %d found\n",
                1000.0 * millisecondsSince(start) / hovers, found, hovers);
}

} // namespace

int main(int argc, char** argv) {
    std::vector<int> sizes;
    for (int i = 1; i < argc; ++i)
        sizes.push_back(std::atoi(argv[i]));
    if (sizes.empty())
        sizes = {1000000, 5000000};
    for (int rows : sizes)
        run(rows);
    return 0;
}
