/**
 * The flow's numbers at the cursor, computed only when asked (the probability panel's open
 * sections): the N x M embedding matrix, one layer and head's q, k, v, scores, softmax
 * weights and Z for the last token, every layer's parameter matrices with their shapes, and
 * the "logit lens" (the final norm and output layer applied to the residual stream after
 * each layer). For counted models: the counts after the last tokens at every order and the
 * backoff between them.
 *
 * For a transformer the other tokens' keys and values come from the model's KV cache (the
 * prediction just made filled it), so only the cursor token is run again, here in plain
 * TypeScript: the normal predict path is untouched and pays nothing.
 */
import { addInPlace, copyRow, gelu, layerNorm, matvec, softmax, type Matrix } from './kernels';

/** What to compute; everything left out is skipped. */
export interface InspectRequest {
  /** The embedding matrix of the last `rows` context tokens (token + position rows). */
  embedding?: { rows: number };
  /** q, k, v, scores, weights and Z of the last token for this layer and head (0-based). */
  attention?: { layer: number; head: number };
  /** Each layer's parameter matrices, named, with their shapes. */
  matrices?: boolean;
  /** The logit lens: top `top` tokens after each layer. */
  lens?: { top: number };
  /** Counted models: the counts table, with at most `rows` next tokens per order. */
  counts?: { rows: number };
}

export interface MatrixShape {
  /** The name the model file gives it (transformer.h.0.attn.c_attn.weight ...). */
  name: string;
  /** What it is in the textbook flow: Wq, Wk, Wv, W_o, MLP up, MLP down ... */
  role: string;
  rows: number;
  cols: number;
}

export interface AttentionInspection {
  layer: number;
  head: number;
  /** d: the width of one head's q, k and v. */
  headSize: number;
  q: Float32Array; // (d,)
  k: Float32Array; // (d,) the cursor token's key
  v: Float32Array; // (d,) the cursor token's value
  /** q . k_t / sqrt(d) for every context position t (N,). */
  scores: Float32Array;
  /** softmax(scores) (N,). */
  weights: Float32Array;
  /** sum_t weights_t v_t (d,): this head's output before W_o. */
  z: Float32Array;
  /** The key/value head this query head reads (grouped-query attention shares them). */
  kvHead: number;
}

export interface LensLayer {
  /** 1-based: the prediction after this many layers. */
  layer: number;
  top: Array<{ id: number; prob: number }>;
}

export interface CountsOrder {
  /** n-gram order k: the last k-1 tokens as context. */
  order: number;
  context: number[];
  /** How often the context was seen, and with how many different next tokens (0: unseen). */
  total: number;
  types: number;
  /** The most frequent next tokens after it, most first. */
  next: Array<{ id: number; count: number }>;
}

export interface Inspection {
  /** How the architecture does its steps (shown as named steps). */
  architecture: {
    norm: 'LayerNorm' | 'RMSNorm' | 'none';
    positions: 'learned' | 'RoPE' | 'none';
    attention: 'multi-head' | 'grouped-query' | 'none';
    /** Key/value heads (fewer than query heads with grouped-query attention). */
    kvHeads: number;
  };
  embedding?: {
    /** The context position of the first row (rows are the last ones). */
    from: number;
    rows: number;
    cols: number;
    values: Float32Array; // (rows, cols)
    /** What a row is: token embedding plus position embedding, or the token's row alone. */
    kind: 'token + position' | 'token';
  };
  attention?: AttentionInspection;
  matrices?: MatrixShape[][];
  lens?: LensLayer[];
  counts?: { orders: CountsOrder[]; backoffOrder: number; smoothing: string };
}

/** The k largest entries of p, largest first. */
export function topOf(p: ArrayLike<number>, k: number): Array<{ id: number; prob: number }> {
  const best: Array<{ id: number; prob: number }> = [];
  for (let i = 0; i < p.length; i++) {
    const v = p[i];
    if (best.length === k && v <= best[k - 1].prob) continue;
    let at = best.length;
    while (at > 0 && best[at - 1].prob < v) at--;
    best.splice(at, 0, { id: i, prob: v });
    if (best.length > k) best.pop();
  }
  return best;
}

/** The GPT-2 pieces inspectGpt reads: its weights, sizes and the filled KV cache. */
export interface GptInternals {
  M: number;
  heads: number;
  layers: number;
  L: number;
  eps: number;
  nPositions: number;
  wte: Matrix;
  wpe: Matrix;
  lnfWeight: Float32Array;
  lnfBias: Float32Array;
  layer(l: number): {
    ln1Weight: Float32Array; ln1Bias: Float32Array; attnWeight: Matrix; attnBias: Float32Array;
    attnProjWeight: Matrix; attnProjBias: Float32Array; ln2Weight: Float32Array; ln2Bias: Float32Array;
    fcWeight: Matrix; fcBias: Float32Array; fcProjWeight: Matrix; fcProjBias: Float32Array;
  };
  /** (layer, n_positions, M) caches holding every context position's key and value. */
  keys: Float32Array;
  values: Float32Array;
  /** Weight names as the model file has them (for the matrices list). */
  names: { prefix: (l: number) => string };
}

/**
 * inspect() for a GPT-2 whose KV cache holds `tokens` (the caller predicted them just
 * before). Reruns the last token through every block in plain TypeScript.
 */
