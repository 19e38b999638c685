#!/usr/bin/env node
// Fits the open-file cache's mix (λ for orders 2-4 and β, src/engine/cacheModel.ts) on
// validation files that the reported evaluation does not use, then reports both samples.
//
//   npm run compile && node scripts/fit-cache-mix.mjs [--sample 60] [--workspace] [model ids...]
//
// --workspace fits the workspace cache's mix instead (WORKSPACE_CACHE_MIX): each file's
// project (its package folder) gives the other files, counted as `eval --project` counts
// them, mixed under the file's own cache at DEFAULT_CACHE_MIX, as the extension mixes them.
//
// `next-token eval --sample 60` scores the files at positions floor(i·n/60) of the sorted
// validation list; this script tunes on the files halfway between them (floor((i+½)·n/60)),
// so the figures in the model cards are measured on files the fit never saw. One pass
// per model records, for every token, the model's probability and the cache's counts;
// the grid then costs no model calls.
import { createRequire } from 'node:module';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const out = (p) => path.join(root, 'out', 'src', p);
if (!fs.existsSync(out('engine/index.js'))) throw new Error('run `npm run compile` first (this script uses out/)');
const { loadModelFolder, resolveModel } = require(out('node/modelFolder.js'));
const { CacheCounts, DEFAULT_CACHE_MIX, WORKSPACE_CACHE_MIX, toModelText } = require(out('engine/index.js'));
const { listFiles, sampleFiles } = require(out('cli/eval.js'));
const { ProjectWorkspace } = require(out('cli/projectWorkspace.js'));

const args = process.argv.slice(2);
const sampleAt = args.indexOf('--sample');
const sample = sampleAt >= 0 ? Number(args.splice(sampleAt, 2)[1]) : 60;
const workspaceAt = args.indexOf('--workspace');
const fitWorkspace = workspaceAt >= 0 && args.splice(workspaceAt, 1).length > 0;
const models = args.length ? args : ['gpt-code-tiny', 'ngram-code'];
const ORDER = 4;
const MAX_BYTES = 20000; // as the model cards' evaluation (--max-bytes 20000)

const VAL = path.join(root, 'training', 'data', 'val-files');
const all = listFiles([VAL]);
/** A validation file's project: its package folder (two levels for @scope/name). */
const projectRoot = (file) => {
  const parts = path.relative(VAL, file).split(path.sep);
  return path.join(VAL, ...parts.slice(0, parts[0].startsWith('@') ? 2 : 1));
};
const pick = (shift) => sampleFiles(all, sample, shift);

/**
 * Per token: [model probability, [count of the token, total, kinds] for orders 2..ORDER of
 * the file's own cache, and with --workspace the same of the workspace cache].
 */
function record(model, files) {
  const recs = [];
  let bytes = 0;
  const projects = new Map();
  for (const file of files) {
    let workspace;
    if (fitWorkspace) {
      const dir = projectRoot(file);
      if (!projects.has(dir)) projects.set(dir, new ProjectWorkspace(dir, model));
      workspace = projects.get(dir).countsFor(file).counts;
    }
    let data = fs.readFileSync(file);
    if (data.length > MAX_BYTES) data = data.subarray(0, MAX_BYTES);
    const text = toModelText(new TextDecoder().decode(data));
    if (!text) continue;
    bytes += Buffer.byteLength(text);
    model.reset();
    const cache = new CacheCounts(ORDER);
    const window = model.info.kind === 'transformer' ? model.info.contextLength : Infinity;
    let context = model.bosTokenId !== undefined ? [model.bosTokenId] : [];
    const history = [];
    for (const t of model.tokenizer.encode(text)) {
      // The context slides as in scoreText (src/eval/evaluate.ts).
      if (context.length >= window) context = context.slice(context.length - Math.floor(window / 2));
      const rows = (counts) => {
        const out = [];
        for (let k = 2; k <= ORDER; k++) {
          const hit = counts.row(history, k);
          if (!hit) break;
          out.push([hit.row.get(t) ?? 0, hit.total, hit.row.size]);
        }
        return out;
      };
      recs.push([model.predict(context).probs[t], rows(cache), workspace ? rows(workspace) : []]);
      context.push(t);
      history.push(t);
      cache.append('file', [t]);
    }
  }
  return { recs, bytes };
}

/** q = p mixed with one cache's rows (as CachedModel.mixOne). */
function mixed(q, rows, mix) {
  rows.forEach(([n, total, kinds], i) => {
    const w = (mix.lambdas[i] * total) / (total + mix.beta * kinds);
    q = (1 - w) * q + (w * n) / total;
  });
  return q;
}

/** Bits per byte with `mix` fitted: the file's cache's, or with --workspace the workspace's (under the file's at its default). */
function bpb({ recs, bytes }, mix) {
  let bits = 0;
  for (const [p, fileRows, workspaceRows] of recs) {
    const q = fitWorkspace ? mixed(mixed(p, workspaceRows, mix), fileRows, DEFAULT_CACHE_MIX) : mixed(p, fileRows, mix);
    bits -= Math.log2(Math.max(q, 1e-30));
  }
  return bits / bytes;
}

const grid = [];
// The workspace's files say less about the file than its own text: its grid reaches lower.
const values = fitWorkspace
  ? { beta: [0.5, 1, 1.5, 3, 6], l2: [0.05, 0.1, 0.2, 0.3, 0.45], l3: [0.1, 0.2, 0.35, 0.5, 0.7], l4: [0.2, 0.35, 0.5, 0.7, 0.9] }
  : { beta: [0.5, 1, 1.5, 2, 3], l2: [0.2, 0.3, 0.45, 0.6], l3: [0.5, 0.7, 0.8, 0.9], l4: [0.7, 0.8, 0.9, 0.95] };
for (const beta of values.beta) for (const l2 of values.l2) for (const l3 of values.l3) for (const l4 of values.l4) grid.push({ lambdas: [l2, l3, l4], beta });

const tune = {};
const held = {};
for (const id of models) {
  const model = loadModelFolder(resolveModel(id, root));
  tune[id] = record(model, pick(0.5));
  held[id] = record(model, pick(0));
}
// One setting for every model (the worker mixes the same way whichever is loaded): the
// smallest mean bits per byte over the models on the tuning files.
let best;
for (const mix of grid) {
  const score = models.reduce((s, id) => s + bpb(tune[id], mix), 0) / models.length;
  if (!best || score < best.score) best = { mix, score };
}
console.log(`best on the ${sample} tuning files: lambdas ${best.mix.lambdas.join(', ')}, beta ${best.mix.beta}`);
const shipped = fitWorkspace ? WORKSPACE_CACHE_MIX : DEFAULT_CACHE_MIX;
console.log(`shipped (${fitWorkspace ? 'WORKSPACE_CACHE_MIX' : 'DEFAULT_CACHE_MIX'}): lambdas ${shipped.lambdas.join(', ')}, beta ${shipped.beta}`);
for (const id of models) {
  const f = (d, mix) => bpb(d, mix).toFixed(4);
  const none = { lambdas: [0, 0, 0], beta: 1 };
  console.log(`${id}: tuning files ${f(tune[id], none)} -> ${f(tune[id], best.mix)} (shipped ${f(tune[id], shipped)}); ` +
    `evaluation files ${f(held[id], none)} -> ${f(held[id], best.mix)} (shipped ${f(held[id], shipped)}) bits per byte`);
}
