/**
 * GPT-2 forward pass over typed arrays, in the order data flows:
 * token -> embedding (wte + wpe) -> Nx blocks [LN -> attention (Q, K, V) -> + ; LN -> MLP -> +]
 * -> final LN -> logits over L tokens (the output layer is the token embedding, tied)
 * -> softmax. Config, weights and run state are separate; the run state is allocated once
 * and `forward` allocates nothing.
 */
import type { TransformerConfig } from './config';
import { checkContext, ModelError } from './errors';
import { Arena } from './arena';
import { addInPlace, copyRow, gelu, layerNorm, matmul, matvec, referenceAttention, softmax, type Matrix } from './kernels';
import type { FimTokens, LanguageModel, ModelInfo, PredictOptions, Prediction } from './languageModel';
import { fimTokensOf } from './fim';
import { inspectGpt, type InspectRequest, type Inspection } from './inspect';
import { advanceCache } from './kvCache';
import type { TensorMap } from './safetensors';
import type { Tokenizer } from './tokenizer';
import type { KernelVariant } from './wasm/kernelModule';
import { createWasmKernels, type WasmKernels } from './wasm/wasmKernels';

export interface LayerWeights {
  ln1Weight: Float32Array; // (M,)
  ln1Bias: Float32Array; // (M,)
  attnWeight: Matrix; // (3M, M): rows q, then k, then v
  attnBias: Float32Array; // (3M,)
  attnProjWeight: Matrix; // (M, M)
  attnProjBias: Float32Array; // (M,)
  ln2Weight: Float32Array; // (M,)
  ln2Bias: Float32Array; // (M,)
  fcWeight: Matrix; // (4M, M)
  fcBias: Float32Array; // (4M,)
  fcProjWeight: Matrix; // (M, 4M)
  fcProjBias: Float32Array; // (M,)
}

export interface GptWeights {
  wte: Matrix; // (L, M) token embedding, also the output layer
  wpe: Matrix; // (n_positions, M) position embedding
  layers: LayerWeights[]; // Nx
  lnfWeight: Float32Array; // (M,)
  lnfBias: Float32Array; // (M,)
  parameters: number;
}

