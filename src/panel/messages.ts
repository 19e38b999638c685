/**
 * The probability panel's messages: one discriminated union per direction, shared by the
 * extension and the webview script. Anything that does not validate is ignored.
 */
import type { CacheMixInfo } from '../engine/cacheModel';
import type { ModelInfo } from '../engine/languageModel';
import type { SamplingOptions } from '../engine/sampling';
import type { PredictResult } from '../worker/protocol';

export interface PanelToken {
  id: number;
  text: string;
  /** How probable the model found this token where it stands (null: the first one). */
  prob: number | null;
}

/** The model as the panel shows it (the engine's own description). */
export type PanelModel = ModelInfo;

export interface PanelUpdate {
  model: PanelModel;
  /**
   * Document and cursor it was computed for; `crlf`: the document's CRLF line endings were
   * turned into LF, as the model always sees them (the tokens shown are the model's).
   */
  source: { file: string; line: number; character: number; crlf?: boolean };
  tokens: PanelToken[];
  /** N: all context tokens (tokens above shows the last few dozen). */
  contextLength: number;
  /** The whole vector, length L. */
  probs: Float32Array;
  top: Array<{ id: number; text: string; prob: number }>;
  entropyBits: number;
  /** attention[layer] = (heads, contextWindow) weights of the last position. */
  attention?: Float32Array[];
  attentionStride: number;
  backoffOrder?: number;
  /** The open documents' share of the vector and the longest context they matched. */
  cache?: CacheMixInfo;
  /** The same for the workspace's other files (mixed in under the open documents). */
  workspaceCache?: CacheMixInfo;
  sampling: SamplingOptions;
  /** Tokens after the cursor the model read (fill-in-the-middle; absent: none). */
  suffixTokens?: number;
  ms: number;
}

/**
 * The update the panel draws, from the worker's prediction: the one mapping the extension
 * uses (probabilityPanel.ts) and the message fuzzer starts from.
 */
export function panelUpdate(result: PredictResult, source: PanelUpdate['source'], sampling: SamplingOptions): PanelUpdate {
  return {
    model: { ...result.info },
    source,
    tokens: result.tokens,
    contextLength: result.contextLength,
    probs: result.probs,
    top: result.top,
    entropyBits: result.entropyBits,
    attention: result.attention,
    attentionStride: result.info.contextLength,
    backoffOrder: result.backoffOrder,
    cache: result.cache,
    workspaceCache: result.workspaceCache,
    sampling,
    ...(result.suffixTokens ? { suffixTokens: result.suffixTokens } : {}),
    ms: result.ms,
  };
}

export type HostToPanel =
  | { type: 'update'; update: PanelUpdate }
  | { type: 'vocabulary'; modelId: string; tokens: string[] }
  | { type: 'status'; text: string };

export type PanelToHost =
  | { type: 'ready' }
  | { type: 'insert'; text: string }
  | ({ type: 'setSampling' } & SamplingOptions);

/** Validates a message from the webview (it is untrusted input). */
export function parsePanelMessage(value: unknown): PanelToHost | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const m = value as Record<string, unknown>;
  switch (m.type) {
    case 'ready':
      return { type: 'ready' };
    case 'insert':
      return typeof m.text === 'string' && m.text.length > 0 && m.text.length <= 1000 ? { type: 'insert', text: m.text } : undefined;
    case 'setSampling': {
      const t = m.temperature, k = m.topK, p = m.topP;
      if (typeof t !== 'number' || !(t >= 0 && t <= 2)) return undefined;
      if (typeof k !== 'number' || !Number.isInteger(k) || k < 0 || k > 1_000_000) return undefined;
      if (typeof p !== 'number' || !(p > 0 && p <= 1)) return undefined;
      return { type: 'setSampling', temperature: t, topK: k, topP: p };
    }
    default:
      return undefined;
  }
}

const isInt = (v: unknown, min: number, max: number): v is number => typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;
const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
/** Bounds that keep the panel's drawing loops finite (the largest bundled vocabulary is far below). */
const MAX_VOCAB = 1 << 21;
const MAX_LAYERS = 256;
const MAX_LIST = 100_000;

