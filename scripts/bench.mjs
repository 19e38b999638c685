#!/usr/bin/env node
// `npm run bench`: every bundled transformer against onnxruntime-node, same weights, same run;
// then two random-weight GGUF models of SmolLM2-135M's shape (Q8_0 and Q4_K_M-like, written by
// scripts/bench-gguf-models.mjs) against llama.cpp (node-llama-cpp) on the same files.
// First (re)exports each model to bench/onnx/<id>.onnx with training/export_onnx.py when the
// export is missing or older than the model's weights (needs Debian's python3-torch; without
// it the table has our figures only and says why). Extra arguments go to `bench engine`.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');

// The peer runtime lives in bench/node_modules (bench/package.json), never in the extension's
// dependencies. Its postinstall would fetch CUDA libraries from outside the npm registry; the
// CPU library the benchmark uses ships inside the npm package, so scripts are skipped.
if (!fs.existsSync(path.join(root, 'bench', 'node_modules', 'onnxruntime-node'))) {
  console.error('bench: installing onnxruntime-node into bench/node_modules');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const r = spawnSync(npm, ['ci', '--ignore-scripts', '--no-audit', '--no-fund'], {
    cwd: path.join(root, 'bench'), stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, ONNXRUNTIME_NODE_INSTALL: 'skip' },
  });
  if (r.status !== 0) console.error('bench: could not install onnxruntime-node; the table has our figures only');
}
const index = JSON.parse(fs.readFileSync(path.join(root, 'models', 'index.json'), 'utf8'));
const python = '/usr/bin/python3';

for (const { id, kind } of index.models) {
  if (kind !== 'transformer') continue;
  const folder = path.join(root, 'models', id);
  const onnx = path.join(root, 'bench', 'onnx', `${id}.onnx`);
  const metaFile = onnx.replace(/\.onnx$/, '.json');
  const sha = createHash('sha256').update(fs.readFileSync(path.join(folder, 'model.safetensors'))).digest('hex');
  const fresh = fs.existsSync(onnx) && fs.existsSync(metaFile) && JSON.parse(fs.readFileSync(metaFile, 'utf8')).safetensors_sha256 === sha;
  if (fresh) continue;
  if (!fs.existsSync(python)) {
    console.error(`bench: ${python} is missing, so ${id} is not exported to ONNX (run scripts/setup-training.sh)`);
    continue;
  }
  console.error(`bench: exporting ${id} to ${path.relative(root, onnx)}`);
  const r = spawnSync(python, [path.join(root, 'training', 'export_onnx.py'), '--model', folder, '--out', onnx], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) console.error(`bench: the ONNX export of ${id} failed (exit ${r.status}); its peer figures are skipped`);
}

const cli = (args) => spawnSync(process.execPath, [path.join(root, 'dist', 'cli.js'), 'bench', 'engine', ...args, ...process.argv.slice(2)], { stdio: 'inherit' }).status ?? 1;
let status = cli([]);
const gguf = spawnSync(process.execPath, [path.join(root, 'scripts', 'bench-gguf-models.mjs')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
if (gguf.status !== 0) {
  console.error('bench: could not write the GGUF benchmark models (run npx tsc -p . first)');
  status ||= 1;
}
for (const file of gguf.status === 0 ? gguf.stdout.trim().split('\n') : []) status ||= cli(['--model', file]);
process.exit(status);
