/**
 * "Next Token: Show Probability Panel": one webview beside the editor that follows the
 * cursor and shows the model's full next-token vector. One instance, re-revealed; revived
 * after a reload by a serializer; its listeners are disposed when it closes.
 */
import * as vscode from 'vscode';
import type { EngineClient } from '../worker/engineClient';
import { readSettings } from '../completion/settings';
import { toDocumentEol } from '../engine';
import { documentContext, documentSuffix } from '../worker/documentContext';
import type { ModelManager } from '../models/modelManager';
import { panelHtml } from './panelHtml';
import { panelUpdate, parsePanelMessage, type HostToPanel } from './messages';

export const PANEL_VIEW_TYPE = 'nextToken.probabilityPanel';
const CONTEXT_CHIPS = 48;

export class ProbabilityPanel implements vscode.Disposable {
  static current: ProbabilityPanel | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private editor: vscode.TextEditor | undefined;
  private pending: ReturnType<typeof setTimeout> | undefined;
  private inFlight: vscode.CancellationTokenSource | undefined;
  private closed = false;
  private vocabularyFor: string | undefined;

  static show(extensionUri: vscode.Uri, client: EngineClient, models: ModelManager, posted: vscode.EventEmitter<HostToPanel>): ProbabilityPanel {
    if (ProbabilityPanel.current) {
      ProbabilityPanel.current.panel.reveal(vscode.ViewColumn.Beside, true);
      return ProbabilityPanel.current;
    }
    const panel = vscode.window.createWebviewPanel(PANEL_VIEW_TYPE, 'Next Token', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, {
      enableScripts: true,
      retainContextWhenHidden: false,
      localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'media')],
    });
    return new ProbabilityPanel(panel, extensionUri, client, models, posted);
  }

  /** `posted` fires with every message sent to the webview (the test API records them). */
  constructor(readonly panel: vscode.WebviewPanel, extensionUri: vscode.Uri, private readonly client: EngineClient, private readonly models: ModelManager, private readonly posted: vscode.EventEmitter<HostToPanel>) {
    ProbabilityPanel.current = this;
    panel.webview.options = { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'media')] };
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'icon.png');
    panel.webview.html = panelHtml(panel.webview, extensionUri);
    this.editor = vscode.window.activeTextEditor;
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((raw) => this.receive(raw)),
      vscode.window.onDidChangeActiveTextEditor((e) => {
        if (e) {
          this.editor = e;
          this.schedule();
        }
      }),
      vscode.window.onDidChangeTextEditorSelection((e) => {
        if (e.textEditor === this.editor || e.textEditor === vscode.window.activeTextEditor) {
          this.editor = e.textEditor;
          this.schedule();
        }
      }),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document === this.editor?.document) this.schedule();
      }),
      models.onDidChange(() => this.schedule()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('nextToken')) this.schedule();
      }),
    );
  }

  private receive(raw: unknown): void {
    const message = parsePanelMessage(raw);
    if (!message) return;
    switch (message.type) {
      case 'ready':
        this.vocabularyFor = undefined;
        this.schedule(0);
        return;
      case 'insert': {
        // Step by step: the chosen token is appended at the cursor; the panel then shows the next step.
        const editor = this.editor;
        if (!editor || editor.document.isClosed) return;
        const eol = editor.document.eol === vscode.EndOfLine.CRLF ? '\r\n' : '\n';
        void editor.edit((b) => b.insert(editor.selection.active, toDocumentEol(message.text, eol))).then(() => {
          void vscode.window.showTextDocument(editor.document, { viewColumn: editor.viewColumn, preserveFocus: false });
        });
        return;
      }
      case 'setSampling': {
        const c = vscode.workspace.getConfiguration('nextToken');
        void Promise.all([
          c.update('temperature', message.temperature, vscode.ConfigurationTarget.Global),
          c.update('topK', message.topK, vscode.ConfigurationTarget.Global),
          c.update('topP', message.topP, vscode.ConfigurationTarget.Global),
        ]);
        return;
      }
    }
  }

  /**
   * Coalesces the events of one user action (a keystroke fires a text change and a selection
   * change) into one update; the worker drops superseded requests, so a short delay is enough.
   */
  private schedule(delay = 5): void {
    if (this.pending) clearTimeout(this.pending);
    this.pending = setTimeout(() => void this.update(), delay);
  }

  private post(message: HostToPanel): void {
    // An update still on its way when the panel was closed has nowhere to go.
    if (this.closed) return;
    this.posted.fire(message);
    void this.panel.webview.postMessage(message);
  }

  async update(): Promise<void> {
    this.pending = undefined;
    const editor = this.editor;
    const state = this.models.state;
    if (state.kind !== 'ready') {
      this.post({ type: 'status', text: state.kind === 'loading' ? `Loading ${state.entry.displayName}…` : state.message });
      return;
    }
    if (!editor || editor.document.isClosed) {
      this.post({ type: 'status', text: 'Open a file and place the cursor: the panel shows what the model predicts there.' });
      return;
    }
    if (this.vocabularyFor !== state.entry.id) {
      const answer = await this.client.vocabulary();
      const vocab = answer.ok ? answer.value : undefined;
      if (vocab) {
        this.vocabularyFor = vocab.modelId;
        this.post({ type: 'vocabulary', modelId: vocab.modelId, tokens: vocab.tokens });
      }
    }
    this.inFlight?.cancel();
    const cts = (this.inFlight = new vscode.CancellationTokenSource());
    const doc = editor.document;
    const position = editor.selection.active;
    // The same context as ghost text (documentContext), so both share the worker's KV cache.
    const { prefix: text, eol } = documentContext(doc, position);
    const settings = readSettings(doc);
    // A fill-in-the-middle model reads the text after the cursor too, as it does for ghost text.
    const suffix = this.client.readsSuffix ? documentSuffix(doc, position) : undefined;
    const result = await this.client.predict({ text, topK: 20, attention: state.info.kind === 'transformer', contextChips: CONTEXT_CHIPS, ...(suffix === undefined ? {} : { suffix }) }, cts.token);
    if (cts.token.isCancellationRequested || (!result.ok && result.code === 'cancelled')) return;
    if (!result.ok) {
      this.post({ type: 'status', text: result.message });
      return;
    }
    const source = { file: vscode.workspace.asRelativePath(doc.uri), line: position.line, character: position.character, crlf: eol === '\r\n' };
    const update = panelUpdate(result.value, source, settings.sampling);
    this.post({ type: 'update', update });
  }

  dispose(): void {
    this.closed = true;
    if (ProbabilityPanel.current === this) ProbabilityPanel.current = undefined;
    if (this.pending) clearTimeout(this.pending);
    this.inFlight?.cancel();
    while (this.disposables.length) this.disposables.pop()?.dispose();
    this.panel.dispose();
  }
}

/** The panel's command and serializer; `onDidPost` fires with every message any panel sends its webview. */
export function registerProbabilityPanel(context: vscode.ExtensionContext, client: EngineClient, models: ModelManager): { disposable: vscode.Disposable; onDidPost: vscode.Event<HostToPanel> } {
  const posted = new vscode.EventEmitter<HostToPanel>();
  const disposable = vscode.Disposable.from(
    vscode.commands.registerCommand('nextToken.showPanel', () => ProbabilityPanel.show(context.extensionUri, client, models, posted)),
    vscode.window.registerWebviewPanelSerializer(PANEL_VIEW_TYPE, {
      async deserializeWebviewPanel(panel: vscode.WebviewPanel) {
        new ProbabilityPanel(panel, context.extensionUri, client, models, posted);
      },
    }),
    { dispose: () => ProbabilityPanel.current?.dispose() },
    posted,
  );
  return { disposable, onDidPost: posted.event };
}
