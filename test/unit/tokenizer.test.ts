import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BpeTokenizer, decodeWtf8, encodeWtf8, isModelError, loadTokenizer, WordTokenizer } from '../../src/engine';
import { HARD_STRINGS, PROJECT_PATTERN, tinyBpeJson } from './helpers';

const MERGES: Array<[string, string]> = [
  ['e', 'r'], [' ', 't'], ['h', 'e'], [' t', 'he'], ['i', 'n'], ['r', 'e'], ['t', 'u'], ['tu', 'r'], ['re', 'tur'],
  ['retur', 'n'], [' ', ' '], ['  ', '  '], ['\n', '    '],
];

test('WTF-8 round-trips every JavaScript string, lone surrogates included', () => {
  for (const s of HARD_STRINGS) assert.equal(decodeWtf8(encodeWtf8(s)).text, s);
  assert.deepEqual(Array.from(encodeWtf8('\ud800')), [0xed, 0xa0, 0x80]);
  assert.deepEqual(Array.from(encodeWtf8('我')), Array.from(new TextEncoder().encode('我')));
  assert.deepEqual(Array.from(encodeWtf8('🙂')), Array.from(new TextEncoder().encode('🙂')));
});

test('invalid and incomplete UTF-8 decodes visibly, or is held back when streaming', () => {
  assert.equal(decodeWtf8([0xff, 0x41]).text, '\ufffdA');
  assert.equal(decodeWtf8([0xc0, 0x80]).text, '\ufffd\ufffd', 'overlong forms are refused');
  const half = Array.from(new TextEncoder().encode('a我')).slice(0, 3);
  assert.deepEqual(decodeWtf8(half, true), { text: 'a', pending: 2 });
  assert.equal(decodeWtf8(half).text, 'a\ufffd\ufffd');
});

for (const [name, pattern] of [['GPT-2 ByteLevel', undefined], ['project Split regex', PROJECT_PATTERN]] as const) {
  test(`byte-level BPE (${name}) round-trips hard strings exactly`, () => {
    const tok = new BpeTokenizer(tinyBpeJson(MERGES, pattern));
    for (const s of HARD_STRINGS) {
      const ids = tok.encode(s);
      assert.equal(tok.decode(ids), s, JSON.stringify(s));
      for (const id of ids) assert.ok(id >= 1 && id < tok.vocabSize);
    }
  });
}

test('merges apply by rank', () => {
  const tok = new BpeTokenizer(tinyBpeJson(MERGES, PROJECT_PATTERN));
  const ids = tok.encode(' the return');
  assert.deepEqual(ids.map((id) => tok.tokenText(id)), [' the', ' ', 'return']);
  // "\n    x": newline and indentation are one chunk; merges build "\n" + "    " pieces.
  const indent = tok.encode('\n    x');
  assert.equal(tok.decode(indent), '\n    x');
  assert.equal(tok.tokenText(indent[0]), '\n    ');
});

test('special tokens are never parsed out of user text', () => {
  const tok = new BpeTokenizer(tinyBpeJson(MERGES, PROJECT_PATTERN));
  assert.equal(tok.specialId('<|endoftext|>'), 0);
  assert.ok(!tok.encode('<|endoftext|>').includes(0));
  assert.equal(tok.decode([0]), '<|endoftext|>');
});

test('broken tokenizer.json files are typed errors naming the file', () => {
  const cases: unknown[] = [
    '{',
    '[]',
    '{"model": {"type": "Unigram"}}',
    '{"model": {"type": "BPE", "vocab": {"a": 0}}}',
    '{"model": {"type": "BPE", "vocab": {"a": -1}, "merges": []}}',
    '{"model": {"type": "BPE", "vocab": {"a": 0, "b": 1}, "merges": ["a c"]}}',
    '{"model": {"type": "BPE", "vocab": {"\\u0000": 0}, "merges": []}}',
    '{"model": {"type": "BPE", "vocab": {"a": 0}, "merges": []}, "pre_tokenizer": {"type": "Split", "pattern": {"Regex": "("}}}',
    '{"model": {"type": "BPE", "vocab": {"a": 0}, "merges": []}, "pre_tokenizer": {"type": "Metaspace"}}',
    '{"model": {"type": "WordLevel", "vocab": {"a": 0, "b": 0}}}',
    '{"model": {"type": "WordLevel", "vocab": {"a": 5}}}',
  ];
  for (const text of cases) {
    assert.throws(() => loadTokenizer(text as string, 'tk/tokenizer.json'), (e: unknown) => {
      assert.ok(isModelError(e), `${text}: ${e}`);
      assert.equal(e.code, 'bad-tokenizer');
      assert.match(e.message, /^tk\/tokenizer\.json: /);
      return true;
    }, String(text));
  }
});

test('word-level tokenizer finds words without spaces and reports unknown text', () => {
  const tok = new WordTokenizer({ model: { type: 'WordLevel', vocab: { 我: 0, 刚才: 1, 现在: 2, 吃饭: 3, 睡觉: 4, 跑步: 5 } } });
  assert.deepEqual(tok.encode('我 刚才 跑步,我 现在'), [0, 1, 5, 0, 2]);
  assert.deepEqual(tok.encode('我刚才跑步，我现在'), [0, 1, 5, 0, 2]);
  assert.deepEqual(tok.scan('我爱你 现在'), { ids: [0, 2], unknown: ['爱你'] });
  assert.equal(tok.decode([0, 1, 3]), '我 刚才 吃饭');
  assert.throws(() => tok.tokenText(6), (e: unknown) => isModelError(e) && e.code === 'bad-token');
});
