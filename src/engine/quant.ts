/**
 * GGUF weight types, computed from their packed bytes. A quantised matrix keeps the file's
 * blocks as they are; `y = W x` dequantises inside the dot product, one block at a time,
 * so a model never exists in F32 in memory (a 135M-parameter Q4 file stays ~100 MB).
 *
 * Block layouts (little-endian, as ggml defines them; "d" and "m" are F16):
 *   Q8_0  32 values:  d, int8 q[32]                               x = d q
 *   Q4_0  32 values:  d, u8 qs[16]  (low nibbles 0..15, high 16..31)  x = d (q - 8)
 *   Q4_1  32 values:  d, m, u8 qs[16]                             x = d q + m
 *   Q5_0  32 values:  d, u32 qh (5th bits), qs[16]                x = d (q - 16)
 *   Q5_1  32 values:  d, m, u32 qh, qs[16]                        x = d q + m
 *   Q4_K 256 values:  d, dmin, 12 bytes of 6-bit (scale, min) for 8 sub-blocks of 32,
 *                     qs[128] (each 32 bytes: low nibbles one sub-block, high the next)
 *                     x = d sc q - dmin mn
 *   Q5_K 256 values:  as Q4_K plus qh[32] before qs (bit j of qh[l]: 5th bit of sub-block j)
 *   Q6_K 256 values:  ql[128], qh[64], int8 scales[16] (one per 16 values), d
 *                     x = d scale (q - 32), q = 4 low bits from ql, 2 high bits from qh
 */
import { ModelError } from './errors';
import { f16Table } from './f16';
import { ggmlTypeName as ggufTypeName } from './gguf';

/** ggml's type ids, as they appear in a GGUF tensor info. */
export const GgmlType = {
  F32: 0,
  F16: 1,
  Q4_0: 2,
  Q4_1: 3,
  Q5_0: 6,
  Q5_1: 7,
  Q8_0: 8,
  Q4_K: 12,
  Q5_K: 13,
  Q6_K: 14,
  BF16: 30,
} as const;

export interface WeightTypeInfo {
  name: string;
  /** Values per block. */
  blockSize: number;
  /** Bytes per block. */
  blockBytes: number;
}

const TYPES: Record<number, WeightTypeInfo> = {
  [GgmlType.F32]: { name: 'F32', blockSize: 1, blockBytes: 4 },
  [GgmlType.F16]: { name: 'F16', blockSize: 1, blockBytes: 2 },
  [GgmlType.BF16]: { name: 'BF16', blockSize: 1, blockBytes: 2 },
  [GgmlType.Q8_0]: { name: 'Q8_0', blockSize: 32, blockBytes: 34 },
  [GgmlType.Q4_0]: { name: 'Q4_0', blockSize: 32, blockBytes: 18 },
  [GgmlType.Q4_1]: { name: 'Q4_1', blockSize: 32, blockBytes: 20 },
  [GgmlType.Q5_0]: { name: 'Q5_0', blockSize: 32, blockBytes: 22 },
  [GgmlType.Q5_1]: { name: 'Q5_1', blockSize: 32, blockBytes: 24 },
  [GgmlType.Q4_K]: { name: 'Q4_K', blockSize: 256, blockBytes: 144 },
  [GgmlType.Q5_K]: { name: 'Q5_K', blockSize: 256, blockBytes: 176 },
  [GgmlType.Q6_K]: { name: 'Q6_K', blockSize: 256, blockBytes: 210 },
};

/** The layout of a supported type, or undefined (the loader names the type in its error). */
export function weightType(type: number): WeightTypeInfo | undefined {
  return TYPES[type];
}

/** Name of any ggml type id, supported or not (for messages and the model picker). */
export function ggmlTypeName(type: number): string {
  return ggufTypeName(type);
}

/** Bytes of one row of n values (n a multiple of the block size). */
export function rowBytes(type: number, n: number): number {
  const t = TYPES[type];
  if (!t) throw new ModelError('bad-dtype', `weight type ${ggmlTypeName(type)} is not supported`);
  return (n / t.blockSize) * t.blockBytes;
}

/** F16 bits -> value, by table: one lookup per scale instead of a function call with branches. */

