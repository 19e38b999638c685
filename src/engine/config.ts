/** config.json: the blueprint of a model (architecture + how to show it). */
import { ModelError } from './errors';

interface Common {
  id: string;
  displayName: string;
  description: string;
  vocabSize: number;
}

export interface TransformerConfig extends Common {
  kind: 'transformer';
  nPositions: number; // context window in tokens
  nEmbd: number; // M
  nLayer: number; // Nx
  nHead: number;
  layerNormEpsilon: number;
  /** `linear`: matrices [out, in] as torch.nn.Linear; `conv1d`: Hugging Face GPT-2 [in, out]. */
  weightLayout: 'linear' | 'conv1d';
  bosTokenId: number | undefined;
}

export interface NgramConfig extends Common {
  kind: 'ngram';
  order: number;
  smoothing: 'none' | 'kneser-ney';
  discounts: number[]; // one per order 1..n (kneser-ney)
}

export type ModelConfig = TransformerConfig | NgramConfig;

/** Sizes past which a config is treated as corrupt rather than loaded. */
const LIMITS = { vocab: 1_000_000, positions: 65_536, embd: 16_384, layers: 256, heads: 256, order: 16 };

export function parseConfig(text: string, file = 'config.json'): ModelConfig {
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new ModelError('bad-config', `not valid JSON (${(e as Error).message})`, file);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new ModelError('bad-config', 'not a JSON object', file);

  const int = (key: string, max: number, fallback?: number): number => {
    const v = raw[key] ?? fallback;
    if (!Number.isInteger(v) || (v as number) < 1 || (v as number) > max) {
      throw new ModelError('bad-config', `"${key}" must be an integer from 1 to ${max}, got ${JSON.stringify(raw[key])}`, file);
    }
    return v as number;
  };
  const str = (key: string, fallback: string): string => (typeof raw[key] === 'string' ? (raw[key] as string) : fallback);

  const kind = raw.kind ?? (raw.model_type === 'gpt2' ? 'transformer' : undefined);
  const id = str('id', str('name', 'model'));
  const common = {
    id,
    displayName: str('display_name', id),
    description: str('description', ''),
    vocabSize: int('vocab_size', LIMITS.vocab),
  };
  if (kind === 'transformer') {
    const nEmbd = int('n_embd', LIMITS.embd);
    const nHead = int('n_head', LIMITS.heads);
    if (nEmbd % nHead !== 0) throw new ModelError('bad-config', `n_embd ${nEmbd} is not divisible by n_head ${nHead}`, file);
    const eps = raw.layer_norm_epsilon ?? 1e-5;
    if (typeof eps !== 'number' || !(eps > 0 && eps < 1)) throw new ModelError('bad-config', '"layer_norm_epsilon" must be a small positive number', file);
    const layout = raw.weight_layout ?? 'conv1d';
    if (layout !== 'linear' && layout !== 'conv1d') throw new ModelError('bad-config', '"weight_layout" must be "linear" or "conv1d"', file);
    const bos = raw.bos_token_id;
    if (bos !== undefined && bos !== null && (!Number.isInteger(bos) || (bos as number) < 0 || (bos as number) >= common.vocabSize)) {
      throw new ModelError('bad-config', `"bos_token_id" ${JSON.stringify(bos)} is outside the vocabulary`, file);
    }
    return {
      ...common,
      kind,
      nPositions: int('n_positions', LIMITS.positions, raw.n_ctx as number | undefined),
      nEmbd,
      nLayer: int('n_layer', LIMITS.layers),
      nHead,
      layerNormEpsilon: eps,
      weightLayout: layout,
      bosTokenId: bos === undefined || bos === null ? undefined : (bos as number),
    };
  }
  if (kind === 'ngram') {
    const order = int('order', LIMITS.order);
    const smoothing = raw.smoothing ?? 'kneser-ney';
    if (smoothing !== 'none' && smoothing !== 'kneser-ney') throw new ModelError('bad-config', '"smoothing" must be "none" or "kneser-ney"', file);
    let discounts: number[] = [];
    if (smoothing === 'kneser-ney') {
      const d = raw.discounts;
      // Each discount must also be at most the smallest count stored at its order (checked with the tables).
      if (!Array.isArray(d) || d.length !== order || !d.every((x) => typeof x === 'number' && Number.isFinite(x) && x > 0)) {
        throw new ModelError('bad-config', `"discounts" must list ${order} positive numbers (one per order)`, file);
      }
      discounts = d as number[];
    }
    return { ...common, kind, order, smoothing, discounts };
  }
  throw new ModelError('bad-config', `"kind" must be "transformer" or "ngram" (or model_type "gpt2"), got ${JSON.stringify(raw.kind)}`, file);
}
