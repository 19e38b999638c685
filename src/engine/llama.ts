/**
 * The transformers of GGUF files, with their weights kept packed (quant.ts), in the order
 * data flows:
 *
 *   token -> embedding row (dequantised; + position row for gpt2)
 *   -> Nx blocks [norm -> attention (Q, K, V; rotary positions for llama/qwen2; grouped
 *      key/value heads) -> + ; norm -> MLP (SwiGLU for llama/qwen2, GELU for gpt2) -> +]
 *   -> final norm -> output layer (token_embd when the file has no output.weight) -> softmax
 *
 * `llama` (SmolLM2, TinyLlama): RMSNorm, rotary embedding pairing adjacent dimensions
 * (llama.cpp's "normal" rope type; its converter permutes Q and K rows to match), SwiGLU,
 * no biases. `qwen2`: the same with Q/K/V biases and NEOX rotary pairing (dimension i with
 * i + d/2). `gpt2`: LayerNorm with biases, learned positions, one QKV matrix, GELU MLP.
 * Config, weights and run state are separate; the forward pass allocates nothing.
 */
import type { TransformerConfig } from './config';
import { checkContext, ModelError } from './errors';
import { gelu, referenceAttention, softmax } from './kernels';
import type { FimTokens, LanguageModel, ModelInfo, PredictOptions, Prediction } from './languageModel';
import { dequantizeRow, type PackedMatrix } from './quant';
import { Activations, quantMatmul } from './quantDot';
import { Arena } from './arena';
import type { KernelVariant } from './wasm/kernelModule';
import { createQuantKernels, wasmComputes, type QuantKernels } from './wasm/quantKernels';
import type { Tokenizer } from './tokenizer';
import { topOf, type InspectRequest, type Inspection, type LensLayer, type MatrixShape } from './inspect';
import { advanceCache } from './kvCache';

export type GgufArchitecture = 'llama' | 'qwen2' | 'gpt2';

/** The blueprint read from the metadata. */
export interface LlamaConfig {
  architecture: GgufArchitecture;
  vocabSize: number; // L
  width: number; // M
  layers: number; // Nx
  heads: number; // query heads
  kvHeads: number; // key/value heads (grouped-query attention when < heads)
  headDim: number; // M / heads
  ffn: number; // MLP hidden width
  /** The window the editor uses: the model's context length, capped (see loadGguf). */
  contextLength: number;
  normEpsilon: number;
  /** Rotary embedding: base theta, dimensions rotated per head, and which pairs rotate together. */
  ropeBase: number;
  ropeDims: number;
  rope: 'normal' | 'neox' | 'none';
}

export interface LlamaLayerWeights {
  attnNorm: Float32Array; // (M,)
  attnNormBias?: Float32Array; // (M,) gpt2
  /** Either separate Q, K, V (llama, qwen2) or one QKV matrix (gpt2), rows q, then k, then v. */
  wq?: PackedMatrix; // (heads * headDim, M)
  wk?: PackedMatrix; // (kvHeads * headDim, M)
  wv?: PackedMatrix; // (kvHeads * headDim, M)
  wqkv?: PackedMatrix; // (3M, M)
  bq?: Float32Array;
  bk?: Float32Array;
  bv?: Float32Array;
  bqkv?: Float32Array;
  wo: PackedMatrix; // (M, heads * headDim)
  bo?: Float32Array;
  ffnNorm: Float32Array; // (M,)
  ffnNormBias?: Float32Array;
  gate?: PackedMatrix; // (ffn, M) SwiGLU only
  up: PackedMatrix; // (ffn, M)
  upBias?: Float32Array;
  down: PackedMatrix; // (M, ffn)
  downBias?: Float32Array;
}

export interface LlamaWeights {
  tokenEmbedding: PackedMatrix; // (L, M)
  positionEmbedding?: PackedMatrix; // (n_ctx, M) gpt2
  layers: LlamaLayerWeights[];
  outputNorm: Float32Array; // (M,)
  outputNormBias?: Float32Array;
  output: PackedMatrix; // (L, M): token_embd itself when tied
  parameters: number;
}

