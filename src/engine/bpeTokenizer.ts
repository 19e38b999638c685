/**
 * Byte-level BPE (GPT-2 style): text -> WTF-8 bytes -> chunks by the pre-tokenizer regex
 * -> each chunk's bytes merged pairwise by rank. Reads the Hugging Face `tokenizer.json`
 * subset described in models/FORMAT.md.
 */
import { ModelError } from './errors';
import type { Tokenizer } from './tokenizer';
import { decodeWtf8, encodeWtf8 } from './wtf8';

/** GPT-2's own pre-tokenizer, used when tokenizer.json says `ByteLevel`. */
const GPT2_PATTERN = "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+";

/** Chunks seen often (identifiers, indentation) are cached; the cache is bounded. */
const CACHE_LIMIT = 50_000;

/**
 * GPT-2's byte <-> printable character table: printable Latin-1 bytes map to themselves,
 * the other 68 bytes to U+0100 onwards, so every token is a readable string in the JSON.
 */
export function byteToUnicodeTable(): string[] {
  const printable: number[] = [];
  for (let b = 0x21; b <= 0x7e; b++) printable.push(b);
  for (let b = 0xa1; b <= 0xac; b++) printable.push(b);
  for (let b = 0xae; b <= 0xff; b++) printable.push(b);
  const table: string[] = new Array(256);
  for (const b of printable) table[b] = String.fromCharCode(b);
  let n = 0;
  for (let b = 0; b < 256; b++) if (table[b] === undefined) table[b] = String.fromCharCode(256 + n++);
  return table;
}

interface TokenizerJson {
  added_tokens?: Array<{ id: number; content: string; special?: boolean }>;
  pre_tokenizer?: { type?: string; pattern?: { Regex?: string; String?: string } } | null;
  model?: { type?: string; vocab?: Record<string, number>; merges?: Array<string | [string, string]> };
}

export class BpeTokenizer implements Tokenizer {
  readonly kind = 'bpe' as const;
  readonly vocabSize: number;
  private readonly pattern: RegExp;
  /** id -> token bytes */
  private readonly bytesOf: Uint8Array[];
  /** byte value -> id of the single-byte token */
  private readonly byteId = new Int32Array(256);
  /** (left id, right id) packed -> rank and merged id */
  private readonly mergeRank = new Map<number, number>();
  private readonly mergeResult = new Map<number, number>();
  private readonly special = new Map<string, number>();
  private readonly cache = new Map<string, number[]>();

  constructor(json: unknown, file = 'tokenizer.json') {
    const t = json as TokenizerJson;
    const model = t?.model;
    if (!model || model.type !== 'BPE' || typeof model.vocab !== 'object' || model.vocab === null || !Array.isArray(model.merges)) {
      throw new ModelError('bad-tokenizer', 'model must be {"type": "BPE", "vocab": {...}, "merges": [...]}', file);
    }
    if (t.added_tokens !== undefined && !Array.isArray(t.added_tokens)) throw new ModelError('bad-tokenizer', 'added_tokens must be a list', file);
    for (const merge of model.merges) {
      const ok = typeof merge === 'string' ? merge.indexOf(' ', 1) > 0 : Array.isArray(merge) && merge.length === 2 && merge.every((m) => typeof m === 'string');
      if (!ok) throw new ModelError('bad-tokenizer', `merge ${JSON.stringify(merge)} is not "a b" or ["a", "b"]`, file);
    }
    const toByte = new Map<string, number>();
    byteToUnicodeTable().forEach((ch, b) => toByte.set(ch, b));

    let maxId = -1;
    const entries = Object.entries(model.vocab);
    for (const [, id] of entries) {
      if (!Number.isInteger(id) || id < 0 || id > 10_000_000) throw new ModelError('bad-tokenizer', `vocab id ${id} is not a small non-negative integer`, file);
      maxId = Math.max(maxId, id);
    }
    for (const added of t.added_tokens ?? []) {
      if (!Number.isInteger(added?.id) || typeof added.content !== 'string') throw new ModelError('bad-tokenizer', 'added_tokens entries need an integer id and a string content', file);
      maxId = Math.max(maxId, added.id);
    }
    this.vocabSize = maxId + 1;
    this.bytesOf = new Array(this.vocabSize).fill(new Uint8Array(0));
    const idOf = new Map<string, number>();
    for (const [token, id] of entries) {
      const bytes = new Uint8Array(token.length);
      for (let i = 0; i < token.length; i++) {
        const b = toByte.get(token[i]);
        if (b === undefined) throw new ModelError('bad-tokenizer', `vocab token ${JSON.stringify(token)} is not in the byte-level alphabet`, file);
        bytes[i] = b;
      }
      this.bytesOf[id] = bytes;
      idOf.set(token, id);
    }
    this.byteId.fill(-1);
    for (let b = 0; b < 256; b++) {
      const id = idOf.get(byteToUnicodeTable()[b]);
      if (id !== undefined) this.byteId[b] = id;
    }
    for (const added of t.added_tokens ?? []) {
      this.special.set(added.content, added.id);
      this.bytesOf[added.id] = encodeWtf8(added.content);
    }
    model.merges.forEach((merge, rank) => {
      const [a, b] = typeof merge === 'string' ? splitMerge(merge) : merge;
      const left = idOf.get(a);
      const right = idOf.get(b);
      const merged = idOf.get(a + b);
      if (left === undefined || right === undefined || merged === undefined) {
        throw new ModelError('bad-tokenizer', `merge ${rank} (${JSON.stringify(merge)}) names tokens missing from the vocab`, file);
      }
      const key = left * 0x1000000 + right;
      if (!this.mergeRank.has(key)) {
        this.mergeRank.set(key, rank);
        this.mergeResult.set(key, merged);
      }
    });

    const pre = t.pre_tokenizer;
    if (pre !== undefined && pre !== null && typeof pre !== 'object') throw new ModelError('bad-tokenizer', 'pre_tokenizer must be an object', file);
    let source: string;
    if (!pre || pre.type === 'ByteLevel') source = GPT2_PATTERN;
    else if (pre.type === 'Split' && typeof pre.pattern?.Regex === 'string') source = pre.pattern.Regex;
    else throw new ModelError('bad-tokenizer', `pre_tokenizer ${JSON.stringify(pre.type)} is not supported (ByteLevel or Split with a Regex)`, file);
    try {
      this.pattern = new RegExp(source, 'gu');
    } catch (e) {
      throw new ModelError('bad-tokenizer', `pre_tokenizer regex does not compile: ${(e as Error).message}`, file);
    }
  }

