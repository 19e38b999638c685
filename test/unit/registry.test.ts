import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { readRegistry, userModelEntry } from '../../src/models/registry';
import { ROOT } from './helpers';

test('the bundled registry lists every model folder of models/index.json', () => {
  const registry = readRegistry(ROOT);
  assert.ok(registry.models.some((m) => m.id === registry.defaultId), 'the default is one of the models');
  for (const m of registry.models) {
    assert.equal(m.source, 'bundled');
    for (const f of ['config.json', 'model.safetensors', 'tokenizer.json']) assert.ok(fs.existsSync(path.join(m.folder, f)), `${m.id}/${f}`);
  }
});

test("a user's folder is listed with its name, or with the problem that stops it", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'user-model-'));
  try {
    let entry = userModelEntry(dir);
    assert.match(entry.problem ?? '', /missing config\.json, model\.safetensors, tokenizer\.json/);
    assert.ok(entry.problem!.includes(dir), 'the message names the folder');
    for (const f of ['config.json', 'model.safetensors', 'tokenizer.json']) fs.copyFileSync(path.join(ROOT, 'models', 'toy-dogspeak', f), path.join(dir, f));
    entry = userModelEntry(dir);
    assert.equal(entry.problem, undefined);
    assert.equal(entry.displayName, 'Toy: dog-speak (classic)');
    assert.equal(entry.source, 'user');
    fs.writeFileSync(path.join(dir, 'config.json'), '{ not json');
    assert.match(userModelEntry(dir).problem ?? '', /config\.json/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