/** Display and picker facts from the metadata. */
export interface LlamaDescription {
  id: string;
  displayName: string;
  description: string;
  bosTokenId: number | undefined;
  fim?: FimTokens;
  gguf?: ModelInfo['gguf'];
}

/** Tokens run through the blocks together during prefill (each weight row is read once per batch). */
export const LLAMA_PREFILL_BATCH = 16;

interface History {
  from: number;
  probs: Float32Array;
}

class RunState {
  readonly x: Float32Array; // (B, M) residual stream
  readonly xb: Float32Array; // (B, M) normalised input of a sub-block
  readonly qkv: Float32Array; // (B, qDim + 2 kvDim): q, then k, then v of each token
  readonly att: Float32Array; // (B, qDim) attention output before the projection
  readonly proj: Float32Array; // (B, M) output of a projection
  readonly hb: Float32Array; // (B, ffn) gate (or the GELU hidden)
  readonly hb2: Float32Array; // (B, ffn) up
  readonly keys: Float32Array; // (layer, T, kvDim) KV cache, keys already rotated
  readonly values: Float32Array; // (layer, T, kvDim)
  readonly scores: Float32Array; // (T,)
  readonly attention: Float32Array[]; // per layer (heads, T): the last position's weights
  readonly logits: Float32Array; // (L,)
  readonly probs: Float32Array; // (L,)
  /** cos and sin of each position's rotation angles: (T, ropeDims / 2) */
  readonly ropeCos: Float32Array;
  readonly ropeSin: Float32Array;
  readonly cachedTokens: Int32Array;
  /** The activation of the current matrix product, quantised as its weights want it. */
  readonly activations: Activations;
  cachedLength = 0;

  /** With an arena, the buffers the kernels touch are placed in their memory. */
  constructor(c: LlamaConfig, arena?: Arena) {
    const B = LLAMA_PREFILL_BATCH;
    const T = c.contextLength;
    const qDim = c.heads * c.headDim;
    const kvDim = c.kvHeads * c.headDim;
    const f32 = (n: number) => (arena ? arena.f32(n) : new Float32Array(n));
    this.x = f32(B * c.width);
    this.xb = f32(B * c.width);
    this.qkv = f32(B * (qDim + 2 * kvDim));
    this.att = f32(B * qDim);
    this.proj = f32(B * c.width);
    this.hb = f32(B * c.ffn);
    this.hb2 = f32(B * c.ffn);
    this.logits = f32(c.vocabSize);
    this.activations = new Activations(B * Math.max(c.width, c.ffn, qDim), arena);
    this.keys = f32(c.layers * T * kvDim);
    this.values = f32(c.layers * T * kvDim);
    this.scores = f32(T);
    this.attention = Array.from({ length: c.layers }, () => new Float32Array(c.heads * T));
    this.probs = new Float32Array(c.vocabSize);
    const half = c.rope === 'none' ? 0 : c.ropeDims / 2;
    this.ropeCos = new Float32Array(T * half);
    this.ropeSin = new Float32Array(T * half);
    for (let i = 0; i < half; i++) {
      // theta_i = base^(-2i / d): the frequency of pair i.
      const freq = Math.pow(c.ropeBase, (-2 * i) / c.ropeDims);
      for (let p = 0; p < T; p++) {
        this.ropeCos[p * half + i] = Math.cos(p * freq);
        this.ropeSin[p * half + i] = Math.sin(p * freq);
      }
    }
    this.cachedTokens = new Int32Array(T);
  }
}

// The norms round where ggml's do (float products and scale, sums in double): the
// activations then quantise to the same int8 blocks as llama.cpp's, where a last-bit
// difference could move a value across a rounding boundary.
const f = Math.fround;

