// The open-file cache: counts kept exact under incremental edits, the interpolated mix, and
// the worker mixing it into a transformer's vector and the panel's context chips.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CacheCounts, CachedModel, DEFAULT_CACHE_MIX, loadModel } from '../../src/engine';
import type { WorkerResponse } from '../../src/worker/protocol';
import { WorkerCore } from '../../src/worker/workerCore';
import { healedContext } from '../../src/worker/completionEngine';
import { healedVector, healingMask } from '../../src/worker/panelSuggestion';
import { randomGptFiles } from './randomGpt';

/**
 * Every table of a cache as sorted text, to compare two caches exactly (a context followed by
 * one token only is kept packed as one number; a fresh count must give the same form).
 */
function snapshot(cache: CacheCounts): string {
  const tables = (cache as unknown as { next: Map<number, Map<number, number> | number>[] }).next;
  const rows = (row: Map<number, number> | number) => (typeof row === 'number' ? `single ${row}` : [...row].sort((a, b) => a[0] - b[0]));
  return JSON.stringify(tables.map((t) => [...t].map(([k, row]) => [k, rows(row)]).sort()));
}

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

test('incremental document updates leave exactly the counts of a full recount', () => {
  const random = seeded(7);
  const cache = new CacheCounts(4);
  let tokens = Array.from({ length: 300 }, () => Math.floor(random() * 6));
  cache.setDocument('a', tokens);
  cache.setDocument('b', [1, 2, 3, 1, 2, 3]);
  for (let round = 0; round < 400; round++) {
    // Typing, deleting, pasting and replacing, anywhere (the start and the end included).
    const at = Math.floor(random() * (tokens.length + 1));
    const removed = Math.floor(random() * Math.min(8, tokens.length - at + 1));
    const inserted = Array.from({ length: Math.floor(random() * 8) }, () => Math.floor(random() * 6));
    tokens = [...tokens.slice(0, at), ...inserted, ...tokens.slice(at + removed)];
    cache.setDocument('a', tokens);
    const fresh = new CacheCounts(4);
    fresh.setDocument('a', tokens);
    fresh.setDocument('b', [1, 2, 3, 1, 2, 3]);
    assert.equal(snapshot(cache), snapshot(fresh), `round ${round}`);
  }
  cache.setDocument('a', []);
  cache.removeDocument('b');
  assert.equal(snapshot(cache), snapshot(new CacheCounts(4)), 'nothing is left behind');
});

test('the cache keeps a bounded number of tokens, dropping the documents updated longest ago', () => {
  const cache = new CacheCounts(3, 25);
  const doc = (seed: number) => Array.from({ length: 10 }, (_, i) => (seed * 7 + i * 3) % 11);
  cache.setDocument('a', doc(1));
  cache.setDocument('b', doc(2));
  cache.setDocument('c', doc(3));
  assert.deepEqual(cache.documentKeys, ['b', 'c'], 'a, the oldest, left');
  assert.equal(cache.tokenCount, 20);
  cache.append('b', [4]); // typing in b makes it the most recent
  cache.setDocument('d', doc(4));
  assert.deepEqual(cache.documentKeys, ['b', 'd'], 'c left, b stayed');
  const fresh = new CacheCounts(3, 1000);
  fresh.setDocument('b', [...doc(2), 4]);
  fresh.setDocument('d', doc(4));
  assert.equal(snapshot(cache), snapshot(fresh), 'the counts are exactly those of the documents kept');
  assert.equal(cache.tokenCount, 21);
  // One document over the budget alone is kept (the extension caps a document at 256 KB).
  cache.setDocument('huge', Array.from({ length: 50 }, (_, i) => i % 5));
  assert.deepEqual(cache.documentKeys, ['huge']);
});

