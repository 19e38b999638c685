/**
 * A GGUF model people already have, in the real editor: SmolLM2-135M-Instruct (Q4_1, the
 * file scripts/fetch-smollm2.sh caches) named in nextToken.modelFolders is listed with its
 * metadata, gives ghost text, and fills the panel (attention of every layer and head, the
 * vector over its 49,152 tokens); a broken GGUF is refused with a message naming it and
 * SmolLM2 stays.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { suite, suiteSetup, suiteTeardown, test } from 'mocha';
import * as vscode from 'vscode';
import type { NextTokenApi } from '../../src/setup';
import { smollm2CachePath } from '../unit/ggufFixtures';
import { activate, closeAllEditors, openUntitled, waitFor } from './helpers';

/** A 135M model on a busy machine: loading and a first suggestion take seconds, not milliseconds. */
const SLOW_MS = 120_000;

suite('GGUF model (SmolLM2-135M)', function () {
  this.timeout(4 * SLOW_MS);
  let api: NextTokenApi;
  const config = () => vscode.workspace.getConfiguration('nextToken');
  const file = smollm2CachePath();
  const id = `folder:${file}`;
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'next-token-gguf-'));

  suiteSetup(async function () {
    if (!fs.existsSync(file)) {
      // CI runs scripts/fetch-smollm2.sh first; a missing file there is a failure, not a skip.
      if (process.env.CI === 'true') throw new Error(`${file} is missing: scripts/fetch-smollm2.sh did not run`);
      console.log(`skipping: ${file} is missing (run scripts/fetch-smollm2.sh)`);
      this.skip();
    }
    api = (await activate()) as unknown as NextTokenApi;
    await config().update('modelFolders', [file], vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('nextToken.selectModel', id);
    await waitFor(() => api.models.readyId === id, 'SmolLM2 is loaded', SLOW_MS, 100);
  });

  suiteTeardown(async () => {
    api?.panel()?.dispose();
    await config().update('model', undefined, vscode.ConfigurationTarget.Global);
    await config().update('modelFolders', undefined, vscode.ConfigurationTarget.Global);
    // The suites after this one start from a bundled model, not from SmolLM2.
    if (api) await waitFor(() => api.models.readyId !== undefined && !api.models.readyId.startsWith('folder:'), 'back on a bundled model', SLOW_MS, 100);
    await closeAllEditors();
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  test('Select Model lists it with its name, architecture, parameters, file size and quantisation', async () => {
    const entry = (await api.models.registry()).models.find((m) => m.id === id);
    assert.ok(entry, 'the .gguf is in the registry');
    assert.equal(entry.problem, undefined);
    assert.equal(entry.displayName, 'Smollm2 135M 8k Lc100K Mix1 Ep2'); // general.name, as the file has it
    assert.match(entry.description, /^llama, Q4_1 \(Q4_1 x210, Q8_0 x1\), GGUF: /);
    assert.equal(entry.parameters, 134_515_008);
    assert.equal(entry.fileBytes, fs.statSync(file).size);
    assert.equal(api.models.state.kind === 'ready' && api.models.state.info.gguf?.fileType, 'Q4_1');
  });

  test('ghost text comes from SmolLM2', async () => {
    const text = 'def fibonacci(n):\n    if n < 2:\n        return';
    const editor = await openUntitled('python', text);
    const end = editor.document.positionAt(text.length);
    editor.selection = new vscode.Selection(end, end);
    const shown = api.test.ghostText.shown;
    await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
    await waitFor(() => api.test.ghostText.shown > shown, 'ghost text was shown', SLOW_MS, 100);
    await waitFor(async () => {
      await vscode.commands.executeCommand('editor.action.inlineSuggest.commit');
      return editor.document.getText() !== text;
    }, 'the suggestion was committed', SLOW_MS, 100);
    const added = editor.document.getText().slice(text.length);
    assert.ok(added.trim().length > 0, `a suggestion: ${JSON.stringify(added)}`);
  });

  test('the panel shows attention for each of its 30 layers and 9 heads and the vector over 49,152 tokens', async () => {
    const text = 'import numpy as np\n\ndef mean(values):\n    return np.';
    const editor = await openUntitled('python', text);
    const end = editor.document.positionAt(text.length);
    editor.selection = new vscode.Selection(end, end);
    await vscode.commands.executeCommand('nextToken.showPanel');
    await waitFor(() => api.panel(), 'the panel is open');
    const update = (await waitFor(
      () => {
        const last = [...api.test.panelMessages].reverse().find((m) => m.type === 'update');
        return last?.type === 'update' && last.update.model.vocabSize === 49152 && last.update.contextLength > 10 ? last.update : undefined;
      },
      'a panel update from SmolLM2',
      SLOW_MS,
      100,
    ))!;
    assert.equal(update.probs.length, 49152);
    const total = update.probs.reduce((s, p) => s + p, 0);
    assert.ok(Math.abs(total - 1) < 1e-3, `the vector sums to 1 (${total})`);
    assert.equal(update.attention?.length, 30, 'attention for every layer');
    for (const layer of update.attention!) assert.equal(layer.length, 9 * update.attentionStride, 'every head of the layer');
    assert.ok(update.top.length > 0 && update.top[0].prob > 0.05, `a confident top token: ${JSON.stringify(update.top.slice(0, 3))}`);
  });

  test('a broken .gguf is refused with one problem that names it, and SmolLM2 stays', async () => {
    const broken = path.join(scratch, 'cut-off-download.gguf');
    const fd = fs.openSync(file, 'r');
    const head = Buffer.alloc(1 << 20);
    fs.readSync(fd, head, 0, head.length, 0);
    fs.closeSync(fd);
    fs.writeFileSync(broken, head);
    await config().update('modelFolders', [file, broken], vscode.ConfigurationTarget.Global);
    const entry = (await api.models.registry()).models.find((m) => m.id === `folder:${broken}`);
    assert.ok(entry?.problem?.startsWith(`${broken}: `), `the problem names the file: ${entry?.problem}`);
    const seen: string[] = [];
    const sub = api.models.onDidChange((s) => seen.push(s.kind === 'error' ? 'error' : `${s.kind}:${s.entry.id}`));
    try {
      await vscode.commands.executeCommand('nextToken.selectModel', `folder:${broken}`);
      await waitFor(() => seen.includes(`loading:folder:${broken}`) && seen[seen.length - 1] === `ready:${id}`, 'the broken file was tried and refused', SLOW_MS, 100);
    } finally {
      sub.dispose();
    }
    assert.equal(api.models.readyId, id, 'SmolLM2 stays the model');
  });
});
