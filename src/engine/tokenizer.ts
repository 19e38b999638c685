/** What every tokenizer offers: text <-> token ids, and how to show a token. */
export interface Tokenizer {
  readonly kind: 'bpe' | 'word';
  /** L: the number of ids, including special tokens. */
  readonly vocabSize: number;
  encode(text: string): number[];
  decode(ids: readonly number[]): string;
  /** The token's raw bytes (for BPE) or its UTF-8 bytes (for words). */
  tokenBytes(id: number): Uint8Array;
  /** The token as text for display; partial UTF-8 shows as U+FFFD. */
  tokenText(id: number): string;
  /** Id of a special token such as `<|endoftext|>`, if the vocabulary has it. */
  specialId(content: string): number | undefined;
}
