"""Training throughput of a zoo model in PyTorch, the peer of `shear bench train` (same loop, same settings).

Run by hand or through `shear bench train --peer /usr/bin/python3`, from the repository root, e.g.
  /usr/bin/python3 peers/bench_train.py --model lenet5 --batch 128 --threads 2 --warmup-steps 5 --steps 30 \
      --repeats 5 --image-size 28 --channels 1 --classes 10 --json /tmp/bench.json
Each step: next in-memory uint8 batch -> float / 255 -> (x - 0.5) / 0.25 -> forward -> cross-entropy -> backward ->
SGD step -> zero_grad(set_to_none=True). Warm-up steps are untimed; then `repeats` timed blocks of `steps` steps.

With --sparsity S > 0 the model is pruned before the optimizer is made, the way PyTorch users prune:
torch.nn.utils.prune.global_unstructured with L1Unstructured and amount=S over the `weight` of every Conv2d and
Linear. PyTorch's reparametrisation stays in place while training is timed (each pruned module keeps
`weight_orig` as its parameter, a `weight_mask` buffer, and a forward pre-hook that recomputes
weight = weight_orig * weight_mask on every forward pass).
"""

import argparse
import json
import os
import resource
import statistics
import sys
import time

import torch
from torch import nn
import torch.nn.functional as F
from torch.nn.utils import prune

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import zoo  # noqa: E402  (the peer sits beside this script)

BATCHES_IN_MEMORY = 60
SEED = 1
MEAN, STD = 0.5, 0.25


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", required=True, choices=zoo.KEYS)
    parser.add_argument("--batch", type=int, required=True)
    parser.add_argument("--threads", type=int, required=True)
    parser.add_argument("--warmup-steps", type=int, required=True)
    parser.add_argument("--steps", type=int, required=True)
    parser.add_argument("--repeats", type=int, required=True)
    parser.add_argument("--image-size", type=int, required=True)
    parser.add_argument("--channels", type=int, required=True)
    parser.add_argument("--classes", type=int, required=True)
    parser.add_argument("--sparsity", type=float, default=0.0,
                        help="fraction of conv/linear weights pruned globally by L1 magnitude before training (0: dense)")
    parser.add_argument("--json", required=True, help="where to write the result")
    args = parser.parse_args(argv)
    if not 0.0 <= args.sparsity < 1.0:
        parser.error("--sparsity must be in [0, 1)")
    return args


def synthetic_batches(args):
    """BATCHES_IN_MEMORY seeded batches: uint8 images [B, C, H, W] and int64 labels [B]."""
    generator = torch.Generator().manual_seed(SEED)
    shape = (BATCHES_IN_MEMORY, args.batch, args.channels, args.image_size, args.image_size)
    images = torch.randint(0, 256, shape, dtype=torch.uint8, generator=generator)
    labels = torch.randint(0, args.classes, (BATCHES_IN_MEMORY, args.batch), dtype=torch.int64, generator=generator)
    return [(images[i], labels[i]) for i in range(BATCHES_IN_MEMORY)]


def prune_globally(model, sparsity):
    """Global L1 pruning of every Conv2d/Linear `weight`, reparametrisation left in place; the fraction pruned."""
    targets = [(m, "weight") for m in model.modules() if isinstance(m, (nn.Conv2d, nn.Linear))]
    prune.global_unstructured(targets, pruning_method=prune.L1Unstructured, amount=sparsity)
    zeros = sum(int((m.weight_mask == 0).sum()) for m, _ in targets)
    return zeros / sum(m.weight_mask.numel() for m, _ in targets)


def make_step(model, optimizer, batches):
    """A closure running one training step on the next batch, cycling through `batches`."""
    cursor = [0]

    def step():
        images, labels = batches[cursor[0] % len(batches)]
        cursor[0] += 1
        x = (images.float() / 255.0 - MEAN) / STD                 # [B, C, H, W] in about [-2, 2]
        loss = F.cross_entropy(model(x), labels)
        loss.backward()
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)

    return step


def run(args):
    """Per-block images/s for the timed blocks, and the fraction of conv/linear weights pruned."""
    torch.set_num_threads(args.threads)
    torch.manual_seed(SEED)
    model = zoo.build(args.model, args.channels, args.image_size, args.classes)
    pruned = prune_globally(model, args.sparsity) if args.sparsity > 0 else 0.0
    model.train()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9, weight_decay=5e-4)
    step = make_step(model, optimizer, synthetic_batches(args))
    for _ in range(args.warmup_steps):
        step()
    blocks = []
    for _ in range(args.repeats):
        start = time.perf_counter()
        for _ in range(args.steps):
            step()
        seconds = time.perf_counter() - start
        blocks.append(args.batch * args.steps / seconds)
    return blocks, pruned


def peak_rss_mib():
    """VmHWM of this process. Not ru_maxrss: Linux carries that over fork and exec, so a peer started by a
    bigger parent (the .NET benchmark) would report the parent's peak."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv=None):
    args = parse_args(argv)
    blocks, pruned = run(args)
    result = {
        "model": args.model,
        "batch": args.batch,
        "threads": args.threads,
        "sparsity": args.sparsity,
        "pruned_fraction": pruned,
        "torch_version": torch.__version__,
        "images_per_second": {
            "median": statistics.median(blocks),
            "min": min(blocks),
            "max": max(blocks),
            "blocks": blocks,
        },
        "peak_rss_mib": peak_rss_mib(),
    }
    with open(args.json, "w", encoding="utf-8") as stream:
        json.dump(result, stream, indent=2)
        stream.write("\n")
    ips = result["images_per_second"]
    sparse = f" sparsity {args.sparsity:g} (pruned {pruned:.4f})" if args.sparsity > 0 else ""
    print(f"{args.model} batch {args.batch} threads {args.threads}{sparse} torch {torch.__version__}: "
          f"{ips['median']:.1f} images/s median (min {ips['min']:.1f}, max {ips['max']:.1f}, "
          f"{args.repeats} blocks of {args.steps} steps), peak RSS {result['peak_rss_mib']:.0f} MiB")


if __name__ == "__main__":
    main()
