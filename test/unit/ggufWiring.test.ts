// GGUF files where users name models: nextToken.modelFolders entries (a .gguf file or a
// folder holding one) as the model picker lists them, `--model X.gguf` in the command line,
// and the worker's load request with the file's bytes.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { isGgufFiles, loadModel } from '../../src/engine';
import { userModelEntry } from '../../src/models/registry';
import { ggufPath, loadModelFolder, readModelInput, resolveModel } from '../../src/node/modelFolder';
import type { ModelFileSystem } from '../../src/worker/modelFiles';
import { WorkerCore } from '../../src/worker/workerCore';
import type { WorkerResponse } from '../../src/worker/protocol';
import { smollm2 } from './ggufFixtures';
import { bpeVocabGguf } from './ggufVocab';
import { meta, writeGguf } from './ggufWriter';
import { ROOT } from './helpers';
import { fileUri, nodeFiles } from './nodeFiles';

const files: ModelFileSystem = {
  ...nodeFiles,
  async list(uri) {
    try {
      return fs.readdirSync(new URL(uri));
    } catch {
      return undefined;
    }
  },
};

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gguf-wiring-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A tiny llama GGUF (zero weights: uniform predictions) with a name in its metadata. */
function tinyGguf(file: string, name = 'Tiny Llama Test'): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, bpeVocabGguf({ pre: 'smollm', extra: [['general.name', meta.str(name)]] }).bytes);
  return file;
}

test('a .gguf in nextToken.modelFolders is listed with its name, architecture, parameters, size and quantisation', async () => {
  const file = tinyGguf(path.join(dir, 'a', 'tiny.gguf'));
  const entry = await userModelEntry(files, fileUri(file), file);
  assert.equal(entry.problem, undefined);
  assert.equal(entry.displayName, 'Tiny Llama Test');
  assert.equal(entry.folder, fileUri(file));
  assert.equal(entry.fileBytes, fs.statSync(file).size);
  assert.equal(entry.parameters, 3224);
  assert.match(entry.description, /^llama, F32 \(F32 x8\), GGUF: /);
  assert.equal(entry.label, file);

  // A folder without config.json that holds one .gguf means that file.
  const inFolder = await userModelEntry(files, fileUri(path.dirname(file)), path.dirname(file));
  assert.equal(inFolder.folder, fileUri(file));
  assert.equal(inFolder.displayName, 'Tiny Llama Test');
  assert.equal(ggufPath(path.dirname(file)), file);
});

test('a GGUF that cannot be used is listed with the one problem that names it', async () => {
  const two = path.join(dir, 'two');
  tinyGguf(path.join(two, 'x.gguf'));
  tinyGguf(path.join(two, 'y.gguf'));
  assert.match((await userModelEntry(files, fileUri(two), two)).problem ?? '', /holds 2 \.gguf files \(x\.gguf, y\.gguf\); name the one to use/);
  assert.throws(() => ggufPath(two), /holds 2 \.gguf files/);

  const broken = path.join(dir, 'broken.gguf');
  fs.writeFileSync(broken, bpeVocabGguf({ pre: 'smollm' }).bytes.subarray(0, 500));
  assert.match((await userModelEntry(files, fileUri(broken), broken)).problem ?? '', new RegExp(`^${broken.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: .*truncated`));

  const mamba = path.join(dir, 'mamba.gguf');
  fs.writeFileSync(mamba, writeGguf({ metadata: [['general.architecture', meta.str('mamba')]] }));
  assert.match((await userModelEntry(files, fileUri(mamba), mamba)).problem ?? '', /architecture "mamba" is not supported \(supported: llama, qwen2, gpt2\)/);
  const klingon = path.join(dir, 'klingon.gguf');
  fs.writeFileSync(klingon, bpeVocabGguf({ pre: 'klingon' }).bytes);
  assert.match((await userModelEntry(files, fileUri(klingon), klingon)).problem ?? '', /klingon.gguf: pre-tokenizer "klingon" is not supported/);

  const missing = path.join(dir, 'missing.gguf');
  assert.match((await userModelEntry(files, fileUri(missing), missing)).problem ?? '', /missing/);
});

