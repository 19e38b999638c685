/** How much the models are learning from the user's files now, for the status bar's menu. */
import * as vscode from 'vscode';

export interface CountedFiles {
  files: number;
  tokens: number;
}

export class AdaptationStats implements vscode.Disposable {
  open: CountedFiles = { files: 0, tokens: 0 };
  workspace: CountedFiles & { indexMs?: number } = { files: 0, tokens: 0 };
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChange = this.emitter.event;

  setOpen(counted: CountedFiles): void {
    this.open = counted;
    this.emitter.fire();
  }

  setWorkspace(counted: CountedFiles & { indexMs?: number }): void {
    this.workspace = counted;
    this.emitter.fire();
  }

  /** "12 open files and 340 workspace files (183,000 tokens)". */
  describe(): string {
    const n = (x: number, one: string) => `${x.toLocaleString('en-US')} ${one}${x === 1 ? '' : 's'}`;
    return `${n(this.open.files, 'open file')} and ${n(this.workspace.files, 'workspace file')} (${(this.open.tokens + this.workspace.tokens).toLocaleString('en-US')} tokens)`;
  }

  dispose(): void {
    this.emitter.dispose();
  }
}
