import assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import { loadModel } from '../../src/engine';
import { CompletionCache } from '../../src/completion/completionCache';
import { suffixAllowsSuggestion, trimAgainstSuffix } from '../../src/completion/suffix';
import { loadModelFolder, readModelFiles } from '../../src/node/modelFolder';
import { completeText, stopIndex } from '../../src/worker/completionEngine';
import type { WorkerResponse } from '../../src/worker/protocol';
import { WorkerCore } from '../../src/worker/workerCore';
import { ROOT } from './helpers';
import { randomGptFiles } from './randomGpt';

const options = { maxTokens: 12, multiline: false, timeBudgetMs: 1000, alternatives: 3, sampling: { temperature: 0, topK: 0, topP: 1 } };

test('toy model completes the seed sentence with its most probable words', () => {
  const toy = loadModelFolder(path.join(ROOT, 'models', 'toy-dogspeak'));
  const r = completeText(toy, '我 刚才 跑步,我 现在', { ...options, maxTokens: 1 });
  assert.deepEqual(r.items, ['吃饭', '睡觉', '跑步']);
});

test('suggestions are distinct, single-line, and stay within the token limit', () => {
  const model = loadModel(randomGptFiles({ positions: 64 }));
  const r = completeText(model, 'the number ', options);
  assert.ok(r.items.length >= 1);
  assert.equal(new Set(r.items).size, r.items.length);
  for (const item of r.items) {
    assert.ok(!item.includes('\n'));
    assert.ok(item.length <= options.maxTokens * 8, "no more than maxTokens tokens of text");
  }
  const healed = completeText(model, 'the numb', options);
  for (const item of healed.items) assert.ok(model.tokenizer.decode(model.tokenizer.encode('the numb' + item)).startsWith('the numb'));
});

test('stop rules: line end, or a blank line with multi-line', () => {
  assert.equal(stopIndex('abc\ndef', false), 3);
  assert.equal(stopIndex('abc\ndef\n\nx', true), 7);
  assert.equal(stopIndex('abc', true), -1);
});

test('text after the cursor: only closers allow ghost text, and they are never retyped', () => {
  assert.ok(suffixAllowsSuggestion(''));
  assert.ok(suffixAllowsSuggestion(');'));
  assert.ok(!suffixAllowsSuggestion('foo)'));
  assert.equal(trimAgainstSuffix('a, b);', ');'), 'a, b');
  assert.equal(trimAgainstSuffix('a, b) + 1', ')'), 'a, b');
  assert.equal(trimAgainstSuffix('x = 1', ''), 'x = 1');
});

test('the cache answers exact repeats and typed-through suggestions', () => {
  const cache = new CompletionCache(2);
  cache.store('m', 'const x', [' = 1;', ' = foo();']);
  assert.deepEqual(cache.lookup('m', 'const x'), [' = 1;', ' = foo();']);
  assert.deepEqual(cache.lookup('m', 'const x = f'), ['oo();']);
  assert.equal(cache.lookup('m', 'const x = g'), undefined);
  assert.equal(cache.lookup('other', 'const x'), undefined);
  cache.store('m', 'a', ['b']);
  cache.store('m', 'c', ['d']);
  assert.equal(cache.lookup('m', 'const x'), undefined, 'least recently used entries leave');
});

test('worker core: loads, answers, and lets a newer request supersede a queued one', async () => {
  const posted: WorkerResponse[] = [];
  const tasks: Array<() => void> = [];
  const core = new WorkerCore({
    post: (m) => posted.push(m),
    schedule: (task) => tasks.push(task),
  });
  const drain = async () => {
    while (tasks.length) {
      tasks.shift()!();
      await new Promise((r) => setImmediate(r));
    }
  };
  core.receive({ type: 'complete', id: 1, prefix: 'x', ...options });
  await drain();
  assert.equal(posted.find((m) => m.id === 1)?.type, 'error', 'no model yet: an error, not a crash');
  core.receive({ type: 'load', id: 2, folder: 'models/toy-dogspeak', files: readModelFiles(path.join(ROOT, 'models', 'toy-dogspeak')) });
  core.receive({ type: 'complete', id: 3, prefix: '我 刚才', ...options });
  core.receive({ type: 'complete', id: 4, prefix: '我 刚才 跑步,我 现在', ...options, maxTokens: 1 });
  core.receive({ type: 'predict', id: 5, text: '我 刚才 跑步,我 现在', topK: 3, attention: false, contextChips: 10 });
  await drain();
  assert.equal(posted.find((m) => m.id === 2)?.type, 'loaded');
  assert.equal(posted.find((m) => m.id === 3)?.type, 'cancelled');
  const done = posted.find((m) => m.id === 4);
  assert.ok(done?.type === 'completion');
  assert.equal(done.items[0], '吃饭');
  const prediction = posted.find((m) => m.id === 5);
  assert.ok(prediction?.type === 'prediction');
  assert.deepEqual(Array.from(prediction.result.probs).map((p) => Math.round(p * 10) / 10), [0, 0, 0, 0.6, 0.3, 0.1]);
  assert.deepEqual(prediction.result.top.map((t) => t.text), ['吃饭', '睡觉', '跑步']);
  assert.equal(prediction.result.tokens.length, 5);
  assert.equal(prediction.result.tokens[0].prob, null, 'the first token has no context to be predicted from');
  assert.ok(Math.abs(prediction.result.entropyBits - 1.2955) < 1e-3);
  const broken = readModelFiles(path.join(ROOT, 'models', 'toy-dogspeak'));
  core.receive({ type: 'load', id: 6, folder: 'broken', files: { ...broken, weights: broken.weights.subarray(0, 20) } });
  await drain();
  const failed = posted.find((m) => m.id === 6);
  assert.ok(failed?.type === 'error' && failed.code === 'bad-header' && failed.message.includes('broken'));
  // The previous model stays loaded after a failed load.
  core.receive({ type: 'complete', id: 7, prefix: '我 刚才 跑步,我 现在', ...options, maxTokens: 1 });
  await drain();
  const still = posted.find((m) => m.id === 7);
  assert.ok(still?.type === 'completion' && still.items[0] === '吃饭');
});

test('loops are cut to their first occurrence; rulers are not loops', () => {
  const { cutLoops } = require('../../src/worker/completionEngine') as typeof import('../../src/worker/completionEngine');
  assert.equal(cutLoops('../core/core/core/core'), '../core');
  assert.equal(cutLoops('effect/Effects/Effects/Effects'), 'effect/Effects');
  assert.equal(cutLoops('// ------------'), '// ------------');
  assert.equal(cutLoops('a = [1, 2, 3];'), 'a = [1, 2, 3];');
});
