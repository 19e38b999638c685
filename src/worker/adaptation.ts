/**
 * What the models learn from the user's files, kept in the worker: n-gram counts of the open
 * documents and, under them with less weight, of the workspace's other files (imports first,
 * chosen by the extension). Text arrives as it is in the editor or on disk and is counted as
 * the model reads it (LF line endings); a workspace file that is open is counted only once,
 * as an open document.
 */
import { CacheCounts, CachedModel, MAX_WORKSPACE_TOKENS, toModelText, withCaches, type CacheMixInfo, type LanguageModel, type Prediction } from '../engine';
import { MAX_WORKSPACE_FILE_BYTES } from './workspaceOrder';

export class Adaptation {
  private model: LanguageModel | undefined;
  /** Open documents' text (LF), by key. */
  private readonly open = new Map<string, string>();
  /** Workspace files' text (LF), least useful first. */
  private readonly workspace = new Map<string, string>();
  private openCounts: CacheCounts | undefined;
  private workspaceCounts: CacheCounts | undefined;
  private openEnabled = true;
  private workspaceEnabled = true;
  /** The last mixed model, reused while the same caches are active (no allocation per request). */
  private wrapped: { base: LanguageModel; open: boolean; workspace: boolean; model: LanguageModel } | undefined;

  setModel(model: LanguageModel | undefined): void {
    this.model = model;
    this.rebuild();
  }

  /** Open documents changed (text null: closed). */
  updateOpen(updates: ReadonlyArray<{ key: string; text: string | null }>, enabled: boolean): { tokens: number; files: number } {
    this.openEnabled = enabled;
    for (const u of updates) {
      const text = u.text === null ? null : toModelText(u.text);
      if (text === null) this.open.delete(u.key);
      else this.open.set(u.key, text);
      if (this.openCounts && this.model) {
        if (text === null) this.openCounts.removeDocument(u.key);
        else this.openCounts.setDocument(u.key, this.model.tokenizer.encode(text));
      }
      // A file counts once: as an open document while open, else as a workspace file.
      const onDisk = this.workspace.get(u.key);
      if (this.workspaceCounts && this.model && onDisk !== undefined) {
        if (text === null) this.workspaceCounts.setDocument(u.key, this.model.tokenizer.encode(onDisk));
        else this.workspaceCounts.removeDocument(u.key);
      }
    }
    if (!enabled) this.openCounts = undefined;
    else if (!this.openCounts) this.rebuild();
    return { tokens: this.openCounts?.tokenCount ?? 0, files: this.openCounts ? this.open.size : 0 };
  }

  /** Workspace files sent or re-ordered (least useful first), and files no longer wanted. */
  updateWorkspace(files: ReadonlyArray<{ key: string; bytes?: Uint8Array }>, removed: readonly string[], enabled: boolean): { tokens: number; files: number } {
    this.workspaceEnabled = enabled;
    for (const key of removed) {
      this.workspace.delete(key);
      this.workspaceCounts?.removeDocument(key);
    }
    for (const f of files) {
      let text = this.workspace.get(f.key);
      if (f.bytes) {
        // Binary and huge files are not language: they are dropped, not counted.
        text = f.bytes.length > MAX_WORKSPACE_FILE_BYTES || f.bytes.includes(0) ? undefined : toModelText(new TextDecoder().decode(f.bytes));
      }
      this.workspace.delete(f.key); // re-inserted at the most useful end
      if (text === undefined) {
        this.workspaceCounts?.removeDocument(f.key);
        continue;
      }
      this.workspace.set(f.key, text);
      if (!this.workspaceCounts || !this.model || this.open.has(f.key)) continue;
      // Unchanged and counted: only its place in the eviction order moves (no tokenising again).
      if (!f.bytes && this.workspaceCounts.touchDocument(f.key)) continue;
      this.workspaceCounts.setDocument(f.key, this.model.tokenizer.encode(text));
    }
    if (!enabled) this.workspaceCounts = undefined;
    else if (!this.workspaceCounts) this.rebuild();
    return { tokens: this.workspaceCounts?.tokenCount ?? 0, files: this.workspaceCounts?.documentKeys.length ?? 0 };
  }

  /** The loaded model with the caches that hold anything mixed in (workspace under open documents). */
  mixed(model: LanguageModel): LanguageModel {
    const open = (this.openCounts?.tokenCount ?? 0) > 0;
    const workspace = (this.workspaceCounts?.tokenCount ?? 0) > 0;
    const w = this.wrapped;
    if (w && w.base === model && w.open === open && w.workspace === workspace) return w.model;
    const mixed = withCaches(model, { open: open ? this.openCounts : undefined, workspace: workspace ? this.workspaceCounts : undefined });
    this.wrapped = { base: model, open, workspace, model: mixed };
    return mixed;
  }

  /** The model under the mixers, and the mixers innermost first. */
  static layers(model: LanguageModel): { base: LanguageModel; mixers: CachedModel[] } {
    const mixers: CachedModel[] = [];
    let base = model;
    while (base instanceof CachedModel) {
      mixers.unshift(base);
      base = base.base;
    }
    return { base, mixers };
  }

  /** Applies every mixer to the base model's prediction; what each contributed, for the panel. */
  mixAll(mixers: readonly CachedModel[], tokens: readonly number[], p: Prediction): Prediction & { cache?: CacheMixInfo; workspaceCache?: CacheMixInfo } {
    let out: Prediction & { cache?: CacheMixInfo; workspaceCache?: CacheMixInfo } = p;
    for (const m of mixers) {
      const r = m.mixInto(tokens, out);
      out = m.cache === this.workspaceCounts ? { ...r, cache: out.cache, workspaceCache: r.cache } : { ...r, workspaceCache: out.workspaceCache };
    }
    return out;
  }

  private rebuild(): void {
    this.openCounts = undefined;
    this.workspaceCounts = undefined;
    this.wrapped = undefined;
    const model = this.model;
    // The word-level toy model has nothing to learn from code.
    if (!model || model.tokenizer.kind !== 'bpe') return;
    if (this.openEnabled) {
      this.openCounts = new CacheCounts(4);
      for (const [key, text] of this.open) this.openCounts.setDocument(key, model.tokenizer.encode(text));
    }
    if (this.workspaceEnabled) {
      this.workspaceCounts = new CacheCounts(4, MAX_WORKSPACE_TOKENS);
      for (const [key, text] of this.workspace) if (!this.open.has(key)) this.workspaceCounts.setDocument(key, model.tokenizer.encode(text));
    }
  }
}
