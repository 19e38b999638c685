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
echo "training: 1 passed, 0 failed"
