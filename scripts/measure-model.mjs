#!/usr/bin/env node
// Measures a bundled model the way the model cards report it and writes the figures into
// models/index.json and the card's "Measured in the extension" section (between the
// `<!-- measured:begin -->` and `<!-- measured:end -->` markers), so no card carries a
// figure that this script did not produce.
//
//   npm run build && node scripts/measure-model.mjs <id> [--quality] [--speed]
//
// --quality: `next-token eval` on the 60-file validation sample and on the foreign set
//            (eval/foreign: other projects and styles, CRLF and tabs as distributed), each
//            as shipped, with `--cache` (learning from the open file) and with `--cache
//            --project` (learning from the workspace too: each package is a project);
//            deterministic, any machine load.
// --speed:   `bench ghost` and, for transformers, `bench engine --no-ort`; run these with
//            nothing else busy (pause training: kill -STOP).
// Neither flag: both. Figures of the part not measured are kept from index.json.
// --no-keystrokes [--foreign-only | --validation-only]: for a model too slow to simulate typing
//            on both sets within a session (gpt-code-small: about 2.5 times tiny's time a
//            token, some 25 minutes per foreign-set run on a shared core): bits per byte and
//            accuracy in the three settings, of one set or both;
//            the other set's figures and every keystroke figure are kept from index.json (the
//            card shows — where there is none).
// --keystrokes SET:SETTING,... (sets validation, foreign; settings shipped, open, workspace):
//            simulate typing only there, e.g. `--keystrokes foreign:shipped,foreign:open` for
//            the foreign set as shipped and with the open file; everywhere else bits per byte
//            and accuracy only, and the keystroke figures there are removed from index.json
//            (a retrained model must not show its predecessor's).
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
const foreignOnly = args.includes('--foreign-only');
const validationOnly = args.includes('--validation-only');
const keystrokes = !args.includes('--no-keystrokes');
const keystrokesAt = (() => {
  const i = args.indexOf('--keystrokes');
  return i >= 0 ? new Set(args[i + 1].split(',')) : undefined;
})();
/** Whether typing is simulated for this set and setting. */
const simulate = (set, setting) => (keystrokesAt ? keystrokesAt.has(`${set}:${setting}`) : keystrokes);
const KEYSTROKE_KEYS = ['keystroke_savings', 'keystroke_savings_whole', 'keystroke_savings_word'];
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

const FOREIGN = path.join('eval', 'foreign', 'files');
const FOREIGN_ARGS = ['--max-bytes', '20000', '--keystroke-bytes', '600'];
/** The package folders of a set (two levels for @scope/name): the projects of `--project`. */
const projects = (dir) => fs.readdirSync(path.join(root, dir)).sort().flatMap((name) => name.startsWith('@')
  ? fs.readdirSync(path.join(root, dir, name)).sort().map((n) => path.join(dir, name, n))
  : [path.join(dir, name)]);

/** The figures of one eval run under a name suffix ('' as shipped, '_with_open_files', '_with_workspace'). */
function figures(r, suffix) {
  const by = r.keystrokeSavingsByStyle;
  return {
    [`eval_bpb${suffix}`]: round(r.bpb, 3),
    [`top1${suffix}`]: round(r.top1, 3),
    [`top5${suffix}`]: round(r.top5, 3),
    ...(by ? {
      [`keystroke_savings${suffix}`]: round(r.keystrokeSavings, 3),
      [`keystroke_savings_whole${suffix}`]: round(by.whole, 3),
      [`keystroke_savings_word${suffix}`]: round(by.word, 3),
    } : {}),
    [`files_better_than_xz${suffix}`]: r.filesBetterThanXz,
    [`median_file_bpb${suffix}`]: round(median(r.perFile.map((f) => f.bpb)), 3),
    // The target is "<= 1.3 bits per byte file by file": how many files reach it.
    [`files_at_most_1_3_bpb${suffix}`]: r.perFile.filter((f) => f.bpb <= 1.3).length,
  };
}

/** One set in the three settings, two processes at a time (one per core). */
async function measureSet(set, setArgs, dir, before = {}) {
  const args = (setting) => (simulate(set, setting) ? setArgs : [...setArgs, '--no-keystrokes']);
  const plain = run('eval', '--model', id, ...args('shipped'), dir);
  const open = run('eval', '--model', id, '--cache', ...args('open'), dir);
  const [a, b] = await Promise.all([plain, open]);
  const c = await run('eval', '--model', id, '--cache', '--project', ...args('workspace'), ...projects(dir));
  const result = {
    ...before,
    files: a.files, bytes: a.bytes, tokens: a.tokens, xz_bpb: round(a.xzBpb, 3), crlf_files: a.crlfFiles,
    ...figures(a, ''), ...figures(b, '_with_open_files'), ...figures(c, '_with_workspace'),
  };
  if (keystrokesAt) {
    for (const [setting, suffix] of [['shipped', ''], ['open', '_with_open_files'], ['workspace', '_with_workspace']]) {
      if (!simulate(set, setting)) for (const k of KEYSTROKE_KEYS) delete result[k + suffix];
    }
  }
  return result;
}

