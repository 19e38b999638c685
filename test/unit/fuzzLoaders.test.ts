// Mutated model folders: every case must end in a typed ModelError (or load fine), fast,
// never a crash, a hang or a runaway allocation. Prints how many cases ran and how they ended.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { isModelError, loadModel, predictText, Rng, type ModelFiles } from '../../src/engine';
import { ROOT } from './helpers';
import { randomGptFiles } from './randomGpt';

function mutateBytes(bytes: Uint8Array, rng: Rng): Uint8Array {
  const out = bytes.slice();
  const kind = Math.floor(rng.next() * 5);
  if (kind === 0) {
    // bit flips anywhere
    for (let i = 0, n = 1 + Math.floor(rng.next() * 8); i < n; i++) out[Math.floor(rng.next() * out.length)] ^= 1 << Math.floor(rng.next() * 8);
    return out;
  }
  if (kind === 1) return out.subarray(0, Math.floor(rng.next() * out.length)); // truncation
  if (kind === 2) {
    // header length field set to something absurd
    const v = new DataView(out.buffer);
    v.setBigUint64(0, BigInt(Math.floor(rng.next() * 2 ** 40)), true);
    return out;
  }
  if (kind === 3) {
    // flips inside the JSON header (offsets, shapes, dtypes)
    const headerLength = Number(new DataView(out.buffer).getBigUint64(0, true));
    for (let i = 0; i < 3; i++) out[8 + Math.floor(rng.next() * headerLength)] = '0123456789[]{}",:FIU'.charCodeAt(Math.floor(rng.next() * 20));
    return out;
  }
  return out.subarray(0, 8 + Math.floor(rng.next() * 64)); // header cut short
}

function mutateJson(text: string, rng: Rng): string {
  const kind = Math.floor(rng.next() * 4);
  if (kind === 0) return text.slice(0, Math.floor(rng.next() * text.length));
  if (kind === 1) {
    const chars = text.split('');
    for (let i = 0; i < 3; i++) chars[Math.floor(rng.next() * chars.length)] = '0-9"{}[],:x '.charAt(Math.floor(rng.next() * 12));
    return chars.join('');
  }
  if (kind === 2) {
    // a value replaced by a wrong type or an extreme number
    const json = JSON.parse(text);
    const keys = Object.keys(json);
    const key = keys[Math.floor(rng.next() * keys.length)];
    const values = [null, -1, 0, 1e12, 'x', [], {}, 2.5, true];
    json[key] = values[Math.floor(rng.next() * values.length)];
    return JSON.stringify(json);
  }
  return JSON.stringify({});
}

function runCases(name: string, base: ModelFiles, cases: number, seed: number): Record<string, number> {
  const rng = new Rng(seed);
  const outcomes: Record<string, number> = {};
  let slowest = 0;
  for (let i = 0; i < cases; i++) {
    const which = Math.floor(rng.next() * 3);
    const files: ModelFiles = {
      config: which === 0 ? mutateJson(base.config, rng) : base.config,
      tokenizer: which === 1 ? mutateJson(base.tokenizer, rng) : base.tokenizer,
      weights: which === 2 ? mutateBytes(base.weights, rng) : base.weights,
    };
    const started = performance.now();
    let outcome: string;
    try {
      const model = loadModel(files, name, { maxBytes: 64 * 1024 * 1024 });
      predictText(model, 'function f(x) { return 我 刚才; }'); // a loaded model must also run
      outcome = 'loaded';
    } catch (e) {
      if (!isModelError(e)) throw new Error(`case ${i}: not a ModelError: ${(e as Error)?.stack ?? e}`);
      assert.ok(e.message.includes(name), `case ${i}: the message names the model: ${e.message}`);
      outcome = e.code;
    }
    slowest = Math.max(slowest, performance.now() - started);
    outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
  }
  assert.ok(slowest < 2000, `every case ends quickly (slowest ${slowest.toFixed(0)} ms)`);
  console.log(`fuzz ${name}: ${cases} cases, slowest ${slowest.toFixed(1)} ms: ${JSON.stringify(outcomes)}`);
  return outcomes;
}

test('fuzzed transformer folders end in typed errors', () => {
  const files = randomGptFiles({ vocab: 300, embd: 16, positions: 16 });
  const outcomes = runCases('gpt-random', files, 1500, 11);
  assert.ok(Object.keys(outcomes).length >= 4, 'the mutations reach several kinds of error');
});

test('fuzzed n-gram folders end in typed errors', () => {
  const dir = path.join(ROOT, 'models', 'toy-dogspeak');
  const files: ModelFiles = {
    config: fs.readFileSync(path.join(dir, 'config.json'), 'utf8'),
    tokenizer: fs.readFileSync(path.join(dir, 'tokenizer.json'), 'utf8'),
    weights: new Uint8Array(fs.readFileSync(path.join(dir, 'model.safetensors'))),
  };
  runCases('toy-dogspeak', files, 1500, 12);
});
