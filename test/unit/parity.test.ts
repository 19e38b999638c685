// The TypeScript engine against PyTorch: training/make_fixtures.py wrote a random-weight GPT in
// our layout (F32, F16, int8 and the Hugging Face Conv1D layout) and the reference logits
// for fixed prompts, including Unicode. Fixtures are committed; no torch is needed here.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { contextTokens, generate, GptModel } from '../../src/engine';
import { loadModelFolder } from '../../src/node/modelFolder';
import { ROOT } from './helpers';

interface Reference {
  prompts: Array<{ name: string; text: string; ids: number[]; input_ids: number[]; last_logits: Record<string, number[]>; greedy: Record<string, number[]> }>;
  all_positions: { prompt: string; logits: number[][] };
  attention: { prompt: string; layers: number[][][] };
}

const FIXTURES = path.join(ROOT, 'test', 'fixtures');
const reference = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'gpt-random', 'reference.json'), 'utf8')) as Reference;
/** Max abs difference allowed on logits (the reference is float64, rounded to 6 digits). */
const TOLERANCE = 1e-4;

const VARIANTS = [
  { folder: 'gpt-random', logits: 'f32' },
  { folder: 'gpt-random-f16', logits: 'f16' },
  { folder: 'gpt-random-int8', logits: 'int8' },
  { folder: 'gpt-random-hf', logits: 'f32' },
] as const;

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length);
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
  return d;
}

test('the TypeScript tokenizer gives the ids of the Python tokenizer for every prompt', () => {
  const model = loadModelFolder(path.join(FIXTURES, 'gpt-random'));
  for (const p of reference.prompts) {
    assert.deepEqual(model.tokenizer.encode(p.text), p.ids, p.name);
    assert.deepEqual(contextTokens(model, p.text), p.input_ids, `${p.name}: the context starts with the BOS token`);
    assert.equal(model.tokenizer.decode(p.ids), p.text, `${p.name} round-trips`);
  }
});

for (const backend of ['js', 'wasm'] as const) {
  for (const v of VARIANTS) {
    test(`${v.folder} (${backend} kernels): last-position logits within ${TOLERANCE} and identical 20-token greedy continuations`, () => {
      const model = loadModelFolder(path.join(FIXTURES, v.folder), { backend }) as GptModel;
      assert.equal(model.backend, backend);
      for (const p of reference.prompts) {
        model.reset();
        model.predict(p.input_ids);
        const diff = maxAbsDiff(model.lastLogits, p.last_logits[v.logits]);
        assert.ok(diff <= TOLERANCE, `${p.name}: max abs diff ${diff}`);
        const greedy = generate(model, p.input_ids, { maxTokens: 20 });
        assert.deepEqual(greedy.tokens, p.greedy[v.logits], `${p.name}: greedy continuation`);
      }
    });
  }

  test(`logits at every position and attention of the last position match (${backend} kernels)`, () => {
    const model = loadModelFolder(path.join(FIXTURES, 'gpt-random'), { backend }) as GptModel;
    const prompt = reference.prompts.find((p) => p.name === reference.all_positions.prompt)!;
    reference.all_positions.logits.forEach((expected, pos) => {
      model.reset();
      model.predict(prompt.input_ids.slice(0, pos + 1));
      assert.ok(maxAbsDiff(model.lastLogits, expected) <= TOLERANCE, `position ${pos}`);
    });
    const att = reference.prompts.find((p) => p.name === reference.attention.prompt)!;
    model.reset();
    const result = model.predict(att.input_ids, { attention: true });
    const T = model.info.contextLength;
    reference.attention.layers.forEach((heads, l) => heads.forEach((weights, h) => {
      const got = Array.from(result.attention![l].subarray(h * T, h * T + weights.length));
      assert.ok(maxAbsDiff(got, weights) <= 1e-5, `layer ${l} head ${h}`);
    }));
  });
}
