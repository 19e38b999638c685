// The GGUF reader: round trips through the test writer (v2 and v3, every value type,
// alignment), every malformed case as its own ModelError, a fuzz run, and the real SmolLM2
// file's metadata and tensors as llama.cpp reads them.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { test } from 'node:test';
import { isModelError, ModelError, Rng } from '../../src/engine';
import {
  GGML_TYPES,
  ggmlByteSize,
  ggufArray,
  ggufBool,
  ggufNumber,
  ggufNumbers,
  ggufRequiredNumber,
  ggufString,
  ggufStrings,
  GgufType,
  readGguf,
  type GgufFile,
} from '../../src/engine/gguf';
import { llamaCpp, llamaSkeleton, smollm2 } from './ggufFixtures';
import { meta, writeGguf, type GgufTensorSpec } from './ggufWriter';

function bytesOf(n: number, seed: number): Uint8Array {
  const rng = new Rng(seed);
  return Uint8Array.from({ length: n }, () => Math.floor(rng.next() * 256));
}

/** A Q8_0 tensor of shape [64, 3] and two F32 ones, each with its own bytes. */
function sampleTensors(): GgufTensorSpec[] {
  return [
    { name: 'token_embd.weight', dims: [64, 3], type: 8, data: bytesOf(ggmlByteSize(8, 192), 1) },
    { name: 'output_norm.weight', dims: [5], type: 0, data: bytesOf(20, 2) },
    { name: 'blk.0.attn_q.bias', dims: [2, 3, 1, 2], type: 0, data: bytesOf(48, 3) },
  ];
}

function sampleFile(version: 2 | 3 = 3, alignment?: number): Uint8Array {
  return writeGguf({
    version,
    alignment,
    metadata: [
      ['general.architecture', meta.str('llama')],
      ['general.name', meta.str('Ünïcode 名前 🤗')],
      ['u8', meta.u8(255)],
      ['i8', meta.i8(-128)],
      ['u16', meta.u16(65535)],
      ['i16', meta.i16(-32768)],
      ['u32', meta.u32(4294967295)],
      ['i32', meta.i32(-2147483648)],
      ['u64', meta.u64(2n ** 64n - 1n)],
      ['u64.small', meta.u64(123456789012)],
      ['i64', meta.i64(-(2n ** 63n))],
      ['f32', meta.f32(0.1)],
      ['f64', meta.f64(0.1)],
      ['yes', meta.bool(true)],
      ['no', meta.bool(false)],
      ['empty', meta.str('')],
      ['tokens', meta.strings(['<s>', 'Ġhello', '▁', '', 'a'.repeat(100), '名'])],
      ['scores', meta.f32s([0.5, -1.25, 3])],
      ['types', meta.i32s([1, 3, -4])],
      ['u64s', meta.array(GgufType.Uint64, [meta.u64(1), meta.u64(2n ** 40n)])],
      ['bools', meta.array(GgufType.Bool, [meta.bool(true), meta.bool(false)])],
      ['nested', meta.array(GgufType.Array, [meta.strings(['x', 'y']), meta.i32s([7])])],
      ['none', meta.array(GgufType.String, [])],
    ],
    tensors: sampleTensors(),
  });
}

for (const version of [2, 3] as const) {
  test(`GGUF v${version} round trip: every value type, tensor infos in ggml order, data as views`, () => {
    const bytes = sampleFile(version);
    const g = readGguf(bytes, 'sample.gguf');
    assert.equal(g.version, version);
    assert.equal(g.alignment, 32);
    assert.equal(g.dataOffset % 32, 0);
    const m = g.metadata;
    assert.equal(m.get('general.name'), 'Ünïcode 名前 🤗');
    assert.deepEqual(
      ['u8', 'i8', 'u16', 'i16', 'u32', 'i32', 'u64', 'u64.small', 'i64', 'yes', 'no', 'empty'].map((k) => m.get(k)),
      [255, -128, 65535, -32768, 4294967295, -2147483648, 2n ** 64n - 1n, 123456789012, -(2n ** 63n), true, false, ''],
    );
    assert.equal(m.get('f32'), Math.fround(0.1));
    assert.equal(m.get('f64'), 0.1);
    assert.deepEqual(m.get('tokens'), ['<s>', 'Ġhello', '▁', '', 'a'.repeat(100), '名']);
    assert.deepEqual(m.get('scores'), Float32Array.from([0.5, -1.25, 3]));
    assert.deepEqual(m.get('types'), Int32Array.from([1, 3, -4]));
    assert.deepEqual(m.get('u64s'), BigUint64Array.from([1n, 2n ** 40n]));
    assert.deepEqual(m.get('bools'), [true, false]);
    assert.deepEqual(m.get('nested'), [['x', 'y'], Int32Array.from([7])]);
    assert.deepEqual(m.get('none'), []);
    assert.equal(m.size, 23);

    const specs = sampleTensors();
    assert.deepEqual([...g.tensors.keys()], specs.map((t) => t.name));
    for (const s of specs) {
      const t = g.tensors.get(s.name)!;
      assert.deepEqual(t.dims, s.dims);
      assert.equal(t.type, s.type);
      assert.equal(t.elements, s.dims.reduce((a, b) => a * b, 1));
      assert.equal(t.offset % 32, 0);
      assert.deepEqual(t.data, s.data);
      assert.equal(t.data.buffer, bytes.buffer, 'a view, not a copy');
      assert.equal(t.data.byteOffset, g.dataOffset + t.offset);
    }
  });
}

