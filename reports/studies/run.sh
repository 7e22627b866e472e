#!/usr/bin/env bash
# The stored collapse studies of notebooks 12 and 13 (issue #15), run once on the 2-core CI machine kind; each
# keeps its finished cells in a --resume file, so re-running a command (as the notebooks do) reads them back and
# computes nothing. Run from the repository root:  reports/studies/run.sh
set -euo pipefail
egan="${EGAN:-.build/release/egan}"
out=reports/studies
configs=notebooks-text/configs

# 1. The frequency principle on ring8-collapse: 4 activations × 3 weight scales × 5 η_D, φ on a log grid.
"$egan" collapse ring8-collapse --ratios 0,0.005:0.5:12:log --seeds 4 --t-end 300 --integrator gd --lr 0.05 \
    --vs discriminator.activation=relu,tanh,sigmoid,cos --vs discriminator.weightStd=0.5,1,2 \
    --vs discriminator.learningRate=0.1:10:5 --predict --resume $out/frequency-ring8.jsonl \
    --boundary $out/frequency-ring8-boundary.csv --heatmap $out/frequency-ring8.svg > $out/frequency-ring8.txt

# 2. Drift: the same model at 4 × the run length, and with end times scaled by the relative eigenvalue.
"$egan" collapse ring8-collapse --ratios 0,0.005:0.5:12:log --seeds 4 --t-end 1200 --integrator gd --lr 0.05 \
    --vs discriminator.learningRate=0.1:10:5 --resume $out/drift-ring8-t1200.jsonl > $out/drift-ring8-t1200.txt
"$egan" collapse ring8-collapse --ratios 0,0.005:0.5:12:log --seeds 4 --t-end 300 --integrator gd --lr 0.05 \
    --vs discriminator.learningRate=0.1:10:5 --horizon relative --resume $out/drift-ring8-relative.jsonl \
    > $out/drift-ring8-relative.txt

# 3. digits100 (N = M = 100, d = 64, relu width 256 trained all, weight decay 1e-4, gradient steps).
"$egan" collapse $configs/digits100-collapse.json --ratios 0,0.01:0.98:25:log --seeds 2 --t-end 300 \
    --integrator gd --lr 0.05 --vs discriminator.learningRate=0.3:3:3 --measure cosine \
    --resume $out/digits100.jsonl --boundary $out/digits100-boundary.csv --heatmap $out/digits100.svg \
    > $out/digits100.txt

# 4. mnist100 (d = 784, relu width 512): a coarse grid, to see the dimension's effect.
"$egan" collapse $configs/mnist100.json --ratios 0,0.1,0.3,0.5,0.7,0.9 --seeds 1 --t-end 300 \
    --integrator gd --lr 0.05 --vs discriminator.learningRate=0.3,3 --measure cosine \
    --resume $out/mnist100.jsonl --boundary $out/mnist100-boundary.csv --heatmap $out/mnist100.svg \
    > $out/mnist100.txt

# 5. Drift on digits100 (issue #15: φ_c read at t = 300 and t = 1500 differ): one seed, η_D = 1, a coarse φ grid,
#    at t = 300 and t = 1500, and with end times 300/(1 − φ) (the same relative motion at every φ).
for horizon in "--t-end 300" "--t-end 1500" "--t-end 300 --horizon relative"; do
    tag=$(echo "$horizon" | tr -d ' -' | sed 's/tend//')
    "$egan" collapse $configs/digits100-collapse.json --ratios 0,0.3,0.5,0.6,0.7,0.8,0.9 --seeds 1 $horizon \
        --integrator gd --lr 0.05 --measure cosine --resume $out/drift-digits100-$tag.jsonl \
        > $out/drift-digits100-$tag.txt
done