test('the mix interpolates from the shortest matched context to the longest', () => {
  const base = loadModel(randomGptFiles({ positions: 64 }));
  const cache = new CacheCounts(4);
  cache.setDocument('doc', [5, 6, 7, 8, 5, 6, 7, 9]);
  const model = new CachedModel(base, cache);
  const context = [0, 5, 6, 7];
  const baseProbs = Float32Array.from(base.predict(context).probs);
  const p = model.predict(context);
  assert.ok(Math.abs(p.probs.reduce((a, b) => a + b, 0) - 1) < 1e-5, 'still a distribution');
  assert.equal(p.cache.order, 4, 'the last three tokens were seen');
  // By hand: orders 2, 3 and 4 all saw "7" followed by 8 once and 9 once (2 sightings, 2 kinds).
  const [l2, l3, l4] = DEFAULT_CACHE_MIX.lambdas;
  const w = (l: number) => (l * 2) / (2 + DEFAULT_CACHE_MIX.beta * 2);
  const keep = (1 - w(l2)) * (1 - w(l3)) * (1 - w(l4));
  assert.ok(Math.abs(p.cache.weight - (1 - keep)) < 1e-6);
  assert.ok(Math.abs(p.probs[8] - (keep * baseProbs[8] + (1 - keep) * 0.5)) < 1e-6);
  assert.ok(Math.abs(p.probs[3] - keep * baseProbs[3]) < 1e-6, 'unseen tokens keep their share of the model');
  assert.ok(Math.abs(model.mixOne(context, 9, baseProbs[9]) - p.probs[9]) < 1e-6, 'one token mixes as the whole vector does');
  // A last token never seen in the documents leaves the model's vector alone.
  const unseen = model.predict([0, 5, 6, 3]);
  assert.deepEqual(unseen.cache, { order: 0, weight: 0 });
  assert.deepEqual(Array.from(unseen.probs), Array.from(base.predict([0, 5, 6, 3]).probs));
});

test('the worker mixes the open documents into a transformer and says so in the prediction', async () => {
  const files = randomGptFiles({ positions: 128 });
  const posted: WorkerResponse[] = [];
  const tasks: (() => void)[] = [];
  const core = new WorkerCore({ post: (m) => posted.push(m), schedule: (task) => tasks.push(task) });
  const drain = async () => {
    while (tasks.length) {
      tasks.shift()!();
      await new Promise((r) => setImmediate(r));
    }
  };
  const text = 'the theer there the';
  // (One predict at a time: a newer one supersedes a queued one.)
  core.receive({ type: 'load', id: 1, folder: 'random', files });
  core.receive({ type: 'predict', id: 2, text, topK: 3, attention: false, contextChips: 8 });
  await drain();
  core.receive({ type: 'documents', id: 3, updates: [{ key: 'file:///a.ts', text: 'the theer the theer the theer' }], enabled: true });
  core.receive({ type: 'predict', id: 4, text, topK: 3, attention: false, contextChips: 8 });
  await drain();
  core.receive({ type: 'documents', id: 5, updates: [{ key: 'file:///a.ts', text: null }], enabled: true });
  core.receive({ type: 'predict', id: 6, text, topK: 3, attention: false, contextChips: 8 });
  await drain();
  const result = (id: number) => {
    const m = posted.find((r) => r.id === id);
    assert.ok(m?.type === 'prediction', JSON.stringify(m));
    return m.result;
  };
  assert.equal(result(2).cache, undefined, 'no documents: no cache');
  const mixed = result(4);
  assert.ok(mixed.cache && mixed.cache.order >= 2 && mixed.cache.weight > 0, JSON.stringify(mixed.cache));
  // Chips and vector come from the same mixed model as a direct prediction.
  const base = loadModel(files);
  const cache = new CacheCounts(4);
  cache.setDocument('a', base.tokenizer.encode('the theer the theer the theer'));
  const direct = new CachedModel(base, cache);
  // The panel shows the vector ghost text uses: the last token taken back (token healing),
  // its candidates renormalised.
  const tokens = [base.bosTokenId!, ...base.tokenizer.encode(text)];
  const healed = healedContext(base, text);
  assert.deepEqual(healed.context, tokens.slice(0, -1));
  assert.equal(healed.head, tokens[tokens.length - 1]);
  assert.equal(mixed.healing?.id, healed.head);
  tokens.pop();
  const expected = healedVector(direct.predict(tokens).probs, healingMask(base, healed.head!));
  for (let i = 0; i < expected.length; i++) assert.ok(Math.abs(mixed.probs[i] - expected[i]) < 1e-5, `probs[${i}]`);
  const offset = tokens.length - mixed.tokens.length;
  mixed.tokens.forEach((chip, i) => {
    const at = offset + i;
    if (at === 0) return;
    const want = direct.predict(tokens.slice(0, at)).probs[chip.id];
    assert.ok(chip.prob !== null && Math.abs(chip.prob - want) < 1e-5, `chip ${at}: ${chip.prob} vs ${want}`);
  });
  assert.equal(result(6).cache, undefined, 'the document closed: its counts are gone');
  assert.deepEqual(Array.from(result(6).probs), Array.from(result(2).probs));
});
