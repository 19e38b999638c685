/**
 * The real SmolLM2-135M-Instruct Q4_1 file (cached at set-up by scripts/fetch-smollm2.sh)
 * in our engine against llama.cpp on the same token ids: a code prompt and an English one,
 * the next-token probabilities after the prompt within a tolerance, and the same greedy
 * continuation. Also: what loading it costs in memory (weights stay packed, never F32: at
 * most 1.3x the file plus the KV cache).
 *
 * Tolerance: max |p_ours - p_llama.cpp| <= 0.15 at every step (measured 0.03 to 0.09; logits
 * differ by up to ~1.5 on a range of +-30). Our kernels agree with llama.cpp to 1e-6 on random models of
 * this shape when the arithmetic before each product is bit for bit the same; on SmolLM2's
 * weights some is not (ggml's own exp and SiLU, summation orders), and one last-bit
 * difference moves an activation across an int8 rounding boundary of the next product
 * (making the first layer's Q/K/V weights F32 in a one-layer copy of the file makes the
 * two agree to 1e-5). Greedy tokens must be identical, except where our two candidates are
 * within the tolerance of each other (then we follow llama.cpp's token).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import type { Token } from 'node-llama-cpp';
import { readGguf } from '../../src/engine/gguf';
import { ggufTokenizer } from '../../src/engine/ggufTokenizer';
import { modelFromGguf } from '../../src/engine/loadGguf';
import { llamaCpp, smollm2 } from './ggufFixtures';

const TOLERANCE = 0.15;
const GREEDY = 16;
const PROMPTS = [
  'def fibonacci(n):\n    if n < 2:\n        return n\n    return',
  'The capital of France is Paris. The capital of Germany is',
];

const fixture = smollm2();

/**
 * What loading costs, measured in a fresh process (node --expose-gc) so nothing else moves
 * its resident size: read the file, build the model, let the file's buffer go (the SIMD
 * kernels' memory holds a copy of the packed weights; the TypeScript kernels would keep
 * views of it instead), collect, and take the growth of the resident set.
 */
