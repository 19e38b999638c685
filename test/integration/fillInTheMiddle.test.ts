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
import * as fs from 'node:fs';
import { loadModel, type LanguageModel } from '../../src/engine';
import { readSettings } from '../../src/completion/settings';
import { readModelFiles } from '../../src/node/modelFolder';
import type { NextTokenApi } from '../../src/setup';
import { completeText, healedContext } from '../../src/worker/completionEngine';
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

  /**
   * A model trained for fill-in-the-middle: NEXT_TOKEN_FIM_MODEL (a model folder), else a
   * bundled code model once it has the FIM tokens; none: the test is skipped.
   */
  function trainedFimModel(): string | undefined {
    const candidates = [process.env.NEXT_TOKEN_FIM_MODEL, ...['gpt-code-tiny', 'gpt-code-small'].map((m) => path.join(getExtension().extensionPath, 'models', m))];
    return candidates.find((f) => f && fs.existsSync(path.join(f, 'tokenizer.json')) && fs.readFileSync(path.join(f, 'tokenizer.json'), 'utf8').includes('<|fim_middle|>'));
  }

  /** Text before the cursor (at a line end, so every suffix rule allows ghost text) and two texts after it. */
  const CASES: Array<[string, string, string]> = [
    ['export function isEmpty(list) {\n  ', '\n}\n', '\n  return false;\n}\n'],
    ['const items = load();\nconst ', '\nconsole.log(total);\n', '\nconsole.log(count);\n'],
    ['function area(width, height) {\n  ', '\n}\n\narea(2, 3); // 6\n', '\n}\n\narea(2, 3); // 5\n'],
    ['const names = users.map((user) =>', '\nconsole.log(names.join(", "));\n', '\nconsole.log(ids.join(", "));\n'],
    ['class Stack {\n  ', '\n  push(x) { this.items.push(x); }\n}\n', '\n  get size() { return this.count; }\n}\n'],
    ['export function ', '\n  return items.filter(Boolean);\n}\n', '\n  return a + b;\n}\n'],
    ['def ', '\n    return a + b\n', '\n    return self.items\n'],
  ];

  test('a model trained for fill-in-the-middle: the lines below change the suggestion, to the engine\'s own answer for them', async function () {
    const folder = trainedFimModel();
    if (!folder) return this.skip(); // no FIM-trained model yet (set NEXT_TOKEN_FIM_MODEL to a model folder)
    const trained = loadModel(readModelFiles(folder));
    const fimId = `folder:${folder}`;
    await config().update('modelFolders', [fixture, folder], vscode.ConfigurationTarget.Global);
    // The bare model, as the engine below computes it: no counts from open or workspace files.
    await config().update('adaptToOpenFiles', false, vscode.ConfigurationTarget.Global);
    await config().update('adaptToWorkspace', false, vscode.ConfigurationTarget.Global);
    try {
      await vscode.commands.executeCommand('nextToken.selectModel', fimId);
      await waitFor(() => api.models.readyId === fimId, 'the trained FIM model is ready');
      await waitFor(() => api.adaptation.open.tokens === 0 && api.adaptation.workspace.tokens === 0, 'no file counts mixed in');
      const settings = readSettings();
      const engine = (model: LanguageModel, prefix: string, suffix: string, maxTokens: number) =>
        [1, settings.alternatives].map((alternatives) => completeText(model, prefix, { ...settings, maxTokens, multiline: false, timeBudgetMs: Infinity, alternatives, suffix }).items[0] ?? '');
      // A case where the suffix changes the suggestion. A small model often keeps its first token
      // and takes names from the suffix later ('_create(value) {' against '_create(a, b) {'); a
      // suggestion as long as this is far inside the editor's time budget for such a model.
      const chosen = CASES.find(([prefix, a, b]) => {
        const [fa, fb] = [engine(trained, prefix, a, settings.maxTokens), engine(trained, prefix, b, settings.maxTokens)];
        return fa.every((x) => x.trim()) && fb.every((x) => x.trim()) && fa.every((x) => !fb.includes(x));
      });
      assert.ok(chosen, `${path.basename(folder)} ignores the text after the cursor in every case`);
      const [prefix, ...suffixes] = chosen;
      const shownFor: string[] = [];
      for (const suffix of suffixes) {
        const editor = await openUntitled('typescript', prefix + suffix);
        const at = editor.document.positionAt(prefix.length);
        editor.selection = new vscode.Selection(at, at);
        const shown = api.test.ghostText.shown;
        await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
        await waitFor(() => api.test.ghostText.shown > shown, 'ghost text was shown');
        await waitFor(async () => {
          await vscode.commands.executeCommand('editor.action.inlineSuggest.commit');
          return editor.document.getText() !== prefix + suffix;
        }, 'the suggestion was committed');
        const text = editor.document.getText();
        const inserted = text.slice(prefix.length, text.length - suffix.length);
        const first = engine(trained, prefix, suffix, 1);
        const full = engine(trained, prefix, suffix, settings.maxTokens);
        // The whole suggestion, or its start where the editor's time budget ended it.
        assert.ok(first.some((f, i) => inserted.startsWith(f) && full[i].startsWith(inserted)), `${JSON.stringify(inserted)} is the engine's ${JSON.stringify(full)} for suffix ${JSON.stringify(suffix)}`);
        shownFor.push(inserted);
      }
      console.log(`[fim] ${path.basename(folder)} after ${JSON.stringify(prefix)}: ${suffixes.map((x, i) => `${JSON.stringify(shownFor[i])} before ${JSON.stringify(x)}`).join(', ')}`);
      assert.notEqual(shownFor[0], shownFor[1], 'the lines below changed the suggestion');
    } finally {
      await config().update('adaptToOpenFiles', undefined, vscode.ConfigurationTarget.Global);
      await config().update('adaptToWorkspace', undefined, vscode.ConfigurationTarget.Global);
      await config().update('modelFolders', [fixture], vscode.ConfigurationTarget.Global);
      await vscode.commands.executeCommand('nextToken.selectModel', id);
      await waitFor(() => api.models.readyId === id, 'back on the FIM fixture');
    }
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
