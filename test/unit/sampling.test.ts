import assert from 'node:assert/strict';
import { test } from 'node:test';
import { argmax, Rng, sample, shapeDistribution, topIndices } from '../../src/engine';

const probs = Float32Array.from([0.05, 0.5, 0.2, 0.15, 0.1]);

test('top indices and argmax', () => {
  assert.equal(argmax(probs), 1);
  assert.deepEqual(topIndices(probs, 3), [1, 2, 3]);
  assert.deepEqual(topIndices(probs, 10), [1, 2, 3, 4, 0]);
  assert.deepEqual(topIndices([1, 1, 1], 2), [0, 1], 'ties keep index order');
});

test('temperature, top-k and top-p shape the distribution', () => {
  const out = new Float64Array(5);
  shapeDistribution(probs, { temperature: 1, topK: 0, topP: 1 }, out);
  assert.ok(Array.from(out).every((v, i) => Math.abs(v - probs[i]) < 1e-7));
  shapeDistribution(probs, { temperature: 1, topK: 2, topP: 1 }, out);
  assert.ok(Math.abs(out[1] - 0.5 / 0.7) < 1e-7 && out[0] === 0 && out[3] === 0);
  shapeDistribution(probs, { temperature: 1, topK: 0, topP: 0.8 }, out);
  assert.deepEqual(Array.from(out).map((v) => v > 0), [false, true, true, true, false]);
  shapeDistribution(probs, { temperature: 0.5, topK: 0, topP: 1 }, out);
  assert.ok(out[1] > 0.5, 'a low temperature sharpens');
  shapeDistribution(probs, { temperature: 0, topK: 0, topP: 1 }, out);
  assert.deepEqual(Array.from(out), [0, 1, 0, 0, 0]);
});

test('seeded sampling is reproducible and follows the distribution', () => {
  const draw = (seed: number) => {
    const rng = new Rng(seed);
    return Array.from({ length: 2000 }, () => sample(probs, { temperature: 1, topK: 0, topP: 1 }, rng));
  };
  assert.deepEqual(draw(4), draw(4));
  const counts = [0, 0, 0, 0, 0];
  for (const i of draw(9)) counts[i]++;
  probs.forEach((p, i) => assert.ok(Math.abs(counts[i] / 2000 - p) < 0.04, `token ${i}: ${counts[i] / 2000} vs ${p}`));
  assert.equal(sample(probs, { temperature: 0, topK: 0, topP: 1 }, new Rng(1)), 1);
});
