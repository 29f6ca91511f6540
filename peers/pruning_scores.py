"""Reference SNIP, GraSP and SynFlow scores and masks for LeNet-5, the peer of Shear's pruning-at-initialisation code.

Run by hand from the repository root:
  /usr/bin/python3 peers/pruning_scores.py
It writes tests/fixtures/peers/pruning_scores_lenet5.npz (np.savez, uncompressed) and prints a summary.

Everything is deterministic: LeNet-5 for [1, 28, 28] images and 10 classes with PyTorch's default init under
torch.manual_seed(0), and a class-balanced batch of the first 10 training images of each class of the embedded
Fashion-MNIST subset. The prunable weights are the `weight` of every Conv2d and Linear, in module order; biases
are never scored or masked (they stay in the model). Global top-k selections break ties by the position in
torch.sort(descending=True, stable=True) over the flattened tensors concatenated in that order.

Keys (float32 unless noted):
  param.<state_dict name>   every state_dict entry of the initial model
  input [100, 1, 28, 28]    (pixels / 255 - 0.2860) / 0.3530, ordered by class, then file order
  labels [100] int64
  snip.<w>                  |w * dL/dw|, L = mean cross-entropy on the batch, train mode, float32
  snip_mask90.<w> uint8     global top round(0.1 * total) of snip
  grasp.<w> float64         S = -w * (H g), logits / T (T = 200), float64; GraSP removes the largest S
  grasp_mask90.<w> uint8    global top round(0.1 * total) of -S (the smallest S are kept)
  synflow.<w> float64       first-round SynFlow |w * dR/dw| on the |params| model, all-ones input, float64
  synflow_mask90.<w> uint8  iterative SynFlow, 100 rounds, to density 0.1
  synflow_mask90_kept       int64 scalar, weights kept by synflow_mask90
"""

import copy
import gzip
import os
import sys

import numpy as np
import torch
from torch import nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import zoo  # noqa: E402  (the peer sits beside this script)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(ROOT, "data", "fashion-mnist-subset")
OUTPUT = os.path.join(ROOT, "tests", "fixtures", "peers", "pruning_scores_lenet5.npz")

MODEL, CHANNELS, SIZE, CLASSES = "lenet5", 1, 28, 10
SEED = 0
PER_CLASS = 10
MEAN, STD = 0.2860, 0.3530
DENSITY = 0.1                    # the masks keep 10% of the prunable weights (90% sparsity)
GRASP_TEMPERATURE = 200.0
SYNFLOW_ROUNDS = 100


def read_idx(path, header):
    """The uint8 payload of a gzip IDX file after its `header` bytes (16 for images, 8 for labels)."""
    with gzip.open(path, "rb") as stream:
        raw = stream.read()
    return np.frombuffer(raw, dtype=np.uint8, offset=header)


def balanced_batch():
    """The first PER_CLASS images of each class in file order: float32 input [N, 1, 28, 28], int64 labels [N]."""
    pixels = read_idx(os.path.join(DATA, "train-images-idx3-ubyte.gz"), 16).reshape(-1, 1, SIZE, SIZE)
    labels = read_idx(os.path.join(DATA, "train-labels-idx1-ubyte.gz"), 8).astype(np.int64)
    assert len(pixels) == len(labels)
    chosen = np.concatenate([np.flatnonzero(labels == c)[:PER_CLASS] for c in range(CLASSES)])
    x = (pixels[chosen].astype(np.float32) / np.float32(255.0) - np.float32(MEAN)) / np.float32(STD)
    return torch.from_numpy(np.ascontiguousarray(x, dtype=np.float32)), torch.from_numpy(labels[chosen])


def prunable(model):
    """(name, weight Parameter) of every Conv2d and Linear, in module order."""
    return [(f"{name}.weight", module.weight) for name, module in model.named_modules()
            if isinstance(module, (nn.Conv2d, nn.Linear))]


