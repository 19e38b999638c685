/**
 * safetensors reader and writer.
 *
 * Layout: u64 little-endian header length, a JSON header
 * `{name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__"?: {...}}`, then the
 * raw data; offsets are relative to the end of the header. Every tensor becomes a typed
 * array view over the one file buffer (no copy), except F16, which has no typed array in
 * JavaScript and is widened to F32 once here.
 */
import { ModelError } from './errors';
import { f16ToF32 } from './f16';

export type DType = 'F32' | 'F16' | 'I8' | 'I32';

export interface Tensor {
  readonly name: string;
  /** dtype as stored in the file (F16 tensors arrive here already widened to F32). */
  readonly storedDtype: DType;
  readonly shape: readonly number[];
  readonly data: Float32Array | Int8Array | Int32Array;
}

export type TensorMap = ReadonlyMap<string, Tensor>;

const BYTES: Record<DType, number> = { F32: 4, F16: 2, I8: 1, I32: 4 };

/** The biggest header we accept: real headers are a few KB; 100 MB means corruption. */
const MAX_HEADER_BYTES = 100 * 1024 * 1024;

export interface ReadOptions {
  /** Reject files over this size before parsing (bytes). */
  maxBytes?: number;
}

export function readSafetensors(bytes: Uint8Array, file = 'model.safetensors', options: ReadOptions = {}): TensorMap {
  if (options.maxBytes !== undefined && bytes.byteLength > options.maxBytes) {
    throw new ModelError('too-large', `file is ${bytes.byteLength} bytes, more than the limit of ${options.maxBytes}`, file);
  }
  if (bytes.byteLength < 8) throw new ModelError('bad-header', 'file is shorter than the 8-byte header length', file);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = Number(view.getBigUint64(0, true));
  if (headerLength > MAX_HEADER_BYTES || 8 + headerLength > bytes.byteLength) {
    throw new ModelError('bad-header', `header length ${headerLength} does not fit in a file of ${bytes.byteLength} bytes`, file);
  }
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + headerLength)));
  } catch (e) {
    throw new ModelError('bad-header', `header is not valid JSON (${(e as Error).message})`, file);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) {
    throw new ModelError('bad-header', 'header is not a JSON object', file);
  }
  const dataStart = 8 + headerLength;
  const dataLength = bytes.byteLength - dataStart;
  const tensors = new Map<string, Tensor>();
  const ranges: Array<[number, number, string]> = [];
  for (const [name, entry] of Object.entries(header as Record<string, unknown>)) {
    if (name === '__metadata__') continue;
    const { dtype, shape, begin, end } = checkEntry(name, entry, file);
    const elements = shape.reduce((a, b) => a * b, 1);
    if (end - begin !== elements * BYTES[dtype]) {
      throw new ModelError('bad-offsets', `tensor ${name}: ${end - begin} bytes do not hold ${dtype} ${JSON.stringify(shape)}`, file);
    }
    if (end > dataLength) {
      throw new ModelError('bad-offsets', `tensor ${name}: bytes ${begin}..${end} leave the file (data is ${dataLength} bytes)`, file);
    }
    ranges.push([begin, end, name]);
    tensors.set(name, { name, storedDtype: dtype, shape, data: viewOf(bytes, dataStart + begin, elements, dtype) });
  }
  ranges.sort((a, b) => a[0] - b[0]);
  for (let i = 1; i < ranges.length; i++) {
    if (ranges[i][0] < ranges[i - 1][1]) {
      throw new ModelError('bad-offsets', `tensors ${ranges[i - 1][2]} and ${ranges[i][2]} overlap`, file);
    }
  }
  return tensors;
}

