/** Text-level helpers over any LanguageModel: fit text into the window, predict, generate. */
import { ModelError } from './errors';
import type { LanguageModel, PredictOptions, Prediction } from './languageModel';
import { GREEDY, Rng, sample, type SamplingOptions } from './sampling';
import { decodeWtf8 } from './wtf8';

/** Characters looked at per token of window: text further back cannot reach the model. */
const CHARS_PER_TOKEN_BOUND = 16;

/**
 * Tokens for the text before the cursor, fitted into the model's window: the BOS token
 * when the whole text fits, otherwise the last `contextLength` tokens. Only the tail of a
 * huge text is tokenized (bounded work whatever the file size).
 */
export function contextTokens(model: LanguageModel, text: string, window = model.info.contextLength): number[] {
  const limit = Math.max(1, window);
  let truncated = false;
  if (text.length > limit * CHARS_PER_TOKEN_BOUND) {
    text = text.slice(text.length - limit * CHARS_PER_TOKEN_BOUND);
    truncated = true;
  }
  let tokens = model.tokenizer.encode(text);
  // A cut through the middle of a chunk would produce a token the model never saw there.
  if (truncated && tokens.length > 0) tokens = tokens.slice(1);
  if (!truncated && model.bosTokenId !== undefined) tokens.unshift(model.bosTokenId);
  if (model.info.kind === 'transformer' && tokens.length > limit) tokens = tokens.slice(tokens.length - limit);
  return tokens;
}

export interface TextPrediction extends Prediction {
  tokens: number[];
}

/** The next-token distribution for the end of `text`. */
export function predictText(model: LanguageModel, text: string, options?: PredictOptions): TextPrediction {
  const tokens = contextTokens(model, text);
  if (tokens.length === 0 && model.info.kind === 'transformer') {
    throw new ModelError('empty-context', 'the text is empty and the model has no start token');
  }
  return { ...model.predict(tokens, options), tokens };
}

export interface GenerateOptions {
  maxTokens: number;
  sampling?: SamplingOptions;
  seed?: number;
  /** Stop before emitting text that contains a newline. */
  stopAtNewline?: boolean;
  /** Called with the text generated so far; return true to stop. */
  shouldStop?: (text: string) => boolean;
  /** Never emit these tokens (e.g. the document separator). */
  bannedTokens?: readonly number[];
  /** Take this token as the first step instead of choosing one (alternatives, token healing). */
  firstToken?: number;
  /** Probability of firstToken (it was chosen by the caller), for the confidence. */
  firstTokenProb?: number;
  /** Bytes the caller already has (a healed token's text): left out of the result. */
  skipBytes?: number;
}

export interface Generation {
  tokens: number[];
  text: string;
  stopReason: 'max-tokens' | 'newline' | 'stop' | 'end-of-text';
  /** Sum of the natural-log probabilities of the emitted tokens (exp() = the confidence). */
  logProb: number;
}

/**
 * Appends tokens one at a time ("我爱你" -> "i" -> "love"): each step predicts, picks,
 * appends and runs again; the model's KV cache makes each step cost one token.
 */
export function generate(model: LanguageModel, contextIds: readonly number[], options: GenerateOptions): Generation {
  const sampling = options.sampling ?? GREEDY;
  const rng = new Rng(options.seed ?? 1);
  const window = model.info.kind === 'transformer' ? model.info.contextLength : Infinity;
  let context = contextIds.slice();
  const out: number[] = [];
  const bytes: number[] = [];
  let text = '';
  const banned = new Set(options.bannedTokens ?? []);
  if (model.bosTokenId !== undefined) banned.add(model.bosTokenId);
  let scratch: Float64Array | undefined;
  let stopReason: Generation['stopReason'] = 'max-tokens';
  const skip = options.skipBytes ?? 0;
  let logProb = 0;
  while (out.length < options.maxTokens) {
    if (context.length >= window) context = context.slice(context.length - Math.floor(window / 2));
    if (context.length === 0) throw new ModelError('empty-context', 'nothing to continue from');
    let next: number;
    let p = 1;
    if (out.length === 0 && options.firstToken !== undefined) {
      next = options.firstToken;
      p = options.firstTokenProb ?? 1;
    } else if (banned.size > 0) {
      const { probs } = model.predict(context);
      const masked = Float32Array.from(probs);
      for (const b of banned) if (b < masked.length) masked[b] = 0;
      next = sample(masked, sampling, rng, (scratch ??= new Float64Array(probs.length)));
      if (masked[next] === 0) {
        stopReason = 'end-of-text';
        break;
      }
      p = probs[next];
    } else {
      const { probs } = model.predict(context);
      next = sample(probs, sampling, rng, (scratch ??= new Float64Array(probs.length)));
      p = probs[next];
    }
    const piece = model.tokenizer.tokenBytes(next);
    const decoded = decodeWtf8([...bytes, ...piece].slice(skip), true);
    if (options.stopAtNewline && decoded.text.includes('\n')) {
      // Keep what the token says before the line ends ("foo\n" still gives "foo").
      text = decoded.text.slice(0, decoded.text.indexOf('\n'));
      stopReason = 'newline';
      return { tokens: out, text, stopReason, logProb };
    }
    if (options.shouldStop?.(decoded.text)) {
      stopReason = 'stop';
      break;
    }
    for (const b of piece) bytes.push(b);
    if (model.tokenizer.kind === 'word') text = model.tokenizer.decode([...out, next]);
    else text = decoded.text;
    out.push(next);
    context.push(next);
    logProb += Math.log(Math.max(p, 1e-30));
  }
  if (model.tokenizer.kind !== 'word') text = decodeWtf8(bytes.slice(skip), true).text;
  return { tokens: out, text, stopReason, logProb };
}
