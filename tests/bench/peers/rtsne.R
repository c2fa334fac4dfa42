# projection_bench peer: Barnes-Hut t-SNE from Debian's r-cran-rtsne.
# Usage: Rscript --vanilla rtsne.R IN.f32 OUT.f32 ROWS DIMS
# IN: ROWS x DIMS little-endian float32, row-major. OUT: ROWS x 2 little-endian float32, row-major.
# Parameters as the benchmark issue fixes them; everything else is Rtsne's default (initial
# exaggeration 12 for 250 iterations, momentum 0.5 then 0.8 from iteration 250, eta 200,
# normalize = TRUE, random N(0, 1e-4) start).
args <- commandArgs(trailingOnly = TRUE)
if (length(args) != 4) stop("usage: rtsne.R IN.f32 OUT.f32 ROWS DIMS")
suppressPackageStartupMessages(library(Rtsne))
rows <- as.integer(args[3])
dims <- as.integer(args[4])
con <- file(args[1], "rb")
values <- readBin(con, what = "numeric", n = rows * dims, size = 4, endian = "little")
close(con)
if (length(values) != rows * dims) stop("short input file ", args[1])
X <- matrix(values, nrow = rows, ncol = dims, byrow = TRUE)
set.seed(42)
result <- Rtsne(X, dims = 2, perplexity = 30, theta = 0.5, max_iter = 750, pca = FALSE,
                num_threads = 2, check_duplicates = FALSE)
con <- file(args[2], "wb")
writeBin(as.vector(t(result$Y)), con, size = 4, endian = "little")
close(con)
