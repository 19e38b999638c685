/**
 * GGUF weight types: our dequantisation against llama.cpp's Python package (`gguf.quants`,
 * fixtures written by test/fixtures/gguf-quant/make_fixtures.py), and the packed
 * matrix-vector product against dequantise-then-F32 on every type.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { dequantize, dequantizeRow, GgmlType, packedMatmul, packedMatrix, packedMatvec, rowBytes, weightType } from '../../src/engine/quant';
import { Arena } from '../../src/engine/arena';
import { f16ToF32, f32ToF16 } from '../../src/engine/f16';
import { Activations, quantMatmul, roundF16 } from '../../src/engine/quantDot';
import { createQuantKernels, wasmComputes } from '../../src/engine/wasm/quantKernels';
import { ROOT } from './helpers';

interface Fixture {
  type: number;
  count: number;
  packed: string;
  expected: string;
}

const fixtures = JSON.parse(fs.readFileSync(path.join(ROOT, 'test', 'fixtures', 'gguf-quant', 'quant-fixtures.json'), 'utf8')) as Record<string, Fixture>;

const bytes = (b64: string) => new Uint8Array(Buffer.from(b64, 'base64'));
const floats = (b64: string) => {
  const b = bytes(b64);
  return new Float32Array(b.buffer, b.byteOffset, b.length / 4);
};

/** mulberry32 in [-1, 1) */
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

test('every type the engine supports has a fixture from gguf.quants', () => {
  assert.deepEqual(Object.keys(fixtures).sort(), Object.keys(GgmlType).sort());
});

for (const [name, f] of Object.entries(fixtures)) {
  test(`${name}: dequantised exactly as gguf.quants does`, () => {
    const packed = bytes(f.packed);
    const expected = floats(f.expected);
    assert.equal(packed.length, rowBytes(f.type, f.count));
    const got = dequantize(f.type, packed, f.count);
    for (let i = 0; i < f.count; i++) {
      // The same products of F16 scales and small integers in float32: equal, up to the
      // order numpy multiplies three factors (d * scale * q) in.
      const tol = Math.abs(expected[i]) * 2e-7;
      assert.ok(Math.abs(got[i] - expected[i]) <= tol, `${name}[${i}]: ${got[i]} vs ${expected[i]}`);
    }
  });

  test(`${name}: packed W x equals the F32 product of its dequantised rows`, () => {
    const info = weightType(f.type)!;
    // Rows made of the fixture's blocks (repeated and shifted) so each row differs.
    const cols = info.blockSize === 256 ? 512 : 64;
    const rows = 7;
    const rb = rowBytes(f.type, cols);
    const src = bytes(f.packed);
    const data = new Uint8Array(rows * rb + 3).subarray(3); // an odd offset: F32 rows unaligned
    for (let i = 0; i < data.length; i++) data[i] = src[(i + 11 * Math.floor(i / rb) * info.blockBytes) % src.length];
    const w = packedMatrix(f.type, rows, cols, data);
    const rnd = random(f.type + 1);
    const x = Float32Array.from({ length: 2 * cols }, rnd);
    const bias = Float32Array.from({ length: rows }, rnd);
    const dense = dequantize(f.type, data, rows * cols);
    const y = new Float32Array(2 * rows);
    packedMatmul(y, w, x, bias, 2);
    for (let b = 0; b < 2; b++) {
      for (let r = 0; r < rows; r++) {
        let ref = bias[r], mag = Math.abs(bias[r]);
        for (let c = 0; c < cols; c++) {
          ref += dense[r * cols + c] * x[b * cols + c];
          mag += Math.abs(dense[r * cols + c] * x[b * cols + c]);
        }
        assert.ok(Math.abs(y[b * rows + r] - ref) <= 1e-5 * mag + 1e-6, `${name} row ${r}: ${y[b * rows + r]} vs ${ref}`);
      }
    }
    // One row, and the embedding lookup of a row, agree with the whole-tensor decode.
    const one = new Float32Array(rows);
    packedMatvec(one, w, x);
    assert.ok(Math.abs(one[3] - (y[3] - bias[3])) <= 1e-5 * (Math.abs(one[3]) + 1));
    const row = new Float32Array(cols + 2).fill(1);
    dequantizeRow(row, w, 5, 2, true);
    for (let c = 0; c < cols; c++) assert.equal(row[c + 2], Math.fround(1 + dense[5 * cols + c]));
  });
}

test('unsupported types and short buffers are typed errors', () => {
  assert.throws(() => packedMatrix(10 /* Q2_K */, 1, 256, new Uint8Array(84), 'blk.0.attn_q.weight'), (e: Error & { code?: string }) => e.code === 'bad-dtype' && /Q2_K/.test(e.message) && /blk\.0\.attn_q/.test(e.message));
  assert.throws(() => packedMatrix(GgmlType.Q8_0, 2, 32, new Uint8Array(34)), (e: Error & { code?: string }) => e.code === 'bad-offsets');
  assert.throws(() => packedMatrix(GgmlType.Q4_K, 1, 32, new Uint8Array(144)), (e: Error & { code?: string }) => e.code === 'shape-mismatch');
});

