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
#   screening-choose-mlp.md/.json, screening-test-mlp.md/.json  (issue 23) screening's choices on held-out data, then
#                          the chosen form at five sparsities on the test set (configs/experiments/screening-holdout/)
#   cdp-choose-lr-MODEL.md/.json  (vgg11, resnet20; issue 23) CDP + DTC's fine-tune lr chosen on held-out data
# Every run folder is looked for under RUNS (default: runs).
set -euo pipefail
cd "$(dirname "$0")/.."
shear="dotnet ${SHEAR_DLL:-artifacts/bin/Shear.Cli/release/shear.dll}"
out=docs/results/screening-cdp
mkdir -p $out
for model in mlp lenet5; do
  folder=${RUNS:-runs}/pmp-$model
  [ -d "$folder" ] || { echo "skipping $model: no $folder" >&2; continue; }
  for s in 0.8 0.9 0.95; do
    $shear results compare "$folder" --sparsity $s --markdown $out/$model-s$s.md --json $out/$model-s$s.json --layers-markdown $out/$model-s$s-layers.md > /dev/null
  done
done
for model in vgg11 resnet20; do
  folder=${RUNS:-runs}/screening-$model
  [ -d "$folder" ] || { echo "skipping $model: no $folder" >&2; continue; }
  $shear results compare "$folder" --stages --markdown $out/$model.md --json $out/$model.json > /dev/null
done
for model in vgg11 resnet20; do
  folder=${RUNS:-runs}/cdp-final-pruning-$model
  [ -d "$folder" ] || { echo "skipping cdp-final-pruning-$model: no $folder" >&2; continue; }
  $shear results compare "$folder" --stages --markdown $out/cdp-final-pruning-$model.md --json $out/cdp-final-pruning-$model.json > /dev/null
done
for experiment in screening-choose-mlp screening-test-mlp; do
  folder=${RUNS:-runs}/$experiment
  [ -d "$folder" ] || { echo "skipping $experiment: no $folder" >&2; continue; }
  $shear results compare "$folder" --markdown $out/$experiment.md --json $out/$experiment.json --layers-markdown $out/$experiment-layers.md > /dev/null
done
for model in vgg11 resnet20; do
  folder=${RUNS:-runs}/cdp-choose-lr-$model
  [ -d "$folder" ] || { echo "skipping cdp-choose-lr-$model: no $folder" >&2; continue; }
  $shear results compare "$folder" --stages --markdown $out/cdp-choose-lr-$model.md --json $out/cdp-choose-lr-$model.json > /dev/null
done
if [ -d ${RUNS:-runs}/cdp-cal ]; then
  $shear results compare ${RUNS:-runs}/cdp-cal --markdown $out/cdp-calibration.md --json $out/cdp-calibration.json > /dev/null
fi
ls -l $out
