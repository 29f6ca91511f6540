"""Writes tests/fixtures/peers/zoo_counts.json: parameters, MACs, state_dict keys and output shape per zoo case.

Run by hand from the repository root (never by CI or the tests):  /usr/bin/python3 peers/zoo_counts.py
The C# tests compare Shear's ParameterCounter/MacCounter and module names with these PyTorch figures.
"""

import hashlib
import json
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import zoo  # noqa: E402  (the peer sits beside this script)

FIXTURE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "fixtures", "peers",
                       "zoo_counts.json")


def cases():
    """(key, channels, size, classes): every model on 1x28x28 and 3x32x32 with 10 classes, plus larger inputs."""
    for channels, size in ((1, 28), (3, 32)):
        for key in zoo.KEYS:
            yield key, channels, size, 10
    yield "resnet18", 3, 64, 200
    yield "resnet50", 3, 64, 200
    yield "resnet56", 3, 32, 100
    yield "mobilenetv2", 3, 64, 200
    yield "mobilenetv3-small", 3, 64, 200
    yield "efficientnet-b0", 3, 64, 200


def _sha256_lines(lines):
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


def measure(key, channels, size, classes):
    torch.manual_seed(0)
    model = zoo.build(key, channels, size, classes)
    keys = list(model.state_dict().keys())                     # registration order, buffers included
    model.eval()
    with torch.no_grad():
        output = model(torch.zeros(1, channels, size, size))
    return {
        "model": key,
        "input": f"{channels}x{size}x{size}",
        "classes": classes,
        "stem": zoo.resolve_stem(key, size),
        "parameters": sum(p.numel() for p in model.parameters()),
        "macs": zoo.count_macs(model, channels, size),
        "state_dict_keys_sha256": _sha256_lines(keys),
        "state_dict_keys_sorted_sha256": _sha256_lines(sorted(keys)),
        "output_shape": list(output.shape),
    }


def main():
    rows = [measure(*case) for case in cases()]
    document = {
        "generator": "peers/zoo_counts.py",
        "torch_version": torch.__version__,
        "state_dict_keys_sha256": "sha256 of the UTF-8 state_dict keys (buffers included) in state_dict() order, "
                                  "joined with '\\n', no trailing newline",
        # TorchSharp's state_dict() lists every parameter before every buffer, PyTorch interleaves them per module,
        # so the order-free (ordinal-sorted) hash is the one both sides can reproduce directly.
        "state_dict_keys_sorted_sha256": "the same over the keys sorted ordinally (by code point)",
        "output_shape": "for a batch of one image",
        "cases": rows,
    }
    with open(FIXTURE, "w", encoding="utf-8") as stream:
        json.dump(document, stream, indent=2, sort_keys=True)
        stream.write("\n")
    print(f"{'model':<10} {'input':<9} {'classes':>7} {'stem':<8} {'parameters':>12} {'MACs':>15}")
    for row in rows:
        print(f"{row['model']:<10} {row['input']:<9} {row['classes']:>7} {row['stem'] or '-':<8} "
              f"{row['parameters']:>12,} {row['macs']:>15,}")
    print(f"wrote {os.path.normpath(FIXTURE)} ({len(rows)} cases, torch {torch.__version__})")


if __name__ == "__main__":
    main()
