#!/usr/bin/env bash
# Writes the generated tables of docs/results/structured/ from the run folders of configs/experiments/structured/
# (shear run): MODEL.md/.json (vgg11, resnet20), l1-filter, random-channel, l1-filter with BN recalibration and
# slimming at 30 and 50 %, 3 seeds, with both dense rows and top-1 before fine-tuning (--stages). Nothing in those
# tables is typed by hand: each is `shear results compare` over result.json files. Run folders are looked for under
# RUNS (default: runs).
set -euo pipefail
cd "$(dirname "$0")/.."
out=docs/results/structured
source tools/results_tables.sh
for model in vgg11 resnet20; do
  table structured-$model $model --stages
done