/** BF16 is the top half of an F32: widen by shifting into a shared word. */
const bfWord = new Uint32Array(1);
const bfFloat = new Float32Array(bfWord.buffer);
function bf16(bits: number): number {
  bfWord[0] = bits << 16;
  return bfFloat[0];
}

/** Reads F32 values from any byte offset (GGUF aligns tensors to 32, but be safe). */
const f32Word = new Uint32Array(1);
const f32Float = new Float32Array(f32Word.buffer);

/**
 * One row kernel per type: dot(row of n values at byte `at`, x[xAt .. xAt+n)), and
 * dequantise that row into out[outAt .. outAt+n). The dot product never materialises the row.
 */
interface RowKernels {
  dot(d: Uint8Array, at: number, x: Float32Array, xAt: number, n: number): number;
  dequantize(d: Uint8Array, at: number, out: Float32Array, outAt: number, n: number): void;
}

const f32Kernels: RowKernels = {
  dot(d, at, x, xAt, n) {
    if ((d.byteOffset + at) % 4 === 0) {
      const w = new Float32Array(d.buffer, d.byteOffset + at, n);
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0, i = 0;
      for (; i + 3 < n; i += 4) {
        s0 += w[i] * x[xAt + i];
        s1 += w[i + 1] * x[xAt + i + 1];
        s2 += w[i + 2] * x[xAt + i + 2];
        s3 += w[i + 3] * x[xAt + i + 3];
      }
      for (; i < n; i++) s0 += w[i] * x[xAt + i];
      return s0 + s1 + s2 + s3;
    }
    let s = 0;
    for (let i = 0; i < n; i++) {
      const p = at + 4 * i;
      f32Word[0] = d[p] | (d[p + 1] << 8) | (d[p + 2] << 16) | (d[p + 3] << 24);
      s += f32Float[0] * x[xAt + i];
    }
    return s;
  },
  dequantize(d, at, out, outAt, n) {
    for (let i = 0; i < n; i++) {
      const p = at + 4 * i;
      f32Word[0] = d[p] | (d[p + 1] << 8) | (d[p + 2] << 16) | (d[p + 3] << 24);
      out[outAt + i] = f32Float[0];
    }
  },
};

const f16Kernels: RowKernels = {
  dot(d, at, x, xAt, n) {
    const h = f16Table();
    let s0 = 0, s1 = 0;
    for (let i = 0; i < n; i += 2) {
      const p = at + 2 * i;
      s0 += h[d[p] | (d[p + 1] << 8)] * x[xAt + i];
      if (i + 1 < n) s1 += h[d[p + 2] | (d[p + 3] << 8)] * x[xAt + i + 1];
    }
    return s0 + s1;
  },
  dequantize(d, at, out, outAt, n) {
    const h = f16Table();
    for (let i = 0; i < n; i++) out[outAt + i] = h[d[at + 2 * i] | (d[at + 2 * i + 1] << 8)];
  },
};

const bf16Kernels: RowKernels = {
  dot(d, at, x, xAt, n) {
    let s = 0;
    for (let i = 0; i < n; i++) s += bf16(d[at + 2 * i] | (d[at + 2 * i + 1] << 8)) * x[xAt + i];
    return s;
  },
  dequantize(d, at, out, outAt, n) {
    for (let i = 0; i < n; i++) out[outAt + i] = bf16(d[at + 2 * i] | (d[at + 2 * i + 1] << 8));
  },
};

const q8_0Kernels: RowKernels = {
  dot(d, at, x, xAt, n) {
    const h = f16Table();
    let sum = 0;
    for (let b = 0; b < n; b += 32, at += 34) {
      const scale = h[d[at] | (d[at + 1] << 8)];
      let s = 0;
      for (let i = 0; i < 32; i++) s += ((d[at + 2 + i] << 24) >> 24) * x[xAt + b + i];
      sum += scale * s;
    }
    return sum;
  },
  dequantize(d, at, out, outAt, n) {
    const h = f16Table();
    for (let b = 0; b < n; b += 32, at += 34) {
      const scale = h[d[at] | (d[at + 1] << 8)];
      for (let i = 0; i < 32; i++) out[outAt + b + i] = scale * ((d[at + 2 + i] << 24) >> 24);
    }
  },
};