test('general.alignment moves the data and each tensor to its multiples', () => {
  const bytes = sampleFile(3, 256);
  const g = readGguf(bytes, 'aligned.gguf');
  assert.equal(g.alignment, 256);
  assert.equal(g.dataOffset % 256, 0);
  for (const t of g.tensors.values()) assert.equal(t.data.byteOffset % 256, 0);
  assert.deepEqual(g.tensors.get('output_norm.weight')!.data, sampleTensors()[1].data);
});

test('typed getters return the value, undefined when absent, and name the key when the type is wrong', () => {
  const g = readGguf(sampleFile(), 'sample.gguf');
  assert.equal(ggufString(g, 'general.architecture'), 'llama');
  assert.equal(ggufString(g, 'absent'), undefined);
  assert.equal(ggufNumber(g, 'u64.small'), 123456789012);
  assert.equal(ggufBool(g, 'yes'), true);
  assert.deepEqual(ggufStrings(g, 'tokens')?.slice(0, 2), ['<s>', 'Ġhello']);
  assert.deepEqual(Array.from(ggufNumbers(g, 'u64s')!), [1, 2 ** 40]);
  assert.deepEqual(Array.from(ggufNumbers(g, 'types')!), [1, 3, -4]);
  assert.ok(ggufArray(g, 'nested'));
  const fails = (f: () => unknown, pattern: RegExp) =>
    assert.throws(f, (e: unknown) => isModelError(e) && e.code === 'bad-config' && pattern.test(e.message) && e.message.startsWith('sample.gguf'));
  fails(() => ggufString(g, 'u8'), /metadata u8 is number, expected a string/);
  fails(() => ggufNumber(g, 'u64'), /metadata u64 is bigint, expected a number/);
  fails(() => ggufNumber(g, 'tokens'), /is an array/);
  fails(() => ggufStrings(g, 'scores'), /expected an array of strings/);
  fails(() => ggufNumbers(g, 'tokens'), /expected an array of numbers/);
  fails(() => ggufRequiredNumber(g, 'llama.block_count'), /llama.block_count is missing/);
});

test('the type table: every type tensor data can have, and the byte size of a row', () => {
  assert.deepEqual(
    [0, 1, 2, 3, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 24, 25, 26, 27, 28, 30].map((t) => GGML_TYPES.get(t)!.name),
    ['F32', 'F16', 'Q4_0', 'Q4_1', 'Q5_0', 'Q5_1', 'Q8_0', 'Q8_1', 'Q2_K', 'Q3_K', 'Q4_K', 'Q5_K', 'Q6_K', 'Q8_K', 'I8', 'I16', 'I32', 'I64', 'F64', 'BF16'],
  );
  // 256 values: Q8_0 = 8 blocks of (f16 scale + 32 int8), Q4_K = one super-block of 144 bytes.
  assert.equal(ggmlByteSize(8, 256), 8 * 34);
  assert.equal(ggmlByteSize(12, 256), 144);
  assert.equal(ggmlByteSize(14, 512), 420);
  assert.equal(ggmlByteSize(30, 10), 20);
});