/** RMSNorm: x / sqrt(mean(x^2) + eps) * weight -> out. */
function rmsNorm(out: Float32Array, outAt: number, x: Float32Array, xAt: number, weight: Float32Array, eps: number, n: number): void {
  let ss = 0;
  for (let i = 0; i < n; i++) ss += f(x[xAt + i] * x[xAt + i]);
  const scale = f(1 / f(Math.sqrt(f(f(ss / n) + eps))));
  for (let i = 0; i < n; i++) out[outAt + i] = f(x[xAt + i] * scale) * weight[i];
}

/** LayerNorm: (x - mean) / sqrt(var + eps) * weight + bias -> out (gpt2). */
function layerNorm(out: Float32Array, outAt: number, x: Float32Array, xAt: number, weight: Float32Array, bias: Float32Array | undefined, eps: number, n: number): void {
  let sum = 0;
  for (let i = 0; i < n; i++) sum += x[xAt + i];
  const mean = f(sum / n);
  let sum2 = 0;
  for (let i = 0; i < n; i++) {
    const v = f(x[xAt + i] - mean);
    sum2 += f(v * v);
  }
  const scale = f(1 / f(Math.sqrt(f(f(sum2 / n) + eps))));
  for (let i = 0; i < n; i++) out[outAt + i] = f(f(f(x[xAt + i] - mean) * scale) * weight[i]) + (bias ? bias[i] : 0);
}

function allMatrices(w: LlamaWeights): PackedMatrix[] {
  const out = [w.tokenEmbedding, w.output];
  if (w.positionEmbedding) out.push(w.positionEmbedding);
  for (const l of w.layers) for (const m of [l.wq, l.wk, l.wv, l.wqkv, l.wo, l.gate, l.up, l.down]) if (m) out.push(m);
  return out;
}

/** Copies the matrices and biases into the arena (one copy at load; a tied output stays one matrix). */
function placeWeights(w: LlamaWeights, arena: Arena): LlamaWeights {
  const placed = new Map<PackedMatrix, PackedMatrix>();
  const matrix = (m: PackedMatrix): PackedMatrix => {
    let p = placed.get(m);
    if (!p) {
      const bytes = arena.i8(m.rowBytes * m.rows);
      const data = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
      if (data.length) data.set(m.data.subarray(0, data.length));
      p = { ...m, data };
      placed.set(m, p);
    }
    return p;
  };
  const vector = (v: Float32Array | undefined) => {
    if (!v) return undefined;
    const out = arena.f32(v.length);
    if (out.length) out.set(v);
    return out;
  };
  const opt = (m: PackedMatrix | undefined) => (m ? matrix(m) : undefined);
  return {
    ...w,
    tokenEmbedding: matrix(w.tokenEmbedding),
    positionEmbedding: opt(w.positionEmbedding),
    output: matrix(w.output),
    layers: w.layers.map((l) => ({
      ...l,
      wq: opt(l.wq), wk: opt(l.wk), wv: opt(l.wv), wqkv: opt(l.wqkv), wo: matrix(l.wo),
      gate: opt(l.gate), up: matrix(l.up), down: matrix(l.down),
      bq: vector(l.bq), bk: vector(l.bk), bv: vector(l.bv), bqkv: vector(l.bqkv), bo: vector(l.bo),
      upBias: vector(l.upBias), downBias: vector(l.downBias),
    })),
  };
}

export class LlamaModel implements LanguageModel {
  readonly info: ModelInfo;
  readonly config: TransformerConfig;
  readonly bosTokenId: number | undefined;
  readonly fim?: FimTokens;
  private readonly state: RunState;
  private probsValid = false;
  private attentionValid = false;
  private historyRequest: History | undefined;

  readonly weights: LlamaWeights;
  /** Which kernels run the matrix products of the types the SIMD kernels know. */
  readonly backend: 'wasm' | 'js';
  /** With the wasm backend: the relaxed-SIMD build (fused multiply-adds) or the plain one. */
  readonly kernelVariant: KernelVariant | undefined;
  /** Threads the packed matrix products run on: 2 with a helper thread (kernelThreads.ts), else 1. */
  readonly threads: number;
  private readonly kernels: QuantKernels | undefined;

