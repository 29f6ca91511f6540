"""Forward latency of saved Shear models in PyTorch eager mode, the peer of `shear bench infer` (same timing).

Run through `shear bench infer --model-dir SMALL --baseline DENSE --peer /usr/bin/python3`, from the repository root.
Shear writes, for each model, its weights as safetensors (PyTorch state-dict names, as `shear export` does), its
graph (the nodes of model.json's `description`, written for zoo models too) and a check file: a fixed input and
Shear's logits for it. The manifest lists them:
  {"models": [{"label": "baseline", "graph": {"nodes": [...]}, "weights": "0.safetensors",
               "check": "0.check.safetensors"}, ...]}
and this script is called as
  /usr/bin/python3 peers/bench_infer.py --models manifest.json --threads 1,2 --batches 1,64 --repeats 7 \
      --block-seconds 0.2 --json /tmp/peer.json

Each model becomes an nn.Module that interprets the graph's nodes in order (Conv2d, BatchNorm2d, Linear as
submodules named like Shear's layers, so load_state_dict(strict=True) checks every name and shape; ReLU, max-pool,
global average pool, flatten, add and concat as functional calls), in eval mode under torch.no_grad(). No folding,
no tracing: plain eager PyTorch. Before timing, its logits for the check input must equal Shear's within
TOLERANCE x max(1, max |logit|), else the script exits with 1 and says by how much they differ.

Timing follows Shear's InferenceBenchmark: at each thread count (torch.set_num_threads) and batch size, one untimed
forward of each model on a seeded random batch, then `repeats` rounds in which each model in turn runs one block:
forward passes until `block-seconds` have passed, timed as ms per pass. Medians, minimum and maximum per model,
thread count and batch size go to the JSON.
"""

import argparse
import json
import os
import statistics
import sys
import time

import torch
from torch import nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from safetensors_roundtrip import read  # noqa: E402  (the hand-written safetensors reader beside this script)

TOLERANCE = 1e-4
SEED = 7
PARAMETER_OPS = ("conv2d", "batch-norm2d", "linear")
# Producers whose output PyTorch's own modules do not keep for backward, so a ReLU that is its only reader may
# overwrite it, as torchvision's ReLU(inplace=True) does (and Shear's graph module).
IN_PLACE_AFTER = ("conv2d", "batch-norm2d", "linear", "add")


def positive_ints(text):
    values = [int(v) for v in text.split(",") if v.strip()]
    if not values or min(values) < 1:
        raise argparse.ArgumentTypeError(f"expected positive integers separated by commas, got '{text}'")
    return values


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", required=True, help="the manifest Shear writes (see above)")
    parser.add_argument("--threads", type=positive_ints, required=True, help="intra-op thread counts, e.g. 1,2")
    parser.add_argument("--batches", type=positive_ints, required=True, help="batch sizes, e.g. 1,64")
    parser.add_argument("--repeats", type=int, required=True, help="timed blocks per model, thread count and batch")
    parser.add_argument("--block-seconds", type=float, required=True, help="each block runs at least this long")
    parser.add_argument("--json", required=True, help="where to write the result")
    args = parser.parse_args(argv)
    if args.repeats < 1 or args.block_seconds <= 0:
        parser.error("--repeats must be at least 1 and --block-seconds positive")
    return args


def make_layer(layer):
    """The PyTorch module of a node with parameters (layer: the node's `layer` object from model.json)."""
    op = layer["op"]
    if op == "conv2d":
        return nn.Conv2d(layer["inChannels"], layer["outChannels"], layer["kernel"], stride=layer["stride"],
                         padding=layer["padding"], groups=layer.get("groups", 1), bias=layer["bias"])
    if op == "batch-norm2d":
        return nn.BatchNorm2d(layer["channels"])  # eps 1e-5, as TorchSharp's default
    if op == "linear":
        return nn.Linear(layer["inFeatures"], layer["outFeatures"], bias=layer.get("bias", True))
    raise ValueError(f"'{op}' has no parameters")


