/**
 * Which model is active: follows `nextToken.model`, loads it in the worker, falls back to
 * the default model when the chosen one fails, and tells the status bar and the provider.
 */
import * as vscode from 'vscode';
import type { ModelInfo } from '../engine';
import type { EngineClient } from '../worker/engineClient';
import type { ModelFileSystem } from '../worker/modelFiles';
import { userModelEntry, type ModelEntry, type Registry } from './registry';

export type ModelState =
  | { kind: 'loading'; entry: ModelEntry }
  /** `threads`: what its matrix products run on (nextToken.threads, where the runtime allows it). */
  | { kind: 'ready'; entry: ModelEntry; info: ModelInfo; loadMs: number; threads: number }
  | { kind: 'error'; message: string };

/** Where ghost text goes when the chosen model cannot be loaded. */
const FALLBACK_ID = 'ngram-code';

/** A folder the user wrote in settings (a path or a URI) as a URI string. */
function toFolderUri(folder: string): string {
  return /^[a-z][a-z0-9+.-]+:\/\//i.test(folder) ? folder : vscode.Uri.file(folder).toString();
}

export class ModelManager implements vscode.Disposable {
  private stateValue: ModelState;
  private readonly emitter = new vscode.EventEmitter<ModelState>();
  readonly onDidChange = this.emitter.event;
  private generation = 0;
  private readonly log: vscode.OutputChannel;

  constructor(
    private readonly client: EngineClient,
    private readonly bundled: Registry,
    private readonly files: ModelFileSystem,
    log: vscode.OutputChannel,
  ) {
    this.log = log;
    const id = this.configuredId();
    this.stateValue = { kind: 'loading', entry: bundled.models.find((m) => m.id === id) ?? bundled.models.find((m) => m.id === bundled.defaultId) ?? bundled.models[0] };
  }

  get state(): ModelState {
    return this.stateValue;
  }

  /** Bundled models, then the user's folders (`nextToken.modelFolders`), read afresh. */
  async registry(): Promise<Registry> {
    const folders = vscode.workspace.getConfiguration('nextToken').get<unknown>('modelFolders');
    const paths = Array.isArray(folders) ? folders.filter((f): f is string => typeof f === 'string' && f.length > 0) : [];
    const user = await Promise.all(paths.map((p) => userModelEntry(this.files, toFolderUri(p), p)));
    return { defaultId: this.bundled.defaultId, models: [...this.bundled.models, ...user] };
  }

  get readyId(): string | undefined {
    return this.stateValue.kind === 'ready' ? this.stateValue.entry.id : undefined;
  }

  configuredId(): string {
    return vscode.workspace.getConfiguration('nextToken').get<string>('model') || this.bundled.defaultId;
  }

  /** Loads the configured model; on failure keeps the user informed and falls back. */
  async reload(force = false): Promise<void> {
    const generation = ++this.generation;
    const wanted = this.configuredId();
    const registry = await this.registry();
    if (generation !== this.generation) return;
    const entry = registry.models.find((m) => m.id === wanted);
    if (!entry) {
      this.log.appendLine(`nextToken.model "${wanted}" is not a known model; using ${registry.defaultId}`);
      const fallback = registry.models.find((m) => m.id === registry.defaultId);
      if (fallback) await this.loadEntry(fallback, generation);
      return;
    }
    // The model already loaded from the same place (the change was to another setting, e.g. a
    // folder added to nextToken.modelFolders): nothing to do. A GGUF model takes seconds to load.
    const current = this.stateValue;
    if (!force && current.kind === 'ready' && current.entry.id === entry.id && current.entry.folder === entry.folder && !entry.problem) return;
    await this.loadEntry(entry, generation);
  }

  private async loadEntry(entry: ModelEntry, generation: number, tried = new Set<string>()): Promise<void> {
    tried.add(entry.id);
    const previous = this.stateValue;
    this.set({ kind: 'loading', entry });
    const loaded = entry.problem ? undefined : await this.client.load(entry.folder, entry.source === 'user' ? (entry.label ?? entry.description) : `models/${entry.id}`);
    if (generation !== this.generation) return; // a newer choice won
    if (loaded?.ok) {
      const { info, loadMs, threads } = loaded.value;
      this.log.appendLine(`loaded ${entry.id} (${info.parameters.toLocaleString('en-US')} parameters, ${threads} thread${threads > 1 ? 's' : ''}) in ${loadMs.toFixed(0)} ms`);
      this.set({ kind: 'ready', entry, info, loadMs, threads });
      return;
    }
    const message = `could not load ${entry.displayName}: ${loaded ? loaded.message : entry.problem}`;
    if (!loaded) this.log.appendLine(message); // the client logs the failures it reports
    if (previous.kind === 'ready' && previous.entry.id !== entry.id) {
      // The worker still holds the previous model: keep using it, and say so once.
      this.set(previous);
      void vscode.window.showWarningMessage(`Next Token: ${message}. Keeping ${previous.entry.displayName}.`);
      return;
    }
    // The classic model is the safest fallback: small, and loaded by the simplest code.
    const fallback = [FALLBACK_ID, this.bundled.defaultId].map((id) => this.bundled.models.find((m) => m.id === id)).find((m) => m && !tried.has(m.id));
    if (fallback) {
      await this.loadEntry(fallback, generation, tried);
    } else this.set({ kind: 'error', message });
  }

  private set(state: ModelState): void {
    this.stateValue = state;
    this.emitter.fire(state);
  }

  dispose(): void {
    this.emitter.dispose();
  }
}
