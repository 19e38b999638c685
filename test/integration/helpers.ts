/**
 * Helpers for the integration suites (they run inside the extension host, with the real
 * `vscode` API). Wait for conditions, never for fixed times.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

/**
 * What activate() returns, typed loosely on purpose so that refactors in src/ do not break the
 * harness; suites that need more can import the real type from src/ (a type-only import).
 */
export interface NextTokenApi {
  ready?: Promise<unknown>;
  [key: string]: unknown;
}

export const EXTENSION_ID = 'next-token.next-token';

export function getExtension(): vscode.Extension<NextTokenApi> {
  const ext = vscode.extensions.getExtension<NextTokenApi>(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is not loaded`);
  return ext;
}

/** Activates the extension (if needed) and returns its API, after its model is ready. */
export async function activate(): Promise<NextTokenApi> {
  const api = await getExtension().activate();
  await api?.ready;
  return api;
}

/** Polls `condition` every intervalMs until it returns a truthy value; fails after timeoutMs. */
export async function waitFor<T>(condition: () => T | Promise<T>, message: string, timeoutMs = 15_000, intervalMs = 25): Promise<NonNullable<T> | T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await condition();
      if (value) return value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for: ${message}${last ? ` (last error: ${String(last)})` : ''}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** Resolves with the next event fired, or rejects after timeoutMs. */
export function nextEvent<T>(event: vscode.Event<T>, message: string, timeoutMs = 15_000): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error(`timed out after ${timeoutMs} ms waiting for: ${message}`));
    }, timeoutMs);
    const sub = event((e) => {
      clearTimeout(timer);
      sub.dispose();
      resolve(e);
    });
  });
}

/** The opened workspace folder (a throwaway copy of sample-workspace/ in code-server runs). */
export function workspaceFolder(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'no workspace folder is open');
  return folder.uri;
}

/** Opens a file of the workspace in an editor and returns the editor. */
export async function openWorkspaceFile(relativePath: string): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(workspaceFolder(), relativePath));
  return vscode.window.showTextDocument(doc, { preview: false });
}

/** Opens an untitled document with the given language and text. */
export async function openUntitled(language: string, content: string): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument({ language, content });
  return vscode.window.showTextDocument(doc, { preview: false });
}

/** Closes every editor without saving (reverts untitled and dirty documents). */
export async function closeAllEditors(): Promise<void> {
  for (const doc of vscode.workspace.textDocuments) {
    if (!doc.isDirty) continue;
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  }
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

/** The p-th percentile (0-100) of measured times, for [measure] lines. */
export function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}
