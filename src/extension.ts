import * as vscode from 'vscode';

export function activate(context: vscode.ExtensionContext): void {
  console.log('Next Token activated');
  void context;
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
