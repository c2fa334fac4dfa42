"""projection_bench peer: UMAP from Debian's umap-learn.

Usage: /usr/bin/python3 umap_learn.py IN.npy OUT.npy
IN: a 2-D float32 .npy; OUT: rows x 2 float32 .npy. Parameters as the benchmark issue fixes them;
no random_state, so umap-learn may run its SGD in parallel (n_jobs=2). Everything else is the
default: spectral init, n_epochs 500 up to 10,000 rows else 200, exact neighbours below 4,096
rows else NN-descent (pynndescent), learning_rate 1, negative_sample_rate 5. Numba's JIT
compilation happens inside this run and is part of its wall time.
"""

import sys

import numpy as np
import umap


def main() -> int:
    if len(sys.argv) != 3:
        print("usage: umap_learn.py IN.npy OUT.npy", file=sys.stderr)
        return 2
    X = np.load(sys.argv[1]).astype(np.float32, copy=False)
    Y = umap.UMAP(n_neighbors=15, min_dist=0.1, n_jobs=2).fit_transform(X)
    np.save(sys.argv[2], np.ascontiguousarray(Y, dtype=np.float32))
    return 0


if __name__ == "__main__":
    sys.exit(main())
