/**
 * The worker's message loop, independent of the transport (worker_threads in Node, a Web
 * Worker in the browser): a queue where a newer completion request supersedes older
 * ones, and cancelled requests are answered without being computed.
 */
import { contextTokens, type CacheMixInfo, GptModel, isModelError, ModelError, topIndices, toModelText, type LanguageModel, type TextPrediction } from '../engine';
import { loadModel } from '../engine';
import { Adaptation } from './adaptation';
import { completeText } from './completionEngine';
import type { PredictResult, WorkerRequest, WorkerResponse } from './protocol';

export interface WorkerHost {
  post(message: WorkerResponse, transfer?: ArrayBuffer[]): void;
  schedule(task: () => void): void;
  /** Bytes this worker holds (JavaScript heap plus typed arrays), where the runtime can tell. */
  memoryUsed?(): number;
}

export class WorkerCore {
  private model: LanguageModel | undefined;
  /**
   * The panel's last context and the probability of each of its tokens given the ones
   * before it (undefined where not computed). A token's probability depends only on the
   * tokens up to it, so after a cursor move every token inside the common prefix keeps its
   * value: usually only the last one or two are computed again.
   */
  private chipMemo: { model: LanguageModel; tokens: readonly number[]; probs: (number | null | undefined)[] } | undefined;
  /** Counts from the user's open documents and workspace, mixed into every model's vector. */
  private readonly adaptation = new Adaptation();
  private readonly queue: WorkerRequest[] = [];
  private running = false;

  constructor(private readonly host: WorkerHost) {}

  receive(request: WorkerRequest): void {
    if (request.type === 'cancel') {
      const at = this.queue.findIndex((r) => r.id === request.id);
      if (at >= 0) {
        this.queue.splice(at, 1);
        this.host.post({ type: 'cancelled', id: request.id });
      }
      return;
    }
    if (request.type === 'complete' || request.type === 'predict') {
      // Only the newest request of a kind matters: the cursor has moved on.
      for (let i = this.queue.length - 1; i >= 0; i--) {
        if (this.queue[i].type === request.type) {
          this.host.post({ type: 'cancelled', id: this.queue[i].id });
          this.queue.splice(i, 1);
        }
      }
    }
    this.queue.push(request);
    this.pump();
  }

  private pump(): void {
    if (this.running || this.queue.length === 0) return;
    this.running = true;
    this.host.schedule(() => {
      // A cancel may have emptied the queue between scheduling this task and running it.
      const request = this.queue.shift();
      if (!request) {
        this.running = false;
        return;
      }
      void this.handle(request).finally(() => {
        this.running = false;
        this.pump();
      });
    });
  }

  private async handle(request: WorkerRequest): Promise<void> {
    const started = performance.now();
    try {
      switch (request.type) {
        case 'load': {
          const model = loadModel(request.files, request.folder);
          this.model = model; // the previous model is released here
          this.adaptation.setModel(model);
          this.host.post({ type: 'loaded', id: request.id, info: model.info, loadMs: performance.now() - started });
          return;
        }
        case 'complete': {
          const model = this.requireModel();
          const { items, confidences, computedTokens } = completeText(model, request.prefix, request);
          this.host.post({ type: 'completion', id: request.id, items, confidences, computedTokens, ms: performance.now() - started });
          return;
        }
        case 'documents': {
          const counted = this.adaptation.updateOpen(request.updates, request.enabled);
          this.host.post({ type: 'documentsCounted', id: request.id, ...counted });
          return;
        }
        case 'workspace': {
          const counted = this.adaptation.updateWorkspace(request.files, request.removed, request.enabled);
          this.host.post({ type: 'workspaceCounted', id: request.id, ...counted });
          return;
        }
        case 'vocabulary': {
          const model = this.requireModel();
          const tokens = Array.from({ length: model.info.vocabSize }, (_, id) => model.tokenizer.tokenText(id));
          this.host.post({ type: 'vocabulary', id: request.id, modelId: model.info.id, tokens });
          return;
        }
        case 'memory':
          if (request.collect) (globalThis as { gc?: () => void }).gc?.();
          this.host.post({ type: 'memory', id: request.id, bytes: this.host.memoryUsed?.() ?? null });
          return;
        case 'predict': {
          const result = this.predict(this.requireModel(), request.text, request.topK, request.attention, request.contextChips);
          result.ms = performance.now() - started;
          const transfer = [result.probs.buffer as ArrayBuffer, ...(result.attention ?? []).map((a) => a.buffer as ArrayBuffer)];
          this.host.post({ type: 'prediction', id: request.id, result }, transfer);
          return;
        }
      }
    } catch (e) {
      const code = isModelError(e) ? e.code : 'internal';
      this.host.post({ type: 'error', id: request.id, code, message: (e as Error)?.message ?? String(e) });
    }
  }

