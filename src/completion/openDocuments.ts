/**
 * Feeds the text of the documents open in the editor to the worker's cache model, so the
 * model learns the user's own identifiers. Updates are batched; nothing leaves the machine.
 *
 * The lines with a cursor are left out: they are being typed, and counting them would
 * teach the cache the half-typed line itself (after "foo" comes the end of the line), which
 * pulls the suggestion toward what is already there. Lines join when the cursor leaves
 * them, as in `next-token eval --cache`, which simulates exactly this.
 */
import * as vscode from 'vscode';
import { isDocumentScheme } from './documentSchemes';
import type { AdaptationStats } from './adaptationStats';
import type { EngineClient } from '../worker/engineClient';

/** Only this much of a document is counted (the cache is about local vocabulary). */
const MAX_CHARS = 256 * 1024;
const BATCH_MS = 750;

function eligible(doc: vscode.TextDocument): boolean {
  return isDocumentScheme(doc.uri.scheme) && doc.lineCount > 0;
}

/** The lines of `doc` that have a cursor in any visible editor, sorted. */
function cursorLines(doc: vscode.TextDocument): number[] {
  const lines = new Set<number>();
  for (const editor of vscode.window.visibleTextEditors) {
    if (editor.document !== doc) continue;
    for (const s of editor.selections) lines.add(s.active.line);
  }
  return [...lines].sort((a, b) => a - b);
}

/** The document's text with the given lines emptied (their line breaks stay). */
export function withoutLines(text: string, ranges: readonly [number, number][]): string {
  let out = '';
  let at = 0;
  for (const [start, end] of ranges) {
    out += text.slice(at, start);
    at = end;
  }
  return out + text.slice(at);
}

export function registerOpenDocuments(client: EngineClient, stats: AdaptationStats, onDidLoadModel: vscode.Event<unknown>): vscode.Disposable {
  const pending = new Map<string, string | null>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const enabled = () => vscode.workspace.getConfiguration('nextToken').get<boolean>('adaptToOpenFiles') !== false;
  const flush = () => {
    timer = undefined;
    const updates = [...pending].map(([key, text]) => ({ key, text }));
    pending.clear();
    void client.documents(updates, enabled()).then((counted) => counted.ok && stats.setOpen(counted.value));
  };
  /** The cursor lines last sent, per document: a cursor moving to another line re-sends it. */
  const sentLines = new Map<string, string>();
  const queue = (doc: vscode.TextDocument, closed = false, lines = closed ? [] : cursorLines(doc)) => {
    if (!eligible(doc)) return;
    const key = doc.uri.toString();
    if (closed) sentLines.delete(key);
    else sentLines.set(key, lines.join(','));
    const ranges = lines.map((l): [number, number] => {
      const r = doc.lineAt(l).range;
      return [doc.offsetAt(r.start), doc.offsetAt(r.end)];
    });
    const text = closed ? null : withoutLines(doc.getText(), ranges);
    if (text !== null && text.includes('\u0000')) return; // binary content is not language
    pending.set(key, text === null ? null : text.slice(0, MAX_CHARS));
    timer ??= setTimeout(flush, BATCH_MS);
  };
  const all = () => vscode.workspace.textDocuments.forEach((d) => queue(d));
  all();
  return vscode.Disposable.from(
    vscode.workspace.onDidOpenTextDocument((d) => queue(d)),
    vscode.workspace.onDidChangeTextDocument((e) => queue(e.document)),
    vscode.workspace.onDidCloseTextDocument((d) => queue(d, true)),
    vscode.window.onDidChangeTextEditorSelection((e) => {
      const doc = e.textEditor.document;
      const key = doc.uri.toString();
      const lines = cursorLines(doc);
      if (sentLines.has(key) && sentLines.get(key) !== lines.join(',')) queue(doc, false, lines);
    }),
    onDidLoadModel(() => all()),
    vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration('nextToken.adaptToOpenFiles') && all()),
    { dispose: () => timer && clearTimeout(timer) },
  );
}
