// A GGUF writer for tests (never shipped): versions 2 and 3, every metadata value type
// with its type stated (the file needs it; JavaScript values do not say uint8 vs int64),
// tensors from raw bytes with the alignment padding llama.cpp expects (each tensor's data
// starts at a multiple of the alignment, in the order given).
import { GgufType } from '../../src/engine/gguf';

export type GgufScalar = number | bigint | boolean | string;
export type GgufEntry =
  | { readonly type: Exclude<GgufType, GgufType.Array>; readonly value: GgufScalar }
  | { readonly type: GgufType.Array; readonly elementType: GgufType; readonly items: readonly GgufEntry[] };

/** Typed metadata values: `meta.u32(5)`, `meta.strings(['a', 'b'])`. */
export const meta = {
  u8: (v: number): GgufEntry => ({ type: GgufType.Uint8, value: v }),
  i8: (v: number): GgufEntry => ({ type: GgufType.Int8, value: v }),
  u16: (v: number): GgufEntry => ({ type: GgufType.Uint16, value: v }),
  i16: (v: number): GgufEntry => ({ type: GgufType.Int16, value: v }),
  u32: (v: number): GgufEntry => ({ type: GgufType.Uint32, value: v }),
  i32: (v: number): GgufEntry => ({ type: GgufType.Int32, value: v }),
  u64: (v: number | bigint): GgufEntry => ({ type: GgufType.Uint64, value: v }),
  i64: (v: number | bigint): GgufEntry => ({ type: GgufType.Int64, value: v }),
  f32: (v: number): GgufEntry => ({ type: GgufType.Float32, value: v }),
  f64: (v: number): GgufEntry => ({ type: GgufType.Float64, value: v }),
  bool: (v: boolean): GgufEntry => ({ type: GgufType.Bool, value: v }),
  str: (v: string): GgufEntry => ({ type: GgufType.String, value: v }),
  array: (elementType: GgufType, items: readonly GgufEntry[]): GgufEntry => ({ type: GgufType.Array, elementType, items }),
  strings: (v: readonly string[]): GgufEntry => meta.array(GgufType.String, v.map(meta.str)),
  i32s: (v: ArrayLike<number>): GgufEntry => meta.array(GgufType.Int32, Array.from(v, meta.i32)),
  u32s: (v: ArrayLike<number>): GgufEntry => meta.array(GgufType.Uint32, Array.from(v, meta.u32)),
  f32s: (v: ArrayLike<number>): GgufEntry => meta.array(GgufType.Float32, Array.from(v, meta.f32)),
};

export interface GgufTensorSpec {
  readonly name: string;
  /** ggml order: ne0 first. */
  readonly dims: readonly number[];
  /** ggml type number. */
  readonly type: number;
  readonly data: Uint8Array;
}

export interface GgufSpec {
  readonly version?: 2 | 3;
  readonly metadata?: ReadonlyArray<readonly [string, GgufEntry]>;
  readonly tensors?: readonly GgufTensorSpec[];
  /** Written as general.alignment (u32) when given; the data is padded to it either way. */
  readonly alignment?: number;
}

const encoder = new TextEncoder();

class ByteSink {
  private chunks: Uint8Array[] = [];
  length = 0;

  bytes(b: Uint8Array): void {
    this.chunks.push(b);
    this.length += b.length;
  }

  private fixed(n: number, set: (v: DataView) => void): void {
    const b = new Uint8Array(n);
    set(new DataView(b.buffer));
    this.bytes(b);
  }

  u32(v: number): void {
    this.fixed(4, (d) => d.setUint32(0, v, true));
  }

  u64(v: number | bigint): void {
    this.fixed(8, (d) => d.setBigUint64(0, BigInt(v), true));
  }

  string(s: string): void {
    const b = encoder.encode(s);
    this.u64(b.length);
    this.bytes(b);
  }

  value(e: GgufEntry): void {
    if (e.type === GgufType.Array) {
      this.u32(e.elementType);
      this.u64(e.items.length);
      for (const item of e.items) {
        if (item.type !== e.elementType) throw new Error(`array of type ${e.elementType} holds an item of type ${item.type}`);
        this.value(item);
      }
      return;
    }
    const v = e.value;
    switch (e.type) {
      case GgufType.Uint8:
        return this.fixed(1, (d) => d.setUint8(0, Number(v)));
      case GgufType.Int8:
        return this.fixed(1, (d) => d.setInt8(0, Number(v)));
      case GgufType.Uint16:
        return this.fixed(2, (d) => d.setUint16(0, Number(v), true));
      case GgufType.Int16:
        return this.fixed(2, (d) => d.setInt16(0, Number(v), true));
      case GgufType.Uint32:
        return this.fixed(4, (d) => d.setUint32(0, Number(v), true));
      case GgufType.Int32:
        return this.fixed(4, (d) => d.setInt32(0, Number(v), true));
      case GgufType.Float32:
        return this.fixed(4, (d) => d.setFloat32(0, Number(v), true));
      case GgufType.Float64:
        return this.fixed(8, (d) => d.setFloat64(0, Number(v), true));
      case GgufType.Uint64:
        return this.fixed(8, (d) => d.setBigUint64(0, BigInt(v as number | bigint), true));
      case GgufType.Int64:
        return this.fixed(8, (d) => d.setBigInt64(0, BigInt(v as number | bigint), true));
      case GgufType.Bool:
        return this.fixed(1, (d) => d.setUint8(0, v ? 1 : 0));
      case GgufType.String:
        return this.string(String(v));
    }
  }

  pad(alignment: number): void {
    const n = (alignment - (this.length % alignment)) % alignment;
    if (n > 0) this.bytes(new Uint8Array(n));
  }

  concat(): Uint8Array {
    const out = new Uint8Array(this.length);
    let at = 0;
    for (const c of this.chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  }
}

export function writeGguf(spec: GgufSpec): Uint8Array {
  const alignment = spec.alignment ?? 32;
  const metadata = [...(spec.metadata ?? [])];
  if (spec.alignment !== undefined) metadata.push(['general.alignment', meta.u32(spec.alignment)]);
  const tensors = spec.tensors ?? [];
  const head = new ByteSink();
  head.bytes(encoder.encode('GGUF'));
  head.u32(spec.version ?? 3);
  head.u64(tensors.length);
  head.u64(metadata.length);
  for (const [key, value] of metadata) {
    head.string(key);
    head.u32(value.type);
    head.value(value);
  }
  let offset = 0;
  for (const t of tensors) {
    head.string(t.name);
    head.u32(t.dims.length);
    for (const d of t.dims) head.u64(d);
    head.u32(t.type);
    head.u64(offset);
    offset += Math.ceil(t.data.length / alignment) * alignment;
  }
  head.pad(alignment);
  for (const t of tensors) {
    head.bytes(t.data);
    head.pad(alignment);
  }
  return head.concat();
}
