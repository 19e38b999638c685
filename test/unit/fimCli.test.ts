/**
 * The command line's fill-in-the-middle: `generate --suffix` and `eval --infill`, on the
 * committed FIM fixture (random weights: the request path and the report, not quality) and
 * on a bundled model without FIM tokens.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { fimContextTokens, loadModel, type FimTokens, type LanguageModel } from '../../src/engine';
import { healedContext } from '../../src/worker/completionEngine';
import { readModelFiles } from '../../src/node/modelFolder';
import { ROOT } from './helpers';
import { FIM_FIXTURE, fimFixtureFiles } from './fimFixture';

const CLI = path.join(ROOT, 'dist', 'cli.js');
const run = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 60_000 });

test('the committed FIM fixture is what test/unit/fimFixture.ts writes', () => {
  for (const [name, data] of Object.entries(fimFixtureFiles())) {
    assert.ok(Buffer.from(data).equals(fs.readFileSync(path.join(FIM_FIXTURE, name))), `${name} differs: run node out/test/unit/fimFixture.js`);
  }
});

test('next-token generate --suffix reads the SPM context of a FIM model; a model without FIM says it ignores the suffix', () => {
  const model = loadModel(readModelFiles(FIM_FIXTURE)) as LanguageModel & { fim: FimTokens };
  const prefix = 'function add(a, b) {\n  return ';
  const suffix = ';\n}\n';
  const r = run('generate', '--model', FIM_FIXTURE, '--json', '--max-tokens', '4', '--suffix', suffix, prefix);
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  // The editor's context: FIM layout, the prefix healed ("return " ends in a space: the probe finds where a word begins).
  const expected = healedContext(model, prefix, suffix);
  assert.equal(out.context, expected.context.length);
  assert.equal(out.context, fimContextTokens(model, prefix + 'x', suffix).tokens.length - 1);
  assert.equal(out.suffixTokens, model.tokenizer.encode(suffix).length);
  assert.equal(typeof out.text, 'string');
  assert.ok(!out.text.includes('\n\n'), 'ghost text stops at a blank line');
  // Text output: the prefix, the middle and the suffix, as the file would read.
  const text = run('generate', '--model', FIM_FIXTURE, '--max-tokens', '4', '--suffix', suffix, prefix);
  assert.equal(text.status, 0, text.stderr);
  assert.ok(text.stdout.startsWith(prefix) && text.stdout.endsWith(suffix), JSON.stringify(text.stdout));
  // Without --suffix the same model reads left to right.
  const plain = JSON.parse(run('generate', '--model', FIM_FIXTURE, '--json', '--max-tokens', '4', prefix).stdout);
  assert.equal(plain.context, 1 + model.tokenizer.encode(prefix).length);
  assert.equal(plain.suffixTokens, undefined);
  const toy = run('generate', '--model', 'toy-dogspeak', '--json', '--max-tokens', '1', '--suffix', '睡觉', '我 刚才 跑步,我 现在');
  assert.equal(toy.status, 0, toy.stderr);
  assert.match(toy.stderr, /not trained for fill-in-the-middle.*--suffix is ignored/);
  assert.equal(JSON.parse(toy.stdout).text, '吃饭');
});

test('next-token eval --infill --json: both figures for a FIM model, left to right only (and why) for one without', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'infill-'));
  try {
    fs.writeFileSync(path.join(dir, 'a.ts'), 'const a = 1;\nconst b = 2;\n\nexport { a, b };\n');
    fs.writeFileSync(path.join(dir, 'b.ts'), 'let x = 0;\r\nx += 1;\r\nconsole.log(x);\r\n');
    fs.writeFileSync(path.join(dir, 'blank.txt'), '\n\n');
    const r = run('eval', '--infill', '--json', '--model', FIM_FIXTURE, '--infill-lines', '2', dir);
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.equal(out.fim, true);
    assert.equal(out.files, 2, 'the blank file has no line to take out');
    assert.equal(out.cases, 4);
    assert.deepEqual(out.perFile.map((f: { cases: number }) => f.cases), [2, 2]);
    assert.ok(out.infillExactMatch >= 0 && out.infillExactMatch <= 1 && out.infillExactMatch === out.infillMatches / 4);
    assert.ok(out.leftToRightExactMatch === out.leftToRightMatches / 4);
    assert.equal(out.fimWindow, 128, "the model's window");
    const narrow = JSON.parse(run('eval', '--infill', '--json', '--model', FIM_FIXTURE, '--infill-lines', '2', '--fim-window', '32', dir).stdout);
    assert.equal(narrow.fimWindow, 32);
    assert.equal(narrow.cases, 4);
    assert.equal(run('eval', '--infill', '--model', FIM_FIXTURE, '--fim-window', '8', dir).status, 2);
    const ngram = JSON.parse(run('eval', '--infill', '--json', '--model', 'ngram-code', '--infill-lines', '2', dir).stdout);
    assert.equal(ngram.fim, false);
    assert.equal(ngram.infillExactMatch, null);
    assert.equal(ngram.fimWindow, null);
    assert.equal(ngram.cases, 4);
    assert.match(ngram.note, /not trained for fill-in-the-middle/);
    assert.ok(typeof ngram.leftToRightExactMatch === 'number');
    const human = run('eval', '--infill', '--model', 'ngram-code', '--infill-lines', '2', dir);
    assert.match(human.stdout, /left to right \d+\.\d%.*left to right only/);
    assert.equal(run('eval', '--infill', '--model', 'ngram-code', '--infill-lines', '0', dir).status, 2);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
