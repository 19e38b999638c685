/**
 * A scripted LanguageModel for fill-in-the-middle tests: it reads its context the way a FIM
 * model does and puts all probability on one token, so what completion and eval do with the
 * suffix can be checked exactly (a random model's choices say nothing).
 *
 * It "knows" a document. Given an SPM context it decodes the suffix it was shown and the text
 * after `<|fim_middle|>` (the prefix, then what it has written), and continues the document
 * with the longest vocabulary token that matches; where the rest of the document is the
 * suffix it chose `<|endoftext|>` (unless `writesPastSuffix`, a model that fails to stop).
 * Left to right it continues `leftToRight` instead (by default the same document): a model
 * that without the suffix guesses some lines differently.
 */
import { decodeWtf8, type FimTokens, type LanguageModel, type Prediction } from '../../src/engine';

export interface OracleOptions {
  document: string;
  leftToRight?: string;
  writesPastSuffix?: boolean;
}

export class FimOracle implements LanguageModel {
  readonly info: LanguageModel['info'];
  readonly config: LanguageModel['config'];
  readonly tokenizer: LanguageModel['tokenizer'];
  readonly bosTokenId: number | undefined;
  readonly fim: FimTokens;
  /** Every context it was asked about. */
  readonly contexts: number[][] = [];
  private readonly probs: Float32Array;

  constructor(base: LanguageModel, private readonly o: OracleOptions) {
    if (!base.fim) throw new Error('the oracle needs a tokenizer with the FIM specials');
    this.info = base.info;
    this.config = base.config;
    this.tokenizer = base.tokenizer;
    this.bosTokenId = base.bosTokenId;
    this.fim = base.fim;
    this.probs = new Float32Array(base.info.vocabSize);
  }

  predict(tokens: readonly number[]): Prediction {
    this.contexts.push(tokens.slice());
    const text = (ids: readonly number[]) => decodeWtf8(ids.flatMap((id) => Array.from(this.tokenizer.tokenBytes(id))), true).text;
    const middleAt = tokens.indexOf(this.fim.middle);
    let next: number;
    if (middleAt >= 0) {
      const suffix = text(tokens.slice(tokens.indexOf(this.fim.suffix) + 1, middleAt));
      const written = text(tokens.slice(middleAt + 1));
      const rest = this.o.document.slice(written.length);
      next = rest.startsWith(suffix) && !this.o.writesPastSuffix ? this.fim.stop[0] : this.longestToken(rest);
    } else {
      const written = text(tokens.filter((id) => id !== this.bosTokenId));
      next = this.longestToken((this.o.leftToRight ?? this.o.document).slice(written.length));
    }
    this.probs.fill(0);
    this.probs[next] = 1;
    return { probs: this.probs, computedTokens: 1 };
  }

  /** The longest token whose text starts `rest` (the end of the document: the separator). */
  private longestToken(rest: string): number {
    let best = this.fim.stop[0];
    let bestLength = 0;
    const bytes = new TextEncoder().encode(rest);
    for (let id = 0; id < this.info.vocabSize; id++) {
      if (id === this.bosTokenId || id === this.fim.prefix || id === this.fim.suffix || id === this.fim.middle) continue;
      const t = this.tokenizer.tokenBytes(id);
      if (t.length <= bestLength || t.length > bytes.length) continue;
      let ok = true;
      for (let i = 0; i < t.length && ok; i++) ok = t[i] === bytes[i];
      if (ok) {
        best = id;
        bestLength = t.length;
      }
    }
    return best;
  }

  reset(): void {
    this.contexts.length = 0;
  }
}