test('the SIMD kernels (Q8_0, Q4_0, Q4_1, Q5_0, Q4_K, Q5_K, Q6_K) give the TypeScript kernels\' products with int8 activations', () => {
  for (const name of ['Q8_0', 'Q4_0', 'Q4_1', 'Q5_0', 'Q4_K', 'Q5_K', 'Q6_K'] as const) {
    const f = fixtures[name];
    const type = f.type;
    // n = 6: a group of four tokens sharing each unpacked weight block, then two alone.
    const rows = 5, cols = weightType(type)!.blockSize === 256 ? 512 : 96, n = 6, stride = 7, at = 2;
    const kernels = createQuantKernels(1 << 20)!;
    assert.ok(kernels, 'WebAssembly SIMD is available in Node');
    assert.ok(wasmComputes(type));
    const arena = new Arena(kernels.memory.buffer);
    const src = bytes(f.packed);
    const rb = rowBytes(type, cols);
    const raw = arena.i8(rows * rb);
    const data = new Uint8Array(raw.buffer, raw.byteOffset, raw.length);
    for (let i = 0; i < data.length; i++) data[i] = src[i % src.length]; // whole blocks: real scales
    const w = packedMatrix(type, rows, cols, data);
    const rnd = random(type + 40);
    const x = arena.f32(n * cols);
    for (let i = 0; i < x.length; i++) x[i] = 3 * rnd();
    const bias = arena.f32(rows);
    for (let i = 0; i < rows; i++) bias[i] = rnd();
    const simd = arena.f32(at + n * stride);
    const ref = new Float32Array(at + n * stride);
    quantMatmul(simd, w, x, bias, n, new Activations(n * cols, arena), stride, at, kernels);
    quantMatmul(ref, w, x, bias, n, new Activations(), stride, at);
    for (let b = 0; b < n; b++) {
      for (let r = 0; r < rows; r++) {
        const i = at + b * stride + r;
        assert.ok(Math.abs(simd[i] - ref[i]) <= 1e-5 * (1 + Math.abs(ref[i])), `${name} [${b}, ${r}]: ${simd[i]} vs ${ref[i]}`);
      }
      // Outputs between the strided rows are left alone.
      for (let r = rows; r < stride && at + b * stride + r < simd.length; r++) assert.equal(simd[at + b * stride + r], 0);
    }
  }
});

test('activation scales round to F16 as f32ToF16 does: normal, subnormal, ties to even, overflow', () => {
  const rnd = random(99);
  const values = [0, -0, 1, -1, 65504, 65519.99, 65520, 1e6, 2 ** -14, 2 ** -14 * (1 - 2 ** -12), 2 ** -24, 2 ** -25, 3 * 2 ** -25, 2 ** -26, 1 + 2 ** -11, 1 + 3 * 2 ** -11, NaN];
  for (let i = 0; i < 20000; i++) values.push(rnd() * 10 ** Math.floor(rnd() * 12 - 8));
  for (const v of values) {
    const expected = f16ToF32(f32ToF16(Math.fround(v)));
    const got = roundF16(Math.fround(v));
    assert.ok(Object.is(got, expected) || (Number.isNaN(got) && Number.isNaN(expected)), `${v}: ${got} vs ${expected}`);
  }
});

test('the SIMD activation quantiser gives the TypeScript one\'s quants, scales and sums', () => {
  for (const type of [GgmlType.Q8_0, GgmlType.Q4_1, GgmlType.Q4_K]) {
    const kernels = createQuantKernels(1 << 20)!; // a fresh memory: nothing left from the last type
    const n = 2 * 512;
    const arena = new Arena(kernels.memory.buffer);
    const x = arena.f32(n);
    const rnd = random(type + 7);
    for (let i = 0; i < n; i++) x[i] = rnd() * (i < 256 ? 1e-6 : 5); // tiny blocks: subnormal F16 scales
    for (let i = 512; i < 544; i++) x[i] = 0; // an all-zero block
    for (let i = 600; i < 608; i++) x[i] = (i - 604) * 0.5; // ties at x * 127 / amax = k + 1/2
    const simd = new Activations(n, arena);
    const ref = new Activations(n, new Arena(new ArrayBuffer(1 << 20)));
    simd.load(x, 2, 512, type, kernels);
    ref.load(x, 2, 512, type);
    assert.deepEqual(simd.q16, ref.q16, 'quants');
    assert.deepEqual(simd.d, ref.d, 'scales');
    if (type === GgmlType.Q4_1) assert.deepEqual(simd.s, ref.s, 'F16(d * sum)');
    if (type === GgmlType.Q4_K) assert.deepEqual(simd.sums, ref.sums, 'sums of 32');
  }
});
