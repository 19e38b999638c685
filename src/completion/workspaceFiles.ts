/**
 * The workspace as context: the files the user has not opened teach the models too, most
 * useful first for the file being edited (its imports, its folder, the recently opened; see
 * src/worker/workspaceOrder.ts), up to the workspace cache's token budget. Files are listed
 * with `findFiles` and read with `vscode.workspace.fs` (virtual and untrusted workspaces
 * work; nothing runs), and their bytes move to the worker, which decodes and counts them:
 * the extension host's thread only lists, ranks and reads. Skipped: dependency, VCS and
 * build folders, what `files.exclude` and `search.exclude` exclude, files over 1 MB and
 * binary files. Kept current by a file watcher and on save. Nothing leaves the machine.
 */
import * as vscode from 'vscode';
import { MAX_WORKSPACE_TOKENS } from '../engine';
import { excluder, MAX_WORKSPACE_FILE_BYTES, rankWorkspaceFiles, SKIPPED_FOLDERS, WORKSPACE_EXTENSIONS, WORKSPACE_FILE_PATTERN } from '../worker/workspaceOrder';
import type { AdaptationStats } from './adaptationStats';
import type { EngineClient } from '../worker/engineClient';

/** The most files listed (a bigger workspace is ranked among its first 20,000). */
const MAX_LISTED = 20_000;
/** Bytes of code per token (the bundled tokenizer: about 3 on code): files are chosen by size before they are read. */
const BYTES_PER_TOKEN = 3;
/** Delay after a switch of file (a quick series of switches ranks once). */
const RERANK_MS = 300;
const RECENT = 50;

const INCLUDE = `**/*.{${WORKSPACE_EXTENSIONS.join(',')}}`;

/** The globs of files.exclude and search.exclude that are on. */
function excludeGlobs(): string[] {
  const globs: string[] = [];
  for (const section of ['files.exclude', 'search.exclude']) {
    const map = vscode.workspace.getConfiguration().get<Record<string, unknown>>(section) ?? {};
    for (const [glob, on] of Object.entries(map)) if (on === true) globs.push(glob);
  }
  return globs;
}

const relative = (uri: vscode.Uri) => vscode.workspace.asRelativePath(uri, true);

