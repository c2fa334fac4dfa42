# projection_bench peer: UMAP from Debian's r-cran-uwot.
# Usage: Rscript --vanilla uwot.R IN.f32 OUT.f32 ROWS DIMS
# IN: ROWS x DIMS little-endian float32, row-major. OUT: ROWS x 2 little-endian float32, row-major.
# Parameters as the benchmark issue fixes them; everything else is uwot's default (spectral init,
# n_epochs 500 up to 10,000 rows else 200, exact FNN neighbours below 4,096 rows else Annoy with
# 50 trees and search_k = 2 * 15 * 50, learning_rate 1, negative_sample_rate 5, scale = FALSE).
args <- commandArgs(trailingOnly = TRUE)
if (length(args) != 4) stop("usage: uwot.R IN.f32 OUT.f32 ROWS DIMS")
suppressPackageStartupMessages(library(uwot))
# matrix_io.R lies beside this script.
script <- sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE)[1])
source(file.path(dirname(normalizePath(script)), "matrix_io.R"))
X <- read_matrix(args[1], as.integer(args[3]), as.integer(args[4]))
set.seed(42)
Y <- umap(X, n_neighbors = 15, min_dist = 0.1, n_threads = 2, n_sgd_threads = 2, verbose = FALSE)
write_matrix(args[2], Y)
