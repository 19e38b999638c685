// Tokenizers from GGUF metadata against llama.cpp itself (node-llama-cpp's model.tokenize):
// the real SmolLM2 vocabulary and small learned ones for each supported pre-tokenizer and
// for SentencePiece, on a corpus of hard strings; decode round trips; special tokens,
// BOS/EOS and FIM ids from the metadata; our own regex through next_token.pre_pattern.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import type { LlamaModel } from 'node-llama-cpp';
import { BpeTokenizer, isModelError, Rng } from '../../src/engine';
import { readGguf } from '../../src/engine/gguf';
import { GGUF_PRE_TOKENIZERS, ggufTokenizer, PRE_PATTERN_KEY, type GgufTokenizer } from '../../src/engine/ggufTokenizer';
import { llamaVocab, smollm2 } from './ggufFixtures';
import { bpeVocabGguf, SAMPLE_TEXT, spmVocabGguf } from './ggufVocab';
import { meta, writeGguf } from './ggufWriter';
import { HARD_STRINGS, PROJECT_PATTERN, tinyBpeJson } from './helpers';

/** Strings where tokenizers disagree if they differ at all. Lone surrogates are left out:
 *  node-llama-cpp turns them into U+FFFD before llama.cpp sees them, we keep them (WTF-8). */
const CORPUS = [
  ...HARD_STRINGS.filter((s) => !/[\ud800-\udfff]/u.test(s.replace(/[\ud800-\udbff][\udc00-\udfff]/g, ''))),
  SAMPLE_TEXT,
  'if (x) {\r\n\t\treturn  y;\t// tab\there\r\n}\r\n',
  'a\u00a0b\u3000c\u2028d\u2029e\u000bf\u000cg  \t \n  h',
  '     leading spaces and trailing     ',
  ' '.repeat(40) + 'x' + '\t'.repeat(9) + '\n'.repeat(5),
  'numbers 1 12 123 1234 12345 123456 1234567 3.14159 1e-10 0x1F 1,000,000 ١٢٣ ½ Ⅻ',
  "contractions: don't I'm you're we've they'll she'd it's DON'T I'M 'S 'Ll ’s",
  'emoji 👩‍👩‍👧‍👦 🧑🏿‍💻 ❤️ 🏳️‍🌈 ✔︎ and text',
  'combining: é (e+\u0301), ñ, Å, ḱ̟, नमस्ते, สวัสดี, 한국어',
  '<|endoftext|><|im_start|>user\nhi<|im_end|> <fim_prefix>pre<fim_suffix>suf<fim_middle>',
  'a <user_token> inside text and <user_token><user_token>',
  'CJK: 我们今天去公园散步。日本語のテキスト、カタカナ。漢字 中文标点！？',
  'symbols: ~!@#$%^&*()_+-={}[]|\\:";\'<>?,./ `` ++ -- => <= != === ... «» “quotes”',
  'x'.repeat(300),
  'camelCaseIdentifier snake_case_name SCREAMING_CASE kebab-case $dollar _under',
  '\n\n\n\r\n\r\n  \n',
  'Ελληνικά русский العربية עברית ქართული հայերեն',
];

interface Case {
  name: string;
  ours: GgufTokenizer;
  llama: LlamaModel;
}

const cases: Case[] = [];
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gguf-tokenizer-'));

async function addCase(name: string, bytes: Uint8Array): Promise<void> {
  const file = path.join(dir, `${name}.gguf`);
  fs.writeFileSync(file, bytes);
  const ours = ggufTokenizer(readGguf(bytes, `${name}.gguf`));
  cases.push({ name, ours, llama: await llamaVocab(file) });
}

const PRE_TYPES = ['gpt-2', 'smollm', 'starcoder', 'llama-bpe', 'qwen2', 'deepseek-coder', 'default'];

before(async () => {
  for (const pre of PRE_TYPES) await addCase(`bpe-${pre}`, bpeVocabGguf({ pre }).bytes);
  await addCase('spm', spmVocabGguf().bytes);
  await addCase('spm-no-space-prefix', spmVocabGguf([['tokenizer.ggml.add_space_prefix', meta.bool(false)]]).bytes);
  const smol = smollm2();
  if (smol.path !== undefined) {
    const bytes = new Uint8Array(fs.readFileSync(smol.path));
    cases.push({ name: 'SmolLM2', ours: ggufTokenizer(readGguf(bytes, 'SmolLM2.gguf')), llama: await llamaVocab(smol.path) });
  }
});

