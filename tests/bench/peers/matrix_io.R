# Matrix files shared by the R peers of projection_bench: little-endian float32, row-major.

read_matrix <- function(path, rows, dims) {
  con <- file(path, "rb")
  values <- readBin(con, what = "numeric", n = rows * dims, size = 4, endian = "little")
  close(con)
  if (length(values) != rows * dims) stop("short input file ", path)
  matrix(values, nrow = rows, ncol = dims, byrow = TRUE)
}

write_matrix <- function(path, Y) {
  con <- file(path, "wb")
  writeBin(as.vector(t(Y)), con, size = 4, endian = "little")
  close(con)
}
