/**
 * The classic counted model: P(next | previous n-1 tokens), from n-gram counts. With
 * smoothing `none` it is the seed's model exactly (relative frequencies of the longest
 * context that was seen); with `kneser-ney` it is interpolated Kneser-Ney:
 *
 *   p_1(w)   = max(cc(w) - D_1, 0) / S + D_1 * types / S * 1/L
 *   p_k(w|c) = max(n(c,w) - D_k, 0) / n(c) + D_k * N1+(c) / n(c) * p_{k-1}(w | c[1:])
 *
 * where n(c, w) are raw counts at the highest order and continuation counts (number of
 * distinct left neighbours) below it, n(c) = sum_w n(c, w), N1+(c) = #{w : n(c, w) > 0};
 * an unseen context leaves p_k = p_{k-1}. Both return the full length-L vector.
 */
import type { NgramConfig } from './config';
import { ModelError } from './errors';
import type { LanguageModel, ModelInfo, Prediction } from './languageModel';
import type { TensorMap } from './safetensors';
import type { Tokenizer } from './tokenizer';
import type { CountsOrder, InspectRequest, Inspection } from './inspect';

export interface NgramTable {
  readonly order: number; // k
  readonly tokens: Int32Array; // (count, k), sorted lexicographically
  readonly counts: Int32Array; // (count,)
}

export function ngramTablesFromTensors(c: NgramConfig, tensors: TensorMap, file = 'model.safetensors'): NgramTable[] {
  const tables: NgramTable[] = [];
  for (let k = 1; k <= c.order; k++) {
    const tokens = tensors.get(`ngram.${k}.tokens`);
    const counts = tensors.get(`ngram.${k}.counts`);
    if (!tokens || !counts) throw new ModelError('missing-tensor', `tensors ngram.${k}.tokens and ngram.${k}.counts are required for order ${c.order}`, file);
    if (!(tokens.data instanceof Int32Array) || !(counts.data instanceof Int32Array)) throw new ModelError('bad-dtype', `n-gram tensors of order ${k} must be I32`, file);
    const rows = counts.shape[0];
    if (counts.shape.length !== 1 || tokens.shape.length !== 2 || tokens.shape[0] !== rows || tokens.shape[1] !== k) {
      throw new ModelError('shape-mismatch', `ngram.${k}.tokens ${JSON.stringify(tokens.shape)} and ngram.${k}.counts ${JSON.stringify(counts.shape)} must be [count, ${k}] and [count]`, file);
    }
    for (let i = 0; i < tokens.data.length; i++) {
      const t = tokens.data[i];
      if (t < 0 || t >= c.vocabSize) throw new ModelError('shape-mismatch', `ngram.${k}.tokens holds id ${t}, outside the vocabulary of ${c.vocabSize}`, file);
    }
    for (let i = 0; i < rows; i++) {
      if (counts.data[i] <= 0) throw new ModelError('bad-header', `ngram.${k}.counts holds a count of ${counts.data[i]}; counts must be positive`, file);
      if (i > 0 && compareRows(tokens.data, k, i - 1, i) >= 0) throw new ModelError('bad-header', `ngram.${k}.tokens is not sorted without duplicates (row ${i})`, file);
    }
    tables.push({ order: k, tokens: tokens.data, counts: counts.data });
  }
  return tables;
}

function compareRows(tokens: Int32Array, k: number, a: number, b: number): number {
  for (let j = 0; j < k; j++) {
    const d = tokens[a * k + j] - tokens[b * k + j];
    if (d !== 0) return d;
  }
  return 0;
}

/** Rows [begin, end) of a table whose first k-1 tokens equal `context`. */
function findContext(table: NgramTable, context: readonly number[], from: number): [number, number] {
  const k = table.order;
  const rows = table.counts.length;
  const m = k - 1;
  const compare = (row: number): number => {
    for (let j = 0; j < m; j++) {
      const d = table.tokens[row * k + j] - context[from + j];
      if (d !== 0) return d;
    }
    return 0;
  };
  let lo = 0;
  let hi = rows;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compare(mid) < 0) lo = mid + 1;
    else hi = mid;
  }
  const begin = lo;
  hi = rows;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compare(mid) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return [begin, lo];
}

export class NgramModel implements LanguageModel {
  readonly info: ModelInfo;
  readonly bosTokenId = undefined;
  private readonly probs: Float32Array;
  private readonly work: Float64Array;
  /** p_1 for Kneser-Ney, or relative unigram frequencies for `none` (computed once). */
  private readonly base: Float64Array;