after(async () => {
  for (const c of cases) await c.llama.dispose();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('the same token ids as llama.cpp on every string, for every vocabulary', () => {
  assert.ok(cases.length >= PRE_TYPES.length + 2, 'the vocabularies loaded');
  if (!cases.some((c) => c.name === 'SmolLM2')) console.log('SmolLM2 not cached: its vocabulary is not compared here');
  const mismatches: string[] = [];
  let compared = 0;
  for (const c of cases) {
    for (const s of CORPUS) {
      const want = Array.from(c.llama.tokenize(s));
      const got = c.ours.encode(s);
      compared++;
      if (JSON.stringify(got) !== JSON.stringify(want)) {
        mismatches.push(`${c.name} ${JSON.stringify(s.slice(0, 60))}:\n  llama.cpp ${JSON.stringify(want.slice(0, 40))}\n  ours      ${JSON.stringify(got.slice(0, 40))}`);
      }
    }
  }
  console.log(`tokenizers: ${compared} (vocabulary, string) pairs compared with llama.cpp, ${mismatches.length} differ`);
  assert.deepEqual(mismatches, []);
});

test('with parseSpecial, control tokens in the text match llama.cpp tokenize(text, true)', () => {
  const mismatches: string[] = [];
  for (const c of cases) {
    for (const s of CORPUS.filter((x) => x.includes('<'))) {
      const want = Array.from(c.llama.tokenize(s, true));
      const got = c.ours.encode(s, { parseSpecial: true });
      if (JSON.stringify(got) !== JSON.stringify(want)) mismatches.push(`${c.name} ${JSON.stringify(s.slice(0, 60))}: ${JSON.stringify(want)} vs ${JSON.stringify(got)}`);
    }
  }
  assert.deepEqual(mismatches, []);
});

test('control tokens in the text stay text by default; user-defined ones are always matched', () => {
  const c = cases.find((x) => x.name === 'bpe-smollm')!;
  const endoftext = c.ours.specialId('<|endoftext|>')!;
  assert.equal(endoftext, 0);
  assert.ok(!c.ours.encode('x <|endoftext|> y').includes(endoftext), 'typed <|endoftext|> is characters');
  assert.ok(c.ours.encode('x <|endoftext|> y', { parseSpecial: true }).includes(endoftext));
  const user = c.ours.specialId('<user_token>')!;
  assert.deepEqual(
    c.ours.encode('<user_token>').filter((id) => id === user),
    [user],
  );
});

test('decoding gives back the text: byte-level exactly, SentencePiece with its leading space', () => {
  for (const c of cases) {
    for (const s of [...CORPUS, ...HARD_STRINGS]) {
      const ids = c.ours.encode(s);
      const text = c.ours.decode(ids);
      if (c.name === 'spm') assert.equal(text, s.length > 0 && !s.startsWith('<user_token>') ? ' ' + s : s, `${c.name}: ${JSON.stringify(s)}`);
      else assert.equal(text, s, `${c.name}: ${JSON.stringify(s)}`);
      // Token by token, the bytes add up to the same text.
      const joined = Buffer.concat(ids.map((id) => c.ours.tokenBytes(id))).toString('utf8');
      if (!/[\ud800-\udfff]/.test(s)) assert.equal(joined, text);
    }
  }
});

test('each normal token reads as llama.cpp detokenizes it, over the whole vocabulary', () => {
  for (const c of cases) {
    const diffs: string[] = [];
    let checked = 0;
    for (let id = 0; id < c.ours.vocabSize; id++) {
      if (c.ours.tokenType(id) !== 1) continue;
      const want = c.llama.detokenize([id] as never);
      let got = c.ours.tokenText(id);
      if (want.includes('\ufffd') || got.includes('\ufffd')) continue; // a piece of a character: shown differently
      // llama.cpp drops the space SentencePiece put in front of the first token.
      if (c.name === 'spm') got = got.replace(/^ /, '');
      checked++;
      if (want !== got) diffs.push(`${id} ${JSON.stringify(want)} vs ${JSON.stringify(got)}`);
    }
    assert.ok(checked > 50, `${c.name}: ${checked} tokens checked`);
    assert.deepEqual(diffs, [], c.name);
  }
});

test('BOS, EOS, end-of-generation and FIM ids from the metadata and the token texts', (t) => {
  const smol = cases.find((c) => c.name === 'SmolLM2');
  if (!smol) return t.skip('SmolLM2 is not cached');
  assert.equal(smol.ours.bos, 1);
  assert.equal(smol.ours.eos, 2);
  assert.equal(smol.ours.addBos, false); // tokenizer.ggml.add_bos_token = false
  assert.equal(smol.ours.pre, 'smollm');
  assert.ok(smol.ours.endOfGeneration.includes(0) && smol.ours.endOfGeneration.includes(2), '<|endoftext|> and <|im_end|> end generation');
  // SmolLM2's vocabulary has StarCoder's metadata tokens but no FIM ones: no fill in the middle.
  assert.equal(smol.ours.fimTokens(), undefined);
  const starcoder = cases.find((c) => c.name === 'bpe-starcoder')!.ours;
  const fim = starcoder.fimTokens()!;
  assert.deepEqual([fim.prefix, fim.middle, fim.suffix], [3, 4, 5], 'found by their texts <fim_prefix>, <fim_middle>, <fim_suffix>');
  assert.deepEqual(fim.stop, [0, 2], 'a FIM answer stops at <|endoftext|> (eos) and <|im_end|>');

  const spm = cases.find((c) => c.name === 'spm')!;
  assert.equal(spm.ours.addBos, true, 'SentencePiece vocabularies start with BOS by default');
  assert.equal(spm.ours.fimTokens(), undefined, 'no FIM tokens, no FIM');

  // Ids in the metadata win over the texts; the older prefix/suffix/middle keys count too.
  const withIds = ggufTokenizer(readGguf(bpeVocabGguf({ pre: 'gpt-2', extra: [['tokenizer.ggml.fim_pre_token_id', meta.u32(1)], ['tokenizer.ggml.suffix_token_id', meta.u32(2)], ['tokenizer.ggml.fim_mid_token_id', meta.u32(6)]] }).bytes));
  assert.deepEqual([withIds.fimTokens()!.prefix, withIds.fimTokens()!.suffix, withIds.fimTokens()!.middle], [1, 2, 6]);
  const llama3 = ggufTokenizer(readGguf(bpeVocabGguf({ pre: 'llama-bpe' }).bytes));
  assert.equal(llama3.addBos, true, 'llama3 tokenizers start with BOS unless the file says otherwise');
  const noBos = ggufTokenizer(readGguf(bpeVocabGguf({ pre: 'llama-bpe', extra: [['tokenizer.ggml.add_bos_token', meta.bool(false)]] }).bytes));
  assert.equal(noBos.addBos, false);
});

test('our own pre-tokenizer regex (next_token.pre_pattern) gives the ids of the project tokenizer', () => {
  const merges: Array<[string, string]> = [
    ['e', 'r'],
    [' ', 't'],
    ['i', 'n'],
    [' t', 'h'],
    ['r', 'e'],
    ['\n', ' '],
    ['\n ', ' '],
    ['o', 'n'],
    [' th', 'e'],
    ['=', '='],
  ];
  const json = tinyBpeJson(merges, PROJECT_PATTERN) as { model: { vocab: Record<string, number>; merges: string[] } };
  const project = new BpeTokenizer(json);
  const tokens: string[] = [];
  for (const [tok, id] of Object.entries(json.model.vocab)) tokens[id] = tok;
  tokens[0] = '<|endoftext|>';
  const bytes = writeGguf({
    metadata: [
      ['general.architecture', meta.str('gpt2')],
      ['tokenizer.ggml.model', meta.str('gpt2')],
      ['tokenizer.ggml.pre', meta.str('gpt-2')],
      [PRE_PATTERN_KEY, meta.str(PROJECT_PATTERN)],
      ['tokenizer.ggml.tokens', meta.strings(tokens)],
      ['tokenizer.ggml.token_type', meta.i32s(tokens.map((_, i) => (i === 0 ? 3 : 1)))],
      ['tokenizer.ggml.merges', meta.strings(json.model.merges)],
    ],
  });
  const ours = ggufTokenizer(readGguf(bytes, 'ours.gguf'));
  assert.equal(ours.pre, 'next-token');
  for (const s of [...CORPUS, ...HARD_STRINGS]) assert.deepEqual(ours.encode(s), project.encode(s), JSON.stringify(s));
});

test('a tokenizer that cannot be used is a ModelError naming the file', () => {
  const broken = (entries: Array<[string, ReturnType<typeof meta.str>]>, pattern: RegExp) =>
    assert.throws(
      () => ggufTokenizer(readGguf(writeGguf({ metadata: entries }), 'bad.gguf')),
      (e: unknown) => isModelError(e) && e.code === 'bad-tokenizer' && e.message.startsWith('bad.gguf: ') && pattern.test(e.message),
    );
  const tokens = meta.strings(['a', 'b', 'ab']);
  broken([['tokenizer.ggml.tokens', tokens]], /tokenizer.ggml.model is missing/);
  broken([['tokenizer.ggml.model', meta.str('bert')], ['tokenizer.ggml.tokens', tokens]], /tokenizer model "bert" is not supported/);
  broken([['tokenizer.ggml.model', meta.str('gpt2')]], /tokenizer.ggml.tokens is missing/);
  broken([['tokenizer.ggml.model', meta.str('gpt2')], ['tokenizer.ggml.tokens', tokens], ['tokenizer.ggml.pre', meta.str('gpt-2')]], /merges is missing/);
  broken(
    [['tokenizer.ggml.model', meta.str('gpt2')], ['tokenizer.ggml.tokens', tokens], ['tokenizer.ggml.merges', meta.strings(['a b'])], ['tokenizer.ggml.pre', meta.str('klingon')]],
    /pre-tokenizer "klingon" is not supported \(supported: gpt-2, .*smollm/,
  );
  broken([['tokenizer.ggml.model', meta.str('llama')], ['tokenizer.ggml.tokens', tokens], ['tokenizer.ggml.scores', meta.f32s([0])]], /scores has 1 entries for 3 tokens/);
  broken(
    [['tokenizer.ggml.model', meta.str('gpt2')], ['tokenizer.ggml.tokens', tokens], ['tokenizer.ggml.merges', meta.strings(['a b'])], [PRE_PATTERN_KEY, meta.str('(')]],
    /does not compile/,
  );
  assert.ok(GGUF_PRE_TOKENIZERS.includes('llama3') && GGUF_PRE_TOKENIZERS.includes('qwen2'));
});

test('fuzzed tokenizer metadata ends in a ModelError or a tokenizer that encodes, never another exception', () => {
  const bases = [bpeVocabGguf({ pre: 'qwen2' }).bytes, spmVocabGguf().bytes];
  const rng = new Rng(23);
  const outcomes: Record<string, number> = {};
  for (let i = 0; i < 600; i++) {
    const bytes = bases[i % 2].slice();
    // Flips inside the metadata (the tensors come after it and are zeros here).
    for (let k = 0, n = 1 + Math.floor(rng.next() * 6); k < n; k++) bytes[24 + Math.floor(rng.next() * Math.min(bytes.length - 24, 6000))] ^= 1 << Math.floor(rng.next() * 8);
    let outcome: string;
    try {
      const tok = ggufTokenizer(readGguf(bytes, 'fuzzed.gguf'));
      const ids = tok.encode('def f(x):\n\treturn x  # 你好 <|endoftext|>', { parseSpecial: i % 3 === 0 });
      assert.ok(ids.every((id) => Number.isInteger(id) && id >= 0 && id < tok.vocabSize));
      tok.decode(ids);
      outcome = 'encoded';
    } catch (e) {
      if (!isModelError(e)) throw new Error(`case ${i}: not a ModelError: ${(e as Error)?.stack ?? e}`);
      outcome = e.code;
    }
    outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
  }
  console.log(`fuzz gguf tokenizer: 600 cases: ${JSON.stringify(outcomes)}`);
  assert.ok((outcomes.encoded ?? 0) > 50 && Object.keys(outcomes).length >= 2);
});

test('SmolLM2: 49,152 tokens read in well under a second, and a long file encodes fast', (t) => {
  const smol = smollm2();
  if (smol.path === undefined) return t.skip(smol.skip);
  const bytes = new Uint8Array(fs.readFileSync(smol.path));
  const gguf = readGguf(bytes, 'SmolLM2.gguf');
  let started = performance.now();
  const tok = ggufTokenizer(gguf);
  const buildMs = performance.now() - started;
  const source = fs.readFileSync(__filename, 'utf8').repeat(3);
  started = performance.now();
  const ids = tok.encode(source);
  const encodeMs = performance.now() - started;
  t.diagnostic(`built in ${buildMs.toFixed(0)} ms; ${source.length} characters -> ${ids.length} tokens in ${encodeMs.toFixed(0)} ms`);
  assert.equal(tok.vocabSize, 49152);
  assert.equal(tok.decode(ids), source);
  assert.ok(buildMs < 1500, `built in ${buildMs.toFixed(0)} ms`);
  assert.ok(encodeMs < 1500, `encoded in ${encodeMs.toFixed(0)} ms`);
});
