/**
 * Typing in the real editor: every keystroke asks for ghost text; the document ends up
 * exactly as typed, and the time to ghost text is reported (a measurement, not a timed test).
 */
import * as assert from 'node:assert/strict';
import { suite, suiteSetup, suiteTeardown, test } from 'mocha';
import * as vscode from 'vscode';
import type { NextTokenApi } from '../../src/setup';
import { activate, closeAllEditors, openUntitled, percentile, waitFor } from './helpers';

const SNIPPET = `export function total(items: Array<{ price: number; quantity: number }>): number {
  let sum = 0;
  for (const item of items) {
    sum += item.price * item.quantity;
  }
  return sum;
}
`;

suite('typing', () => {
  let api: NextTokenApi;

  suiteSetup(async () => {
    api = (await activate()) as unknown as NextTokenApi;
    await waitFor(() => api.models.readyId !== undefined, 'a model is ready');
  });

  suiteTeardown(() => closeAllEditors());

  test('a snippet typed key by key ends up exactly as typed; time to ghost text is reported', async function () {
    // Each keystroke is a real edit, a real trigger and a wait for the provider: about 200 of them.
    this.timeout(180_000);
    const editor = await openUntitled('go', '');
    const before = api.test.ghostText.timesMs.length;
    for (const ch of SNIPPET) {
      const requests = api.test.ghostText.requests;
      const end = editor.document.positionAt(editor.document.getText().length);
      const ok = await editor.edit((b) => b.insert(end, ch), { undoStopBefore: false, undoStopAfter: false });
      assert.ok(ok, 'the edit was applied');
      const at = editor.document.positionAt(editor.document.getText().length);
      editor.selection = new vscode.Selection(at, at);
      await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
      await waitFor(() => api.test.ghostText.requests > requests, 'the provider was asked after the keystroke');
    }
    assert.equal(editor.document.getText(), SNIPPET, 'nothing but the typed text is in the document');
    await waitFor(() => api.test.ghostText.timesMs.length > before + SNIPPET.length / 2, 'most keystrokes were answered');
    const times = api.test.ghostText.timesMs.slice(before);
    console.log(`[measure] ${api.models.readyId}: ${SNIPPET.length} keystrokes, ${times.length} answers, time to ghost text p50 ${percentile(times, 50).toFixed(1)} ms, p90 ${percentile(times, 90).toFixed(1)} ms, cache hits ${api.test.ghostText.cacheHits}`);
  });
});
