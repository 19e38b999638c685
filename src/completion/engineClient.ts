/**
 * The extension host's side of the engine worker: requests with ids, cancellation, and a
 * restart (with the current model reloaded) when the worker dies. Never throws at callers
 * for a cancelled request: it resolves `undefined`.
 */
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import * as vscode from 'vscode';
import type { ModelInfo } from '../engine';
import type { PredictResult, WorkerRequest, WorkerResponse } from '../worker/protocol';

type Pending = { resolve: (r: WorkerResponse | undefined) => void };

/** Distributive Omit, so each member of the request union keeps its own fields. */
type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;

export class EngineClient implements vscode.Disposable {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private currentFolder: string | undefined;
  private disposed = false;
  private restarts = 0;
  private readonly onDidCrashEmitter = new vscode.EventEmitter<string>();
  /** Fires with a reason when the worker died (it is restarted). */
  readonly onDidCrash = this.onDidCrashEmitter.event;

  constructor(private readonly extensionPath: string) {}

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(path.join(this.extensionPath, 'dist', 'engineWorker.js'), {
      // The model's memory lives here, away from the extension host's heap.
      resourceLimits: { maxOldGenerationSizeMb: 1024 },
    });
    worker.on('message', (message: WorkerResponse) => {
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
      if (this.currentFolder && this.restarts++ < 5) void this.load(this.currentFolder);
    };
    worker.on('error', (e) => onDeath(`engine worker failed: ${e.message}`));
    worker.on('exit', (code) => onDeath(`engine worker exited with code ${code}`));
    this.worker = worker;
    return worker;
  }

  private send(message: WithoutId<WorkerRequest>, token?: vscode.CancellationToken): Promise<WorkerResponse | undefined> {
    if (this.disposed) return Promise.resolve(undefined);
    const id = this.nextId++;
    const worker = this.ensureWorker();
    return new Promise((resolve) => {
      this.pending.set(id, { resolve });
      worker.postMessage({ ...message, id } as WorkerRequest);
      token?.onCancellationRequested(() => {
        if (this.pending.has(id)) this.worker?.postMessage({ type: 'cancel', id } satisfies WorkerRequest);
      });
    });
  }

  async load(folder: string): Promise<{ info: ModelInfo; loadMs: number }> {
    const answer = await this.send({ type: 'load', folder });
    if (answer?.type === 'loaded') {
      this.currentFolder = folder;
      return { info: answer.info, loadMs: answer.loadMs };
    }
    throw new Error(answer?.type === 'error' ? answer.message : 'the engine stopped while loading the model');
  }

  async complete(request: Omit<Extract<WorkerRequest, { type: 'complete' }>, 'id' | 'type'>, token?: vscode.CancellationToken): Promise<{ items: string[]; ms: number } | undefined> {
    const answer = await this.send({ type: 'complete', ...request }, token);
    if (answer?.type === 'completion') return { items: answer.items, ms: answer.ms };
    return undefined;
  }

  async predict(request: Omit<Extract<WorkerRequest, { type: 'predict' }>, 'id' | 'type'>, token?: vscode.CancellationToken): Promise<PredictResult | { error: string } | undefined> {
    const answer = await this.send({ type: 'predict', ...request }, token);
    if (answer?.type === 'prediction') return answer.result;
    if (answer?.type === 'error') return { error: answer.message };
    return undefined;
  }

  async vocabulary(): Promise<{ modelId: string; tokens: string[] } | undefined> {
    const answer = await this.send({ type: 'vocabulary' });
    return answer?.type === 'vocabulary' ? { modelId: answer.modelId, tokens: answer.tokens } : undefined;
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
