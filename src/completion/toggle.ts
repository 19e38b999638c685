/** On/off state of ghost text: enable, disable, toggle, snooze for N minutes. */
import * as vscode from 'vscode';

export class ActivationState implements vscode.Disposable {
  private snoozedUntil = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChange = this.emitter.event;

  /** Minutes left of a snooze (0 when not snoozed). */
  snoozedMinutes(): number {
    return Math.max(0, Math.ceil((this.snoozedUntil - Date.now()) / 60_000));
  }

  isActive(): boolean {
    return this.globallyEnabled() && Date.now() >= this.snoozedUntil;
  }

  globallyEnabled(): boolean {
    const map = vscode.workspace.getConfiguration('nextToken').get<Record<string, unknown>>('enable') ?? {};
    return map['*'] !== false;
  }

  async setEnabled(on: boolean): Promise<void> {
    this.snoozedUntil = 0;
    const config = vscode.workspace.getConfiguration('nextToken');
    const map = { ...(config.get<Record<string, boolean>>('enable') ?? {}), '*': on };
    await config.update('enable', map, vscode.ConfigurationTarget.Global);
    this.emitter.fire();
  }

  snooze(minutes: number): void {
    this.snoozedUntil = Date.now() + minutes * 60_000;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.emitter.fire(), minutes * 60_000 + 50);
    this.emitter.fire();
  }

  changed(): void {
    this.emitter.fire();
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.emitter.dispose();
  }
}

export function registerToggleCommands(state: ActivationState): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.commands.registerCommand('nextToken.enable', () => state.setEnabled(true)),
    vscode.commands.registerCommand('nextToken.disable', () => state.setEnabled(false)),
    vscode.commands.registerCommand('nextToken.toggle', () => state.setEnabled(!state.isActive())),
    vscode.commands.registerCommand('nextToken.snooze', async (minutes?: number) => {
      if (typeof minutes !== 'number') {
        const picked = await vscode.window.showQuickPick(['5', '15', '30', '60'].map((m) => ({ label: `${m} minutes`, minutes: Number(m) })), {
          title: 'Next Token: Snooze ghost text for…',
        });
        if (!picked) return;
        minutes = picked.minutes;
      }
      state.snooze(Math.max(0, Math.min(24 * 60, minutes)));
    }),
    vscode.commands.registerCommand('nextToken.trigger', () => vscode.commands.executeCommand('editor.action.inlineSuggest.trigger')),
  );
}
