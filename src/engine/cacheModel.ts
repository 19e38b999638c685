/**
 * Adapting to the user's own files: a cache of n-gram counts from the text the user has
 * open (updated incrementally, never sent anywhere), mixed into another model's vector.
 * Code repeats itself far beyond a 256-token window (Tu, Su & Devanbu, "On the localness
 * of software", 2014): an identifier defined 2,000 lines up is out of a small
 * transformer's sight but in the cache's.
 *
 * The mix interpolates the model with the cache's relative frequencies, from the shortest
 * matched context up to the longest (orders 2..4):
 *
 *   q_1 = p_model
 *   q_k = (1 - w_k) q_{k-1} + w_k · n_k(w) / N_k,   w_k = λ_k · N_k / (N_k + β · T_k)
 *
 * N_k is how often the order-k context (its last k-1 tokens) was seen, T_k with how many
 * different next tokens (Witten-Bell: a context followed by many different tokens is a
 * weaker predictor). λ and β were fitted on held-out validation files that the reported
 * evaluation does not use (training/README.md, "The open-file cache").
 */
import type { FimTokens, LanguageModel, ModelInfo, PredictOptions, Prediction } from './languageModel';
import type { ModelConfig } from './config';

/**
 * The most tokens counted at once, so the cache stays near 50 MB however many files are open
 * (measured: 34 MB for 492,854 tokens of validation code in six documents of 256 KB, 47 MB
 * after 818,279 tokens went through it and the oldest were evicted). The documents updated
 * longest ago leave first.
 */
export const MAX_CACHE_TOKENS = 500_000;

/**
 * Context keys are numbers: the k-1 token ids as digits in base 2^17, exact below 2^53 for
 * up to three tokens (order 4) and vocabularies up to 131,072 entries. A number costs less
 * to build and to keep than the "12,345,678" string it replaces.
 */
const KEY_BASE = 1 << 17;
const MAX_ORDER = 4;

export class CacheCounts {
  /**
   * per order k (index k-1): context key (k-1 tokens, see KEY_BASE) -> next token -> count,
   * or, while the context was followed by one token only, that token and its count as one
   * number (single()).
   */
  private readonly next: Map<number, Map<number, number> | number>[];
  /** In the order of their last update, oldest first (a Map keeps insertion order). */
  private readonly documents = new Map<string, number[]>();
  private total = 0;

  constructor(readonly order: number, readonly maxTokens = MAX_CACHE_TOKENS) {
    if (order < 1 || order > MAX_ORDER) throw new RangeError(`a cache of order ${order}: 1 to ${MAX_ORDER}`);
    this.next = Array.from({ length: order }, () => new Map());
  }

  /** Moves a document to the most recent end and evicts the oldest ones over the budget. */
  private touch(key: string, doc: number[]): void {
    this.documents.delete(key);
    this.documents.set(key, doc);
    for (const [oldest] of this.documents) {
      if (this.total <= this.maxTokens || oldest === key) break;
      this.removeDocument(oldest);
    }
  }

  /**
   * Replaces one document's tokens. Only the n-grams that touch the changed span are
   * counted again (typing changes a few tokens of a long document: the common prefix and
   * suffix of the old and new tokens are left alone).
   */
  setDocument(key: string, tokens: readonly number[]): void {
    const old = this.documents.get(key);
    const next = tokens.slice();
    this.total += next.length - (old?.length ?? 0);
    if (!old) {
      this.count(next, 1);
      this.touch(key, next);
      return;
    }
    let prefix = 0;
    const shorter = Math.min(old.length, next.length);
    while (prefix < shorter && old[prefix] === next[prefix]) prefix++;
    let suffix = 0;
    while (suffix < shorter - prefix && old[old.length - 1 - suffix] === next[next.length - 1 - suffix]) suffix++;
    // An n-gram ending at i covers i-order+1..i: those ending in the changed span or less
    // than `order` tokens after it are removed and counted again (the unchanged ones among
    // them come back identical, so the counts end exactly as a full recount would).
    const reach = this.order - 1;
    for (let i = prefix; i < Math.min(old.length, old.length - suffix + reach); i++) this.countEndingAt(old, i, -1);
    for (let i = prefix; i < Math.min(next.length, next.length - suffix + reach); i++) this.countEndingAt(next, i, 1);
    this.touch(key, next);
  }