export function registerWorkspaceFiles(client: EngineClient, stats: AdaptationStats, onDidLoadModel: vscode.Event<unknown>): vscode.Disposable {
  const enabled = () => vscode.workspace.getConfiguration('nextToken').get<boolean>('adaptToWorkspace') !== false;
  /** Relative path -> URI of every eligible workspace file (undefined: list again). */
  let listed: Map<string, vscode.Uri> | undefined;
  /** Files the worker holds, by URI string. */
  const sent = new Set<string>();
  /** Files changed on disk since they were sent. */
  const stale = new Set<string>();
  const recent: string[] = [];
  let generation = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;

  async function list(): Promise<Map<string, vscode.Uri>> {
    if (listed) return listed;
    const uris = await vscode.workspace.findFiles(INCLUDE, `**/{${SKIPPED_FOLDERS.join(',')}}/**`, MAX_LISTED);
    // The exclude argument replaces files.exclude: it is applied here, with search.exclude.
    const excluded = excluder(excludeGlobs());
    listed = new Map();
    for (const uri of uris) {
      const rel = relative(uri);
      if (!excluded(rel)) listed.set(rel, uri);
    }
    return listed;
  }

  async function refresh(): Promise<void> {
    const mine = ++generation;
    if (!enabled()) {
      if (sent.size > 0 || stats.workspace.files > 0) {
        const removed = [...sent];
        sent.clear();
        const counted = await client.workspace([], removed, false);
        if (counted.ok) stats.setWorkspace(counted.value);
      }
      return;
    }
    const started = Date.now();
    const files = await list();
    if (mine !== generation) return;
    const doc = vscode.window.activeTextEditor?.document;
    const current = doc ? relative(doc.uri) : '';
    const text = doc && doc.lineCount < 50_000 ? doc.getText(new vscode.Range(0, 0, Math.min(doc.lineCount, 400), 0)) : '';
    const ranked = rankWorkspaceFiles(current, text, [...files.keys()], recent);
    // Most useful first, until the budget (estimated from the size; the worker counts exactly).
    const chosen: Array<{ uri: vscode.Uri; key: string }> = [];
    let budget = MAX_WORKSPACE_TOKENS * BYTES_PER_TOKEN;
    // Sizes are asked 32 at a time, in rank order, until the budget is spent.
    for (let i = 0; i < ranked.length && budget > 0; i += 32) {
      const batch = ranked.slice(i, i + 32).map((rel) => files.get(rel)!);
      const sizes = await Promise.all(batch.map((uri) => vscode.workspace.fs.stat(uri).then((st) => st.size, () => -1)));
      if (mine !== generation) return;
      batch.forEach((uri, j) => {
        const size = sizes[j];
        if (size <= 0 || size > MAX_WORKSPACE_FILE_BYTES || size > budget) return;
        budget -= size;
        chosen.push({ uri, key: uri.toString() });
      });
    }
    if (mine !== generation) return;
    const keep = new Set(chosen.map((c) => c.key));
    const removed = [...sent].filter((k) => !keep.has(k));
    const toRead = chosen.filter((c) => !sent.has(c.key) || stale.has(c.key));
    const bytes = new Map<string, Uint8Array>();
    for (let i = 0; i < toRead.length; i += 16) {
      await Promise.all(toRead.slice(i, i + 16).map(async (c) => {
        const data = await vscode.workspace.fs.readFile(c.uri).then((d) => d, () => undefined);
        if (data) bytes.set(c.key, data);
      }));
      if (mine !== generation) return;
    }
    const message = chosen.reverse().filter((c) => bytes.has(c.key) || sent.has(c.key)).map((c) => ({ key: c.key, bytes: bytes.get(c.key) }));
    for (const k of removed) sent.delete(k);
    for (const m of message) {
      sent.add(m.key);
      stale.delete(m.key);
    }
    const counted = await client.workspace(message, removed, true);
    if (counted.ok && mine === generation) stats.setWorkspace({ ...counted.value, indexMs: Date.now() - started });
  }

  const schedule = (ms = RERANK_MS) => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      void refresh().catch(() => undefined); // a file that vanished mid-read is left out next time
    }, ms);
  };
  const changed = (uri: vscode.Uri) => {
    if (sent.has(uri.toString())) {
      stale.add(uri.toString());
      schedule(1000);
    }
  };
  const watcher = vscode.workspace.createFileSystemWatcher('**/*');
  const onActive = (editor: vscode.TextEditor | undefined) => {
    if (!editor) return;
    const rel = relative(editor.document.uri);
    const at = recent.indexOf(rel);
    if (at >= 0) recent.splice(at, 1);
    recent.unshift(rel);
    recent.length = Math.min(recent.length, RECENT);
    schedule();
  };
  schedule(0);
  return vscode.Disposable.from(
    watcher,
    watcher.onDidChange(changed),
    watcher.onDidCreate((uri) => {
      if (WORKSPACE_FILE_PATTERN.test(uri.path)) {
        listed = undefined;
        schedule(1000);
      }
    }),
    watcher.onDidDelete((uri) => {
      if (listed?.delete(relative(uri)) || sent.has(uri.toString())) schedule(1000);
    }),
    vscode.workspace.onDidSaveTextDocument((d) => changed(d.uri)),
    vscode.window.onDidChangeActiveTextEditor(onActive),
    vscode.workspace.onDidChangeWorkspaceFolders(() => {
      listed = undefined;
      schedule();
    }),
    // A new model (or a restarted worker) counts everything again with its own tokenizer.
    onDidLoadModel(() => {
      sent.clear();
      schedule(0);
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('files.exclude') || e.affectsConfiguration('search.exclude')) listed = undefined;
      if (e.affectsConfiguration('nextToken.adaptToWorkspace') || e.affectsConfiguration('files.exclude') || e.affectsConfiguration('search.exclude')) schedule(0);
    }),
    { dispose: () => timer && clearTimeout(timer) },
  );
}
