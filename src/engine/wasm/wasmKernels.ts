/**
 * The WebAssembly SIMD kernels, instantiated per model over that model's own memory.
 * Every array a kernel touches is a view into that memory, so a pointer is just the
 * view's byteOffset. Returns undefined where WebAssembly or SIMD is unavailable: the
 * plain TypeScript kernels (the reference) are used instead.
 */
import type { Matrix } from '../kernels';
import { kernelModule, type KernelVariant } from './kernelModule';
import { createKernelMemory, helperRows } from './kernelThreads';

interface Exports {
  matvec_f32(out: number, w: number, x: number, bias: number, rows: number, cols: number): void;
  matvec_i8(out: number, w: number, scale: number, x: number, bias: number, rows: number, cols: number): void;
  matmul_f32(out: number, w: number, x: number, bias: number, rows: number, cols: number, n: number): void;
  attn_scores(scores: number, q: number, k: number, stride: number, hs: number, n: number, scale: number): void;
  attn_mix(out: number, weights: number, v: number, stride: number, hs: number, n: number): void;
  attend_rows(qkv: number, keys: number, values: number, out: number, scores: number, start: number, b0: number, b1: number, heads: number, hs: number, scale: number): void;
  gelu_f32(x: number, n: number): void;
  softmax_f32(out: number, x: number, n: number): void;
}

export interface WasmKernels {
  readonly memory: WebAssembly.Memory;
  /** Which build of the kernels runs (relaxed SIMD where the runtime has it). */
  readonly variant: KernelVariant;
  /** 2 when a helper thread takes part of each large product (kernelThreads.ts), else 1. */
  readonly threads: number;
  /** Whether products are split now (the helper is up and answering). */
  readonly parallel: boolean;
  /** Stops the helper thread, if any. */
  dispose(): void;
  matvec(out: Float32Array, w: Matrix, x: Float32Array, bias?: Float32Array): void;
  /** W @ X for n input rows: out (n, rows). */
  matmul(out: Float32Array, w: Matrix, x: Float32Array, bias: Float32Array | undefined, n: number): void;
  /** scores[t] = q . k_t * scale for t < n, q = qkv[qAt..], k_t = keys[kAt + t * stride ..] (offsets in floats). */
  attentionScores(scores: Float32Array, qkv: Float32Array, qAt: number, keys: Float32Array, kAt: number, stride: number, headSize: number, n: number, scale: number): void;
  /** out[outAt..] = sum_t weights[t] * values[vAt + t * stride ..] for t < n. */
  attentionMix(out: Float32Array, outAt: number, weights: Float32Array, values: Float32Array, vAt: number, stride: number, headSize: number, n: number): void;
  /**
   * Self-attention of prefill rows 0..n (positions start..start+n), every head, over the cache
   * (keys and values from float offset cacheAt, rows of heads * headSize) whose rows up to
   * start + n are written: out row b = softmax(q_b . K / sqrt) V. `scores` and `spare` are two
   * n_positions scratch rows (the second for the helper thread). Same bits as attentionScores,
   * softmax and attentionMix per row and head.
   */
  attendRows(qkv: Float32Array, keys: Float32Array, values: Float32Array, cacheAt: number, out: Float32Array, scores: Float32Array, spare: Float32Array, start: number, n: number, heads: number, headSize: number, scale: number): void;
  /** GELU in place on x[0..n), n % 4 == 0 (e^x by a polynomial: within 2e-7 of Math.tanh's form). */
  gelu(x: Float32Array, n: number): void;
  /** softmax of x[0..n) into out[0..n) (out may be x). */
  softmax(out: Float32Array, x: Float32Array, n: number): void;
}

export function wasmAvailable(): boolean {
  return typeof WebAssembly === 'object' && kernelModule() !== undefined;
}