export function inspectGpt(g: GptInternals, tokens: readonly number[], request: InspectRequest): Inspection {
  const { M, heads, L, eps } = g;
  const n = tokens.length;
  const pos = n - 1;
  const d = M / heads;
  const out: Inspection = { architecture: { norm: 'LayerNorm', positions: 'learned', attention: 'multi-head', kvHeads: heads } };

  if (request.embedding) {
    const rows = Math.max(1, Math.min(n, request.embedding.rows));
    const from = n - rows;
    const values = new Float32Array(rows * M);
    for (let r = 0; r < rows; r++) {
      const row = values.subarray(r * M, (r + 1) * M);
      copyRow(row, g.wte, tokens[from + r], false);
      copyRow(row, g.wpe, from + r, true);
    }
    out.embedding = { from, rows, cols: M, values, kind: 'token + position' };
  }

  if (request.matrices) {
    out.matrices = Array.from({ length: g.layers }, (_, l) => {
      const p = g.names.prefix(l);
      return [
        { name: `${p}attn.c_attn.weight [0:M]`, role: 'Wq', rows: M, cols: M },
        { name: `${p}attn.c_attn.weight [M:2M]`, role: 'Wk', rows: M, cols: M },
        { name: `${p}attn.c_attn.weight [2M:3M]`, role: 'Wv', rows: M, cols: M },
        { name: `${p}attn.c_proj.weight`, role: 'W_o', rows: M, cols: M },
        { name: `${p}mlp.c_fc.weight`, role: 'MLP up', rows: 4 * M, cols: M },
        { name: `${p}mlp.c_proj.weight`, role: 'MLP down', rows: M, cols: 4 * M },
      ];
    });
  }

  const wantAttention = request.attention && request.attention.layer >= 0 && request.attention.layer < g.layers && request.attention.head >= 0 && request.attention.head < heads;
  if (!wantAttention && !request.lens) return out;

  // The cursor token's residual stream, block by block (the keys and values of the tokens
  // before it are the cache's: the same numbers the prediction used).
  const T = g.nPositions;
  const x = new Float32Array(M);
  const xb = new Float32Array(M);
  const qkv = new Float32Array(3 * M);
  const z = new Float32Array(M);
  const proj = new Float32Array(M);
  const hidden = new Float32Array(4 * M);
  const scores = new Float32Array(n);
  const logits = new Float32Array(L);
  const probs = new Float32Array(L);
  const invSqrt = 1 / Math.sqrt(d);
  copyRow(x, g.wte, tokens[pos], false);
  copyRow(x, g.wpe, pos, true);
  const lens: LensLayer[] = [];
  for (let l = 0; l < g.layers; l++) {
    const w = g.layer(l);
    layerNorm(xb, x, w.ln1Weight, w.ln1Bias, eps);
    matvec(qkv, w.attnWeight, xb, w.attnBias); // q, k, v = LN(x) Wq, Wk, Wv
    const base = l * T * M;
    for (let h = 0; h < heads; h++) {
      const at = h * d;
      for (let t = 0; t <= pos; t++) {
        let dot = 0;
        // The cursor's own key is the one just computed; earlier ones come from the cache.
        if (t === pos) for (let i = 0; i < d; i++) dot += qkv[at + i] * qkv[M + at + i];
        else for (let i = 0; i < d; i++) dot += qkv[at + i] * g.keys[base + t * M + at + i];
        scores[t] = dot * invSqrt;
      }
      const raw = Float32Array.from(scores);
      softmax(scores, scores, n);
      for (let i = 0; i < d; i++) z[at + i] = 0;
      for (let t = 0; t <= pos; t++) {
        const a = scores[t];
        if (t === pos) for (let i = 0; i < d; i++) z[at + i] += a * qkv[2 * M + at + i];
        else for (let i = 0; i < d; i++) z[at + i] += a * g.values[base + t * M + at + i];
      }
      if (wantAttention && l === request.attention!.layer && h === request.attention!.head) {
        out.attention = {
          layer: l, head: h, headSize: d, kvHead: h,
          q: qkv.slice(at, at + d), k: qkv.slice(M + at, M + at + d), v: qkv.slice(2 * M + at, 2 * M + at + d),
          scores: raw, weights: Float32Array.from(scores), z: z.slice(at, at + d),
        };
      }
    }
    if (!request.lens && out.attention) return out; // nothing further is wanted
    matvec(proj, w.attnProjWeight, z, w.attnProjBias); // Z W_o
    addInPlace(x, proj);
    layerNorm(xb, x, w.ln2Weight, w.ln2Bias, eps);
    matvec(hidden, w.fcWeight, xb, w.fcBias);
    gelu(hidden);
    matvec(proj, w.fcProjWeight, hidden, w.fcProjBias);
    addInPlace(x, proj);
    if (request.lens) {
      // What the model would say if it stopped here: final LN, then the output layer (tied wte).
      layerNorm(xb, x, g.lnfWeight, g.lnfBias, eps);
      matvec(logits, g.wte, xb);
      softmax(probs, logits);
      lens.push({ layer: l + 1, top: topOf(probs, request.lens.top) });
    }
  }
  if (request.lens) out.lens = lens;
  return out;
}