/**
 * Q4_0, Q4_1, Q5_0, Q5_1 share one shape: 16 bytes of nibbles (value i low, i + 16 high),
 * optional fifth bits and an offset: x = d * q + m, with m = -8d, -16d or the stored min.
 */
function smallBlockKernels(hasMin: boolean, fifthBit: boolean): RowKernels {
  const bytes = 2 + (hasMin ? 2 : 0) + (fifthBit ? 4 : 0) + 16;
  const qsAt = bytes - 16;
  const offset = fifthBit ? 16 : 8;
  // Σ w x = d Σ q x + m Σ x: the offset costs one sum of x per block, not a multiply per value.
  return {
    dot(d, at, x, xAt, n) {
      const h = f16Table();
      let sum = 0;
      for (let b = 0; b < n; b += 32, at += bytes) {
        const scale = h[d[at] | (d[at + 1] << 8)];
        const min = hasMin ? h[d[at + 2] | (d[at + 3] << 8)] : -offset * scale;
        const qh = fifthBit ? (d[at + qsAt - 4] | (d[at + qsAt - 3] << 8) | (d[at + qsAt - 2] << 16) | (d[at + qsAt - 1] << 24)) : 0;
        let sq = 0, sx = 0;
        const xb = xAt + b;
        for (let i = 0; i < 16; i++) {
          const q = d[at + qsAt + i];
          let lo = q & 15, hi = q >> 4;
          if (fifthBit) {
            lo |= ((qh >>> i) & 1) << 4;
            hi |= ((qh >>> (i + 16)) & 1) << 4;
          }
          const x0 = x[xb + i], x1 = x[xb + i + 16];
          sq += lo * x0 + hi * x1;
          sx += x0 + x1;
        }
        sum += scale * sq + min * sx;
      }
      return sum;
    },
    dequantize(d, at, out, outAt, n) {
      const h = f16Table();
      for (let b = 0; b < n; b += 32, at += bytes) {
        const scale = h[d[at] | (d[at + 1] << 8)];
        const min = hasMin ? h[d[at + 2] | (d[at + 3] << 8)] : -offset * scale;
        const qh = fifthBit ? (d[at + qsAt - 4] | (d[at + qsAt - 3] << 8) | (d[at + qsAt - 2] << 16) | (d[at + qsAt - 1] << 24)) : 0;
        for (let i = 0; i < 16; i++) {
          const q = d[at + qsAt + i];
          let lo = q & 15, hi = q >> 4;
          if (fifthBit) {
            lo |= ((qh >>> i) & 1) << 4;
            hi |= ((qh >>> (i + 16)) & 1) << 4;
          }
          out[outAt + b + i] = scale * lo + min;
          out[outAt + b + i + 16] = scale * hi + min;
        }
      }
    },
  };
}

/** The 6-bit scale and min of sub-block j (0..7) from a K-quant's 12 scale bytes at `s`. */
function kScale(d: Uint8Array, s: number, j: number): number {
  return j < 4 ? d[s + j] & 63 : (d[s + j + 4] & 15) | ((d[s + j - 4] >> 6) << 4);
}
function kMin(d: Uint8Array, s: number, j: number): number {
  return j < 4 ? d[s + j + 4] & 63 : (d[s + j + 4] >> 4) | ((d[s + j] >> 6) << 4);
}