  /** Marks a counted document as just used (the last to be evicted); false if it is not counted. */
  touchDocument(key: string): boolean {
    const doc = this.documents.get(key);
    if (!doc) return false;
    this.touch(key, doc);
    return true;
  }

  removeDocument(key: string): void {
    const old = this.documents.get(key);
    if (!old) return;
    this.count(old, -1);
    this.total -= old.length;
    this.documents.delete(key);
  }

  /** Appends tokens to a document (typing): only the n-grams that end in them are added. */
  append(key: string, tokens: readonly number[]): void {
    const doc = this.documents.get(key) ?? [];
    for (const t of tokens) {
      doc.push(t);
      this.countEndingAt(doc, doc.length - 1, 1);
    }
    this.total += tokens.length;
    this.touch(key, doc);
  }

  get tokenCount(): number {
    return this.total;
  }

  /** The documents counted now, oldest update first. */
  get documentKeys(): string[] {
    return [...this.documents.keys()];
  }

  private count(tokens: readonly number[], sign: 1 | -1): void {
    for (let i = 0; i < tokens.length; i++) this.countEndingAt(tokens, i, sign);
  }

  private countEndingAt(tokens: readonly number[], i: number, sign: 1 | -1): void {
    const w = tokens[i];
    if (!(w >= 0 && w < KEY_BASE)) throw new RangeError(`token id ${w} is outside the cache's key range`);
    for (let k = 1; k <= this.order && i - (k - 1) >= 0; k++) {
      const key = contextKey(tokens, i, k);
      const table = this.next[k - 1];
      const entry = table.get(key);
      if (entry === undefined) {
        if (sign > 0) table.set(key, single(w, 1));
      } else if (typeof entry === 'number') {
        // Most contexts of code are followed by one token only: kept as one number, no Map.
        const [t, n] = unpack(entry);
        if (t === w) {
          if (n + sign > 0) table.set(key, single(w, n + sign));
          else table.delete(key);
        } else if (sign > 0) table.set(key, new Map([[t, n], [w, 1]]));
      } else {
        const n = (entry.get(w) ?? 0) + sign;
        if (n > 0) entry.set(w, n);
        else {
          entry.delete(w);
          // Back to one next token: the same form a fresh count would have.
          if (entry.size === 1) table.set(key, single(...(entry.entries().next().value as [number, number])));
          else if (entry.size === 0) table.delete(key);
        }
      }
    }
  }


  /** The order-k row (the last k-1 tokens as context), if that context was seen. */
  row(tokens: readonly number[], k: number): CacheRow | undefined {
    if (k < 1 || k > this.order || tokens.length < k - 1) return undefined;
    const entry = this.next[k - 1].get(contextKey(tokens, tokens.length, k));
    if (entry === undefined) return undefined;
    if (typeof entry === 'number') {
      const [t, n] = unpack(entry);
      return { row: new Map([[t, n]]), total: n, order: k };
    }
    let total = 0;
    for (const n of entry.values()) total += n;
    return { row: entry, total, order: k };
  }

}

/** One next token and its count, packed: count · KEY_BASE + token. */
function single(token: number, count: number): number {
  return count * KEY_BASE + token;
}

function unpack(entry: number): [token: number, count: number] {
  return [entry % KEY_BASE, Math.floor(entry / KEY_BASE)];
}

/** The key of the k-1 tokens before position `end` (order k; 0 for the unigram table). */
function contextKey(tokens: readonly number[], end: number, k: number): number {
  let key = 0;
  for (let j = end - (k - 1); j < end; j++) key = key * KEY_BASE + tokens[j];
  return key;
}

export interface CacheRow {
  /** next token -> count */
  row: Map<number, number>;
  total: number;
  order: number;
}

export interface CacheMixOptions {
  /** λ_k for orders 2, 3, 4, ...: the most weight a context of that order can get. */
  lambdas: readonly number[];
  /** β: how many sightings per different next token give a context half its λ. */
  beta: number;
}

/** Fitted on held-out validation files (a grid over β and λ; see training/README.md). */
export const DEFAULT_CACHE_MIX: CacheMixOptions = { lambdas: [0.45, 0.7, 0.95], beta: 1.5 };

/**
 * The workspace's files that are not open: counted in a cache of their own, mixed in under
 * the open files' cache and with less weight (a file you did not open says less about the
 * one you type than one you did). Fitted on held-out projects: training/README.md.
 */
