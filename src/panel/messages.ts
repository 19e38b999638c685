/**
 * The probability panel's messages: one discriminated union per direction, shared by the
 * extension and the webview script. Anything that does not validate is ignored.
 */
import type { CacheMixInfo } from '../engine/cacheModel';
import type { ModelInfo } from '../engine/languageModel';
import type { SamplingOptions } from '../engine/sampling';
import type { Inspection } from '../engine/inspect';
import type { HealingStep, PredictResult, SuggestionExplanation } from '../worker/protocol';

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
  /** Token healing, when ghost text applies it: the vector is restricted to its candidates. */
  healing?: HealingStep;
  /** The model's own vector before the caches were mixed in (vector section open, a cache applied). */
  modelProbs?: Float32Array;
  /** The open sections' numbers (embedding, attention, layers). */
  inspection?: Inspection;
  /** The ghost text, token by token (suggestion section open). */
  suggestion?: SuggestionExplanation;
  ms: number;
}

/** The panel's sections, in the order of the flow; each has a stable data-view attribute. */
export const PANEL_SECTIONS = ['tokens', 'embedding', 'attention', 'layers', 'vector', 'suggestion'] as const;
export type PanelSection = (typeof PANEL_SECTIONS)[number];

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
    ...(result.healing ? { healing: result.healing } : {}),
    ...(result.modelProbs ? { modelProbs: result.modelProbs } : {}),
    ...(result.inspection ? { inspection: result.inspection } : {}),
    ...(result.suggestion ? { suggestion: result.suggestion } : {}),
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
  /** Which sections are open (the worker computes only those) and the attention pickers. */
  | { type: 'sections'; open: PanelSection[]; layer: number; head: number }
  /** Regenerate the ghost text from step `step` on, with `token` there. */
  | { type: 'branch'; step: number; token: number }
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
    case 'sections': {
      const open = m.open;
      if (!Array.isArray(open) || open.length > PANEL_SECTIONS.length || !all(open, (x) => (PANEL_SECTIONS as readonly unknown[]).includes(x))) return undefined;
      if (!isInt(m.layer, 0, MAX_LAYERS - 1) || !isInt(m.head, 0, MAX_LAYERS - 1)) return undefined;
      return { type: 'sections', open: [...new Set(open as PanelSection[])], layer: m.layer, head: m.head };
    }
    case 'branch':
      return isInt(m.step, 0, 256) && isInt(m.token, 0, MAX_VOCAB) ? { type: 'branch', step: m.step, token: m.token } : undefined;
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
  if (!isHealing(v.healing, model.vocabSize) || !isInspection(v.inspection, model, tokens.length) || !isSuggestion(v.suggestion, model.vocabSize)) return false;
  if (v.modelProbs !== undefined && !(v.modelProbs instanceof Float32Array && v.modelProbs.length === model.vocabSize)) return false;
  const s = v.sampling;
  return isRecord(s) && isFiniteNumber(s.temperature) && s.temperature >= 0 && isInt(s.topK, 0, 2 ** 31) && isFiniteNumber(s.topP) && s.topP > 0 && s.topP <= 1;
}

const isF32 = (v: unknown, n?: number): v is Float32Array => v instanceof Float32Array && (n === undefined || v.length === n);
const isTopList = (v: unknown, L: number) => Array.isArray(v) && v.length <= 64 && all(v, (t) => isRecord(t) && isInt(t.id, 0, L - 1) && isFiniteNumber(t.prob));

function isHealing(v: unknown, L: number): boolean {
  return v === undefined || (isRecord(v) && isInt(v.id, 0, L - 1) && typeof v.text === 'string' && isInt(v.candidates, 0, L));
}

function isSuggestion(v: unknown, L: number): boolean {
  if (v === undefined) return true;
  if (!isRecord(v) || typeof v.text !== 'string' || !Array.isArray(v.steps) || v.steps.length > 256) return false;
  if (v.branchedAt !== undefined && !isInt(v.branchedAt, 0, 256)) return false;
  return all(v.steps, (st) => isRecord(st) && isInt(st.id, 0, L - 1) && typeof st.text === 'string' && isFiniteNumber(st.prob)
    && Array.isArray(st.alternatives) && st.alternatives.length <= 64 && all(st.alternatives, (a) => isRecord(a) && isInt(a.id, 0, L - 1) && typeof a.text === 'string' && isFiniteNumber(a.prob)));
}

/** The inspection's arrays have the sizes the panel's drawing loops assume. */
function isInspection(v: unknown, model: PanelModel, shownTokens: number): boolean {
  if (v === undefined) return true;
  if (!isRecord(v) || !isRecord(v.architecture)) return false;
  const e = v.embedding;
  if (e !== undefined && !(isRecord(e) && isInt(e.rows, 1, Math.max(1, shownTokens)) && isInt(e.cols, 1, 1 << 16) && isInt(e.from, 0, 1 << 30) && isF32(e.values, (e.rows as number) * (e.cols as number)))) return false;
  const a = v.attention;
  if (a !== undefined) {
    if (!isRecord(a) || !isInt(a.layer, 0, model.layers - 1) || !isInt(a.head, 0, model.heads - 1) || !isInt(a.headSize, 1, 1 << 14)) return false;
    const d = a.headSize as number;
    if (!isF32(a.q, d) || !isF32(a.k, d) || !isF32(a.v, d) || !isF32(a.z, d) || !isF32(a.scores) || !isF32(a.weights, (a.scores as Float32Array).length)) return false;
    if ((a.scores as Float32Array).length > (1 << 20)) return false;
  }
  const m = v.matrices;
  if (m !== undefined && !(Array.isArray(m) && m.length <= MAX_LAYERS && all(m, (layer) => Array.isArray(layer) && layer.length <= 32
    && all(layer, (x) => isRecord(x) && typeof x.name === 'string' && typeof x.role === 'string' && isInt(x.rows, 0, 1 << 24) && isInt(x.cols, 0, 1 << 24))))) return false;
  const lens = v.lens;
  if (lens !== undefined && !(Array.isArray(lens) && lens.length <= MAX_LAYERS && all(lens, (l) => isRecord(l) && isInt(l.layer, 1, MAX_LAYERS) && isTopList(l.top, model.vocabSize)))) return false;
  const c = v.counts;
  if (c !== undefined) {
    if (!isRecord(c) || !isInt(c.backoffOrder, 0, 64) || typeof c.smoothing !== 'string' || !Array.isArray(c.orders) || c.orders.length > 64) return false;
    if (!all(c.orders, (o) => isRecord(o) && isInt(o.order, 1, 64) && Array.isArray(o.context) && o.context.length < 64 && all(o.context, (t) => isInt(t, 0, model.vocabSize - 1))
      && isInt(o.total, 0, 2 ** 53) && isInt(o.types, 0, 2 ** 31) && Array.isArray(o.next) && o.next.length <= 64 && all(o.next, (x) => isRecord(x) && isInt(x.id, 0, model.vocabSize - 1) && isInt(x.count, 0, 2 ** 53)))) return false;
  }
  return true;
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
