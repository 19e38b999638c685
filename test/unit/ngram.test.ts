import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { buildTables, countSequence, newCounts, NgramModel, parseConfig, predictText, type NgramConfig } from '../../src/engine';
import { loadModelFolder } from '../../src/node/modelFolder';
import { ROOT } from './helpers';

const TOY = path.join(ROOT, 'models', 'toy-dogspeak');

test("toy-dogspeak gives the seed's vector [0, 0, 0, 0.6, 0.3, 0.1]", () => {
  const model = loadModelFolder(TOY);
  assert.equal(model.info.vocabSize, 6);
  assert.deepEqual([0, 1, 2, 3, 4, 5].map((id) => model.tokenizer.tokenText(id)), ['我', '刚才', '现在', '吃饭', '睡觉', '跑步']);
  const p = predictText(model, '我 刚才 跑步,我 现在');
  const expected = [0, 0, 0, 0.6, 0.3, 0.1];
  expected.forEach((v, i) => assert.ok(Math.abs(p.probs[i] - v) < 1e-7, `entry ${i}: ${p.probs[i]} != ${v}`));
  assert.equal(p.backoffOrder, 4);
  // P(next | 我) is split between 刚才 and 现在 in the pattern.
  const after = predictText(model, '我');
  assert.ok(Math.abs(after.probs[1] - 0.5) < 1e-7 && Math.abs(after.probs[2] - 0.5) < 1e-7);
});

test('the committed toy model is exactly what its corpus builds', () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'toy-'));
  try {
    const result = spawnSync(process.execPath, [
      path.join(ROOT, 'dist', 'cli.js'), 'build-ngram',
      '--tokenizer', path.join(TOY, 'tokenizer.json'), '--order', '4', '--smoothing', 'none', '--id', 'toy-dogspeak',
      '--out', out, path.join(ROOT, 'training', 'toy-dogspeak', 'corpus.txt'),
    ], { encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
    assert.ok(Buffer.compare(fs.readFileSync(path.join(out, 'model.safetensors')), fs.readFileSync(path.join(TOY, 'model.safetensors'))) === 0);
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
});

/** Interpolated Kneser-Ney written out with maps, straight from the formula. */
function bruteForceKn(sequences: number[][], order: number, L: number, discounts: number[], context: number[]): number[] {
  const grams = (k: number) => {
    const raw = new Map<string, number>();
    const left = new Map<string, Set<number>>();
    const start = new Set<string>();
    for (const s of sequences) for (let i = 0; i + k <= s.length; i++) {
      const key = s.slice(i, i + k).join(',');
      raw.set(key, (raw.get(key) ?? 0) + 1);
      if (i === 0) start.add(key);
      else (left.get(key) ?? left.set(key, new Set()).get(key)!).add(s[i - 1]);
    }
    const n = new Map<string, number>();
    for (const key of raw.keys()) n.set(key, k === order ? raw.get(key)! : (left.get(key)?.size ?? 0) + (start.has(key) ? 1 : 0));
    return n;
  };
  const uni = grams(1);
  const S = [...uni.values()].reduce((a, b) => a + b, 0);
  let p = Array.from({ length: L }, (_, w) => Math.max((uni.get(String(w)) ?? 0) - discounts[0], 0) / S + (discounts[0] * uni.size) / S / L);
  for (let k = 2; k <= Math.min(order, context.length + 1); k++) {
    const c = context.slice(context.length - (k - 1));
    const table = grams(k);
    const rows = [...table.entries()].filter(([key]) => key.split(',').slice(0, k - 1).join(',') === c.join(','));
    if (rows.length === 0) continue;
    const total = rows.reduce((a, [, v]) => a + v, 0);
    const gamma = (discounts[k - 1] * rows.length) / total;
    const next = p.map((v) => v * gamma);
    for (const [key, v] of rows) next[Number(key.split(',')[k - 1])] += Math.max(v - discounts[k - 1], 0) / total;
    p = next;
  }
  return p;
}

/** Skewed random token sequences over L = 12 ids (so some n-grams repeat), counted into order-4 Kneser-Ney tables. */
function randomKn(seed: number, count: number) {
  const L = 12;
  const order = 4;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const sequences = Array.from({ length: count }, () => Array.from({ length: 5 + Math.floor(rand() * 20) }, () => Math.floor(rand() * rand() * L)));
  const counts = newCounts(order);
  for (const s of sequences) countSequence(counts, s);
  return { L, order, sequences, ...buildTables(counts, 'kneser-ney') };
}

test('Kneser-Ney matches the formula written out, and sums to 1', () => {
  const { L, order, sequences, tables, discounts } = randomKn(5, 30);
  const config = parseConfig(JSON.stringify({ kind: 'ngram', id: 'kn', vocab_size: L, order, smoothing: 'kneser-ney', discounts })) as NgramConfig;
  const tokenizer = { kind: 'word', vocabSize: L } as never;
  const model = new NgramModel(config, tables, tokenizer);
  const contexts = [[], [1], [0, 0], [3, 1, 2], [0, 1, 2, 3, 4], [11, 11, 11], sequences[0].slice(0, 6)];
  for (const context of contexts) {
    const p = model.predict(context).probs;
    const expected = bruteForceKn(sequences, order, L, discounts, context);
    const sum = p.reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(sum - 1) < 1e-5, `sum ${sum}`);
    for (let w = 0; w < L; w++) assert.ok(Math.abs(p[w] - expected[w]) < 1e-6, `context ${context} token ${w}: ${p[w]} vs ${expected[w]}`);
    for (let w = 0; w < L; w++) assert.ok(p[w] > 0, 'smoothing leaves no zero');
  }
});

