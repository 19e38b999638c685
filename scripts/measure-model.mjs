#!/usr/bin/env node
// Measures a bundled model the way the model cards report it and writes the figures into
// models/index.json and the card's "Measured in the extension" section (between the
// `<!-- measured:begin -->` and `<!-- measured:end -->` markers), so no card carries a
// figure that this script did not produce.
//
//   npm run build && node scripts/measure-model.mjs <id> [--quality] [--speed]
//
// --quality: `next-token eval` on the 60-file validation sample, as shipped and with
//            `--cache` (learning from the open file); deterministic, any machine load.
// --speed:   `bench ghost` and, for transformers, `bench engine --no-ort`; run these with
//            nothing else busy (pause training: kill -STOP).
// Neither flag: both. Figures of the part not measured are kept from index.json.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cli = path.join(root, 'dist', 'cli.js');
const args = process.argv.slice(2);
const id = args.find((a) => !a.startsWith('--'));
if (!id) {
  console.error('usage: node scripts/measure-model.mjs <id> [--quality] [--speed]');
  process.exit(2);
}
const both = !args.includes('--quality') && !args.includes('--speed');
const doQuality = both || args.includes('--quality');
const doSpeed = both || args.includes('--speed');
const indexFile = path.join(root, 'models', 'index.json');
const index = JSON.parse(fs.readFileSync(indexFile, 'utf8'));
const entry = index.models.find((m) => m.id === id);
if (!entry) throw new Error(`${id} is not in models/index.json`);
const cardFile = path.join(root, 'models', id, 'MODEL_CARD.md');