function checkEntry(name: string, entry: unknown, file: string): { dtype: DType; shape: number[]; begin: number; end: number } {
  const e = entry as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
  if (typeof e !== 'object' || e === null) throw new ModelError('bad-header', `tensor ${name}: entry is not an object`, file);
  if (typeof e.dtype !== 'string' || !(e.dtype in BYTES)) {
    throw new ModelError('bad-dtype', `tensor ${name}: dtype ${JSON.stringify(e.dtype)} is not one of F32, F16, I8, I32`, file);
  }
  const shape = e.shape;
  if (!Array.isArray(shape) || shape.length > 4 || !shape.every((d) => Number.isSafeInteger(d) && d >= 0 && d <= 1 << 30)) {
    throw new ModelError('bad-header', `tensor ${name}: shape ${JSON.stringify(shape)} is not a list of up to 4 sizes`, file);
  }
  const offsets = e.data_offsets;
  if (
    !Array.isArray(offsets) || offsets.length !== 2 ||
    !offsets.every((o) => Number.isSafeInteger(o) && o >= 0) || offsets[1] < offsets[0]
  ) {
    throw new ModelError('bad-offsets', `tensor ${name}: data_offsets ${JSON.stringify(offsets)} are not [begin, end]`, file);
  }
  return { dtype: e.dtype as DType, shape: shape as number[], begin: offsets[0], end: offsets[1] };
}

function viewOf(bytes: Uint8Array, at: number, elements: number, dtype: DType): Float32Array | Int8Array | Int32Array {
  const absolute = bytes.byteOffset + at;
  switch (dtype) {
    case 'I8':
      return new Int8Array(bytes.buffer, absolute, elements);
    case 'F32':
      return absolute % 4 === 0
        ? new Float32Array(bytes.buffer, absolute, elements)
        : new Float32Array(copyAligned(bytes, at, elements * 4)); // unaligned file: one copy at load
    case 'I32':
      return absolute % 4 === 0
        ? new Int32Array(bytes.buffer, absolute, elements)
        : new Int32Array(copyAligned(bytes, at, elements * 4));
    case 'F16': {
      const out = new Float32Array(elements);
      const view = new DataView(bytes.buffer, absolute, elements * 2);
      for (let i = 0; i < elements; i++) out[i] = f16ToF32(view.getUint16(i * 2, true));
      return out;
    }
  }
}

function copyAligned(bytes: Uint8Array, at: number, length: number): ArrayBuffer {
  return bytes.slice(at, at + length).buffer;
}

export interface TensorToWrite {
  dtype: DType;
  shape: number[];
  /** Raw little-endian bytes of the data (a typed array of the matching type works). */
  data: Float32Array | Int8Array | Int32Array | Uint16Array;
}

/** Writes a safetensors file; tensors are laid out 8-byte aligned in the given order. */
export function writeSafetensors(tensors: Record<string, TensorToWrite>, metadata?: Record<string, string>): Uint8Array {
  const header: Record<string, unknown> = {};
  if (metadata) header.__metadata__ = metadata;
  let offset = 0;
  const parts: Array<[number, Uint8Array]> = [];
  for (const [name, t] of Object.entries(tensors)) {
    const raw = new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);
    const elements = t.shape.reduce((a, b) => a * b, 1);
    if (raw.byteLength !== elements * BYTES[t.dtype]) throw new Error(`tensor ${name}: data does not match its shape`);
    header[name] = { dtype: t.dtype, shape: t.shape, data_offsets: [offset, offset + raw.byteLength] };
    parts.push([offset, raw]);
    offset += raw.byteLength;
    offset = Math.ceil(offset / 8) * 8;
  }
  let json = JSON.stringify(header);
  // Pad with spaces so the data starts 8-byte aligned (byte length, not string length).
  const unpadded = new TextEncoder().encode(json).byteLength;
  json += ' '.repeat((8 - (unpadded % 8)) % 8);
  const headerBytes = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + headerBytes.byteLength + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerBytes.byteLength), true);
  out.set(headerBytes, 8);
  for (const [at, raw] of parts) out.set(raw, 8 + headerBytes.byteLength + at);
  return out;
}