  encode(text: string): number[] {
    const ids: number[] = [];
    this.pattern.lastIndex = 0;
    let covered = 0;
    for (const match of text.matchAll(this.pattern)) {
      // Text the regex skips (it should skip none) is still encoded: no byte is ever lost.
      if (match.index! > covered) this.encodeChunk(text.slice(covered, match.index), ids);
      if (match[0].length === 0) continue;
      this.encodeChunk(match[0], ids);
      covered = match.index! + match[0].length;
    }
    if (covered < text.length) this.encodeChunk(text.slice(covered), ids);
    return ids;
  }

  private encodeChunk(chunk: string, out: number[]): void {
    const cached = this.cache.get(chunk);
    if (cached) {
      for (const id of cached) out.push(id);
      return;
    }
    const bytes = encodeWtf8(chunk);
    let parts: number[] = Array.from(bytes, (b) => this.byteId[b]);
    if (parts.some((id) => id < 0)) throw new ModelError('bad-tokenizer', 'vocab lacks a single-byte token needed for this text');
    // Standard GPT-2 loop: merge the lowest-ranked adjacent pair everywhere, repeat.
    while (parts.length > 1) {
      let bestRank = Infinity;
      let bestKey = -1;
      for (let i = 0; i + 1 < parts.length; i++) {
        const key = parts[i] * 0x1000000 + parts[i + 1];
        const rank = this.mergeRank.get(key);
        if (rank !== undefined && rank < bestRank) {
          bestRank = rank;
          bestKey = key;
        }
      }
      if (bestKey < 0) break;
      const merged = this.mergeResult.get(bestKey)!;
      const next: number[] = [];
      for (let i = 0; i < parts.length; i++) {
        if (i + 1 < parts.length && parts[i] * 0x1000000 + parts[i + 1] === bestKey) {
          next.push(merged);
          i++;
        } else next.push(parts[i]);
      }
      parts = next;
    }
    if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
    this.cache.set(chunk, parts);
    for (const id of parts) out.push(id);
  }

  decode(ids: readonly number[]): string {
    return decodeWtf8(this.concatBytes(ids)).text;
  }

  /** Bytes of a run of tokens (a streaming caller decodes them with decodeWtf8). */
  concatBytes(ids: readonly number[]): Uint8Array {
    let length = 0;
    for (const id of ids) length += this.tokenBytes(id).byteLength;
    const out = new Uint8Array(length);
    let at = 0;
    for (const id of ids) {
      const b = this.tokenBytes(id);
      out.set(b, at);
      at += b.byteLength;
    }
    return out;
  }

  tokenBytes(id: number): Uint8Array {
    if (!Number.isInteger(id) || id < 0 || id >= this.vocabSize) throw new ModelError('bad-token', `token id ${id} is outside the vocabulary of ${this.vocabSize}`);
    return this.bytesOf[id];
  }

  tokenText(id: number): string {
    return decodeWtf8(this.tokenBytes(id)).text;
  }

  specialId(content: string): number | undefined {
    return this.special.get(content);
  }
}

function splitMerge(merge: string): [string, string] {
  const space = merge.indexOf(' ', 1);
  return [merge.slice(0, space), merge.slice(space + 1)];
}
