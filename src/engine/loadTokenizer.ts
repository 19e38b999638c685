import { BpeTokenizer } from './bpeTokenizer';
import { ModelError } from './errors';
import type { Tokenizer } from './tokenizer';
import { WordTokenizer } from './wordTokenizer';

/** Parses tokenizer.json text and builds the tokenizer its `model.type` names. */
export function loadTokenizer(text: string, file = 'tokenizer.json'): Tokenizer {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ModelError('bad-tokenizer', `not valid JSON (${(e as Error).message})`, file);
  }
  const type = (json as { model?: { type?: unknown } })?.model?.type;
  try {
    if (type === 'BPE') return new BpeTokenizer(json, file);
    if (type === 'WordLevel') return new WordTokenizer(json, file);
  } catch (e) {
    // Any shape we did not foresee is still a broken file, reported as such.
    if (e instanceof ModelError) throw e;
    throw new ModelError('bad-tokenizer', `unexpected structure (${(e as Error)?.message ?? e})`, file);
  }
  throw new ModelError('bad-tokenizer', `model.type ${JSON.stringify(type)} is not BPE or WordLevel`, file);
}
