import assert from 'node:assert/strict';
import { test } from 'node:test';
import { generate, GptModel, isModelError, loadModel, predictText, readSafetensors, writeSafetensors, type TensorToWrite } from '../../src/engine';
import { naiveLogits, randomGptFiles } from './randomGpt';

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
  return d;
}

for (const backend of ['js', 'wasm'] as const) test(`forward pass (${backend} kernels) equals a naive full-sequence GPT-2 at every position`, () => {
  const files = randomGptFiles();
  const model = loadModel(files, 'random', { backend }) as GptModel;
  assert.equal(model.backend, backend);
  const tokens = [0, 5, 80, 13, 200, 7, 7, 7, 42, 259];
  const reference = naiveLogits(files.tensors, { M: 16, L: model.info.vocabSize, layers: 2, heads: 4 }, tokens);
  for (let n = 1; n <= tokens.length; n++) {
    model.reset();
    model.predict(tokens.slice(0, n));
    const diff = maxAbsDiff(model.lastLogits, reference[n - 1]);
    assert.ok(diff < 1e-4, `position ${n - 1}: max abs diff ${diff}`);
  }
});

test('the KV cache reuses the common prefix and gives the same answer as a fresh run', () => {
  const model = loadModel(randomGptFiles()) as GptModel;
  const a = [0, 10, 20, 30, 40, 50];
  const first = model.predict(a);
  assert.equal(first.computedTokens, 6);
  const again = model.predict(a);
  assert.equal(again.computedTokens, 0, 'same context: nothing to compute');
  const more = model.predict([...a, 60]);
  assert.equal(more.computedTokens, 1, 'one more token costs one token');
  const kept = Float32Array.from(more.probs);
  const edited = model.predict([0, 10, 20, 99, 40]);
  assert.equal(edited.computedTokens, 2, 'recomputes from the first changed token');
  const back = model.predict([...a, 60]);
  assert.equal(back.computedTokens, 4);
  assert.ok(maxAbsDiff(back.probs, kept) < 1e-6);
  model.reset();
  const fresh = model.predict([...a, 60]);
  assert.ok(maxAbsDiff(fresh.probs, kept) < 1e-6);
  let sum = 0;
  for (const p of fresh.probs) sum += p;
  assert.ok(Math.abs(sum - 1) < 1e-5);
});

test('attention weights of the last position are returned per layer and head', () => {
  const model = loadModel(randomGptFiles()) as GptModel;
  const tokens = [0, 3, 9, 27];
  const p = model.predict(tokens, { attention: true });
  assert.equal(p.attention!.length, 2);
  const T = model.info.contextLength;
  for (const layer of p.attention!) {
    for (let h = 0; h < 4; h++) {
      let sum = 0;
      for (let t = 0; t < tokens.length; t++) sum += layer[h * T + t];
      assert.ok(Math.abs(sum - 1) < 1e-5, 'each head attends with total weight 1');
    }
  }
});

test('Hugging Face Conv1D layout gives the same logits as the linear layout', () => {
  const linear = loadModel(randomGptFiles({ layout: 'linear' })) as GptModel;
  const conv = loadModel(randomGptFiles({ layout: 'conv1d' })) as GptModel;
  const tokens = [0, 1, 2, 3, 100, 200];
  linear.predict(tokens);
  conv.predict(tokens);
  assert.ok(maxAbsDiff(linear.lastLogits, conv.lastLogits) < 1e-5);
});

test('WebAssembly SIMD kernels give the TypeScript reference results (F32 and int8)', () => {
  const files = randomGptFiles({ embd: 32, vocab: 300 });
  const js = loadModel(files, 'r', { backend: 'js' }) as GptModel;
  const wasm = loadModel(files, 'r', { backend: 'wasm' }) as GptModel;
  const tokens = [0, 7, 19, 250, 3, 3, 3, 120];
  js.predict(tokens);
  wasm.predict(tokens);
  assert.ok(maxAbsDiff(js.lastLogits, wasm.lastLogits) < 1e-4);
  const q = quantize(files.weights);
  const jsq = loadModel({ ...files, weights: q }, 'r', { backend: 'js' }) as GptModel;
  const wasmq = loadModel({ ...files, weights: q }, 'r', { backend: 'wasm' }) as GptModel;
  assert.equal(wasmq.backend, 'wasm');
  jsq.predict(tokens);
  wasmq.predict(tokens);
  assert.ok(maxAbsDiff(jsq.lastLogits, wasmq.lastLogits) < 1e-4);
});

/** Per-row symmetric int8 of every block matrix. */
function quantize(weights: Uint8Array): Uint8Array {
  const out: Record<string, TensorToWrite> = {};
  for (const [name, t] of readSafetensors(weights)) {
    const data = t.data as Float32Array;
    if (t.shape.length === 2 && name.includes('.h.')) {
      const [rows, cols] = t.shape;
      const q = new Int8Array(rows * cols);
      const scale = new Float32Array(rows);
      for (let r = 0; r < rows; r++) {
        let max = 0;
        for (let c = 0; c < cols; c++) max = Math.max(max, Math.abs(data[r * cols + c]));
        scale[r] = max / 127 || 1;
        for (let c = 0; c < cols; c++) q[r * cols + c] = Math.round(data[r * cols + c] / scale[r]);
      }
      out[name] = { dtype: 'I8', shape: [rows, cols], data: q };
      out[name + '.scale'] = { dtype: 'F32', shape: [rows], data: scale };
    } else out[name] = { dtype: 'F32', shape: [...t.shape], data };
  }
  return writeSafetensors(out);
}

