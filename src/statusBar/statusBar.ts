/**
 * The status bar item: the active model and its state (loading, ready, snoozed, off, off for
 * this language, error), the last time to ghost text and the confidence of the suggestion.
 * Clicking opens a menu: switch model, open the panel, toggle, snooze.
 */
import * as vscode from 'vscode';
import type { AdaptationStats } from '../completion/adaptationStats';
import type { LastSuggestion } from '../completion/provider';
import { isEnabledFor } from '../completion/settings';
import type { ActivationState } from '../completion/toggle';
import type { ModelManager } from '../models/modelManager';

export function registerStatusBar(manager: ModelManager, active: ActivationState, onDidSuggest: vscode.Event<LastSuggestion>, adaptation: AdaptationStats): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('nextToken.model', vscode.StatusBarAlignment.Right, 100);
  item.name = 'Next Token';
  item.command = 'nextToken.statusMenu';
  let last: LastSuggestion | undefined;
  const update = () => {
    const s = manager.state;
    const language = vscode.window.activeTextEditor?.document.languageId;
    if (s.kind === 'loading') {
      item.text = `$(loading~spin) ${s.entry.displayName}`;
      item.tooltip = `Next Token: loading ${s.entry.displayName}…`;
    } else if (s.kind === 'error') {
      item.text = '$(warning) Next Token';
      item.tooltip = `Next Token: ${s.message}`;
    } else {
      const i = s.info;
      const shape = i.kind === 'transformer' ? `${i.layers} layers × ${i.heads} heads, M = ${i.width}` : `order ${i.order}`;
      let state: string;
      if (!active.globallyEnabled()) {
        item.text = `$(circle-slash) ${s.entry.displayName}`;
        state = 'ghost text off';
      } else if (active.snoozedMinutes() > 0) {
        item.text = `$(clock) ${s.entry.displayName}`;
        state = `snoozed for ${active.snoozedMinutes()} more minutes`;
      } else if (language && !isEnabledFor(language)) {
        item.text = `$(circle-slash) ${s.entry.displayName}`;
        state = `ghost text off for ${language}`;
      } else {
        const figures = last ? ` · ${last.ms.toFixed(0)} ms${last.confidence !== undefined ? ` · ${(last.confidence * 100).toFixed(0)}%` : ''}` : '';
        item.text = `$(sparkle) ${s.entry.displayName}${figures}`;
        state = 'ghost text on';
      }
      const lastLine = last
        ? `Last suggestion: ${last.ms.toFixed(1)} ms, ${last.tokensPerSecond.toFixed(0)} tokens/s${last.confidence !== undefined ? `, confidence ${(last.confidence * 100).toFixed(1)}% (product of its token probabilities)` : ''}`
        : 'No suggestion yet.';
      item.tooltip = new vscode.MarkdownString(
        `**Next Token** — ${state}\n\n${s.entry.displayName}: ${shape}, L = ${i.vocabSize}, ${i.parameters.toLocaleString('en-US')} parameters, ${s.threads} thread${s.threads > 1 ? 's' : ''}\n\n${lastLine}\n\nLearning from ${adaptation.describe()}.\n\nClick for the menu.`,
      );
    }
    item.accessibilityInformation = { label: `Next Token: ${item.text.replace(/\$\([^)]*\)\s*/g, '')}` };
    item.show();
  };
  update();
  return vscode.Disposable.from(
    item,
    manager.onDidChange(update),
    active.onDidChange(update),
    vscode.window.onDidChangeActiveTextEditor(update),
    vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration('nextToken.enable') && update()),
    adaptation.onDidChange(update),
    onDidSuggest((s) => {
      last = s;
      update();
    }),
    vscode.commands.registerCommand('nextToken.statusMenu', async () => {
      const on = active.isActive();
      const picks: Array<vscode.QuickPickItem & { command: string; args?: unknown[] }> = [
        {
          label: `$(book) Learning from ${adaptation.describe()}`,
          detail: 'The open files and the workspace\'s files (imports of the current file first) teach every code model its names. Click for the settings.',
          command: 'workbench.action.openSettings',
          args: ['nextToken.adapt'],
        },
        { label: '$(symbol-class) Select Model…', command: 'nextToken.selectModel' },
        { label: '$(graph) Show Probability Panel', command: 'nextToken.showPanel' },
        { label: on ? '$(circle-slash) Disable Ghost Text' : '$(sparkle) Enable Ghost Text', command: on ? 'nextToken.disable' : 'nextToken.enable' },
        { label: '$(clock) Snooze Ghost Text…', command: 'nextToken.snooze' },
      ];
      const picked = await vscode.window.showQuickPick(picks, { title: 'Next Token' });
      if (picked) await vscode.commands.executeCommand(picked.command, ...(picked.args ?? []));
    }),
  );
}
