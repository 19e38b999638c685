/**
 * GGUF reader (the file format of llama.cpp, Ollama, LM Studio and llama.vscode models).
 *
 * Layout, all little-endian: magic "GGUF", u32 version, u64 tensor count, u64 metadata
 * count; the metadata (key string, u32 value type, value); the tensor infos (name, u32
 * dimension count, u64 dims with ne0 first, u32 ggml type, u64 offset into the data);
 * padding to `general.alignment` (32 if absent); then the tensor data. Strings are a u64
 * byte length and UTF-8 bytes. Versions 2 and 3 have this layout (3 only adds big-endian
 * files, which we refuse); version 1 had 32-bit counts and is refused too.
 *
 * Pure TypeScript over one Uint8Array: every tensor's data is a view into it (never a
 * copy), so a whole model costs the file's size once. Every malformed case is a ModelError
 * naming the file; counts are checked against the bytes left before anything is allocated,
 * so a corrupt count cannot make us allocate or loop for long.
 */
import { ModelError } from './errors';

/** Metadata value types, as numbered in the file. */
export enum GgufType {
  Uint8 = 0,
  Int8 = 1,
  Uint16 = 2,
  Int16 = 3,
  Uint32 = 4,
  Int32 = 5,
  Float32 = 6,
  Bool = 7,
  String = 8,
  Array = 9,
  Uint64 = 10,
  Int64 = 11,
  Float64 = 12,
}

/**
 * A metadata value. Integers up to 2^53 are numbers; 64-bit ones beyond that stay bigints.
 * Arrays of numbers are typed arrays of their element type (a tokenizer's 150k scores are
 * one Float32Array, not 150k boxed numbers); arrays of bools, strings or arrays are plain.
 */
export type GgufValue = number | bigint | boolean | string | GgufArray;
export type GgufArray =
  | Uint8Array
  | Int8Array
  | Uint16Array
  | Int16Array
  | Uint32Array
  | Int32Array
  | Float32Array
  | Float64Array
  | BigUint64Array
  | BigInt64Array
  | readonly boolean[]
  | readonly string[]
  | readonly GgufArray[];

export interface GgufTensor {
  readonly name: string;
  /** Dimensions in ggml order: ne0 (the contiguous one, a row's length) first. */
  readonly dims: readonly number[];
  /** The ggml type number (GGML_TYPES has its name and block layout). */
  readonly type: number;
  readonly elements: number;
  /** Offset of the data from the start of the data section (`dataOffset`). */
  readonly offset: number;
  /** The packed bytes: a view into the file's buffer. */
  readonly data: Uint8Array;
}

export interface GgufFile {
  /** The file's name, for messages. */
  readonly source: string;
  readonly version: number;
  readonly metadata: ReadonlyMap<string, GgufValue>;
  /** In file order. */
  readonly tensors: ReadonlyMap<string, GgufTensor>;
  readonly alignment: number;
  /** Where the tensor data starts in the file. */
  readonly dataOffset: number;
  readonly byteLength: number;
}

export interface GgmlTypeInfo {
  readonly name: string;
  /** Elements per block (1 for plain types). */
  readonly blockSize: number;
  /** Bytes per block. */
  readonly typeSize: number;
}

