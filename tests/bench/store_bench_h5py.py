#!/usr/bin/env python3
"""store_bench's h5py side: writes and reads the same project layout as SceneLens, block by block.

    store_bench_h5py.py write RAW OUT ROWS DIMS LEVEL CHUNK_ROWS BLOCK_ROWS
    store_bench_h5py.py read OUT BLOCK_ROWS

RAW holds ROWS x DIMS float32 values (written by store_bench). Both modes print one line,
"seconds <wall> xor <xor of the vectors' 32-bit patterns>", timing only the HDF5 work after the
imports.
"""

import sys
import time

import h5py
import numpy as np

# Must match store_bench.cpp: the label of row i is kClasses[labelIndex(i)].
CLASSES = np.array([
    "chair", "table", "door", "window", "bookshelf", "picture", "counter", "desk", "curtain",
    "refrigerator", "shower curtain", "toilet", "sink", "bathtub", "cabinet", "bed", "sofa",
    "lamp", "pillow", "mirror", "floor mat", "clothes", "ceiling", "books", "towel", "box",
    "whiteboard", "person", "nightstand", "kitchen cabinet", "shelves", "blinds", "dresser",
    "television", "paper", "bag", "plant", "monitor", "trash can", "radiator"], dtype=object)


def label_indices(first, count):
    rows = np.arange(first, first + count, dtype=np.uint64)
    return (((rows * np.uint64(2654435761)) & np.uint64(0xFFFFFFFF)) >> np.uint64(16)) % 40


def xor_of(block):
    return int(np.bitwise_xor.reduce(block.view(np.uint32).ravel(), initial=np.uint32(0)))


def write(raw, out, rows, dims, level, chunk_rows, block_rows):
    start = time.perf_counter()
    checksum = 0
    with h5py.File(out, "w", track_order=True) as f, open(raw, "rb") as source:
        f.attrs["format"] = "scenelens-project"
        f.attrs["format_version"] = np.int32(1)
        group = f.create_group("embeddings", track_order=True).create_group("bench")
        gzip = {"compression": "gzip", "compression_opts": level} if level > 0 else {}
        vectors = group.create_dataset("vectors", shape=(rows, dims), dtype=np.float32,
                                       chunks=(chunk_rows, dims), shuffle=level > 0, **gzip)
        meta = group.create_group("meta")
        labels = meta.create_dataset("label", shape=(rows,), dtype=h5py.string_dtype(),
                                     chunks=(chunk_rows,), **gzip)
        ids = meta.create_dataset("object_id", shape=(rows,), dtype=np.float64,
                                  chunks=(chunk_rows,), shuffle=level > 0, **gzip)
        for first in range(0, rows, block_rows):
            count = min(block_rows, rows - first)
            block = np.fromfile(source, dtype=np.float32, count=count * dims).reshape(count, dims)
            vectors[first:first + count] = block
            labels[first:first + count] = CLASSES[label_indices(first, count)]
            ids[first:first + count] = np.arange(first, first + count, dtype=np.float64)
            checksum ^= xor_of(block)
        group.attrs.update({"modality": "object3d", "space": "bench", "model": "", "created": ""})
    return time.perf_counter() - start, checksum


def read(path, block_rows):
    start = time.perf_counter()
    checksum = 0
    with h5py.File(path, "r") as f:
        group = f["embeddings/bench"]
        vectors, labels, ids = group["vectors"], group["meta/label"], group["meta/object_id"]
        for first in range(0, vectors.shape[0], block_rows):
            last = min(first + block_rows, vectors.shape[0])
            checksum ^= xor_of(vectors[first:last])
            labels.asstr()[first:last]
            ids[first:last]
    return time.perf_counter() - start, checksum


def main():
    if sys.argv[1:2] == ["write"] and len(sys.argv) == 9:
        seconds, checksum = write(sys.argv[2], sys.argv[3], *map(int, sys.argv[4:9]))
    elif sys.argv[1:2] == ["read"] and len(sys.argv) == 4:
        seconds, checksum = read(sys.argv[2], int(sys.argv[3]))
    else:
        sys.exit(__doc__)
    print(f"seconds {seconds:.6f} xor {checksum}")


if __name__ == "__main__":
    main()
