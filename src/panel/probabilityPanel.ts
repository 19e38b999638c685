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
import { panelUpdate, parsePanelMessage, type HostToPanel, type PanelSection, type PanelUpdate } from './messages';
import type { PanelSections } from '../worker/protocol';

/** Where a branched suggestion goes: the ghost-text provider shows it at that place once. */
export interface GhostTextPin {
  pin(document: vscode.TextDocument, position: vscode.Position, text: string): void;
}

/** Alternatives shown at each step of the suggestion section. */
const SUGGESTION_ALTERNATIVES = 5;

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
  /** The sections open in the webview (it says so on load and on every toggle) and its attention pickers. */
  private sections: { open: Set<PanelSection>; layer: number; head: number } = { open: new Set(['tokens', 'vector']), layer: 0, head: 0 };
  /** A branch the user asked for, applied by the next update (then the ghost text follows). */
  private branch: { step: number; token: number } | undefined;
  /** The branch in effect: kept while the document and the cursor stay where it was made. */
  private activeBranch: { place: string; request: { tokens: number[]; keep: number; token: number } } | undefined;
  /** Compute the suggestion in the next update even with its section closed (the command). */
  needSuggestion = false;
  /** The last update drawn (the branch and the next-alternative command start from its suggestion). */
  last: PanelUpdate | undefined;

  static show(extensionUri: vscode.Uri, client: EngineClient, models: ModelManager, posted: vscode.EventEmitter<HostToPanel>, ghost?: GhostTextPin): ProbabilityPanel {
    if (ProbabilityPanel.current) {
      ProbabilityPanel.current.panel.reveal(vscode.ViewColumn.Beside, true);
      return ProbabilityPanel.current;
    }
    const panel = vscode.window.createWebviewPanel(PANEL_VIEW_TYPE, 'Next Token', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, {
      enableScripts: true,
      retainContextWhenHidden: false,
      localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'media')],
    });
    return new ProbabilityPanel(panel, extensionUri, client, models, posted, ghost);
  }

  /** `posted` fires with every message sent to the webview (the test API records them). */
  constructor(readonly panel: vscode.WebviewPanel, extensionUri: vscode.Uri, private readonly client: EngineClient, private readonly models: ModelManager, private readonly posted: vscode.EventEmitter<HostToPanel>, private readonly ghost?: GhostTextPin) {
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
      case 'sections':
        this.setSections(message.open, message.layer, message.head);
        return;
      case 'branch':
        this.branchAt(message.step, message.token);
        return;
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

  /** Opens exactly these sections (the worker computes only those) with these attention pickers. */
  setSections(open: readonly PanelSection[], layer: number, head: number): void {
    const same = open.length === this.sections.open.size && open.every((x) => this.sections.open.has(x)) && layer === this.sections.layer && head === this.sections.head;
    this.sections = { open: new Set(open), layer, head };
    if (!same) this.schedule(0);
  }

  /** Regenerates the ghost text from `step` on with `token` there; the panel and the editor follow. */
  branchAt(step: number, token: number): void {
    this.branch = { step, token };
    this.schedule(0);
  }

  /**
   * The next alternative of the suggestion's first token (the command's): the one after the
   * current first token in the first step's list, round to the top. False when there is none.
   */
  nextAlternative(): boolean {
    const first = this.last?.suggestion?.steps[0];
    if (!first || first.alternatives.length < 2) return false;
    const at = first.alternatives.findIndex((a) => a.id === first.id);
    this.branchAt(0, first.alternatives[(at + 1) % first.alternatives.length].id);
    return true;
  }

  /** What the worker computes besides the vector: the open sections only. */
  private requestedSections(info: { kind: string; layers: number; heads: number }): PanelSections | undefined {
    const open = this.sections.open;
    const out: PanelSections = {};
    if (open.has('embedding')) out.embedding = true;
    // Pickers left on a larger model's layer or head show this model's last one.
    const pick = (i: number, n: number) => Math.max(0, Math.min(i, n - 1));
    if (open.has('attention') && info.kind === 'transformer') out.attention = { layer: pick(this.sections.layer, info.layers), head: pick(this.sections.head, info.heads) };
    if (open.has('layers')) out.layers = true;
    if (open.has('vector')) out.vector = true;
    return Object.keys(out).length > 0 ? out : undefined;
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
    const sections = this.requestedSections(state.info) ?? {};
    const branch = this.branch;
    this.branch = undefined;
    const shown = this.last?.suggestion;
    // A branch holds while the user looks at it (the document and the cursor unchanged).
    const place = `${doc.uri.toString()}#${doc.version}@${doc.offsetAt(position)}`;
    if (branch && shown) this.activeBranch = { place, request: { tokens: shown.steps.map((st) => st.id), keep: Math.min(branch.step, shown.steps.length), token: branch.token } };
    else if (this.activeBranch?.place !== place) this.activeBranch = undefined;
    const wantSuggestion = this.sections.open.has('suggestion') || branch !== undefined || this.needSuggestion;
    this.needSuggestion = false;
    if (wantSuggestion) {
      sections.suggestion = {
        maxTokens: settings.maxTokens, multiline: settings.multiline, sampling: settings.sampling, alternatives: SUGGESTION_ALTERNATIVES,
        ...(this.activeBranch ? { branch: this.activeBranch.request } : {}),
      };
    }
    const version = doc.version;
    const result = await this.client.predict({
      text, topK: 20, attention: state.info.kind === 'transformer', contextChips: CONTEXT_CHIPS, ...(suffix === undefined ? {} : { suffix }),
      ...(Object.keys(sections).length > 0 ? { sections } : {}),
    }, cts.token);
    if (cts.token.isCancellationRequested || (!result.ok && result.code === 'cancelled')) return;
    if (!result.ok) {
      this.post({ type: 'status', text: result.message });
      return;
    }
    const source = { file: vscode.workspace.asRelativePath(doc.uri), line: position.line, character: position.character, crlf: eol === '\r\n' };
    const update = panelUpdate(result.value, source, settings.sampling);
    // A branch keeps the previous suggestion's place in the list of the next alternative.
    this.last = update;
    this.post({ type: 'update', update });
    const branched = update.suggestion;
    if (branch && branched && this.ghost && branched.text.length > 0 && !doc.isClosed && doc.version === version) {
      // The editor shows the branch as its ghost text: the provider answers the next request
      // at this place with it, and the request is made now, with the editor focused.
      this.ghost.pin(doc, position, toDocumentEol(branched.text, eol));
      await vscode.window.showTextDocument(doc, { viewColumn: editor.viewColumn, preserveFocus: false, selection: new vscode.Range(position, position) });
      await vscode.commands.executeCommand('editor.action.inlineSuggest.hide');
      await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
    }
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
export function registerProbabilityPanel(context: vscode.ExtensionContext, client: EngineClient, models: ModelManager, ghost?: GhostTextPin): { disposable: vscode.Disposable; onDidPost: vscode.Event<HostToPanel> } {
  const posted = new vscode.EventEmitter<HostToPanel>();
  const disposable = vscode.Disposable.from(
    vscode.commands.registerCommand('nextToken.showPanel', () => ProbabilityPanel.show(context.extensionUri, client, models, posted, ghost)),
    // The next alternative of the ghost text's first token: opens the suggestion section's
    // computation if needed (the panel opens beside the editor) and branches there.
    vscode.commands.registerCommand('nextToken.nextAlternative', async () => {
      const panel = ProbabilityPanel.current ?? ProbabilityPanel.show(context.extensionUri, client, models, posted, ghost);
      if (!panel.nextAlternative()) {
        panel.needSuggestion = true;
        await panel.update();
        panel.nextAlternative();
      }
    }),
    vscode.window.registerWebviewPanelSerializer(PANEL_VIEW_TYPE, {
      async deserializeWebviewPanel(panel: vscode.WebviewPanel) {
        new ProbabilityPanel(panel, context.extensionUri, client, models, posted, ghost);
      },
    }),
    { dispose: () => ProbabilityPanel.current?.dispose() },
    posted,
  );
  return { disposable, onDidPost: posted.event };
}
