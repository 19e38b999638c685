/**
 * One interface for every model, from the six-word counted toy to the transformer: tokens
 * in, a probability vector over all L tokens of the vocabulary out.
 */
import type { ModelConfig } from './config';
import type { Tokenizer } from './tokenizer';
import type { InspectRequest, Inspection } from './inspect';

export interface ModelInfo {
  id: string;
  displayName: string;
  description: string;
  kind: 'transformer' | 'ngram';
  /** L */
  vocabSize: number;
  /** M: embedding width (0 for counted models) */
  width: number;
  /** Nx: transformer blocks (0 for counted models) */
  layers: number;
  heads: number;
  /** The most tokens the model looks at: n_positions, or order - 1 for n-grams. */
  contextLength: number;
  parameters: number;
  /** n-gram order (counted models only) */
  order?: number;
  /** For a GGUF file: what the model picker shows (from the metadata and tensor infos). */
  gguf?: GgufModelFacts;
}

export interface GgufModelFacts {
  /** general.architecture: llama, qwen2, gpt2 */
  architecture: string;
  /** general.file_type as llama.cpp names it (MOSTLY_Q4_K_M ...), or the dominant tensor type. */
  fileType: string;
  /** The weight types of the matrices and how many tensors have each, e.g. "Q4_1 x210, Q8_0 x1". */
  quantisation: string;
  fileBytes: number;
}

export interface PredictOptions {
  /** Also return the attention weights of the last position (transformers). */
  attention?: boolean;
}

export interface Prediction {
  /** Probabilities over the whole vocabulary (length L, sums to 1). Owned by the model:
   *  valid until its next call; copy it to keep it. */
  probs: Float32Array;
  /** Tokens actually computed (after reusing the cached prefix). */
  computedTokens: number;
  /** attention[layer][head * contextLength + t] for the last position, when asked. */
  attention?: Float32Array[];
  /** For counted models: the n-gram order whose counts decided (longest seen context). */
  backoffOrder?: number;
  /** For counted models: how often the context used was seen, and with how many different next tokens. */
  contextCount?: number;
  contextTypes?: number;
}

/**
 * Fill-in-the-middle special token ids (see issue #16). A model trained with FIM reads
 * the suffix-prefix-middle layout `[prefix, suffix] + suffix tokens + [middle] + prefix
 * tokens` and writes the middle until one of `stop` (the document separator).
 */
export interface FimTokens {
  prefix: number;
  suffix: number;
  middle: number;
  stop: readonly number[];
  /**
   * The layout read at inference: `spm` (absent: ours, trained on both, see fim.ts) or `psm`,
   * `[prefix] prefix [suffix] suffix [middle]`, llama.cpp's infill layout and the one most
   * published code models were trained on (prefix and middle tokenised apart: no healing).
   */
  layout?: 'spm' | 'psm';
}

export interface LanguageModel {
  readonly info: ModelInfo;
  readonly config: ModelConfig;
  readonly tokenizer: Tokenizer;
  /** Token to start every context with (the document separator), if the model has one. */
  readonly bosTokenId: number | undefined;
  /** Set when the model was trained for fill-in-the-middle (its tokenizer has the
   *  `<|fim_prefix|>`, `<|fim_suffix|>`, `<|fim_middle|>` specials). */
  readonly fim?: FimTokens;
  /**
   * The next-token distribution after `tokens`. Throws ModelError `empty-context` or
   * `context-too-long` (use `contextTokens` to fit text into the window).
   */
  predict(tokens: readonly number[], options?: PredictOptions): Prediction;
  /**
   * The flow's numbers at the end of `tokens`, only the parts asked for (the panel's open
   * sections): embedding, one head's attention, the logit lens, the counts. Optional.
   */
  inspect?(tokens: readonly number[], request: InspectRequest): Inspection;
  /** Releases caches; the model stays usable. */
  reset(): void;
  /** Releases what lives outside the JavaScript heap (a helper thread); the model is not used after. Optional. */
  dispose?(): void;
  /** Threads its matrix products run on (2 with a helper thread); absent: one. */
  readonly threads?: number;
  /** Whether its products are split over two threads now (the helper thread is up). */
  readonly parallel?: boolean;
}