  constructor(
    readonly spec: LlamaConfig,
    weights: LlamaWeights,
    readonly tokenizer: Tokenizer,
    description: LlamaDescription,
    options: { backend?: 'wasm' | 'js' } = {},
  ) {
    const c = spec;
    if (c.width !== c.heads * c.headDim) throw new ModelError('bad-config', `width ${c.width} is not heads ${c.heads} x head size ${c.headDim}`);
    if (c.heads % c.kvHeads !== 0) throw new ModelError('bad-config', `${c.heads} query heads do not split into ${c.kvHeads} key/value groups`);
    if (c.rope !== 'none' && (c.ropeDims % 2 !== 0 || c.ropeDims > c.headDim)) throw new ModelError('bad-config', `rope dimension count ${c.ropeDims} does not fit heads of ${c.headDim}`);
    // SIMD kernels read their own memory: the matrices (packed, one copy; the file's buffer
    // can then go), biases, batch buffers and quantised activations are placed there.
    const simd = options.backend !== 'js' && allMatrices(weights).some((m) => wasmComputes(m.type));
    const kernels = simd ? (() => {
      const measure = new Arena();
      placeWeights(weights, measure);
      new RunState(c, measure);
      return createQuantKernels(measure.size);
    })() : undefined;
    if (kernels) {
      const arena = new Arena(kernels.memory.buffer);
      this.weights = placeWeights(weights, arena);
      this.state = new RunState(c, arena);
    } else {
      this.weights = weights;
      this.state = new RunState(c);
    }
    this.kernels = kernels;
    this.backend = kernels ? 'wasm' : 'js';
    this.kernelVariant = kernels?.variant;
    this.threads = kernels?.threads ?? 1;
    this.bosTokenId = description.bosTokenId;
    if (description.fim) this.fim = description.fim;
    // The shape in our own config vocabulary, for code that reads a TransformerConfig.
    this.config = {
      kind: 'transformer',
      id: description.id,
      displayName: description.displayName,
      description: description.description,
      vocabSize: c.vocabSize,
      nPositions: c.contextLength,
      nEmbd: c.width,
      nLayer: c.layers,
      nHead: c.heads,
      layerNormEpsilon: c.normEpsilon,
      weightLayout: 'linear',
      bosTokenId: description.bosTokenId,
    };
    this.info = {
      id: description.id,
      displayName: description.displayName,
      description: description.description,
      kind: 'transformer',
      vocabSize: c.vocabSize,
      width: c.width,
      layers: c.layers,
      heads: c.heads,
      contextLength: c.contextLength,
      parameters: weights.parameters,
      ...(description.gguf ? { gguf: description.gguf } : {}),
    };
  }