/** Patches bytes of a written file at the position of a marker string's length prefix. */
function at(bytes: Uint8Array, marker: string): number {
  const m = new TextEncoder().encode(marker);
  for (let i = 0; i + m.length <= bytes.length; i++) {
    if (m.every((b, j) => bytes[i + j] === b)) return i;
  }
  throw new Error(`${marker} not in the file`);
}

function expectError(bytes: Uint8Array, code: ModelError['code'], pattern: RegExp, options = {}): void {
  assert.throws(
    () => readGguf(bytes, 'broken.gguf', options),
    (e: unknown) => {
      assert.ok(isModelError(e), `a ModelError, got ${String(e)}`);
      assert.equal(e.code, code, e.message);
      assert.match(e.message, /^broken\.gguf: /);
      assert.match(e.message, pattern);
      return true;
    },
  );
}

test('each malformed case is a ModelError that names the file and says what is wrong', () => {
  const good = sampleFile();
  const set = (f: (v: DataView, b: Uint8Array) => void, from = good) => {
    const b = from.slice();
    f(new DataView(b.buffer), b);
    return b;
  };
  expectError(new TextEncoder().encode('GGML'), 'bad-header', /not a GGUF file/);
  expectError(new Uint8Array(0), 'bad-header', /not a GGUF file/);
  expectError(set((v) => v.setUint32(4, 1, true)), 'bad-header', /version 1 .* not supported/);
  expectError(set((v) => v.setUint32(4, 7, true)), 'bad-header', /version 7 is not supported/);
  expectError(set((v) => v.setUint32(4, 3, false)), 'bad-header', /big-endian/);
  expectError(good.subarray(0, 20), 'bad-header', /truncated/);
  expectError(good.subarray(0, 200), 'bad-header', /truncated|runs past the end/);
  expectError(set((v) => v.setBigUint64(8, 2n ** 40n, true)), 'bad-header', /tensor count is 1099511627776, more than/);
  expectError(set((v) => v.setBigUint64(16, 2n ** 63n, true)), 'bad-header', /metadata count is \d+, too large/);
  // The first key's length (right after the counts) pointing past the end.
  expectError(set((v) => v.setBigUint64(24, 10n ** 9n, true)), 'bad-header', /runs past the end/);
  expectError(good, 'too-large', /more than the limit of 100/, { maxBytes: 100 });

  const dup = writeGguf({ metadata: [['a', meta.u8(1)], ['a', meta.u8(2)]] });
  expectError(dup, 'bad-header', /key "a" appears twice/);
  const dupT = writeGguf({ tensors: [sampleTensors()[1], sampleTensors()[1]] });
  expectError(dupT, 'bad-header', /tensor output_norm.weight appears twice/);

  // A bool that is neither 0 nor 1, an unknown value type, an unknown array element type.
  const bool = writeGguf({ metadata: [['flag', meta.bool(true)]] });
  expectError(set((_, b) => (b[at(b, 'flag') + 4 + 4] = 2), bool), 'bad-header', /flag: a bool of value 2/);
  expectError(set((v, b) => v.setUint32(at(b, 'flag') + 4, 13, true), bool), 'bad-header', /flag has value type 13, which is unknown/);
  const arr = writeGguf({ metadata: [['list', meta.i32s([1, 2])]] });
  expectError(set((v, b) => v.setUint32(at(b, 'list') + 8, 99, true), arr), 'bad-header', /list is an array of value type 99/);
  expectError(set((v, b) => v.setBigUint64(at(b, 'list') + 12, 2n ** 50n, true), arr), 'bad-header', /length of list is \d+, more than/);
  // Arrays nested 9 deep.
  let deep = meta.i32s([1]);
  for (let i = 0; i < 9; i++) deep = meta.array(GgufType.Array, [deep]);
  expectError(writeGguf({ metadata: [['deep', deep]] }), 'bad-header', /nested more than 8 deep/);

  const one = (t: Partial<GgufTensorSpec>) => writeGguf({ tensors: [{ ...sampleTensors()[1], ...t }] });
  const tensor = one({});
  const info = at(tensor, 'output_norm.weight') + 'output_norm.weight'.length; // n_dims, dims, type, offset follow
  expectError(set((v) => v.setUint32(info, 5, true), tensor), 'bad-header', /5 dimensions/);
  expectError(set((v) => v.setUint32(info, 0, true), tensor), 'bad-header', /0 dimensions/);
  expectError(one({ dims: [2 ** 40, 2 ** 20], data: new Uint8Array(4) }), 'bad-header', /too many elements/);
  expectError(set((v) => v.setUint32(info + 12, 4, true), tensor), 'bad-dtype', /ggml type 4, which is unknown/);
  expectError(set((v) => v.setUint32(info + 12, 8, true), tensor), 'shape-mismatch', /a row of 5 is not whole Q8_0 blocks of 32/);
  expectError(set((v) => v.setBigUint64(info + 16, 8n, true), tensor), 'bad-offsets', /offset 8 is not a multiple of the alignment 32/);
  expectError(set((v) => v.setBigUint64(info + 16, 64n, true), tensor), 'bad-offsets', /leave the file/);
  expectError(tensor.subarray(0, tensor.length - 32), 'bad-offsets', /leave the file/);
  const two = writeGguf({ tensors: [sampleTensors()[1], { ...sampleTensors()[1], name: 'second' }] });
  const second = at(two, 'second') + 'second'.length;
  expectError(set((v) => v.setBigUint64(second + 16, 0n, true), two), 'bad-offsets', /output_norm.weight and second overlap/);
  expectError(writeGguf({ alignment: 24 }), 'bad-header', /general.alignment is 24, not a power of two/);
});