class GraphNet(nn.Module):
    """Runs a Shear graph (nodes in topological order, node 0 the input): [N, C, H, W] -> [N, classes] logits."""

    def __init__(self, nodes):
        super().__init__()
        readers = [0] * len(nodes)
        last_use = [0] * len(nodes)
        for i, node in enumerate(nodes):
            for j in set(node["inputs"]):
                readers[j] += 1
                last_use[j] = i
        self.steps = []
        for i, node in enumerate(nodes[1:], start=1):
            layer, inputs = node["layer"], node["inputs"]
            module = None
            if layer["op"] in PARAMETER_OPS:
                module = make_layer(layer)
                self._register(node["name"], module)
            source = nodes[inputs[0]]
            # A one-input add passes its input through, so overwriting it would overwrite that input too.
            in_place = layer["op"] == "relu" and inputs[0] != 0 and readers[inputs[0]] == 1 \
                and source["layer"]["op"] in IN_PLACE_AFTER \
                and not (source["layer"]["op"] == "add" and len(source["inputs"]) == 1)
            # Values whose last reader is node i are dropped after it, as a hand-written forward's locals would be.
            freed = [j for j in set(inputs) if last_use[j] == i]
            self.steps.append((layer, node["name"], module, inputs, in_place, freed))

    def _register(self, name, module):
        """Adds `module` under its dotted name (`layer1.0.conv1`), making the parents, so state_dict names match."""
        *path, leaf = name.split(".")
        parent = self
        for part in path:
            if not hasattr(parent, part):
                parent.add_module(part, nn.Module())
            parent = getattr(parent, part)
        parent.add_module(leaf, module)

    def forward(self, x):
        values = {0: x}
        for i, (layer, name, module, inputs, in_place, freed) in enumerate(self.steps, start=1):
            xs = [values[j] for j in inputs]
            values[i] = module(xs[0]) if module is not None else self._apply(layer, name, xs, in_place)
            for j in freed:
                del values[j]
        return values[len(self.steps)]

    @staticmethod
    def _apply(layer, name, xs, in_place):
        op = layer["op"]
        if op == "relu":
            return F.relu(xs[0], inplace=in_place)
        if op == "max-pool2d":
            return F.max_pool2d(xs[0], layer["kernel"], layer["stride"], layer.get("padding", 0))
        if op == "global-avg-pool":
            return F.adaptive_avg_pool2d(xs[0], 1)                # [N, C, 1, 1]
        if op == "flatten":
            return torch.flatten(xs[0], 1)                        # [N, C*H*W]
        if op == "add":
            total = xs[0]
            for other in xs[1:]:
                total = total + other
            return total
        if op == "concat":
            return torch.cat(xs, 1)
        raise ValueError(f"node '{name}': unknown op '{op}'")


class Peer:
    """One model: its module in eval mode, its input shape and the batch it is timed on."""

    def __init__(self, entry):
        self.label = entry["label"]
        nodes = entry["graph"]["nodes"]
        self.shape = nodes[0]["outputShape"]                       # [C, H, W]
        self.module = GraphNet(nodes)
        weights, _ = read(entry["weights"])
        self.module.load_state_dict(weights, strict=True)
        self.module.eval()
        self.check_file = entry["check"]
        self.batch = None

    def check(self):
        """Max |PyTorch - Shear| over the check logits, and max |Shear logit|."""
        tensors, _ = read(self.check_file)
        with torch.no_grad():
            logits = self.module(tensors["input"])
        expected = tensors["logits"]
        return float((logits - expected).abs().max()), float(expected.abs().max())

    def prepare(self, batch):
        generator = torch.Generator().manual_seed(SEED)
        self.batch = torch.randn([batch, *self.shape], generator=generator)

    def forward(self):
        with torch.no_grad():
            self.module(self.batch)


def time_block(peer, seconds):
    """Milliseconds per forward pass over one block of at least `seconds`."""
    calls = 0
    start = time.perf_counter()
    while True:
        peer.forward()
        calls += 1
        elapsed = time.perf_counter() - start
        if elapsed >= seconds:
            return elapsed * 1000 / calls


def run(args, peers):
    """Figures for every model, thread count and batch size; blocks of the models alternate."""
    figures = []
    for threads in args.threads:
        torch.set_num_threads(threads)
        for batch in args.batches:
            for peer in peers:
                peer.prepare(batch)
                peer.forward()                                    # warm-up: first-call allocations
            blocks = {peer.label: [] for peer in peers}
            for _ in range(args.repeats):
                for peer in peers:
                    blocks[peer.label].append(time_block(peer, args.block_seconds))
            for label, ms in blocks.items():
                figures.append({"model": label, "threads": threads, "batch": batch, "median_ms": statistics.median(ms),
                                "min_ms": min(ms), "max_ms": max(ms), "blocks_ms": ms})
    return figures


def main(argv=None):
    args = parse_args(argv)
    with open(args.models, encoding="utf-8") as stream:
        manifest = json.load(stream)
    peers = [Peer(entry) for entry in manifest["models"]]
    checks = []
    for peer in peers:
        difference, scale = peer.check()
        checks.append({"model": peer.label, "max_abs_difference": difference, "max_abs_logit": scale})
        if not difference <= TOLERANCE * max(1.0, scale):
            sys.exit(f"{peer.label}: PyTorch's logits differ from Shear's by {difference:.3g} "
                     f"(max |logit| {scale:.3g}, tolerance {TOLERANCE:g} x max(1, that)); not timed")
    result = {"torch_version": torch.__version__, "tolerance": TOLERANCE, "checks": checks, "figures": run(args, peers)}
    with open(args.json, "w", encoding="utf-8") as stream:
        json.dump(result, stream, indent=2)
        stream.write("\n")
    for f in result["figures"]:
        print(f"pytorch {f['model']} threads {f['threads']} batch {f['batch']}: {f['median_ms']:.3f} ms median")


if __name__ == "__main__":
    main()
