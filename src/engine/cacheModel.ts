/**
 * Adapting to the user's own files: a cache of n-gram counts from the text the user has
 * open (updated incrementally, never sent anywhere), mixed into another model's vector:
 *
 *   p(w | c) = (1 - λ(c)) p_model(w | c) + λ(c) p_cache(w | c)
 *
 * p_cache uses the longest context seen in the cache (relative frequencies), and
 * λ(c) = λmax · n(c) / (n(c) + β) grows with how often that context was seen, so a new
 * identifier the user keeps typing soon becomes a confident suggestion.
 */
import type { LanguageModel, ModelInfo, PredictOptions, Prediction } from './languageModel';
import type { ModelConfig } from './config';

export class CacheCounts {
  /** per order k (index k-1): context key (k-1 tokens) -> next token -> count */
  private readonly next: Map<string, Map<number, number>>[];
  private readonly documents = new Map<string, number[]>();

  constructor(readonly order: number) {
    this.next = Array.from({ length: order }, () => new Map());
  }

  /** Replaces one document's tokens (counts of its old tokens are removed first). */
  setDocument(key: string, tokens: readonly number[]): void {
    const old = this.documents.get(key);
    if (old) this.count(old, -1);
    this.documents.set(key, tokens.slice());
    this.count(tokens, 1);
  }

  removeDocument(key: string): void {
    const old = this.documents.get(key);
    if (old) this.count(old, -1);
    this.documents.delete(key);
  }

  /** Appends tokens to a document (typing): only the n-grams that end in them are added. */
  append(key: string, tokens: readonly number[]): void {
    const doc = this.documents.get(key) ?? [];
    if (!this.documents.has(key)) this.documents.set(key, doc);
    for (const t of tokens) {
      doc.push(t);
      this.countEndingAt(doc, doc.length - 1, 1);
    }
  }

  get tokenCount(): number {
    let n = 0;
    for (const d of this.documents.values()) n += d.length;
    return n;
  }

  private count(tokens: readonly number[], sign: 1 | -1): void {
    for (let i = 0; i < tokens.length; i++) this.countEndingAt(tokens, i, sign);
  }

  private countEndingAt(tokens: readonly number[], i: number, sign: 1 | -1): void {
    const w = tokens[i];
    for (let k = 1; k <= this.order && i - (k - 1) >= 0; k++) {
      const key = k === 1 ? '' : tokens.slice(i - (k - 1), i).join(',');
      const table = this.next[k - 1];
      let row = table.get(key);
      if (!row) {
        if (sign < 0) continue;
        table.set(key, (row = new Map()));
      }
      const n = (row.get(w) ?? 0) + sign;
      if (n > 0) row.set(w, n);
      else {
        row.delete(w);
        if (row.size === 0) table.delete(key);
      }
    }
  }

  /** The longest seen context's next-token counts for the end of `tokens`. */
  lookup(tokens: readonly number[]): { row: Map<number, number>; total: number; order: number } | undefined {
    for (let k = Math.min(this.order, tokens.length + 1); k >= 1; k--) {
      const key = k === 1 ? '' : tokens.slice(tokens.length - (k - 1)).join(',');
      const row = this.next[k - 1].get(key);
      if (!row) continue;
      let total = 0;
      for (const n of row.values()) total += n;
      // A unigram-only match says little about this context: weigh it down by order below.
      return { row, total, order: k };
    }
    return undefined;
  }
}

export interface CacheMixOptions {
  /** The most weight the cache can get. */
  lambdaMax: number;
  /** How many sightings of a context give it half of lambdaMax. */
  beta: number;
}

export const DEFAULT_CACHE_MIX: CacheMixOptions = { lambdaMax: 0.5, beta: 4 };

/** A LanguageModel whose vector is mixed with the cache's. */
export class CachedModel implements LanguageModel {
  readonly info: ModelInfo;
  readonly config: ModelConfig;
  readonly bosTokenId: number | undefined;
  private readonly probs: Float32Array;

  constructor(readonly base: LanguageModel, readonly cache: CacheCounts, readonly mix: CacheMixOptions = DEFAULT_CACHE_MIX) {
    this.info = base.info;
    this.config = base.config;
    this.bosTokenId = base.bosTokenId;
    this.probs = new Float32Array(base.info.vocabSize);
  }

  get tokenizer() {
    return this.base.tokenizer;
  }

  predict(tokens: readonly number[], options?: PredictOptions): Prediction {
    const p = this.base.predict(tokens, options);
    const hit = this.cache.lookup(tokens);
    if (!hit || hit.order < 2) return p;
    // Longer matched contexts are more specific: they earn more weight.
    const lambda = (this.mix.lambdaMax * hit.total) / (hit.total + this.mix.beta) * Math.min(1, (hit.order - 1) / 2);
    const out = this.probs;
    for (let w = 0; w < out.length; w++) out[w] = (1 - lambda) * p.probs[w];
    for (const [w, n] of hit.row) if (w < out.length) out[w] += (lambda * n) / hit.total;
    return { ...p, probs: out };
  }

  reset(): void {
    this.base.reset();
  }
}
