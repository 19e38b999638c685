/**
 * Tokenizers from a GGUF file's metadata, giving the ids llama.cpp gives (checked against
 * it through node-llama-cpp in test/unit/ggufTokenizer.test.ts):
 *
 * - `tokenizer.ggml.model = gpt2`: byte-level BPE. The text is cut into chunks by the
 *   pre-tokenizer of `tokenizer.ggml.pre` (a list of regexes applied one after another, each
 *   splitting the pieces the previous one left, gaps included), each chunk is mapped byte by
 *   byte to GPT-2's printable alphabet, and merged pairwise by the rank of
 *   `tokenizer.ggml.merges`, lowest rank (then leftmost) first.
 * - `tokenizer.ggml.model = llama`: SentencePiece-style. Spaces become `▁`, a space is put
 *   in front of the text (and after each special token), neighbouring pieces merge by the
 *   highest `tokenizer.ggml.scores`, and characters without a token fall back to their
 *   `<0xXX>` byte tokens.
 *
 * Special tokens: user-defined tokens (token_type 4) are always matched in the text, as
 * llama.cpp does; control tokens (3) only when the caller asks (`parseSpecial`). The editor
 * never asks: a file that contains `<|im_start|>` or `<|endoftext|>` is code to complete,
 * not a chat protocol, so those characters are tokenized as text — the same as
 * node-llama-cpp's `model.tokenize(text)` without its `specialTokens` flag.
 *
 * Our own models exported to GGUF keep the project's pre-tokenizer regex in
 * `next_token.pre_pattern` (llama.cpp knows nothing of it; `tokenizer.ggml.pre` then names
 * a type llama.cpp accepts): when that key is present it is the one regex used.
 */
import { ModelError } from './errors';
import { ggufBool, ggufNumber, ggufNumbers, ggufString, ggufStrings, type GgufFile } from './gguf';
import type { Tokenizer } from './tokenizer';
import { decodeWtf8, encodeWtf8 } from './wtf8';
import { byteToUnicodeTable } from './bpeTokenizer';

/** The metadata key that carries our own project's pre-tokenizer regex. */
export const PRE_PATTERN_KEY = 'next_token.pre_pattern';

/** GGUF token types (tokenizer.ggml.token_type). */
export enum TokenType {
  Normal = 1,
  Unknown = 2,
  Control = 3,
  UserDefined = 4,
  Unused = 5,
  Byte = 6,
}

// Pre-tokenizer regexes, written for JavaScript's Unicode property escapes. The names are
// llama.cpp's `tokenizer.ggml.pre` values; each maps to the regexes applied in order.
const GPT2 = "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+";
const CONTRACTIONS = "'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD]";
const LLAMA3 = `(?:${CONTRACTIONS})|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+`;
const QWEN2 = `(?:${CONTRACTIONS})|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+`;

interface PreTokenizer {
  readonly regexes: readonly string[];
  /** A chunk that is itself a token is taken whole, without merging (llama3's tokenizers). */
  readonly ignoreMerges?: boolean;
}

const PRE_TOKENIZERS: ReadonlyMap<string, PreTokenizer> = (() => {
  const m = new Map<string, PreTokenizer>();
  const add = (names: string[], pre: PreTokenizer) => names.forEach((n) => m.set(n, pre));
  add(['gpt-2', 'phi-2', 'mpt', 'olmo', 'jais', 'jina-es', 'jina-de', 'jina-v2-es', 'jina-v2-de', 'mellum', 'exaone4'], { regexes: [GPT2] });
  // Digits one at a time, then GPT-2's rules (StarCoder's tokenizer, which SmolLM2 uses).
  add(['starcoder', 'smollm', 'refact', 'codeshell', 'command-r', 'exaone', 'minerva-7b'], { regexes: ['\\p{N}', GPT2] });
  add(['llama3', 'llama-v3', 'llama-bpe', 'falcon3', 'pixtral'], { regexes: [LLAMA3], ignoreMerges: true });
  add(['dbrx', 'smaug-bpe'], { regexes: [LLAMA3] });
  add(['qwen2', 'deepseek-r1-qwen', 'stablelm2', 'megrez'], { regexes: [QWEN2] });
  add(['deepseek-coder'], { regexes: ['[\\r\\n]', '\\s?\\p{L}+', '\\s?\\p{P}+', '[一-龥ࠀ-一가-퟿]+', '\\p{N}'] });
  // What llama.cpp uses for a missing or "default" pre type.
  add(['default'], { regexes: ['[\\p{P}$+<=>^~|]+', GPT2, '\\p{N}+', '[0-9][0-9][0-9]'] });
  return m;
})();

