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
export async function waitFor<T>(condition: () => T | Promise<T>, message: string, timeoutMs = 15_000, intervalMs = 25): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await condition();
      if (value) return value as NonNullable<T>;
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

/** One call VS Code made to an inline-completion provider. */
export interface ProviderCall {
  /** When VS Code called the provider (ms since the epoch). */
  startedAt: number;
  /** When the provider's answer settled; undefined while it is still working on it. */
  settledAt?: number;
  /** What it answered (undefined: no suggestion). */
  result?: vscode.InlineCompletionList | vscode.InlineCompletionItem[] | null;
  /** What it threw, if it threw. */
  error?: unknown;
}

export interface ProviderWatch {
  /** Every call since the watch began, in order. */
  readonly calls: readonly ProviderCall[];
  /** Puts the provider back as it was. */
  dispose(): void;
}

/**
 * Records every call VS Code makes to `provider` from now on, and when and how each one was
 * answered, without changing the answers: the extension host looks the method up on the
 * object at every request, so a wrapper on the instance sees them all.
 */
export function watchProvider(provider: vscode.InlineCompletionItemProvider): ProviderWatch {
  const calls: ProviderCall[] = [];
  const original = provider.provideInlineCompletionItems;
  const hadOwn = Object.prototype.hasOwnProperty.call(provider, 'provideInlineCompletionItems');
  provider.provideInlineCompletionItems = (...args) => {
    const call: ProviderCall = { startedAt: Date.now() };
    calls.push(call);
    const answer = Promise.resolve(original.apply(provider, args));
    answer.then(
      (result) => Object.assign(call, { settledAt: Date.now(), result }),
      (error: unknown) => Object.assign(call, { settledAt: Date.now(), error }),
    );
    return answer;
  };
  return {
    calls,
    dispose: () => {
      if (hadOwn) provider.provideInlineCompletionItems = original;
      else delete (provider as Partial<vscode.InlineCompletionItemProvider>).provideInlineCompletionItems;
    },
  };
}

/**
 * Runs editor.action.inlineSuggest.trigger and resolves with the provider's first answer to a
 * call made after it (a suggestion or a deliberate none); fails after timeoutMs, or if that
 * answer was a throw. The command is awaited only after the answer: VS Code 1.100's trigger
 * waits for the providers, so a provider that never answers would otherwise hang the test
 * past this bound instead of failing it.
 */
export async function triggerAndWaitForAnswer(watch: ProviderWatch, timeoutMs = 15_000): Promise<ProviderCall> {
  const from = watch.calls.length;
  const triggered = Promise.resolve(vscode.commands.executeCommand('editor.action.inlineSuggest.trigger'));
  triggered.catch(() => undefined); // awaited below; this only keeps a late failure from going unhandled
  const answer = await waitFor(() => watch.calls.slice(from).find((call) => call.settledAt !== undefined), 'the provider answered the trigger', timeoutMs);
  if (answer.error !== undefined) throw new Error(`the provider threw: ${String(answer.error)}`);
  await triggered;
  return answer;
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

/** The worker's memory from `client.memoryUsed`'s result (undefined: no answer, or the runtime cannot tell). */
export function memory(result: { ok: true; value: number | null } | { ok: false }): number | undefined {
  return result.ok && typeof result.value === 'number' ? result.value : undefined;
}
