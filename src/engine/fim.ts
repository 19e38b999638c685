/**
 * Fill-in-the-middle (issue #16): the special tokens a FIM-trained model knows, and the
 * suffix-prefix-middle (SPM) context it reads at inference.
 *
 * Training writes SPM documents as `<|fim_prefix|> <|fim_suffix|> enc(suffix)
 * <|fim_middle|> enc(prefix + middle) <|endoftext|>`: the prefix and the middle are one
 * text, so at inference the prefix is tokenised exactly like a left-to-right context (token
 * healing included) and, as the suffix does not change while the user types at the cursor,
 * the KV cache of everything before the prefix's end is reused keystroke after keystroke.
 */
import { contextTokens } from './generate';
import type { FimTokens, LanguageModel } from './languageModel';
import type { Tokenizer } from './tokenizer';

export const FIM_PREFIX = '<|fim_prefix|>';
export const FIM_SUFFIX = '<|fim_suffix|>';
export const FIM_MIDDLE = '<|fim_middle|>';
export const END_OF_TEXT = '<|endoftext|>';

/** The FIM tokens of a tokenizer that has all three specials (looked up by content, never by id). */
export function fimTokensOf(tokenizer: Tokenizer): FimTokens | undefined {
  const prefix = tokenizer.specialId(FIM_PREFIX);
  const suffix = tokenizer.specialId(FIM_SUFFIX);
  const middle = tokenizer.specialId(FIM_MIDDLE);
  if (prefix === undefined || suffix === undefined || middle === undefined) return undefined;
  const eot = tokenizer.specialId(END_OF_TEXT);
  return { prefix, suffix, middle, stop: eot === undefined ? [] : [eot] };
}

/** Share of the window the suffix may take: the prefix, closest to the cursor, gets the rest. */
export const FIM_SUFFIX_SHARE = 0.25;
/**
 * Share of the window left free for the middle being written: generation slides the window
 * once it is full, which would cost a new prefill while the user waits.
 */
export const FIM_MIDDLE_SHARE = 0.125;
/** Characters looked at per token of suffix budget (as `contextTokens` bounds the prefix). */
const CHARS_PER_TOKEN_BOUND = 16;

/**
 * The suffix's tokens within `budget`: when they do not all fit, cut after the last token
 * that holds a line break, so the model sees whole lines after the cursor (a line cut in the
 * middle reads as if the code stopped there). A single line longer than the budget is cut at
 * the budget.
 */
export function fitSuffixTokens(tokenizer: Tokenizer, suffix: string, budget: number): number[] {
  if (budget <= 0 || suffix.length === 0) return [];
  const tokens = tokenizer.encode(suffix.slice(0, budget * CHARS_PER_TOKEN_BOUND));
  if (tokens.length <= budget) return tokens;
  for (let end = budget; end > 0; end--) {
    if (tokenizer.tokenText(tokens[end - 1]).includes('\n')) return tokens.slice(0, end);
  }
  return tokens.slice(0, budget);
}

/** Whether a suffix gives a FIM model anything to read (blank text after the cursor does not). */
export function hasSuffix(suffix: string | undefined): suffix is string {
  return suffix !== undefined && /\S/.test(suffix);
}

/** A completion context: SPM (header + suffix + middle marker + prefix), PSM, or left to right. */
export interface FimContext {
  tokens: number[];
  /** Where the prefix's tokens begin in `tokens` (after `<|fim_middle|>` in SPM, `<|fim_prefix|>` in PSM, the start token left to right). */
  prefixStart: number;
  /** How many tokens of the suffix the model reads. */
  suffixTokens: number;
  /** Tokens at the start that stay when generation slides the window (the FIM header and suffix). */
  keep: number;
}

