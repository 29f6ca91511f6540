#!/usr/bin/python3
"""Writes data/fashion-mnist-subset/: a class-balanced, seeded subset of Fashion-MNIST as gzip IDX.

Run by hand (not by CI) from the repository root after `apt-get install dataset-fashion-mnist`:
    /usr/bin/python3 tools/make_fashion_subset.py
The output is byte-for-byte reproducible: the selection uses a fixed seed and gzip headers carry no time stamp.
"""
import gzip
import struct
from pathlib import Path

import numpy as np

SOURCE = Path("/usr/share/datasets/fashion-mnist")
TARGET = Path("data/fashion-mnist-subset")
PER_CLASS = {"train": 1000, "t10k": 200}  # 10,000 training and 2,000 test images
SEED = 20261124


def read_idx(path):
    data = gzip.open(path, "rb").read()
    rank = data[3]
    dims = struct.unpack(">" + "I" * rank, data[4:4 + 4 * rank])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * rank).reshape(dims)


def write_idx(path, array):
    header = bytes([0, 0, 0x08, array.ndim]) + struct.pack(">" + "I" * array.ndim, *array.shape)
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as out:
        out.write(header + array.tobytes())


def main():
    rng = np.random.default_rng(SEED)
    TARGET.mkdir(parents=True, exist_ok=True)
    for split, per_class in PER_CLASS.items():
        images = read_idx(SOURCE / f"{split}-images-idx3-ubyte.gz")
        labels = read_idx(SOURCE / f"{split}-labels-idx1-ubyte.gz")
        chosen = np.sort(np.concatenate([rng.choice(np.flatnonzero(labels == c), per_class, replace=False) for c in range(10)]))
        write_idx(TARGET / f"{split}-images-idx3-ubyte.gz", images[chosen])
        write_idx(TARGET / f"{split}-labels-idx1-ubyte.gz", labels[chosen])
        print(split, len(chosen), np.bincount(labels[chosen]).tolist())


if __name__ == "__main__":
    main()
