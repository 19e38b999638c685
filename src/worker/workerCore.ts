/**
 * The worker's message loop, independent of the transport (worker_threads in Node, a Web
 * Worker in the browser): a queue where a newer completion request supersedes older
 * ones, and cancelled requests are answered without being computed.
 */
import { isModelError, loadModel, ModelError, toModelText, type LanguageModel } from '../engine';
import { Adaptation } from './adaptation';
import { completeText, healedContext, suffixFor } from './completionEngine';
import { PanelPrediction } from './panelPrediction';
import type { WorkerRequest, WorkerResponse } from './protocol';

export interface WorkerHost {
  post(message: WorkerResponse, transfer?: ArrayBuffer[]): void;
  schedule(task: () => void): void;
  /** Bytes this worker holds (JavaScript heap plus typed arrays), where the runtime can tell. */
  memoryUsed?(): number;
  /** Models loaded from now on use `count` threads (0: this host's default); where the host cannot start a helper, one. */
  useThreads?(count: number, helperUrl?: string): void;
}

/** How long a load waits for a model's helper thread to start before it answers with one thread. */
const HELPER_START_MS = 2000;

/**
 * The threads a model's products run on once loaded: 2 when its helper thread is up (it is
 * waited for, briefly, so the first suggestions already use it), 1 when it has none or the
 * helper did not start (its script missing, say): the model then computes alone.
 */
async function threadsInUse(model: LanguageModel): Promise<number> {
  if ((model.threads ?? 1) < 2) return 1;
  const deadline = performance.now() + HELPER_START_MS;
  while (!model.parallel && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 2));
  return model.parallel ? 2 : 1;
}

export class WorkerCore {
  private model: LanguageModel | undefined;
  /** Counts from the user's open documents and workspace, mixed into every model's vector. */
  private readonly adaptation = new Adaptation();
  private readonly panel = new PanelPrediction(this.adaptation);
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
    if (request.type === 'complete' || request.type === 'predict' || request.type === 'prefill') {
      // Only the newest request of a kind matters: the cursor has moved on. A prefill waiting
      // is superseded by any of them: what the user asks for now comes first.
      for (let i = this.queue.length - 1; i >= 0; i--) {
        if (this.queue[i].type === request.type || this.queue[i].type === 'prefill') {
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
          this.host.useThreads?.(request.threads ?? 0, request.helperUrl);
          const model = loadModel(request.files, request.folder);
          this.model?.dispose?.(); // its helper thread, if any
          this.model = model; // the previous model is released here
          this.adaptation.setModel(model);
          const threads = await threadsInUse(model);
          this.host.post({ type: 'loaded', id: request.id, info: model.info, loadMs: performance.now() - started, fim: model.fim !== undefined, threads });
          return;
        }
        case 'complete': {
          const model = this.requireModel();
          const { items, confidences, computedTokens, suffixTokens } = completeText(model, request.prefix, request);
          const read = suffixTokens ? { suffixTokens } : {};
          this.host.post({ type: 'completion', id: request.id, items, confidences, computedTokens, ...read, ms: performance.now() - started });
          return;
        }
        case 'prefill': {
          const { base } = Adaptation.layers(this.requireModel());
          // The context completeText will read (the same FIM layout for a FIM model), so its KV cache is reused.
          const { context } = healedContext(base, toModelText(request.prefix), suffixFor(base, request.suffix));
          const computedTokens = context.length > 0 ? base.predict(context).computedTokens : 0;
          this.host.post({ type: 'prefilled', id: request.id, computedTokens, ms: performance.now() - started });
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
          const result = this.panel.predict(this.requireModel(), request);
          result.ms = performance.now() - started;
          const transfer = [result.probs.buffer as ArrayBuffer, ...(result.modelProbs ? [result.modelProbs.buffer as ArrayBuffer] : []), ...(result.attention ?? []).map((a) => a.buffer as ArrayBuffer)];
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
    if (!this.model) throw new ModelError('no-model', 'no model is loaded yet');
    return this.adaptation.mixed(this.model);
  }
}