function mutate(bytes: Uint8Array, rng: Rng): Uint8Array {
  const out = bytes.slice();
  const kind = Math.floor(rng.next() * 5);
  const v = new DataView(out.buffer);
  if (kind === 0) {
    for (let i = 0, n = 1 + Math.floor(rng.next() * 8); i < n; i++) out[Math.floor(rng.next() * out.length)] ^= 1 << Math.floor(rng.next() * 8);
    return out;
  }
  if (kind === 1) return out.subarray(0, Math.floor(rng.next() * out.length));
  if (kind === 2) {
    // a u64 anywhere in the header (a count, length, dim or offset) set to something huge
    const pos = 8 + Math.floor(rng.next() * Math.min(out.length - 16, 1200));
    v.setBigUint64(pos, BigInt(Math.floor(rng.next() * 2 ** 53)) << BigInt(Math.floor(rng.next() * 11)), true);
    return out;
  }
  if (kind === 3) {
    // a u32 (a type, a dimension count) set to a small wrong number
    const pos = 8 + Math.floor(rng.next() * Math.min(out.length - 12, 1200));
    v.setUint32(pos, Math.floor(rng.next() * 48), true);
    return out;
  }
  for (let i = 0; i < 4; i++) out[8 + Math.floor(rng.next() * Math.min(out.length - 8, 1200))] = Math.floor(rng.next() * 256);
  return out;
}

test('fuzzed GGUF files end in ModelErrors (or read fine), quickly, never another exception', () => {
  const bases = [sampleFile(3), sampleFile(2, 64)];
  const rng = new Rng(17);
  const outcomes: Record<string, number> = {};
  let slowest = 0;
  const cases = 3000;
  for (let i = 0; i < cases; i++) {
    const bytes = mutate(bases[i % 2], rng);
    const started = performance.now();
    let outcome: string;
    try {
      const g = readGguf(bytes, 'fuzzed.gguf', { maxBytes: 1 << 20 });
      for (const t of g.tensors.values()) assert.ok(t.data.byteOffset + t.data.byteLength <= bytes.byteOffset + bytes.byteLength);
      outcome = 'read';
    } catch (e) {
      if (!isModelError(e)) throw new Error(`case ${i}: not a ModelError: ${(e as Error)?.stack ?? e}`);
      assert.ok(e.message.startsWith('fuzzed.gguf: '), `case ${i}: the message names the file: ${e.message}`);
      outcome = e.code;
    }
    slowest = Math.max(slowest, performance.now() - started);
    outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
  }
  console.log(`fuzz gguf: ${cases} cases, slowest ${slowest.toFixed(1)} ms: ${JSON.stringify(outcomes)}`);
  assert.ok(slowest < 500, `every case ends quickly (slowest ${slowest.toFixed(0)} ms)`);
  assert.ok(Object.keys(outcomes).length >= 4, 'the mutations reach several kinds of error');
});

