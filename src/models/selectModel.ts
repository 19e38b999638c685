/** "Next Token: Select Model": every bundled model with its size and measured figures. */
import * as vscode from 'vscode';
import type { ModelManager } from './modelManager';
import { describeQuality } from './modelIndex';

interface ModelPick extends vscode.QuickPickItem {
  id: string;
}

function describe(bytes?: number, parameters?: number): string {
  const parts: string[] = [];
  if (parameters !== undefined) parts.push(parameters >= 1e6 ? `${(parameters / 1e6).toFixed(1)}M params` : `${parameters.toLocaleString('en-US')} params`);
  if (bytes !== undefined) parts.push(bytes >= 1e6 ? `${(bytes / 1e6).toFixed(1)} MB` : `${(bytes / 1e3).toFixed(0)} KB`);
  return parts.join(' · ');
}

export function registerSelectModel(manager: ModelManager): vscode.Disposable {
  // An id as argument (keybindings, tests) switches directly; without one, the quick pick.
  return vscode.commands.registerCommand('nextToken.selectModel', async (id?: unknown) => {
    const current = manager.state.kind === 'error' ? undefined : manager.state.entry.id;
    if (typeof id === 'string') {
      const known = (await manager.registry()).models.some((m) => m.id === id);
      if (known && id !== current) await store(id);
      return;
    }
    const registry = await manager.registry();
    const items: ModelPick[] = registry.models.map((m) => {
      const figures = describeQuality(m.quality ?? {});
      return {
        id: m.id,
        label: `${m.id === current ? '$(check) ' : m.problem ? '$(warning) ' : ''}${m.displayName}`,
        description: [m.source === 'user' ? 'your folder' : '', describe(m.fileBytes, m.parameters)].filter(Boolean).join(' · '),
        detail: m.problem ?? [m.description, ...figures].filter(Boolean).join(' — '),
      };
    });
    const picked = await vscode.window.showQuickPick(items, { title: 'Next Token: Select Model', placeHolder: 'Model for ghost text and the probability panel', matchOnDetail: true });
    if (!picked || picked.id === current) return;
    await store(picked.id);
  });
}

/** Stores the choice where the user keeps it: the workspace if it is set there, else the user settings. */
async function store(id: string): Promise<void> {
  const config = vscode.workspace.getConfiguration('nextToken');
  const inspect = config.inspect('model');
  const target = inspect?.workspaceValue !== undefined ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  await config.update('model', id, target);
}
