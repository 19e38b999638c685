import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { test } from 'node:test';
import { ROOT } from './helpers';

const CLI = path.join(ROOT, 'dist', 'cli.js');
const run = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 30_000 });

test('next-token predict shows the toy model choosing 吃饭 with 0.6', () => {
  const r = run('predict', '--model', 'toy-dogspeak', '我 刚才 跑步,我 现在');
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.split('\n');
  assert.match(r.stdout, /N = 5: 我 #0 \| 刚才 #1 \| 跑步 #5 \| 我 #0 \| 现在 #2/);
  const top = lines.filter((l) => /^\s+\d+\s/.test(l));
  assert.match(top[0], /^\s+1\s+吃饭\s+#3\s+0\.6000/);
  assert.match(top[1], /^\s+2\s+睡觉\s+#4\s+0\.3000/);
  assert.match(top[2], /^\s+3\s+跑步\s+#5\s+0\.1000/);
});

test('--json output is machine readable', () => {
  const r = run('predict', '--model', 'toy-dogspeak', '--json', '--top', '3', '我 刚才 跑步,我 现在');
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.deepEqual(out.top.map((t: { text: string }) => t.text), ['吃饭', '睡觉', '跑步']);
  assert.deepEqual(out.shape, { N: 5, M: 0, layers: 0, heads: 0, L: 6 });
  const g = JSON.parse(run('generate', '--model', 'toy-dogspeak', '--json', '--max-tokens', '1', '我 刚才 跑步,我 现在').stdout);
  assert.equal(g.text, '吃饭');
});

test('bad arguments exit 2 with usage; bad models exit 1 with a clear message', () => {
  for (const args of [[], ['frobnicate'], ['predict', '--model'], ['predict', '--bogus', 'x'], ['predict', '--model', 'toy-dogspeak'], ['generate', '--model', 'toy-dogspeak', '--max-tokens', 'lots', 'x']]) {
    const r = run(...args);
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr + r.stdout, /usage:/);
  }
  const missing = run('predict', '--model', 'no-such-model', 'x');
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /neither a bundled model/);
  const folder = run('predict', '--model', path.join(ROOT, 'src'), 'x');
  assert.equal(folder.status, 1);
});

test('next-token bench engine --json measures a transformer', () => {
  const fs = require('node:fs') as typeof import('node:fs');
  const os = require('node:os') as typeof import('node:os');
  const { randomGptFiles } = require('./randomGpt') as typeof import('./randomGpt');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-'));
  try {
    const f = randomGptFiles({ embd: 32, vocab: 300, positions: 64 });
    fs.writeFileSync(path.join(dir, 'config.json'), f.config);
    fs.writeFileSync(path.join(dir, 'tokenizer.json'), f.tokenizer);
    fs.writeFileSync(path.join(dir, 'model.safetensors'), f.weights);
    const r = run('bench', 'engine', '--model', dir, '--json');
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.ok(out.decodeMsPerToken.ctx16 > 0 && out.prefill512Ms > 0 && out.machine.memoryGBps > 0);
    assert.equal(out.prefillTokens, 64, 'prefill is capped at the window');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('next-token bench engine --json runs a GGUF file against llama.cpp on the same file', () => {
  const fs = require('node:fs') as typeof import('node:fs');
  const os = require('node:os') as typeof import('node:os');
  const { randomGguf } = require('./ggufModelRandom') as typeof import('./ggufModelRandom');
  const { GgmlType } = require('../../src/engine/quant') as typeof import('../../src/engine/quant');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-gguf-'));
  try {
    const file = path.join(dir, 'random-q8_0.gguf');
    fs.writeFileSync(file, randomGguf({ type: GgmlType.Q8_0, width: 64, layers: 2, context: 64 }).bytes);
    // One round with llama.cpp at 1 and 2 threads: the figures' shape, not their precision.
    const r = spawnSync(process.execPath, [CLI, 'bench', 'engine', '--model', file, '--rounds', '1', '--json'], { encoding: 'utf8', timeout: 120_000 });
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.equal(out.llamaCppSkipped, undefined, 'node-llama-cpp is installed by the compile step');
    assert.deepEqual(out.llamaCpp.map((x: { threads: number }) => x.threads), [1, 2]);
    for (const k of ['ctx16', 'ctx128', 'ctxMax'] as const) {
      assert.ok(out.llamaCppDecodeMsPerToken[k] > 0 && out.ratioVsLlamaCpp[k] > 0, k);
      assert.ok(Math.abs(out.ratioVsLlamaCpp[k] - out.decodeMsPerToken[k] / out.llamaCppDecodeMsPerToken[k]) < 1e-9);
    }
    assert.ok(out.llamaCppPrefillMs.prefill512 > 0 && out.ratioVsLlamaCpp.prefill512 > 0);
    // The same file, the same ids: the two engines' logits agree (the Q8_0 activations of ours
    // and of llama.cpp round a little differently).
    for (const run of out.llamaCpp) assert.ok(Number.isFinite(run.outputMaxAbsDiff) && run.outputMaxAbsDiff < 0.5, `logit diff ${run.outputMaxAbsDiff}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('next-token bench ghost --json replays typing through the worker', () => {
  const r = run('bench', 'ghost', '--model', 'ngram-code', '--file', path.join(ROOT, 'sample-workspace', 'src', 'stats.py'), '--max-chars', '300', '--json');
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  for (const key of ['p50Ms', 'p95Ms', 'maxMs', 'tokensPerSecond']) assert.equal(typeof out[key], 'number', key);
  assert.equal(out.keystrokes, 300);
  assert.ok(out.p95Ms >= out.p50Ms);
});