const quality = { ...entry.quality };
const speed = { ...entry.speed };
if (doQuality) {
  if (!foreignOnly) {
    console.error(`${id}: eval on the validation sample: as shipped, learning from the open file, and from the workspace ...`);
    Object.assign(quality, await measureSet('validation', EVAL_ARGS, VAL, quality));
  }
  if (!validationOnly) {
    console.error(`${id}: eval on the foreign set ...`);
    quality.foreign = await measureSet('foreign', FOREIGN_ARGS, FOREIGN, quality.foreign);
  }
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
// Written into the index as it is now, not as it was read at the start: a run takes up to half
// an hour, and another model's run may have written its figures meanwhile.
const latest = JSON.parse(fs.readFileSync(indexFile, 'utf8'));
const slot = latest.models.findIndex((m) => m.id === id);
if (slot < 0) throw new Error(`${id} was removed from models/index.json while it was measured`);
latest.models[slot] = { ...latest.models[slot], quality, speed };
fs.writeFileSync(indexFile, JSON.stringify(latest, null, 2) + '\n');

const pct = (x) => (x === undefined ? '—' : `${(x * 100).toFixed(1)}%`);
const num = (x, d = 3) => (x === undefined ? '—' : x.toFixed(d));
const q = quality;
const s = speed;
const f = q.foreign ?? {};
/** One table: a set in the three settings. */
const table = (t) => [
  '| measure | as shipped | learning from the open file (`--cache`) | and from the workspace (`--cache --project`) |',
  '|---|---|---|---|',
  `| bits per byte (xz -9e file by file: ${num(t.xz_bpb)}) | ${num(t.eval_bpb)} (better than xz on ${t.files_better_than_xz} of ${t.files} files) | ${num(t.eval_bpb_with_open_files)} (${t.files_better_than_xz_with_open_files} of ${t.files}) | **${num(t.eval_bpb_with_workspace)}** (${t.files_better_than_xz_with_workspace} of ${t.files}) |`,
  `| files at or below 1.3 bits per byte (median file) | ${t.files_at_most_1_3_bpb} of ${t.files} (${num(t.median_file_bpb)}) | ${t.files_at_most_1_3_bpb_with_open_files} of ${t.files} (${num(t.median_file_bpb_with_open_files)}) | ${t.files_at_most_1_3_bpb_with_workspace} of ${t.files} (${num(t.median_file_bpb_with_workspace)}) |`,
  `| top-1 / top-5 next-token accuracy | ${pct(t.top1)} / ${pct(t.top5)} | ${pct(t.top1_with_open_files)} / ${pct(t.top5_with_open_files)} | ${pct(t.top1_with_workspace)} / ${pct(t.top5_with_workspace)} |`,
  `| keystroke savings, accepting the longest correct prefix | ${pct(t.keystroke_savings)} | ${pct(t.keystroke_savings_with_open_files)} | **${pct(t.keystroke_savings_with_workspace)}** |`,
  `| keystroke savings, word by word (Ctrl+Right) | ${pct(t.keystroke_savings_word)} | ${pct(t.keystroke_savings_word_with_open_files)} | ${pct(t.keystroke_savings_word_with_workspace)} |`,
  `| keystroke savings, whole suggestions only (Tab) | ${pct(t.keystroke_savings_whole)} | ${pct(t.keystroke_savings_whole_with_open_files)} | ${pct(t.keystroke_savings_whole_with_workspace)} |`,
];
const lines = [
  '<!-- measured:begin (written by scripts/measure-model.mjs; do not edit by hand) -->',
  '## Measured in the extension (TypeScript engine, this machine: 2 shared cores)',
  '',
  'Two sets: **validation**, held-out packages like the training data, and the **foreign set**',
  `(\`eval/foreign\`: ${f.files ?? '—'} files from 17 other projects, byte for byte as published: ${f.crlf_files ?? '—'} with CRLF line endings, many`,
  'tab-indented or 4-space; read with LF line endings, as the extension reads them). At most 20 KB',
  'of each file, typing simulated over its first 600 characters. "Learning from the open file" is the',
  'cache the extension mixes in (`nextToken.adaptToOpenFiles`), measured causally: each token joins',
  'it only after it was scored, each typed line only when finished. "And from the workspace" adds',
  "the other files of the file's package, counted as the extension counts a workspace",
  '(`nextToken.adaptToWorkspace`: its imports first, up to 250,000 tokens). Keystroke savings three',
  'ways: a user who takes the longest correct prefix with one key (DESIGN.md), one who accepts word',
  'by word while the words are right, one key each, and one who only accepts a suggestion that is',
  'right to its end (with single-line ghost text, accepting line by line is the same).',
  '',
  `    node dist/cli.js eval --model ${id} [--cache [--project]] ${EVAL_ARGS.join(' ')} ${VAL}`,
  `    node dist/cli.js eval --model ${id} [--cache [--project]] ${FOREIGN_ARGS.join(' ')} ${FOREIGN}`,
  '',
  `Validation (${q.files} files, ${q.bytes?.toLocaleString('en-US')} bytes, ${q.tokens?.toLocaleString('en-US')} tokens):`,
  '',
  ...table(q),
  '',
  `Foreign set (${f.files ?? '—'} files, ${f.bytes?.toLocaleString('en-US') ?? '—'} bytes, ${f.tokens?.toLocaleString('en-US') ?? '—'} tokens):`,
  '',
  ...table(f),
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
