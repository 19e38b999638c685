// Small GGUF vocabularies for the tokenizer tests, learned from a sample text so their merges
// look like real ones: a byte-level BPE (gpt2) vocabulary for a given pre-tokenizer, and a
// SentencePiece-style (llama) one with scores and the 256 byte-fallback tokens. Each is
// written with the llama skeleton llama.cpp needs before it loads a vocabulary.
import { byteToUnicodeTable } from '../../src/engine';
import { meta, writeGguf, type GgufEntry } from './ggufWriter';
import { llamaSkeleton } from './ggufFixtures';

/** Text the vocabularies learn from: code, prose, CJK, digits, whitespace. */
export const SAMPLE_TEXT = [
  'function add(a, b) {\n\treturn a + b;\n}\n',
  'def fibonacci(n):\n    if n < 2:\n        return n\n    return fibonacci(n - 1) + fibonacci(n - 2)\n',
  "The quick brown fox jumps over the lazy dog. It's what they'll do, isn't it? We're here.\n",
  'for (let i = 0; i < 10000; i++) { total += values[i] * 2.5; }\r\n',
  '我们 今天 去 公园 散步。日本語のテキスト。한국어 문장입니다.\n',
  'const message = `Hello, ${name}!`; // greet the user\n',
  '    SELECT id, name FROM users WHERE age >= 18 ORDER BY name;\n',
].join('');

/** Learns `count` merges on the chunks (each a list of symbols); returns them in rank order. */
function learnMerges(chunks: string[][], count: number): Array<[string, string]> {
  const merges: Array<[string, string]> = [];
  for (let m = 0; m < count; m++) {
    const freq = new Map<string, number>();
    for (const c of chunks) for (let i = 0; i + 1 < c.length; i++) freq.set(c[i] + '\u0000' + c[i + 1], (freq.get(c[i] + '\u0000' + c[i + 1]) ?? 0) + 1);
    let best = '';
    let bestN = 1;
    for (const [k, n] of freq) if (n > bestN || (n === bestN && best !== '' && k < best)) [best, bestN] = [k, n];
    if (best === '') break;
    const [a, b] = best.split('\u0000');
    merges.push([a, b]);
    for (const c of chunks) {
      for (let i = 0; i + 1 < c.length; i++) {
        if (c[i] === a && c[i + 1] === b) c.splice(i, 2, a + b);
      }
    }
  }
  return merges;
}

export interface VocabOptions {
  /** tokenizer.ggml.pre */
  pre: string;
  /** Splits the sample for learning (the rules need not match the pre-tokenizer exactly). */
  split?: RegExp;
  merges?: number;
  /** Extra metadata entries. */
  extra?: Array<[string, GgufEntry]>;
}

/**
 * A byte-level BPE GGUF: id 0 <|endoftext|> (control), then <|im_start|>, <|im_end|>, the
 * three StarCoder FIM tokens (control) and one user-defined token, the 256 byte tokens and
 * the learned merges.
 */
export function bpeVocabGguf(options: VocabOptions): { bytes: Uint8Array; tokens: string[] } {
  const table = byteToUnicodeTable();
  const toByteLevel = (s: string) => Array.from(new TextEncoder().encode(s), (b) => table[b]);
  const split = options.split ?? /'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+/gu;
  const chunks = Array.from(SAMPLE_TEXT.matchAll(split), (m) => toByteLevel(m[0]));
  const merges = learnMerges(chunks, options.merges ?? 300);
  const specials: Array<[string, number]> = [
    ['<|endoftext|>', 3],
    ['<|im_start|>', 3],
    ['<|im_end|>', 3],
    ['<fim_prefix>', 3],
    ['<fim_middle>', 3],
    ['<fim_suffix>', 3],
    ['<user_token>', 4],
  ];
  const tokens = [...specials.map((s) => s[0]), ...table];
  const types = [...specials.map((s) => s[1]), ...table.map(() => 1)];
  const seen = new Set(tokens);
  for (const [a, b] of merges) {
    if (seen.has(a + b)) continue;
    seen.add(a + b);
    tokens.push(a + b);
    types.push(1);
  }
  const skeleton = llamaSkeleton(tokens.length);
  const bytes = writeGguf({
    tensors: skeleton.tensors,
    metadata: [
      ...skeleton.metadata,
      ['tokenizer.ggml.model', meta.str('gpt2')],
      ['tokenizer.ggml.pre', meta.str(options.pre)],
      ['tokenizer.ggml.tokens', meta.strings(tokens)],
      ['tokenizer.ggml.token_type', meta.i32s(types)],
      ['tokenizer.ggml.merges', meta.strings(merges.map(([a, b]) => `${a} ${b}`))],
      ['tokenizer.ggml.bos_token_id', meta.u32(0)],
      ['tokenizer.ggml.eos_token_id', meta.u32(0)],
      ...(options.extra ?? []),
    ],
  });
  return { bytes, tokens };
}

/**
 * A SentencePiece-style GGUF: <unk>, <s>, </s>, the 256 <0xXX> byte tokens, the sample's
 * frequent characters, then pieces merged on the sample with `▁` for spaces, scored by
 * rank (earlier merges score higher), as SentencePiece's BPE models are.
 */
export function spmVocabGguf(extra: Array<[string, GgufEntry]> = []): { bytes: Uint8Array; tokens: string[] } {
  const text = SAMPLE_TEXT.replaceAll(' ', '\u2581');
  const counts = new Map<string, number>();
  for (const ch of text) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  // Characters seen once stay out, so the tests exercise the byte fallback.
  const chars = [...counts].filter(([, n]) => n > 1).map(([c]) => c);
  const known = new Set(chars);
  const chunks = text.split(/(?=\u2581)/u).map((w) => Array.from(w).map((c) => (known.has(c) ? c : '\u0000' + c)));
  const merges = learnMerges(chunks, 250).filter(([a, b]) => !a.startsWith('\u0000') && !b.startsWith('\u0000'));
  const hex = (b: number) => `<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`;
  const tokens = ['<unk>', '<s>', '</s>', ...Array.from({ length: 256 }, (_, b) => hex(b))];
  const types = [2, 3, 3, ...Array.from({ length: 256 }, () => 6)];
  const scores = [0, 0, 0, ...Array.from({ length: 256 }, () => 0)];
  const seen = new Set(tokens);
  const add = (t: string, score: number) => {
    if (seen.has(t)) return;
    seen.add(t);
    tokens.push(t);
    types.push(1);
    scores.push(score);
  };
  merges.forEach(([a, b], rank) => add(a + b, -rank));
  chars.forEach((c, i) => add(c, -1000 - i));
  const skeleton = llamaSkeleton(tokens.length);
  const bytes = writeGguf({
    tensors: skeleton.tensors,
    metadata: [
      ...skeleton.metadata,
      ['tokenizer.ggml.model', meta.str('llama')],
      ['tokenizer.ggml.tokens', meta.strings(tokens)],
      ['tokenizer.ggml.scores', meta.f32s(scores)],
      ['tokenizer.ggml.token_type', meta.i32s(types)],
      ['tokenizer.ggml.bos_token_id', meta.u32(1)],
      ['tokenizer.ggml.eos_token_id', meta.u32(2)],
      ['tokenizer.ggml.unknown_token_id', meta.u32(0)],
      ...extra,
    ],
  });
  return { bytes, tokens };
}
