/**
 * What the worker computes for ghost text, independent of how messages arrive: a few
 * distinct first tokens, each continued until a stop rule fires. Pure engine code plus a
 * clock, so it is unit-tested without a worker.
 *
 * Token healing: the text before the cursor usually ends inside a token the model would
 * have chosen differently: a word cut short ("retur" = "ret" + "ur"), or a trailing space
 * that in training always belonged to the next word (" foo"). So the last token is taken
 * back, and the first generated token must start with its bytes: the model then chooses
 * between "return", "returns", ... or " foo", " bar" as it did in training.
 */
import { contextTokens, generate, shapeDistribution, type LanguageModel } from '../engine';
import type { SamplingSettings } from './protocol';

/** Chosen on the validation files: see the model cards (keystroke savings with and without). */
export const REPETITION_PENALTY = 1.8;

export interface CompleteOptions {
  maxTokens: number;
  multiline: boolean;
  timeBudgetMs: number;
  alternatives: number;
  sampling: SamplingSettings;
  now?: () => number;
}

export interface CompleteResult {
  items: string[];
  /** Per item: the product of its tokens' probabilities (the model's confidence). */
  confidences: number[];
  computedTokens: number;
}

/** Where a suggestion ends: the line's end, or with multi-line the first blank line. */
export function stopIndex(text: string, multiline: boolean): number {
  return multiline ? text.search(/\n[ \t]*\n/) : text.indexOf('\n');
}

/**
 * Tokens whose bytes start with `head` (cached per head token). Keyed by the tokenizer:
 * the worker wraps its model in a new cache-mixing model for each request, and they all
 * share the loaded model's tokenizer.
 */
const extensionsCache = new WeakMap<object, Map<number, number[]>>();
function tokensStartingWith(model: LanguageModel, headToken: number): number[] {
  let perModel = extensionsCache.get(model.tokenizer);
  if (!perModel) extensionsCache.set(model.tokenizer, (perModel = new Map()));
  const cached = perModel.get(headToken);
  if (cached) return cached;
  const head = model.tokenizer.tokenBytes(headToken);
  const found: number[] = [];
  for (let id = 0; id < model.info.vocabSize; id++) {
    const b = model.tokenizer.tokenBytes(id);
    if (b.length < head.length || id === model.bosTokenId) continue;
    let ok = true;
    for (let i = 0; i < head.length && ok; i++) ok = b[i] === head[i];
    if (ok) found.push(id);
  }
  perModel.set(headToken, found);
  return found;
}

/**
 * Cuts a suggestion where it starts to loop: a piece of 2 to 24 characters repeated three
 * times in a row ("../core/core/core") keeps its first occurrence only.
 */
export function cutLoops(text: string): string {
  let cut = text.length;
  for (let k = 2; k <= 24; k++) {
    for (let i = 0; i + 3 * k <= text.length && i + k < cut; i++) {
      const piece = text.substr(i, k);
      // Only pieces with a letter or digit: rulers like "------" are not loops.
      if (/[A-Za-z0-9]/.test(piece) && text.substr(i + k, k) === piece && text.substr(i + 2 * k, k) === piece) {
        cut = Math.min(cut, i + k);
        break;
      }
    }
  }
  return text.slice(0, cut);
}

export function completeText(model: LanguageModel, prefix: string, o: CompleteOptions): CompleteResult {
  const now = o.now ?? (() => Date.now());
  const started = now();
  let context = contextTokens(model, prefix);
  if (context.length === 0 || o.maxTokens < 1) return { items: [], confidences: [], computedTokens: 0 };

  // Heal the last token (not for the word-level toy model, whose words are whole).
  let allowed: number[] | undefined;
  let skipBytes = 0;
  const last = context[context.length - 1];
  if (model.tokenizer.kind === 'bpe' && context.length > 1 && last !== model.bosTokenId) {
    allowed = tokensStartingWith(model, last);
    skipBytes = model.tokenizer.tokenBytes(last).length;
    context = context.slice(0, -1);
  }

  const first = model.predict(context);
  let computed = first.computedTokens;
  const probs = Float64Array.from(first.probs);
  if (allowed) {
    const keep = new Float64Array(probs.length);
    for (const id of allowed) keep[id] = probs[id];
    probs.set(keep);
  }
  if (model.bosTokenId !== undefined) probs[model.bosTokenId] = 0;
  const shaped = new Float64Array(probs.length);
  // Candidates follow the sampling settings (top-k / top-p cut the tail), best first.
  shapeDistribution(probs, { ...o.sampling, temperature: Math.max(o.sampling.temperature, 1) }, shaped);
  const order = Array.from(shaped.keys()).filter((id) => shaped[id] > 0).sort((a, b) => shaped[b] - shaped[a]);

  const items: string[] = [];
  const confidences: number[] = [];
  // Probabilities of the first token over the whole vocabulary (healing renormalises nothing).
  const firstProbs = Float64Array.from(first.probs);
  const wanted = Math.max(1, o.alternatives);
  for (const token of order.slice(0, wanted * 4)) {
    if (items.length >= wanted) break;
    if (items.length > 0 && now() - started > o.timeBudgetMs) break;
    // The first token costs nothing more (its probabilities are paid for above), so the time
    // budget never drops it: when reading the prompt alone takes longer than the budget (a
    // cold start on a busy machine), a short suggestion still beats none.
    let pieces = 0;
    const result = generate(model, [...context, token].slice(0, -1), {
      maxTokens: o.maxTokens,
      sampling: o.sampling,
      seed: token + 1,
      firstToken: token,
      firstTokenProb: firstProbs[token],
      repetitionPenalty: REPETITION_PENALTY,
      skipBytes,
      stopAtNewline: !o.multiline,
      shouldStop: (t) => (o.multiline && stopIndex(t, true) >= 0) || (++pieces > 1 && now() - started > o.timeBudgetMs),
    });
    computed += Math.max(0, result.tokens.length - 1);
    let text = result.text;
    const cut = stopIndex(text, o.multiline);
    if (cut >= 0) text = text.slice(0, cut);
    text = cutLoops(text).replace(/\s+$/u, '');
    if (text.trim().length > 0 && !items.includes(text)) {
      items.push(text);
      confidences.push(Math.exp(result.logProb));
    }
  }
  return { items, confidences, computedTokens: computed };
}
