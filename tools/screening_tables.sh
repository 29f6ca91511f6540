#!/usr/bin/env bash
# Writes the generated tables of docs/results/screening-cdp/ from the run folders of configs/experiments/pmp-dpp/ and
# screening-cdp/ (shear run), the CDP calibration included (screening-cdp/cdp-calibration-*.yaml, in runs/cdp-cal).
# Nothing in those tables is typed by hand: each is `shear results compare` over result.json files.
#   MODEL-sS.md/.json      (mlp, lenet5) every method at target sparsity S (screening, magnitude + FT, SNIP, and the
#                          issue-8 rows at that sparsity), with dense
#   MODEL.md/.json         (vgg11, resnet20) the structured rows: l1-filter, random-channel, screening (channel), slimming, cdp-dtc
#                          and its no-penalty ablation, with dense
#   cdp-final-pruning-MODEL.md/.json  (vgg11, resnet20; issue 23) the published cdp-dtc row and one change each
#                          (per-filter final pruning, coded penalty, SWP init), with top-1 before and after the final
#                          pruning (--stages); RUNS=folder holding runs/cdp-final-pruning-MODEL (default: runs)
#   screening-choose-MODEL.md/.json, screening-test-MODEL.md/.json  (mlp, lenet5; issue 23) screening's choices on
#                          held-out data, then the chosen form at five sparsities on the test set
#                          (configs/experiments/screening-holdout/)
#   cdp-choose-lr-MODEL.md/.json  (vgg11, resnet20; issue 23) CDP + DTC's fine-tune lr chosen on held-out data
# Every run folder is looked for under RUNS (default: runs).
set -euo pipefail
cd "$(dirname "$0")/.."
out=docs/results/screening-cdp
mkdir -p $out
source tools/results_tables.sh
for model in mlp lenet5; do
  for s in 0.8 0.9 0.95; do
    table pmp-$model $model-s$s --sparsity $s --layers-markdown $out/$model-s$s-layers.md
  done
done
for model in vgg11 resnet20; do
  table screening-$model $model --stages
  table cdp-final-pruning-$model cdp-final-pruning-$model --stages
  table cdp-choose-lr-$model cdp-choose-lr-$model --stages
done
for experiment in screening-choose-mlp screening-test-mlp screening-choose-lenet5 screening-test-lenet5; do
  table $experiment $experiment --layers-markdown $out/$experiment-layers.md
done
table cdp-cal cdp-calibration
ls -l $out