  /** The model to answer with: the open documents' and the workspace's counts mixed in when there are any. */
  private requireModel(): LanguageModel {
    if (!this.model) throw Object.assign(new Error('no model is loaded yet'), { code: 'no-model' });
    return this.adaptation.mixed(this.model);
  }

  /** Everything the probability panel shows for the text before the cursor. */
  predict(model: LanguageModel, rawText: string, topK: number, attention: boolean, contextChips: number): PredictResult {
    const text = toModelText(rawText);
    // The memo holds the base model's probabilities: the open documents' counts change
    // while the user types, so the caches are mixed in when the chips are shown.
    const { base, mixers } = Adaptation.layers(model);
    const tokens = contextTokens(model, text);
    const shown = tokens.slice(-contextChips);
    const offset = tokens.length - shown.length;
    const memo = this.chipMemo?.model === base ? this.chipMemo : undefined;
    let common = 0;
    if (memo) while (common < tokens.length && common < memo.tokens.length && memo.tokens[common] === tokens[common]) common++;
    // A transformer gives the probabilities of the context tokens not remembered from last
    // time in the same pass as the prediction; other models are asked token by token below.
    let from = Math.max(1, offset);
    while (from < common && memo!.probs[from] !== undefined) from++;
    let p: TextPrediction & { cache?: CacheMixInfo; workspaceCache?: CacheMixInfo };
    let history: Float32Array | undefined;
    if (tokens.length === 0 && base.info.kind === 'transformer') {
      throw new ModelError('empty-context', 'the text is empty and the model has no start token');
    }
    if (base instanceof GptModel) {
      const r = base.predictWithHistory(tokens, from, { attention });
      history = r.history;
      p = { ...this.adaptation.mixAll(mixers, tokens, r), tokens };
    } else p = { ...this.adaptation.mixAll(mixers, tokens, base.predict(tokens, { attention })), tokens };
    const probs = Float32Array.from(p.probs); // a copy: it is transferred to the host
    const attentionCopy = p.attention?.map((a) => Float32Array.from(a));
    const computedTokens = p.computedTokens;
    const backoffOrder = p.backoffOrder;
    let entropy = 0;
    for (const q of probs) if (q > 0) entropy -= q * Math.log2(q);
    // How probable the model found each shown context token (its surprise), one step at a time.
    const baseProbs: (number | null | undefined)[] = [];
    const chips = shown.map((id, i) => {
      const at = offset + i;
      let prob: number | null | undefined = at < common ? memo!.probs[at] : undefined;
      if (prob === undefined && history && at >= from && at > 0) prob = history[at - from];
      if (prob === undefined) {
        const before = p.tokens.slice(0, at);
        prob = null;
        if (before.length > 0 && (base.info.kind === 'ngram' || before.length <= base.info.contextLength)) {
          prob = base.predict(before).probs[id];
        }
      }
      baseProbs[at] = prob;
      if (prob !== null) for (const m of mixers) prob = m.mixOne(p.tokens.slice(0, at), id, prob);
      return { id, text: model.tokenizer.tokenText(id), prob };
    });
    this.chipMemo = { model: base, tokens: p.tokens, probs: baseProbs };
    // Leave the model's cache on the full context so the next keystroke reuses it.
    base.predict(p.tokens);
    return {
      info: model.info,
      tokens: chips,
      contextLength: p.tokens.length,
      probs,
      top: topIndices(probs, topK).map((id) => ({ id, text: model.tokenizer.tokenText(id), prob: probs[id] })),
      entropyBits: entropy,
      attention: attentionCopy,
      backoffOrder,
      cache: p.cache,
      workspaceCache: p.workspaceCache,
      computedTokens,
      ms: 0,
    };
  }
}
