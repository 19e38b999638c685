/**
 * The WebAssembly SIMD kernels, instantiated per model over that model's own memory.
 * Every array a kernel touches is a view into that memory, so a pointer is just the
 * view's byteOffset. Returns undefined where WebAssembly or SIMD is unavailable: the
 * plain TypeScript kernels (the reference) are used instead.
 */
import type { Matrix } from '../kernels';
import { kernelModule, type KernelVariant } from './kernelModule';

interface Exports {
  matvec_f32(out: number, w: number, x: number, bias: number, rows: number, cols: number): void;
  matvec_i8(out: number, w: number, scale: number, x: number, bias: number, rows: number, cols: number): void;
  matmul_f32(out: number, w: number, x: number, bias: number, rows: number, cols: number, n: number): void;
  attn_scores(scores: number, q: number, k: number, stride: number, hs: number, n: number, scale: number): void;
  attn_mix(out: number, weights: number, v: number, stride: number, hs: number, n: number): void;
  gelu_f32(x: number, n: number): void;
  softmax_f32(out: number, x: number, n: number): void;
}

export interface WasmKernels {
  readonly memory: WebAssembly.Memory;
  /** Which build of the kernels runs (relaxed SIMD where the runtime has it). */
  readonly variant: KernelVariant;
  matvec(out: Float32Array, w: Matrix, x: Float32Array, bias?: Float32Array): void;
  /** W @ X for n input rows: out (n, rows). */
  matmul(out: Float32Array, w: Matrix, x: Float32Array, bias: Float32Array | undefined, n: number): void;
  /** scores[t] = q . k_t * scale for t < n, q = qkv[qAt..], k_t = keys[kAt + t * stride ..] (offsets in floats). */
  attentionScores(scores: Float32Array, qkv: Float32Array, qAt: number, keys: Float32Array, kAt: number, stride: number, headSize: number, n: number, scale: number): void;
  /** out[outAt..] = sum_t weights[t] * values[vAt + t * stride ..] for t < n. */
  attentionMix(out: Float32Array, outAt: number, weights: Float32Array, values: Float32Array, vAt: number, stride: number, headSize: number, n: number): void;
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
  const kernels = kernelModule();
  if (!kernels) return undefined;
  const pages = Math.ceil(bytes / 65536) + 1;
  if (pages > 65536) return undefined; // over 4 GiB: not a model for the editor
  const memory = new WebAssembly.Memory({ initial: pages, maximum: pages });
  const e = new WebAssembly.Instance(kernels.module, { env: { memory } }).exports as unknown as Exports;
  return {
    memory,
    variant: kernels.variant,
    matvec(out, w, x, bias) {
      if (w.f32) e.matvec_f32(out.byteOffset, w.f32.byteOffset, x.byteOffset, bias ? bias.byteOffset : 0, w.rows, w.cols);
      else e.matvec_i8(out.byteOffset, w.i8!.byteOffset, w.scale!.byteOffset, x.byteOffset, bias ? bias.byteOffset : 0, w.rows, w.cols);
    },
    matmul(out, w, x, bias, n) {
      const b = bias ? bias.byteOffset : 0;
      if (w.f32) e.matmul_f32(out.byteOffset, w.f32.byteOffset, x.byteOffset, b, w.rows, w.cols, n);
      else for (let i = 0; i < n; i++) {
        e.matvec_i8(out.byteOffset + i * w.rows * 4, w.i8!.byteOffset, w.scale!.byteOffset, x.byteOffset + i * w.cols * 4, b, w.rows, w.cols);
      }
    },
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