  /**
   * Runs tokens[start .. start+n) at positions start.. through every block, appending their
   * keys and values to the cache; the last one's logits and probabilities when `output`.
   */
  private forwardBatch(tokens: readonly number[], start: number, n: number, output: boolean, capture: boolean, history?: History): void {
    const c = this.spec;
    const w = this.weights;
    const s = this.state;
    const M = c.width;
    const qDim = c.heads * c.headDim;
    const kvDim = c.kvHeads * c.headDim;
    const qkvStride = qDim + 2 * kvDim;

    // Embedding: one dequantised row of token_embd per token (+ its position's row for gpt2).
    for (let b = 0; b < n; b++) {
      dequantizeRow(s.x, w.tokenEmbedding, tokens[start + b], b * M);
      if (w.positionEmbedding) dequantizeRow(s.x, w.positionEmbedding, start + b, b * M, true);
    }
    for (let l = 0; l < c.layers; l++) {
      const lw = w.layers[l];
      this.norm(s.xb, s.x, lw.attnNorm, lw.attnNormBias, n);
      // Q, K, V for every token of the batch, row b = [q | k | v]
      if (lw.wqkv) this.matmul(s.qkv, lw.wqkv, s.xb, lw.bqkv, n, qkvStride, 0);
      else {
        this.matmul(s.qkv, lw.wq!, s.xb, lw.bq, n, qkvStride, 0);
        this.matmul(s.qkv, lw.wk!, s.xb, lw.bk, n, qkvStride, qDim);
        this.matmul(s.qkv, lw.wv!, s.xb, lw.bv, n, qkvStride, qDim + kvDim);
      }
      for (let b = 0; b < n; b++) this.attend(l, start + b, b, capture && b === n - 1);
      this.matmul(s.proj, lw.wo, s.att, lw.bo, n);
      for (let i = 0; i < n * M; i++) s.x[i] += s.proj[i];
      // MLP: down(silu(gate(x)) * up(x)), or down(gelu(up(x))) for gpt2
      this.norm(s.xb, s.x, lw.ffnNorm, lw.ffnNormBias, n);
      const F = c.ffn;
      if (lw.gate) {
        this.matmul(s.hb, lw.gate, s.xb, undefined, n);
        this.matmul(s.hb2, lw.up, s.xb, lw.upBias, n);
        for (let i = 0; i < n * F; i++) {
          const g = s.hb[i];
          s.hb[i] = (g / (1 + Math.exp(-g))) * s.hb2[i];
        }
      } else {
        this.matmul(s.hb, lw.up, s.xb, lw.upBias, n);
        gelu(s.hb, n * F);
      }
      this.matmul(s.proj, lw.down, s.hb, lw.downBias, n);
      for (let i = 0; i < n * M; i++) s.x[i] += s.proj[i];
    }
    if (history) {
      for (let b = 0; b < n; b++) {
        const next = start + b + 1;
        if (next < history.from || next >= tokens.length) continue;
        this.logitsOf(b);
        history.probs[next - history.from] = s.probs[tokens[next]];
      }
    }
    if (output) this.logitsOf(n - 1);
  }

  /** Final norm and output layer for batch row b -> logits, probs. */
  private logitsOf(b: number): void {
    const c = this.spec;
    const s = this.state;
    const w = this.weights;
    this.norm(s.xb, s.x.subarray(b * c.width, (b + 1) * c.width), w.outputNorm, w.outputNormBias, 1);
    this.matmul(s.logits, w.output, s.xb, undefined, 1);
    softmax(s.probs, s.logits, c.vocabSize);
  }

  /** W @ X for n rows (see quantMatmul): out[outAt + b * outStride + r]. */
  private matmul(out: Float32Array, w: PackedMatrix, x: Float32Array, bias: Float32Array | undefined, n: number, outStride = w.rows, outAt = 0): void {
    quantMatmul(out, w, x, bias, n, this.state.activations, outStride, outAt, this.kernels);
  }

  private norm(out: Float32Array, x: Float32Array, weight: Float32Array, bias: Float32Array | undefined, n: number): void {
    const c = this.spec;
    const M = c.width;
    for (let b = 0; b < n; b++) {
      if (c.architecture === 'gpt2') layerNorm(out, b * M, x, b * M, weight, bias, c.normEpsilon, M);
      else rmsNorm(out, b * M, x, b * M, weight, c.normEpsilon, M);
    }
  }

  /** Rotates the pairs of one head's vector v[at .. at+headDim) by the angles of position pos. */
  private rotate(v: Float32Array, at: number, pos: number): void {
    const c = this.spec;
    const s = this.state;
    const half = c.ropeDims / 2;
    const t = pos * half;
    if (c.rope === 'normal') {
      for (let i = 0; i < half; i++) {
        const cos = s.ropeCos[t + i], sin = s.ropeSin[t + i];
        const a = v[at + 2 * i], b = v[at + 2 * i + 1];
        v[at + 2 * i] = a * cos - b * sin;
        v[at + 2 * i + 1] = a * sin + b * cos;
      }
    } else {
      for (let i = 0; i < half; i++) {
        const cos = s.ropeCos[t + i], sin = s.ropeSin[t + i];
        const a = v[at + i], b = v[at + i + half];
        v[at + i] = a * cos - b * sin;
        v[at + i + half] = a * sin + b * cos;
      }
    }
  }

