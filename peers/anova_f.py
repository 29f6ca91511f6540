"""Reference one-way ANOVA F statistics from SciPy (scipy.stats.f_oneway), the peer of Shear's screening statistic.

Run by hand from the repository root:
  /usr/bin/python3 peers/anova_f.py
It writes tests/fixtures/peers/anova_f.json. Needs numpy and scipy; no PyTorch.

Deterministic: numpy's default_rng(20261125). 7 units, 4 classes of unequal sizes (23, 31, 17, 29 samples, shuffled),
values rounded to 9 significant digits before F is computed, so the stored values are exactly the ones SciPy saw.
Units differ in how much their class means differ, in scale (1e-3 to 1e3) and in offset (up to 1e4, which breaks a
naive sum-of-squares formula in float32), so that the fixture tests more than one easy case.

Keys: classes, labels [N], values [N][U] (row-major per sample), f [U] (SciPy's F per unit).
"""
import json
import pathlib

import numpy as np
from scipy.stats import f_oneway

rng = np.random.default_rng(20261125)
sizes = [23, 31, 17, 29]
labels = np.concatenate([np.full(n, c) for c, n in enumerate(sizes)])
rng.shuffle(labels)
# per unit: (spread of class means, noise scale, offset)
units = [(0.0, 1.0, 0.0), (0.5, 1.0, 0.0), (2.0, 1.0, 0.0), (1.0, 1e-3, 0.0), (1.0, 1e3, 0.0), (0.3, 1.0, 1e4), (5.0, 0.2, -3.0)]
values = np.zeros((len(labels), len(units)))
for u, (spread, scale, offset) in enumerate(units):
    means = rng.normal(0.0, spread, size=len(sizes))
    values[:, u] = offset + scale * (means[labels] + rng.normal(0.0, 1.0, size=len(labels)))
values = np.array([[float(f"{v:.9g}") for v in row] for row in values])
f = [float(f_oneway(*[values[labels == c, u] for c in range(len(sizes))]).statistic) for u in range(len(units))]
out = pathlib.Path("tests/fixtures/peers/anova_f.json")
out.write_text(json.dumps({"classes": len(sizes), "labels": labels.tolist(), "values": values.tolist(), "f": f}, indent=None))
print("F per unit:", ", ".join(f"{v:.6g}" for v in f))
