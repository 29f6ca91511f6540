"""Reference values and gradients of CDP's penalty terms (METHODS.md section 4.2) from PyTorch autograd, the peer of
Shear's TexturePenalty.

Run by hand from the repository root:
  /usr/bin/python3 peers/cdp_penalty.py
It writes tests/fixtures/peers/cdp_penalty.json. Needs PyTorch (python3-torch).

A fixed conv weight W [4, 3, 3, 3] and filter skeleton FS [4, 3, 3] (float64, torch.manual_seed(7); filter 2 of FS
is all zero, a dead filter, where an unguarded square root has an infinite gradient). For each term alone, with
coefficient 1, the fixture stores the penalty and its gradients with respect to W and FS, computed here from the
formulas written out independently of Shear:
  ang(x, y) = 1 - arccos(clamp(cos(x, y), -1 + 1e-6, 1 - 1e-6)) / pi
  var     sum_o ang(W_o, M), M[i] = mean over (o, h, w) of W[o, i, h, w], broadcast over (h, w)
  var2    sum_o ang(FS_o, mean_o FS_o)
  l1      |FS|_1
  l2      sqrt(sum FS^2 + 1e-12)
  group   sqrt(sum_o |FS_o|_1^2 + 1e-12)
  coded   prop term as the public code computes it: 2 |FS|_1
  intended  prop term at the first step (a = b = prop): sum_o sqrt(|FS_o|_2^2 + 1e-12) + |FS|_1
Keys: weight, skeleton (nested lists), terms: {name: {value, grad_weight, grad_skeleton}}.
"""
import json
import math
import pathlib

import torch

torch.manual_seed(7)
weight0 = torch.randn(4, 3, 3, 3, dtype=torch.float64)
skeleton0 = torch.rand(4, 3, 3, dtype=torch.float64) * 2 - 0.5
skeleton0[2] = 0


def ang(rows, reference):
    cos = torch.nn.functional.cosine_similarity(rows, reference.expand_as(rows), dim=1, eps=1e-12)
    return 1 - torch.arccos(cos.clamp(-1 + 1e-6, 1 - 1e-6)) / math.pi


def terms(w, fs):
    filters = fs.flatten(1)
    mean = w.mean(dim=(0, 2, 3), keepdim=True).expand_as(w[0:1]).flatten(1)
    return {
        "var": ang(w.flatten(1), mean).sum(),
        "var2": ang(filters, filters.mean(0, keepdim=True)).sum(),
        "l1": fs.abs().sum(),
        "l2": (fs.pow(2).sum() + 1e-12).sqrt(),
        "group": (filters.abs().sum(1).pow(2).sum() + 1e-12).sqrt(),
        "coded": 2 * fs.abs().sum(),
        "intended": (filters.pow(2).sum(1) + 1e-12).sqrt().sum() + fs.abs().sum(),
    }


out = {"weight": weight0.tolist(), "skeleton": skeleton0.tolist(), "terms": {}}
for name in terms(weight0, skeleton0):
    w = weight0.clone().requires_grad_(True)
    fs = skeleton0.clone().requires_grad_(True)
    value = terms(w, fs)[name]
    value.backward()
    # A term that does not read W (or FS) has a zero gradient for it.
    grad_w = w.grad if w.grad is not None else torch.zeros_like(w)
    grad_fs = fs.grad if fs.grad is not None else torch.zeros_like(fs)
    out["terms"][name] = {"value": value.item(), "grad_weight": grad_w.tolist(), "grad_skeleton": grad_fs.tolist()}
    print(f"{name:9s} {value.item():.9g}")
pathlib.Path("tests/fixtures/peers/cdp_penalty.json").write_text(json.dumps(out))