  constructor(
    readonly config: NgramConfig,
    readonly tables: NgramTable[],
    readonly tokenizer: Tokenizer,
  ) {
    if (tokenizer.vocabSize > config.vocabSize) {
      throw new ModelError('shape-mismatch', `tokenizer has ${tokenizer.vocabSize} tokens but config.json says vocab_size ${config.vocabSize}`, 'tokenizer.json');
    }
    if (config.smoothing === 'kneser-ney') {
      // Every stored count keeps count - D >= 0, so each order's probabilities sum to exactly 1
      // (a pruned table's smallest count can be large, and so can its discount: ngram.py tunes it).
      tables.forEach((table, k) => {
        let least = Infinity;
        for (let r = 0; r < table.counts.length; r++) least = Math.min(least, table.counts[r]);
        const d = config.discounts[k];
        if (d > least) {
          throw new ModelError('bad-config', `discounts[${k}] = ${d} is larger than the smallest count stored for order ${k + 1} (${least}): the probabilities would not sum to 1`, 'config.json');
        }
      });
    }
    const L = config.vocabSize;
    this.probs = new Float32Array(L);
    this.work = new Float64Array(L);
    this.base = new Float64Array(L);
    const unigrams = tables[0];
    let total = 0;
    for (let i = 0; i < unigrams.counts.length; i++) total += unigrams.counts[i];
    if (config.smoothing === 'kneser-ney') {
      const d = config.discounts[0];
      const types = unigrams.counts.length;
      this.base.fill(total > 0 ? (d * types) / total / L : 1 / L);
      for (let i = 0; i < unigrams.counts.length; i++) this.base[unigrams.tokens[i]] += Math.max(unigrams.counts[i] - d, 0) / total;
    } else if (total > 0) {
      for (let i = 0; i < unigrams.counts.length; i++) this.base[unigrams.tokens[i]] = unigrams.counts[i] / total;
    } else this.base.fill(1 / L);
    this.info = {
      id: config.id,
      displayName: config.displayName,
      description: config.description,
      kind: 'ngram',
      vocabSize: L,
      width: 0,
      layers: 0,
      heads: 0,
      contextLength: config.order - 1,
      parameters: tables.reduce((sum, t) => sum + t.counts.length, 0),
      order: config.order,
    };
  }

  predict(tokens: readonly number[]): Prediction {
    const L = this.config.vocabSize;
    for (const t of tokens) {
      if (!Number.isInteger(t) || t < 0 || t >= L) throw new ModelError('bad-token', `token id ${t} is outside the vocabulary of ${L}`);
    }
    const n = tokens.length;
    const highest = Math.min(this.config.order, n + 1);
    const p = this.work;
    p.set(this.base);
    let backoffOrder = 1;
    let contextCount = 0;
    let contextTypes = 0;
    for (let i = 0; i < this.tables[0].counts.length; i++) contextCount += this.tables[0].counts[i];
    contextTypes = this.tables[0].counts.length;

    if (this.config.smoothing === 'kneser-ney') {
      for (let k = 2; k <= highest; k++) {
        const table = this.tables[k - 1];
        const [begin, end] = findContext(table, tokens, n - (k - 1));
        if (begin === end) continue;
        let total = 0;
        for (let r = begin; r < end; r++) total += table.counts[r];
        const d = this.config.discounts[k - 1];
        const gamma = (d * (end - begin)) / total;
        for (let w = 0; w < L; w++) p[w] *= gamma;
        for (let r = begin; r < end; r++) p[table.tokens[r * k + k - 1]] += Math.max(table.counts[r] - d, 0) / total;
        backoffOrder = k;
        contextCount = total;
        contextTypes = end - begin;
      }
    } else {
      // The seed's model: relative frequencies after the longest context that was seen.
      for (let k = highest; k >= 2; k--) {
        const table = this.tables[k - 1];
        const [begin, end] = findContext(table, tokens, n - (k - 1));
        if (begin === end) continue;
        let total = 0;
        for (let r = begin; r < end; r++) total += table.counts[r];
        p.fill(0);
        for (let r = begin; r < end; r++) p[table.tokens[r * k + k - 1]] = table.counts[r] / total;
        backoffOrder = k;
        contextCount = total;
        contextTypes = end - begin;
        break;
      }
    }
    for (let w = 0; w < L; w++) this.probs[w] = p[w];
    return { probs: this.probs, computedTokens: Math.min(n, highest - 1), backoffOrder, contextCount, contextTypes };
  }

  /**
   * The counts table behind predict(tokens): for every order from the highest down, the last
   * k-1 tokens, how often they were seen and the most frequent next tokens (Kneser-Ney's
   * lower orders hold continuation counts), and the order whose counts decided (the backoff).
   */
  inspect(tokens: readonly number[], request: InspectRequest): Inspection {
    const architecture = { norm: 'none', positions: 'none', attention: 'none', kvHeads: 0 } as const;
    if (!request.counts) return { architecture };
    const n = tokens.length;
    const highest = Math.min(this.config.order, n + 1);
    const orders: CountsOrder[] = [];
    for (let k = highest; k >= 1; k--) {
      const table = this.tables[k - 1];
      const [begin, end] = k === 1 ? [0, table.counts.length] : findContext(table, tokens, n - (k - 1));
      let total = 0;
      const next: Array<{ id: number; count: number }> = [];
      for (let r = begin; r < end; r++) {
        total += table.counts[r];
        next.push({ id: table.tokens[r * k + k - 1], count: table.counts[r] });
      }
      next.sort((a, b) => b.count - a.count || a.id - b.id);
      orders.push({ order: k, context: tokens.slice(n - (k - 1)), total, types: end - begin, next: next.slice(0, request.counts.rows) });
    }
    const { backoffOrder = 1 } = this.predict(tokens);
    return { architecture, counts: { orders, backoffOrder, smoothing: this.config.smoothing } };
  }

  reset(): void {
    // Stateless between calls.
  }
}
