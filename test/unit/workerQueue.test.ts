// The worker's request queue when a cancel arrives between scheduling a request and running
// it (typing fast under load): the worker must stay alive and answer the next request.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { WorkerResponse } from '../../src/worker/protocol';
import { WorkerCore } from '../../src/worker/workerCore';

test('a request cancelled before its scheduled turn does not crash the worker', async () => {
  const posted: WorkerResponse[] = [];
  const tasks: (() => void)[] = [];
  const core = new WorkerCore({ post: (m) => posted.push(m), schedule: (task) => tasks.push(task) });
  const options = { maxTokens: 4, multiline: false, timeBudgetMs: 1000, alternatives: 1, sampling: { temperature: 0, topK: 0, topP: 1 } };
  core.receive({ type: 'complete', id: 1, prefix: 'x', ...options });
  core.receive({ type: 'cancel', id: 1 });
  assert.equal(posted.find((m) => m.id === 1)?.type, 'cancelled');
  assert.equal(tasks.length, 1, 'the turn was scheduled before the cancel');
  assert.doesNotThrow(() => tasks.shift()!(), 'the turn finds an empty queue');
  core.receive({ type: 'complete', id: 2, prefix: 'x', ...options });
  while (tasks.length) {
    tasks.shift()!();
    await new Promise((r) => setImmediate(r));
  }
  assert.equal(posted.find((m) => m.id === 2)?.type, 'error', 'the next request is answered (no model loaded: an error)');
});

test('a background prefill fills the model cache for the next completion, and a keystroke supersedes one still waiting', async () => {
  const { randomGptFiles } = await import('./randomGpt');
  const posted: WorkerResponse[] = [];
  const tasks: (() => void)[] = [];
  const core = new WorkerCore({ post: (m) => posted.push(m), schedule: (task) => tasks.push(task) });
  const run = async () => {
    while (tasks.length) {
      tasks.shift()!();
      await new Promise((r) => setImmediate(r));
    }
  };
  const options = { maxTokens: 2, multiline: false, timeBudgetMs: 1000, alternatives: 1, sampling: { temperature: 0, topK: 0, topP: 1 } };
  core.receive({ type: 'load', id: 1, folder: 'random', files: randomGptFiles({ positions: 128 }) });
  await run();
  const prefix = 'function add(a, b) {\n  return a + b;\n}\n\nfunction sub(a, b) {\n  return ';
  core.receive({ type: 'prefill', id: 2, prefix });
  await run();
  const prefilled = posted.find((m) => m.id === 2);
  assert.ok(prefilled?.type === 'prefilled' && prefilled.computedTokens > 10, JSON.stringify(prefilled));
  core.receive({ type: 'complete', id: 3, prefix, ...options });
  await run();
  const completed = posted.find((m) => m.id === 3);
  assert.ok(completed?.type === 'completion' && completed.computedTokens <= options.maxTokens + 1, `the context was read already: ${JSON.stringify(completed)}`);
  // Still waiting in the queue, a prefill gives way to the keystroke that follows it.
  core.receive({ type: 'prefill', id: 4, prefix: prefix + 'a' });
  core.receive({ type: 'complete', id: 5, prefix: prefix + 'a -', ...options });
  await run();
  assert.equal(posted.find((m) => m.id === 4)?.type, 'cancelled');
  assert.equal(posted.find((m) => m.id === 5)?.type, 'completion');
});
