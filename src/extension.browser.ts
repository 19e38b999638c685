/** The web entry (vscode.dev, github.dev, code-server's web extension host): the engine runs in a Web Worker. */
import * as vscode from 'vscode';
import type { EngineWorker } from './worker/engineClient';
import type { WorkerRequest, WorkerResponse } from './worker/protocol';
import { setup, type NextTokenApi } from './setup';

interface WebWorker {
  postMessage(message: WorkerRequest, transfer: ArrayBuffer[]): void;
  addEventListener(type: 'message', listener: (event: { data: WorkerResponse }) => void): void;
  addEventListener(type: 'error', listener: (event: { message?: string }) => void): void;
  terminate(): void;
}
declare const Worker: new (url: string) => WebWorker;
declare const Blob: new (parts: Uint8Array[], options: { type: string }) => unknown;
declare const URL: { createObjectURL(blob: unknown): string };

/** The worker script is read through the workspace file system and started from a blob URL (same origin everywhere). */
async function webWorkerFactory(extensionUri: vscode.Uri): Promise<() => EngineWorker> {
  const source = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(extensionUri, 'dist', 'web', 'engineWorker.js'));
  const url = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
  return () => {
    const worker = new Worker(url);
    return {
      postMessage: (message, transfer) => worker.postMessage(message, transfer ?? []),
      onMessage: (listener) => worker.addEventListener('message', (event) => listener(event.data)),
      onDeath: (listener) => worker.addEventListener('error', (event) => listener(`engine worker failed: ${event.message ?? 'unknown error'}`)),
      terminate: () => worker.terminate(),
    };
  };
}

export async function activate(context: vscode.ExtensionContext): Promise<NextTokenApi> {
  return setup(context, await webWorkerFactory(context.extensionUri));
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
