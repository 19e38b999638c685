/**
 * Which model is active: follows `nextToken.model`, loads it in the worker, falls back to
 * the default model when the chosen one fails, and tells the status bar and the provider.
 */
import * as vscode from 'vscode';
import type { ModelInfo } from '../engine';
import type { EngineClient } from '../completion/engineClient';
import { userModelEntry, type ModelEntry, type Registry } from './registry';

export type ModelState =
  | { kind: 'loading'; entry: ModelEntry }
  | { kind: 'ready'; entry: ModelEntry; info: ModelInfo; loadMs: number }
  | { kind: 'error'; message: string };

export class ModelManager implements vscode.Disposable {
  private stateValue: ModelState;
  private readonly emitter = new vscode.EventEmitter<ModelState>();
  readonly onDidChange = this.emitter.event;
  private generation = 0;
  private readonly log: vscode.OutputChannel;

  constructor(private readonly client: EngineClient, private readonly bundled: Registry, log: vscode.OutputChannel) {
    this.log = log;
    this.stateValue = { kind: 'loading', entry: this.entryFor(this.configuredId()) ?? bundled.models[0] };
  }

  get state(): ModelState {
    return this.stateValue;
  }

  /** Bundled models, then the user's folders (`nextToken.modelFolders`), read afresh. */
  get registry(): Registry {
    const folders = vscode.workspace.getConfiguration('nextToken').get<unknown>('modelFolders');
    const user = Array.isArray(folders) ? folders.filter((f): f is string => typeof f === 'string' && f.length > 0).map(userModelEntry) : [];
    return { defaultId: this.bundled.defaultId, models: [...this.bundled.models, ...user] };
  }

  get readyId(): string | undefined {
    return this.stateValue.kind === 'ready' ? this.stateValue.entry.id : undefined;
  }

  configuredId(): string {
    return vscode.workspace.getConfiguration('nextToken').get<string>('model') || this.registry.defaultId;
  }

  entryFor(id: string): ModelEntry | undefined {
    return this.registry.models.find((m) => m.id === id);
  }

  /** Loads the configured model; on failure keeps the user informed and falls back. */
  async reload(): Promise<void> {
    const wanted = this.configuredId();
    const entry = this.entryFor(wanted);
    const generation = ++this.generation;
    if (!entry) {
      this.log.appendLine(`nextToken.model "${wanted}" is not a known model; using ${this.registry.defaultId}`);
      const fallback = this.entryFor(this.registry.defaultId);
      if (fallback) await this.loadEntry(fallback, generation);
      return;
    }
    await this.loadEntry(entry, generation);
  }

  private async loadEntry(entry: ModelEntry, generation: number): Promise<void> {
    const previous = this.stateValue;
    this.set({ kind: 'loading', entry });
    try {
      if (entry.problem) throw new Error(entry.problem);
      const { info, loadMs } = await this.client.load(entry.folder);
      if (generation !== this.generation) return; // a newer choice won
      this.log.appendLine(`loaded ${entry.id} (${info.parameters.toLocaleString('en-US')} parameters) in ${loadMs.toFixed(0)} ms`);
      this.set({ kind: 'ready', entry, info, loadMs });
    } catch (e) {
      if (generation !== this.generation) return;
      const message = `could not load ${entry.displayName}: ${(e as Error).message}`;
      this.log.appendLine(message);
      if (previous.kind === 'ready' && previous.entry.id !== entry.id) {
        // The worker still holds the previous model: keep using it, and say so once.
        this.set(previous);
        void vscode.window.showWarningMessage(`Next Token: ${message}. Keeping ${previous.entry.displayName}.`);
        return;
      }
      const fallback = this.entryFor(this.registry.defaultId);
      if (fallback && fallback.id !== entry.id) {
        await this.loadEntry(fallback, generation);
      } else this.set({ kind: 'error', message });
    }
  }

  private set(state: ModelState): void {
    this.stateValue = state;
    this.emitter.fire(state);
  }

  dispose(): void {
    this.emitter.dispose();
  }
}