export const WORKSPACE_CACHE_MIX: CacheMixOptions = { lambdas: [0.2, 0.35, 0.9], beta: 1.5 };

/**
 * The most workspace tokens counted, read most useful first (src/worker/workspaceOrder.ts),
 * so a large workspace costs no more. Measured (scripts/measure-workspace.mjs, text kept
 * for a model switch included): 9.3 MB for 217,065 tokens of the validation packages, 16.7 MB
 * for 230,662 of the foreign set; diverse code costs more per token than repetitive code.
 */
export const MAX_WORKSPACE_TOKENS = 250_000;

/** How the cache changed a prediction (shown in the panel). */
export interface CacheMixInfo {
  /** The longest context order that was seen in the open documents (0: none). */
  order: number;
  /** The cache's share of the final vector, 1 - Π(1 - w_k). */
  weight: number;
}

/** A LanguageModel whose vector is mixed with the cache's. */
export class CachedModel implements LanguageModel {
  readonly info: ModelInfo;
  readonly config: ModelConfig;
  readonly bosTokenId: number | undefined;
  /** The base model's: the cache only mixes in counts, the context layout is the base's. */
  readonly fim: FimTokens | undefined;
  private readonly probs: Float32Array;

  constructor(readonly base: LanguageModel, readonly cache: CacheCounts, readonly mix: CacheMixOptions = DEFAULT_CACHE_MIX) {
    this.info = base.info;
    this.config = base.config;
    this.bosTokenId = base.bosTokenId;
    this.fim = base.fim;
    this.probs = new Float32Array(base.info.vocabSize);
  }

  get tokenizer() {
    return this.base.tokenizer;
  }

  predict(tokens: readonly number[], options?: PredictOptions): Prediction & { cache: CacheMixInfo } {
    return this.mixInto(tokens, this.base.predict(tokens, options));
  }

  /** Mixes the cache into `p`, the base model's prediction after `tokens`. */
  mixInto(tokens: readonly number[], p: Prediction): Prediction & { cache: CacheMixInfo } {
    const steps = this.steps(tokens);
    if (steps.length === 0) return { ...p, cache: { order: 0, weight: 0 } };
    const out = this.probs;
    out.set(p.probs.subarray(0, out.length));
    let keep = 1;
    for (const { w, hit } of steps) {
      for (let i = 0; i < out.length; i++) out[i] *= 1 - w;
      for (const [id, n] of hit.row) if (id < out.length) out[id] += (w * n) / hit.total;
      keep *= 1 - w;
    }
    return { ...p, probs: out, cache: { order: steps[steps.length - 1].hit.order, weight: 1 - keep } };
  }

  /** The mixed probability of one token after `tokens`, given the base model's. */
  mixOne(tokens: readonly number[], id: number, baseProb: number): number {
    let q = baseProb;
    for (const { w, hit } of this.steps(tokens)) q = (1 - w) * q + (w * (hit.row.get(id) ?? 0)) / hit.total;
    return q;
  }

  /** The interpolation steps, shortest matched context first; stops at the first unseen one. */
  private steps(tokens: readonly number[]): { w: number; hit: CacheRow }[] {
    const steps: { w: number; hit: CacheRow }[] = [];
    for (let k = 2; k <= this.cache.order && k - 2 < this.mix.lambdas.length; k++) {
      const hit = this.cache.row(tokens, k);
      if (!hit) break; // a longer context containing this one cannot have been seen either
      steps.push({ w: (this.mix.lambdas[k - 2] * hit.total) / (hit.total + this.mix.beta * hit.row.size), hit });
    }
    return steps;
  }

  reset(): void {
    this.base.reset();
  }
}

/**
 * The model as the extension runs it: the workspace's counts mixed in first (at their own,
 * smaller weight), the open files' on top; either may be absent.
 */
export function withCaches(base: LanguageModel, caches: { open?: CacheCounts; workspace?: CacheCounts; workspaceMix?: CacheMixOptions }): LanguageModel {
  let model = base;
  if (caches.workspace) model = new CachedModel(model, caches.workspace, caches.workspaceMix ?? WORKSPACE_CACHE_MIX);
  if (caches.open) model = new CachedModel(model, caches.open);
  return model;
}
