/** activate(): wires the features together, nothing else. Shared by the Node and the web entry. */
import * as vscode from 'vscode';
import { EngineClient, type EngineWorker } from './worker/engineClient';
import { AdaptationStats } from './completion/adaptationStats';
import { registerOpenDocuments } from './completion/openDocuments';
import { registerGhostText, type NextTokenInlineProvider } from './completion/provider';
import { ActivationState, registerToggleCommands } from './completion/toggle';
import { registerWorkspaceFiles } from './completion/workspaceFiles';
import { ModelManager } from './models/modelManager';
import { readRegistry } from './models/registry';
import { registerSelectModel } from './models/selectModel';
import { registerStatusBar } from './statusBar/statusBar';
import { vscodeFiles } from './models/vscodeFiles';
import { ProbabilityPanel, registerProbabilityPanel } from './panel/probabilityPanel';
import { TestApi } from './testApi';

/** What tests (and other extensions) can reach through `extension.exports`. */
export interface NextTokenApi {
  client: EngineClient;
  models: ModelManager;
  provider: NextTokenInlineProvider;
  /** Resolves when the first model is ready (or failed). */
  ready: Promise<void>;
  /** The open probability panel, if any (tests read the messages it sent). */
  panel(): ProbabilityPanel | undefined;
  /** What the models learn from: open files and workspace files counted now. */
  adaptation: AdaptationStats;
  /** What the integration tests read: ghost-text counts and times, the panel's messages. */
  test: TestApi;
}

export async function setup(context: vscode.ExtensionContext, createWorker: () => EngineWorker): Promise<NextTokenApi> {
  const log = vscode.window.createOutputChannel('Next Token');
  context.subscriptions.push(log);
  // Every failed engine call is written here once, with its code.
  const client = new EngineClient(createWorker, vscodeFiles, (line) => log.appendLine(line));
  const configuredThreads = () => vscode.workspace.getConfiguration('nextToken').get<number>('threads') ?? 0;
  client.threads = configuredThreads();
  const registry = await readRegistry(vscodeFiles, context.extensionUri.toString());
  const models = new ModelManager(client, registry, vscodeFiles, log);
  const active = new ActivationState();
  const adaptation = new AdaptationStats();
  // What the worker counts is sent again for a new model and for a restarted (empty) worker.
  const onDidResetEngine: vscode.Event<unknown> = (listener, thisArg, disposables) =>
    vscode.Disposable.from(models.onDidChange(listener, thisArg, disposables), client.onDidCrash(listener, thisArg, disposables));
  const ghostText = registerGhostText(client, { isActive: () => active.isActive(), modelId: () => models.readyId }, models.onDidChange);
  const provider = ghostText.provider;
  const panel = registerProbabilityPanel(context, client, models, provider);
  const test = new TestApi(provider.onDidHandle, panel.onDidPost);
  context.subscriptions.push(
    client,
    models,
    active,
    ghostText.disposable,
    adaptation,
    registerStatusBar(models, active, provider.onDidSuggest, adaptation),
    registerSelectModel(models),
    registerToggleCommands(active),
    panel.disposable,
    test,
    registerOpenDocuments(client, adaptation, onDidResetEngine),
    registerWorkspaceFiles(client, adaptation, onDidResetEngine),
    client.onDidCrash((reason) => log.appendLine(`${reason}; restarting the engine`)),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('nextToken.threads')) {
        client.threads = configuredThreads();
        void models.reload(true); // the same model again, on the new thread count
      } else if (e.affectsConfiguration('nextToken.model') || e.affectsConfiguration('nextToken.modelFolders')) void models.reload();
      if (e.affectsConfiguration('nextToken.enable')) active.changed();
    }),
  );
  const ready = models.reload();
  console.log('Next Token activated');
  return { client, models, provider, ready, panel: () => ProbabilityPanel.current, adaptation, test };
}