/** ggml's tensor types by number (the gaps are types ggml removed). */
export const GGML_TYPES: ReadonlyMap<number, GgmlTypeInfo> = new Map<number, GgmlTypeInfo>(
  (
    [
      [0, 'F32', 1, 4],
      [1, 'F16', 1, 2],
      [2, 'Q4_0', 32, 18],
      [3, 'Q4_1', 32, 20],
      [6, 'Q5_0', 32, 22],
      [7, 'Q5_1', 32, 24],
      [8, 'Q8_0', 32, 34],
      [9, 'Q8_1', 32, 40],
      [10, 'Q2_K', 256, 84],
      [11, 'Q3_K', 256, 110],
      [12, 'Q4_K', 256, 144],
      [13, 'Q5_K', 256, 176],
      [14, 'Q6_K', 256, 210],
      [15, 'Q8_K', 256, 292],
      [16, 'IQ2_XXS', 256, 66],
      [17, 'IQ2_XS', 256, 74],
      [18, 'IQ3_XXS', 256, 98],
      [19, 'IQ1_S', 256, 50],
      [20, 'IQ4_NL', 32, 18],
      [21, 'IQ3_S', 256, 110],
      [22, 'IQ2_S', 256, 82],
      [23, 'IQ4_XS', 256, 136],
      [24, 'I8', 1, 1],
      [25, 'I16', 1, 2],
      [26, 'I32', 1, 4],
      [27, 'I64', 1, 8],
      [28, 'F64', 1, 8],
      [29, 'IQ1_M', 256, 56],
      [30, 'BF16', 1, 2],
      [34, 'TQ1_0', 256, 54],
      [35, 'TQ2_0', 256, 66],
      [39, 'MXFP4', 32, 17],
    ] as const
  ).map(([type, name, blockSize, typeSize]) => [type, { name, blockSize, typeSize }]),
);

/** The type's name, or `type N` for one we do not know. */
export function ggmlTypeName(type: number): string {
  return GGML_TYPES.get(type)?.name ?? `type ${type}`;
}

/** Bytes that `elements` values of `type` take (elements must be whole blocks). */
export function ggmlByteSize(type: number, elements: number): number {
  const info = GGML_TYPES.get(type);
  if (!info) throw new Error(`unknown ggml type ${type}`);
  return (elements / info.blockSize) * info.typeSize;
}

export interface GgufReadOptions {
  /** Reject files over this size before parsing (bytes). */
  maxBytes?: number;
}

const MAGIC = 0x46554747; // "GGUF" read as a little-endian u32
const DEFAULT_ALIGNMENT = 32;
/** ggml tensors have at most 4 dimensions. */
const MAX_DIMS = 4;
/** Arrays of arrays deeper than this are corruption, not data (and would recurse). */
const MAX_ARRAY_DEPTH = 8;
/** The least bytes one element of each metadata type takes in the file. */
const MIN_VALUE_BYTES = [1, 1, 2, 2, 4, 4, 4, 1, 8, 12, 8, 8, 8];

