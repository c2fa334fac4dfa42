#pragma once
// Repulsive t-SNE forces in 2-D by FFT-accelerated interpolation (FIt-SNE, Linderman et al. 2019).
// Private to t-SNE.

#include "embed/TsneThreads.h"

#include <unsupported/Eigen/FFT>

#include <complex>
#include <functional>
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
    void transformKernels(TsneThreads& threads);
    double convolve(int rows, TsneThreads& threads);
    /// Moves a block of `width` columns starting at `first` between the grid and a worker's
    /// column-major buffer of padded_-long lines.
    using ColumnIo = std::function<void(Complex* block, int first, int width, int worker)>;
    void prepareWorkers(TsneThreads& threads);
    void transformLine(Complex* line, bool inverse, int worker);
    void transformRows(Complex* grid, int rows, bool inverse, TsneThreads& threads);
    void transformColumns(int columns, bool inverse, const ColumnIo& load, const ColumnIo& store,
                          TsneThreads& threads);
    /// Column I/O for rows [0, rows) of a padded_-wide grid; loads supply zeros below them.
    ColumnIo loadFrom(const Complex* grid, int rows) const;
    ColumnIo storeInto(Complex* grid, int rows) const;
    void transformGrid(std::vector<Complex>& grid, TsneThreads& threads);
    void gatherForces(const double* y, int rows, double* forces, TsneThreads& threads);
    int box(double coordinate, double& local) const;

    double min_ = 0, boxWidth_ = 1;
    int boxes_ = 0, nodes_ = 0, padded_ = 0; ///< boxes and nodes per side, FFT size per side
    std::vector<double> workerCharges_;      ///< per worker, nodes_^2
    /// On the padded grid: the spectra of w (real) and of the field kernel, kept while the grid
    /// stays the same size; the charges' spectrum.
    std::vector<double> potentialSpectrum_;
    int kernelGrid_ = 0;       ///< padded_ of the spectra above, to reuse them
    double kernelSpacing_ = 0; ///< and their node spacing
    std::vector<Complex> fieldSpectrum_, spectrum_;
    /// nodes_ x padded_: the charges, then the field (fx + i fy) at the nodes.
    std::vector<Complex> charges_, field_;
    std::vector<Eigen::FFT<double>> ffts_; ///< one per worker: a plan caches its twiddles
    std::vector<Complex> lines_;           ///< per worker, a block of lines plus one output line
    std::vector<double> workerSums_;
};

} // namespace scenelens::embed