test('the worker loads a GGUF from its bytes and answers a prediction over the whole vocabulary', async () => {
  const file = tinyGguf(path.join(dir, 'worker', 'tiny.gguf'));
  const input = readModelInput(file);
  assert.ok(isGgufFiles(input));
  const answers: WorkerResponse[] = [];
  const core = new WorkerCore({ post: (m) => answers.push(m), schedule: (task) => setImmediate(task) });
  core.receive({ type: 'load', id: 1, folder: file, files: input });
  core.receive({ type: 'predict', id: 2, text: 'hello world', topK: 5, attention: true, contextChips: 8 });
  for (let i = 0; i < 100 && answers.length < 2; i++) await new Promise((r) => setImmediate(r));
  const [loaded, predicted] = answers;
  assert.equal(loaded.type, 'loaded', JSON.stringify(loaded));
  assert.equal(predicted.type, 'prediction', JSON.stringify(predicted));
  if (loaded.type !== 'loaded' || predicted.type !== 'prediction') return;
  assert.equal(loaded.info.gguf?.architecture, 'llama');
  assert.equal(predicted.result.probs.length, 320);
  assert.equal(predicted.result.attention?.length, 1, 'attention for the one layer');

  // A broken file is one ModelError naming it; the loaded model stays.
  const broken = path.join(dir, 'worker', 'broken.gguf');
  fs.writeFileSync(broken, new Uint8Array(fs.readFileSync(file)).subarray(0, 900));
  core.receive({ type: 'load', id: 3, folder: broken, files: readModelInput(broken) });
  core.receive({ type: 'predict', id: 4, text: 'hello', topK: 5, attention: false, contextChips: 8 });
  for (let i = 0; i < 100 && answers.length < 4; i++) await new Promise((r) => setImmediate(r));
  assert.equal(answers[2].type, 'error');
  if (answers[2].type === 'error') assert.match(answers[2].message, new RegExp(`^${broken.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: `));
  assert.equal(answers[3].type, 'prediction', 'the previous model still answers');
});

test('the command line takes --model X.gguf (or its folder): predict and generate', (t) => {
  const file = tinyGguf(path.join(dir, 'cli', 'tiny.gguf'));
  assert.equal(resolveModel(file), file);
  assert.equal(resolveModel(path.dirname(file)), file);
  assert.equal(loadModelFolder(file).info.vocabSize, 320);
  assert.equal(loadModel(readModelInput(file), file).info.displayName, 'Tiny Llama Test');

  const cli = path.join(ROOT, 'dist', 'cli.js');
  if (!fs.existsSync(cli)) return t.skip('dist/cli.js is not built');
  const out = JSON.parse(execFileSync(process.execPath, [cli, 'predict', '--json', '--model', file, 'hello world'], { encoding: 'utf8' }));
  assert.equal(out.model.vocabSize, 320);
  assert.equal(out.top.length > 0, true);
  const gen = execFileSync(process.execPath, [cli, 'generate', '--model', path.dirname(file), '--max-tokens', '4', 'hello'], { encoding: 'utf8' });
  assert.ok(gen.length > 0);
});

test('SmolLM2 from its .gguf: the picker entry and one prediction through the command line', (t) => {
  const smol = smollm2();
  if (smol.path === undefined) return t.skip(smol.skip);
  const cli = path.join(ROOT, 'dist', 'cli.js');
  if (!fs.existsSync(cli)) return t.skip('dist/cli.js is not built');
  const out = JSON.parse(execFileSync(process.execPath, [cli, 'predict', '--json', '--model', smol.path, 'def fibonacci(n):\n    if n < 2:\n        return'], { encoding: 'utf8' }));
  assert.equal(out.model.vocabSize, 49152);
  assert.equal(out.model.layers, 30);
  assert.equal(out.top[0].text, ' n', 'SmolLM2 completes `return` with ` n`');
});
