#!/usr/bin/env bash
# Issue 8: progressive magnitude pruning (pmp) against Lottery Ticket (rewinding), SNIP, GraSP, global magnitude +
# fine-tune and dense, on full Fashion-MNIST, 3 seeds, the same epoch budget B for every row, and pmp's recipe
# (--recipe pmp: SGD 0.1, momentum 0.9, weight decay 5e-4, cosine, label smoothing 0.1, batch 128) for all of them.
#   MODEL=mlp    B=10: dense 10; pmp 10 (per-epoch updates, ramp over 5 epochs, then held); magnitude and snip/grasp
#                      5 + 5; lth 2 x (4 + 1)
#   MODEL=lenet5 B=4:  dense 4; pmp 4 (an update every 100 steps, ramp over 2 epochs, then held); magnitude and
#                      snip/grasp 2 + 2; lth 1 x (3 + 1)
#   MODEL=vgg11  B=2:  VGG-11 (or conv6) with 1/8 of its channels (WIDTH), sparsities 0.9 and 0.97: dense 2; pmp 2
#    (or conv6)        (an update every 100 steps, ramp over both epochs, and also over the first only); magnitude
#                      and snip/grasp 1 + 1; lth 1 x (1 + 1)
# Budgets this short make per-epoch pmp updates two or three big jumps, hence the 100-step updates there.
# Usage: MODEL=mlp tools/reproduce_pmp.sh   (JOBS parallel runs, 1 libtorch thread each; restartable: finished runs
# are skipped). Tabulate with: shear results compare $OUT --markdown FILE
set -euo pipefail
cd "$(dirname "$0")/.."
model=${MODEL:-mlp}
out=${OUT:-runs/pmp-$model}
jobs=${JOBS:-2}
export SHEAR="dotnet ${SHEAR_DLL:-artifacts/bin/Shear.Cli/release/shear.dll}"
case $model in
  mlp)    export B=10 E=5 F=5 LTH_E=2 LTH_R=4 HORIZON=5 PMP_FLAGS=""; sparsities="0.7 0.8 0.9 0.95 0.98" ;;
  lenet5) export B=4 E=2 F=2 LTH_E=1 LTH_R=3 HORIZON=2 PMP_FLAGS="--pmp-frequency 100"; sparsities="0.7 0.8 0.9 0.95 0.98" ;;
  vgg11|conv6)  export B=2 E=1 F=1 LTH_E=1 LTH_R=1 HORIZON=2 PMP_FLAGS="--pmp-frequency 100" PMP_H1=1; sparsities="0.9 0.97"
          export MODEL_FLAGS="--width ${WIDTH:-0.125}" ;;
  *) echo "MODEL must be mlp, lenet5, vgg11 or conv6" >&2; exit 2 ;;
esac
# EXTRA_FLAGS override the recipe for every row (e.g. EXTRA_FLAGS="--lr 0.01").
export OUT_DIR=$out MODEL_KEY=$model MODEL_FLAGS=${MODEL_FLAGS:-} EXTRA_FLAGS=${EXTRA_FLAGS:-}
mkdir -p "$out"
run() { local folder=$1; shift; [ -f "$folder/result.json" ] || $SHEAR "$@" --model $MODEL_KEY $MODEL_FLAGS --recipe pmp $EXTRA_FLAGS --threads 1 --out "$folder" > "$folder.log" 2>&1; }
export -f run
# One job per line; a seed's dense-then-magnitude chain is one job, so --from never races its dense run.
{
  for seed in 1 2 3; do
    echo "run $out/dense-seed$seed train --epochs \$B --seed $seed"
    chain="run $out/dense-e\$E-seed$seed train --epochs \$E --seed $seed"
    for s in $sparsities; do
      chain+=" && run $out/magnitude-s$s-seed$seed prune --method magnitude --sparsity $s --from $out/dense-e\$E-seed$seed --finetune-epochs \$F --seed $seed"
    done
    echo "$chain"
    for s in $sparsities; do
      echo "run $out/pmp-s$s-seed$seed prune --method pmp --sparsity $s --epochs \$B --pmp-horizon \$HORIZON \$PMP_FLAGS --seed $seed"
      # With B = 2 a ramp over the whole budget ends with no epoch at the final sparsity: also ramp over the first only.
      [ -z "${PMP_H1:-}" ] || echo "run $out/pmp-h1-s$s-seed$seed prune --method pmp --sparsity $s --epochs \$B --pmp-horizon 1 \$PMP_FLAGS --seed $seed"
      echo "run $out/lth-s$s-seed$seed prune --method lth --sparsity $s --epochs \$LTH_E --lth-rounds \$LTH_R --seed $seed"
      for m in snip grasp; do
        echo "run $out/$m-s$s-seed$seed prune --method $m --sparsity $s --epochs \$E --finetune-epochs \$F --seed $seed"
      done
    done
  done
} | xargs -P "$jobs" -I{} bash -c '{}'
