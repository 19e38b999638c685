/**
 * The numeric kernels of the forward pass. Each is a plain loop over typed arrays; none
 * allocates. Matrices are row-major [rows, cols] so every output is one contiguous dot
 * product (the layout that keeps the hot loop sequential in memory).
 */

/** A weight matrix: F32, or int8 with one F32 scale per row (value = q * scale[row]). */
export interface Matrix {
  readonly rows: number;
  readonly cols: number;
  readonly f32?: Float32Array;
  readonly i8?: Int8Array;
  readonly scale?: Float32Array;
}

/**
 * W (rows, cols) @ x[xAt .. xAt+cols) + b (rows,) -> out[outAt .. outAt+rows). The offsets let
 * matmul run row by row over batch buffers without making views.
 */
export function matvec(out: Float32Array, w: Matrix, x: Float32Array, bias?: Float32Array, outAt = 0, xAt = 0): void {
  const { rows, cols } = w;
  // F32 weights, or int8 with one scale per row (the WebAssembly kernels are the fast path;
  // this one is their reference, so one loop serves both element types).
  const d: Float32Array | Int8Array = w.f32 ?? w.i8!;
  const scale = w.f32 ? undefined : w.scale!;
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    // Four independent accumulators: breaks the add dependency chain.
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    let c = 0;
    for (; c + 3 < cols; c += 4) {
      s0 += d[base + c] * x[xAt + c];
      s1 += d[base + c + 1] * x[xAt + c + 1];
      s2 += d[base + c + 2] * x[xAt + c + 2];
      s3 += d[base + c + 3] * x[xAt + c + 3];
    }
    for (; c < cols; c++) s0 += d[base + c] * x[xAt + c];
    out[outAt + r] = (s0 + s1 + s2 + s3) * (scale ? scale[r] : 1) + (bias ? bias[r] : 0);
  }
}

/** out = row `r` of W (an embedding lookup), added to `out` when `accumulate`. */
export function copyRow(out: Float32Array, w: Matrix, r: number, accumulate: boolean): void {
  const { cols } = w;
  const base = r * cols;
  if (w.f32) {
    const d = w.f32;
    if (accumulate) for (let c = 0; c < cols; c++) out[c] += d[base + c];
    else for (let c = 0; c < cols; c++) out[c] = d[base + c];
  } else {
    const d = w.i8!;
    const s = w.scale![r];
    if (accumulate) for (let c = 0; c < cols; c++) out[c] += d[base + c] * s;
    else for (let c = 0; c < cols; c++) out[c] = d[base + c] * s;
  }
}

/** LayerNorm over x (n,) with weight and bias -> out (n,); statistics in float64. */
export function layerNorm(out: Float32Array, x: Float32Array, weight: Float32Array, bias: Float32Array, eps: number): void {
  const n = x.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += x[i];
  mean /= n;
  let variance = 0;
  for (let i = 0; i < n; i++) {
    const d = x[i] - mean;
    variance += d * d;
  }
  variance /= n;
  const inv = 1 / Math.sqrt(variance + eps);
  for (let i = 0; i < n; i++) out[i] = (x[i] - mean) * inv * weight[i] + bias[i];
}

const GELU_C = Math.sqrt(2 / Math.PI);

/** GELU, tanh approximation (GPT-2's gelu_new), in place on x[0..n). */
export function gelu(x: Float32Array, n = x.length): void {
  for (let i = 0; i < n; i++) {
    const v = x[i];
    x[i] = 0.5 * v * (1 + Math.tanh(GELU_C * (v + 0.044715 * v * v * v)));
  }
}

/** Softmax of x[0..n) -> out[0..n); subtracts the max first so exp never overflows. */
export function softmax(out: Float32Array, x: Float32Array, n = x.length): void {
  let max = -Infinity;
  for (let i = 0; i < n; i++) if (x[i] > max) max = x[i];
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const e = Math.exp(x[i] - max);
    out[i] = e;
    sum += e;
  }
  const inv = 1 / sum;
  for (let i = 0; i < n; i++) out[i] *= inv;
}

/** x += y over the first n elements (the residual stream). */
export function addInPlace(x: Float32Array, y: Float32Array, n = x.length): void {
  for (let i = 0; i < n; i++) x[i] += y[i];
}

/** W (rows, cols) @ X (n, cols) + b -> out (n, rows): one matvec per input row, no views made. */
export function matmul(out: Float32Array, w: Matrix, x: Float32Array, bias: Float32Array | undefined, n: number): void {
  for (let b = 0; b < n; b++) {
    matvec(out, w, x, bias, b * w.rows, b * w.cols);
  }
}

/**
 * scores[t] = q . k_t * scale for t < n, with q = qkv[qAt ..] and k_t = keys[kAt + t * stride ..]
 * (one head's attention scores over the cached keys; the reference of the SIMD kernel).
 */
export function attentionScores(scores: Float32Array, qkv: Float32Array, qAt: number, keys: Float32Array, kAt: number, stride: number, headSize: number, n: number, scale: number): void {
  for (let t = 0; t < n; t++) {
    const k = kAt + t * stride;
    let dot = 0;
    for (let i = 0; i < headSize; i++) dot += qkv[qAt + i] * keys[k + i];
    scores[t] = dot * scale;
  }
}

/** out[outAt ..] = sum_t weights[t] * values[vAt + t * stride ..] for t < n (one head's output). */
export function attentionMix(out: Float32Array, outAt: number, weights: Float32Array, values: Float32Array, vAt: number, stride: number, headSize: number, n: number): void {
  for (let i = 0; i < headSize; i++) out[outAt + i] = 0;
  for (let t = 0; t < n; t++) {
    const a = weights[t];
    const v = vAt + t * stride;
    for (let i = 0; i < headSize; i++) out[outAt + i] += a * values[v + i];
  }
}

/** The reference attention kernels, shaped like the SIMD ones (models use whichever they have). */
export const referenceAttention = { attentionScores, attentionMix };
