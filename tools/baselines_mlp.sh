#!/usr/bin/env bash
# Issue 5 acceptance runs: LeNet-300-100 on full Fashion-MNIST, 90 % sparsity, 3 seeds, 20 training epochs for
# every method (dense: 20; one-shot methods: E 10 + F 10; at-init methods and gmp: 20; lth: 3 rounds of 5 epochs
# after a 5-epoch dense run = 20). Then LeNet-5 global magnitude at 5 sparsities from one trained dense model.
set -euo pipefail
cd "$(dirname "$0")/.."
shear="dotnet ${SHEAR_DLL:-artifacts/bin/Shear.Cli/release/shear.dll}"
threads=${THREADS:-2}  # one per core: parallel jobs with 2 threads each on 2 cores thrash
out=${OUT:-runs/baselines}
# Runs whose result.json exists are skipped, so the script can be restarted after a kill.
run() { local folder=$1; shift; [ -f "$folder/result.json" ] || $shear "$@" --threads $threads --out "$folder"; }
for seed in 1 2 3; do
  run $out/mlp-dense-seed$seed train --model mlp --epochs 20 --seed $seed
  for method in magnitude random; do
    run $out/mlp-$method-seed$seed prune --model mlp --method $method --sparsity 0.9 --epochs 10 --finetune-epochs 10 --seed $seed
  done
  for method in snip grasp synflow gmp; do
    run $out/mlp-$method-seed$seed prune --model mlp --method $method --sparsity 0.9 --epochs 10 --finetune-epochs 10 --seed $seed
  done
  run $out/mlp-lth-seed$seed prune --model mlp --method lth --sparsity 0.9 --epochs 5 --lth-rounds 3 --seed $seed
done
run $out/lenet5-dense-seed1 train --model lenet5 --epochs 20 --seed 1
for s in 0.5 0.8 0.9 0.95 0.98; do
  run $out/lenet5-magnitude-s$s prune --model lenet5 --method magnitude --sparsity $s --from $out/lenet5-dense-seed1 --finetune-epochs 5 --seed 1
done
