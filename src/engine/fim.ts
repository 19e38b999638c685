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
import type { FimTokens } from './languageModel';
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