/** The `tokenizer.ggml.pre` names we can tokenize like llama.cpp. */
export const GGUF_PRE_TOKENIZERS: readonly string[] = [...PRE_TOKENIZERS.keys()];

/** Token texts llama.cpp treats as end of generation, besides the eos/eot ids. */
const EOG_TEXTS = ['<|eot_id|>', '<|im_end|>', '<|end|>', '<end_of_turn>', '<|endoftext|>', '<|eom_id|>', '<EOT>', '_<EOT>', '<|end_of_text|>', '<｜end▁of▁sentence｜>'];

/** Fill-in-the-middle token texts of the common code models, for files without the ids. */
const FIM_TEXTS = {
  prefix: ['<|fim_prefix|>', '<fim-prefix>', '<fim_prefix>', '<｜fim▁begin｜>', '<PRE>', '▁<PRE>', '<|code_prefix|>'],
  suffix: ['<|fim_suffix|>', '<fim-suffix>', '<fim_suffix>', '<｜fim▁hole｜>', '<SUF>', '▁<SUF>', '<|code_suffix|>'],
  middle: ['<|fim_middle|>', '<fim-middle>', '<fim_middle>', '<｜fim▁end｜>', '<MID>', '▁<MID>', '<|code_middle|>'],
  pad: ['<|fim_pad|>', '<fim-pad>', '<fim_pad>', '<PAD>'],
  repo: ['<|fim_repo|>', '<|repo_name|>', '<fim-repo>', '<REPO>', '<reponame>'],
  sep: ['<|file_sep|>', '<file_sep>'],
} as const;

export interface GgufFimTokens {
  readonly prefix: number;
  readonly suffix: number;
  readonly middle: number;
  /** Tokens that end a fill-in-the-middle answer: end of generation and the FIM pad/repo/file separators. */
  readonly stop: readonly number[];
}

export interface EncodeOptions {
  /** Match control tokens (`<|im_start|>`, `<fim_prefix>`) in the text too. Default false. */
  parseSpecial?: boolean;
}

/** Chunks seen often (identifiers, indentation) keep their ids; bounded. */
const CACHE_LIMIT = 50_000;
const SPACE_MARK = '\u2581';

export class GgufTokenizer implements Tokenizer {
  readonly kind = 'bpe' as const;
  readonly vocabSize: number;
  /** `gpt2` (byte-level BPE) or `llama` (SentencePiece). */
  readonly model: 'gpt2' | 'llama';
  /** The pre-tokenizer's name (`tokenizer.ggml.pre`, or `next-token` for our own regex). */
  readonly pre: string;
  readonly bos: number | undefined;
  readonly eos: number | undefined;
  /** Whether the model expects `bos` before the text (tokenizer.ggml.add_bos_token, else llama.cpp's default). */
  readonly addBos: boolean;
  /** Ids that end generation (eos, eot, `<|im_end|>`, `<|endoftext|>` ...). */
  readonly endOfGeneration: readonly number[];

  private readonly tokens: readonly string[];
  private readonly types: Int32Array;
  private readonly scores: ArrayLike<number> | undefined;
  private readonly idOf = new Map<string, number>();
  private readonly ranks = new Map<string, number>();
  private readonly regexes: RegExp[] = [];
  private readonly ignoreMerges: boolean;
  private readonly addSpacePrefix: boolean;
  /** Special tokens matched in text, longest first (llama.cpp's order). */
  private readonly specials: Array<{ text: string; id: number; control: boolean }> = [];
  private readonly bytesOf: Array<Uint8Array | undefined>;
  private readonly cache = new Map<string, number[]>();
  private readonly byteChar: string[];
  private readonly charByte = new Map<string, number>();
  private readonly fim: GgufFimTokens | undefined;

