/**
 * The TypeScript tokenizer against Hugging Face `tokenizers`, which trains the bundled code
 * models' vocabularies (training/hf_tokenizer.py): the same ids for hard strings and real
 * source, byte for byte. The fixture (test/fixtures/hf-tokenizer/) is written by
 * training/make_tokenizer_fixtures.py from the Python library itself.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { loadTokenizer } from '../../src/engine';

const dir = path.join(__dirname, '..', '..', '..', 'test', 'fixtures', 'hf-tokenizer');
const tokenizer = loadTokenizer(fs.readFileSync(path.join(dir, 'tokenizer.json'), 'utf8'), 'hf-tokenizer/tokenizer.json');
const { cases } = JSON.parse(fs.readFileSync(path.join(dir, 'cases.json'), 'utf8')) as { cases: Array<{ text: string; ids: number[] }> };

test('the fixture has the hard strings and real files', () => {
  assert.ok(cases.length >= 15);
  assert.ok(cases.some((c) => c.text.includes('\r\n')) && cases.some((c) => /\p{Script=Han}/u.test(c.text)) && cases.some((c) => c.text.length > 1000));
});

for (const [i, c] of cases.entries()) {
  test(`case ${i} (${JSON.stringify(c.text.slice(0, 30))}): same ids as Hugging Face tokenizers, and decodes back`, () => {
    assert.deepEqual(tokenizer.encode(c.text), c.ids);
    assert.equal(tokenizer.decode(c.ids), c.text);
  });
}

test('the fill-in-the-middle specials are in the vocabulary and never come out of text', () => {
  for (const [content, id] of [['<|endoftext|>', 0], ['<|fim_prefix|>', 1], ['<|fim_middle|>', 2], ['<|fim_suffix|>', 3]] as const) {
    assert.equal(tokenizer.specialId(content), id);
    assert.ok(!tokenizer.encode(`a ${content} b`).includes(id), `${content} typed in code stays characters`);
  }
});
