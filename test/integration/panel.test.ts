/** The probability panel receives the model's full vector for the text before the cursor. */
import * as assert from 'node:assert/strict';
import { suite, suiteSetup, suiteTeardown, test } from 'mocha';
import * as vscode from 'vscode';
import type { NextTokenApi } from '../../src/setup';
import { activate, closeAllEditors, openUntitled, waitFor } from './helpers';

suite('probability panel', () => {
  let api: NextTokenApi;

  suiteSetup(async () => {
    api = (await activate()) as unknown as NextTokenApi;
    await vscode.workspace.getConfiguration('nextToken').update('model', 'toy-dogspeak', vscode.ConfigurationTarget.Global);
    await waitFor(() => api.models.readyId === 'toy-dogspeak', 'toy model ready');
  });

  suiteTeardown(async () => {
    api.panel()?.dispose();
    await vscode.workspace.getConfiguration('nextToken').update('model', undefined, vscode.ConfigurationTarget.Global);
    await closeAllEditors();
  });

  test("shows the seed's vector [0, 0, 0, 0.6, 0.3, 0.1] for the toy model, and follows the cursor", async () => {
    const editor = await openUntitled('plaintext', '我 刚才 跑步,我 现在');
    const end = editor.document.lineAt(0).range.end;
    editor.selection = new vscode.Selection(end, end);
    await vscode.commands.executeCommand('nextToken.showPanel');
    await waitFor(() => api.panel(), 'the panel is open');
    const update = (await waitFor(() => {
      const last = [...api.test.panelMessages].reverse().find((m) => m.type === 'update');
      return last?.type === 'update' && last.update.contextLength === 5 ? last.update : undefined;
    }, 'an update for the whole sentence'))!;
    assert.deepEqual(Array.from(update.probs, (p) => Math.round(p * 1000) / 1000), [0, 0, 0, 0.6, 0.3, 0.1]);
    assert.deepEqual(update.top.slice(0, 3).map((t) => t.text), ['吃饭', '睡觉', '跑步']);
    assert.equal(update.model.vocabSize, 6);
    assert.deepEqual(update.tokens.map((t) => t.text), ['我', '刚才', '跑步', '我', '现在']);
    assert.ok(api.test.panelMessages.some((m) => m.type === 'vocabulary' && m.tokens.length === 6), 'the vocabulary was sent for search');

    // Move the cursor after "我": the vector changes to P(next | 我).
    const afterFirst = new vscode.Position(0, 1);
    editor.selection = new vscode.Selection(afterFirst, afterFirst);
    const moved = (await waitFor(() => {
      const last = [...api.test.panelMessages].reverse().find((m) => m.type === 'update');
      return last?.type === 'update' && last.update.contextLength === 1 ? last.update : undefined;
    }, 'an update after the cursor moved'))!;
    assert.deepEqual(Array.from(moved.probs, (p) => Math.round(p * 1000) / 1000), [0, 0.5, 0.5, 0, 0, 0]);
  });

  test('the command re-reveals the one panel instead of opening a second', async () => {
    await vscode.commands.executeCommand('nextToken.showPanel');
    const first = api.panel();
    await vscode.commands.executeCommand('nextToken.showPanel');
    assert.equal(api.panel(), first);
  });
});