  constructor(gguf: GgufFile) {
    const file = gguf.source;
    const fail = (message: string): never => {
      throw new ModelError('bad-tokenizer', message, file);
    };
    const model = ggufString(gguf, 'tokenizer.ggml.model') ?? fail('tokenizer.ggml.model is missing');
    if (model !== 'gpt2' && model !== 'llama') fail(`tokenizer model "${model}" is not supported (gpt2 byte-level BPE and llama SentencePiece are)`);
    this.model = model as 'gpt2' | 'llama';
    const tokens = ggufStrings(gguf, 'tokenizer.ggml.tokens') ?? fail('tokenizer.ggml.tokens is missing');
    if (tokens.length === 0) fail('tokenizer.ggml.tokens is empty');
    this.tokens = tokens;
    this.vocabSize = tokens.length;

    const types = ggufNumbers(gguf, 'tokenizer.ggml.token_type');
    if (types && types.length < tokens.length) fail(`tokenizer.ggml.token_type has ${types.length} entries for ${tokens.length} tokens`);
    this.types = types ? Int32Array.from(types) : new Int32Array(tokens.length).fill(TokenType.Normal);
    const scores = ggufNumbers(gguf, 'tokenizer.ggml.scores');
    if (scores && scores.length < tokens.length) fail(`tokenizer.ggml.scores has ${scores.length} entries for ${tokens.length} tokens`);
    this.scores = scores;

    tokens.forEach((t, id) => {
      // llama.cpp keeps the first of duplicate texts for lookups; empty tokens match nothing.
      if (t.length > 0 && !this.idOf.has(t)) this.idOf.set(t, id);
    });
    this.bytesOf = new Array(tokens.length);
    this.byteChar = byteToUnicodeTable();
    this.byteChar.forEach((ch, b) => this.charByte.set(ch, b));

    const idKey = (key: string): number | undefined => {
      const v = ggufNumber(gguf, `tokenizer.ggml.${key}`);
      return v !== undefined && Number.isInteger(v) && v >= 0 && v < tokens.length ? v : undefined;
    };
    // llama.cpp's defaults when the file names no ids.
    this.bos = gguf.metadata.has('tokenizer.ggml.bos_token_id') ? idKey('bos_token_id') : model === 'llama' ? 1 : undefined;
    this.eos = gguf.metadata.has('tokenizer.ggml.eos_token_id') ? idKey('eos_token_id') : model === 'llama' ? 2 : undefined;

    const patternOverride = ggufString(gguf, PRE_PATTERN_KEY);
    let pre: PreTokenizer = { regexes: [] };
    if (model === 'gpt2') {
      const name = patternOverride !== undefined ? 'next-token' : (ggufString(gguf, 'tokenizer.ggml.pre') ?? 'default');
      this.pre = name;
      if (patternOverride !== undefined) pre = { regexes: [patternOverride] };
      else pre = PRE_TOKENIZERS.get(name) ?? fail(`pre-tokenizer "${name}" is not supported (supported: ${GGUF_PRE_TOKENIZERS.join(', ')})`);
      const merges = ggufStrings(gguf, 'tokenizer.ggml.merges') ?? fail('tokenizer.ggml.merges is missing (a gpt2 tokenizer needs its merges)');
      merges.forEach((m, rank) => {
        // "a b", split at the first space after the first character (llama.cpp ignores a merge
        // without one); the first of duplicates wins. Lookups build the same "a b" key.
        if (m.indexOf(' ', 1) > 0 && !this.ranks.has(m)) this.ranks.set(m, rank);
      });
      for (const source of pre.regexes) {
        try {
          this.regexes.push(new RegExp(source, 'gu'));
        } catch (e) {
          fail(`pre-tokenizer regex ${JSON.stringify(source)} does not compile: ${(e as Error).message}`);
        }
      }
    } else {
      this.pre = 'sentencepiece';
    }
    this.ignoreMerges = pre.ignoreMerges === true;
    // SentencePiece vocabularies put a space before the text unless the file says otherwise.
    this.addSpacePrefix = ggufBool(gguf, 'tokenizer.ggml.add_space_prefix') ?? model === 'llama';
    const pretypeBos = model === 'llama' || pre.ignoreMerges === true; // llama3's tokenizers start with BOS too
    this.addBos = (ggufBool(gguf, 'tokenizer.ggml.add_bos_token') ?? pretypeBos) && this.bos !== undefined;

    // Tokens llama.cpp recognises by their text become control tokens (so a file's text
    // never produces them unless asked), as llama.cpp does when a converter mislabelled them.
    const byText = (texts: readonly string[]): number | undefined => {
      for (const t of texts) {
        const id = this.idOf.get(t);
        if (id !== undefined) return id;
      }
      return undefined;
    };
    const control = (id: number | undefined) => {
      if (id !== undefined && this.types[id] !== TokenType.Control) this.types[id] = TokenType.Control;
      return id;
    };
    const eog = new Set<number>();
    for (const t of EOG_TEXTS) {
      const id = this.idOf.get(t);
      if (id !== undefined) eog.add(control(id)!);
    }
    const eot = idKey('eot_token_id') ?? idKey('eom_token_id');
    for (const id of [this.eos, eot]) if (id !== undefined) eog.add(id);
    const prefix = control(idKey('fim_pre_token_id') ?? idKey('prefix_token_id') ?? byText(FIM_TEXTS.prefix));
    const suffix = control(idKey('fim_suf_token_id') ?? idKey('suffix_token_id') ?? byText(FIM_TEXTS.suffix));
    const middle = control(idKey('fim_mid_token_id') ?? idKey('middle_token_id') ?? byText(FIM_TEXTS.middle));
    const fimStops = new Set(eog);
    for (const id of [
      control(idKey('fim_pad_token_id') ?? byText(FIM_TEXTS.pad)),
      control(idKey('fim_rep_token_id') ?? byText(FIM_TEXTS.repo)),
      control(idKey('fim_sep_token_id') ?? byText(FIM_TEXTS.sep)),
    ]) {
      if (id !== undefined) fimStops.add(id);
    }
    this.endOfGeneration = [...eog].sort((a, b) => a - b);
    this.fim = prefix !== undefined && suffix !== undefined && middle !== undefined ? { prefix, suffix, middle, stop: [...fimStops].sort((a, b) => a - b) } : undefined;

    for (let id = 0; id < tokens.length; id++) {
      const type = this.types[id];
      if ((type === TokenType.Control || type === TokenType.UserDefined || type === TokenType.Unknown) && tokens[id].length > 0) {
        this.specials.push({ text: tokens[id], id, control: type !== TokenType.UserDefined });
      }
    }
    this.specials.sort((a, b) => encodeWtf8(b.text).length - encodeWtf8(a.text).length || a.id - b.id);
  }