/** Every element, holes included (`Array.prototype.every` skips the holes of a sparse array). */
function all(xs: unknown[], ok: (x: unknown) => boolean): boolean {
  for (let i = 0; i < xs.length; i++) if (!ok(xs[i])) return false;
  return true;
}

function isModelInfo(v: unknown): v is PanelModel {
  if (!isRecord(v)) return false;
  return typeof v.id === 'string' && typeof v.displayName === 'string' && typeof v.description === 'string'
    && (v.kind === 'transformer' || v.kind === 'ngram') && isInt(v.vocabSize, 1, MAX_VOCAB)
    && isInt(v.width, 0, 1 << 16) && isInt(v.layers, 0, MAX_LAYERS) && isInt(v.heads, 0, MAX_LAYERS)
    && isInt(v.contextLength, 0, 1 << 24) && isFiniteNumber(v.parameters) && (v.order === undefined || isInt(v.order, 0, 64));
}

function isUpdate(v: unknown): v is PanelUpdate {
  if (!isRecord(v) || !isModelInfo(v.model)) return false;
  const model = v.model;
  const source = v.source;
  if (!isRecord(source) || typeof source.file !== 'string' || !isInt(source.line, 0, 2 ** 31) || !isInt(source.character, 0, 2 ** 31)) return false;
  if (source.crlf !== undefined && typeof source.crlf !== 'boolean') return false;
  if (!(v.probs instanceof Float32Array) || v.probs.length !== model.vocabSize) return false;
  const tokens = v.tokens;
  if (!Array.isArray(tokens) || tokens.length > MAX_LIST) return false;
  if (!all(tokens, (t) => isRecord(t) && isInt(t.id, 0, MAX_VOCAB) && typeof t.text === 'string' && (t.prob === null || isFiniteNumber(t.prob)))) return false;
  if (!isInt(v.contextLength, tokens.length, 1 << 30)) return false;
  const top = v.top;
  if (!Array.isArray(top) || top.length > MAX_LIST || !all(top, (t) => isRecord(t) && isInt(t.id, 0, model.vocabSize - 1) && typeof t.text === 'string' && isFiniteNumber(t.prob))) return false;
  if (!isFiniteNumber(v.entropyBits) || !isFiniteNumber(v.ms) || !isInt(v.attentionStride, 0, 1 << 24)) return false;
  if (v.backoffOrder !== undefined && !isInt(v.backoffOrder, 0, 64)) return false;
  if (v.suffixTokens !== undefined && !isInt(v.suffixTokens, 1, 1 << 24)) return false;
  const isMix = (c: unknown) => c === undefined || (isRecord(c) && isInt(c.order, 0, 64) && isFiniteNumber(c.weight) && c.weight >= 0 && c.weight <= 1);
  if (!isMix(v.cache) || !isMix(v.workspaceCache)) return false;
  // The panel draws one layer's weights: there must be one array per layer it offers.
  const attention = v.attention;
  if (attention !== undefined && !(Array.isArray(attention) && (attention.length === 0 || (attention.length === model.layers && model.heads > 0)) && all(attention, (a) => a instanceof Float32Array))) return false;
  const s = v.sampling;
  return isRecord(s) && isFiniteNumber(s.temperature) && s.temperature >= 0 && isInt(s.topK, 0, 2 ** 31) && isFiniteNumber(s.topP) && s.topP > 0 && s.topP <= 1;
}

/**
 * Validates a message from the extension inside the webview (defence in depth): every field
 * the panel reads is checked, with bounds that keep drawing finite, so a malformed message
 * is dropped instead of throwing half-way through a render.
 */
export function isHostMessage(value: unknown): value is HostToPanel {
  if (!isRecord(value)) return false;
  if (value.type === 'update') return isUpdate(value.update);
  if (value.type === 'vocabulary') return typeof value.modelId === 'string' && Array.isArray(value.tokens) && value.tokens.length <= MAX_VOCAB && all(value.tokens, (t) => typeof t === 'string');
  if (value.type === 'status') return typeof value.text === 'string';
  return false;
}
