/**
 * No network: inside the real extension host, every Node network entry point (http, https,
 * net, tls, dns, fetch, WebSocket) is replaced by a stub that records its caller and throws.
 * With those in place the extension reloads its model from disk, restarts its engine worker
 * and gives ghost text and panel predictions; afterwards no stub was called from the
 * extension's code. (The worker's own isolate cannot be patched from here; its bundle is
 * checked for network code by test/unit/noNetwork.test.ts, and the CLI runs under
 * `unshare -n` in test/unit/offlineCli.test.ts.)
 */
import * as assert from 'node:assert/strict';
import { suite, suiteSetup, suiteTeardown, test } from 'mocha';
import * as vscode from 'vscode';
import type { NextTokenApi } from '../../src/setup';
import { activate, closeAllEditors, getExtension, openUntitled, waitFor } from './helpers';

// The modules themselves (an `import * as` namespace is a read-only copy): patches made here
// are what every require('node:http') in this process sees.
/* eslint-disable @typescript-eslint/no-require-imports */
const dns = require('node:dns') as typeof import('node:dns');
const http = require('node:http') as typeof import('node:http');
const https = require('node:https') as typeof import('node:https');
const net = require('node:net') as typeof import('node:net');
const tls = require('node:tls') as typeof import('node:tls');

type Patch = { target: Record<string, unknown>; key: string; original: unknown };

/** Replaces each network function by a throwing stub; returns the calls and an undo. */
function cutTheNetwork(): { calls: string[]; restore(): void } {
  const calls: string[] = [];
  const patches: Patch[] = [];
  const stub = (target: object, key: string, name: string) => {
    const t = target as Record<string, unknown>;
    if (typeof t[key] !== 'function') return;
    patches.push({ target: t, key, original: t[key] });
    t[key] = function offline(): never {
      calls.push(`${name}\n${new Error().stack}`);
      throw new Error(`network disabled by the test: ${name}`);
    };
  };
  for (const [mod, name] of [[http, 'http'], [https, 'https']] as const) {
    stub(mod, 'request', `${name}.request`);
    stub(mod, 'get', `${name}.get`);
  }
  stub(net, 'connect', 'net.connect');
  stub(net, 'createConnection', 'net.createConnection');
  stub(net.Socket.prototype, 'connect', 'net.Socket#connect');
  stub(tls, 'connect', 'tls.connect');
  stub(dns, 'lookup', 'dns.lookup');
  stub(dns, 'resolve', 'dns.resolve');
  stub(dns.promises, 'lookup', 'dns.promises.lookup');
  stub(globalThis, 'fetch', 'fetch');
  stub(globalThis, 'WebSocket', 'WebSocket');
  return {
    calls,
    restore: () => {
      for (const p of patches.reverse()) p.target[p.key] = p.original;
    },
  };
}

suite('offline', () => {
  let api: NextTokenApi;

  suiteSetup(async () => {
    api = (await activate()) as unknown as NextTokenApi;
    await waitFor(() => api.models.readyId !== undefined, 'a model is ready');
  });

  suiteTeardown(async () => {
    await vscode.workspace.getConfiguration('nextToken').update('model', undefined, vscode.ConfigurationTarget.Global);
    await closeAllEditors();
  });

  test('with every network function throwing, models load, the worker restarts and ghost text and the panel work', async function () {
    this.timeout(90_000);
    const first = api.models.readyId!;
    const other = first === 'ngram-code' ? 'gpt-code-tiny' : 'ngram-code';
    const network = cutTheNetwork();
    let shown = 0;
    let predicted = false;
    try {
      // The stubs are live for everyone in this process (this call is the test's, not the extension's).
      assert.throws(() => http.get('http://127.0.0.1:9/'), /network disabled/);
      assert.throws(() => fetch('http://127.0.0.1:9/'), /network disabled/);
      // A model switch reads the model from disk and loads it in the worker.
      await vscode.workspace.getConfiguration('nextToken').update('model', other, vscode.ConfigurationTarget.Global);
      await waitFor(() => api.models.readyId === other, `${other} loads offline`, 30_000);
      // A killed worker comes back with its model, offline.
      await api.client.terminateWorkerForTest();
      const editor = await openUntitled('go', 'package main\n\nimport "fmt"\n\nfunc main() {\n\tfmt.');
      const before = api.test.ghostText.shown;
      await waitFor(async () => {
        const end = editor.document.positionAt(editor.document.getText().length);
        editor.selection = new vscode.Selection(end, end);
        await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
        return api.test.ghostText.shown > before;
      }, 'ghost text offline', 30_000, 250);
      shown = api.test.ghostText.shown - before;
      const p = await api.client.predict({ text: 'func main() {', topK: 5, attention: false, contextChips: 8 });
      predicted = p.ok && p.value.probs.length > 0;
    } finally {
      network.restore();
    }
    assert.ok(predicted, 'the panel prediction works offline');
    // The extension's code is its bundle, dist/ (this test's own frames live in out/).
    const bundle = `${getExtension().extensionPath}/dist/`;
    const ours = network.calls.filter((c) => c.includes(bundle));
    console.log(`[measure] offline: ${shown} ghost texts shown with the network cut; network calls from the extension: ${ours.length}; from elsewhere (this test's own 2 probes included): ${network.calls.length - ours.length}`);
    assert.deepEqual(ours, [], 'the extension never called a network function');
  });
});