/** Q4_K and Q5_K: 8 sub-blocks of 32 with their own 6-bit scale and min. */
function kQuantKernels(fifthBit: boolean): RowKernels {
  const bytes = fifthBit ? 176 : 144;
  const qhAt = 16; // after d, dmin, 12 scale bytes
  const qsAt = fifthBit ? 48 : 16;
  return {
    dot(d, at, x, xAt, n) {
      const h = f16Table();
      let sum = 0;
      for (let b = 0; b < n; b += 256, at += bytes) {
        const scale = h[d[at] | (d[at + 1] << 8)];
        const dmin = h[d[at + 2] | (d[at + 3] << 8)];
        for (let j = 0; j < 8; j++) {
          // Sub-block j: nibbles (low for even j, high for odd) of qs[32 (j >> 1) ..].
          const qs = at + qsAt + 32 * (j >> 1);
          const shift = (j & 1) * 4;
          const xb = xAt + b + 32 * j;
          let sq = 0, sx = 0;
          for (let l = 0; l < 32; l++) {
            let q = (d[qs + l] >> shift) & 15;
            if (fifthBit) q |= ((d[at + qhAt + l] >> j) & 1) << 4;
            const xv = x[xb + l];
            sq += q * xv;
            sx += xv;
          }
          sum += scale * kScale(d, at + 4, j) * sq - dmin * kMin(d, at + 4, j) * sx;
        }
      }
      return sum;
    },
    dequantize(d, at, out, outAt, n) {
      const h = f16Table();
      for (let b = 0; b < n; b += 256, at += bytes) {
        const scale = h[d[at] | (d[at + 1] << 8)];
        const dmin = h[d[at + 2] | (d[at + 3] << 8)];
        for (let j = 0; j < 8; j++) {
          const qs = at + qsAt + 32 * (j >> 1);
          const shift = (j & 1) * 4;
          const sc = scale * kScale(d, at + 4, j);
          const mn = dmin * kMin(d, at + 4, j);
          const o = outAt + b + 32 * j;
          for (let l = 0; l < 32; l++) {
            let q = (d[qs + l] >> shift) & 15;
            if (fifthBit) q |= ((d[at + qhAt + l] >> j) & 1) << 4;
            out[o + l] = sc * q - mn;
          }
        }
      }
    },
  };
}

/**
 * Q6_K: each half of 128 values reads 64 bytes of ql and 32 of qh. Value 32 g + l of the
 * half (g = 0..3, l = 0..31) takes the low (g < 2) or high nibble of ql[l + 32 (g & 1)] and
 * bits 2g, 2g+1 of qh[l]; its scale is scales[8 half + 2g + (l >> 4)].
 */
const q6_KKernels: RowKernels = {
  dot(d, at, x, xAt, n) {
    const h = f16Table();
    let sum = 0;
    for (let b = 0; b < n; b += 256, at += 210) {
      const scale = h[d[at + 208] | (d[at + 209] << 8)];
      let block = 0;
      for (let half = 0; half < 2; half++) {
        const ql = at + 64 * half;
        const qh = at + 128 + 32 * half;
        const sc = at + 192 + 8 * half;
        for (let g = 0; g < 4; g++) {
          const qlg = ql + 32 * (g & 1);
          const shift = g < 2 ? 0 : 4;
          const xb = xAt + b + 128 * half + 32 * g;
          for (let part = 0; part < 2; part++) {
            let s = 0;
            for (let l = 16 * part; l < 16 * part + 16; l++) {
              const q = (((d[qlg + l] >> shift) & 15) | (((d[qh + l] >> (2 * g)) & 3) << 4)) - 32;
              s += q * x[xb + l];
            }
            block += ((d[sc + 2 * g + part] << 24) >> 24) * s;
          }
        }
      }
      sum += scale * block;
    }
    return sum;
  },
  dequantize(d, at, out, outAt, n) {
    const h = f16Table();
    for (let b = 0; b < n; b += 256, at += 210) {
      const scale = h[d[at + 208] | (d[at + 209] << 8)];
      for (let half = 0; half < 2; half++) {
        const ql = at + 64 * half;
        const qh = at + 128 + 32 * half;
        const sc = at + 192 + 8 * half;
        for (let g = 0; g < 4; g++) {
          const qlg = ql + 32 * (g & 1);
          const shift = g < 2 ? 0 : 4;
          const o = outAt + b + 128 * half + 32 * g;
          for (let l = 0; l < 32; l++) {
            const q = (((d[qlg + l] >> shift) & 15) | (((d[qh + l] >> (2 * g)) & 3) << 4)) - 32;
            out[o + l] = scale * ((d[sc + 2 * g + (l >> 4)] << 24) >> 24) * q;
          }
        }
      }
    }
  },
};

const KERNELS: Record<number, RowKernels> = {
  [GgmlType.F32]: f32Kernels,
  [GgmlType.F16]: f16Kernels,
  [GgmlType.BF16]: bf16Kernels,
  [GgmlType.Q8_0]: q8_0Kernels,
  [GgmlType.Q4_0]: smallBlockKernels(false, false),
  [GgmlType.Q4_1]: smallBlockKernels(true, false),
  [GgmlType.Q5_0]: smallBlockKernels(false, true),
  [GgmlType.Q5_1]: smallBlockKernels(true, true),
  [GgmlType.Q4_K]: kQuantKernels(false),
  [GgmlType.Q5_K]: kQuantKernels(true),
  [GgmlType.Q6_K]: q6_KKernels,
};