function loadedMemory(file: string): { rss: number; fileBytes: number; kvBytes: number; backend: string } {
  const engine = path.join(__dirname, '..', '..', 'src', 'engine');
  const script = `
    const fs = require('fs');
    const { readGguf } = require(${JSON.stringify(path.join(engine, 'gguf.js'))});
    const { ggufTokenizer } = require(${JSON.stringify(path.join(engine, 'ggufTokenizer.js'))});
    const { modelFromGguf } = require(${JSON.stringify(path.join(engine, 'loadGguf.js'))});
    gc();
    const before = process.memoryUsage().rss;
    let fileBytes = 0;
    // The file's bytes live only inside this call.
    function load() {
      const bytes = new Uint8Array(fs.readFileSync(process.argv[2]));
      fileBytes = bytes.length;
      const gguf = readGguf(bytes, 'model.gguf');
      return modelFromGguf(gguf, ggufTokenizer(gguf), 'model.gguf');
    }
    const model = load();
    process.memoryUsage();
    gc(); gc();
    model.predict([1, 2, 3]);
    const c = model.spec;
    process.stdout.write(JSON.stringify({ rss: process.memoryUsage().rss - before, fileBytes, backend: model.backend,
      kvBytes: 2 * c.layers * c.contextLength * c.kvHeads * c.headDim * 4 }));`;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gguf-memory-'));
  try {
    fs.writeFileSync(path.join(dir, 'measure.js'), script);
    return JSON.parse(execFileSync(process.execPath, ['--expose-gc', path.join(dir, 'measure.js'), file], { encoding: 'utf8' }));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function argmax(p: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < p.length; i++) if (p[i] > p[best]) best = i;
  return best;
}

function softmax(logits: Map<number, number>, vocab: number): Float64Array {
  const p = new Float64Array(vocab);
  let max = -Infinity;
  for (const v of logits.values()) max = Math.max(max, v);
  let sum = 0;
  for (const [k, v] of logits) sum += p[k] = Math.exp(v - max);
  for (let k = 0; k < vocab; k++) p[k] /= sum;
  return p;
}

test('SmolLM2-135M Q4_1: memory stays near the file size, and predictions agree with llama.cpp on code and English', { skip: fixture.skip, timeout: 240_000 }, async () => {
  const file = fixture.path!;
  const memory = loadedMemory(file);
  console.log(`SmolLM2: file ${(memory.fileBytes / 1e6).toFixed(1)} MB; resident after loading and one prediction ${(memory.rss / 1e6).toFixed(1)} MB (${(memory.rss / memory.fileBytes).toFixed(2)}x the file, with the touched part of its ${(memory.kvBytes / 1e6).toFixed(1)} MB KV cache), ${memory.backend} kernels`);
  assert.ok(memory.rss <= 1.3 * memory.fileBytes + memory.kvBytes, `resident ${memory.rss} > 1.3 x ${memory.fileBytes} + ${memory.kvBytes}`);

  const buffer = fs.readFileSync(file);
  const bytes = new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  const gguf = readGguf(bytes, file);
  const model = modelFromGguf(gguf, ggufTokenizer(gguf), file, { fileBytes: bytes.length });
  assert.equal(model.info.gguf?.architecture, 'llama');
  assert.equal(model.info.gguf?.fileType, 'Q4_1');
  assert.equal(model.info.contextLength, 2048, 'the 8192 of the metadata, capped for the editor');
  assert.equal(model.info.parameters, 134_515_008);
  assert.equal(model.bosTokenId, undefined, 'SmolLM2 says add_bos_token = false');

  const llama = await llamaCpp();
  const reference = await llama.loadModel({ modelPath: file });
  try {
    const context = await reference.createContext({
      contextSize: 128,
      threads: 1,
      flashAttention: false,
      experimentalKvCacheKeyType: 'F32',
      experimentalKvCacheValueType: 'F32',
    });
    const L = model.info.vocabSize;
    const sequence = context.getSequence();
    for (const prompt of PROMPTS) {
      const ids = model.tokenizer.encode(prompt);
      assert.deepEqual(ids, [...reference.tokenize(prompt)], 'the same tokens as llama.cpp');
      const evaluated = await sequence.controlledEvaluate(ids.map((t, i) => (i === ids.length - 1 ? [t as Token, { generateNext: { logits: true } }] : t as Token)));
      let theirs = softmax(evaluated[ids.length - 1]!.next.logits!, L);
      const tokens: number[] = [...ids];
      const mine: number[] = [];
      let worstAll = 0;
      const followed: number[] = [];
      for (let step = 0; step < GREEDY; step++) {
        const p = model.predict(tokens).probs;
        let worst = 0;
        for (let k = 0; k < L; k++) worst = Math.max(worst, Math.abs(p[k] - theirs[k]));
        worstAll = Math.max(worstAll, worst);
        assert.ok(worst <= TOLERANCE, `${JSON.stringify(prompt)} step ${step}: max |dp| ${worst}`);
        const ours = argmax(p);
        const next = argmax(theirs) as number;
        assert.ok(ours === next || p[ours] - p[next] <= TOLERANCE, `${JSON.stringify(prompt)} step ${step}: ours ${ours} vs llama.cpp ${next}`);
        mine.push(ours);
        followed.push(next);
        tokens.push(next);
        if (step < GREEDY - 1) {
          const [o] = await sequence.controlledEvaluate([[next as Token, { generateNext: { logits: true } }]]);
          theirs = softmax(o!.next.logits!, L);
        }
      }
      console.log(`${JSON.stringify(prompt)} -> ${JSON.stringify(model.tokenizer.decode(followed))} (${mine.filter((t, i) => t === followed[i]).length}/${GREEDY} greedy tokens identical, max |dp| ${worstAll.toFixed(4)})`);
      await sequence.clearHistory();
    }
    await context.dispose();
  } finally {
    await reference.dispose();
  }
});
