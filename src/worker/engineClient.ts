/**
 * The extension host's side of the engine worker: requests with ids, cancellation, and a
 * restart (with the current model reloaded) when the worker dies. Never throws at callers
 * for a cancelled request: it resolves `undefined`.
 */
import * as vscode from 'vscode';
import { MAX_MODEL_BYTES, type ModelInfo } from '../engine';
import { joinUri, readText, type ModelFileSystem } from './modelFiles';
import type { CompleteResult } from './completionEngine';
import type { CompleteRequest, PredictResult, WorkerRequest, WorkerResponse } from './protocol';

/** A worker thread (Node) or a Web Worker (browser), seen the same way. */
export interface EngineWorker {
  postMessage(message: WorkerRequest, transfer?: ArrayBuffer[]): void;
  onMessage(listener: (message: WorkerResponse) => void): void;
  /** Called once when the worker dies, with the reason. */
  onDeath(listener: (reason: string) => void): void;
  terminate(): Promise<unknown> | void;
}

type Pending = { resolve: (r: WorkerResponse | undefined) => void };

/** Distributive Omit, so each member of the request union keeps its own fields. */
type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;

export class EngineClient implements vscode.Disposable {
  private worker: EngineWorker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private currentFolder: string | undefined;
  private currentLabel = '';
  private disposed = false;
  private restarts = 0;
  private readonly onDidCrashEmitter = new vscode.EventEmitter<string>();
  /** Fires with a reason when the worker died (it is restarted). */
  readonly onDidCrash = this.onDidCrashEmitter.event;

  constructor(private readonly createWorker: () => EngineWorker, private readonly files: ModelFileSystem) {}

