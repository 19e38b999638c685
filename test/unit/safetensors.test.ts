import assert from 'node:assert/strict';
import { test } from 'node:test';
import { f16ToF32, f32ToF16 } from '../../src/engine/f16';
import { isModelError, readSafetensors, writeSafetensors, type ModelErrorCode } from '../../src/engine';

function sample(): Uint8Array {
  return writeSafetensors({
    a: { dtype: 'F32', shape: [2, 3], data: new Float32Array([1, 2, 3, 4, 5, 6]) },
    b: { dtype: 'F16', shape: [3], data: new Uint16Array([f32ToF16(0.5), f32ToF16(-2), f32ToF16(65504)]) },
    c: { dtype: 'I8', shape: [2, 2], data: new Int8Array([-128, 0, 1, 127]) },
    d: { dtype: 'I32', shape: [2], data: new Int32Array([7, -9]) },
  });
}

function expectError(code: ModelErrorCode, bytes: Uint8Array): void {
  assert.throws(() => readSafetensors(bytes, 'x.safetensors'), (e: unknown) => {
    assert.ok(isModelError(e), `a ModelError, got ${e}`);
    assert.equal(e.code, code, e.message);
    assert.match(e.message, /^x\.safetensors: /);
    return true;
  });
}

/** A file with the given header object and `dataBytes` zero bytes of data. */
function withHeader(header: unknown, dataBytes: number): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + dataBytes);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  return out;
}

test('reads every dtype as views over the one buffer', () => {
  const bytes = sample();
  const t = readSafetensors(bytes);
  assert.deepEqual(Array.from(t.get('a')!.data), [1, 2, 3, 4, 5, 6]);
  assert.deepEqual(t.get('a')!.shape, [2, 3]);
  assert.equal(t.get('a')!.data.buffer, bytes.buffer, 'F32 is a view, not a copy');
  assert.equal(t.get('c')!.data.buffer, bytes.buffer, 'I8 is a view, not a copy');
  assert.deepEqual(Array.from(t.get('b')!.data), [0.5, -2, 65504]);
  assert.equal(t.get('b')!.storedDtype, 'F16');
  assert.deepEqual(Array.from(t.get('c')!.data), [-128, 0, 1, 127]);
  assert.deepEqual(Array.from(t.get('d')!.data), [7, -9]);
});

test('f16 conversion covers normals, subnormals, infinities and rounding', () => {
  for (const v of [0, 1, -1, 0.1, 1 / 3, 65504, 6.1e-5, 5.96e-8, -0]) {
    const back = f16ToF32(f32ToF16(v));
    assert.ok(Math.abs(back - v) <= Math.abs(v) * 1e-3 + 6e-8, `${v} -> ${back}`);
  }
  assert.equal(f16ToF32(0x7c00), Infinity);
  assert.ok(Number.isNaN(f16ToF32(0x7e00)));
  assert.equal(f32ToF16(1e6), 0x7c00);
});

test('truncated files and absurd header lengths are typed errors', () => {
  const bytes = sample();
  expectError('bad-header', bytes.subarray(0, 5));
  expectError('bad-header', bytes.subarray(0, 20));
  expectError('bad-offsets', bytes.subarray(0, bytes.length - 4));
  const huge = bytes.slice();
  new DataView(huge.buffer).setBigUint64(0, 0xffffffffffffn, true);
  expectError('bad-header', huge);
});

test('header problems are typed errors', () => {
  const bad = new Uint8Array(8 + 3);
  new DataView(bad.buffer).setBigUint64(0, 3n, true);
  bad.set([0x7b, 0x7b, 0x7b], 8);
  expectError('bad-header', bad);
  expectError('bad-header', withHeader([1, 2], 0));
  expectError('bad-dtype', withHeader({ a: { dtype: 'BF16', shape: [1], data_offsets: [0, 2] } }, 2));
  expectError('bad-header', withHeader({ a: { dtype: 'F32', shape: [-1], data_offsets: [0, 4] } }, 4));
  expectError('bad-header', withHeader({ a: { dtype: 'F32', shape: 'x', data_offsets: [0, 4] } }, 4));
  expectError('bad-offsets', withHeader({ a: { dtype: 'F32', shape: [2], data_offsets: [0, 4] } }, 8));
  expectError('bad-offsets', withHeader({ a: { dtype: 'F32', shape: [1], data_offsets: [4, 0] } }, 8));
  expectError('bad-offsets', withHeader({ a: { dtype: 'F32', shape: [1], data_offsets: [8, 12] } }, 8));
  expectError('bad-offsets', withHeader({
    a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] },
    b: { dtype: 'F32', shape: [1], data_offsets: [4, 8] },
  }, 8));
});

test('a size limit refuses big files before parsing', () => {
  assert.throws(() => readSafetensors(sample(), 'm', { maxBytes: 10 }), (e: unknown) => isModelError(e) && e.code === 'too-large');
});

test('unaligned data is copied once and still correct', () => {
  const aligned = withHeader({ a: { dtype: 'F32', shape: [1], data_offsets: [1, 5] } }, 5);
  const view = new DataView(aligned.buffer);
  const at = aligned.length - 5 + 1;
  view.setFloat32(at, 3.25, true);
  assert.deepEqual(Array.from(readSafetensors(aligned).get('a')!.data), [3.25]);
});