export function readGguf(bytes: Uint8Array, source = 'model.gguf', options: GgufReadOptions = {}): GgufFile {
  if (options.maxBytes !== undefined && bytes.byteLength > options.maxBytes) {
    throw new ModelError('too-large', `file is ${bytes.byteLength} bytes, more than the limit of ${options.maxBytes}`, source);
  }
  const r = new Reader(bytes, source);
  if (bytes.byteLength < 4 || r.u32() !== MAGIC) {
    throw new ModelError('bad-header', 'not a GGUF file (it does not start with "GGUF")', source);
  }
  const version = r.u32('the version');
  if (version === 1) throw new ModelError('bad-header', 'GGUF version 1 (32-bit counts, 2023) is not supported; convert it again with a current llama.cpp', source);
  if (version !== 2 && version !== 3) {
    const swapped = ((version & 0xff) << 24) | ((version & 0xff00) << 8) | ((version >>> 8) & 0xff00) | (version >>> 24);
    const hint = swapped === 2 || swapped === 3 ? ' (a big-endian file; only little-endian files are supported)' : '';
    throw new ModelError('bad-header', `GGUF version ${version} is not supported${hint}; versions 2 and 3 are`, source);
  }
  // Each tensor info takes at least 8 (name) + 4 (dims) + 8 (ne0) + 4 (type) + 8 (offset)
  // bytes and each metadata entry at least 8 (key) + 4 (type) + 1 bytes.
  const tensorCount = r.count(28, 'tensor count');
  const metadataCount = r.count(13, 'metadata count');

  const metadata = new Map<string, GgufValue>();
  for (let i = 0; i < metadataCount; i++) {
    const key = r.string('a metadata key');
    if (metadata.has(key)) throw new ModelError('bad-header', `metadata key ${JSON.stringify(key)} appears twice`, source);
    const type = r.u32(`the type of ${key}`);
    metadata.set(key, r.value(type, key, 0));
  }

  let alignment = DEFAULT_ALIGNMENT;
  const alignValue = metadata.get('general.alignment');
  if (alignValue !== undefined) {
    if (typeof alignValue !== 'number' || !Number.isInteger(alignValue) || alignValue <= 0 || (alignValue & (alignValue - 1)) !== 0) {
      throw new ModelError('bad-header', `general.alignment is ${String(alignValue)}, not a power of two`, source);
    }
    alignment = alignValue;
  }

  const infos: Array<{ name: string; dims: number[]; type: number; elements: number; offset: number; size: number }> = [];
  const names = new Set<string>();
  for (let i = 0; i < tensorCount; i++) {
    const name = r.string('a tensor name');
    if (names.has(name)) throw new ModelError('bad-header', `tensor ${name} appears twice`, source);
    names.add(name);
    const nDims = r.u32(`the dimension count of ${name}`);
    if (nDims < 1 || nDims > MAX_DIMS) throw new ModelError('bad-header', `tensor ${name} has ${nDims} dimensions (1 to ${MAX_DIMS} allowed)`, source);
    const dims: number[] = [];
    let elements = 1;
    for (let d = 0; d < nDims; d++) {
      const n = r.u64(`dimension ${d} of ${name}`);
      elements *= n;
      if (n > Number.MAX_SAFE_INTEGER || !Number.isSafeInteger(elements)) {
        throw new ModelError('bad-header', `tensor ${name} has too many elements`, source);
      }
      dims.push(n);
    }
    const type = r.u32(`the type of ${name}`);
    const info = GGML_TYPES.get(type);
    if (!info) throw new ModelError('bad-dtype', `tensor ${name} has ggml type ${type}, which is unknown`, source);
    if (dims[0] % info.blockSize !== 0) {
      throw new ModelError('shape-mismatch', `tensor ${name}: a row of ${dims[0]} is not whole ${info.name} blocks of ${info.blockSize}`, source);
    }
    const offset = r.u64(`the offset of ${name}`);
    if (offset % alignment !== 0) {
      throw new ModelError('bad-offsets', `tensor ${name}: offset ${offset} is not a multiple of the alignment ${alignment}`, source);
    }
    infos.push({ name, dims, type, elements, offset, size: (elements / info.blockSize) * info.typeSize });
  }

  const dataOffset = Math.ceil(r.pos / alignment) * alignment;
  const dataLength = bytes.byteLength - dataOffset;
  const tensors = new Map<string, GgufTensor>();
  for (const t of infos) {
    if (t.offset + t.size > dataLength) {
      throw new ModelError('bad-offsets', `tensor ${t.name}: bytes ${t.offset}..${t.offset + t.size} of the data leave the file (data is ${Math.max(0, dataLength)} bytes)`, source);
    }
    const start = dataOffset + t.offset;
    tensors.set(t.name, { name: t.name, dims: t.dims, type: t.type, elements: t.elements, offset: t.offset, data: bytes.subarray(start, start + t.size) });
  }
  const ranges = infos.filter((t) => t.size > 0).sort((a, b) => a.offset - b.offset);
  for (let i = 1; i < ranges.length; i++) {
    if (ranges[i].offset < ranges[i - 1].offset + ranges[i - 1].size) {
      throw new ModelError('bad-offsets', `tensors ${ranges[i - 1].name} and ${ranges[i].name} overlap`, source);
    }
  }
  return { source, version, metadata, tensors, alignment, dataOffset, byteLength: bytes.byteLength };
}

/** A cursor over the file that turns every read past the end into a ModelError. */
class Reader {
  pos = 0;
  private readonly view: DataView;
  private readonly decoder = new TextDecoder('utf-8');

