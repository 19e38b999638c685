/**
 * Feeds the text of the documents open in the editor to the worker's cache model, so the
 * counted model learns the user's own identifiers. Updates are batched; nothing leaves
 * the machine.
 */
import * as vscode from 'vscode';
import { isDocumentScheme } from './documentSchemes';
import type { EngineClient } from './engineClient';

/** Only this much of a document is counted (the cache is about local vocabulary). */
const MAX_CHARS = 256 * 1024;
const BATCH_MS = 750;

function eligible(doc: vscode.TextDocument): boolean {
  return isDocumentScheme(doc.uri.scheme) && doc.lineCount > 0;
}

export function registerOpenDocuments(client: EngineClient, onDidLoadModel: vscode.Event<unknown>): vscode.Disposable {
  const pending = new Map<string, string | null>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const enabled = () => vscode.workspace.getConfiguration('nextToken').get<boolean>('adaptToOpenFiles') !== false;
  const flush = () => {
    timer = undefined;
    const updates = [...pending].map(([key, text]) => ({ key, text }));
    pending.clear();
    void client.documents(updates, enabled());
  };
  const queue = (doc: vscode.TextDocument, closed = false) => {
    if (!eligible(doc)) return;
    const text = closed ? null : doc.getText();
    if (text !== null && text.includes('\u0000')) return; // binary content is not language
    pending.set(doc.uri.toString(), text === null ? null : text.slice(0, MAX_CHARS));
    timer ??= setTimeout(flush, BATCH_MS);
  };
  const all = () => vscode.workspace.textDocuments.forEach((d) => queue(d));
  all();
  return vscode.Disposable.from(
    vscode.workspace.onDidOpenTextDocument((d) => queue(d)),
    vscode.workspace.onDidChangeTextDocument((e) => queue(e.document)),
    vscode.workspace.onDidCloseTextDocument((d) => queue(d, true)),
    onDidLoadModel(() => all()),
    vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration('nextToken.adaptToOpenFiles') && all()),
    { dispose: () => timer && clearTimeout(timer) },
  );
}
