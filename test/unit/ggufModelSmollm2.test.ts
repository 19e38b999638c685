/**
 * The real SmolLM2-135M-Instruct Q4_1 file (cached at set-up by scripts/fetch-smollm2.sh)
 * in our engine against llama.cpp on the same token ids: a code prompt and an English one,
 * the next-token probabilities after the prompt within a tolerance, and the same greedy
 * continuation. Also: what loading it costs in memory (weights stay the file's packed
 * bytes: at most 1.3x the file plus the KV cache).
 *
 * Tolerance: max |p_ours - p_llama.cpp| <= 0.1 at every step (measured up to 0.06; logits
 * differ by up to ~1.5 on a range of +-30). Our kernels agree with llama.cpp to 1e-6 on random models of
 * this shape; on SmolLM2's own weights its first layers' Q/K/V products differ (making
 * those three F32 in a copy of the file makes the two agree to 1e-5), a difference we
 * have not traced. Greedy tokens must be identical, except where our two candidates are
 * within the tolerance of each other (then we follow llama.cpp's token).
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { test } from 'node:test';
import type { Token } from 'node-llama-cpp';
import { readGguf } from '../../src/engine/gguf';
import { ggufTokenizer } from '../../src/engine/ggufTokenizer';
import { modelFromGguf } from '../../src/engine/loadGguf';
import { llamaCpp, smollm2 } from './ggufFixtures';

const TOLERANCE = 0.1;
const GREEDY = 16;
const PROMPTS = [
  'def fibonacci(n):\n    if n < 2:\n        return n\n    return',
  'The capital of France is Paris. The capital of Germany is',
];

const fixture = smollm2();

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
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const before = process.memoryUsage();
  const buffer = fs.readFileSync(file);
  const bytes = new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  const gguf = readGguf(bytes, file);
  const model = modelFromGguf(gguf, ggufTokenizer(gguf), file, { fileBytes: bytes.length });
  gc?.();
  const after = process.memoryUsage();
  const c = model.spec;
  const kvBytes = 2 * c.layers * c.contextLength * c.kvHeads * c.headDim * 4;
  // The file's bytes are off the V8 heap (arrayBuffers); everything else the model made is counted too.
  const resident = after.arrayBuffers - before.arrayBuffers + Math.max(0, after.heapUsed - before.heapUsed);
  const ratio = (resident - kvBytes) / bytes.length;
  console.log(`SmolLM2: file ${(bytes.length / 1e6).toFixed(1)} MB, resident ${(resident / 1e6).toFixed(1)} MB of which KV cache ${(kvBytes / 1e6).toFixed(1)} MB: ${ratio.toFixed(3)}x the file besides the cache`);
  assert.ok(ratio <= 1.3, `${ratio.toFixed(3)}x the file size besides the KV cache`);

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