const EVAL_ARGS = ['--sample', '60', '--max-bytes', '20000', '--keystroke-bytes', '600'];
const VAL = path.join('training', 'data', 'val-files');
const GHOST_FILE = path.join('sample-workspace', 'src', 'inventory.ts');
const run = async (...a) => JSON.parse((await promisify(execFile)(process.execPath, [cli, ...a, '--json'], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 28 })).stdout);
const round = (x, d) => Math.round(x * 10 ** d) / 10 ** d;
const median = (xs) => {
  const a = [...xs].sort((p, q) => p - q);
  return a.length % 2 ? a[(a.length - 1) / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
};

const quality = { ...entry.quality };
const speed = { ...entry.speed };
if (doQuality) {
  // The two evaluations are independent single-threaded processes: one per core.
  console.error(`${id}: eval as shipped and learning from the open file ...`);
  const [plain, cached] = await Promise.all([
    run('eval', '--model', id, ...EVAL_ARGS, VAL),
    run('eval', '--model', id, '--cache', ...EVAL_ARGS, VAL),
  ]);
  Object.assign(quality, {
    eval_bpb: round(plain.bpb, 3),
    top1: round(plain.top1, 3),
    top5: round(plain.top5, 3),
    keystroke_savings: round(plain.keystrokeSavings, 3),
    eval_bpb_with_open_files: round(cached.bpb, 3),
    top1_with_open_files: round(cached.top1, 3),
    top5_with_open_files: round(cached.top5, 3),
    keystroke_savings_with_open_files: round(cached.keystrokeSavings, 3),
    files: plain.files,
    bytes: plain.bytes,
    tokens: plain.tokens,
    xz_bpb: round(plain.xzBpb, 3),
    files_better_than_xz: plain.filesBetterThanXz,
    files_better_than_xz_with_open_files: cached.filesBetterThanXz,
    // The target is "<= 1.3 bits per byte file by file": how many files reach it.
    median_file_bpb: round(median(plain.perFile.map((f) => f.bpb)), 3),
    median_file_bpb_with_open_files: round(median(cached.perFile.map((f) => f.bpb)), 3),
    files_at_most_1_3_bpb: plain.perFile.filter((f) => f.bpb <= 1.3).length,
    files_at_most_1_3_bpb_with_open_files: cached.perFile.filter((f) => f.bpb <= 1.3).length,
  });
}
if (doSpeed) {
  console.error(`${id}: bench ghost ...`);
  const g = await run('bench', 'ghost', '--model', id, '--file', GHOST_FILE);
  Object.assign(speed, {
    ghost_p50_ms: round(g.p50Ms, 2),
    ghost_p95_ms: round(g.p95Ms, 1),
    model_p50_ms: round(g.missP50Ms, 1),
    typed_through_share: round(g.cacheHits / g.keystrokes, 2),
  });
  if (entry.kind === 'transformer') {
    console.error(`${id}: bench engine ...`);
    const e = await run('bench', 'engine', '--model', id, '--no-ort');
    Object.assign(speed, {
      decode_ms_per_token_ctx16: round(e.decodeMsPerToken.ctx16, 2),
      decode_ms_per_token_ctx128: round(e.decodeMsPerToken.ctx128, 2),
      decode_ms_per_token_ctx_max: round(e.decodeMsPerToken.ctxMax, 2),
      prefill_window_ms: round(e.prefill512Ms, 1),
      prefill_tokens: e.prefillTokens,
      load_ms: round(e.loadMs, 0),
    });
  }
}
entry.quality = quality;
entry.speed = speed;
fs.writeFileSync(indexFile, JSON.stringify(index, null, 2) + '\n');

const pct = (x) => (x === undefined ? '—' : `${(x * 100).toFixed(1)}%`);
const num = (x, d = 3) => (x === undefined ? '—' : x.toFixed(d));
const q = quality;
const s = speed;
const lines = [
  '<!-- measured:begin (written by scripts/measure-model.mjs; do not edit by hand) -->',
  '## Measured in the extension (TypeScript engine, this machine: 2 shared cores)',
  '',
  `Evaluation set: ${q.files} files spread over the held-out validation packages and stdlib modules,`,
  `at most 20 KB each (${q.bytes?.toLocaleString('en-US')} bytes, ${q.tokens?.toLocaleString('en-US')} tokens), typing simulated over the first 600`,
  'characters of each file. "Learning from the open file" is the cache the extension mixes in',
  '(`nextToken.adaptToOpenFiles`, on by default), measured causally: each token joins it only',
  'after it has been scored, each typed line only when it is finished.',
  '',
  `    node dist/cli.js eval --model ${id} [--cache] ${EVAL_ARGS.join(' ')} ${VAL}`,
  '',
  '| measure | as shipped | learning from the open file (`--cache`) |',
  '|---|---|---|',
  `| bits per byte (xz -9e file by file: ${num(q.xz_bpb)}) | ${num(q.eval_bpb)} (better than xz on ${q.files_better_than_xz} of ${q.files} files) | **${num(q.eval_bpb_with_open_files)}** (${q.files_better_than_xz_with_open_files} of ${q.files}) |`,
  `| files at or below 1.3 bits per byte (median file) | ${q.files_at_most_1_3_bpb} of ${q.files} (${num(q.median_file_bpb)}) | ${q.files_at_most_1_3_bpb_with_open_files} of ${q.files} (${num(q.median_file_bpb_with_open_files)}) |`,
  `| top-1 / top-5 next-token accuracy | ${pct(q.top1)} / ${pct(q.top5)} | ${pct(q.top1_with_open_files)} / ${pct(q.top5_with_open_files)} |`,
  `| keystroke savings | ${pct(q.keystroke_savings)} | **${pct(q.keystroke_savings_with_open_files)}** |`,
  '',
];
if (s.ghost_p50_ms !== undefined) {
  lines.push(
    `Speed, medians on a shared machine (\`next-token bench ghost --model ${id} --file ${GHOST_FILE}\`:`,
    'typing the file key by key through the suggestion cache and the engine worker' + (entry.kind === 'transformer' ? `; \`next-token bench engine --model ${id} --no-ort\`):` : '):'),
    '',
    '| | |',
    '|---|---|',
    `| time to ghost text, all keystrokes | p50 ${s.ghost_p50_ms} ms, p95 ${s.ghost_p95_ms} ms (${Math.round((s.typed_through_share ?? 0) * 100)}% answered from the suggestion being typed through) |`,
    `| time to ghost text when the model runs | p50 ${s.model_p50_ms} ms |`,
  );
  if (s.decode_ms_per_token_ctx128 !== undefined) {
    lines.push(
      `| decode per token (WebAssembly SIMD kernels) | ${s.decode_ms_per_token_ctx16} ms at 16 tokens of context, ${s.decode_ms_per_token_ctx128} ms at 128, ${s.decode_ms_per_token_ctx_max} ms at ${s.prefill_tokens} |`,
      `| prefill of the whole window (${s.prefill_tokens} tokens) | ${s.prefill_window_ms} ms |`,
      `| load | ${s.load_ms} ms |`,
    );
  }
  lines.push('');
}
lines.push('<!-- measured:end -->');
const section = lines.join('\n');
let card = fs.readFileSync(cardFile, 'utf8');
const begin = card.indexOf('<!-- measured:begin');
const end = card.indexOf('<!-- measured:end -->');
if (begin >= 0 && end > begin) card = card.slice(0, begin) + section + card.slice(end + '<!-- measured:end -->'.length);
else {
  // First run on a card without markers: the old hand-written section is replaced.
  const old = card.search(/^## Measured in the extension/m);
  if (old < 0) throw new Error(`${cardFile} has neither the markers nor a "## Measured in the extension" section`);
  const next = card.slice(old + 3).search(/^## /m);
  card = card.slice(0, old) + section + '\n\n' + (next < 0 ? '' : card.slice(old + 3 + next));
}
fs.writeFileSync(cardFile, card);
console.log(JSON.stringify({ id, quality, speed }));
