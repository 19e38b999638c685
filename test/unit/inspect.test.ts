/**
 * inspect(): every number the panel draws, checked against a plain, slow GPT-2 written here
 * from the weights (whole sequence, textbook formulas, float64), and the counted model's
 * table against a scan of its n-gram tables.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GptModel, loadModel, NgramModel, topOf, type Inspection } from '../../src/engine';
import { randomGptFiles } from './randomGpt';
import * as path from 'node:path';
import { loadModelFolder } from '../../src/node/modelFolder';
import { ROOT } from './helpers';

interface Reference {
  embedding: number[][];
  /** [layer][head] of the last position */
  heads: Array<Array<{ q: number[]; k: number[]; v: number[]; scores: number[]; weights: number[]; z: number[] }>>;
  /** softmax(ln_f(x_l) wte^T) after each layer */
  lens: number[][];
}

/** GPT-2 over the whole sequence, keeping what the panel shows for the last position. */
function reference(t: Record<string, Float32Array>, cfg: { M: number; L: number; layers: number; heads: number }, tokens: number[]): Reference {
  const { M, L, layers, heads } = cfg;
  const hs = M / heads;
  const lin = (w: Float32Array, b: Float32Array | undefined, x: number[], rows: number) =>
    Array.from({ length: rows }, (_, r) => x.reduce((s, v, c) => s + v * w[r * x.length + c], b ? b[r] : 0));
  const ln = (x: number[], w: Float32Array, b: Float32Array) => {
    const mean = x.reduce((a, v) => a + v, 0) / x.length;
    const variance = x.reduce((a, v) => a + (v - mean) ** 2, 0) / x.length;
    return x.map((v, i) => ((v - mean) / Math.sqrt(variance + 1e-5)) * w[i] + b[i]);
  };
  const softmax = (x: number[]) => {
    const max = Math.max(...x);
    const e = x.map((v) => Math.exp(v - max));
    const sum = e.reduce((a, v) => a + v, 0);
    return e.map((v) => v / sum);
  };
  const gelu = (v: number) => 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v ** 3)));
  let xs = tokens.map((tok, pos) => Array.from({ length: M }, (_, i) => t['transformer.wte.weight'][tok * M + i] + t['transformer.wpe.weight'][pos * M + i]));
  const embedding = xs.map((x) => x.slice());
  const last = tokens.length - 1;
  const out: Reference = { embedding, heads: [], lens: [] };
  for (let l = 0; l < layers; l++) {
    const p = `transformer.h.${l}.`;
    const qkv = xs.map((x) => lin(t[p + 'attn.c_attn.weight'], t[p + 'attn.c_attn.bias'], ln(x, t[p + 'ln_1.weight'], t[p + 'ln_1.bias']), 3 * M));
    const perHead: Reference['heads'][number] = [];
    const zs = xs.map((_, i) => {
      const z = new Array(M).fill(0);
      for (let h = 0; h < heads; h++) {
        const q = qkv[i].slice(h * hs, (h + 1) * hs);
        const scores = [];
        for (let j = 0; j <= i; j++) scores.push(q.reduce((s, v, dd) => s + v * qkv[j][M + h * hs + dd], 0) / Math.sqrt(hs));
        const weights = softmax(scores);
        for (let j = 0; j <= i; j++) for (let dd = 0; dd < hs; dd++) z[h * hs + dd] += weights[j] * qkv[j][2 * M + h * hs + dd];
        if (i === last) {
          perHead.push({ q, k: qkv[i].slice(M + h * hs, M + (h + 1) * hs), v: qkv[i].slice(2 * M + h * hs, 2 * M + (h + 1) * hs), scores, weights, z: z.slice(h * hs, (h + 1) * hs) });
        }
      }
      return z;
    });
    out.heads.push(perHead);
    xs = xs.map((x, i) => {
      const a = lin(t[p + 'attn.c_proj.weight'], t[p + 'attn.c_proj.bias'], zs[i], M);
      const x1 = x.map((v, k) => v + a[k]);
      const hidden = lin(t[p + 'mlp.c_fc.weight'], t[p + 'mlp.c_fc.bias'], ln(x1, t[p + 'ln_2.weight'], t[p + 'ln_2.bias']), 4 * M).map(gelu);
      const m = lin(t[p + 'mlp.c_proj.weight'], t[p + 'mlp.c_proj.bias'], hidden, M);
      return x1.map((v, k) => v + m[k]);
    });
    out.lens.push(softmax(lin(t['transformer.wte.weight'], undefined, ln(xs[last], t['transformer.ln_f.weight'], t['transformer.ln_f.bias']), L)));
  }
  return out;
}

function close(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance: number, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < expected.length; i++) {
    assert.ok(Math.abs(actual[i] - expected[i]) <= tolerance, `${what}[${i}]: ${actual[i]} vs ${expected[i]}`);
  }
}