test('pruned Kneser-Ney tables take discounts up to their smallest count and still sum to 1; a larger one is refused', () => {
  const { L, order, sequences, tables } = randomKn(9, 200);
  // Prune as ngram.py does: orders 2..4 keep rows seen at least `least[k]` times.
  const least = [1, 3, 4, 5];
  const pruned = tables.map((t, k) => {
    const keep = Array.from(t.counts.keys()).filter((r) => t.counts[r] >= least[k]);
    return { ...t, tokens: Int32Array.from(keep.flatMap((r) => Array.from(t.tokens.subarray(r * (k + 1), (r + 1) * (k + 1))))), counts: Int32Array.from(keep.map((r) => t.counts[r])) };
  });
  const tokenizer = { kind: 'word', vocabSize: L } as never;
  // The discount of each order: its smallest stored count (at least the pruning threshold).
  const smallest = pruned.map((t) => Math.min(...t.counts));
  for (let k = 1; k < order; k++) assert.ok(smallest[k] >= least[k] && smallest[k] > 1);
  const discounts = [0.6, ...smallest.slice(1)];
  const config = parseConfig(JSON.stringify({ kind: 'ngram', id: 'kn', vocab_size: L, order, smoothing: 'kneser-ney', discounts })) as NgramConfig;
  const model = new NgramModel(config, pruned, tokenizer);
  for (const context of [[], [1], [0, 0], [3, 1, 2], [0, 1, 2, 3, 4], sequences[0].slice(0, 6), sequences[7].slice(0, 9)]) {
    const p = model.predict(context).probs;
    const sum = p.reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(sum - 1) < 1e-5, `context ${context}: sum ${sum}`);
    for (let w = 0; w < L; w++) assert.ok(p[w] > 0, 'smoothing leaves no zero');
  }
  const over = [...discounts];
  over[2] += 0.5;
  const tooLarge = parseConfig(JSON.stringify({ kind: 'ngram', id: 'kn', vocab_size: L, order, smoothing: 'kneser-ney', discounts: over })) as NgramConfig;
  const message = `discounts[2] = ${over[2]} is larger than the smallest count stored for order 3 (${smallest[2]})`;
  assert.throws(() => new NgramModel(tooLarge, pruned, tokenizer), (e: Error & { code?: string }) => e.code === 'bad-config' && e.message.includes(message));
  assert.throws(() => parseConfig(JSON.stringify({ kind: 'ngram', id: 'kn', vocab_size: L, order, smoothing: 'kneser-ney', discounts: [0.6, 0, 1, 1] })), /positive numbers/);
});

test('corrupt n-gram tables are typed errors', () => {
  const files = ['config.json', 'tokenizer.json', 'model.safetensors'];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'toy-bad-'));
  try {
    for (const f of files) fs.copyFileSync(path.join(TOY, f), path.join(dir, f));
    const config = JSON.parse(fs.readFileSync(path.join(TOY, 'config.json'), 'utf8'));
    fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ ...config, order: 5 }));
    assert.throws(() => loadModelFolder(dir), /missing-tensor|ngram\.5\.tokens/);
    fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ ...config, vocab_size: 3 }));
    assert.throws(() => loadModelFolder(dir), (e: Error & { code?: string }) => e.code === 'shape-mismatch' && e.message.includes(dir));
    fs.rmSync(path.join(dir, 'model.safetensors'));
    fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify(config));
    assert.throws(() => loadModelFolder(dir), (e: Error & { code?: string }) => e.code === 'missing-file' && e.message.includes('model.safetensors'));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
