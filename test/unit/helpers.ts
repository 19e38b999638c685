import * as path from 'node:path';
import { byteToUnicodeTable } from '../../src/engine';

/** The repository root (tests run from out/test/unit). */
export const ROOT = path.resolve(__dirname, '..', '..', '..');

/**
 * A small byte-level BPE tokenizer.json: id 0 = <|endoftext|>, ids 1..256 = bytes, then
 * the given merges (as pairs of byte strings) in rank order.
 */
export function tinyBpeJson(merges: Array<[string, string]>, pattern?: string): unknown {
  const table = byteToUnicodeTable();
  const toUnicode = (s: string) => Array.from(new TextEncoder().encode(s), (b) => table[b]).join('');
  const vocab: Record<string, number> = {};
  for (let b = 0; b < 256; b++) vocab[table[b]] = b + 1;
  const mergeStrings: string[] = [];
  for (const [a, b] of merges) {
    const ua = toUnicode(a);
    const ub = toUnicode(b);
    if (vocab[ua + ub] === undefined) vocab[ua + ub] = Object.keys(vocab).length + 1;
    mergeStrings.push(`${ua} ${ub}`);
  }
  return {
    version: '1.0',
    added_tokens: [{ id: 0, content: '<|endoftext|>', special: true }],
    pre_tokenizer: pattern === undefined ? { type: 'ByteLevel' } : { type: 'Split', pattern: { Regex: pattern }, behavior: 'Isolated' },
    model: { type: 'BPE', vocab, merges: mergeStrings },
    decoder: { type: 'ByteLevel' },
  };
}

/** The project's pre-tokenizer regex, as written in models/FORMAT.md. */
export const PROJECT_PATTERN = "[\\r\\n]+[ \\t]*|[ ]?[A-Za-z_$][A-Za-z0-9_$]*|[ ]?[0-9]{1,3}|[ ]?[!-#%-/:-@\\[-^`{-~]+|[ ]?[^\\x00-\\x7F]+|[ \\t]+|[\\s\\S]";

/** Strings every tokenizer must survive. */
export const HARD_STRINGS = [
  '',
  'hello world',
  'function add(a: number, b: number): number {\n\treturn a + b;\n}\n',
  '    if x:\r\n        pass  \n\n\n',
  '我爱你',
  '我 刚才 跑步,我 现在 吃饭',
  'emoji 🙂👍🏽 and flags 🇫🇷',
  'combining e\u0301 and a\u0308 \u200d zero width',
  'lone surrogates \ud800 x \udfff y \udc00\ud800',
  '\u0000\u0001\u007f control \u0085 \u2028 \u00a0 nbsp',
  'mixed 日本語 Ελληνικά русский العربية עברית',
  '<|endoftext|> is plain text here',
];
