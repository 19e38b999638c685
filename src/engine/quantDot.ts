/**
 * W x with the activation quantised once per matrix product, as llama.cpp computes it:
 * the packed weights meet int8 activations block by block, the integer dot product of a
 * block is exact, and the block scales are applied once per block. This is both the fast
 * form (integer multiply-adds, no per-weight float conversion) and the one that gives
 * llama.cpp's numbers: its CPU kernels quantise the activation to
 *
 *   Q8_0 (32 values, F16 scale)                      for Q8_0, Q4_0, Q5_0 weights
 *   Q8_1 (32 values, F16 scale, F16 scale * sum q)   for Q4_1, Q5_1 (the min term uses that sum)
 *   Q8_K (256 values, F32 scale, sums of 32)         for Q4_K, Q5_K, Q6_K
 *   F16 / BF16 (the activation rounded)              for F16 / BF16 weights
 *
 * (checked in ggufModel.test.ts: random models agree with llama.cpp to ~1e-5 in the logits;
 * with F32 activations instead, the Q4_1 rows differ by up to 0.6 on SmolLM2's logits).
 * quant.ts's packedMatvec, F32 activations, stays the reference these are tested against.
 */
import { f16Table } from './f16';
import { GgmlType, type PackedMatrix } from './quant';
import { wasmComputes, type QuantKernels } from './wasm/quantKernels';

type ActivationKind = 'f32' | 'f16' | 'bf16' | 'q8_0' | 'q8_1' | 'q8_K';

function kindOf(type: number): ActivationKind {
  switch (type) {
    case GgmlType.F16: return 'f16';
    case GgmlType.BF16: return 'bf16';
    case GgmlType.Q8_0: case GgmlType.Q4_0: case GgmlType.Q5_0: return 'q8_0';
    case GgmlType.Q4_1: case GgmlType.Q5_1: return 'q8_1';
    case GgmlType.Q4_K: case GgmlType.Q5_K: case GgmlType.Q6_K: return 'q8_K';
    default: return 'f32';
  }
}

const word16 = new Uint32Array(1);
const float16 = new Float32Array(word16.buffer);
/**
 * v rounded to the nearest F16 (ties to even), as a float: what ggml stores for block scales.
 * Bit arithmetic on the float's own bits (f32ToF16 then a table costs an allocation a call).
 */
export function roundF16(v: number): number {
  float16[0] = v;
  const u = word16[0];
  const a = u & 0x7fffffff;
  if (a >= 0x477ff000) return a > 0x7f800000 ? v : u >>> 31 ? -Infinity : Infinity; // >= 65520: overflow (NaN kept)
  if (a < 0x38800000) {
    // below 2^-14: F16 subnormals, steps of 2^-24
    const q = Math.abs(v) * 16777216;
    let r = Math.round(q);
    if (r - q === 0.5 && r % 2 !== 0) r--;
    return (u >>> 31 ? -r : r) / 16777216;
  }
  // keep 10 mantissa bits: add half an F16 step (less one, plus the kept lowest bit for ties to even)
  word16[0] = (u + 0xfff + ((u >>> 13) & 1)) & 0xffffe000;
  return float16[0];
}

const word = new Uint32Array(1);
const wordFloat = new Float32Array(word.buffer);
/** Round to BF16, nearest even (as ggml's conversion), returned widened. */
function roundBf16(v: number): number {
  wordFloat[0] = v;
  const u = word[0];
  if ((u & 0x7fffffff) > 0x7f800000) return v; // NaN stays NaN
  word[0] = ((u + (0x7fff + ((u >>> 16) & 1))) >>> 16) << 16;
  return wordFloat[0];
}