/**
 * A weight matrix in its file's encoding: rows x cols values, row r at data[r * rowBytes ..].
 * (GGUF's ne0 is cols: the values of one row are contiguous.)
 */
export interface PackedMatrix {
  readonly type: number;
  readonly rows: number;
  readonly cols: number;
  readonly rowBytes: number;
  readonly data: Uint8Array;
}

/** Wraps packed bytes as a matrix, checking that the type is supported and the bytes fit. */
export function packedMatrix(type: number, rows: number, cols: number, data: Uint8Array, name = 'tensor'): PackedMatrix {
  const t = TYPES[type];
  if (!t) throw new ModelError('bad-dtype', `tensor ${name} has weight type ${ggmlTypeName(type)}, which is not supported`);
  if (cols % t.blockSize !== 0) throw new ModelError('shape-mismatch', `tensor ${name}: rows of ${cols} values are not whole ${t.name} blocks of ${t.blockSize}`);
  const rb = rowBytes(type, cols);
  if (data.length < rb * rows) throw new ModelError('bad-offsets', `tensor ${name}: ${data.length} bytes for ${rows} rows of ${rb}`);
  return { type, rows, cols, rowBytes: rb, data };
}

/** W (rows, cols) @ x[xAt .. xAt+cols) + bias -> out[outAt .. outAt+rows). */
export function packedMatvec(out: Float32Array, w: PackedMatrix, x: Float32Array, bias?: Float32Array, outAt = 0, xAt = 0): void {
  const k = KERNELS[w.type];
  const { rows, cols, rowBytes: rb, data } = w;
  for (let r = 0; r < rows; r++) out[outAt + r] = k.dot(data, r * rb, x, xAt, cols) + (bias ? bias[r] : 0);
}

/**
 * W @ X for n rows of X + bias: out[outAt + b * outStride + r] (outStride = rows: out (n, rows)).
 * Rows outside, tokens inside: each packed row is read once per batch while it is in cache.
 */
export function packedMatmul(out: Float32Array, w: PackedMatrix, x: Float32Array, bias: Float32Array | undefined, n: number, outStride = w.rows, outAt = 0): void {
  const k = KERNELS[w.type];
  const { rows, cols, rowBytes: rb, data } = w;
  for (let r = 0; r < rows; r++) {
    const add = bias ? bias[r] : 0;
    for (let b = 0; b < n; b++) out[outAt + b * outStride + r] = k.dot(data, r * rb, x, b * cols, cols) + add;
  }
}

/** Row r of W as F32 into out[outAt ..] (an embedding lookup); added when `accumulate`. */
export function dequantizeRow(out: Float32Array, w: PackedMatrix, r: number, outAt = 0, accumulate = false): void {
  const k = KERNELS[w.type];
  if (!accumulate) {
    k.dequantize(w.data, r * w.rowBytes, out, outAt, w.cols);
    return;
  }
  const row = scratch(w.cols);
  k.dequantize(w.data, r * w.rowBytes, row, 0, w.cols);
  for (let i = 0; i < w.cols; i++) out[outAt + i] += row[i];
}

let scratchRow = new Float32Array(0);
function scratch(n: number): Float32Array {
  if (scratchRow.length < n) scratchRow = new Float32Array(n);
  return scratchRow;
}

/** The whole tensor as F32 (small vectors: norms, biases; and tests). */
export function dequantize(type: number, data: Uint8Array, count: number): Float32Array {
  const t = TYPES[type];
  if (!t) throw new ModelError('bad-dtype', `weight type ${ggmlTypeName(type)} is not supported`);
  if (count % t.blockSize !== 0) throw new ModelError('shape-mismatch', `${count} values are not whole ${t.name} blocks`);
  if (data.length < rowBytes(type, count)) throw new ModelError('bad-offsets', `${data.length} bytes are too few for ${count} ${t.name} values`);
  const out = new Float32Array(count);
  KERNELS[type].dequantize(data, 0, out, 0, count);
  return out;
}
