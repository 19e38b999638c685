/**
 * Ghost text: an InlineCompletionItemProvider backed by the engine worker. Cheap checks
 * first (enabled, text after the cursor, cache), then an adaptive debounce, then the
 * worker; every await is followed by a cancellation and document-version check, so a
 * result for text the user has already changed is never shown.
 */
import * as vscode from 'vscode';
import type { EngineClient } from '../worker/engineClient';
import { toDocumentEol } from '../engine';
import { documentContext, documentSuffix } from '../worker/documentContext';
import { CompletionCache } from './completionCache';
import { DOCUMENT_SCHEMES, isDocumentScheme } from './documentSchemes';
import { isEnabledFor, readSettings } from './settings';
import { suffixAllowsSuggestion, trimAgainstSuffix } from './suffix';

export interface ProviderState {
  /** False while disabled or snoozed. */
  isActive(): boolean;
  /** The loaded model's id, or undefined while none is ready. */
  modelId(): string | undefined;
}

/** The last suggestion computed by the model, for the status bar. */
export interface LastSuggestion {
  ms: number;
  tokensPerSecond: number;
  /** Product of the shown suggestion's token probabilities. */
  confidence: number | undefined;
}

/** What happened to one request of the editor's (the test API counts these). */
export type ProviderEvent =
  | { kind: 'asked' }
  | { kind: 'cacheHit' }
  /** Items were returned (or none: `shown` false) after `ms` from being asked; declined and superseded requests are not answered. */
  | { kind: 'answered'; ms: number; shown: boolean; suffixTokens?: number };

export class NextTokenInlineProvider implements vscode.InlineCompletionItemProvider {
  readonly cache = new CompletionCache();
  /** Moving average of worker answer times: decides the debounce. */
  private averageMs = 0;
  /** When the previous request arrived (ms since the epoch). */
  private lastRequestAt = 0;
  /** The editor asked while no model was ready (it asks again only on the next keystroke). */
  askedBeforeReady = false;
  private readonly lastEmitter = new vscode.EventEmitter<LastSuggestion>();
  /** Fires after each suggestion the model computed. */
  readonly onDidSuggest = this.lastEmitter.event;
  private readonly eventEmitter = new vscode.EventEmitter<ProviderEvent>();
  /** Fires for every request, every suggestion-cache hit and every answer. */
  readonly onDidHandle = this.eventEmitter.event;

  constructor(private readonly client: EngineClient, private readonly state: ProviderState) {}

  /** A suggestion the probability panel branched to: shown while the document stays at that version and the cursor there. */
  private pinned: { uri: string; version: number; offset: number; text: string } | undefined;
  pin(document: vscode.TextDocument, position: vscode.Position, text: string): void {
    this.pinned = { uri: document.uri.toString(), version: document.version, offset: document.offsetAt(position), text };
  }

  async provideInlineCompletionItems(
    document: vscode.TextDocument,
    position: vscode.Position,
    context: vscode.InlineCompletionContext,
    token: vscode.CancellationToken,
  ): Promise<vscode.InlineCompletionList | undefined> {
    const started = Date.now();
    const sincePrevious = started - this.lastRequestAt;
    this.lastRequestAt = started;
    this.eventEmitter.fire({ kind: 'asked' });
    const model = this.state.modelId();
    if (!model) {
      this.askedBeforeReady = true; // typed while the model loads: asked again once it is ready
      return undefined;
    }
    if (!this.state.isActive() || !isEnabledFor(document.languageId)) return undefined;
    const pinned = this.pinned;
    if (pinned && pinned.uri === document.uri.toString() && pinned.version === document.version && pinned.offset === document.offsetAt(position)) {
      return new vscode.InlineCompletionList([new vscode.InlineCompletionItem(pinned.text, new vscode.Range(position, position))]);
    }
    this.pinned = undefined;
    const { prefix, lineSuffix, eol } = documentContext(document, position);
    if (!suffixAllowsSuggestion(lineSuffix)) return undefined;
    if (prefix.includes('\u0000')) return undefined; // binary content: deliberately no suggestion
    const version = document.version;
    // A fill-in-the-middle model also reads what follows the cursor; its suggestions depend on
    // that text, so they are remembered per suffix (typing at the cursor keeps it the same).
    const suffix = this.client.readsSuffix ? documentSuffix(document, position) : undefined;
    const cacheKey = suffix === undefined ? model : `${model}\u0000${suffix}`;

    const settings = readSettings(document);
    const explicit = context.triggerKind === vscode.InlineCompletionTriggerKind.Invoke;
    let items = this.cache.lookup(cacheKey, prefix);
    /** How many tokens after the cursor the model read for this answer (the test API reports it). */
    let suffixTokens: number | undefined;
    // A cached single suggestion does not answer an explicit request for alternatives.
    if (items && explicit && items.length < settings.alternatives) items = undefined;
    if (items) this.eventEmitter.fire({ kind: 'cacheHit' });
    else {
      // Adaptive debounce: only while keys come faster than the model answers (a burst, where
      // most answers would be superseded anyway); after a pause, answer at once.
      const burst = this.averageMs >= 15 && sincePrevious < this.averageMs;
      const delay = explicit ? 0 : settings.debounceMs ?? (burst ? Math.min(60, this.averageMs) : 0);
      if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
      if (token.isCancellationRequested || document.version !== version) return undefined;
      const result = await this.client.complete({
        prefix,
        ...(suffix === undefined ? {} : { suffix }),
        maxTokens: settings.maxTokens,
        multiline: settings.multiline,
        timeBudgetMs: settings.multiline ? 400 : 150,
        // While typing, one suggestion (fast); asked explicitly (Alt+\\, or Alt+] to cycle), several.
        alternatives: explicit ? settings.alternatives : 1,
        sampling: settings.sampling,
      }, token);
      // A failure is in the output channel already (the client logs it); the editor just gets nothing.
      if (!result.ok || token.isCancellationRequested || document.version !== version) return undefined;
      const answer = result.value;
      this.averageMs = this.averageMs === 0 ? answer.ms : 0.8 * this.averageMs + 0.2 * answer.ms;
      items = answer.items;
      suffixTokens = answer.suffixTokens;
      this.lastEmitter.fire({ ms: answer.ms, tokensPerSecond: answer.ms > 0 ? (answer.computedTokens * 1000) / answer.ms : 0, confidence: answer.confidences[0] });
      this.cache.store(cacheKey, prefix, items);
    }
    // The model writes LF; a multi-line suggestion goes into the document in its own line ending.
    const shown = items
      .map((item) => trimAgainstSuffix(item, lineSuffix))
      .filter((item) => item.trim().length > 0)
      .map((item) => toDocumentEol(item, eol));
    this.eventEmitter.fire({ kind: 'answered', ms: Date.now() - started, shown: shown.length > 0, ...(suffixTokens ? { suffixTokens } : {}) });
    if (shown.length === 0) return undefined;
    const range = new vscode.Range(position, position);
    return new vscode.InlineCompletionList(shown.map((text) => new vscode.InlineCompletionItem(text, range)));
  }