/** Maps safetensors tensors onto the GPT-2 layout, checking every shape against the config. */
export function gptWeightsFromTensors(c: TransformerConfig, tensors: TensorMap, file = 'model.safetensors'): GptWeights {
  const M = c.nEmbd;
  let parameters = 0;
  const get = (name: string) => {
    const t = tensors.get(name);
    if (!t) throw new ModelError('missing-tensor', `tensor ${name} is missing`, file);
    return t;
  };
  const expectShape = (name: string, actual: readonly number[], expected: number[]) => {
    if (actual.length !== expected.length || actual.some((d, i) => d !== expected[i])) {
      throw new ModelError('shape-mismatch', `tensor ${name} has shape ${JSON.stringify(actual)}; config.json implies ${JSON.stringify(expected)}`, file);
    }
  };
  const vector = (name: string, n: number): Float32Array => {
    const t = get(name);
    expectShape(name, t.shape, [n]);
    if (!(t.data instanceof Float32Array)) throw new ModelError('bad-dtype', `tensor ${name} must be F32 or F16`, file);
    parameters += n;
    return t.data;
  };
  // rows x cols as used by matvec; `transposable` matrices are stored [cols, rows] in the Conv1D layout.
  const matrix = (name: string, rows: number, cols: number, transposable: boolean): Matrix => {
    const t = get(name);
    parameters += rows * cols;
    const conv1d = transposable && c.weightLayout === 'conv1d';
    expectShape(name, t.shape, conv1d ? [cols, rows] : [rows, cols]);
    if (t.data instanceof Int8Array) {
      if (conv1d) throw new ModelError('bad-dtype', `tensor ${name}: int8 weights need weight_layout "linear"`, file);
      const scale = tensors.get(`${name}.scale`);
      if (!scale || !(scale.data instanceof Float32Array)) throw new ModelError('missing-tensor', `int8 tensor ${name} needs an F32 ${name}.scale tensor`, file);
      expectShape(`${name}.scale`, scale.shape, [rows]);
      return { rows, cols, i8: t.data, scale: scale.data };
    }
    if (!(t.data instanceof Float32Array)) throw new ModelError('bad-dtype', `tensor ${name} must be F32, F16 or I8`, file);
    if (!conv1d) return { rows, cols, f32: t.data };
    // Hugging Face Conv1D stores [in, out]: transpose once so every output is a contiguous row.
    const out = new Float32Array(rows * cols);
    for (let i = 0; i < cols; i++) for (let o = 0; o < rows; o++) out[o * cols + i] = t.data[i * rows + o];
    return { rows, cols, f32: out };
  };

  const wte = matrix('transformer.wte.weight', c.vocabSize, M, false);
  const wpe = matrix('transformer.wpe.weight', c.nPositions, M, false);
  const layers: LayerWeights[] = [];
  for (let l = 0; l < c.nLayer; l++) {
    const p = `transformer.h.${l}.`;
    layers.push({
      ln1Weight: vector(p + 'ln_1.weight', M),
      ln1Bias: vector(p + 'ln_1.bias', M),
      attnWeight: matrix(p + 'attn.c_attn.weight', 3 * M, M, true),
      attnBias: vector(p + 'attn.c_attn.bias', 3 * M),
      attnProjWeight: matrix(p + 'attn.c_proj.weight', M, M, true),
      attnProjBias: vector(p + 'attn.c_proj.bias', M),
      ln2Weight: vector(p + 'ln_2.weight', M),
      ln2Bias: vector(p + 'ln_2.bias', M),
      fcWeight: matrix(p + 'mlp.c_fc.weight', 4 * M, M, true),
      fcBias: vector(p + 'mlp.c_fc.bias', 4 * M),
      fcProjWeight: matrix(p + 'mlp.c_proj.weight', M, 4 * M, true),
      fcProjBias: vector(p + 'mlp.c_proj.bias', M),
    });
  }
  const lnfWeight = vector('transformer.ln_f.weight', M);
  const lnfBias = vector('transformer.ln_f.bias', M);
  return { wte, wpe, layers, lnfWeight, lnfBias, parameters };
}

/** Tokens run through the blocks together during prefill (each weight row is read once per batch). */
export const PREFILL_BATCH = 32;

/** Per-token probabilities wanted from a forward pass: probs[i - from] = P(tokens[i] | tokens[<i]). */
interface History {
  from: number;
  probs: Float32Array;
}

/** Activations and caches, allocated once per model. Batch buffers are (B, width), row b per token. */
class RunState {
  readonly x: Float32Array; // (B, M) residual stream
  readonly xb: Float32Array; // (B, M) normalised input of a sub-block; output of a projection
  readonly xb2: Float32Array; // (B, M) attention output before c_proj
  readonly qkv: Float32Array; // (B, 3M)
  readonly hb: Float32Array; // (B, 4M) MLP hidden
  /** Row views of the batch buffers, made once so the forward pass allocates nothing. */
  readonly rows: { x: Float32Array[]; xb: Float32Array[] };
  readonly scores: Float32Array; // (n_positions,) one head's attention scores
  readonly spareScores: Float32Array; // (n_positions,) the same, for the helper thread (attendRows)
  readonly keys: Float32Array; // (layer, n_positions, M) KV cache
  readonly values: Float32Array; // (layer, n_positions, M)
  readonly attention: Float32Array[]; // per layer (n_head, n_positions): the last position's weights
  readonly logits: Float32Array; // (L,)
  readonly probs: Float32Array; // (L,)
  /** Tokens whose keys and values are in the cache, in order. */
  readonly cachedTokens: Int32Array;
  cachedLength = 0;

