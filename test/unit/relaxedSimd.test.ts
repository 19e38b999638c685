/**
 * The relaxed-SIMD build of the kernels (fused multiply-adds), which desktop VS Code's
 * Electron runs, against the TypeScript reference and the plain SIMD build. Node 20 has
 * relaxed SIMD only behind a flag: without it, this file runs itself again in a child Node
 * with --experimental-wasm-relaxed-simd, and checks there that the engine picks the relaxed
 * build (and here that it picks the plain one).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { GgmlType, GptModel, LlamaModel, loadModel, preferKernels, readGguf, relaxedSimdAvailable } from '../../src/engine';
import { matmul } from '../../src/engine/kernels';
import { ggufTokenizer } from '../../src/engine/ggufTokenizer';
import { modelFromGguf } from '../../src/engine/loadGguf';
import { createWasmKernels } from '../../src/engine/wasm/wasmKernels';
import { randomGguf } from './ggufModelRandom';
import { naiveLogits, randomGptFiles } from './randomGpt';

const FLAG = '--experimental-wasm-relaxed-simd';

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
  return d;
}

if (!relaxedSimdAvailable()) {
  test('without relaxed SIMD the engine runs the plain SIMD build', () => {
    const model = loadModel(randomGptFiles()) as GptModel;
    assert.equal(model.backend, 'wasm');
    assert.equal(model.kernelVariant, 'simd');
  });

  test(`the relaxed-SIMD kernels pass this file's checks in a Node with ${FLAG}`, () => {
    // The test runner tells its own children to report in its binary protocol: this one is ours.
    const env = { ...process.env };
    delete env.NODE_TEST_CONTEXT;
    const child = spawnSync(process.execPath, [FLAG, '--test', '--test-reporter=tap', __filename], { encoding: 'utf8', timeout: 120_000, env });
    const out = `${child.stdout}\n${child.stderr}`;
    assert.equal(child.status, 0, out);
    const passed = /# pass (\d+)/.exec(out);
    assert.ok(passed && Number(passed[1]) >= 4, `the child ran the relaxed checks:\n${out}`);
    assert.match(out, /relaxed-SIMD build/);
  });
} else {
  test('with relaxed SIMD the engine picks the relaxed-SIMD build, and the plain one when asked', () => {
    assert.equal((loadModel(randomGptFiles()) as GptModel).kernelVariant, 'relaxed-simd');
    preferKernels('simd');
    try {
      assert.equal((loadModel(randomGptFiles()) as GptModel).kernelVariant, 'simd');
    } finally {
      preferKernels(undefined);
    }
  });

  test('relaxed-SIMD matmul equals the reference for every remainder of rows and batch', () => {
    const k = createWasmKernels(4 << 20)!;
    assert.equal(k.variant, 'relaxed-simd');
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32) * 2 - 1;
    for (const [rows, cols] of [[4, 4], [7, 8], [13, 36], [64, 128]]) {
      for (const n of [1, 2, 3, 5]) {
        let at = 64;
        const alloc = (len: number) => {
          const a = new Float32Array(k.memory.buffer, at, len);
          at += Math.ceil((len * 4) / 16) * 16;
          for (let i = 0; i < len; i++) a[i] = rnd();
          return a;
        };
        const w = alloc(rows * cols);
        const bias = alloc(rows);
        const x = alloc(n * cols);
        const got = alloc(n * rows);
        const want = new Float32Array(n * rows);
        k.matmul(got, { rows, cols, f32: w }, x, bias, n);
        matmul(want, { rows, cols, f32: Float32Array.from(w) }, Float32Array.from(x), Float32Array.from(bias), n);
        assert.ok(maxAbsDiff(got, want) < 1e-5 * Math.sqrt(cols), `matmul ${rows}x${cols}, n ${n}`);
      }
    }
  });

  test('a GPT-2 forward pass on the relaxed-SIMD build equals a naive full-sequence GPT-2', () => {
    const files = randomGptFiles();
    const model = loadModel(files, 'random') as GptModel;
    assert.equal(model.kernelVariant, 'relaxed-simd');
    const tokens = [0, 5, 80, 13, 200, 7, 7, 7, 42, 259];
    const reference = naiveLogits(files.tensors, { M: 16, L: model.info.vocabSize, layers: 2, heads: 4 }, tokens);
    for (let n = 1; n <= tokens.length; n++) {
      model.reset();
      model.predict(tokens.slice(0, n));
      assert.ok(maxAbsDiff(model.lastLogits, reference[n - 1]) < 1e-4, `position ${n - 1}`);
    }
  });

  test('GGUF models on the relaxed-SIMD build give the probabilities of the plain build', () => {
    for (const type of [GgmlType.Q8_0, GgmlType.Q4_K, GgmlType.Q6_K]) {
      const { bytes } = randomGguf({ type, width: 256, seed: 3 });
      const load = () => {
        const gguf = readGguf(bytes, 'r.gguf');
        return modelFromGguf(gguf, ggufTokenizer(gguf), 'r.gguf', { fileBytes: bytes.length }) as LlamaModel;
      };
      const relaxed = load();
      preferKernels('simd');
      let plain: LlamaModel;
      try {
        plain = load();
      } finally {
        preferKernels(undefined);
      }
      assert.equal(relaxed.kernelVariant, 'relaxed-simd');
      assert.equal(plain.kernelVariant, 'simd');
      const ids = [1, 17, 44, 250, 3, 99, 120, 7];
      const d = maxAbsDiff(relaxed.predict(ids).probs, plain.predict(ids).probs);
      assert.ok(d < 1e-4, `type ${type}: max |dp| ${d}`);
    }
  });
}
