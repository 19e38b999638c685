/**
 * Fill-in-the-middle in the real editor: with a model that has the FIM tokens (the committed
 * random fixture: this checks the request path, not suggestion quality), ghost text and the
 * panel send the text after the cursor and the worker reads it in the SPM context: as many
 * suffix tokens as the engine's own layout of that text gives, a different count when the
 * lines below change, none where nothing follows the cursor.
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { suite, suiteSetup, suiteTeardown, test } from 'mocha';
import * as vscode from 'vscode';
import { loadModel } from '../../src/engine';
import { readModelFiles } from '../../src/node/modelFolder';
import type { NextTokenApi } from '../../src/setup';
import { healedContext } from '../../src/worker/completionEngine';
import { activate, closeAllEditors, getExtension, openUntitled, waitFor } from './helpers';

suite('fill-in-the-middle', () => {
  let api: NextTokenApi;
  const config = () => vscode.workspace.getConfiguration('nextToken');
  const fixture = path.join(getExtension().extensionPath, 'test', 'fixtures', 'gpt-random-fim');
  const id = `folder:${fixture}`;
  // The engine's own reading of the same text, to compare the worker's answers with.
  const model = loadModel(readModelFiles(fixture));
  const expectedSuffixTokens = (prefix: string, suffix: string) => healedContext(model, prefix, suffix).suffixTokens;

  suiteSetup(async () => {
    api = (await activate()) as unknown as NextTokenApi;
    await config().update('modelFolders', [fixture], vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('nextToken.selectModel', id);
    await waitFor(() => api.models.readyId === id, 'the FIM fixture model is ready');
  });

  suiteTeardown(async () => {
    api.panel()?.dispose();
    await config().update('model', undefined, vscode.ConfigurationTarget.Global);
    await config().update('modelFolders', undefined, vscode.ConfigurationTarget.Global);
    // The suites after this one start from the bundled default model, not from the fixture.
    await waitFor(() => api.models.readyId !== undefined && api.models.readyId !== id, 'back on a bundled model');
    await closeAllEditors();
  });

  /** Asks for ghost text between `prefix` and `suffix` and returns how many suffix tokens the answer read. */
  async function suffixTokensAt(prefix: string, suffix: string): Promise<number | undefined> {
    const editor = await openUntitled('typescript', prefix + suffix);
    const at = editor.document.positionAt(prefix.length);
    editor.selection = new vscode.Selection(at, at);
    const answers = api.test.ghostText.suffixTokens.length;
    const timesBefore = api.test.ghostText.timesMs.length;
    await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
    await waitFor(() => api.test.ghostText.timesMs.length > timesBefore, 'ghost text was answered');
    return api.test.ghostText.suffixTokens[answers];
  }

  test('ghost text sends the lines after the cursor and the worker reads them; other lines below, another count; none at the end', async () => {
    const prefix = 'function add(a: number, b: number) {\n  return a';
    const suffix = ';\n}\n\nexport { add };\n';
    const read = await suffixTokensAt(prefix, suffix);
    const expected = expectedSuffixTokens(prefix, suffix);
    assert.ok(expected > 5);
    assert.equal(read, expected, 'the suffix the worker read is the text after the cursor');

    const longer = ';\n}\n\nfunction sub(a: number, b: number) {\n  return a - b;\n}\n\nexport { add, sub };\n';
    const readLonger = await suffixTokensAt(prefix, longer);
    assert.equal(readLonger, expectedSuffixTokens(prefix, longer));
    assert.notEqual(readLonger, read, 'the lines below changed: so did what the model read');

    // A CRLF document: the suffix reaches the model with LF, the same tokens.
    const crlf = await suffixTokensAt(prefix.replace(/\n/g, '\r\n'), suffix.replace(/\n/g, '\r\n'));
    assert.equal(crlf, expected);

    assert.equal(await suffixTokensAt(prefix, ''), undefined, 'nothing after the cursor: left to right');
  });

  test('the panel reads the suffix too and says so', async () => {
    const prefix = 'const total = items.reduce((sum, item) => sum + item.price, 0);\nconsole.log(';
    const suffix = ');\nexport default total;\n';
    const editor = await openUntitled('typescript', prefix + suffix);
    const at = editor.document.positionAt(prefix.length);
    editor.selection = new vscode.Selection(at, at);
    await vscode.commands.executeCommand('nextToken.showPanel');
    await waitFor(() => api.panel(), 'the panel is open');
    const expected = expectedSuffixTokens(prefix, suffix);
    const update = await waitFor(() => {
      const last = [...api.test.panelMessages].reverse().find((m) => m.type === 'update');
      return last?.type === 'update' && last.update.suffixTokens !== undefined ? last.update : undefined;
    }, 'a panel update that read the suffix');
    assert.equal(update.suffixTokens, expected);
  });
});
