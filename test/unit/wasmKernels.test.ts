/**
 * The WebAssembly SIMD kernels against the TypeScript reference kernels, one by one, on
 * shapes that hit every remainder path (rows % 4, odd batch sizes, softmax lengths that are
 * not multiples of 4) and on values where e^x and GELU are hardest (large, tiny, negative).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gelu, matmul, matvec, softmax } from '../../src/engine/kernels';
import { createWasmKernels } from '../../src/engine/wasm/wasmKernels';

/** A deterministic pseudo-random generator (mulberry32) in [-1, 1). */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1;
  };
}

function maxRelDiff(a: ArrayLike<number>, b: ArrayLike<number>, floor = 1e-6): number {
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]) / Math.max(floor, Math.abs(b[i])));
  return d;
}

/**
 * Float32 arrays placed in the kernels' memory (wasm kernels only read their own memory),
 * filled by `fill` when given. (Float32Array.map would return a copy outside that memory.)
 */
function place(k: NonNullable<ReturnType<typeof createWasmKernels>>) {
  let at = 64;
  return (n: number, fill?: () => number) => {
    const a = new Float32Array(k.memory.buffer, at, n);
    at += Math.ceil((n * 4) / 16) * 16;
    if (fill) for (let i = 0; i < n; i++) a[i] = fill();
    return a;
  };
}

test('SIMD matmul and matvec equal the reference for every remainder of rows and batch', () => {
  const k = createWasmKernels(4 << 20);
  assert.ok(k, 'WebAssembly SIMD is available in Node');
  const rnd = random(1);
  for (const [rows, cols] of [[4, 4], [7, 8], [12, 128], [13, 36], [1, 4]]) {
    for (const n of [1, 2, 3, 5, 32]) {
      const alloc = place(k);
      const w = alloc(rows * cols, rnd);
      const bias = alloc(rows, rnd);
      const x = alloc(n * cols, rnd);
      const got = alloc(n * rows);
      const want = new Float32Array(n * rows);
      const m = { rows, cols, f32: w };
      k.matmul(got, m, x, bias, n);
      matmul(want, { rows, cols, f32: Float32Array.from(w) }, Float32Array.from(x), Float32Array.from(bias), n);
      assert.ok(maxRelDiff(got, want, 1) < 1e-5, `matmul ${rows}x${cols}, n ${n}`);
      const one = alloc(rows);
      k.matvec(one, m, x);
      const ref = new Float32Array(rows);
      matvec(ref, { rows, cols, f32: Float32Array.from(w) }, Float32Array.from(x));
      assert.ok(maxRelDiff(one, ref, 1) < 1e-5, `matvec ${rows}x${cols}`);
    }
  }
});

test('SIMD GELU is within 1e-6 of the Math.tanh form, including large and tiny inputs', () => {
  const k = createWasmKernels(1 << 20)!;
  const alloc = place(k);
  const values = [0, -0, 1e-30, -1e-30, 1e-7, -3, 3, 10, -10, 50, -50, 1e5, -1e5, 88, -88, 200, -200];
  const rnd = random(2);
  while (values.length % 4 || values.length < 4096) values.push(rnd() * 8);
  const x = alloc(values.length);
  x.set(values);
  const want = Float32Array.from(values);
  k.gelu(x, x.length);
  gelu(want);
  for (let i = 0; i < x.length; i++) {
    assert.ok(Number.isFinite(x[i]), `gelu(${values[i]}) is finite`);
    assert.ok(Math.abs(x[i] - want[i]) <= 1e-6 * Math.max(1, Math.abs(want[i])), `gelu(${values[i]}): ${x[i]} vs ${want[i]}`);
  }
});

test('SIMD softmax sums to 1 and equals the reference for lengths 1..37 and the vocabulary', () => {
  const k = createWasmKernels(1 << 20)!;
  const rnd = random(3);
  for (const n of [...Array.from({ length: 37 }, (_, i) => i + 1), 4096, 4099]) {
    const alloc = place(k);
    const x = alloc(n, () => rnd() * 30);
    if (n > 3) x[n - 1] = 80; // the maximum in the scalar tail
    const want = new Float32Array(n);
    softmax(want, Float32Array.from(x));
    const out = alloc(n);
    k.softmax(out, x, n);
    let sum = 0;
    for (let i = 0; i < n; i++) sum += out[i];
    assert.ok(Math.abs(sum - 1) < 1e-5, `n ${n}: sum ${sum}`);
    // Relative 1e-6 on probabilities that matter; e^(x - max) in float32 loses relative
    // precision as |x - max| grows (the argument itself is rounded), so tiny ones get 1e-12.
    const close = (a: Float32Array) => a.every((v, i) => Math.abs(v - want[i]) <= 1e-6 * want[i] + 1e-12);
    assert.ok(close(out), `n ${n}: ${Array.from(out.slice(0, 8))} vs ${Array.from(want.slice(0, 8))}`);
    k.softmax(x, x, n); // in place, as attention uses it
    assert.ok(close(x), `n ${n} in place`);
  }
});