  /** Self-attention of the token in batch row b at position pos over the cached keys 0..pos. */
  private attend(l: number, pos: number, b: number, capture: boolean): void {
    const c = this.spec;
    const s = this.state;
    const T = c.contextLength;
    const hd = c.headDim;
    const qDim = c.heads * hd;
    const kvDim = c.kvHeads * hd;
    const row = b * (qDim + 2 * kvDim);
    if (c.rope !== 'none') {
      for (let h = 0; h < c.heads; h++) this.rotate(s.qkv, row + h * hd, pos);
      for (let h = 0; h < c.kvHeads; h++) this.rotate(s.qkv, row + qDim + h * hd, pos);
    }
    // Append this position's (rotated) key and its value to the cache.
    const cacheBase = l * T * kvDim;
    const at = cacheBase + pos * kvDim;
    for (let i = 0; i < kvDim; i++) {
      s.keys[at + i] = s.qkv[row + qDim + i];
      s.values[at + i] = s.qkv[row + qDim + kvDim + i];
    }
    const group = c.heads / c.kvHeads;
    const invSqrt = 1 / Math.sqrt(hd);
    // SIMD attention when heads are whole groups of 4 floats (the kernels share the cache's memory).
    const simd = this.kernels && hd % 4 === 0 ? this.kernels : undefined;
    const kernels = simd ?? referenceAttention;
    for (let h = 0; h < c.heads; h++) {
      const q = row + h * hd;
      const kv = cacheBase + Math.floor(h / group) * hd; // the key/value head this query head shares
      const out = b * qDim + h * hd;
      kernels.attentionScores(s.scores, s.qkv, q, s.keys, kv, kvDim, hd, pos + 1, invSqrt);
      if (simd) simd.softmax(s.scores, s.scores, pos + 1);
      else softmax(s.scores, s.scores, pos + 1);
      if (capture) s.attention[l].set(s.scores.subarray(0, pos + 1), h * T);
      kernels.attentionMix(s.att, out, s.scores, s.values, kv, kvDim, hd, pos + 1);
    }
  }

  predict(tokens: readonly number[], options: PredictOptions = {}): Prediction {
    const n = tokens.length;
    const c = this.spec;
    checkContext(tokens, c.contextLength, c.vocabSize);
    const s = this.state;
    const attention = options.attention === true;
    // Only what follows the longest common prefix with the cache is computed.
    const computed = advanceCache(s, tokens, LLAMA_PREFILL_BATCH, this.probsValid && (!attention || this.attentionValid), (pos, count, last) =>
      this.forwardBatch(tokens, pos, count, last, attention && last, this.historyRequest),
    );
    if (computed > 0) {
      this.probsValid = true;
      this.attentionValid = attention;
    }
    const T = c.contextLength;
    return {
      probs: s.probs,
      computedTokens: computed,
      attention: attention ? s.attention.map((a) => a.subarray(0, c.heads * T)) : undefined,
    };
  }

  /** predict() plus history[i - from] = P(tokens[i] | tokens[<i]) from the same pass (the panel's colours). */
  predictWithHistory(tokens: readonly number[], from: number, options: PredictOptions = {}): Prediction & { history: Float32Array } {
    const n = tokens.length;
    from = Math.max(1, Math.min(from, n));
    const history: History = { from, probs: new Float32Array(n - from) };
    if (n === 0 || n > this.spec.contextLength) return { ...this.predict(tokens, options), history: history.probs };
    this.state.cachedLength = Math.min(this.state.cachedLength, from - 1);
    this.probsValid = false;
    this.historyRequest = history;
    try {
      return { ...this.predict(tokens, options), history: history.probs };
    } finally {
      this.historyRequest = undefined;
    }
  }

  /** The raw logits of the last prediction (valid until the next call). */
  get lastLogits(): Float32Array {
    return this.state.logits;
  }

