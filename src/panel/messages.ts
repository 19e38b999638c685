/**
 * The probability panel's messages: one discriminated union per direction, shared by the
 * extension and the webview script. Anything that does not validate is ignored.
 */
import type { ModelInfo } from '../engine/languageModel';

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
  /** Document and cursor it was computed for. */
  source: { file: string; line: number; character: number };
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
  sampling: { temperature: number; topK: number; topP: number };
  ms: number;
}

export type HostToPanel =
  | { type: 'update'; update: PanelUpdate }
  | { type: 'vocabulary'; modelId: string; tokens: string[] }
  | { type: 'status'; text: string };

export type PanelToHost =
  | { type: 'ready' }
  | { type: 'insert'; text: string }
  | { type: 'setSampling'; temperature: number; topK: number; topP: number };

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

/** Validates a message from the extension inside the webview (defence in depth). */
export function isHostMessage(value: unknown): value is HostToPanel {
  if (typeof value !== 'object' || value === null) return false;
  const m = value as Record<string, unknown>;
  if (m.type === 'update') {
    const u = m.update as Record<string, unknown> | undefined;
    return !!u && u.probs instanceof Float32Array && Array.isArray(u.tokens) && Array.isArray(u.top) && typeof u.model === 'object';
  }
  if (m.type === 'vocabulary') return typeof m.modelId === 'string' && Array.isArray(m.tokens);
  if (m.type === 'status') return typeof m.text === 'string';
  return false;
}
