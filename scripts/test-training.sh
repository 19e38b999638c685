#!/usr/bin/env bash
# The training code's tests: Python unit tests, then a tiny end-to-end run (corpus ->
# tokenizer -> train -> export) whose exported model the TypeScript engine must load and run.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-training.sh
/usr/bin/python3 -m unittest discover training/tests 2>&1 | tail -n 4
folder=$(bash training/smoke.sh | tail -n 1)
trap 'rm -rf "$(dirname "$folder")"' EXIT
out=$(node dist/cli.js predict --model "$folder" --json "def add(a, b):
    return")
node -e '
const out = JSON.parse(process.argv[1]);
if (out.model.vocabSize !== 512 || out.model.kind !== "transformer" || out.top.length < 5) throw new Error("unexpected: " + process.argv[1]);
console.log(`training smoke: exported model loads in the engine: L = ${out.model.vocabSize}, ${out.model.layers} layers, top token ${JSON.stringify(out.top[0].text)} ${out.top[0].prob.toFixed(3)}`);
' "$out"

# The speed benchmark's peer: the smoke model exported to ONNX (KV cache) must give our
# engine's logits in onnxruntime-node (bench/node_modules, installed without its CUDA
# download), and bench engine must print the ratio fields.
if [ ! -d bench/node_modules/onnxruntime-node ]; then
  (cd bench && ONNXRUNTIME_NODE_INSTALL=skip npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
fi
onnx="$(dirname "$folder")/smoke.onnx"
/usr/bin/python3 training/export_onnx.py --model "$folder" --out "$onnx" > /dev/null
bench=$(node dist/cli.js bench engine --model "$folder" --onnx "$onnx" --json)
node -e '
const r = JSON.parse(process.argv[1]);
if (!r.ort || r.ort.length !== 2) throw new Error("onnxruntime-node did not run: " + r.ortSkipped);
for (const o of r.ort) if (!(o.outputMaxAbsDiff < 1e-4)) throw new Error(`onnxruntime-node (${o.threads} threads) differs from the engine by ${o.outputMaxAbsDiff}`);
for (const k of ["ctx16", "ctx128", "ctxMax"]) if (!(r.ratioVsOrt[k] > 0 && r.ortDecodeMsPerToken[k] > 0)) throw new Error("missing " + k);
if (!(r.prefill512Ms > 0 && r.ratioVsOrt.prefill512 > 0)) throw new Error("missing prefill figures");
if (!r.ours || r.ours.map((o) => o.threads).join() !== "1,2" || !r.ours.every((o) => o.prefill512Ms > 0)) throw new Error("our engine was not measured on 1 and 2 threads: " + JSON.stringify(r.ours));
console.log(`training smoke: ONNX export runs in onnxruntime-node, logits within ${Math.max(...r.ort.map((o) => o.outputMaxAbsDiff)).toExponential(1)} of the engine; decode ours/ort ${r.ratioVsOrt.ctx16.toFixed(2)} (not a speed claim: a toy model on a busy machine)`);
' "$bench"
echo "training: 2 passed, 0 failed"