  constructor(
    private readonly bytes: Uint8Array,
    private readonly source: string,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  private need(n: number, what: string): number {
    const at = this.pos;
    if (n > this.bytes.byteLength - at) {
      throw new ModelError('bad-header', `the file ends at byte ${this.bytes.byteLength} inside ${what} (at byte ${at}): it is truncated`, this.source);
    }
    this.pos = at + n;
    return at;
  }

  u32(what = 'the header'): number {
    return this.view.getUint32(this.need(4, what), true);
  }

  /** A u64 that must be a safe integer (a size, count or offset). */
  u64(what: string): number {
    const v = this.view.getBigUint64(this.need(8, what), true);
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new ModelError('bad-header', `${what} is ${v}, too large`, this.source);
    return Number(v);
  }

  /** A u64 count of items that take at least `minBytes` each: more than fit is corruption. */
  count(minBytes: number, what: string): number {
    const n = this.u64(what);
    if (n * minBytes > this.bytes.byteLength - this.pos) {
      throw new ModelError('bad-header', `${what} is ${n}, more than the ${this.bytes.byteLength - this.pos} bytes left can hold (the file is truncated or corrupt)`, this.source);
    }
    return n;
  }

  string(what: string): string {
    const length = this.u64(`the length of ${what}`);
    if (length > this.bytes.byteLength - this.pos) {
      throw new ModelError('bad-header', `${what} at byte ${this.pos} is ${length} bytes long and runs past the end of the file (the file is truncated or corrupt)`, this.source);
    }
    const at = this.need(length, what);
    // Most keys and tokens are short ASCII: building them directly is several times faster
    // than a TextDecoder call each (a vocabulary has 50k-150k of them).
    if (length <= 32) {
      let s = '';
      for (let i = at; i < at + length; i++) {
        const b = this.bytes[i];
        if (b >= 0x80) return this.decoder.decode(this.bytes.subarray(at, at + length));
        s += String.fromCharCode(b);
      }
      return s;
    }
    return this.decoder.decode(this.bytes.subarray(at, at + length));
  }

  value(type: number, key: string, depth: number): GgufValue {
    const v = this.view;
    switch (type) {
      case GgufType.Uint8:
        return v.getUint8(this.need(1, key));
      case GgufType.Int8:
        return v.getInt8(this.need(1, key));
      case GgufType.Uint16:
        return v.getUint16(this.need(2, key), true);
      case GgufType.Int16:
        return v.getInt16(this.need(2, key), true);
      case GgufType.Uint32:
        return v.getUint32(this.need(4, key), true);
      case GgufType.Int32:
        return v.getInt32(this.need(4, key), true);
      case GgufType.Float32:
        return v.getFloat32(this.need(4, key), true);
      case GgufType.Float64:
        return v.getFloat64(this.need(8, key), true);
      case GgufType.Uint64:
        return safeNumber(v.getBigUint64(this.need(8, key), true));
      case GgufType.Int64:
        return safeNumber(v.getBigInt64(this.need(8, key), true));
      case GgufType.Bool: {
        const b = v.getUint8(this.need(1, key));
        if (b > 1) throw new ModelError('bad-header', `${key}: a bool of value ${b}`, this.source);
        return b === 1;
      }
      case GgufType.String:
        return this.string(key);
      case GgufType.Array:
        return this.array(key, depth);
      default:
        throw new ModelError('bad-header', `${key} has value type ${type}, which is unknown`, this.source);
    }
  }

  private array(key: string, depth: number): GgufArray {
    if (depth >= MAX_ARRAY_DEPTH) throw new ModelError('bad-header', `${key}: arrays nested more than ${MAX_ARRAY_DEPTH} deep`, this.source);
    const type = this.u32(`the element type of ${key}`);
    const min = MIN_VALUE_BYTES[type];
    if (min === undefined) throw new ModelError('bad-header', `${key} is an array of value type ${type}, which is unknown`, this.source);
    const n = this.count(min, `the length of ${key}`);
    const typed = this.typedArray(type, n, key);
    if (typed) return typed;
    if (type === GgufType.Bool) {
      const out: boolean[] = new Array(n);
      for (let i = 0; i < n; i++) out[i] = this.value(type, key, depth + 1) as boolean;
      return out;
    }
    if (type === GgufType.String) {
      const out: string[] = new Array(n);
      for (let i = 0; i < n; i++) out[i] = this.string(key);
      return out;
    }
    const out: GgufArray[] = new Array(n);
    for (let i = 0; i < n; i++) out[i] = this.array(key, depth + 1);
    return out;
  }

  /** Numeric arrays, copied out once (the file gives no alignment for them). */
  private typedArray(type: number, n: number, key: string): GgufArray | undefined {
    const ctor = TYPED[type];
    if (!ctor) return undefined;
    const at = this.need(n * ctor.BYTES_PER_ELEMENT, key);
    const copy = this.bytes.slice(at, at + n * ctor.BYTES_PER_ELEMENT);
    return new ctor(copy.buffer, 0, n);
  }
}

type TypedCtor = { new (buffer: ArrayBuffer, offset: number, length: number): GgufArray; readonly BYTES_PER_ELEMENT: number };
// Typed arrays use the machine's byte order; every machine JavaScript runs on is little-endian.
const TYPED: Array<TypedCtor | undefined> = [
  Uint8Array,
  Int8Array,
  Uint16Array,
  Int16Array,
  Uint32Array,
  Int32Array,
  Float32Array,
  undefined,
  undefined,
  undefined,
  BigUint64Array,
  BigInt64Array,
  Float64Array,
] as unknown as Array<TypedCtor | undefined>;

function safeNumber(v: bigint): number | bigint {
  return v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(v) : v;
}

// Typed getters: the value under a key, or undefined when absent; a value of the wrong type
// is a ModelError naming the key (a model file that says `block_count = "twelve"` is broken).

function wrongType(file: GgufFile, key: string, want: string, value: GgufValue): never {
  const got = Array.isArray(value) || ArrayBuffer.isView(value) ? 'an array' : typeof value;
  throw new ModelError('bad-config', `metadata ${key} is ${got}, expected ${want}`, file.source);
}

function missing(file: GgufFile, key: string): never {
  throw new ModelError('bad-config', `metadata ${key} is missing`, file.source);
}

export function ggufString(file: GgufFile, key: string): string | undefined {
  const v = file.metadata.get(key);
  if (v === undefined || typeof v === 'string') return v;
  return wrongType(file, key, 'a string', v);
}

export function ggufRequiredString(file: GgufFile, key: string): string {
  return ggufString(file, key) ?? missing(file, key);
}

/** Any numeric scalar (64-bit ones must fit in a double's integers). */
export function ggufNumber(file: GgufFile, key: string): number | undefined {
  const v = file.metadata.get(key);
  if (v === undefined || typeof v === 'number') return v;
  return wrongType(file, key, 'a number', v);
}

export function ggufRequiredNumber(file: GgufFile, key: string): number {
  return ggufNumber(file, key) ?? missing(file, key);
}

export function ggufBool(file: GgufFile, key: string): boolean | undefined {
  const v = file.metadata.get(key);
  if (v === undefined || typeof v === 'boolean') return v;
  return wrongType(file, key, 'a bool', v);
}

export function ggufArray(file: GgufFile, key: string): GgufArray | undefined {
  const v = file.metadata.get(key);
  if (v === undefined || Array.isArray(v) || ArrayBuffer.isView(v)) return v as GgufArray | undefined;
  return wrongType(file, key, 'an array', v);
}

/** An array of strings (an empty array counts). */
export function ggufStrings(file: GgufFile, key: string): readonly string[] | undefined {
  const v = ggufArray(file, key);
  if (v === undefined) return undefined;
  if (Array.isArray(v) && (v.length === 0 || typeof v[0] === 'string')) return v as readonly string[];
  return wrongType(file, key, 'an array of strings', v);
}

/** An array of numbers of any numeric type (64-bit ones converted, which must fit). */
export function ggufNumbers(file: GgufFile, key: string): ArrayLike<number> | undefined {
  const v = ggufArray(file, key);
  if (v === undefined) return undefined;
  if (v instanceof BigInt64Array || v instanceof BigUint64Array) {
    const out = new Float64Array(v.length);
    for (let i = 0; i < v.length; i++) {
      const n = safeNumber(v[i]);
      if (typeof n !== 'number') throw new ModelError('bad-config', `metadata ${key}[${i}] is ${v[i]}, too large`, file.source);
      out[i] = n;
    }
    return out;
  }
  if (ArrayBuffer.isView(v)) return v as ArrayLike<number>;
  if (Array.isArray(v) && v.length === 0) return [];
  return wrongType(file, key, 'an array of numbers', v);
}
