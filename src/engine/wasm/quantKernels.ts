/**
 * The WebAssembly SIMD kernels for GGUF's packed weights (kernels.wat, `matmul_<type>`):
 * Q8_0, Q4_0, Q4_1, Q5_0, Q4_K, Q5_K and Q6_K rows against int8-quantised activations (widened to
 * int16 once), an exact integer dot product per block; the small-block types unpack each
 * weight block once for up to four tokens. Instantiated per model over that model's own
 * memory, where its weights, run state and quantised activations live (a pointer is a
 * view's byteOffset). quantDot.ts's loops are the reference; F32, F16, BF16 and Q5_1
 * keep using them. The attention kernels (kernels.wat's attn_scores, attn_mix, softmax_f32)
 * come with them, over the model's KV cache in the same memory.
 */
import { GgmlType, type PackedMatrix } from '../quant';
import type { KernelVariant } from './kernelModule';
import { createKernelMemory, helperRows, type HelperKernel } from './kernelThreads';

type Matmul = (out: number, w: number, rowBytes: number, rows: number, xq: number, xd: number, xs: number, nb: number, n: number, outStride: number, bias: number) => void;

interface Exports {
  matmul_q8_0: Matmul;
  matmul_q4_0: Matmul;
  matmul_q4_1: Matmul;
  matmul_q5_0: Matmul;
  matmul_q4_K: Matmul;
  matmul_q5_K: Matmul;
  matmul_q6_K: Matmul;
  attn_scores(scores: number, q: number, k: number, stride: number, hs: number, n: number, scale: number): void;
  attn_mix(out: number, weights: number, v: number, stride: number, hs: number, n: number): void;
  softmax_f32(out: number, x: number, n: number): void;
  quantize_q8(x: number, n: number, block: number, q16: number, d: number, s: number, sums: number, kind: number): void;
}

/** The kernel of each weight type it computes. */
const KERNEL: Record<number, keyof Exports & HelperKernel> = {
  [GgmlType.Q8_0]: 'matmul_q8_0', [GgmlType.Q4_0]: 'matmul_q4_0', [GgmlType.Q4_1]: 'matmul_q4_1', [GgmlType.Q5_0]: 'matmul_q5_0',
  [GgmlType.Q4_K]: 'matmul_q4_K', [GgmlType.Q5_K]: 'matmul_q5_K', [GgmlType.Q6_K]: 'matmul_q6_K',
};
/** k-quants read 256-value activation blocks (with their sums of 32) instead of 32-value ones. */
const K_QUANT = new Set<number>([GgmlType.Q4_K, GgmlType.Q5_K, GgmlType.Q6_K]);

export function wasmComputes(type: number): boolean {
  return KERNEL[type] !== undefined;
}

/** The activation rows a kernel reads: int8 quants widened to int16, block scales, F16(scale * sum) per block. */
export interface QuantisedRows {
  q16: Int16Array;
  d: Float32Array;
  s: Float32Array;
  /** Q8_K: the sum of each 32 quants. */
  sums: Int32Array;
}

export interface QuantKernels {
  readonly memory: WebAssembly.Memory;
  /** Which build of the kernels runs (relaxed SIMD where the runtime has it). */
  readonly variant: KernelVariant;
  /** 2 when a helper thread takes part of each large product (kernelThreads.ts), else 1. */
  readonly threads: number;
  /** Whether products are split now (the helper is up and answering). */
  readonly parallel: boolean;
  /** Stops the helper thread, if any. */
  dispose(): void;
  /** out[outAt + b * outStride + r] = W row r . activation row b (+ bias[r]); every array in `memory`. */
  matmul(out: Float32Array, w: PackedMatrix, a: QuantisedRows, bias: Float32Array | undefined, n: number, outStride: number, outAt: number): void;
  /** scores[t] = q . k_t * scale for t < n; q = qkv[qAt ..], k_t = keys[kAt + t * stride ..] (offsets in floats, head size % 4 == 0). */
  attentionScores(scores: Float32Array, qkv: Float32Array, qAt: number, keys: Float32Array, kAt: number, stride: number, headSize: number, n: number, scale: number): void;
  /** out[outAt ..] = sum_t weights[t] * values[vAt + t * stride ..] for t < n. */
  attentionMix(out: Float32Array, outAt: number, weights: Float32Array, values: Float32Array, vAt: number, stride: number, headSize: number, n: number): void;
  /** softmax of x[0..n) into out (may be x). */
  softmax(out: Float32Array, x: Float32Array, n: number): void;
  /**
   * x[0..n) quantised for weights of `type` (one the kernels compute) into a's q16, d, s and
   * sums, as Activations.load does (its TypeScript loop is the reference); x in `memory`.
   */
  quantize(x: Float32Array, n: number, type: number, a: QuantisedRows): void;
}

/** A memory of at least `bytes` bytes with the kernels bound to it, or undefined without SIMD. */
export function createQuantKernels(bytes: number): QuantKernels | undefined {
  const km = createKernelMemory(bytes);
  if (!km) return undefined;
  const e = km.exports as unknown as Exports;
  return {
    memory: km.memory,
    variant: km.variant,
    threads: km.threads,
    get parallel() {
      return km.parallel;
    },
    dispose: () => km.dispose(),
    matmul(out, w, a, bias, n, outStride, outAt) {
      const k = K_QUANT.has(w.type);
      const kernel = KERNEL[w.type];
      const o = out.byteOffset + 4 * outAt;
      const b = bias ? bias.byteOffset : 0;
      const xs = k ? a.sums.byteOffset : a.s.byteOffset;
      const nb = w.cols / (k ? 256 : 32);
      const { rows, rowBytes } = w;
      if (rows >= 8 && km.splits(n * rows * w.cols)) {
        // By output rows, for decode and prefill alike: the helper computes the first h rows
        // of every token, this thread the rest (each unpacks only its own weight blocks).
        const h = helperRows(rows);
        km.both(kernel,
          [o + 4 * h, w.data.byteOffset + h * rowBytes, rowBytes, rows - h, a.q16.byteOffset, a.d.byteOffset, xs, nb, n, outStride, b ? b + 4 * h : 0],
          [o, w.data.byteOffset, rowBytes, h, a.q16.byteOffset, a.d.byteOffset, xs, nb, n, outStride, b]);
        return;
      }
      (e[kernel] as Matmul)(o, w.data.byteOffset, rowBytes, rows, a.q16.byteOffset, a.d.byteOffset, xs, nb, n, outStride, b);
    },
    attentionScores(scores, qkv, qAt, keys, kAt, stride, headSize, n, scale) {
      e.attn_scores(scores.byteOffset, qkv.byteOffset + 4 * qAt, keys.byteOffset + 4 * kAt, 4 * stride, headSize, n, scale);
    },
    attentionMix(out, outAt, weights, values, vAt, stride, headSize, n) {
      e.attn_mix(out.byteOffset + 4 * outAt, weights.byteOffset, values.byteOffset + 4 * vAt, 4 * stride, headSize, n);
    },
    softmax(out, x, n) {
      e.softmax_f32(out.byteOffset, x.byteOffset, n);
    },
    quantize(x, n, type, a) {
      const kind = K_QUANT.has(type) ? 2 : type === GgmlType.Q4_1 ? 1 : 0;
      e.quantize_q8(x.byteOffset, n, kind === 2 ? 256 : 32, a.q16.byteOffset, a.d.byteOffset, a.s.byteOffset, a.sums.byteOffset, kind);
    },
  };
}