  constructor(c: TransformerConfig, arena?: Arena) {
    const M = c.nEmbd;
    const B = PREFILL_BATCH;
    const f32 = (n: number) => (arena ? arena.f32(n) : new Float32Array(n));
    this.x = f32(B * M);
    this.xb = f32(B * M);
    this.xb2 = f32(B * M);
    this.qkv = f32(B * 3 * M);
    this.hb = f32(B * 4 * M);
    const rowsOf = (a: Float32Array) => Array.from({ length: B }, (_, b) => a.subarray(b * M, (b + 1) * M));
    this.rows = { x: rowsOf(this.x), xb: rowsOf(this.xb) };
    this.scores = f32(c.nPositions);
    this.spareScores = f32(c.nPositions);
    this.keys = f32(c.nLayer * c.nPositions * M);
    this.values = f32(c.nLayer * c.nPositions * M);
    this.attention = Array.from({ length: c.nLayer }, () => f32(c.nHead * c.nPositions));
    this.logits = f32(c.vocabSize);
    this.probs = f32(c.vocabSize);
    this.cachedTokens = new Int32Array(c.nPositions);
  }
}

/** Copies the weights into the arena (the kernels' memory): one copy at load. */
function placeWeights(w: GptWeights, arena: Arena): GptWeights {
  const vector = (v: Float32Array) => {
    const out = arena.f32(v.length);
    if (out.length) out.set(v);
    return out;
  };
  const matrix = (m: Matrix): Matrix => {
    if (m.f32) return { rows: m.rows, cols: m.cols, f32: vector(m.f32) };
    const i8 = arena.i8(m.i8!.length);
    if (i8.length) i8.set(m.i8!);
    return { rows: m.rows, cols: m.cols, i8, scale: vector(m.scale!) };
  };
  return {
    wte: matrix(w.wte),
    wpe: matrix(w.wpe),
    layers: w.layers.map((l) => ({
      ln1Weight: vector(l.ln1Weight), ln1Bias: vector(l.ln1Bias),
      attnWeight: matrix(l.attnWeight), attnBias: vector(l.attnBias),
      attnProjWeight: matrix(l.attnProjWeight), attnProjBias: vector(l.attnProjBias),
      ln2Weight: vector(l.ln2Weight), ln2Bias: vector(l.ln2Bias),
      fcWeight: matrix(l.fcWeight), fcBias: vector(l.fcBias),
      fcProjWeight: matrix(l.fcProjWeight), fcProjBias: vector(l.fcProjBias),
    })),
    lnfWeight: vector(w.lnfWeight),
    lnfBias: vector(w.lnfBias),
    parameters: w.parameters,
  };
}

export interface GptOptions {
  /** `wasm` (default where available): SIMD kernels; `js`: the plain TypeScript reference. */
  backend?: 'wasm' | 'js';
}

export class GptModel implements LanguageModel {
  readonly info: ModelInfo;
  readonly bosTokenId: number | undefined;
  readonly fim: FimTokens | undefined;
  readonly weights: GptWeights;
  /** Which kernels run the matrix products. */
  readonly backend: 'wasm' | 'js';
  /** With the wasm backend: the relaxed-SIMD build (fused multiply-adds) or the plain one. */
  readonly kernelVariant: KernelVariant | undefined;
  /** Threads the matrix products run on: 2 with a helper thread (kernelThreads.ts), else 1. */
  readonly threads: number;
  private readonly wasm: WasmKernels | undefined;
  private readonly state: RunState;
  private readonly mv: (out: Float32Array, w: Matrix, x: Float32Array, bias?: Float32Array) => void;
  /** W @ X for n rows of X: out (n, rows) */
  private readonly mm: (out: Float32Array, w: Matrix, x: Float32Array, bias: Float32Array | undefined, n: number) => void;
  /** GELU in place on the first n floats, and softmax (SIMD ones when the kernels are). */
  private readonly geluN: (x: Float32Array, n: number) => void;
  private readonly softmaxN: (out: Float32Array, x: Float32Array, n: number) => void;
  /** SIMD attention when heads are whole groups of 4 floats (else the loops in forward). */
  private readonly simdAttention: WasmKernels | undefined;
  /** Whether `state.probs` holds the prediction for the cached tokens (with attention). */
  private probsValid = false;
  private attentionValid = false;
  /** Set by predictWithHistory for the duration of its predict. */
  private historyRequest: History | undefined;

