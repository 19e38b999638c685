/** Faults and odd input in the real editor: a killed engine comes back; huge and odd files get bounded answers. */
import * as assert from 'node:assert/strict';
import { suite, suiteSetup, suiteTeardown, test } from 'mocha';
import * as vscode from 'vscode';
import type { NextTokenApi } from '../../src/setup';
import { activate, closeAllEditors, openUntitled, triggerAndWaitForAnswer, waitFor, watchProvider, type ProviderWatch } from './helpers';

/** The longest a request may take to be answered, suggestion or deliberate refusal. */
const BOUND_MS = 15_000;

suite('reliability', () => {
  let api: NextTokenApi;
  /** Every call VS Code makes to the provider and when it was answered. */
  let provider: ProviderWatch;

  suiteSetup(async () => {
    api = (await activate()) as unknown as NextTokenApi;
    await waitFor(() => api.models.readyId !== undefined, 'a model is ready');
    provider = watchProvider(api.provider);
  });

  suiteTeardown(async () => {
    provider.dispose();
    await closeAllEditors();
  });

  /**
   * Asks for ghost text at the end of the editor's text; resolves with the milliseconds until
   * the provider answered (with a suggestion, or deliberately none: binary, disabled...).
   */
  async function ask(editor: vscode.TextEditor): Promise<number> {
    const end = editor.document.positionAt(editor.document.getText().length);
    editor.selection = new vscode.Selection(end, end);
    const started = Date.now();
    const answer = await triggerAndWaitForAnswer(provider, BOUND_MS);
    return answer.settledAt! - started;
  }

  test('a killed engine worker is restarted with the same model and answers again', async () => {
    const model = api.models.readyId;
    await api.client.terminateWorkerForTest();
    const editor = await openUntitled('go', 'package main\n\nimport "fmt"\n\nfunc main() {\n\tfmt.');
    await waitFor(async () => {
      const shown = api.test.ghostText.shown;
      await ask(editor);
      return api.test.ghostText.shown > shown;
    }, 'ghost text after the restart', 30_000);
    assert.equal(api.models.readyId, model, 'the same model is active');
  });

  test('huge files, a 1 MB line, binary content and odd Unicode get bounded-time answers and are never written to', async () => {
    const cases: Array<[string, string]> = [
      ['20 MB file', 'const a = 1;\n'.repeat(20 * 1024 * 1024 / 13)],
      ['1 MB line', 'x'.repeat(1024 * 1024)],
      ['binary', 'abc\u0000\u0001\u0002\u00ff\ufffd'.repeat(1000)],
      ['mixed line endings', 'a = 1\r\nb = 2\nc = 3\r\n'.repeat(100)],
      ['CJK, emoji, combining marks, surrogate pairs', '我爱你 🙂👍🏽 e\u0301 𝒳 '.repeat(200)],
    ];
    for (const [name, text] of cases) {
      const editor = await openUntitled('go', text);
      // VS Code gives a document one end-of-line sequence: compare with line endings normalised.
      const same = () => editor.document.getText().replace(/\r\n/g, '\n') === text.replace(/\r\n/g, '\n');
      assert.ok(same(), `${name}: the editor shows the new document`);
      const ms = await ask(editor);
      // (a boolean check: a failing deepEqual would print megabytes)
      assert.ok(same(), `${name}: the document is unchanged`);
      console.log(`[measure] ${name}: answered in ${ms} ms`);
      assert.ok(ms < BOUND_MS, `${name}: a bounded-time answer`);
    }
  });
});