  /** The ids of `text`, without BOS (prepend `bos` when `addBos` says so). */
  encode(text: string, options: EncodeOptions = {}): number[] {
    const out: number[] = [];
    const fragments = this.partition(text, options.parseSpecial === true);
    let afterSpecial = true;
    for (const f of fragments) {
      if (typeof f === 'number') {
        out.push(f);
        afterSpecial = true;
        continue;
      }
      if (this.model === 'llama') this.encodeSentencePiece(afterSpecial && this.addSpacePrefix ? ' ' + f : f, out);
      else this.encodeBpe(f, out);
      afterSpecial = false;
    }
    return out;
  }

  /** Splits out special tokens, longest first, as llama.cpp's tokenizer_st_partition does. */
  private partition(text: string, parseSpecial: boolean): Array<string | number> {
    let fragments: Array<string | number> = text.length > 0 ? [text] : [];
    for (const s of this.specials) {
      if (s.control && !parseSpecial) continue;
      if (!text.includes(s.text)) continue;
      const next: Array<string | number> = [];
      for (const f of fragments) {
        if (typeof f === 'number') {
          next.push(f);
          continue;
        }
        let at = 0;
        for (let i = f.indexOf(s.text); i >= 0; i = f.indexOf(s.text, at)) {
          if (i > at) next.push(f.slice(at, i));
          next.push(s.id);
          at = i + s.text.length;
        }
        if (at < f.length) next.push(f.slice(at));
      }
      fragments = next;
    }
    return fragments;
  }

  private encodeBpe(text: string, out: number[]): void {
    for (const chunk of this.split(text)) {
      const cached = this.cache.get(chunk);
      if (cached) {
        for (const id of cached) out.push(id);
        continue;
      }
      let encoded = '';
      for (const b of encodeWtf8(chunk)) encoded += this.byteChar[b];
      const ids = this.bpeChunk(encoded);
      if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
      this.cache.set(chunk, ids);
      for (const id of ids) out.push(id);
    }
  }

