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
import { completionContext, generate, hasSuffix, shapeDistribution, suffixMeetIndex, toModelText, type FimContext, type LanguageModel } from '../engine';
import type { SamplingOptions } from '../engine';

/** Chosen on the validation files: see the model cards (keystroke savings with and without). */
export const REPETITION_PENALTY = 1.8;

export interface CompleteOptions {
  /** The most tokens in one suggestion. */
  maxTokens: number;
  /** Continue to the end of the block (a blank line) instead of the line. */
  multiline: boolean;
  /** Stop generating after this many milliseconds (what is done so far is returned). */
  timeBudgetMs: number;
  /** How many distinct first tokens to continue (Alt+] / Alt+[ cycle through them). */
  alternatives: number;
  sampling: SamplingOptions;
  /**
   * The text after the cursor (bounded by the host, any line endings). A model trained for
   * fill-in-the-middle reads it (SPM layout) and stops where its middle meets it; other
   * models ignore it.
   */
  suffix?: string;
  /** Fit a FIM context into this many tokens instead of the whole window (eval --infill --fim-window). */
  fimWindow?: number;
  /** The clock (tests make it slow). */
  now?: () => number;
}

export interface CompleteResult {
  items: string[];
  /** Per item: the product of its tokens' probabilities (the model's confidence). */
  confidences: number[];
  computedTokens: number;
  /** How many tokens after the cursor the model read (fill-in-the-middle; absent: none). */
  suffixTokens?: number;
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

/**
 * The context to predict from, cut where training's tokenization would have cut it, and
 * what the first generated token must start with (the healed bytes).
 *
 * Text that ends inside a word ends inside a token ("retur" = "ret" + "ur"): the last token
 * is taken back and the first generated one must start with its bytes. So does a line break
 * with nothing after it yet: in training the next line's indentation is part of the token
 * ("\n\t\t"), so the model chooses it. Text that ends in spaces or tabs is encoded with a
 * letter after it, which shows where a word would begin: after indentation ("\n\t\t" +
 * "return") the context is complete as it is, and the indentation the editor put there stays
 * the suggestion's (healing it let the model pick deeper indentation: one suggestion in six
 * on tab-indented files began with more whitespace); after "const " a word carries its space
 * (" x"), so the space is healed as before.
 */
export function healedContext(model: LanguageModel, prefix: string, suffix?: string, fimWindow?: number): HealedContext {
  const fit = (text: string) => completionContext(model, text, suffix, fimWindow);
  // The word-level toy model's words are whole: nothing to heal. Nor in a PSM context, where
  // the prefix was tokenised apart from the middle in training too (and the suffix follows it).
  const psm = model.fim?.layout === 'psm' && hasSuffix(suffix);
  if (model.tokenizer.kind !== 'bpe' || psm) return { ...toHealed(fit(prefix)), head: undefined };
  const endsInSpace = /[ \t]$/.test(prefix);
  const fitted = fit(endsInSpace ? prefix + WORD_PROBE : prefix);
  const { context } = toHealed(fitted);
  const result = (head: number | undefined, tokens = context) => ({ ...toHealed(fitted), context: tokens, head });
  // Nothing of the prefix in the window, or only the start token: nothing to heal.
  if (context.length <= fitted.prefixStart || (fitted.prefixStart === 0 && context.length <= 1)) return result(undefined);
  const last = context[context.length - 1];
  if (last === model.bosTokenId) return result(undefined);
  context.pop();
  if (!endsInSpace) return result(last);
  // The probe's token: "x" alone (a boundary before it) or whitespace + "x" (heal the whitespace).
  const probe = model.tokenizer.tokenText(last);
  if (probe.length === 1) return result(undefined);
  const head = model.tokenizer.encode(probe.slice(0, -1));
  return head.length === 1 ? result(head[0]) : result(undefined, [...context, ...head]);
}

export interface HealedContext {
  context: number[];
  /** What the first generated token must start with (undefined: anything). */
  head: number | undefined;
  /** Tokens before the prefix's (FIM header and suffix, or the start token). */
  prefixStart: number;
  /** How many tokens of the suffix the context holds (0: left to right). */
  suffixTokens: number;
  /** Tokens that stay when generation slides the window (a FIM header and suffix). */
  keep: number;
}

function toHealed(c: FimContext): Omit<HealedContext, 'head'> {
  return { context: c.tokens, prefixStart: c.prefixStart, suffixTokens: c.suffixTokens, keep: c.keep };
}

/** A letter that starts a word in every byte-level BPE (it ends the probe text of healedContext). */
const WORD_PROBE = 'x';

/** The suffix as `model` reads it: only a model trained for it, only when not blank, LF line endings. */
export function suffixFor(model: LanguageModel, suffix: string | undefined): string | undefined {
  return model.fim && hasSuffix(suffix) ? toModelText(suffix) : undefined;
}

export function completeText(model: LanguageModel, rawPrefix: string, o: CompleteOptions): CompleteResult {
  const now = o.now ?? (() => Date.now());
  const started = now();
  const prefix = toModelText(rawPrefix);
  if (o.maxTokens < 1) return { items: [], confidences: [], computedTokens: 0 };
  const { context, head, keep, suffixTokens } = healedContext(model, prefix, suffixFor(model, o.suffix), o.fimWindow);
  if (context.length === 0) return { items: [], confidences: [], computedTokens: 0 };
  // The FIM rules hold where the model read a suffix (its window may have had no room for one).
  const fim = suffixTokens > 0 ? model.fim : undefined;
  const suffix = fim ? suffixFor(model, o.suffix) : undefined;
  const stops = new Set(fim?.stop ?? []);
  const allowed = head === undefined ? undefined : tokensStartingWith(model, head);
  const skipBytes = head === undefined ? 0 : model.tokenizer.tokenBytes(head).length;

  const first = model.predict(context);
  let computed = first.computedTokens;
  const probs = Float64Array.from(first.probs);
  if (allowed) {
    const keep = new Float64Array(probs.length);
    for (const id of allowed) keep[id] = probs[id];
    probs.set(keep);
  }
  if (model.bosTokenId !== undefined && !stops.has(model.bosTokenId)) probs[model.bosTokenId] = 0;
  // The FIM markers are layout, never text (a healed "<" would otherwise allow them).
  const markers = model.fim ? [model.fim.prefix, model.fim.suffix, model.fim.middle] : [];
  for (const id of markers) probs[id] = 0;
  const shaped = new Float64Array(probs.length);
  // Candidates follow the sampling settings (top-k / top-p cut the tail), best first.
  shapeDistribution(probs, { ...o.sampling, temperature: Math.max(o.sampling.temperature, 1) }, shaped);
  let order = Array.from(shaped.keys()).filter((id) => shaped[id] > 0).sort((a, b) => shaped[b] - shaped[a]);
  if (stops.size > 0) {
    // A FIM model that would end the middle at once says nothing belongs at the cursor: while
    // typing, that is the answer; asked for alternatives, the other candidates are.
    if (order.length > 0 && stops.has(order[0]) && o.alternatives <= 1) return { items: [], confidences: [], computedTokens: computed, suffixTokens };
    order = order.filter((id) => !stops.has(id));
  }

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
    let outOfTime = false;
    const result = generate(model, [...context, token].slice(0, -1), {
      maxTokens: o.maxTokens,
      sampling: o.sampling,
      seed: token + 1,
      firstToken: token,
      firstTokenProb: firstProbs[token],
      repetitionPenalty: REPETITION_PENALTY,
      skipBytes,
      stopAtNewline: !o.multiline,
      stopTokens: fim?.stop,
      bannedTokens: markers.length > 0 ? markers : undefined,
      keepHead: fim ? keep : 0,
      shouldStop: (t) => {
        if (o.multiline && stopIndex(t, true) >= 0) return true;
        if (suffix !== undefined && suffixMeetIndex(t, suffix, false) >= 0) return true;
        return (outOfTime = ++pieces > 1 && now() - started > o.timeBudgetMs);
      },
    });
    computed += Math.max(0, result.tokens.length - 1);
    let text = result.text;
    if (suffix !== undefined) {
      const met = suffixMeetIndex(text, suffix, true, outOfTime || result.stopReason === 'max-tokens');
      if (met >= 0) text = text.slice(0, met);
    }
    const cut = stopIndex(text, o.multiline);
    if (cut >= 0) text = text.slice(0, cut);
    text = cutLoops(text).replace(/\s+$/u, '');
    if (text.trim().length > 0 && !items.includes(text)) {
      items.push(text);
      confidences.push(Math.exp(result.logProb));
    }
  }
  return suffixTokens > 0 ? { items, confidences, computedTokens: computed, suffixTokens } : { items, confidences, computedTokens: computed };
}
