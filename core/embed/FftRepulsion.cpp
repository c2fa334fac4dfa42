#include "embed/FftRepulsion.h"

#include <algorithm>
#include <cmath>

namespace scenelens::embed {

namespace {

/// Five nodes per box keep the gradient within ~0.3% of the exact sum (three give ~3%) for only a
/// 5/3 larger grid side.
constexpr int kNodesPerBox = 5;
/// As many nodes per side as FIt-SNE's 50 boxes of 3 nodes while the embedding is small.
constexpr int kMinBoxes = 30;

/// The smallest n' >= n whose only prime factors are 2, 3 and 5, the sizes kissfft is fast on.
int fftFriendly(int n) {
    for (;; ++n) {
        int m = n;
        for (int f : {2, 3, 5})
            while (m % f == 0)
                m /= f;
        if (m == 1)
            return n;
    }
}

/// Lagrange weights of the kNodesPerBox equispaced nodes (at (a + 0.5) / p) for u in [0, 1].
void lagrange(double u, double w[kNodesPerBox]) {
    for (int a = 0; a < kNodesPerBox; ++a) {
        double value = 1;
        for (int b = 0; b < kNodesPerBox; ++b)
            if (b != a)
                value *= (u - (b + 0.5) / kNodesPerBox) * kNodesPerBox / (a - b);
        w[a] = value;
    }
}

} // namespace

int FftRepulsion::box(double coordinate, double& local) const {
    const double position = (coordinate - min_) / boxWidth_;
    const int index = std::clamp(int(position), 0, boxes_ - 1);
    local = position - index;
    return index;
}

void FftRepulsion::layOut(const double* y, int rows) {
    const auto [lo, hi] = std::minmax_element(y, y + 2 * std::size_t(rows));
    const double extent = std::max(*hi - *lo, 1e-9);
    // Boxes at most one unit wide keep the kernel smooth across a box; the count grows with the
    // extent, as in FIt-SNE.
    boxes_ = fftFriendly(std::max(kMinBoxes, int(std::ceil(extent))));
    min_ = *lo;
    boxWidth_ = extent / boxes_;
    nodes_ = boxes_ * kNodesPerBox;
    padded_ = 2 * nodes_;
}

void FftRepulsion::spreadCharges(const double* y, int rows, TsneThreads& threads) {
    const std::size_t plane = std::size_t(nodes_) * nodes_;
    workerCharges_.assign(threads.size() * plane, 0.0);
    threads.run(rows, [&](int begin, int end, int worker) {
        double* grid = workerCharges_.data() + worker * plane;
        double wx[kNodesPerBox], wy[kNodesPerBox];
        for (int i = begin; i < end; ++i) {
            double ux, uy;
            const int bx = box(y[2 * i], ux), by = box(y[2 * i + 1], uy);
            lagrange(ux, wx);
            lagrange(uy, wy);
            for (int b = 0; b < kNodesPerBox; ++b)
                for (int a = 0; a < kNodesPerBox; ++a)
                    grid[std::size_t(by * kNodesPerBox + b) * nodes_ + bx * kNodesPerBox + a] +=
                        wx[a] * wy[b];
        }
    });
    // Worker grids add up in a fixed order, into the zero-padded FFT grid.
    charges_.assign(std::size_t(padded_) * padded_, Complex(0, 0));
    threads.run(nodes_, [&](int begin, int end, int) {
        for (int r = begin; r < end; ++r)
            for (int col = 0; col < nodes_; ++col) {
                const std::size_t node = std::size_t(r) * nodes_ + col;
                double sum = 0;
                for (int w = 0; w < threads.size(); ++w)
                    sum += workerCharges_[w * plane + node];
                charges_[std::size_t(r) * padded_ + col] = sum;
            }
    });
}

void FftRepulsion::fillKernels(TsneThreads& threads) {
    // Circulant embedding of the kernels on node offsets -(n-1)..(n-1). The field kernel is the
    // force itself rather than w^2 times charges y_j: that form cancels large terms and loses
    // digits far from the origin.
    const std::size_t size = std::size_t(padded_) * padded_;
    kernel_.assign(size, Complex(0, 0));
    fieldKernel_.assign(size, Complex(0, 0));
    const double spacing = boxWidth_ / kNodesPerBox;
    threads.run(padded_, [&](int begin, int end, int) {
        for (int r = begin; r < end; ++r) {
            if (r == nodes_)
                continue;
            const double dy = spacing * (r < nodes_ ? r : r - padded_);
            for (int col = 0; col < padded_; ++col) {
                if (col == nodes_)
                    continue;
                const double dx = spacing * (col < nodes_ ? col : col - padded_);
                const double w = 1.0 / (1.0 + dx * dx + dy * dy);
                kernel_[std::size_t(r) * padded_ + col] = w;
                fieldKernel_[std::size_t(r) * padded_ + col] = Complex(dx * w * w, dy * w * w);
            }
        }
    });
}

void FftRepulsion::fft2(std::vector<Complex>& grid, bool inverse, bool padded,
                        TsneThreads& threads) {
    const int n = padded_;
    lines_.resize(std::size_t(threads.size()) * 2 * n);
    if (int(ffts_.size()) != threads.size()) {
        ffts_.assign(threads.size(), Eigen::FFT<double>());
        for (auto& fft : ffts_)
            fft.SetFlag(Eigen::FFT<double>::Unscaled);
    }
    auto transform = [&](Complex* data, std::size_t stride, int worker) {
        Complex* in = lines_.data() + std::size_t(worker) * 2 * n;
        Complex* out = in + n;
        for (int t = 0; t < n; ++t)
            in[t] = data[t * stride];
        if (inverse)
            ffts_[worker].inv(out, in, n);
        else
            ffts_[worker].fwd(out, in, n);
        for (int t = 0; t < n; ++t)
            data[t * stride] = out[t];
    };
    // Rows past nodes_ of a padded grid are zero going forward and unused coming back.
    const int rows = padded ? nodes_ : n;
    auto rowPass = [&] {
        threads.run(rows, [&](int begin, int end, int worker) {
            for (int r = begin; r < end; ++r)
                transform(grid.data() + std::size_t(r) * n, 1, worker);
        });
    };
    auto columnPass = [&] {
        threads.run(n, [&](int begin, int end, int worker) {
            for (int col = begin; col < end; ++col)
                transform(grid.data() + col, n, worker);
        });
    };
    if (inverse) {
        columnPass();
        rowPass();
    } else {
        rowPass();
        columnPass();
    }
}

void FftRepulsion::convolve(TsneThreads& threads) {
    fillKernels(threads);
    fft2(kernel_, false, false, threads);
    fft2(fieldKernel_, false, false, threads);
    fft2(charges_, false, true, threads);
    potential_.resize(charges_.size());
    field_.resize(charges_.size());
    const double scale = 1.0 / (double(padded_) * padded_);
    threads.run(int(charges_.size()), [&](int begin, int end, int) {
        for (int t = begin; t < end; ++t) {
            const Complex q = charges_[t] * scale;
            potential_[t] = kernel_[t] * q;
            field_[t] = fieldKernel_[t] * q;
        }
    });
    fft2(potential_, true, true, threads);
    fft2(field_, true, true, threads);
}

double FftRepulsion::gatherForces(const double* y, int rows, double* forces, TsneThreads& threads) {
    workerZ_.assign(threads.size(), 0.0);
    threads.run(rows, [&](int begin, int end, int worker) {
        double wx[kNodesPerBox], wy[kNodesPerBox];
        double z = 0;
        for (int i = begin; i < end; ++i) {
            double ux, uy;
            const int bx = box(y[2 * i], ux), by = box(y[2 * i + 1], uy);
            lagrange(ux, wx);
            lagrange(uy, wy);
            double potential = 0;
            Complex field(0, 0);
            for (int b = 0; b < kNodesPerBox; ++b)
                for (int a = 0; a < kNodesPerBox; ++a) {
                    const std::size_t at =
                        std::size_t(by * kNodesPerBox + b) * padded_ + bx * kNodesPerBox + a;
                    potential += wx[a] * wy[b] * potential_[at].real();
                    field += wx[a] * wy[b] * field_[at];
                }
            // The point's own term (w = 1, no force) is in the potential: take it out.
            z += potential - 1;
            forces[2 * i] = field.real();
            forces[2 * i + 1] = field.imag();
        }
        workerZ_[worker] = z;
    });
    double z = 0;
    for (double part : workerZ_)
        z += part;
    return z;
}

double FftRepulsion::compute(const double* y, int rows, double* forces, TsneThreads& threads) {
    layOut(y, rows);
    spreadCharges(y, rows, threads);
    convolve(threads);
    return gatherForces(y, rows, forces, threads);
}

} // namespace scenelens::embed