  /** The pre-tokenizer: each regex splits every piece the previous ones left; gaps stay pieces. */
  private split(text: string): string[] {
    let pieces = [text];
    for (const re of this.regexes) {
      const next: string[] = [];
      for (const p of pieces) {
        let covered = 0;
        re.lastIndex = 0;
        for (const m of p.matchAll(re)) {
          if (m[0].length === 0) continue;
          if (m.index! > covered) next.push(p.slice(covered, m.index));
          next.push(m[0]);
          covered = m.index! + m[0].length;
        }
        if (covered < p.length) next.push(p.slice(covered));
      }
      pieces = next;
    }
    return pieces;
  }

  /** Merges one chunk (in GPT-2's byte alphabet): lowest rank first, leftmost on ties. */
  private bpeChunk(word: string): number[] {
    if (this.ignoreMerges) {
      const whole = this.idOf.get(word);
      if (whole !== undefined) return [whole];
    }
    const n = word.length;
    const text: string[] = word.split('');
    const next = Int32Array.from({ length: n }, (_, i) => (i + 1 < n ? i + 1 : -1));
    const prev = Int32Array.from({ length: n }, (_, i) => i - 1);
    const heap = new PairHeap((a, b) => a.rank - b.rank || a.left - b.left);
    const push = (left: number, right: number) => {
      if (left < 0 || right < 0) return;
      const rank = this.ranks.get(text[left] + ' ' + text[right]);
      if (rank !== undefined) heap.push({ rank, left, right, text: text[left] + text[right] });
    };
    for (let i = 0; i + 1 < n; i++) push(i, i + 1);
    while (heap.size > 0) {
      const p = heap.pop();
      // Skip pairs a merge since made stale.
      if (text[p.left] === '' || text[p.right] === '' || next[p.left] !== p.right || text[p.left] + text[p.right] !== p.text) continue;
      text[p.left] = p.text;
      text[p.right] = '';
      next[p.left] = next[p.right];
      if (next[p.right] >= 0) prev[next[p.right]] = p.left;
      push(prev[p.left], p.left);
      push(p.left, next[p.left]);
    }
    const ids: number[] = [];
    for (let i = 0; i >= 0 && i < n; i = next[i]) {
      const id = this.idOf.get(text[i]);
      if (id !== undefined) {
        ids.push(id);
        continue;
      }
      // A piece that is no token (a merge whose result the vocabulary lacks, or a byte the
      // vocabulary lacks): llama.cpp emits its one-byte ASCII characters and drops the rest.
      for (const b of encodeWtf8(text[i])) {
        const single = b < 0x80 ? this.idOf.get(String.fromCharCode(b)) : undefined;
        if (single !== undefined) ids.push(single);
      }
    }
    return ids;
  }

  private encodeSentencePiece(raw: string, out: number[]): void {
    const chars = Array.from(raw.replaceAll(' ', SPACE_MARK));
    const n = chars.length;
    if (n === 0) return;
    const text = chars.slice();
    const next = Int32Array.from({ length: n }, (_, i) => (i + 1 < n ? i + 1 : -1));
    const prev = Int32Array.from({ length: n }, (_, i) => i - 1);
    // Highest score first, leftmost on ties.
    const heap = new PairHeap((a, b) => b.rank - a.rank || a.left - b.left);
    const push = (left: number, right: number) => {
      if (left < 0 || right < 0) return;
      const merged = text[left] + text[right];
      const id = this.idOf.get(merged);
      if (id === undefined) return;
      heap.push({ rank: this.scores ? this.scores[id] : 0, left, right, text: merged });
    };
    for (let i = 0; i + 1 < n; i++) push(i, i + 1);
    while (heap.size > 0) {
      const p = heap.pop();
      if (text[p.left] === '' || text[p.right] === '' || next[p.left] !== p.right || text[p.left] + text[p.right] !== p.text) continue;
      text[p.left] = p.text;
      text[p.right] = '';
      next[p.left] = next[p.right];
      if (next[p.right] >= 0) prev[next[p.right]] = p.left;
      push(prev[p.left], p.left);
      push(p.left, next[p.left]);
    }
    for (let i = 0; i >= 0 && i < n; i = next[i]) {
      const id = this.idOf.get(text[i]);
      if (id !== undefined) {
        out.push(id);
        continue;
      }
      for (const b of encodeWtf8(text[i])) out.push(this.byteToken(b));
    }
  }