  private ensureWorker(): EngineWorker {
    if (this.worker) return this.worker;
    const worker = this.createWorker();
    worker.onMessage((message: WorkerResponse) => {
      const p = this.pending.get(message.id);
      if (!p) return;
      this.pending.delete(message.id);
      p.resolve(message);
    });
    const onDeath = (reason: string) => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      for (const [id, p] of this.pending) p.resolve({ type: 'error', id, code: 'worker-died', message: reason });
      this.pending.clear();
      if (this.disposed) return;
      this.onDidCrashEmitter.fire(reason);
      // Restart lazily with the model it had, but not in a tight loop.
      if (this.currentFolder && this.restarts++ < 5) void this.load(this.currentFolder, this.currentLabel).catch(() => undefined);
    };
    worker.onDeath(onDeath);
    this.worker = worker;
    return worker;
  }

  private send(message: WithoutId<WorkerRequest>, token?: vscode.CancellationToken, transfer?: ArrayBuffer[]): Promise<WorkerResponse | undefined> {
    if (this.disposed) return Promise.resolve(undefined);
    const id = this.nextId++;
    const worker = this.ensureWorker();
    return new Promise((resolve) => {
      this.pending.set(id, { resolve });
      worker.postMessage({ ...message, id } as WorkerRequest, transfer);
      token?.onCancellationRequested(() => {
        if (this.pending.has(id)) this.worker?.postMessage({ type: 'cancel', id } satisfies WorkerRequest);
      });
    });
  }

  /**
   * Reads a model folder (a URI string) and loads it in the worker; `label` names it in
   * error messages. Files over the size limit are refused before they are read.
   */
  async load(folder: string, label: string): Promise<{ info: ModelInfo; loadMs: number }> {
    const weightsUri = joinUri(folder, 'model.safetensors');
    const size = await this.files.size(weightsUri);
    if (size === undefined) throw new Error(`${label}/model.safetensors is missing`);
    if (size > MAX_MODEL_BYTES) throw new Error(`${label}/model.safetensors is ${size} bytes, more than the limit of ${MAX_MODEL_BYTES}`);
    const [config, tokenizer, weights] = await Promise.all([
      readText(this.files, joinUri(folder, 'config.json')).catch(() => Promise.reject(new Error(`${label}/config.json is missing`))),
      readText(this.files, joinUri(folder, 'tokenizer.json')).catch(() => Promise.reject(new Error(`${label}/tokenizer.json is missing`))),
      this.files.readBytes(weightsUri),
    ]);
    // The weights move to the worker without a copy (transferred).
    const own = weights.byteOffset === 0 && weights.byteLength === weights.buffer.byteLength ? weights : weights.slice();
    const answer = await this.send({ type: 'load', folder: label, files: { config, tokenizer, weights: own } }, undefined, [own.buffer as ArrayBuffer]);
    if (answer?.type === 'loaded') {
      this.currentFolder = folder;
      this.currentLabel = label;
      return { info: answer.info, loadMs: answer.loadMs };
    }
    throw new Error(answer?.type === 'error' ? answer.message : 'the engine stopped while loading the model');
  }

  async complete(request: { prefix: string } & CompleteRequest, token?: vscode.CancellationToken): Promise<(CompleteResult & { ms: number }) | undefined> {
    const answer = await this.send({ type: 'complete', ...request }, token);
    if (answer?.type !== 'completion') return undefined;
    const { type: _type, id: _id, ...result } = answer;
    return result;
  }

  async predict(request: Omit<Extract<WorkerRequest, { type: 'predict' }>, 'id' | 'type'>, token?: vscode.CancellationToken): Promise<PredictResult | { error: string } | undefined> {
    const answer = await this.send({ type: 'predict', ...request }, token);
    if (answer?.type === 'prediction') return answer.result;
    if (answer?.type === 'error') return { error: answer.message };
    return undefined;
  }

  /** Open documents' text for the cache model; what is counted now (undefined: no answer). */
  async documents(updates: Array<{ key: string; text: string | null }>, enabled: boolean): Promise<{ tokens: number; files: number } | undefined> {
    const answer = await this.send({ type: 'documents', updates, enabled });
    return answer?.type === 'documentsCounted' ? { tokens: answer.tokens, files: answer.files } : undefined;
  }

  /** Workspace files for the workspace cache, least useful first (their bytes move to the worker). */
  async workspace(files: Array<{ key: string; bytes?: Uint8Array }>, removed: string[], enabled: boolean): Promise<{ tokens: number; files: number } | undefined> {
    const transfer: ArrayBuffer[] = [];
    const owned = files.map((f) => {
      if (!f.bytes) return f;
      const bytes = f.bytes.byteOffset === 0 && f.bytes.byteLength === f.bytes.buffer.byteLength ? f.bytes : f.bytes.slice();
      transfer.push(bytes.buffer as ArrayBuffer);
      return { key: f.key, bytes };
    });
    const answer = await this.send({ type: 'workspace', files: owned, removed, enabled }, undefined, transfer);
    return answer?.type === 'workspaceCounted' ? { tokens: answer.tokens, files: answer.files } : undefined;
  }

  async vocabulary(): Promise<{ modelId: string; tokens: string[] } | undefined> {
    const answer = await this.send({ type: 'vocabulary' });
    return answer?.type === 'vocabulary' ? { modelId: answer.modelId, tokens: answer.tokens } : undefined;
  }

  /** The worker's memory in bytes: heap plus typed arrays (null where the runtime cannot tell; undefined if it did not answer). */
  async memoryUsed(collect = false): Promise<number | null | undefined> {
    const answer = await this.send({ type: 'memory', collect });
    return answer?.type === 'memory' ? answer.bytes : undefined;
  }

  /** For tests and fault drills: kills the worker (it restarts with the same model). */
  async terminateWorkerForTest(): Promise<void> {
    await this.worker?.terminate();
  }

  dispose(): void {
    this.disposed = true;
    for (const [, p] of this.pending) p.resolve(undefined);
    this.pending.clear();
    void this.worker?.terminate();
    this.worker = undefined;
    this.onDidCrashEmitter.dispose();
  }
}