/**
 * The fill-in-the-middle context within `window`. SPM (our models): `[fim_prefix, fim_suffix]
 * + enc(suffix) + [fim_middle] + enc(prefix)`. The suffix takes at most FIM_SUFFIX_SHARE of the
 * window, the middle being written keeps FIM_MIDDLE_SHARE free, and the prefix is fitted into
 * the rest by `contextTokens` with its stepped start: the suffix is the same while the user
 * types at the cursor, so the prefix's budget is too and the KV cache of everything up to the
 * cursor is reused. The prefix has no start token: in training it follows `<|fim_middle|>`
 * directly. PSM (`layout: 'psm'`): `[bos] + [fim_prefix] + enc(prefix) + [fim_suffix] +
 * enc(suffix) + [fim_middle]` (the start token where the model has one), the same budgets
 * (the suffix is read again at each keystroke).
 */
export function fimContextTokens(model: LanguageModel & { fim: FimTokens }, prefix: string, suffix: string, window = model.info.contextLength): FimContext {
  const { fim } = model;
  const suffixIds = fitSuffixTokens(model.tokenizer, suffix, Math.floor(window * FIM_SUFFIX_SHARE));
  // PSM starts with the start token where the model has one, as llama.cpp's infill does.
  const start = fim.layout === 'psm' && model.bosTokenId !== undefined ? [model.bosTokenId] : [];
  const budget = Math.max(1, window - start.length - 3 - suffixIds.length - Math.floor(window * FIM_MIDDLE_SHARE));
  let prefixIds = contextTokens(model, prefix, budget);
  if (prefixIds.length > 0 && prefixIds[0] === model.bosTokenId) prefixIds = prefixIds.slice(1);
  if (fim.layout === 'psm') {
    const tokens = [...start, fim.prefix, ...prefixIds, fim.suffix, ...suffixIds, fim.middle];
    return { tokens, prefixStart: start.length + 1, suffixTokens: suffixIds.length, keep: tokens.length };
  }
  const head = [fim.prefix, fim.suffix, ...suffixIds, fim.middle];
  return { tokens: [...head, ...prefixIds], prefixStart: head.length, suffixTokens: suffixIds.length, keep: head.length };
}

/**
 * The context for a completion at the cursor: the FIM layout for a FIM model with text after
 * the cursor (within `fimWindow` tokens when given, to measure shorter ones), else the
 * left-to-right context as always (`prefixStart` then skips the start token).
 */
export function completionContext(model: LanguageModel, prefix: string, suffix?: string, fimWindow?: number): FimContext {
  if (model.fim && hasSuffix(suffix)) return fimContextTokens(model as LanguageModel & { fim: FimTokens }, prefix, suffix, Math.min(fimWindow ?? Infinity, model.info.contextLength));
  const tokens = contextTokens(model, prefix);
  return { tokens, prefixStart: tokens.length > 0 && tokens[0] === model.bosTokenId ? 1 : 0, suffixTokens: 0, keep: 0 };
}

/**
 * Where a middle written by a FIM model meets the suffix: the line break before the first
 * generated line that is the suffix's first non-empty line again, or -1 (the model did not
 * end its middle and went on to write what follows the cursor). Lines count once complete
 * (a line break after them), the last one also when `final` (generation ended) if it is that
 * line or, cut short by the token or time budget (`cutShort`), its beginning. The cursor's
 * own line never counts: a line there equal to the next one is often right ("}" above "}").
 */
export function suffixMeetIndex(text: string, suffix: string, final: boolean, cutShort = false): number {
  const target = suffix.split('\n').find((line) => line.trim().length > 0)?.trim();
  if (!target) return -1;
  for (let start = text.indexOf('\n') + 1; start > 0; start = text.indexOf('\n', start) + 1) {
    const end = text.indexOf('\n', start);
    const line = (end < 0 ? text.slice(start) : text.slice(start, end)).trim();
    if (line.length === 0) continue;
    if (end >= 0 && line === target) return start - 1;
    if (end < 0 && final && (line === target || (cutShort && target.startsWith(line)))) return start - 1;
  }
  return -1;
}
