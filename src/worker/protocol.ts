/**
 * Messages between the extension host and the engine worker: one discriminated union per
 * direction, shared by both sides. Every request carries an id; the answer names it.
 */
import type { CacheMixInfo, GgufFiles, Inspection, ModelErrorCode, ModelFiles, ModelInfo, SamplingOptions } from '../engine';
import type { CompleteOptions, CompleteResult } from './completionEngine';

/** What a completion request carries: the engine's options, without the test clock. */
export type CompleteRequest = Omit<CompleteOptions, 'now'>;

export type WorkerRequest =
  /** `folder` names the model in error messages; the files are read by the host (a GGUF file's bytes are transferred).
   *  `threads`: for the model's matrix products, 1 or 2, or 0 for the worker's default (nextToken.threads).
   *  `helperUrl` (browser only): the script of the helper thread, dist/web/kernelHelper.js. */
  | { type: 'load'; id: number; folder: string; files: ModelFiles | GgufFiles; threads?: number; helperUrl?: string }
  /** Text before the cursor (already cut to a bounded tail) and how to complete it; `suffix`: the
   *  bounded text after it, sent for a model trained for fill-in-the-middle. */
  | ({ type: 'complete'; id: number; prefix: string } & CompleteRequest)
  /** `sections`: what the panel's open sections need besides the vector (absent: nothing more). */
  | { type: 'predict'; id: number; text: string; topK: number; attention: boolean; contextChips: number; suffix?: string; sections?: PanelSections }
  /**
   * Reads the context before the cursor into the model's cache while the user is not typing
   * (a switch of file, a jump), so the first suggestion there does not pay for it. Any
   * completion or panel request supersedes a prefill still waiting.
   */
  | { type: 'prefill'; id: number; prefix: string; suffix?: string }
  | { type: 'vocabulary'; id: number }
  /**
   * Workspace files for the workspace cache, least useful first (the most useful are evicted
   * last); `bytes` omitted: already sent, unchanged (only its place in the order). `removed`:
   * files no longer counted. The worker decodes, skips binary files and counts them.
   */
  | { type: 'workspace'; id: number; files: Array<{ key: string; bytes?: Uint8Array }>; removed: string[]; enabled: boolean }
  /** Open documents' text for the cache model (text null: the document closed). */
  | { type: 'documents'; id: number; updates: Array<{ key: string; text: string | null }>; enabled: boolean }
  /**
   * The worker's own memory: JavaScript heap plus typed arrays (tests check that it returns to a bound after a typing storm);
   * `collect`: garbage-collect first where the runtime allows it (Node started with --expose-gc).
   */
  | { type: 'memory'; id: number; collect: boolean }
  | { type: 'cancel'; id: number };

/**
 * The probability panel's open sections, for the worker to compute only those: the flow's
 * numbers at the cursor (see engine/inspect.ts) and the ghost text explained token by token.
 */
export interface PanelSections {
  embedding?: boolean;
  /** One layer and head's q, k, v, scores, weights and Z, and every layer's matrices. */
  attention?: { layer: number; head: number };
  /** The logit lens (transformers) or the counts table (counted models). */
  layers?: boolean;
  /** The model's own vector beside the one mixed with the caches. */
  vector?: boolean;
  /** The ghost text for this context, token by token, computed as the provider does. */
  suggestion?: SuggestionRequest;
}

export interface SuggestionRequest {
  maxTokens: number;
  multiline: boolean;
  sampling: SamplingOptions;
  /** Alternatives shown at each step. */
  alternatives: number;
  /** Branch: keep the first `keep` tokens of `tokens` (the suggestion shown), then take `token`, and continue from there. */
  branch?: { tokens: number[]; keep: number; token: number };
}

export interface SuggestionStep {
  id: number;
  text: string;
  /** Its probability in the distribution at that step (healed and mixed as ghost text's). */
  prob: number;
  /** The most probable tokens at that step (the chosen one may be among them). */
  alternatives: Array<{ id: number; text: string; prob: number }>;
}

export interface SuggestionExplanation {
  /** The text ghost text shows (after the healed bytes), and its tokens step by step. */
  text: string;
  steps: SuggestionStep[];
  /** Set when this is a branch: the step whose token the user chose. */
  branchedAt?: number;
}

/** Token healing as the panel shows it: the context's last token taken back; every candidate starts with its bytes. */
export interface HealingStep {
  id: number;
  text: string;
  /** How many vocabulary entries start with it (the candidates left). */
  candidates: number;
}

export interface PredictResult {
  info: ModelInfo;
  /** The context tokens actually fed to the model (the last `contextChips` of them). */
  tokens: Array<{ id: number; text: string; prob: number | null }>;
  /** Total number of context tokens (N). */
  contextLength: number;
  /** The whole probability vector (length L). */
  probs: Float32Array;
  top: Array<{ id: number; text: string; prob: number }>;
  entropyBits: number;
  attention?: Float32Array[];
  backoffOrder?: number;
  /** How much the open documents' counts weigh in the vector (absent: the cache is off or empty). */
  cache?: CacheMixInfo;
  /** The same for the workspace's files (mixed in under the open documents'). */
  workspaceCache?: CacheMixInfo;
  computedTokens: number;
  /** How many tokens after the cursor the model read (fill-in-the-middle; absent: none). */
  suffixTokens?: number;
  /** Token healing, when ghost text applies it here: the vector is the healed one. */
  healing?: HealingStep;
  /** The model's own vector, before the caches were mixed in (the vector section, when a cache applied). */
  modelProbs?: Float32Array;
  /** The open sections' numbers. */
  inspection?: Inspection;
  suggestion?: SuggestionExplanation;
  ms: number;
}

export type WorkerResponse =
  /** `fim`: the model reads the text after the cursor (send it the suffix). */
  /** `threads`: what the model's products run on (1 where the runtime cannot share memory with a helper). */
  | { type: 'loaded'; id: number; info: ModelInfo; loadMs: number; fim: boolean; threads: number }
  | ({ type: 'completion'; id: number; ms: number } & CompleteResult)
  | { type: 'prediction'; id: number; result: PredictResult }
  | { type: 'vocabulary'; id: number; modelId: string; tokens: string[] }
  | { type: 'prefilled'; id: number; computedTokens: number; ms: number }
  | { type: 'documentsCounted'; id: number; tokens: number; files: number }
  | { type: 'workspaceCounted'; id: number; tokens: number; files: number }
  | { type: 'memory'; id: number; bytes: number | null }
  | { type: 'cancelled'; id: number }
  | { type: 'error'; id: number; code: WorkerErrorCode; message: string };

/** Why a request failed: the engine's codes, a bug (`internal`), or the worker died (`worker-died`). */
export type WorkerErrorCode = ModelErrorCode | 'internal' | 'worker-died';