def snip_scores(model, x, labels):
    """|w * dL/dw| on the batch, in the model's own dtype (float32), train mode."""
    model.train()
    weights = [w for _, w in prunable(model)]
    loss = F.cross_entropy(model(x), labels)
    grads = torch.autograd.grad(loss, weights)
    return [(w * g).abs().detach() for w, g in zip(weights, grads)]


def grasp_scores(model, x, labels):
    """GraSP's S = -w * (H g) in float64, differentiating only with respect to the prunable weights."""
    model = copy.deepcopy(model).double()
    model.train()
    x = x.double()
    weights = [w for _, w in prunable(model)]
    loss = F.cross_entropy(model(x) / GRASP_TEMPERATURE, labels)
    g = [grad.detach() for grad in torch.autograd.grad(loss, weights)]
    loss = F.cross_entropy(model(x) / GRASP_TEMPERATURE, labels)
    grads = torch.autograd.grad(loss, weights, create_graph=True)
    z = sum((gd * gr).sum() for gd, gr in zip(g, grads))
    hg = torch.autograd.grad(z, weights)
    return [(-w * h).detach() for w, h in zip(weights, hg)]


def synflow_model(model):
    """A float64, eval-mode copy with every parameter (weights and biases) replaced by its absolute value."""
    model = copy.deepcopy(model).double()
    model.eval()
    with torch.no_grad():
        for p in model.parameters():
            p.abs_()
    return model


def synflow_round(model, weights):
    """|w * dR/dw| with R the sum of the outputs for an all-ones input [1, C, H, W] (float64)."""
    r = model(torch.ones(1, CHANNELS, SIZE, SIZE, dtype=torch.float64)).sum()
    grads = torch.autograd.grad(r, weights)
    return [(w * g).abs().detach() for w, g in zip(weights, grads)]


def global_top(scores, keep):
    """Masks (uint8, like the scores) keeping the `keep` highest scores over all tensors; stable-sort ties.

    Also returns the cut margin: the keep-th highest score and the next one (None when nothing is dropped).
    """
    flat = torch.cat([s.reshape(-1) for s in scores])
    values, order = torch.sort(flat, descending=True, stable=True)
    kept = torch.zeros(flat.numel(), dtype=torch.uint8)
    kept[order[:keep]] = 1
    masks, start = [], 0
    for s in scores:
        masks.append(kept[start:start + s.numel()].reshape(s.shape))
        start += s.numel()
    margin = (values[keep - 1].item(), values[keep].item()) if keep < flat.numel() else None
    return masks, margin


def synflow_iterative(model, rounds, density):
    """Tanaka et al.'s iterative SynFlow: round k keeps the global top round(density^(k/rounds) * total)."""
    model = synflow_model(model)
    weights = [w for _, w in prunable(model)]
    originals = [w.detach().clone() for w in weights]             # |w| of the initial model
    total = sum(w.numel() for w in weights)
    masks = [torch.ones(w.shape, dtype=torch.uint8) for w in weights]
    narrowest = None                                              # smallest relative gap at a cut, over rounds
    nearest_half = 1.0                                            # how close density^(k/n) * total came to x.5
    for k in range(1, rounds + 1):
        with torch.no_grad():
            for w, w0, m in zip(weights, originals, masks):
                w.copy_(w0 * m)
        scores = synflow_round(model, weights)
        scores = [s.masked_fill(m == 0, float("-inf")) for s, m in zip(scores, masks)]
        target = density ** (k / rounds) * total
        keep = round(target)
        nearest_half = min(nearest_half, abs(target - int(target) - 0.5))
        masks, margin = global_top(scores, keep)
        if margin is not None and margin[0] > 0 and margin[1] != float("-inf"):
            gap = (margin[0] - margin[1]) / margin[0]
            if narrowest is None or gap < narrowest[0]:
                narrowest = (gap, k)
    return masks, narrowest, nearest_half


