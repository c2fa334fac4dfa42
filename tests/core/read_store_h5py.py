#!/usr/bin/env python3
"""Reads a SceneLens project file (*.slh5) with h5py alone and prints everything it holds as JSON,
so that test_project_store can compare it with what SceneLens wrote.

    read_store_h5py.py FILE           dump FILE
    read_store_h5py.py --write FILE   write a small project with h5py (shuffle + gzip chunks with an
                                      edge chunk, unfiltered and gzip-only datasets, fixed-length
                                      and variable-length strings), then dump it

Every string attribute and text column that is not a variable-length UTF-8 string (h5py gives
bytes for those) is listed under "not_utf8".
"""

import json
import sys

import h5py
import numpy as np


def text(value, where, not_utf8):
    if isinstance(value, bytes):
        not_utf8.append(where)
        return value.decode("utf-8")
    return str(value)


def floats(array):
    return np.asarray(array, dtype=np.float64).tolist()


def attributes(obj, names, not_utf8):
    return {name: text(obj.attrs[name], f"{obj.name}@{name}", not_utf8)
            for name in names if name in obj.attrs}


def dump_column(dataset, not_utf8):
    string_type = h5py.check_string_dtype(dataset.dtype)
    if string_type is None:
        return "numbers", floats(dataset[()])
    if string_type.encoding != "utf-8" or string_type.length is not None:
        not_utf8.append(dataset.name)
    return "text", [value for value in dataset.asstr()[()]]


def dump_set(group, not_utf8):
    vectors = group["vectors"]
    entry = attributes(group, ["modality", "space", "model", "created"], not_utf8)
    entry.update({
        "shape": list(vectors.shape),
        "maxshape": [-1 if m is None else m for m in vectors.maxshape],
        "chunks": list(vectors.chunks) if vectors.chunks else None,
        "compression": vectors.compression,
        "compression_opts": vectors.compression_opts,
        "shuffle": vectors.shuffle,
        "dtype": str(vectors.dtype),
        "vectors": floats(vectors[()]),
        "text": {},
        "numbers": {},
    })
    for name, dataset in group.get("meta", {}).items():
        kind, values = dump_column(dataset, not_utf8)
        entry[kind][name] = values
    return entry


def dump_projection(group, not_utf8):
    entry = attributes(group, ["method", "title", "details", "view_state"], not_utf8)
    for name in ("parameters", "metrics"):
        entry[name] = json.loads(text(group.attrs[name], f"{group.name}@{name}", not_utf8))
    entry["input_sets"] = [text(value, f"{group.name}@input_sets", not_utf8)
                           for value in group.attrs["input_sets"]]
    entry["coords"] = floats(group["coords"][()])
    entry["shape"] = list(group["coords"].shape)
    return entry


def dump(path):
    not_utf8 = []
    with h5py.File(path, "r") as f:
        out = attributes(f, ["format", "writer"], not_utf8)
        out["format_version"] = int(f.attrs["format_version"])
        out["scenes"] = {}
        for scene_id, group in f.get("scenes", {}).items():
            scene = attributes(group, ["source_path"], not_utf8)
            scene["axis_alignment"] = floats(np.asarray(group.attrs["axis_alignment"]).ravel())
            out["scenes"][scene_id] = scene
        out["set_order"] = list(f.get("embeddings", {}).keys())
        out["sets"] = {name: dump_set(group, not_utf8)
                       for name, group in f.get("embeddings", {}).items()}
        out["projections"] = {name: dump_projection(group, not_utf8)
                              for name, group in f.get("projections", {}).items()}
        out["session"] = (text(f["session"].attrs["state"], "/session@state", not_utf8)
                          if "session" in f else None)
    out["not_utf8"] = not_utf8
    return out


def write(path):
    """A project as a Python user would write it, with layouts SceneLens does not write itself."""
    rng = np.random.default_rng(7)
    labels = ["chair", "стул", "椅子", "café ☕", "table", ""]
    with h5py.File(path, "w", track_order=True) as f:
        f.attrs["format"] = "scenelens-project"
        f.attrs["format_version"] = np.int32(1)
        f.attrs["writer"] = "h5py " + h5py.__version__
        scene = f.create_group("scenes", track_order=True).create_group("scene0042_00")
        scene.attrs["source_path"] = "/data/scannet/scene0042_00"
        scene.attrs["axis_alignment"] = (np.arange(16, dtype=np.float32) / 7).reshape(4, 4)
        sets = f.create_group("embeddings", track_order=True)

        shuffled = sets.create_group("gzip_shuffle")  # 50 rows in chunks of 7: an edge chunk
        shuffled.create_dataset("vectors", data=rng.standard_normal((50, 12)).astype(np.float32),
                                chunks=(7, 12), shuffle=True, compression="gzip",
                                compression_opts=4, maxshape=(None, 12))
        shuffled.attrs.update({"modality": "object3d", "space": "clip-vit-b32",
                               "model": "h5py-made", "created": "2024-05-01T12:00:00Z"})
        meta = shuffled.create_group("meta")
        meta.create_dataset("label", data=np.array([labels[i % 6] for i in range(50)], dtype=object),
                            dtype=h5py.string_dtype(), chunks=(16,), compression="gzip")
        meta.create_dataset("score", data=rng.random(50))
        meta.create_dataset("object_id", data=np.arange(50, dtype=np.int64) * 3)

        plain = sets.create_group("no_filters")  # contiguous, uncompressed
        plain.create_dataset("vectors", data=rng.standard_normal((9, 5)).astype(np.float32))
        plain.attrs.update({"modality": "text", "space": "", "model": "", "created": ""})
        plain.create_group("meta").create_dataset(
            "code", data=np.array([b"a%d" % i for i in range(9)], dtype="S4"))

        deflate_only = sets.create_group("gzip_split_columns")  # chunks cut through rows
        deflate_only.create_dataset(
            "vectors", data=rng.standard_normal((20, 6)).astype(np.float32), chunks=(3, 4),
            compression="gzip")
        deflate_only.attrs.update({"modality": "image", "space": "s", "model": "m",
                                   "created": "c"})

        projection = f.create_group("projections", track_order=True).create_group("umap 3d")
        projection.create_dataset("coords", data=rng.standard_normal((50, 3)).astype(np.float32),
                                  chunks=(10, 3), shuffle=True, compression="gzip")
        projection.attrs.update({
            "method": "umap",
            "parameters": json.dumps({"dims": 3, "perplexity": 30, "neighbours": 10,
                                      "min_dist": 0.25, "seed": 5, "metric": "cosine",
                                      "knn": "exact"}),
            "metrics": json.dumps({"trustworthiness@10": 0.875, "sample_size": 50}),
            "title": "UMAP of gzip_shuffle", "details": "initialisation: spectral",
            "view_state": "{\"pointSize\": 3}"})
        projection.attrs["input_sets"] = np.array(["gzip_shuffle"], dtype=h5py.string_dtype())
        f.create_group("session").attrs["state"] = "{\"open\": [\"gzip_shuffle\"]}"


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--write":
        write(sys.argv[2])
        path = sys.argv[2]
    elif len(sys.argv) == 2:
        path = sys.argv[1]
    else:
        sys.exit("usage: read_store_h5py.py [--write] FILE")
    json.dump(dump(path), sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main()