  constructor(
    readonly config: TransformerConfig,
    weights: GptWeights,
    readonly tokenizer: Tokenizer,
    options: GptOptions = {},
  ) {
    if (tokenizer.vocabSize > config.vocabSize) {
      throw new ModelError('shape-mismatch', `tokenizer has ${tokenizer.vocabSize} tokens but config.json says vocab_size ${config.vocabSize}`, 'tokenizer.json');
    }
    // SIMD kernels need rows that are whole groups of 4 floats.
    const wasm = options.backend !== 'js' && config.nEmbd % 4 === 0 ? (() => {
      const measure = new Arena();
      placeWeights(weights, measure);
      new RunState(config, measure);
      return createWasmKernels(measure.size);
    })() : undefined;
    if (wasm) {
      const arena = new Arena(wasm.memory.buffer);
      this.weights = placeWeights(weights, arena);
      this.state = new RunState(config, arena);
      this.mv = wasm.matvec;
      this.mm = wasm.matmul;
      this.geluN = wasm.gelu; // 4 M floats per row: always a multiple of 4
      this.softmaxN = wasm.softmax;
      this.backend = 'wasm';
      this.kernelVariant = wasm.variant;
      this.threads = wasm.threads;
      this.simdAttention = (config.nEmbd / config.nHead) % 4 === 0 ? wasm : undefined;
    } else {
      this.weights = weights;
      this.state = new RunState(config);
      this.mv = matvec;
      this.mm = matmul;
      this.geluN = gelu;
      this.softmaxN = softmax;
      this.backend = 'js';
      this.kernelVariant = undefined;
      this.threads = 1;
      this.simdAttention = undefined;
    }
    this.wasm = wasm;
    this.bosTokenId = config.bosTokenId;
    this.fim = fimTokensOf(tokenizer);
    this.info = {
      id: config.id,
      displayName: config.displayName,
      description: config.description,
      kind: 'transformer',
      vocabSize: config.vocabSize,
      width: config.nEmbd,
      layers: config.nLayer,
      heads: config.nHead,
      contextLength: config.nPositions,
      parameters: weights.parameters,
    };
  }