def describe(name, tensors, names):
    print(f"  {name}")
    for n, t in zip(names, tensors):
        print(f"    {n:<12} {str(t.dtype):<14} sum {t.sum().item(): .10e}  max {t.max().item(): .10e}")


def main():
    torch.manual_seed(SEED)
    model = zoo.build(MODEL, CHANNELS, SIZE, CLASSES)
    x, labels = balanced_batch()
    names = [n for n, _ in prunable(model)]
    total = sum(w.numel() for _, w in prunable(model))
    keep = round(DENSITY * total)

    snip = snip_scores(model, x, labels)
    snip_masks, snip_margin = global_top(snip, keep)
    grasp = grasp_scores(model, x, labels)
    grasp_masks, grasp_margin = global_top([-s for s in grasp], keep)
    abs_model = synflow_model(model)
    synflow = synflow_round(abs_model, [w for _, w in prunable(abs_model)])
    synflow_masks, synflow_narrowest, nearest_half = synflow_iterative(model, SYNFLOW_ROUNDS, DENSITY)
    synflow_kept = sum(int(m.sum()) for m in synflow_masks)

    arrays = {f"param.{k}": v.detach().numpy().astype(np.float32) for k, v in model.state_dict().items()}
    arrays["input"] = x.numpy().astype(np.float32)
    arrays["labels"] = labels.numpy().astype(np.int64)
    for n, s, m in zip(names, snip, snip_masks):
        arrays[f"snip.{n}"] = s.numpy().astype(np.float32)
        arrays[f"snip_mask90.{n}"] = m.numpy()
    for n, s, m in zip(names, grasp, grasp_masks):
        arrays[f"grasp.{n}"] = s.numpy().astype(np.float64)
        arrays[f"grasp_mask90.{n}"] = m.numpy()
    for n, s, m in zip(names, synflow, synflow_masks):
        arrays[f"synflow.{n}"] = s.numpy().astype(np.float64)
        arrays[f"synflow_mask90.{n}"] = m.numpy()
    arrays["synflow_mask90_kept"] = np.array(synflow_kept, dtype=np.int64)
    os.makedirs(os.path.dirname(OUTPUT), exist_ok=True)
    np.savez(OUTPUT, **arrays)

    print(f"{os.path.relpath(OUTPUT, ROOT)}: {len(arrays)} arrays, {os.path.getsize(OUTPUT)} bytes, torch {torch.__version__}")
    for k, v in arrays.items():
        print(f"  {k:<28} {str(v.dtype):<8} {list(v.shape)}")
    print(f"prunable weights {total}, masks keep round({DENSITY} * {total}) = {keep}; labels per class "
          f"{np.bincount(arrays['labels']).tolist()}")
    print("scores (snip float32; grasp and synflow float64):")
    describe("snip", snip, names)
    describe("grasp", grasp, names)
    describe("synflow (first round)", synflow, names)
    print("kept per layer:")
    for title, masks in (("snip_mask90", snip_masks), ("grasp_mask90", grasp_masks),
                         ("synflow_mask90", synflow_masks)):
        counts = [int(m.sum()) for m in masks]
        cells = ", ".join(f"{n} {c}/{m.numel()}" for n, c, m in zip(names, counts, masks))
        print(f"  {title:<15} {sum(counts):>6}: {cells}")
    print("cut margins (k-th score, next score):")
    print(f"  snip  {snip_margin[0]:.9e} vs {snip_margin[1]:.9e}")
    print(f"  grasp -S {grasp_margin[0]:.17e} vs {grasp_margin[1]:.17e}")
    if synflow_narrowest is not None:
        print(f"  synflow narrowest relative gap at a cut {synflow_narrowest[0]:.3e} (round {synflow_narrowest[1]}); "
              f"density^(k/n) * total came within {nearest_half:.3e} of a .5")


if __name__ == "__main__":
    main()
