#!/usr/bin/env bash
# Writes the generated tables of docs/results/pmp-dpp/ from the run folders of configs/experiments/pmp-dpp/*.yaml
# (runs/pmp-MODEL and, for dpp-calibration-*.yaml, runs/dpp-cal; see docs/results/pmp-dpp/README.md). Nothing in
# those tables is typed by hand: each is `shear results compare` over result.json files.
# Issue 23's rows: layerwise-MODEL.md (per-layer magnitude and random beside global magnitude and dpp, the pmp-MODEL
# budgets) and converged-mlp.md (dpp on a 30-epoch model), from runs/layerwise-MODEL and runs/converged-mlp
# (RUNS=folder holding them; default runs). choose-vgg11.md: pmp's ramp length on VGG-11 chosen on held-out data
# (runs/pmp-choose-vgg11). Every folder is looked for under RUNS.
set -euo pipefail
cd "$(dirname "$0")/.."
out=docs/results/pmp-dpp
mkdir -p $out
source tools/results_tables.sh
for model in ${MODELS:-mlp lenet5 vgg11}; do
  table pmp-$model $model --layers-markdown $out/$model-layers.md
done
for experiment in layerwise-mlp layerwise-lenet5 converged-mlp; do
  table $experiment $experiment --layers-markdown $out/$experiment-layers.md
done
table pmp-choose-vgg11 choose-vgg11 --layers-markdown $out/choose-vgg11-layers.md
table dpp-cal dpp-calibration --layers-markdown $out/dpp-calibration-layers.md
ls -l $out
