"""Reference GEV maximum-likelihood fits from SciPy, the peer of Shear's extreme-value statistics (DPP).

Run by hand from the repository root:
  /usr/bin/python3 peers/extreme_value_fits.py
It writes tests/fixtures/peers/extreme_value_fits.json and prints a summary. Needs numpy and scipy
(apt-get install python3-numpy python3-scipy); no PyTorch.

Everything is deterministic: for each case, n samples from scipy.stats.genextreme with numpy's
default_rng(SEED + case index), rounded to 9 significant digits; the fit and the log-likelihood are computed on
the rounded values, which are exactly the ones stored. scipy.stats.genextreme.fit (its default optimiser, from its
default start) gives (c, loc, scale); SciPy's shape c is -xi in Shear's convention, so the fixture stores both.

Keys of each case:
  name, n, seed                 the case and how its samples were drawn
  true_xi, true_mu, true_sigma  the law the samples come from (Shear's xi = -c)
  scipy_c, scipy_xi             SciPy's fitted shape, in both conventions
  scipy_mu, scipy_sigma         SciPy's fitted loc and scale
  scipy_log_likelihood          sum of genextreme.logpdf over the samples at SciPy's optimum
  samples                       the n samples
"""

import json
import os

import numpy as np
import scipy
from scipy.stats import genextreme

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURE = os.path.join(ROOT, "tests", "fixtures", "peers", "extreme_value_fits.json")
SEED = 20240611
N = 2000

# (name, xi, mu, sigma): a heavy (Frechet-type) tail, the Gumbel limit and a bounded (reversed Weibull) tail,
# at locations and scales like the block maxima of a layer's |w|.
CASES = [
    ("frechet", 0.15, 1.0, 0.3),
    ("gumbel", 0.0, 0.5, 0.1),
    ("weibull", -0.25, 2.0, 0.5),
]


def make_case(index, name, xi, mu, sigma):
    rng = np.random.default_rng(SEED + index)
    drawn = genextreme.rvs(-xi, loc=mu, scale=sigma, size=N, random_state=rng)
    samples = np.array([float(f"{x:.9g}") for x in drawn])
    c, loc, scale = genextreme.fit(samples)
    log_likelihood = float(np.sum(genextreme.logpdf(samples, c, loc=loc, scale=scale)))
    return {
        "name": name,
        "n": N,
        "seed": SEED + index,
        "true_xi": xi,
        "true_mu": mu,
        "true_sigma": sigma,
        "scipy_c": float(c),
        "scipy_xi": float(-c),
        "scipy_mu": float(loc),
        "scipy_sigma": float(scale),
        "scipy_log_likelihood": log_likelihood,
        "samples": [float(x) for x in samples],
    }


def _dump(document):
    # One case field per line, samples ten to a line: small diffs when the fixture is regenerated.
    lines = ["{", f'  "generator": {json.dumps(document["generator"])},',
             f'  "scipy_version": {json.dumps(document["scipy_version"])},',
             f'  "numpy_version": {json.dumps(document["numpy_version"])},', '  "cases": [']
    for i, case in enumerate(document["cases"]):
        lines.append("    {")
        for key, value in case.items():
            if key != "samples":
                lines.append(f"      {json.dumps(key)}: {json.dumps(value)},")
        rows = [", ".join(repr(x) for x in case["samples"][j:j + 10]) for j in range(0, len(case["samples"]), 10)]
        lines.append('      "samples": [')
        lines.extend(f"        {row}{',' if j < len(rows) - 1 else ''}" for j, row in enumerate(rows))
        lines.append("      ]")
        lines.append("    }" + ("," if i < len(document["cases"]) - 1 else ""))
    lines.extend(["  ]", "}", ""])
    return "\n".join(lines)


def main():
    cases = [make_case(i, *case) for i, case in enumerate(CASES)]
    document = {
        "generator": "peers/extreme_value_fits.py",
        "scipy_version": scipy.__version__,
        "numpy_version": np.__version__,
        "cases": cases,
    }
    text = _dump(document)
    json.loads(text)
    with open(FIXTURE, "w", encoding="utf-8") as stream:
        stream.write(text)
    print(f"{'case':<8} {'true xi':>8} {'xi':>9} {'mu':>9} {'sigma':>9} {'log-likelihood':>15}")
    for case in cases:
        print(f"{case['name']:<8} {case['true_xi']:>8.3f} {case['scipy_xi']:>9.5f} {case['scipy_mu']:>9.5f} "
              f"{case['scipy_sigma']:>9.5f} {case['scipy_log_likelihood']:>15.6f}")
    print(f"wrote {os.path.normpath(FIXTURE)} ({len(cases)} cases of {N}, scipy {scipy.__version__})")


if __name__ == "__main__":
    main()