  dispose(): void {
    this.lastEmitter.dispose();
    this.eventEmitter.dispose();
  }
}

/**
 * Ghost text: the provider registered for every document scheme, its suggestion cache
 * cleared when the model or a setting changes, and the editor asked again once a model is
 * ready if keys were typed while it loaded.
 */
export function registerGhostText(client: EngineClient, state: ProviderState, onDidChangeModel: vscode.Event<{ kind: string }>): { provider: NextTokenInlineProvider; disposable: vscode.Disposable } {
  const provider = new NextTokenInlineProvider(client, state);
  const disposable = vscode.Disposable.from(
    provider,
    vscode.languages.registerInlineCompletionItemProvider(DOCUMENT_SCHEMES.map((scheme) => ({ scheme })), provider),
    onDidChangeModel((model) => {
      provider.cache.clear();
      // Keys typed while the model was loading got no suggestion; ask once more now that it is ready.
      if (model.kind === 'ready' && provider.askedBeforeReady) {
        provider.askedBeforeReady = false;
        if (vscode.window.activeTextEditor) void vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
      }
    }),
    vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration('nextToken') && provider.cache.clear()),
    registerBackgroundPrefill(client, provider, state),
  );
  return { provider, disposable };
}

/** A pause this long (ms) after a switch of file or a jump, with no request meanwhile, starts a prefill. */
const PREFILL_AFTER_MS = 150;

/**
 * Background prefill: after a switch of file or a jump of the cursor, once the user pauses,
 * the worker reads the context there into the model's cache, so the first suggestion does not
 * pay for reading it (up to a whole window: 39 ms for gpt-code-tiny's 256 tokens). A keystroke
 * supersedes a prefill still waiting in the worker. For a fill-in-the-middle model every move
 * of the cursor counts as a jump: what follows the cursor comes first in its context.
 */
function registerBackgroundPrefill(client: EngineClient, provider: NextTokenInlineProvider, state: ProviderState): vscode.Disposable {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let lastAsked = 0;
  let last: { uri: string; line: number; character: number } | undefined;
  const schedule = (editor: vscode.TextEditor | undefined) => {
    if (!editor || !isDocumentScheme(editor.document.uri.scheme)) return;
    const active = editor.selection.active;
    const at = { uri: editor.document.uri.toString(), line: active.line, character: active.character };
    // Typing and small moves keep the cached context; a new file or a jump does not. A
    // fill-in-the-middle model's context starts with the text after the cursor, which any move
    // changes (typing keeps it, and its requests supersede the prefill as ever).
    const near = client.readsSuffix ? last?.line === at.line && last.character === at.character : last !== undefined && Math.abs(last.line - at.line) <= 2;
    if (last && last.uri === at.uri && near) return;
    last = at;
    if (timer) clearTimeout(timer);
    const scheduledAt = Date.now();
    timer = setTimeout(() => {
      timer = undefined;
      if (lastAsked > scheduledAt || !state.modelId() || !state.isActive() || !isEnabledFor(editor.document.languageId)) return;
      if (editor.document.isClosed || vscode.window.activeTextEditor !== editor) return;
      const { prefix } = documentContext(editor.document, editor.selection.active);
      const suffix = client.readsSuffix ? documentSuffix(editor.document, editor.selection.active) : undefined;
      if (!prefix.includes('\u0000')) void client.prefill(prefix, suffix);
    }, PREFILL_AFTER_MS);
  };
  return vscode.Disposable.from(
    provider.onDidHandle((e) => {
      if (e.kind === 'asked') lastAsked = Date.now();
    }),
    vscode.window.onDidChangeActiveTextEditor(schedule),
    vscode.window.onDidChangeTextEditorSelection((e) => schedule(e.textEditor)),
    { dispose: () => timer && clearTimeout(timer) },
  );
}