/** A memory of at least `bytes` bytes with the kernels bound to it. */
export function createWasmKernels(bytes: number): WasmKernels | undefined {
  const km = createKernelMemory(bytes);
  if (!km) return undefined;
  const e = km.exports as unknown as Exports;
  const bAt = (b: number, r: number) => (b ? b + 4 * r : 0);
  const matvec = (out: Float32Array, w: Matrix, x: Float32Array, bias?: Float32Array) => {
    const b = bias ? bias.byteOffset : 0;
    const { rows, cols } = w;
    const o = out.byteOffset;
    if (rows >= 8 && km.splits(rows * cols)) {
      // By output rows: the helper computes the first h.
      const h = helperRows(rows);
      if (w.f32) {
        const at = w.f32.byteOffset;
        km.both('matvec_f32', [o + 4 * h, at + 4 * h * cols, x.byteOffset, bAt(b, h), rows - h, cols], [o, at, x.byteOffset, b, h, cols]);
      } else {
        const at = w.i8!.byteOffset;
        const sc = w.scale!.byteOffset;
        km.both('matvec_i8', [o + 4 * h, at + h * cols, sc + 4 * h, x.byteOffset, bAt(b, h), rows - h, cols], [o, at, sc, x.byteOffset, b, h, cols]);
      }
    } else if (w.f32) e.matvec_f32(o, w.f32.byteOffset, x.byteOffset, b, rows, cols);
    else e.matvec_i8(o, w.i8!.byteOffset, w.scale!.byteOffset, x.byteOffset, b, rows, cols);
  };
  const matmul = (out: Float32Array, w: Matrix, x: Float32Array, bias: Float32Array | undefined, n: number) => {
    const b = bias ? bias.byteOffset : 0;
    const { rows, cols } = w;
    const o = out.byteOffset;
    if (!w.f32) {
      for (let i = 0; i < n; i++) matvec(out.subarray(i * rows, (i + 1) * rows), w, x.subarray(i * cols, (i + 1) * cols), bias);
      return;
    }
    const at = w.f32.byteOffset;
    if (n === 1 && rows >= 8 && km.splits(rows * cols)) {
      // One token (decode): by output rows, the same kernel on each part.
      const h = helperRows(rows);
      km.both('matmul_f32', [o + 4 * h, at + 4 * h * cols, x.byteOffset, bAt(b, h), rows - h, cols, 1], [o, at, x.byteOffset, b, h, cols, 1]);
    } else if (n > 1 && km.splits(n * rows * cols)) {
      // Prefill: by input rows (tokens); each thread multiplies its tokens, in pairs as the kernel does, with all of W.
      const h = n >= 4 ? ((n + 2) >> 2) << 1 : n >> 1;
      km.both('matmul_f32', [o + 4 * h * rows, at, x.byteOffset + 4 * h * cols, b, rows, cols, n - h], [o, at, x.byteOffset, b, rows, cols, h]);
    } else e.matmul_f32(o, at, x.byteOffset, b, rows, cols, n);
  };
  const attendRows: WasmKernels['attendRows'] = (qkv, keys, values, cacheAt, out, scores, spare, start, n, heads, headSize, scale) => {
    const k = keys.byteOffset + 4 * cacheAt;
    const v = values.byteOffset + 4 * cacheAt;
    const args = (from: number, to: number, scratch: Float32Array) => [qkv.byteOffset, k, v, out.byteOffset, scratch.byteOffset, start, from, to, heads, headSize, scale];
    // Row b reads start + b + 1 keys: the helper takes the first rows up to half of all the work.
    const work = n * (start + (n + 1) / 2);
    if (n > 1 && km.splits(work * heads * headSize * 2)) {
      let h = 0;
      for (let done = 0; h < n - 1 && 2 * (done + start + h + 1) <= work; h++) done += start + h + 1;
      if (h > 0) {
        km.both('attend_rows', args(h, n, scores), args(0, h, spare));
        return;
      }
    }
    e.attend_rows(...(args(0, n, scores) as Parameters<Exports['attend_rows']>));
  };
  return {
    memory: km.memory,
    variant: km.variant,
    threads: km.threads,
    get parallel() {
      return km.parallel;
    },
    attendRows,
    dispose: () => km.dispose(),
    matvec,
    matmul,
    attentionScores(scores, qkv, qAt, keys, kAt, stride, headSize, n, scale) {
      e.attn_scores(scores.byteOffset, qkv.byteOffset + qAt * 4, keys.byteOffset + kAt * 4, stride * 4, headSize, n, scale);
    },
    attentionMix(out, outAt, weights, values, vAt, stride, headSize, n) {
      e.attn_mix(out.byteOffset + outAt * 4, weights.byteOffset, values.byteOffset + vAt * 4, stride * 4, headSize, n);
    },
    gelu(x, n) {
      e.gelu_f32(x.byteOffset, n);
    },
    softmax(out, x, n) {
      e.softmax_f32(out.byteOffset, x.byteOffset, n);
    },
  };
}
