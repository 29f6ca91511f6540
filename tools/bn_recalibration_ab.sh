#!/usr/bin/env bash
# BN recalibration A/B: l1-filter and random-channel on one trained ResNet-20 (3 epochs, fashion-mnist-subset).
set -u
mkdir -p runs
from=${1:?usage: tools/bn_recalibration_ab.sh DENSE_RUN (a trained resnet20 run folder)}
for ft in 0 1; do
for method in l1-filter random-channel; do
for s in 0.3 0.5 0.7; do
  [ $ft = 1 ] && [ $s != 0.5 ] && continue
  for rc in 0 20; do
    out=runs/$method-s$s-ft$ft-rc$rc
    [ -f $out/result.json ] && continue
    dotnet ${SHEAR_DLL:-artifacts/bin/Shear.Cli/release/shear.dll} prune --model resnet20 --data fashion-mnist-subset --from $from --method $method \
      --sparsity $s --finetune-epochs $ft --bn-recalibrate $rc --threads 2 --out $out > $out.log 2>&1 || echo "FAIL $out"
    python3 -c "
import json;r=json.load(open('$out/result.json'));p=r.get('prunedTest');print('$method s$s ft$ft rc$rc', 'final', r['test']['top1'], 'before-ft', p['top1'] if p else None, r['compaction']['parametersAfter'] if r.get('compaction') else None)"
  done
done; done; done
