#pragma once
// Repulsive t-SNE forces in 2-D by FFT-accelerated interpolation (FIt-SNE, Linderman et al. 2019).
// Private to t-SNE.

#include "embed/TsneThreads.h"

#include <unsupported/Eigen/FFT>

#include <complex>
#include <vector>

namespace scenelens::embed {

class FftRepulsion {
public:
    /// y: rows x 2 row-major. Writes forces (rows x 2) = sum_j w_ij^2 (y_i - y_j) with
    /// w_ij = 1 / (1 + |y_i - y_j|^2) and returns Z = sum_{i != j} w_ij. Buffers are kept between
    /// calls, so one instance serves a whole run.
    double compute(const double* y, int rows, double* forces, TsneThreads& threads);

private:
    using Complex = std::complex<double>;

    void layOut(const double* y, int rows);
    void spreadCharges(const double* y, int rows, TsneThreads& threads);
    void fillKernels(TsneThreads& threads);
    void fft2(std::vector<Complex>& grid, bool inverse, bool padded, TsneThreads& threads);
    void convolve(TsneThreads& threads);
    double gatherForces(const double* y, int rows, double* forces, TsneThreads& threads);
    int box(double coordinate, double& local) const;

    double min_ = 0, boxWidth_ = 1;
    int boxes_ = 0, nodes_ = 0, padded_ = 0; ///< boxes and nodes per side, FFT size per side
    std::vector<double> workerCharges_;      ///< per worker, nodes_^2
    /// On the padded grid: w, then (dx w^2) + i (dy w^2), and the charges; the products with the
    /// charges end up in potential_ and field_.
    std::vector<Complex> kernel_, fieldKernel_, charges_, potential_, field_;
    std::vector<Eigen::FFT<double>> ffts_; ///< one per worker: a plan caches its twiddles
    std::vector<Complex> lines_;           ///< per worker, two lines of padded_ values
    std::vector<double> workerZ_;
};

} // namespace scenelens::embed
