/**
 * Learning from the open files with the default transformer: an identifier the model has
 * never seen, defined in another open document, is suggested as ghost text; turning
 * `nextToken.adaptToOpenFiles` off takes it away again; the line being typed is not counted.
 */
import * as assert from 'node:assert/strict';
import { suite, suiteSetup, suiteTeardown, test } from 'mocha';
import * as vscode from 'vscode';
import type { NextTokenApi } from '../../src/setup';
import { activate, closeAllEditors, openUntitled, waitFor } from './helpers';

const options = { maxTokens: 8, multiline: false, timeBudgetMs: 2000, alternatives: 1, sampling: { temperature: 0, topK: 0, topP: 1 } };
// Made up, so the model cannot know it: only the open document can teach it.
const NAME = 'zqxWidgetFlurbQuux';
const DEFINITIONS = `export class ${NAME} {}\nconst a = new ${NAME}();\nconst b = new ${NAME}();\nconst c = new ${NAME}();\n`;

suite('learning from the open files', () => {
  let api: NextTokenApi;
  const config = () => vscode.workspace.getConfiguration('nextToken');
  const suggestion = async (prefix: string) => ((r) => (r.ok ? r.value.items[0] : undefined))(await api.client.complete({ prefix, ...options })) ?? '';

  suiteSetup(async () => {
    api = (await activate()) as unknown as NextTokenApi;
    await config().update('model', undefined, vscode.ConfigurationTarget.Global);
    await waitFor(() => api.models.readyId === 'gpt-code-tiny', 'the default transformer is ready');
  });

  suiteTeardown(async () => {
    await config().update('adaptToOpenFiles', undefined, vscode.ConfigurationTarget.Global);
    await closeAllEditors();
  });

  test("another open file's identifier becomes the transformer's ghost text, and leaves with the setting", async () => {
    const prefix = 'const d = new zqxWidget';
    assert.ok(!(await suggestion(prefix)).startsWith('FlurbQuux'), 'without the document the model cannot know the name');
    await openUntitled('typescript', DEFINITIONS);
    const editor = await openUntitled('typescript', `${prefix}`);
    await waitFor(async () => (await suggestion(prefix)).startsWith('FlurbQuux'), 'the worker counted the open document');
    // The same through the editor: ghost text, committed with Tab.
    const end = editor.document.lineAt(0).range.end;
    editor.selection = new vscode.Selection(end, end);
    await waitFor(async () => {
      await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
      await vscode.commands.executeCommand('editor.action.inlineSuggest.commit');
      return editor.document.getText().startsWith(`const d = new ${NAME}`);
    }, 'the committed ghost text completes the name');
    await config().update('adaptToOpenFiles', false, vscode.ConfigurationTarget.Global);
    await waitFor(async () => !(await suggestion(prefix)).startsWith('FlurbQuux'), 'with the setting off the counts are gone');
    await config().update('adaptToOpenFiles', undefined, vscode.ConfigurationTarget.Global);
    await waitFor(async () => (await suggestion(prefix)).startsWith('FlurbQuux'), 'with the setting back on they return');
  });

  test("the panel shows the open files' share of the transformer's vector", async () => {
    await closeAllEditors();
    await openUntitled('typescript', DEFINITIONS);
    // Ending inside the name's last part: the panel shows the vector ghost text uses, which
    // token healing restricts to tokens that start with 'F'; the cache decides which.
    const editor = await openUntitled('typescript', 'const e = new zqxWidgetF');
    const end = editor.document.lineAt(0).range.end;
    editor.selection = new vscode.Selection(end, end);
    // Only this panel's updates: an earlier suite's (another model's) may still be in the list.
    api.test.panelMessages.splice(0);
    await vscode.commands.executeCommand('nextToken.showPanel');
    const panel = (await waitFor(() => api.panel(), 'the panel is open'))!;
    try {
      // The documents arrive batched: nudge the cursor until an update carries the mix.
      const update = (await waitFor(() => {
        const last = [...api.test.panelMessages].reverse().find((m) => m.type === 'update');
        if (last?.type === 'update' && last.update.cache && last.update.cache.order >= 2) return last.update;
        editor.selection = new vscode.Selection(end.translate(0, -1), end.translate(0, -1));
        editor.selection = new vscode.Selection(end, end);
        return undefined;
      }, 'an update with the cache mixed in', 20_000, 300))!;
      assert.equal(update.model.id, 'gpt-code-tiny');
      assert.ok(update.cache!.weight > 0.3 && update.cache!.weight < 1, `the cache's share: ${update.cache!.weight}`);
      // What the cache learned, "Flurb" after "zqxWidget", is what the vector now puts first.
      // (The open file's tokens are 'F' then 'lurb'; the model alone spreads 'F...' over
      // 'Format', 'Flag' and the like.)
      assert.ok('Flurb'.startsWith(update.top[0].text) && update.top[0].prob > 0.5, JSON.stringify(update.top.slice(0, 3)));
      assert.ok(Math.abs(update.probs.reduce((a, b) => a + b, 0) - 1) < 1e-3, 'still a distribution');
    } finally {
      panel.dispose();
    }
  });

  test('the line with the cursor is not counted until the cursor leaves it', async () => {
    await closeAllEditors();
    const editor = await openUntitled('typescript', 'let zzBaseline = 77;\n');
    const end = editor.document.lineAt(1).range.end;
    editor.selection = new vscode.Selection(end, end);
    // Typing a name on the cursor's line, and (the same edit) changing the first line, so
    // the update that carries "78" is known to be the one made after the typing.
    await editor.edit((b) => {
      b.replace(new vscode.Range(0, 17, 0, 19), '78');
      b.insert(end, 'const q = qpvHorseRadishTwirl');
    });
    await waitFor(async () => (await suggestion('let zzB')).startsWith('aseline = 78;'), 'the edited document was counted');
    const prefix = 'const r = qpvHorse';
    assert.ok(!(await suggestion(prefix)).startsWith('RadishTwirl'), 'the line being typed is left out');
    // Moving the cursor to the first line lets the second one in.
    const first = editor.document.lineAt(0).range.end;
    editor.selection = new vscode.Selection(first, first);
    await waitFor(async () => (await suggestion(prefix)).startsWith('RadishTwirl'), 'the finished line is counted');
  });
});