test('files the test writer makes are read by llama.cpp too (node-llama-cpp, vocabulary only)', async (t) => {
  // llama.cpp's own reader is the judge of the writer: a minimal llama vocabulary file
  // (with the 256 byte tokens: without them llama.cpp aborts the process).
  const bytesTokens = Array.from({ length: 256 }, (_, i) => `<0x${i.toString(16).toUpperCase().padStart(2, '0')}>`);
  const tokens = ['<unk>', '<s>', '</s>', ...bytesTokens, '▁a', 'a', '▁'];
  const scores = tokens.map((_, i) => (i < 259 ? 0 : -i));
  const types = tokens.map((_, i) => (i === 0 ? 2 : i < 3 ? 3 : i < 259 ? 6 : 1));
  const skeleton = llamaSkeleton(tokens.length);
  const bytes = writeGguf({
    tensors: skeleton.tensors,
    metadata: [
      ...skeleton.metadata,
      ['tokenizer.ggml.model', meta.str('llama')],
      ['tokenizer.ggml.tokens', meta.strings(tokens)],
      ['tokenizer.ggml.scores', meta.f32s(scores)],
      ['tokenizer.ggml.token_type', meta.i32s(types)],
    ],
  });
  const dir = fs.mkdtempSync('/tmp/gguf-writer-');
  const file = `${dir}/vocab.gguf`;
  fs.writeFileSync(file, bytes);
  try {
    const llama = await llamaCpp();
    const model = await llama.loadModel({ modelPath: file, vocabOnly: true });
    assert.deepEqual(Array.from(model.tokenize('a a')), [259, 259]); // '▁a' twice: SentencePiece's leading space
    await model.dispose();
  } catch (e) {
    t.diagnostic(String(e));
    throw e;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('SmolLM2-135M-Instruct Q4_1: metadata and tensors as the file holds them', (t) => {
  const fixture = smollm2();
  if (fixture.path === undefined) return t.skip(fixture.skip);
  const bytes = new Uint8Array(fs.readFileSync(fixture.path));
  const started = performance.now();
  const g: GgufFile = readGguf(bytes, 'SmolLM2-135M-Instruct.Q4_1.gguf');
  const ms = performance.now() - started;
  t.diagnostic(`read in ${ms.toFixed(0)} ms: ${g.metadata.size} keys, ${g.tensors.size} tensors`);
  assert.equal(g.version, 3);
  assert.equal(ggufString(g, 'general.architecture'), 'llama');
  assert.equal(ggufNumber(g, 'llama.block_count'), 30);
  assert.equal(ggufNumber(g, 'llama.embedding_length'), 576);
  assert.equal(ggufNumber(g, 'llama.attention.head_count'), 9);
  assert.equal(ggufNumber(g, 'llama.attention.head_count_kv'), 3);
  assert.equal(ggufNumber(g, 'general.file_type'), 3); // MOSTLY_Q4_1
  assert.equal(ggufString(g, 'tokenizer.ggml.model'), 'gpt2');
  assert.equal(ggufString(g, 'tokenizer.ggml.pre'), 'smollm');
  assert.equal(ggufStrings(g, 'tokenizer.ggml.tokens')!.length, 49152);
  assert.equal(ggufStrings(g, 'tokenizer.ggml.merges')!.length, 48900);
  assert.equal(ggufStrings(g, 'tokenizer.ggml.tokens')![1], '<|im_start|>');
  // 30 blocks of 9 tensors, the embedding (tied output) and the final norm.
  assert.equal(g.tensors.size, 30 * 9 + 2);
  const embd = g.tensors.get('token_embd.weight')!;
  assert.deepEqual(embd.dims, [576, 49152]);
  assert.equal(GGML_TYPES.get(embd.type)!.name, 'Q8_0');
  assert.equal(GGML_TYPES.get(g.tensors.get('blk.0.attn_q.weight')!.type)!.name, 'Q4_1');
  assert.deepEqual(g.tensors.get('blk.0.attn_k.weight')!.dims, [576, 192]);
  // The tensors fill the data section up to the end of the file (with the last one's padding).
  const last = [...g.tensors.values()].reduce((a, b) => (a.offset > b.offset ? a : b));
  assert.ok(g.dataOffset + last.offset + last.data.byteLength <= bytes.byteLength);
  assert.ok(bytes.byteLength - (g.dataOffset + last.offset + last.data.byteLength) < 32);
  const params = [...g.tensors.values()].reduce((s, x) => s + x.elements, 0);
  assert.equal(params, 134515008); // SmolLM2-135M
  assert.ok(ms < 3000, `read in ${ms.toFixed(0)} ms`);
});
