/** Ghost text from the bundled model in the real editor: asked for, shown, committed into the document. */
import * as assert from 'node:assert/strict';
import { suite, suiteSetup, suiteTeardown, test } from 'mocha';
import * as vscode from 'vscode';
import type { NextTokenApi } from '../../src/setup';
import { activate, closeAllEditors, openUntitled, triggerAndWaitForAnswer, waitFor, watchProvider, type ProviderWatch } from './helpers';

suite('ghost text', () => {
  let api: NextTokenApi;
  /** Every call VS Code makes to the provider and its answer: "it answered" is a condition to wait for. */
  let provider: ProviderWatch;
  const config = () => vscode.workspace.getConfiguration('nextToken');

  suiteSetup(async () => {
    api = (await activate()) as unknown as NextTokenApi;
    provider = watchProvider(api.provider);
  });

  suiteTeardown(async () => {
    provider.dispose();
    await config().update('model', undefined, vscode.ConfigurationTarget.Global);
    await closeAllEditors();
  });

  async function useModel(id: string): Promise<void> {
    await config().update('model', id, vscode.ConfigurationTarget.Global);
    await waitFor(() => api.models.readyId === id, `model ${id} is ready`);
  }

  test("the toy model's most probable word is suggested and Tab-commit inserts it", async () => {
    await useModel('toy-dogspeak');
    const editor = await openUntitled('go', '我 刚才 跑步,我 现在 ');
    const end = editor.document.lineAt(0).range.end;
    editor.selection = new vscode.Selection(end, end);
    const shownBefore = api.test.ghostText.shown;
    await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
    await waitFor(() => api.test.ghostText.shown > shownBefore, 'the provider returned ghost text');
    await waitFor(async () => {
      await vscode.commands.executeCommand('editor.action.inlineSuggest.commit');
      // The suggestion continues past the first word (up to nextToken.maxTokens); it starts with the best one.
      return editor.document.getText().startsWith('我 刚才 跑步,我 现在 吃饭');
    }, 'the committed suggestion is in the document');
  });

  test('no suggestion is offered in the middle of a word that is followed by more text', async () => {
    await useModel('toy-dogspeak');
    const editor = await openUntitled('go', '我 刚才 foo');
    const at = new vscode.Position(0, 4);
    editor.selection = new vscode.Selection(at, at);
    const requests = api.test.ghostText.requests;
    const shown = api.test.ghostText.shown;
    // Answered, not only asked: a suggestion would have been counted by now.
    await triggerAndWaitForAnswer(provider);
    assert.ok(api.test.ghostText.requests > requests, 'the provider was asked');
    assert.equal(api.test.ghostText.shown, shown, 'nothing is shown before "foo"');
    assert.equal(editor.document.getText(), '我 刚才 foo');
  });

  test('disabling ghost text for a language is honoured', async () => {
    await useModel('toy-dogspeak');
    await config().update('enable', { '*': true, go: false }, vscode.ConfigurationTarget.Global);
    try {
      const editor = await openUntitled('go', '我 刚才 跑步,我 现在 ');
      const end = editor.document.lineAt(0).range.end;
      editor.selection = new vscode.Selection(end, end);
      const shown = api.test.ghostText.shown;
      const requests = api.test.ghostText.requests;
      // Answered, not only asked: otherwise the commit below could run before a suggestion exists.
      await triggerAndWaitForAnswer(provider);
      assert.ok(api.test.ghostText.requests > requests, 'the provider was asked');
      await vscode.commands.executeCommand('editor.action.inlineSuggest.commit');
      assert.equal(api.test.ghostText.shown, shown);
      assert.equal(editor.document.getText(), '我 刚才 跑步,我 现在 ');
    } finally {
      await config().update('enable', undefined, vscode.ConfigurationTarget.Global);
    }
  });
});