  /** SentencePiece byte fallback: `<0xXX>`, else the byte as a character, else unknown. */
  private byteToken(b: number): number {
    const hex = `<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`;
    const id = this.idOf.get(hex) ?? (b < 0x80 ? this.idOf.get(String.fromCharCode(b)) : undefined) ?? this.unknownId();
    if (id === undefined) throw new ModelError('bad-tokenizer', `the vocabulary has no token for byte 0x${hex.slice(3, 5)} and no unknown token`);
    return id;
  }

  private unknownId(): number | undefined {
    for (let id = 0; id < this.types.length; id++) if (this.types[id] === TokenType.Unknown) return id;
    return undefined;
  }

  decode(ids: readonly number[]): string {
    const parts = ids.map((id) => this.tokenBytes(id));
    const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.length;
    }
    return decodeWtf8(out).text;
  }

  /**
   * The bytes a token stands for: byte-level tokens mapped back through GPT-2's alphabet,
   * SentencePiece pieces with `▁` as a space and `<0xXX>` as that byte, special and
   * user-defined tokens as their text.
   */
  tokenBytes(id: number): Uint8Array {
    if (!Number.isInteger(id) || id < 0 || id >= this.vocabSize) throw new ModelError('bad-token', `token id ${id} is outside the vocabulary of ${this.vocabSize}`);
    let bytes = this.bytesOf[id];
    if (bytes === undefined) {
      bytes = this.computeBytes(id);
      this.bytesOf[id] = bytes;
    }
    return bytes;
  }

  private computeBytes(id: number): Uint8Array {
    const text = this.tokens[id];
    const type = this.types[id];
    if (type === TokenType.Control || type === TokenType.UserDefined || type === TokenType.Unknown) return encodeWtf8(text);
    if (this.model === 'llama') {
      const byte = /^<0x([0-9A-Fa-f]{2})>$/.exec(text);
      if (type === TokenType.Byte && byte) return Uint8Array.of(parseInt(byte[1], 16));
      return encodeWtf8(text.replaceAll(SPACE_MARK, ' '));
    }
    const out: number[] = [];
    for (const ch of text) {
      const b = this.charByte.get(ch);
      if (b !== undefined) out.push(b);
      else for (const x of encodeWtf8(ch)) out.push(x); // outside the byte alphabet: its own UTF-8
    }
    return Uint8Array.from(out);
  }

  tokenText(id: number): string {
    return decodeWtf8(this.tokenBytes(id)).text;
  }

  /** The id of a control, user-defined or unknown token with this exact text. */
  specialId(content: string): number | undefined {
    const id = this.idOf.get(content);
    if (id === undefined) return undefined;
    const type = this.types[id];
    return type === TokenType.Control || type === TokenType.UserDefined || type === TokenType.Unknown ? id : undefined;
  }

  /** The token's GGUF type (1 normal, 2 unknown, 3 control, 4 user-defined, 5 unused, 6 byte). */
  tokenType(id: number): number {
    return this.types[id];
  }

  /** Fill-in-the-middle ids, from the metadata or the known token texts; undefined if the vocabulary has none. */
  fimTokens(): GgufFimTokens | undefined {
    return this.fim;
  }
}

/** Reads the tokenizer of a parsed GGUF file; every problem is a ModelError naming the file. */
export function ggufTokenizer(gguf: GgufFile): GgufTokenizer {
  try {
    return new GgufTokenizer(gguf);
  } catch (e) {
    if (e instanceof ModelError) throw e;
    throw new ModelError('bad-tokenizer', `the tokenizer cannot be read: ${(e as Error).message}`, gguf.source);
  }
}

interface Pair {
  rank: number;
  left: number;
  right: number;
  text: string;
}

/** A binary heap of candidate merges; `compare` < 0 puts the first one nearer the top. */
class PairHeap {
  private readonly items: Pair[] = [];

  constructor(private readonly compare: (a: Pair, b: Pair) => number) {}

  get size(): number {
    return this.items.length;
  }

  push(p: Pair): void {
    const a = this.items;
    a.push(p);
    let i = a.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.compare(a[i], a[parent]) >= 0) break;
      [a[i], a[parent]] = [a[parent], a[i]];
      i = parent;
    }
  }

  pop(): Pair {
    const a = this.items;
    const top = a[0];
    const last = a.pop()!;
    if (a.length > 0) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && this.compare(a[l], a[m]) < 0) m = l;
        if (r < a.length && this.compare(a[r], a[m]) < 0) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m], a[i]];
        i = m;
      }
    }
    return top;
  }
}
