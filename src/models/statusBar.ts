/** The status bar item: the active model (or loading / off / error); click to pick a model. */
import * as vscode from 'vscode';
import type { ModelManager } from './modelManager';

export function registerStatusBar(manager: ModelManager, isActive: () => boolean, onDidChangeActive: vscode.Event<void>): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('nextToken.model', vscode.StatusBarAlignment.Right, 100);
  item.name = 'Next Token';
  item.command = 'nextToken.selectModel';
  const update = () => {
    const s = manager.state;
    if (s.kind === 'loading') {
      item.text = `$(loading~spin) ${s.entry.displayName}`;
      item.tooltip = `Next Token: loading ${s.entry.displayName}…`;
    } else if (s.kind === 'error') {
      item.text = '$(warning) Next Token';
      item.tooltip = `Next Token: ${s.message}`;
    } else {
      item.text = `${isActive() ? '$(sparkle)' : '$(circle-slash)'} ${s.entry.displayName}`;
      const i = s.info;
      const shape = i.kind === 'transformer' ? `${i.layers} layers × ${i.heads} heads, M = ${i.width}` : `order ${i.order}`;
      item.tooltip = new vscode.MarkdownString(
        `**Next Token** — ${isActive() ? 'ghost text on' : 'ghost text off'}\n\n${s.entry.displayName}: ${shape}, L = ${i.vocabSize}, ` +
          `${i.parameters.toLocaleString('en-US')} parameters\n\nClick to choose a model.`,
      );
    }
    item.accessibilityInformation = { label: `Next Token model: ${item.text.replace(/\$\([^)]*\)\s*/g, '')}` };
    item.show();
  };
  update();
  return vscode.Disposable.from(item, manager.onDidChange(update), onDidChangeActive(update));
}
