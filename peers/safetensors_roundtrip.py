"""Round trip of a Shear model through PyTorch via safetensors (issue 7's interchange check), run by hand.

    ./shear export RUN --out /tmp/model.safetensors
    /usr/bin/python3 peers/safetensors_roundtrip.py /tmp/model.safetensors /tmp/model-from-torch.safetensors
    ./shear import /tmp/model-from-torch.safetensors --out /tmp/reimported && ./shear eval /tmp/reimported

The file is read by hand (8-byte little-endian header length, JSON header, raw little-endian tensors), since Debian
ships no `safetensors` package. The model comes from peers/zoo.py, built from the card Shear stores in the metadata,
and loads with load_state_dict(strict=True): every name and shape must match. It is evaluated on the Fashion-MNIST
test set with Shear's normalisation (mean and population std of all training pixels in [0, 1]), then written back
with PyTorch's own tensors, so `shear eval` of the re-import must give the same top-1.
"""

import gzip
import json
import struct
import sys

import numpy as np
import torch

import zoo

DATA = "/usr/share/datasets/fashion-mnist"
DTYPES = {"F32": np.float32, "F64": np.float64, "I64": np.int64, "I32": np.int32, "U8": np.uint8, "BOOL": np.bool_}


def read(path):
    blob = open(path, "rb").read()
    (n,) = struct.unpack("<Q", blob[:8])
    header = json.loads(blob[8:8 + n])
    data = blob[8 + n:]
    metadata = header.pop("__metadata__", {})
    tensors = {}
    for name, entry in header.items():
        begin, end = entry["data_offsets"]
        array = np.frombuffer(data[begin:end], dtype=DTYPES[entry["dtype"]]).reshape(entry["shape"])
        tensors[name] = torch.from_numpy(array.copy())
    return tensors, metadata


def write(path, tensors, metadata):
    names = {torch.float32: "F32", torch.float64: "F64", torch.int64: "I64"}
    header, chunks, offset = {"__metadata__": metadata}, [], 0
    for name, value in tensors.items():
        raw = value.detach().cpu().contiguous().numpy().astype("<" + value.numpy().dtype.str[1:]).tobytes()
        header[name] = {"dtype": names[value.dtype], "shape": list(value.shape), "data_offsets": [offset, offset + len(raw)]}
        chunks.append(raw)
        offset += len(raw)
    text = json.dumps(header).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + b"".join(chunks))


def idx(name):
    with gzip.open(f"{DATA}/{name}.gz") as f:
        raw = f.read()
    dims = raw[3]
    shape = struct.unpack(">" + "I" * dims, raw[4:4 + 4 * dims])
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def main(source, target):
    tensors, metadata = read(source)
    card = json.loads(metadata["shear.model"])
    shape = card["input"]
    model = zoo.build(card["key"], shape["channels"], (shape["height"], shape["width"]), card["classes"])
    model.load_state_dict(tensors, strict=True)
    model.eval()
    train = idx("train-images-idx3-ubyte").astype(np.float64) / 255.0
    mean, std = train.mean(), max(train.std(), 1e-6)
    images = torch.from_numpy(((idx("t10k-images-idx3-ubyte").astype(np.float64) / 255.0 - mean) / std).astype(np.float32))
    labels = torch.from_numpy(idx("t10k-labels-idx1-ubyte").astype(np.int64))
    with torch.no_grad():
        predictions = torch.cat([model(images[i:i + 1000].unsqueeze(1)).argmax(1) for i in range(0, len(images), 1000)])
    top1 = (predictions == labels).double().mean().item()
    print(json.dumps({"model": card["key"], "tensors": len(tensors), "top1": top1}))
    write(target, model.state_dict(), metadata)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
