/**
 * Quality measures as defined in DESIGN.md, over any LanguageModel (pure engine code):
 * bits per byte, top-1 / top-5 next-token accuracy, and keystroke savings of a simulated
 * user who accepts the longest correct prefix of each single-line ghost text.
 */
import { CachedModel, CacheCounts, type LanguageModel } from '../engine';
import { completeText } from '../worker/completionEngine';

export interface TokenScores {
  bits: number; // total cross-entropy in bits
  tokens: number;
  top1: number; // count of tokens ranked first
  top5: number;
}

/** Scores every token of `text`; the context slides over texts longer than the window. */
export function scoreText(base: LanguageModel, text: string, useCache = false): TokenScores {
  // With the cache, each token joins the cache once it has been scored (the user typed it).
  const cache = useCache ? new CacheCounts(4) : undefined;
  const model = cache ? new CachedModel(base, cache) : base;
  const tokens = model.tokenizer.encode(text);
  const window = model.info.kind === 'transformer' ? model.info.contextLength : Infinity;
  // A counted model has no start token: its first token is scored by unigram frequency.
  let context: number[] = model.bosTokenId !== undefined ? [model.bosTokenId] : [];
  const scores: TokenScores = { bits: 0, tokens: 0, top1: 0, top5: 0 };
  for (const target of tokens) {
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
 * Walks through `text` as a user typing it: at each position the ghost text is the
 * model's single-line suggestion; the user accepts its longest prefix that matches the
 * real text (one key), or types one character.
 */
export function simulateTyping(base: LanguageModel, text: string, maxTokens = 16, useCache = false): KeystrokeResult {
  const result: KeystrokeResult = { keys: 0, chars: text.length, accepted: 0, acceptedChars: 0 };
  const cache = useCache ? new CacheCounts(4) : undefined;
  const model = cache ? new CachedModel(base, cache) : base;
  let pos = 0;
  let cachedUpTo = 0;
  while (pos < text.length) {
    // Lines the user has finished typing join the cache (as the open document's counts would).
    const lineStart = text.lastIndexOf('\n', pos - 1) + 1;
    if (cache && lineStart > cachedUpTo) {
      cache.append('file', model.tokenizer.encode(text.slice(cachedUpTo, lineStart)));
      cachedUpTo = lineStart;
    }
    const lineEnd = text.indexOf('\n', pos);
    const target = text.slice(pos, lineEnd < 0 ? text.length : lineEnd);
    let matched = 0;
    if (target.length > 0) {
      const { items } = completeText(model, text.slice(0, pos), {
        maxTokens, multiline: false, timeBudgetMs: Infinity, alternatives: 1, sampling: { temperature: 0, topK: 0, topP: 1 },
      });
      const suggestion = items[0] ?? '';
      while (matched < suggestion.length && matched < target.length && suggestion[matched] === target[matched]) matched++;
    }
    result.keys++;
    if (matched > 0) {
      result.accepted++;
      result.acceptedChars += matched;
      pos += matched;
    } else pos++;
  }
  return result;
}
