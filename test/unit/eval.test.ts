import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { test } from 'node:test';
import { scoreText, simulateTyping } from '../../src/eval/evaluate';
import { loadModelFolder } from '../../src/node/modelFolder';
import { ROOT } from './helpers';

const toy = () => loadModelFolder(path.join(ROOT, 'models', 'toy-dogspeak'));

test('cross-entropy of the seed sentence under the toy model, by hand', () => {
  const s = scoreText(toy(), '我 刚才 跑步,我 现在 吃饭');
  // 我: 1/3 (unigram), 刚才|我: 1/2, 跑步|我 刚才: 1/3, 我: 1, 现在: 1, 吃饭|跑步 我 现在: 0.6
  const expected = Math.log2(3) + 1 + Math.log2(3) + 0 + 0 - Math.log2(0.6);
  assert.equal(s.tokens, 6);
  assert.ok(Math.abs(s.bits - expected) < 1e-4, `${s.bits} vs ${expected}`);
  assert.equal(s.top1, 6, 'every token is (jointly) the most probable: a tie counts as rank 1');
});

test('keystroke simulation accepts the longest matching prefix with one key', () => {
  const k = simulateTyping(toy(), '我 刚才 跑步,我 现在 吃饭');
  assert.ok(k.keys < k.chars, `${k.keys} keys for ${k.chars} characters`);
  assert.ok(k.accepted > 0);
});

test('next-token eval --json prints the documented fields', () => {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'dist', 'cli.js'), 'eval', '--json', '--model', 'toy-dogspeak', path.join(ROOT, 'training', 'toy-dogspeak', 'corpus.txt')], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  for (const key of ['bpb', 'top1', 'top5', 'keystrokeSavings', 'xzBpb', 'bytes', 'files']) assert.ok(key in out, key);
  assert.equal(out.files, 1);
  assert.ok(out.bpb > 0 && out.bpb < 8);
});

test('the cache model learns a new identifier from the text typed so far', () => {
  const { CacheCounts, CachedModel, loadModel } = require('../../src/engine') as typeof import('../../src/engine');
  const { randomGptFiles } = require('./randomGpt') as typeof import('./randomGpt');
  const base = loadModel(randomGptFiles({ positions: 128 }));
  const text = 'zqx = 1\nzqx = 1\nzqx = 1\nzqx = 1\nzqx = 1\n';
  const plain = scoreText(base, text);
  const cached = scoreText(base, text, true);
  assert.ok(cached.bits < plain.bits * 0.7, `the cache lowers the cross-entropy: ${cached.bits} vs ${plain.bits}`);
  // Counts can be replaced and removed without leaving traces.
  const cache = new CacheCounts(3);
  cache.setDocument('a', [1, 2, 3, 1, 2, 3]);
  cache.setDocument('a', [4, 5]);
  for (const k of [2, 3]) assert.equal(cache.row([1, 2], k), undefined, 'only unigrams of the new text remain');
  assert.ok(cache.row([1, 2], 1));
  assert.equal(cache.row([4], 2)?.row.get(5), 1);
  cache.removeDocument('a');
  assert.equal(cache.tokenCount, 0);
  const model = new CachedModel(base, cache);
  const p = model.predict([0, 1, 2]).probs;
  assert.ok(Math.abs(p.reduce((a, b) => a + b, 0) - 1) < 1e-4);
});