for (const backend of ['js', 'wasm'] as const) {
  test(`GPT inspect (${backend} kernels): embedding, q, k, v, scores, weights, Z and the logit lens equal a plain reference`, () => {
    const files = randomGptFiles({ layers: 3, heads: 4, embd: 16, seed: 11 });
    const model = loadModel(files, 'random', { backend }) as GptModel;
    const L = model.info.vocabSize;
    const tokens = [0, 5, 80, 13, 200, 7, 7, 42, 259, 31];
    const ref = reference(files.tensors, { M: 16, L, layers: 3, heads: 4 }, tokens);
    // Every layer and head (the cache was filled once; each call reruns only the last token).
    for (let layer = 0; layer < 3; layer++) {
      for (let head = 0; head < 4; head++) {
        const r = model.inspect(tokens, { attention: { layer, head } });
        const a = r.attention!;
        const e = ref.heads[layer][head];
        assert.equal(a.headSize, 4);
        close(a.q, e.q, 1e-4, `layer ${layer} head ${head} q`);
        close(a.k, e.k, 1e-4, `layer ${layer} head ${head} k`);
        close(a.v, e.v, 1e-4, `layer ${layer} head ${head} v`);
        close(a.scores, e.scores, 1e-4, `layer ${layer} head ${head} scores`);
        close(a.weights, e.weights, 1e-5, `layer ${layer} head ${head} weights`);
        close(a.z, e.z, 1e-4, `layer ${layer} head ${head} Z`);
        const sum = a.weights.reduce((s, w) => s + w, 0);
        assert.ok(Math.abs(sum - 1) < 1e-5, 'the weights sum to 1');
      }
    }
    const r = model.inspect(tokens, { embedding: { rows: 4 }, lens: { top: 5 }, matrices: true });
    // The embedding rows are the last four context tokens (token + position).
    assert.equal(r.embedding!.from, tokens.length - 4);
    for (let row = 0; row < 4; row++) close(r.embedding!.values.subarray(row * 16, (row + 1) * 16), ref.embedding[tokens.length - 4 + row], 1e-6, `embedding row ${row}`);
    // The logit lens: each layer's top five from the reference's own probabilities.
    assert.equal(r.lens!.length, 3);
    r.lens!.forEach((layer, l) => {
      assert.equal(layer.layer, l + 1);
      const expected = topOf(ref.lens[l], 5);
      assert.deepEqual(layer.top.map((t) => t.id), expected.map((t) => t.id), `layer ${l + 1} top 5`);
      close(layer.top.map((t) => t.prob), expected.map((t) => t.prob), 1e-5, `layer ${l + 1} probabilities`);
    });
    // After the last layer the lens is the model's own prediction.
    const own = model.predict(tokens).probs;
    const last = r.lens![2].top;
    assert.deepEqual(last.map((t) => t.id), topOf(own, 5).map((t) => t.id));
    close(last.map((t) => t.prob), last.map((t) => own[t.id]), 1e-5, 'last layer vs predict');
    // The lenses differ between layers (the test would not notice a lens stuck on one layer otherwise).
    assert.notDeepEqual(r.lens![0].top.map((t) => t.prob), r.lens![2].top.map((t) => t.prob));
    // Parameter matrices: six per layer with GPT-2's shapes.
    assert.equal(r.matrices!.length, 3);
    assert.deepEqual(r.matrices![1].map((m) => `${m.role} ${m.rows}x${m.cols}`), ['Wq 16x16', 'Wk 16x16', 'Wv 16x16', 'W_o 16x16', 'MLP up 64x16', 'MLP down 16x64']);
    assert.match(r.matrices![1][3].name, /^transformer\.h\.1\.attn\.c_proj\.weight$/);
    assert.equal(r.architecture.norm, 'LayerNorm');
    // Nothing asked: nothing computed.
    const none: Inspection = model.inspect(tokens, {});
    assert.equal(none.embedding, undefined);
    assert.equal(none.attention, undefined);
    assert.equal(none.lens, undefined);
  });
}

test('GPT inspect after the cache held another context: it predicts the asked tokens first', () => {
  const files = randomGptFiles({ seed: 3 });
  const model = loadModel(files, 'random', { backend: 'js' }) as GptModel;
  const tokens = [0, 9, 18, 27];
  model.predict([0, 1, 2, 3, 4, 5, 6]);
  const r = model.inspect(tokens, { attention: { layer: 1, head: 2 } });
  const ref = reference(files.tensors, { M: 16, L: model.info.vocabSize, layers: 2, heads: 4 }, tokens);
  close(r.attention!.weights, ref.heads[1][2].weights, 1e-5, 'weights');
  close(r.attention!.z, ref.heads[1][2].z, 1e-4, 'Z');
});

test('n-gram inspect: the counts after the last tokens at every order, and the backoff, as a scan of the tables finds them', () => {
  const model = loadModelFolder(path.join(ROOT, 'models', 'toy-dogspeak')) as NgramModel;
  const ids = model.tokenizer.encode('我 刚才 跑步');
  const r = model.inspect(ids, { counts: { rows: 10 } });
  const counts = r.counts!;
  assert.deepEqual(counts.orders.map((o) => o.order), [4, 3, 2, 1]);
  assert.equal(counts.backoffOrder, model.predict(ids).backoffOrder);
  for (const o of counts.orders) {
    const table = model.tables[o.order - 1];
    const k = o.order;
    assert.deepEqual(o.context, ids.slice(ids.length - (k - 1)));
    // A plain scan: rows whose first k-1 tokens are the context.
    const rows: Array<{ id: number; count: number }> = [];
    for (let r2 = 0; r2 < table.counts.length; r2++) {
      let match = true;
      for (let j = 0; j < k - 1; j++) match &&= table.tokens[r2 * k + j] === o.context[j];
      if (match) rows.push({ id: table.tokens[r2 * k + k - 1], count: table.counts[r2] });
    }
    assert.equal(o.types, rows.length, `order ${k}: types`);
    assert.equal(o.total, rows.reduce((s, x) => s + x.count, 0), `order ${k}: total`);
    rows.sort((a, b) => b.count - a.count || a.id - b.id);
    assert.deepEqual(o.next, rows.slice(0, 10));
  }
  // After 跑步 the seed's model has seen 我 next (the next sentence): the deciding order has counts.
  const decided = counts.orders.find((o) => o.order === counts.backoffOrder)!;
  assert.ok(decided.total > 0);
});
