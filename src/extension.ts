/** The Node entry: the engine runs in a worker thread. */
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type * as vscode from 'vscode';
import type { EngineWorker } from './worker/engineClient';
import { setup, type NextTokenApi } from './setup';

function nodeWorker(extensionPath: string): EngineWorker {
  const worker = new Worker(path.join(extensionPath, 'dist', 'engineWorker.js'), {
    // The model's memory lives in the worker, away from the extension host's heap.
    resourceLimits: { maxOldGenerationSizeMb: 1024 },
  });
  let dead = false;
  return {
    postMessage: (message, transfer) => worker.postMessage(message, transfer ?? []),
    onMessage: (listener) => worker.on('message', listener),
    onDeath: (listener) => {
      const once = (reason: string) => {
        if (!dead) listener(reason);
        dead = true;
      };
      worker.on('error', (e) => once(`engine worker failed: ${e.message}`));
      worker.on('exit', (code) => once(`engine worker exited with code ${code}`));
    },
    terminate: () => worker.terminate(),
  };
}

export function activate(context: vscode.ExtensionContext): Promise<NextTokenApi> {
  return setup(context, () => nodeWorker(context.extensionPath));
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
