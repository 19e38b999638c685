/**
 * The extension host's side of the engine worker: requests with ids, cancellation, and a
 * restart (with the current model reloaded) when the worker dies. One convention for every
 * call: it resolves an EngineResult, never throws, and a failure (other than a cancelled
 * request) is written to the output channel here, once, with its typed code.
 */
import * as vscode from 'vscode';
import { MAX_GGUF_BYTES, MAX_MODEL_BYTES, type GgufFiles, type ModelFiles, type ModelInfo } from '../engine';
import { isGgufUri, joinUri, readText, type ModelFileSystem } from './modelFiles';
import type { CompleteResult } from './completionEngine';
import type { CompleteRequest, PredictResult, WorkerErrorCode, WorkerRequest, WorkerResponse } from './protocol';

/** Why a call has no answer: the worker's error codes, or `cancelled` (superseded, cancelled, or the client closed). */
export type EngineFailureCode = WorkerErrorCode | 'cancelled';

/** What every client call resolves to. */
export type EngineResult<T> = { ok: true; value: T } | { ok: false; code: EngineFailureCode; message: string };

/** A request's kind -> the answer's kind. */
type Answer<K extends WorkerResponse['type']> = Extract<WorkerResponse, { type: K }>;

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
  /** The loaded model reads the text after the cursor (fill-in-the-middle): send it the suffix. */
  private currentFim = false;
  /** Threads for the products of models loaded from now on (nextToken.threads; 0: the worker's default). */
  threads = 0;
  /** The reload after a crash, while it runs. */
  private restarting: Promise<unknown> | undefined;
  private readonly onDidCrashEmitter = new vscode.EventEmitter<string>();
  /** Fires with a reason when the worker died (it is restarted). */
  readonly onDidCrash = this.onDidCrashEmitter.event;

  /** `log` receives one line per failed call (the output channel). */
  constructor(private readonly createWorker: () => EngineWorker, private readonly files: ModelFileSystem, private readonly log: (line: string) => void = () => undefined) {}

  /** Sends a request and turns the worker's answer of kind `kind` into a result, logging a failure once. */
  private async call<K extends WorkerResponse['type'], T>(message: WithoutId<WorkerRequest>, kind: K, value: (answer: Answer<K>) => T, token?: vscode.CancellationToken, transfer?: ArrayBuffer[]): Promise<EngineResult<T>> {
    if (this.restarting && message.type !== 'load') await this.restarting;
    const answer = await this.send(message, token, transfer);
    if (!answer || answer.type === 'cancelled') return { ok: false, code: 'cancelled', message: `${message.type} was cancelled` };
    if (answer.type === kind) return { ok: true, value: value(answer as Answer<K>) };
    const failure = answer.type === 'error'
      ? { ok: false as const, code: answer.code, message: answer.message }
      : { ok: false as const, code: 'internal' as const, message: `the engine answered ${message.type} with ${answer.type}` };
    this.log(`${message.type} failed (${failure.code}): ${failure.message}`);
    return failure;
  }

  /** A failure found before the worker was asked (a model file missing or too large), logged like the worker's. */
  private failed<T>(code: EngineFailureCode, message: string): EngineResult<T> {
    this.log(`load failed (${code}): ${message}`);
    return { ok: false, code, message };
  }

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
      if (this.currentFolder && this.restarts++ < 5) {
        // Requests made meanwhile wait for the model instead of failing with no-model.
        const reloaded = this.load(this.currentFolder, this.currentLabel);
        this.restarting = reloaded;
        void reloaded.then(() => {
          if (this.restarting === reloaded) this.restarting = undefined;
        });
      }
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
   * messages. Files over the size limit are refused before they are read.
   */
  async load(folder: string, label: string): Promise<EngineResult<{ info: ModelInfo; loadMs: number; threads: number }>> {
    const read = isGgufUri(folder) ? await this.readGguf(folder, label) : await this.readFolder(folder, label);
    if (!read.ok) return read;
    const { files, transfer } = read.value;
    // The weights move to the worker without a copy (transferred).
    const result = await this.call({ type: 'load', folder: label, files, threads: this.threads }, 'loaded', (a) => ({ info: a.info, loadMs: a.loadMs, fim: a.fim, threads: a.threads }), undefined, [transfer]);
    if (result.ok) {
      this.currentFolder = folder;
      this.currentLabel = label;
      this.currentFim = result.value.fim;
    }
    return result;
  }

  /** A buffer the worker may take: the bytes' own, or a copy when they are a view into a larger one. */
  private static owned(bytes: Uint8Array): Uint8Array {
    return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice();
  }

  private async readFolder(folder: string, label: string): Promise<EngineResult<{ files: ModelFiles; transfer: ArrayBuffer }>> {
    const weightsUri = joinUri(folder, 'model.safetensors');
    const size = await this.files.size(weightsUri);
    if (size === undefined) return this.failed('missing-file', `${label}/model.safetensors is missing`);
    if (size > MAX_MODEL_BYTES) return this.failed('too-large', `${label}/model.safetensors is ${size} bytes, more than the limit of ${MAX_MODEL_BYTES}`);
    let files: [string, string, Uint8Array];
    try {
      files = await Promise.all([
        readText(this.files, joinUri(folder, 'config.json')).catch(() => Promise.reject(new Error(`${label}/config.json is missing`))),
        readText(this.files, joinUri(folder, 'tokenizer.json')).catch(() => Promise.reject(new Error(`${label}/tokenizer.json is missing`))),
        this.files.readBytes(weightsUri),
      ]);
    } catch (e) {
      return this.failed('missing-file', (e as Error).message);
    }
    const [config, tokenizer, weights] = files;
    const own = EngineClient.owned(weights);
    return { ok: true, value: { files: { config, tokenizer, weights: own }, transfer: own.buffer as ArrayBuffer } };
  }

  /** A GGUF model is one file: its bytes go to the worker, which reads metadata, tokenizer and tensors. */
  private async readGguf(uri: string, label: string): Promise<EngineResult<{ files: GgufFiles; transfer: ArrayBuffer }>> {
    const size = await this.files.size(uri);
    if (size === undefined) return this.failed('missing-file', `${label} is missing`);
    if (size > MAX_GGUF_BYTES) return this.failed('too-large', `${label} is ${size} bytes, more than the limit of ${MAX_GGUF_BYTES}`);
    let bytes: Uint8Array;
    try {
      bytes = EngineClient.owned(await this.files.readBytes(uri));
    } catch (e) {
      return this.failed('missing-file', `${label} cannot be read: ${(e as Error).message}`);
    }
    return { ok: true, value: { files: { gguf: bytes }, transfer: bytes.buffer as ArrayBuffer } };
  }

  /** Whether the loaded model reads the text after the cursor (trained for fill-in-the-middle). */
  get readsSuffix(): boolean {
    return this.currentFim;
  }

  complete(request: { prefix: string } & CompleteRequest, token?: vscode.CancellationToken): Promise<EngineResult<CompleteResult & { ms: number }>> {
    return this.call({ type: 'complete', ...request }, 'completion', ({ type: _type, id: _id, ...result }) => result, token);
  }

  predict(request: Omit<Extract<WorkerRequest, { type: 'predict' }>, 'id' | 'type'>, token?: vscode.CancellationToken): Promise<EngineResult<PredictResult>> {
    return this.call({ type: 'predict', ...request }, 'prediction', (a) => a.result, token);
  }

  /** Reads the context before the cursor into the model's cache in the background (any request supersedes it). */
  prefill(prefix: string, suffix?: string): Promise<EngineResult<{ computedTokens: number; ms: number }>> {
    return this.call({ type: 'prefill', prefix, suffix }, 'prefilled', (a) => ({ computedTokens: a.computedTokens, ms: a.ms }));
  }

  /** Open documents' text for the cache model; what is counted now. */
  documents(updates: Array<{ key: string; text: string | null }>, enabled: boolean): Promise<EngineResult<{ tokens: number; files: number }>> {
    return this.call({ type: 'documents', updates, enabled }, 'documentsCounted', (a) => ({ tokens: a.tokens, files: a.files }));
  }

  /** Workspace files for the workspace cache, least useful first (their bytes move to the worker). */
  workspace(files: Array<{ key: string; bytes?: Uint8Array }>, removed: string[], enabled: boolean): Promise<EngineResult<{ tokens: number; files: number }>> {
    const transfer: ArrayBuffer[] = [];
    const owned = files.map((f) => {
      if (!f.bytes) return f;
      const bytes = f.bytes.byteOffset === 0 && f.bytes.byteLength === f.bytes.buffer.byteLength ? f.bytes : f.bytes.slice();
      transfer.push(bytes.buffer as ArrayBuffer);
      return { key: f.key, bytes };
    });
    return this.call({ type: 'workspace', files: owned, removed, enabled }, 'workspaceCounted', (a) => ({ tokens: a.tokens, files: a.files }), undefined, transfer);
  }

  vocabulary(): Promise<EngineResult<{ modelId: string; tokens: string[] }>> {
    return this.call({ type: 'vocabulary' }, 'vocabulary', (a) => ({ modelId: a.modelId, tokens: a.tokens }));
  }

  /** The worker's memory in bytes: heap plus typed arrays (null where the runtime cannot tell). */
  memoryUsed(collect = false): Promise<EngineResult<number | null>> {
    return this.call({ type: 'memory', collect }, 'memory', (a) => a.bytes);
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
