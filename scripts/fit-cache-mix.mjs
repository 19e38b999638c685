#!/usr/bin/env node
// Fits the open-file cache's mix (λ for orders 2-4 and β, src/engine/cacheModel.ts) on
// validation files that the reported evaluation does not use, then reports both samples.
//
//   npm run compile && node scripts/fit-cache-mix.mjs [--sample 60] [model ids...]
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
const { CacheCounts, DEFAULT_CACHE_MIX } = require(out('engine/index.js'));
const { listFiles, sampleFiles } = require(out('cli/eval.js'));

const args = process.argv.slice(2);
const sampleAt = args.indexOf('--sample');
const sample = sampleAt >= 0 ? Number(args.splice(sampleAt, 2)[1]) : 60;
const models = args.length ? args : ['gpt-code-tiny', 'ngram-code'];
const ORDER = 4;
const MAX_BYTES = 20000; // as the model cards' evaluation (--max-bytes 20000)

const all = listFiles([path.join(root, 'training', 'data', 'val-files')]);
const pick = (shift) => sampleFiles(all, sample, shift);

/** Per token: [model probability, [count of the token, total, kinds] for orders 2..ORDER]. */
function record(model, files) {
  const recs = [];
  let bytes = 0;
  for (const file of files) {
    let data = fs.readFileSync(file);
    if (data.length > MAX_BYTES) data = data.subarray(0, MAX_BYTES);
    const text = new TextDecoder().decode(data);
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
      const rows = [];
      for (let k = 2; k <= ORDER; k++) {
        const hit = cache.row(history, k);
        if (!hit) break;
        rows.push([hit.row.get(t) ?? 0, hit.total, hit.row.size]);
      }
      recs.push([model.predict(context).probs[t], rows]);
      context.push(t);
      history.push(t);
      cache.append('file', [t]);
    }
  }
  return { recs, bytes };
}

function bpb({ recs, bytes }, mix) {
  let bits = 0;
  for (const [p, rows] of recs) {
    let q = p;
    rows.forEach(([n, total, kinds], i) => {
      const w = (mix.lambdas[i] * total) / (total + mix.beta * kinds);
      q = (1 - w) * q + (w * n) / total;
    });
    bits -= Math.log2(Math.max(q, 1e-30));
  }
  return bits / bytes;
}

const grid = [];
for (const beta of [0.5, 1, 1.5, 2, 3]) for (const l2 of [0.2, 0.3, 0.45, 0.6]) for (const l3 of [0.5, 0.7, 0.8, 0.9]) for (const l4 of [0.7, 0.8, 0.9, 0.95]) grid.push({ lambdas: [l2, l3, l4], beta });

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
console.log(`shipped (DEFAULT_CACHE_MIX): lambdas ${DEFAULT_CACHE_MIX.lambdas.join(', ')}, beta ${DEFAULT_CACHE_MIX.beta}`);
for (const id of models) {
  const f = (d, mix) => bpb(d, mix).toFixed(4);
  const none = { lambdas: [0, 0, 0], beta: 1 };
  console.log(`${id}: tuning files ${f(tune[id], none)} -> ${f(tune[id], best.mix)} (shipped ${f(tune[id], DEFAULT_CACHE_MIX)}); ` +
    `evaluation files ${f(held[id], none)} -> ${f(held[id], best.mix)} (shipped ${f(held[id], DEFAULT_CACHE_MIX)}) bits per byte`);
}