  /**
   * Runs tokens[start .. start+n) (n <= PREFILL_BATCH) at positions start.. through every
   * block, appending their keys and values to the cache. Logits and probabilities are
   * computed for the last of them only when `output`; the attention weights of the last
   * one are kept when `captureAttention`. Allocates nothing.
   */
  forwardBatch(tokens: readonly number[], start: number, n: number, output: boolean, captureAttention: boolean, history?: History): void {
    const c = this.config;
    const w = this.weights;
    const s = this.state;
    const M = c.nEmbd;
    const rows = s.rows;

    // Embedding: token row of wte + position row of wpe, one row per token (an n x M matrix).
    for (let b = 0; b < n; b++) {
      copyRow(rows.x[b], w.wte, tokens[start + b], false);
      copyRow(rows.x[b], w.wpe, start + b, true);
    }
    for (let l = 0; l < c.nLayer; l++) {
      const lw = w.layers[l];
      // Attention: Q, K, V = X Wq, X Wk, X Wv (one matrix holds all three)
      for (let b = 0; b < n; b++) layerNorm(rows.xb[b], rows.x[b], lw.ln1Weight, lw.ln1Bias, c.layerNormEpsilon);
      this.mm(s.qkv, lw.attnWeight, s.xb, lw.attnBias, n);
      this.attendBatch(l, start, n, captureAttention);
      this.mm(s.xb, lw.attnProjWeight, s.xb2, lw.attnProjBias, n);
      addInPlace(s.x, s.xb, n * M);
      // MLP: c_proj(gelu(c_fc(LN(x))))
      for (let b = 0; b < n; b++) layerNorm(rows.xb[b], rows.x[b], lw.ln2Weight, lw.ln2Bias, c.layerNormEpsilon);
      this.mm(s.hb, lw.fcWeight, s.xb, lw.fcBias, n);
      this.geluN(s.hb, n * 4 * M);
      this.mm(s.xb, lw.fcProjWeight, s.hb, lw.fcProjBias, n);
      addInPlace(s.x, s.xb, n * M);
    }
    if (history) {
      // P(next token) at every row whose next token is known and wanted: the output layer
      // per row, on the residual stream this pass has already computed.
      for (let b = 0; b < n; b++) {
        const pos = start + b;
        const next = pos + 1;
        if (next < history.from || next >= tokens.length) continue;
        layerNorm(rows.xb[b], rows.x[b], w.lnfWeight, w.lnfBias, c.layerNormEpsilon);
        this.mv(s.logits, w.wte, rows.xb[b]);
        this.softmaxN(s.probs, s.logits, c.vocabSize);
        history.probs[next - history.from] = s.probs[tokens[next]];
      }
    }
    if (output) {
      const last = rows.xb[0];
      layerNorm(last, rows.x[n - 1], w.lnfWeight, w.lnfBias, c.layerNormEpsilon);
      // Output layer: the token embedding again (tied), giving one logit per vocabulary entry.
      this.mv(s.logits, w.wte, last);
      this.softmaxN(s.probs, s.logits, c.vocabSize);
    }
  }

  /**
   * Self-attention of batch rows 0..n (positions start..) in layer l. With the SIMD kernels
   * every row but a captured last one goes through attendRows in one call (split over two
   * threads when there are two): their keys and values are appended first, which is causal
   * still, since row b reads the cache only up to its own position.
   */
  private attendBatch(l: number, start: number, n: number, capture: boolean): void {
    const fast = this.wasm && this.simdAttention ? (capture ? n - 1 : n) : 0;
    if (fast > 0) {
      const c = this.config;
      const s = this.state;
      for (let b = 0; b < fast; b++) this.appendKeyValue(l, start + b, b);
      const headSize = c.nEmbd / c.nHead;
      this.wasm!.attendRows(s.qkv, s.keys, s.values, l * c.nPositions * c.nEmbd, s.xb2, s.scores, s.spareScores, start, fast, c.nHead, headSize, 1 / Math.sqrt(headSize));
    }
    for (let b = fast; b < n; b++) this.attend(l, start + b, b, capture && b === n - 1);
  }

  /** Appends the key and value of batch row b (position pos) to layer l's cache. */
  private appendKeyValue(l: number, pos: number, b: number): void {
    const M = this.config.nEmbd;
    const s = this.state;
    const at = l * this.config.nPositions * M + pos * M;
    const qkvAt = b * 3 * M;
    for (let i = 0; i < M; i++) {
      s.keys[at + i] = s.qkv[qkvAt + M + i];
      s.values[at + i] = s.qkv[qkvAt + 2 * M + i];
    }
  }

