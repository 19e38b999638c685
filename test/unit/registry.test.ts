import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { readRegistry, userModelEntry } from '../../src/models/registry';
import { ROOT } from './helpers';
import { fileUri, nodeFiles } from './nodeFiles';

test('the bundled registry lists every model folder of models/index.json, consistent with each folder', async () => {
  const registry = await readRegistry(nodeFiles, fileUri(ROOT));
  assert.ok(registry.models.some((m) => m.id === registry.defaultId), 'the default is one of the models');
  for (const m of registry.models) {
    assert.equal(m.source, 'bundled');
    const folder = fileURLToPath(m.folder);
    for (const f of ['config.json', 'model.safetensors', 'tokenizer.json', 'MODEL_CARD.md']) assert.ok(fs.existsSync(path.join(folder, f)), `${m.id}/${f}`);
    const config = JSON.parse(fs.readFileSync(path.join(folder, 'config.json'), 'utf8'));
    assert.equal(config.id, m.id);
    assert.equal(config.kind ?? 'transformer', m.kind);
    assert.equal(m.fileBytes, fs.statSync(path.join(folder, 'model.safetensors')).size, `${m.id}: file_bytes is the real size`);
  }
});

test("a user's folder is listed with its name, or with the problem that stops it", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'user-model-'));
  try {
    let entry = await userModelEntry(nodeFiles, fileUri(dir), dir);
    assert.match(entry.problem ?? '', /missing config\.json, model\.safetensors, tokenizer\.json/);
    assert.ok(entry.problem!.includes(dir), 'the message names the folder');
    for (const f of ['config.json', 'model.safetensors', 'tokenizer.json']) fs.copyFileSync(path.join(ROOT, 'models', 'toy-dogspeak', f), path.join(dir, f));
    entry = await userModelEntry(nodeFiles, fileUri(dir), dir);
    assert.equal(entry.problem, undefined);
    assert.equal(entry.displayName, 'Toy: dog-speak (classic)');
    assert.equal(entry.source, 'user');
    fs.writeFileSync(path.join(dir, 'config.json'), '{ not json');
    assert.match((await userModelEntry(nodeFiles, fileUri(dir), dir)).problem ?? '', /config\.json/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('every bundled code model carries the measurements of scripts/measure-model.mjs in its card and the index', () => {
  const index = JSON.parse(fs.readFileSync(path.join(ROOT, 'models', 'index.json'), 'utf8')) as { models: Array<{ id: string; quality: Record<string, number> & { foreign?: Record<string, number> }; speed: Record<string, number> }> };
  let codeModels = 0;
  for (const m of index.models) {
    const tokenizer = JSON.parse(fs.readFileSync(path.join(ROOT, 'models', m.id, 'tokenizer.json'), 'utf8'));
    if (tokenizer.model?.type !== 'BPE') continue; // the word-level toy model is not evaluated on code
    codeModels++;
    const card = fs.readFileSync(path.join(ROOT, 'models', m.id, 'MODEL_CARD.md'), 'utf8');
    assert.match(card, /<!-- measured:begin \(written by scripts\/measure-model\.mjs/, `${m.id}: the card's measurements come from the script`);
    assert.ok(!/Not measured yet|_to be filled_/.test(card), `${m.id}: the card has no unfilled section`);
    // Validation: bits per byte and accuracy; the foreign set (the README's figures): those and
    // keystroke savings too, as shipped and learning from the open file.
    for (const key of ['eval_bpb', 'top1', 'eval_bpb_with_open_files', 'xz_bpb']) {
      assert.equal(typeof m.quality[key], 'number', `${m.id}: quality.${key}`);
    }
    for (const key of ['eval_bpb', 'top1', 'keystroke_savings', 'eval_bpb_with_open_files', 'keystroke_savings_with_open_files', 'xz_bpb']) {
      assert.equal(typeof m.quality.foreign?.[key], 'number', `${m.id}: quality.foreign.${key}`);
    }
    assert.equal(typeof m.speed.ghost_p50_ms, 'number', `${m.id}: speed.ghost_p50_ms`);
  }
  assert.ok(codeModels >= 2, 'the code models were found');
});

test('the model picker states the measured figures in words', () => {
  const { describeQuality } = require('../../src/models/modelIndex') as typeof import('../../src/models/modelIndex');
  assert.deepEqual(describeQuality({ eval_bpb: 1.551, eval_bpb_with_open_files: 1.067, keystroke_savings: 0.467, keystroke_savings_with_open_files: 0.518, top1: 0.3 }), [
    '1.55 bits per byte (1.07 learning from your open files)',
    'saves 46.7% of keystrokes (51.8%)',
  ]);
  assert.deepEqual(describeQuality({ val_bpb: 2.2 }), ['2.20 bits per byte']);
  assert.deepEqual(describeQuality({}), []);
});