  /**
   * The flow's numbers at the last token (the panel's open sections), on demand: predicts
   * `tokens` (reusing the cache), then reruns only the last token through the blocks with
   * the same kernels, reading the other positions' keys and values from the cache (which
   * it leaves as it was). The batch buffers are reused; the prediction's probabilities stay.
   */
  inspect(tokens: readonly number[], request: InspectRequest): Inspection {
    this.predict(tokens);
    const c = this.spec;
    const w = this.weights;
    const s = this.state;
    const M = c.width;
    const hd = c.headDim;
    const qDim = c.heads * hd;
    const kvDim = c.kvHeads * hd;
    const n = tokens.length;
    const pos = n - 1;
    const gpt2 = c.architecture === 'gpt2';
    const out: Inspection = {
      architecture: {
        norm: gpt2 ? 'LayerNorm' : 'RMSNorm',
        positions: gpt2 ? 'learned' : 'RoPE',
        attention: c.kvHeads < c.heads ? 'grouped-query' : 'multi-head',
        kvHeads: c.kvHeads,
      },
    };
    if (request.embedding) {
      const rows = Math.max(1, Math.min(n, request.embedding.rows));
      const from = n - rows;
      const values = new Float32Array(rows * M);
      for (let r = 0; r < rows; r++) {
        dequantizeRow(values, w.tokenEmbedding, tokens[from + r], r * M);
        if (w.positionEmbedding) dequantizeRow(values, w.positionEmbedding, from + r, r * M, true);
      }
      out.embedding = { from, rows, cols: M, values, kind: gpt2 ? 'token + position' : 'token' };
    }
    if (request.matrices) {
      const shape = (name: string, role: string, m: PackedMatrix): MatrixShape => ({ name, role, rows: m.rows, cols: m.cols });
      out.matrices = w.layers.map((l, i) => {
        const p = `blk.${i}.`;
        const list: MatrixShape[] = l.wqkv
          ? [
            { name: `${p}attn_qkv.weight [0:M]`, role: 'Wq', rows: M, cols: M },
            { name: `${p}attn_qkv.weight [M:2M]`, role: 'Wk', rows: M, cols: M },
            { name: `${p}attn_qkv.weight [2M:3M]`, role: 'Wv', rows: M, cols: M },
          ]
          : [shape(`${p}attn_q.weight`, 'Wq', l.wq!), shape(`${p}attn_k.weight`, 'Wk', l.wk!), shape(`${p}attn_v.weight`, 'Wv', l.wv!)];
        list.push(shape(`${p}attn_output.weight`, 'W_o', l.wo));
        if (l.gate) list.push(shape(`${p}ffn_gate.weight`, 'MLP gate', l.gate));
        list.push(shape(`${p}ffn_up.weight`, 'MLP up', l.up), shape(`${p}ffn_down.weight`, 'MLP down', l.down));
        return list;
      });
    }
    const a = request.attention;
    const wantAttention = a !== undefined && a.layer >= 0 && a.layer < c.layers && a.head >= 0 && a.head < c.heads;
    if (!wantAttention && !request.lens) return out;

    // The last token in batch row 0: its residual stream block by block.
    const T = c.contextLength;
    const group = c.heads / c.kvHeads;
    const invSqrt = 1 / Math.sqrt(hd);
    const scores = new Float32Array(n);
    const probs = new Float32Array(c.vocabSize);
    const lens: LensLayer[] = [];
    const predicted = request.lens ? s.logits.slice() : undefined; // lastLogits stays the prediction's
    dequantizeRow(s.x, w.tokenEmbedding, tokens[pos], 0);
    if (w.positionEmbedding) dequantizeRow(s.x, w.positionEmbedding, pos, 0, true);
    for (let l = 0; l < c.layers; l++) {
      const lw = w.layers[l];
      this.norm(s.xb, s.x, lw.attnNorm, lw.attnNormBias, 1);
      const stride = qDim + 2 * kvDim;
      if (lw.wqkv) this.matmul(s.qkv, lw.wqkv, s.xb, lw.bqkv, 1, stride, 0);
      else {
        this.matmul(s.qkv, lw.wq!, s.xb, lw.bq, 1, stride, 0);
        this.matmul(s.qkv, lw.wk!, s.xb, lw.bk, 1, stride, qDim);
        this.matmul(s.qkv, lw.wv!, s.xb, lw.bv, 1, stride, qDim + kvDim);
      }
      if (c.rope !== 'none') {
        for (let h = 0; h < c.heads; h++) this.rotate(s.qkv, h * hd, pos);
        for (let h = 0; h < c.kvHeads; h++) this.rotate(s.qkv, qDim + h * hd, pos);
      }
      const base = l * T * kvDim;
      for (let h = 0; h < c.heads; h++) {
        const q = h * hd;
        const kvHead = Math.floor(h / group);
        const own = kvHead * hd; // this head's key/value within the token's k and v
        for (let t = 0; t <= pos; t++) {
          let dot = 0;
          if (t === pos) for (let i = 0; i < hd; i++) dot += s.qkv[q + i] * s.qkv[qDim + own + i];
          else for (let i = 0; i < hd; i++) dot += s.qkv[q + i] * s.keys[base + t * kvDim + own + i];
          scores[t] = dot * invSqrt;
        }
        const raw = Float32Array.from(scores);
        softmax(scores, scores, n);
        for (let i = 0; i < hd; i++) s.att[q + i] = 0;
        for (let t = 0; t <= pos; t++) {
          const wt = scores[t];
          if (t === pos) for (let i = 0; i < hd; i++) s.att[q + i] += wt * s.qkv[qDim + kvDim + own + i];
          else for (let i = 0; i < hd; i++) s.att[q + i] += wt * s.values[base + t * kvDim + own + i];
        }
        if (wantAttention && l === a!.layer && h === a!.head) {
          out.attention = {
            layer: l, head: h, headSize: hd, kvHead,
            q: s.qkv.slice(q, q + hd), k: s.qkv.slice(qDim + own, qDim + own + hd), v: s.qkv.slice(qDim + kvDim + own, qDim + kvDim + own + hd),
            scores: raw, weights: Float32Array.from(scores), z: s.att.slice(q, q + hd),
          };
        }
      }
      if (!request.lens && out.attention) return out; // nothing further is wanted
      this.matmul(s.proj, lw.wo, s.att, lw.bo, 1);
      for (let i = 0; i < M; i++) s.x[i] += s.proj[i];
      this.norm(s.xb, s.x, lw.ffnNorm, lw.ffnNormBias, 1);
      if (lw.gate) {
        this.matmul(s.hb, lw.gate, s.xb, undefined, 1);
        this.matmul(s.hb2, lw.up, s.xb, lw.upBias, 1);
        for (let i = 0; i < c.ffn; i++) s.hb[i] = (s.hb[i] / (1 + Math.exp(-s.hb[i]))) * s.hb2[i];
      } else {
        this.matmul(s.hb, lw.up, s.xb, lw.upBias, 1);
        gelu(s.hb, c.ffn);
      }
      this.matmul(s.proj, lw.down, s.hb, lw.downBias, 1);
      for (let i = 0; i < M; i++) s.x[i] += s.proj[i];
      if (request.lens) {
        // What the model would say if it stopped here: the final norm, then the output layer.
        this.norm(s.xb, s.x, w.outputNorm, w.outputNormBias, 1);
        this.matmul(s.logits, w.output, s.xb, undefined, 1);
        softmax(probs, s.logits, c.vocabSize);
        lens.push({ layer: l + 1, top: topOf(probs, request.lens.top) });
      }
    }
    if (request.lens) out.lens = lens;
    if (predicted) s.logits.set(predicted);
    return out;
  }

  /** Whether its products are split over two threads now (the helper thread is up). */
  get parallel(): boolean {
    return this.kernels?.parallel ?? false;
  }

  /** Stops the helper thread, if any; the model must not be used after. */
  dispose(): void {
    this.kernels?.dispose();
  }

  reset(): void {
    this.state.cachedLength = 0;
    this.probsValid = false;
    this.attentionValid = false;
  }
}