  /** Self-attention of the token in batch row b at position pos over the cached keys 0..pos. */
  private attend(l: number, pos: number, b: number, capture: boolean): void {
    const c = this.config;
    const s = this.state;
    const M = c.nEmbd;
    const T = c.nPositions;
    const headSize = M / c.nHead;
    const invSqrt = 1 / Math.sqrt(headSize);
    const cacheBase = l * T * M;
    const qkvAt = b * 3 * M;
    this.appendKeyValue(l, pos, b);
    const kernels = this.simdAttention ?? referenceAttention;
    for (let h = 0; h < c.nHead; h++) {
      const q = qkvAt + h * headSize;
      const out = b * M + h * headSize;
      // scores[t] = q . k_t / sqrt(d) for t <= pos (causal: only the cached keys)
      kernels.attentionScores(s.scores, s.qkv, q, s.keys, cacheBase + h * headSize, M, headSize, pos + 1, invSqrt);
      this.softmaxN(s.scores, s.scores, pos + 1);
      if (capture) for (let t = 0; t <= pos; t++) s.attention[l][h * T + t] = s.scores[t];
      // z = sum_t softmax(scores)_t v_t
      kernels.attentionMix(s.xb2, out, s.scores, s.values, cacheBase + h * headSize, M, headSize, pos + 1);
    }
  }

  predict(tokens: readonly number[], options: PredictOptions = {}): Prediction {
    const n = tokens.length;
    const c = this.config;
    checkContext(tokens, c.nPositions, c.vocabSize);
    const s = this.state;
    const attention = options.attention === true;
    // Only what follows the longest common prefix with the cache is computed.
    const computed = advanceCache(s, tokens, PREFILL_BATCH, this.probsValid && (!attention || this.attentionValid), (pos, count, last) =>
      this.forwardBatch(tokens, pos, count, last, attention && last, this.historyRequest),
    );
    if (computed > 0) {
      this.probsValid = true;
      this.attentionValid = attention;
    }
    return {
      probs: s.probs,
      computedTokens: computed,
      attention: attention ? s.attention.map((a) => a.subarray(0, c.nHead * c.nPositions)) : undefined,
    };
  }

  /**
   * predict() for the whole context and, from the same pass, how probable the model found
   * each context token from `from` on: history[i - from] = P(tokens[i] | tokens[<i]). The
   * probability panel colours the context by it; one pass instead of one predict per token.
   */
  predictWithHistory(tokens: readonly number[], from: number, options: PredictOptions = {}): Prediction & { history: Float32Array } {
    const n = tokens.length;
    from = Math.max(1, Math.min(from, n));
    const history: History = { from, probs: new Float32Array(n - from) };
    if (n === 0 || n > this.config.nPositions) return { ...this.predict(tokens, options), history: history.probs }; // its typed error
    const s = this.state;
    // Everything from position from - 1 on is recomputed (its output is needed); before it the cache is reused.
    s.cachedLength = Math.min(s.cachedLength, from - 1);
    this.probsValid = false;
    this.historyRequest = history;
    try {
      return { ...this.predict(tokens, options), history: history.probs };
    } finally {
      this.historyRequest = undefined;
    }
  }

  /**
   * The flow's numbers at the last token (the panel's open sections), on demand: predicts
   * `tokens` (reusing the cache) and reruns only the last token (see inspect.ts).
   */
  inspect(tokens: readonly number[], request: InspectRequest): Inspection {
    this.predict(tokens);
    const c = this.config;
    const w = this.weights;
    const s = this.state;
    return inspectGpt({
      M: c.nEmbd, heads: c.nHead, layers: c.nLayer, L: c.vocabSize, eps: c.layerNormEpsilon, nPositions: c.nPositions,
      wte: w.wte, wpe: w.wpe, lnfWeight: w.lnfWeight, lnfBias: w.lnfBias,
      layer: (l) => w.layers[l],
      keys: s.keys, values: s.values,
      names: { prefix: (l) => `transformer.h.${l}.` },
    }, tokens, request);
  }

  /** The raw logits of the last prediction (valid until the next call). */
  get lastLogits(): Float32Array {
    return this.state.logits;
  }

  /** Whether its products are split over two threads now (the helper thread is up). */
  get parallel(): boolean {
    return this.wasm?.parallel ?? false;
  }

  /** Stops the helper thread, if any; the model must not be used after. */
  dispose(): void {
    this.wasm?.dispose();
  }

  reset(): void {
    this.state.cachedLength = 0;
    this.probsValid = false;
    this.attentionValid = false;
  }
}
