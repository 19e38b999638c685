import assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import { toDocumentEol, toModelText } from '../../src/engine';
import { loadModelFolder } from '../../src/node/modelFolder';
import { completeText, healedContext } from '../../src/worker/completionEngine';
import { Adaptation } from '../../src/worker/adaptation';
import { PanelPrediction } from '../../src/worker/panelPrediction';
import { contextStart, PREFIX_CHARS } from '../../src/worker/contextStart';
import { ROOT } from './helpers';

const tiny = loadModelFolder(path.join(ROOT, 'models', 'gpt-code-tiny'));
const options = { maxTokens: 8, multiline: true, timeBudgetMs: Infinity, alternatives: 2, sampling: { temperature: 0, topK: 0, topP: 1 } };
const texts = (ids: readonly number[]) => ids.map((id) => tiny.tokenizer.tokenText(id));

test('the model text has LF line endings: CRLF and a lone CR become LF, and go back in the document EOL', () => {
  assert.equal(toModelText('a\r\n\tb\rc\nd\r\n'), 'a\n\tb\nc\nd\n');
  assert.equal(toModelText('no line ends'), 'no line ends');
  assert.equal(toDocumentEol('x\n\ty\n', '\r\n'), 'x\r\n\ty\r\n');
  assert.equal(toDocumentEol('x\n\ty\n', '\n'), 'x\n\ty\n');
  // Round trip of a document that is CRLF throughout.
  const doc = 'if (a) {\r\n\treturn b;\r\n}\r\n';
  assert.equal(toDocumentEol(toModelText(doc), '\r\n'), doc);
});

test('a CRLF document gets exactly the suggestions of the same text with LF', () => {
  const lf = 'function add(a, b) {\n\treturn a + b;\n}\n\nfunction sub(a, b) {\n\t';
  const crlf = lf.replace(/\n/g, '\r\n');
  tiny.reset();
  const a = completeText(tiny, lf, options);
  tiny.reset();
  const b = completeText(tiny, crlf, options);
  assert.ok(a.items.length > 0);
  assert.deepEqual(b.items, a.items);
  for (const item of b.items) assert.ok(!item.includes('\r'), 'the model writes LF; the provider converts');
});

test('the panel reads a CRLF document as LF', () => {
  const panel = new PanelPrediction(new Adaptation());
  const lf = 'const total = items.length;\nconst first = items[0];\n';
  const one = panel.predict(tiny, { text: lf, topK: 5, attention: false, contextChips: 48 });
  const two = panel.predict(tiny, { text: lf.replace(/\n/g, '\r\n'), topK: 5, attention: false, contextChips: 48 });
  assert.deepEqual(two.tokens.map((t) => t.id), one.tokens.map((t) => t.id));
  assert.ok(!two.tokens.some((t) => t.text.includes('\r')), 'no carriage return reaches the model');
});

test('after indentation the context is complete: the editor\'s indentation is not healed into deeper indentation', () => {
  for (const indent of ['\t\t', '    ', '  ']) {
    const { context, head } = healedContext(tiny, `if (ok) {\n${indent}`);
    assert.equal(head, undefined, JSON.stringify(indent));
    assert.equal(texts(context).at(-1), `\n${indent}`, 'the context ends with the indentation token, as in training before a word');
  }
  // A space before a word belongs to the word (" x"): it is healed.
  const space = healedContext(tiny, 'for (const ');
  assert.equal(tiny.tokenizer.tokenText(space.head!), ' ');
  assert.deepEqual(texts(space.context).slice(-3), ['for', ' (', 'const']);
  // Inside a word the last token is taken back.
  const word = healedContext(tiny, 'retur');
  assert.ok(word.head !== undefined && 'retur'.endsWith(tiny.tokenizer.tokenText(word.head)));
});

test('ghost text after tab indentation starts with code, as after space indentation', () => {
  const body = 'export function sum(values) {\n\tlet total = 0;\n\tfor (const v of values) {\n\t\ttotal += v;\n\t}\n\t';
  tiny.reset();
  const r = completeText(tiny, body, { ...options, multiline: false });
  assert.ok(r.items.length > 0);
  for (const item of r.items) assert.match(item, /^\S/, `no deeper indentation: ${JSON.stringify(item)}`);
});

test('the context start moves in steps, so the prefix only grows while typing', () => {
  const from = 5 * (PREFIX_CHARS / 2);
  const start = contextStart(from);
  for (let offset = from; offset < from + PREFIX_CHARS / 2; offset++) assert.equal(contextStart(offset), start);
  assert.ok(contextStart(from + PREFIX_CHARS / 2) > start);
  for (const offset of [from, from + PREFIX_CHARS / 2 - 1]) assert.ok(offset - start >= PREFIX_CHARS && offset - start < PREFIX_CHARS * 1.5);
  assert.equal(contextStart(100), 0);
});
