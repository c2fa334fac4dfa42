# projection_bench peer: Barnes-Hut t-SNE from Debian's r-cran-rtsne.
# Usage: Rscript --vanilla rtsne.R IN.f32 OUT.f32 ROWS DIMS
# IN: ROWS x DIMS little-endian float32, row-major. OUT: ROWS x 2 little-endian float32, row-major.
# Parameters as the benchmark issue fixes them; everything else is Rtsne's default (initial
# exaggeration 12 for 250 iterations, momentum 0.5 then 0.8 from iteration 250, eta 200,
# normalize = TRUE, random N(0, 1e-4) start).
args <- commandArgs(trailingOnly = TRUE)
if (length(args) != 4) stop("usage: rtsne.R IN.f32 OUT.f32 ROWS DIMS")
suppressPackageStartupMessages(library(Rtsne))
# matrix_io.R lies beside this script.
script <- sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE)[1])
source(file.path(dirname(normalizePath(script)), "matrix_io.R"))
X <- read_matrix(args[1], as.integer(args[3]), as.integer(args[4]))
set.seed(42)
result <- Rtsne(X, dims = 2, perplexity = 30, theta = 0.5, max_iter = 750, pca = FALSE,
                num_threads = 2, check_duplicates = FALSE)
write_matrix(args[2], result$Y)