/** Round to nearest, ties to even (the SIMD rounding llama.cpp's x86 kernels use). */
function roundEven(v: number): number {
  const r = Math.round(v);
  return r - v === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * The quantised copy of up to `rows` activation rows of `cols` values. Reused across
 * matrix products (grown when a larger one comes), so the forward pass allocates nothing.
 */
export class Activations {
  q: Int8Array; // (rows, cols) quants
  f: Float32Array; // (rows, cols) rounded floats (F16/BF16) or a copy (F32)
  d: Float32Array; // per block scale
  s: Float32Array; // Q8_1: F16(d * sum q) per block; Q8_K: unused
  sums: Int32Array; // Q8_K: sum of q per 32 values
  /** The quants widened to int16 (what the SIMD kernels read), kept only in their memory. */
  q16: Int16Array;
  kind: ActivationKind = 'f32';
  private readonly fixed: boolean;

  /**
   * Room for `values` activation values, placed by `place` (the kernels' memory) when given:
   * then the capacity is fixed. Without it the buffers grow on demand.
   */
  constructor(values = 0, place?: { f32(n: number): Float32Array; i8(n: number): Int8Array }) {
    values = Math.ceil(values / 256) * 256;
    this.fixed = place !== undefined;
    const f32 = place ? (n: number) => place.f32(n) : (n: number) => new Float32Array(n);
    this.q = place ? place.i8(values) : new Int8Array(values);
    this.f = f32(values);
    this.d = f32(values / 32);
    this.s = f32(values / 32);
    const sums = f32(values / 32);
    this.sums = new Int32Array(sums.buffer, sums.byteOffset, sums.length);
    const wide = place ? place.f32(values / 2) : new Float32Array(0);
    this.q16 = new Int16Array(wide.buffer, wide.byteOffset, 2 * wide.length);
  }

  private ensure(values: number): void {
    if (this.q.length >= values) return;
    if (this.fixed) throw new Error(`activation buffers hold ${this.q.length} values, ${values} asked`);
    this.q = new Int8Array(values);
    this.f = new Float32Array(values);
    this.d = new Float32Array(values / 32);
    this.s = new Float32Array(values / 32);
    this.sums = new Int32Array(values / 32);
  }

  /**
   * Quantises x[0 .. rows * cols) for weights of `type`; with `kernels` (x and these buffers
   * in their memory) their SIMD loop does it for the types they compute (q16, d, s, sums only).
   */
  load(x: Float32Array, rows: number, cols: number, type: number, kernels?: QuantKernels): void {
    const n = rows * cols;
    this.ensure(n);
    const kind = (this.kind = kindOf(type));
    if (kernels && this.q16.length >= n && wasmComputes(type) && x.buffer === kernels.memory.buffer) {
      kernels.quantize(x, n, type, this);
      return;
    }
    if (kind === 'f32' || kind === 'f16' || kind === 'bf16') {
      const f = this.f;
      if (kind === 'f32') f.set(x.subarray(0, n));
      else if (kind === 'f16') for (let i = 0; i < n; i++) f[i] = roundF16(x[i]);
      else for (let i = 0; i < n; i++) f[i] = roundBf16(x[i]);
      return;
    }
    const block = kind === 'q8_K' ? 256 : 32;
    const q = this.q;
    for (let b = 0, k = 0; b < n; b += block, k++) {
      let amax = 0;
      for (let i = b; i < b + block; i++) {
        const a = Math.abs(x[i]);
        if (a > amax) amax = a;
      }
      const d = Math.fround(amax / 127);
      const id = amax ? Math.fround(127 / amax) : 0;
      let sum = 0;
      for (let i = b; i < b + block; i++) {
        const v = roundEven(Math.fround(x[i] * id));
        q[i] = v;
        sum += v;
      }
      if (this.q16.length) for (let i = b; i < b + block; i++) this.q16[i] = q[i];
      if (kind === 'q8_K') {
        this.d[k] = d; // Q8_K keeps an F32 scale
        for (let j = 0; j < 8; j++) {
          let s = 0;
          for (let i = b + 32 * j; i < b + 32 * j + 32; i++) s += q[i];
          this.sums[k * 8 + j] = s;
        }
      } else {
        this.d[k] = roundF16(d);
        if (kind === 'q8_1') this.s[k] = roundF16(d * sum);
      }
    }
  }
}

/** dot(row r of W, activation row b): one kernel per weight type. */
type Dot = (d: Uint8Array, at: number, a: Activations, xAt: number, n: number) => number;

function dotF16(d: Uint8Array, at: number, a: Activations, xAt: number, n: number): number {
  const h = f16Table();
  const f = a.f;
  let s0 = 0, s1 = 0;
  for (let i = 0; i < n; i += 2) {
    const p = at + 2 * i;
    s0 += h[d[p] | (d[p + 1] << 8)] * f[xAt + i];
    if (i + 1 < n) s1 += h[d[p + 2] | (d[p + 3] << 8)] * f[xAt + i + 1];
  }
  return s0 + s1;
}

function dotF32(d: Uint8Array, at: number, a: Activations, xAt: number, n: number): number {
  const f = a.f;
  let s = 0;
  if ((d.byteOffset + at) % 4 === 0) {
    const w = new Float32Array(d.buffer, d.byteOffset + at, n);
    let s1 = 0, s2 = 0, s3 = 0, i = 0;
    for (; i + 3 < n; i += 4) {
      s += w[i] * f[xAt + i];
      s1 += w[i + 1] * f[xAt + i + 1];
      s2 += w[i + 2] * f[xAt + i + 2];
      s3 += w[i + 3] * f[xAt + i + 3];
    }
    for (; i < n; i++) s += w[i] * f[xAt + i];
    return s + s1 + s2 + s3;
  }
  const view = new DataView(d.buffer, d.byteOffset + at, 4 * n);
  for (let i = 0; i < n; i++) s += view.getFloat32(4 * i, true) * f[xAt + i];
  return s;
}

function dotBf16(d: Uint8Array, at: number, a: Activations, xAt: number, n: number): number {
  const f = a.f;
  let s = 0;
  for (let i = 0; i < n; i++) {
    word[0] = (d[at + 2 * i] | (d[at + 2 * i + 1] << 8)) << 16;
    s += wordFloat[0] * f[xAt + i];
  }
  return s;
}

function dotQ8_0(d: Uint8Array, at: number, a: Activations, xAt: number, n: number): number {
  const h = f16Table();
  const q = a.q;
  let sum = 0;
  for (let b = 0; b < n; b += 32, at += 34) {
    let sumi = 0;
    const x = xAt + b;
    for (let i = 0; i < 32; i++) sumi += ((d[at + 2 + i] << 24) >> 24) * q[x + i];
    sum += h[d[at] | (d[at + 1] << 8)] * a.d[x >> 5] * sumi;
  }
  return sum;
}

/** Q4_0, Q5_0 against Q8_0; Q4_1, Q5_1 against Q8_1 (x = d q + m: the min meets F16(d_x sum q_x)). */
function smallBlockDot(hasMin: boolean, fifthBit: boolean): Dot {
  const bytes = 2 + (hasMin ? 2 : 0) + (fifthBit ? 4 : 0) + 16;
  const qsAt = bytes - 16;
  const offset = hasMin ? 0 : fifthBit ? 16 : 8;
  return (d, at, a, xAt, n) => {
    const h = f16Table();
    const q = a.q;
    let sum = 0;
    for (let b = 0; b < n; b += 32, at += bytes) {
      const x = xAt + b;
      const qh = fifthBit ? (d[at + qsAt - 4] | (d[at + qsAt - 3] << 8) | (d[at + qsAt - 2] << 16) | (d[at + qsAt - 1] << 24)) : 0;
      let sumi = 0;
      for (let i = 0; i < 16; i++) {
        const v = d[at + qsAt + i];
        let lo = v & 15, hi = v >> 4;
        if (fifthBit) {
          lo |= ((qh >>> i) & 1) << 4;
          hi |= ((qh >>> (i + 16)) & 1) << 4;
        }
        sumi += (lo - offset) * q[x + i] + (hi - offset) * q[x + i + 16];
      }
      const k = x >> 5;
      sum += h[d[at] | (d[at + 1] << 8)] * a.d[k] * sumi;
      if (hasMin) sum += h[d[at + 2] | (d[at + 3] << 8)] * a.s[k];
    }
    return sum;
  };
}

function kScale(d: Uint8Array, s: number, j: number): number {
  return j < 4 ? d[s + j] & 63 : (d[s + j + 4] & 15) | ((d[s + j - 4] >> 6) << 4);
}
function kMin(d: Uint8Array, s: number, j: number): number {
  return j < 4 ? d[s + j + 4] & 63 : (d[s + j + 4] >> 4) | ((d[s + j] >> 6) << 4);
}

/** Q4_K, Q5_K against Q8_K: Σ_j sc_j (q . x)_j scaled by d, minus dmin Σ_j mn_j (Σ x)_j. */
function kQuantDot(fifthBit: boolean): Dot {
  const bytes = fifthBit ? 176 : 144;
  const qsAt = fifthBit ? 48 : 16;
  return (d, at, a, xAt, n) => {
    const h = f16Table();
    const q = a.q;
    let sum = 0;
    for (let b = 0; b < n; b += 256, at += bytes) {
      const x = xAt + b;
      const k = x >> 8;
      let scaled = 0, mins = 0;
      for (let j = 0; j < 8; j++) {
        const qs = at + qsAt + 32 * (j >> 1);
        const shift = (j & 1) * 4;
        const xj = x + 32 * j;
        let sumi = 0;
        for (let l = 0; l < 32; l++) {
          let v = (d[qs + l] >> shift) & 15;
          if (fifthBit) v |= ((d[at + 16 + l] >> j) & 1) << 4;
          sumi += v * q[xj + l];
        }
        scaled += kScale(d, at + 4, j) * sumi;
        mins += kMin(d, at + 4, j) * a.sums[k * 8 + j];
      }
      const dx = a.d[k];
      sum += h[d[at] | (d[at + 1] << 8)] * dx * scaled - h[d[at + 2] | (d[at + 3] << 8)] * dx * mins;
    }
    return sum;
  };
}

function dotQ6_K(d: Uint8Array, at: number, a: Activations, xAt: number, n: number): number {
  const h = f16Table();
  const q = a.q;
  let sum = 0;
  for (let b = 0; b < n; b += 256, at += 210) {
    const x = xAt + b;
    let block = 0;
    for (let half = 0; half < 2; half++) {
      const ql = at + 64 * half;
      const qh = at + 128 + 32 * half;
      const sc = at + 192 + 8 * half;
      for (let g = 0; g < 4; g++) {
        const qlg = ql + 32 * (g & 1);
        const shift = g < 2 ? 0 : 4;
        const xg = x + 128 * half + 32 * g;
        for (let part = 0; part < 2; part++) {
          let sumi = 0;
          for (let l = 16 * part; l < 16 * part + 16; l++) {
            sumi += ((((d[qlg + l] >> shift) & 15) | (((d[qh + l] >> (2 * g)) & 3) << 4)) - 32) * q[xg + l];
          }
          block += ((d[sc + 2 * g + part] << 24) >> 24) * sumi;
        }
      }
    }
    sum += h[d[at + 208] | (d[at + 209] << 8)] * a.d[x >> 8] * block;
  }
  return sum;
}

const DOTS: Record<number, Dot> = {
  [GgmlType.F32]: dotF32,
  [GgmlType.F16]: dotF16,
  [GgmlType.BF16]: dotBf16,
  [GgmlType.Q8_0]: dotQ8_0,
  [GgmlType.Q4_0]: smallBlockDot(false, false),
  [GgmlType.Q4_1]: smallBlockDot(true, false),
  [GgmlType.Q5_0]: smallBlockDot(false, true),
  [GgmlType.Q5_1]: smallBlockDot(true, true),
  [GgmlType.Q4_K]: kQuantDot(false),
  [GgmlType.Q5_K]: kQuantDot(true),
  [GgmlType.Q6_K]: dotQ6_K,
};

/**
 * W @ X + bias for n rows of X (n, cols), llama.cpp's way: X quantised once into `a`, then
 * out[outAt + b * outStride + r]. Rows outside, tokens inside: each packed row is read once
 * per batch while it is in the cache. With `kernels` (every array in their memory) the SIMD
 * kernels compute the types they know.
 */
export function quantMatmul(out: Float32Array, w: PackedMatrix, x: Float32Array, bias: Float32Array | undefined, n: number, a: Activations, outStride = w.rows, outAt = 0, kernels?: QuantKernels): void {
  a.load(x, n, w.cols, w.type, kernels);
  if (kernels && wasmComputes(w.type)) {
    kernels.matmul(out, w, a, bias, n, outStride, outAt);
    return;
  }
  const dot = DOTS[w.type];
  const { rows, cols, rowBytes: rb, data } = w;
  for (let r = 0; r < rows; r++) {
    const add = bias ? bias[r] : 0;
    for (let b = 0; b < n; b++) out[outAt + b * outStride + r] = dot(data, r * rb, a, b * cols, cols) + add;
  }
}
