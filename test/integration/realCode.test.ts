/**
 * Real code as users have it: a CRLF, tab-indented file gets suggestions in its own line
 * endings and indentation, and the workspace's files that are not open (the ones the file
 * imports first) teach the default transformer their names, without node_modules.
 */
import * as assert from 'node:assert/strict';
import { suite, suiteSetup, suiteTeardown, test } from 'mocha';
import * as vscode from 'vscode';
import type { NextTokenApi } from '../../src/setup';
import { activate, closeAllEditors, memory, openWorkspaceFile, triggerAndWaitForAnswer, waitFor, watchProvider, workspaceFolder } from './helpers';

const options = { maxTokens: 8, multiline: false, timeBudgetMs: 2000, alternatives: 1, sampling: { temperature: 0, topK: 0, topP: 1 } };
const write = (rel: string, text: string) => vscode.workspace.fs.writeFile(vscode.Uri.joinPath(workspaceFolder(), rel), new TextEncoder().encode(text));
const insertTexts = (list: unknown): string[] => {
  const items = (list as vscode.InlineCompletionList | undefined)?.items ?? [];
  return items.map((i) => (typeof i.insertText === 'string' ? i.insertText : i.insertText.value));
};

suite('real code: CRLF, tabs and the workspace', () => {
  let api: NextTokenApi;
  const config = () => vscode.workspace.getConfiguration('nextToken');

  suiteSetup(async () => {
    api = (await activate()) as unknown as NextTokenApi;
    await config().update('model', undefined, vscode.ConfigurationTarget.Global);
    await waitFor(() => api.models.readyId === 'gpt-code-tiny', 'the default transformer is ready');
  });

  suiteTeardown(async () => {
    for (const key of ['multiline', 'maxTokens', 'adaptToWorkspace']) await config().update(key, undefined, vscode.ConfigurationTarget.Global);
    await closeAllEditors();
  });

  test('a multi-line suggestion accepted with Tab in a CRLF, tab-indented file leaves exactly its text, with CRLF everywhere', async () => {
    await config().update('multiline', true, vscode.ConfigurationTarget.Global);
    await config().update('maxTokens', 40, vscode.ConfigurationTarget.Global);
    // The same block three times teaches the open-file cache its shape; the fourth is begun.
    const block = (n: number) => `export function zqxFlurb${n}(items) {\r\n\tfor (const item of items) {\r\n\t\treturn item;\r\n\t}\r\n}\r\n\r\n`;
    await write('crlf-tabs.js', block(1) + block(2) + block(3) + 'export function zqxFlurb4(items) {');
    const editor = await openWorkspaceFile('crlf-tabs.js');
    assert.equal(editor.document.eol, vscode.EndOfLine.CRLF);
    const end = editor.document.lineAt(editor.document.lineCount - 1).range.end;
    editor.selection = new vscode.Selection(end, end);
    const before = editor.document.getText();
    const watch = watchProvider(api.provider);
    try {
      const suggestion = await waitFor(async () => {
        const answer = await triggerAndWaitForAnswer(watch);
        return insertTexts(answer.result).find((t) => t.includes('\n'));
      }, 'a multi-line suggestion learned from the blocks above');
      assert.ok(!/(^|[^\r])\n/.test(suggestion), `the suggestion is in the document's CRLF: ${JSON.stringify(suggestion)}`);
      assert.match(suggestion, /\r\n\t\S/, 'indented with a tab, as the file is');
      await vscode.commands.executeCommand('editor.action.inlineSuggest.commit');
      await waitFor(() => editor.document.getText() !== before, 'Tab accepted the suggestion');
      const after = editor.document.getText();
      assert.equal(after, before + suggestion, 'exactly the suggestion was inserted at the cursor');
      assert.ok(!/(^|[^\r])\n/.test(after), 'no lone LF anywhere in the document');
      assert.equal(editor.document.eol, vscode.EndOfLine.CRLF);
    } finally {
      watch.dispose();
      await config().update('multiline', undefined, vscode.ConfigurationTarget.Global);
      await config().update('maxTokens', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  test("after a tab-indented line's indentation the ghost text starts with code, never with more whitespace", async () => {
    await write('tabs.js', 'export function sum(values) {\r\n\tlet total = 0;\r\n\tfor (const v of values) {\r\n\t\ttotal += v;\r\n\t}\r\n\t');
    const editor = await openWorkspaceFile('tabs.js');
    const end = editor.document.lineAt(editor.document.lineCount - 1).range.end;
    editor.selection = new vscode.Selection(end, end);
    const watch = watchProvider(api.provider);
    try {
      const answer = await triggerAndWaitForAnswer(watch);
      const texts = insertTexts(answer.result);
      assert.ok(texts.length > 0, 'a suggestion is shown');
      for (const t of texts) assert.match(t, /^\S/, `no deeper indentation: ${JSON.stringify(t)}`);
    } finally {
      watch.dispose();
    }
  });

  test("a workspace file the current file imports teaches its names; node_modules does not; the setting turns it off", async () => {
    await closeAllEditors();
    const suggestion = async (prefix: string) => ((r) => (r.ok ? r.value.items[0] : undefined))(await api.client.complete({ prefix, ...options })) ?? '';
    await write('lib/zqxHelpers.ts', 'export function blorpFizzleWidgets(list: string[]) {\n  return list;\n}\n'.repeat(2));
    await write('node_modules/zqxdep/index.ts', 'export const gnarfSnorkelThing = 1;\nexport const gnarfSnorkelThing2 = gnarfSnorkelThing;\n');
    await write('src/useHelpers.ts', "import { blorpFizzleWidgets } from '../lib/zqxHelpers';\n\nconst all = blorpFi");
    const prefix = "import { blorpFizzleWidgets } from '../lib/zqxHelpers';\n\nconst all = blorpFi";
    assert.ok(!(await suggestion(prefix)).startsWith('zzleWidgets'), 'the model alone cannot know the name');
    await openWorkspaceFile('src/useHelpers.ts');
    await waitFor(async () => (await suggestion(prefix)).startsWith('zzleWidgets'), 'the worker counted the imported workspace file');
    assert.ok(api.adaptation.workspace.files > 0 && api.adaptation.workspace.tokens > 0, api.adaptation.describe());
    assert.ok(!(await suggestion('const x = gnarfSno')).startsWith('rkelThing'), 'node_modules is never read');
    await config().update('adaptToWorkspace', false, vscode.ConfigurationTarget.Global);
    await waitFor(async () => !(await suggestion(prefix)).startsWith('zzleWidgets'), 'with the setting off the workspace counts are gone');
    assert.equal(api.adaptation.workspace.files, 0);
    await config().update('adaptToWorkspace', undefined, vscode.ConfigurationTarget.Global);
    await waitFor(async () => (await suggestion(prefix)).startsWith('zzleWidgets'), 'back on, they return');
  });

  test('a 2,000-file workspace is indexed within the budget, and the worker stays bounded', async function () {
    this.timeout(120_000);
    await closeAllEditors();
    const memoryBefore = memory(await api.client.memoryUsed(true));
    const files = 2000;
    for (let i = 0; i < files; i += 50) {
      await Promise.all(Array.from({ length: 50 }, (_, j) => {
        const n = i + j;
        return write(`big/part${Math.floor(n / 100)}/module${n}.ts`, `import { helper${n} } from './helper';\n\nexport function compute${n}(input: number[]): number {\n  let total = ${n};\n  for (const value of input) total += value * ${n % 7};\n  return helper${n}(total);\n}\n`.repeat(4));
      }));
    }
    const startedAt = Date.now();
    const previous = api.adaptation.workspace.indexMs;
    await openWorkspaceFile('big/part0/module0.ts');
    await waitFor(() => api.adaptation.workspace.files > 100 && api.adaptation.workspace.indexMs !== previous && Date.now() > startedAt, 'the workspace was indexed again', 90_000);
    const stats = api.adaptation.workspace;
    const memoryAfter = memory(await api.client.memoryUsed(true));
    console.log(`[measure] workspace of ${files + 6} files: ${stats.files} counted, ${stats.tokens.toLocaleString('en-US')} tokens, indexed in ${stats.indexMs} ms; worker memory ${memoryBefore !== undefined ? (memoryBefore / 1e6).toFixed(1) : '?'} MB -> ${memoryAfter !== undefined ? (memoryAfter / 1e6).toFixed(1) : '?'} MB`);
    assert.ok(stats.tokens <= 250_000, `within the token budget: ${stats.tokens}`);
    if (memoryBefore !== undefined && memoryAfter !== undefined) assert.ok(memoryAfter - memoryBefore < 60e6, 'the workspace cache stays within its memory bound');
  });
});
