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

/** A worker script read through the workspace file system, as a blob URL (same origin everywhere). */
async function scriptUrl(extensionUri: vscode.Uri, name: string): Promise<string> {
  const source = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(extensionUri, 'dist', 'web', name));
  return URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
}

async function webWorkerFactory(extensionUri: vscode.Uri): Promise<() => EngineWorker> {
  const url = await scriptUrl(extensionUri, 'engineWorker.js');
  // The engine worker starts its helper thread from this script, where the page allows it (cross-origin isolated).
  const helperUrl = await scriptUrl(extensionUri, 'kernelHelper.js');
  return () => {
    const worker = new Worker(url);
    return {
      postMessage: (message, transfer) => worker.postMessage(message.type === 'load' ? { ...message, helperUrl } : message, transfer ?? []),
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
