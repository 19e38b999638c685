/** Switching models through the command: completions follow; a broken folder keeps the current model. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { suite, suiteSetup, suiteTeardown, test } from 'mocha';
import * as vscode from 'vscode';
import type { NextTokenApi } from '../../src/setup';
import { activate, closeAllEditors, getExtension, openUntitled, waitFor } from './helpers';

suite('model switching', () => {
  let api: NextTokenApi;
  const config = () => vscode.workspace.getConfiguration('nextToken');
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'next-token-models-'));

  suiteSetup(async () => {
    api = (await activate()) as unknown as NextTokenApi;
  });

  suiteTeardown(async () => {
    await config().update('model', undefined, vscode.ConfigurationTarget.Global);
    await config().update('modelFolders', undefined, vscode.ConfigurationTarget.Global);
    await config().update('threads', undefined, vscode.ConfigurationTarget.Global);
    await closeAllEditors();
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  async function suggestionFor(text: string): Promise<string> {
    const editor = await openUntitled('go', text);
    const end = editor.document.positionAt(text.length);
    editor.selection = new vscode.Selection(end, end);
    const shown = api.test.ghostText.shown;
    await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
    await waitFor(() => api.test.ghostText.shown > shown, 'ghost text was shown');
    await waitFor(async () => {
      await vscode.commands.executeCommand('editor.action.inlineSuggest.commit');
      return editor.document.getText() !== text;
    }, 'the suggestion was committed');
    return editor.document.getText().slice(text.length);
  }

  test('the command switches to the toy model and its words are suggested', async () => {
    await vscode.commands.executeCommand('nextToken.selectModel', 'toy-dogspeak');
    await waitFor(() => api.models.readyId === 'toy-dogspeak', 'toy-dogspeak is ready');
    assert.equal(config().get('model'), 'toy-dogspeak', 'the choice is stored in nextToken.model');
    const added = await suggestionFor('我 刚才 跑步,我 现在 ');
    assert.ok(added.startsWith('吃饭'), `the toy model's word: ${JSON.stringify(added)}`);
  });

  test('switching back to the code n-gram model: completions come from it', async () => {
    await vscode.commands.executeCommand('nextToken.selectModel', 'ngram-code');
    await waitFor(() => api.models.readyId === 'ngram-code', 'ngram-code is ready');
    const added = await suggestionFor('import * as path from "node:path";\nimport * as fs from "node:');
    assert.ok(added.length > 0 && !/[我刚才现在吃饭睡觉跑步]/.test(added), `a code suggestion: ${JSON.stringify(added)}`);
  });

  test("a user's folder in the GPT-2 layout loads; a broken one is refused and the current model stays", async () => {
    const good = path.join(scratch, 'my-model');
    fs.mkdirSync(good);
    const source = path.join(getExtension().extensionPath, 'models', 'toy-dogspeak');
    for (const f of ['config.json', 'model.safetensors', 'tokenizer.json']) fs.copyFileSync(path.join(source, f), path.join(good, f));
    const broken = path.join(scratch, 'broken-model');
    fs.mkdirSync(broken);
    for (const f of ['config.json', 'tokenizer.json']) fs.copyFileSync(path.join(source, f), path.join(broken, f));
    fs.writeFileSync(path.join(broken, 'model.safetensors'), Buffer.from('this is not a safetensors file'));
    await config().update('modelFolders', [good, broken], vscode.ConfigurationTarget.Global);

    await vscode.commands.executeCommand('nextToken.selectModel', `folder:${good}`);
    await waitFor(() => api.models.readyId === `folder:${good}`, 'the user folder model is ready');

    await vscode.commands.executeCommand('nextToken.selectModel', 'ngram-code');
    await waitFor(() => api.models.readyId === 'ngram-code', 'back on ngram-code');
    const seen: string[] = [];
    const sub = api.models.onDidChange((s) => seen.push(s.kind === 'error' ? 'error' : `${s.kind}:${s.entry.id}`));
    try {
      await vscode.commands.executeCommand('nextToken.selectModel', `folder:${broken}`);
      await waitFor(() => seen.includes(`loading:folder:${broken}`) && seen[seen.length - 1] === 'ready:ngram-code', 'the broken folder was tried and refused');
    } finally {
      sub.dispose();
    }
    assert.equal(api.models.readyId, 'ngram-code', 'the current model stays active');
  });

  test('a keystroke while a model loads gets its ghost text once the model is ready', async () => {
    await vscode.commands.executeCommand('nextToken.selectModel', 'toy-dogspeak');
    await waitFor(() => api.models.readyId === 'toy-dogspeak', 'toy-dogspeak is ready');
    const text = 'import * as path from "node:path";\nimport * as fs from "node:';
    const editor = await openUntitled('go', text);
    const end = editor.document.positionAt(text.length);
    editor.selection = new vscode.Selection(end, end);
    // The editor's request for that keystroke, made the moment loading starts (events fire
    // synchronously, so the model is certainly not ready yet): it gets no suggestion.
    let answeredWhileLoading: unknown = 'not asked';
    const sub = api.models.onDidChange((state) => {
      if (state.kind !== 'loading' || answeredWhileLoading !== 'not asked') return;
      const cts = new vscode.CancellationTokenSource();
      answeredWhileLoading = api.provider.provideInlineCompletionItems(editor.document, end, { triggerKind: vscode.InlineCompletionTriggerKind.Automatic, selectedCompletionInfo: undefined }, cts.token);
    });
    try {
      const shown = api.test.ghostText.shown;
      await vscode.commands.executeCommand('nextToken.selectModel', 'ngram-code');
      await waitFor(() => answeredWhileLoading !== 'not asked', 'ngram-code started loading');
      assert.equal(await answeredWhileLoading, undefined, 'no suggestion while the model loads');
      // Nobody types again: the extension asks the editor once more when the model is ready.
      await waitFor(() => api.models.readyId === 'ngram-code', 'ngram-code is ready');
      await waitFor(() => api.test.ghostText.shown > shown, 'ghost text was shown without another keystroke');
      assert.equal(api.provider.askedBeforeReady, false);
    } finally {
      sub.dispose();
    }
  });

  test('nextToken.threads = 2 reloads the transformer on two threads (a helper worker) and ghost text keeps coming', async () => {
    await vscode.commands.executeCommand('nextToken.selectModel', 'gpt-code-tiny');
    await waitFor(() => api.models.readyId === 'gpt-code-tiny', 'gpt-code-tiny is ready');
    const threadsNow = () => (api.models.state.kind === 'ready' ? api.models.state.threads : 0);
    // The default on this 2-core machine is one thread (min(2, cores - 1)).
    const before = threadsNow();
    await config().update('threads', 2, vscode.ConfigurationTarget.Global);
    await waitFor(() => api.models.readyId === 'gpt-code-tiny' && threadsNow() === 2, 'reloaded on two threads');
    const added = await suggestionFor('import * as path from "node:path";\nimport * as fs from "node:');
    assert.ok(added.length > 0, 'a suggestion on two threads');
    await config().update('threads', 1, vscode.ConfigurationTarget.Global);
    await waitFor(() => api.models.readyId === 'gpt-code-tiny' && threadsNow() === 1, 'back on one thread');
    assert.ok(before === 1 || before === 2, `the default is one or two threads: ${before}`);
  });
});