test('int8 weights with per-row scales stay close to F32', () => {
  const files = randomGptFiles();
  const f32 = loadModel(files) as GptModel;
  const i8 = loadModel({ ...files, weights: quantize(files.weights) }) as GptModel;
  const tokens = [0, 40, 41, 42];
  f32.predict(tokens);
  i8.predict(tokens);
  const diff = maxAbsDiff(f32.lastLogits, i8.lastLogits);
  assert.ok(diff < 0.1 && diff > 0, `int8 max abs logit diff ${diff}`);
});

test('bad contexts and mismatched weights are typed errors', () => {
  const files = randomGptFiles();
  const model = loadModel(files);
  const code = (f: () => unknown) => {
    try {
      f();
    } catch (e) {
      assert.ok(isModelError(e), String(e));
      return e.code;
    }
    return 'no error';
  };
  assert.equal(code(() => model.predict([])), 'empty-context');
  assert.equal(code(() => model.predict(new Array(33).fill(1))), 'context-too-long');
  assert.equal(code(() => model.predict([1, 1e9])), 'bad-token');
  assert.equal(code(() => model.predict([1.5])), 'bad-token');
  const cfg = JSON.parse(files.config);
  assert.equal(code(() => loadModel({ ...files, config: JSON.stringify({ ...cfg, n_embd: 32 }) })), 'shape-mismatch');
  assert.equal(code(() => loadModel({ ...files, config: JSON.stringify({ ...cfg, n_layer: 3 }) })), 'missing-tensor');
  assert.equal(code(() => loadModel({ ...files, config: JSON.stringify({ ...cfg, n_head: 5 }) })), 'bad-config');
  assert.equal(code(() => loadModel({ ...files, config: JSON.stringify({ ...cfg, vocab_size: 10 }) })), 'shape-mismatch');
  assert.equal(code(() => loadModel({ ...files, config: '{"kind": "transformer"}' })), 'bad-config');
  assert.equal(code(() => loadModel({ ...files, config: 'not json' })), 'bad-config');
  assert.equal(code(() => loadModel({ ...files, weights: files.weights.subarray(0, 100) })), 'bad-header');
});

test('text helpers: long texts are cut to the window, generation is reproducible', () => {
  const model = loadModel(randomGptFiles());
  const long = 'the letter e and the number 42 '.repeat(200);
  const p = predictText(model, long);
  const window = model.info.contextLength;
  assert.ok(p.tokens.length <= window && p.tokens.length >= window / 2, `${p.tokens.length} tokens fit the window of ${window}`);
  // Typing one more character keeps the start of the context (the KV cache stays valid).
  const next = predictText(model, long + 'e');
  assert.deepEqual(next.tokens.slice(0, 10), p.tokens.slice(0, 10));
  assert.ok(next.computedTokens <= 3, `one more character recomputes ${next.computedTokens} tokens`);
  assert.equal(predictText(model, '').tokens.length, 1, 'empty text is just the start token');
  const a = generate(model, [0, 50, 60], { maxTokens: 40, sampling: { temperature: 0.9, topK: 20, topP: 0.9 }, seed: 3 });
  const b = generate(model, [0, 50, 60], { maxTokens: 40, sampling: { temperature: 0.9, topK: 20, topP: 0.9 }, seed: 3 });
  assert.deepEqual(a.tokens, b.tokens);
  assert.equal(a.tokens.length, 40, 'generation runs past the window by sliding it');
  assert.ok(!a.tokens.includes(0), 'the start token is never generated');
});

test('predictWithHistory gives predict() and, in one pass, P(token | tokens before) for each context token', () => {
  for (const backend of ['js', 'wasm'] as const) {
    const model = loadModel(randomGptFiles({ embd: 32, vocab: 300, positions: 64 }), 'r', { backend }) as GptModel;
    const tokens = Array.from({ length: 45 }, (_, i) => (i * 37 + 11) % 300); // over one prefill batch
    const expected = tokens.map((id, i) => (i === 0 ? NaN : model.predict(tokens.slice(0, i)).probs[id]));
    const plain = Float32Array.from(model.predict(tokens).probs);
    for (const from of [1, 5, 33, 44]) {
      model.predict(tokens.slice(0, 40)); // a cache that holds part of the context
      const r = model.predictWithHistory(tokens, from);
      assert.equal(r.history.length, tokens.length - from);
      for (let i = from; i < tokens.length; i++) {
        assert.ok(Math.abs(r.history[i - from] - expected[i]) < 1e-6, `${backend} from ${from}: token ${i}`);
      }
      assert.ok(maxAbsDiff(r.probs, plain) < 1e-6, `${backend} from ${from}: the prediction itself`);
    }
  }
});
