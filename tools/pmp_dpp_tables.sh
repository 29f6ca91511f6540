#!/usr/bin/env bash
# Writes the generated tables of docs/results/pmp-dpp/ from the run folders of configs/experiments/pmp-dpp/*.yaml
# (runs/pmp-MODEL and, for dpp-calibration-*.yaml, runs/dpp-cal; see docs/results/pmp-dpp/README.md). Nothing in
# those tables is typed by hand: each is `shear results compare` over result.json files.
set -euo pipefail
cd "$(dirname "$0")/.."
shear="dotnet ${SHEAR_DLL:-artifacts/bin/Shear.Cli/release/shear.dll}"
out=docs/results/pmp-dpp
mkdir -p $out
for model in ${MODELS:-mlp lenet5 vgg11}; do
  folder=runs/pmp-$model
  [ -d "$folder" ] || { echo "skipping $model: no $folder" >&2; continue; }
  $shear results compare "$folder" --markdown $out/$model.md --json $out/$model.json --layers-markdown $out/$model-layers.md > /dev/null
done
if [ -d runs/dpp-cal ]; then
  $shear results compare runs/dpp-cal --markdown $out/dpp-calibration.md --json $out/dpp-calibration.json --layers-markdown $out/dpp-calibration-layers.md > /dev/null
fi
ls -l $out
