/**
 * The toy model's word-level vocabulary. Chinese has no spaces, so words are found by
 * longest match anywhere in the text; whitespace and punctuation between words are
 * separators; anything else is unknown and skipped (reported through `unknown`).
 */
import { ModelError } from './errors';
import type { Tokenizer } from './tokenizer';

const SEPARATOR = /[\s\p{P}\p{S}]/u;

export class WordTokenizer implements Tokenizer {
  readonly kind = 'word' as const;
  readonly vocabSize: number;
  private readonly words: string[];
  private readonly ids = new Map<string, number>();
  private readonly longest: number;

  constructor(json: unknown, file = 'tokenizer.json') {
    const vocab = (json as { model?: { type?: string; vocab?: unknown } })?.model;
    if (!vocab || vocab.type !== 'WordLevel' || typeof vocab.vocab !== 'object' || vocab.vocab === null) {
      throw new ModelError('bad-tokenizer', 'model must be {"type": "WordLevel", "vocab": {...}}', file);
    }
    const entries = Object.entries(vocab.vocab as Record<string, unknown>);
    this.vocabSize = entries.length;
    this.words = new Array(entries.length);
    for (const [word, id] of entries) {
      if (!Number.isInteger(id) || (id as number) < 0 || (id as number) >= entries.length || this.words[id as number] !== undefined || word.length === 0) {
        throw new ModelError('bad-tokenizer', `word ${JSON.stringify(word)} has id ${id}; ids must be 0..${entries.length - 1}, each used once`, file);
      }
      this.words[id as number] = word;
      this.ids.set(word, id as number);
    }
    this.longest = Math.max(0, ...this.words.map((w) => w.length));
  }

  encode(text: string): number[] {
    return this.scan(text).ids;
  }

  /** Token ids plus the pieces of text that are no word of the vocabulary. */
  scan(text: string): { ids: number[]; unknown: string[] } {
    const ids: number[] = [];
    const unknown: string[] = [];
    let pendingUnknown = '';
    let i = 0;
    while (i < text.length) {
      let matched = 0;
      for (let len = Math.min(this.longest, text.length - i); len > 0; len--) {
        const id = this.ids.get(text.slice(i, i + len));
        if (id !== undefined) {
          ids.push(id);
          matched = len;
          break;
        }
      }
      if (matched > 0 || SEPARATOR.test(text[i])) {
        if (pendingUnknown) unknown.push(pendingUnknown);
        pendingUnknown = '';
        i += matched || 1;
      } else {
        pendingUnknown += text[i];
        i++;
      }
    }
    if (pendingUnknown) unknown.push(pendingUnknown);
    return { ids, unknown };
  }

  decode(ids: readonly number[]): string {
    return ids.map((id) => this.tokenText(id)).join(' ');
  }

  tokenBytes(id: number): Uint8Array {
    return new TextEncoder().encode(this.tokenText(id));
  }

  tokenText(id: number): string {
    if (!Number.isInteger(id) || id < 0 || id >= this.vocabSize) throw new ModelError('bad-token', `token id ${id} is outside the vocabulary of ${this.vocabSize}`);
    return this.words[id];
  }

  specialId(): number | undefined {
    return undefined;
  }
}
