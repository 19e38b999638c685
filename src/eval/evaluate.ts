/**
 * Quality measures as defined in DESIGN.md, over any LanguageModel (pure engine code):
 * bits per byte, top-1 / top-5 next-token accuracy, and keystroke savings of a simulated
 * user who accepts the longest correct prefix of each single-line ghost text.
 */
import { CacheCounts, withCaches, type CacheMixOptions, type LanguageModel } from '../engine';
import { completeText } from '../worker/completionEngine';

/** The other files of the project, counted (as the extension's workspace cache). */
export interface WorkspaceCounts {
  counts: CacheCounts;
  mix?: CacheMixOptions;
}

/** The model as the extension would run it: the workspace's counts under the file's own. */
function adapted(base: LanguageModel, useCache: boolean, workspace: WorkspaceCounts | undefined): { model: LanguageModel; cache?: CacheCounts } {
  const cache = useCache ? new CacheCounts(4) : undefined;
  const counted = workspace && workspace.counts.tokenCount > 0 ? workspace : undefined;
  return { model: withCaches(base, { open: cache, workspace: counted?.counts, workspaceMix: counted?.mix }), cache };
}

export interface TokenScores {
  bits: number; // total cross-entropy in bits
  tokens: number;
  top1: number; // count of tokens ranked first
  top5: number;
}

/** Scores every token of `text`; the context slides over texts longer than the window. */
export function scoreText(base: LanguageModel, text: string, useCache = false, workspace?: WorkspaceCounts): TokenScores {
  // With the cache, each token joins the cache once it has been scored (the user typed it).
  const { model, cache } = adapted(base, useCache, workspace);
  const tokens = model.tokenizer.encode(text);
  const window = model.info.kind === 'transformer' ? model.info.contextLength : Infinity;
  // A counted model has no start token: its first token is scored by unigram frequency. A
  // transformer without one (a GGUF file whose tokenizer.ggml.add_bos_token is false, as
  // SmolLM2's) cannot predict from nothing: its first token is context, not scored.
  let context: number[] = model.bosTokenId !== undefined ? [model.bosTokenId] : [];
  const scores: TokenScores = { bits: 0, tokens: 0, top1: 0, top5: 0 };
  const unscored = context.length === 0 && model.info.kind === 'transformer' ? 1 : 0;
  context.push(...tokens.slice(0, unscored));
  for (const target of tokens.slice(unscored)) {
    if (context.length >= window) context = context.slice(context.length - Math.floor(window / 2));
    const probs = model.predict(context).probs;
    const p = probs[target];
    scores.bits += -Math.log2(Math.max(p, 1e-30));
    let higher = 0;
    for (let i = 0; i < probs.length && higher < 5; i++) if (probs[i] > p) higher++;
    if (higher === 0) scores.top1++;
    if (higher < 5) scores.top5++;
    scores.tokens++;
    context.push(target);
    cache?.append('file', [target]);
  }
  return scores;
}

export interface KeystrokeResult {
  keys: number;
  chars: number;
  accepted: number; // acceptances (each one key)
  acceptedChars: number;
}

/**
 * How the simulated user takes ghost text: `prefix`, the longest correct prefix with one key
 * (DESIGN.md's keystroke savings); `whole`, Tab only, when the whole suggestion is right;
 * `word`, Ctrl+Right word by word while the words are right, one key each. With single-line
 * ghost text (the default) accepting line by line is accepting the whole suggestion.
 */
export const ACCEPT_STYLES = ['prefix', 'whole', 'word'] as const;
export type AcceptStyle = (typeof ACCEPT_STYLES)[number];

export interface TypingResult extends KeystrokeResult {
  /** The same walk for each way of accepting (the top level is `prefix`). */
  byStyle: Record<AcceptStyle, KeystrokeResult>;
}

/** Characters a word-accepting user may take from a suggestion, each press one word (as VS Code's acceptNextWord). */
export function wordSteps(suggestion: string, target: string): number[] {
  const steps: number[] = [];
  let at = 0;
  while (at < suggestion.length) {
    const n = nextWordLength(suggestion.slice(at));
    if (suggestion.slice(at, at + n) !== target.slice(at, at + n)) break;
    steps.push(n);
    at += n;
  }
  return steps;
}

/** VS Code's next word: a word at the start, else up to the next word, but no further than the end of the first whitespace run. */
function nextWordLength(text: string): number {
  const word = /[^\s`~!@#$%^&*()\-=+[{\]}\\|;:'",.<>/?]+/.exec(text);
  let n = word ? (word.index === 0 ? word[0].length : word.index) : text.length;
  const space = /\s+/.exec(text);
  if (space && space.index + space[0].length < n) n = space.index + space[0].length;
  return Math.max(1, n);
}

/**
 * Walks through `text` as users typing it, one per accept style: at each position the ghost
 * text is the model's single-line suggestion; a user takes what their style allows of the
 * part that matches the real text, or types one character. The walks advance together,
 * lowest position first, so a position's suggestion is computed once and the cache (the
 * lines typed so far) only grows.
 */
export function simulateTyping(base: LanguageModel, text: string, maxTokens = 16, useCache = false, workspace?: WorkspaceCounts): TypingResult {
  const { model, cache } = adapted(base, useCache, workspace);
  const walkers = ACCEPT_STYLES.map((style) => ({ style, pos: 0, r: { keys: 0, chars: text.length, accepted: 0, acceptedChars: 0 } }));
  const suggestions = new Map<number, string>();
  let cachedUpTo = 0;
  for (;;) {
    const w = walkers.reduce((a, b) => (b.pos < a.pos ? b : a));
    const pos = w.pos;
    if (pos >= text.length) break;
    // Lines the user has finished typing join the cache (as the open document's counts would).
    const lineStart = text.lastIndexOf('\n', pos - 1) + 1;
    if (cache && lineStart > cachedUpTo) {
      cache.append('file', model.tokenizer.encode(text.slice(cachedUpTo, lineStart)));
      cachedUpTo = lineStart;
    }
    const lineEnd = text.indexOf('\n', pos);
    const target = text.slice(pos, lineEnd < 0 ? text.length : lineEnd);
    let suggestion = suggestions.get(pos);
    if (suggestion === undefined) {
      suggestion = '';
      if (target.length > 0) {
        const { items } = completeText(model, text.slice(0, pos), {
          maxTokens, multiline: false, timeBudgetMs: Infinity, alternatives: 1, sampling: { temperature: 0, topK: 0, topP: 1 },
        });
        suggestion = items[0] ?? '';
      }
      suggestions.set(pos, suggestion);
      // No walker comes back below the lowest one (this one): those suggestions are done.
      for (const k of suggestions.keys()) if (k < pos) suggestions.delete(k);
    }
    let matched = 0;
    while (matched < suggestion.length && matched < target.length && suggestion[matched] === target[matched]) matched++;
    let keys = 1;
    let taken = 0;
    if (w.style === 'prefix') taken = matched;
    else if (w.style === 'whole') taken = matched === suggestion.length ? matched : 0;
    else {
      const steps = wordSteps(suggestion, target);
      taken = steps.reduce((a, b) => a + b, 0);
      keys = Math.max(1, steps.length);
    }
    w.r.keys += keys;
    if (taken > 0) {
      w.r.accepted++;
      w.r.acceptedChars += taken;
      w.pos += taken;
    } else w.pos++;
  }
  const byStyle = Object.fromEntries(walkers.map((w) => [w.style, w.r])) as Record<AcceptStyle, KeystrokeResult>;
  return { ...byStyle.prefix, byStyle };
}
