/**
 * Seeded random transformers written as GGUF files (llama, qwen2, gpt2; every weight type),
 * for checking our engine against llama.cpp on the same bytes. Quantised matrices are
 * random packed blocks with scales chosen so each weight has mean ~0 and standard
 * deviation ~`std` (any bit pattern of the quants is a valid block); F32/F16/BF16 ones are
 * random normals encoded. The vocabulary is SentencePiece-style (<unk>, <s>, </s>, 256
 * byte tokens, then pieces), which llama.cpp loads for every architecture.
 */
import { f32ToF16 } from '../../src/engine/f16';
import { GgmlType, rowBytes } from '../../src/engine/quant';
import { meta, writeGguf, type GgufEntry, type GgufTensorSpec } from './ggufWriter';

export type Architecture = 'llama' | 'qwen2' | 'gpt2';

export interface RandomGgufOptions {
  architecture?: Architecture;
  /** ggml type of the matrices (norms and biases stay F32). */
  type?: number;
  /** Type of token_embd (default: `type`). */
  embeddingType?: number;
  /** Types of particular matrices by a part of their name, e.g. { ffn_down: GgmlType.F32 }. */
  typeOf?: Record<string, number>;
  vocab?: number;
  width?: number;
  layers?: number;
  heads?: number;
  kvHeads?: number;
  ffn?: number;
  context?: number;
  /** Write output.weight (a separate output layer) instead of tying it to token_embd. */
  separateOutput?: boolean;
  ropeBase?: number;
  seed?: number;
  /** More metadata, written after the tokenizer's (FIM token ids, say). */
  metadata?: Array<[string, GgufEntry]>;
}

/** mulberry32 */
function uniform(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Random rows x cols weights of `type`, each ~N(0, std^2)-like. */
export function randomMatrix(type: number, rows: number, cols: number, std: number, rnd: () => number): Uint8Array {
  const normal = () => Math.sqrt(-2 * Math.log(rnd() + 1e-12)) * Math.cos(2 * Math.PI * rnd());
  const n = rows * cols;
  const out = new Uint8Array(rowBytes(type, cols) * rows);
  const dv = new DataView(out.buffer);
  const scratch = new DataView(new ArrayBuffer(4));
  const half = (at: number, v: number) => dv.setUint16(at, f32ToF16(v), true);
  const bytes = (from: number, to: number) => {
    for (let i = from; i < to; i++) out[i] = Math.floor(rnd() * 256);
  };
  switch (type) {
    case GgmlType.F32:
      for (let i = 0; i < n; i++) dv.setFloat32(4 * i, std * normal(), true);
      return out;
    case GgmlType.F16:
      for (let i = 0; i < n; i++) half(2 * i, std * normal());
      return out;
    case GgmlType.BF16:
      for (let i = 0; i < n; i++) {
        scratch.setFloat32(0, std * normal(), true);
        dv.setUint16(2 * i, scratch.getUint16(2, true), true); // the top half: a BF16 by truncation
      }
      return out;
  }
  bytes(0, out.length);
  // Uniform integer quants in [0, 2^b) have standard deviation 2^b / sqrt(12).
  const blocks = out.length / blockBytesOf(type);
  const bb = blockBytesOf(type);
  for (let k = 0; k < blocks; k++) {
    const at = k * bb;
    const jitter = 0.75 + 0.5 * rnd();
    switch (type) {
      case GgmlType.Q8_0:
        half(at, (jitter * std) / 73.9);
        break;
      case GgmlType.Q4_0:
        half(at, (jitter * std) / 4.62);
        break;
      case GgmlType.Q5_0:
        half(at, (jitter * std) / 9.24);
        break;
      case GgmlType.Q4_1: {
        const d = (jitter * std) / 4.62;
        half(at, d);
        half(at + 2, -7.5 * d);
        break;
      }
      case GgmlType.Q5_1: {
        const d = (jitter * std) / 9.24;
        half(at, d);
        half(at + 2, -15.5 * d);
        break;
      }
      case GgmlType.Q4_K:
      case GgmlType.Q5_K: {
        // Sub-block scale and min equal (bytes j and j + 4 share their low 6 bits; both nibbles
        // of bytes 8..11 equal), so x = d sc (q - centre) with dmin = centre * d.
        for (let j = 0; j < 4; j++) {
          const v = out[at + 4 + j] | 0x10; // scales of sub-blocks 0..3 at least 16
          out[at + 4 + j] = v;
          out[at + 8 + j] = v; // byte j + 4 = byte j: min j = scale j, and equal high bits for j + 4
          const lo = (out[at + 12 + j] & 15) | 8; // scales of sub-blocks 4..7 at least 8
          out[at + 12 + j] = lo | (lo << 4);
        }
        const levels = type === GgmlType.Q4_K ? 16 : 32;
        const d = (jitter * std) / (40 * (levels / Math.sqrt(12)));
        half(at, d);
        half(at + 2, ((levels - 1) / 2) * d);
        break;
      }
      case GgmlType.Q6_K: {
        for (let i = 0; i < 16; i++) out[at + 192 + i] = 16 + Math.floor(rnd() * 48); // scales 16..63
        half(at + 208, (jitter * std) / (40 * 18.5));
        break;
      }
      default:
        throw new Error(`randomMatrix: type ${type}`);
    }
  }
  return out;
}

function blockBytesOf(type: number): number {
  return { [GgmlType.Q8_0]: 34, [GgmlType.Q4_0]: 18, [GgmlType.Q4_1]: 20, [GgmlType.Q5_0]: 22, [GgmlType.Q5_1]: 24, [GgmlType.Q4_K]: 144, [GgmlType.Q5_K]: 176, [GgmlType.Q6_K]: 210 }[type]!;
}

/** A SentencePiece-style vocabulary of `size` tokens: 3 specials, 256 bytes, then pieces. */
export function randomVocab(size: number): { tokens: string[]; scores: number[]; types: number[] } {
  const tokens = ['<unk>', '<s>', '</s>'];
  const types = [2, 3, 3];
  for (let b = 0; b < 256; b++) {
    tokens.push(`<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`);
    types.push(6);
  }
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  for (let i = 0; tokens.length < size; i++) {
    tokens.push('\u2581' + letters[i % 26] + letters[Math.floor(i / 26) % 26] + (i >= 676 ? String(i) : ''));
    types.push(1);
  }
  return { tokens, scores: tokens.map((_, i) => -i), types };
}

export interface RandomGguf {
  bytes: Uint8Array;
  vocab: number;
}

export function randomGguf(o: RandomGgufOptions = {}): RandomGguf {
  const arch = o.architecture ?? 'llama';
  const type = o.type ?? GgmlType.F32;
  const L = o.vocab ?? 300;
  const M = o.width ?? 256;
  const layers = o.layers ?? 2;
  const H = o.heads ?? 4;
  const Hkv = arch === 'gpt2' ? H : (o.kvHeads ?? H);
  const F = o.ffn ?? (arch === 'gpt2' ? 4 * M : 512);
  const T = o.context ?? 128;
  const hd = M / H;
  const rnd = uniform(o.seed ?? 17);
  const normal = () => Math.sqrt(-2 * Math.log(rnd() + 1e-12)) * Math.cos(2 * Math.PI * rnd());
  const tensors: GgufTensorSpec[] = [];
  const f32 = (name: string, n: number, scale: number, offset = 0) => {
    const a = Float32Array.from({ length: n }, () => offset + scale * normal());
    tensors.push({ name, dims: [n], type: GgmlType.F32, data: new Uint8Array(a.buffer) });
  };
  const typeFor = (name: string, t: number) => Object.entries(o.typeOf ?? {}).find(([part]) => name.includes(part))?.[1] ?? t;
  const mat = (name: string, rows: number, cols: number, std: number, given = type) => {
    const t = typeFor(name, given);
    tensors.push({ name, dims: [cols, rows], type: t, data: randomMatrix(t, rows, cols, std, rnd) });
  };
  const embType = o.embeddingType ?? type;
  mat('token_embd.weight', L, M, 0.15, embType);
  if (arch === 'gpt2') mat('position_embd.weight', T, M, 0.05, embType);
  const inStd = 1 / Math.sqrt(M);
  for (let l = 0; l < layers; l++) {
    const p = `blk.${l}.`;
    f32(p + 'attn_norm.weight', M, 0.1, 1);
    if (arch === 'gpt2') {
      f32(p + 'attn_norm.bias', M, 0.1);
      mat(p + 'attn_qkv.weight', 3 * M, M, 2 * inStd);
      f32(p + 'attn_qkv.bias', 3 * M, 0.1);
      mat(p + 'attn_output.weight', M, M, inStd);
      f32(p + 'attn_output.bias', M, 0.1);
      f32(p + 'ffn_norm.weight', M, 0.1, 1);
      f32(p + 'ffn_norm.bias', M, 0.1);
      mat(p + 'ffn_up.weight', F, M, inStd);
      f32(p + 'ffn_up.bias', F, 0.1);
      mat(p + 'ffn_down.weight', M, F, 1 / Math.sqrt(F));
      f32(p + 'ffn_down.bias', M, 0.1);
    } else {
      // Q and K twice as large as 1/sqrt(M): attention that is not uniform.
      mat(p + 'attn_q.weight', H * hd, M, 2 * inStd);
      mat(p + 'attn_k.weight', Hkv * hd, M, 2 * inStd);
      mat(p + 'attn_v.weight', Hkv * hd, M, inStd);
      if (arch === 'qwen2') {
        f32(p + 'attn_q.bias', H * hd, 0.2);
        f32(p + 'attn_k.bias', Hkv * hd, 0.2);
        f32(p + 'attn_v.bias', Hkv * hd, 0.2);
      }
      mat(p + 'attn_output.weight', M, H * hd, inStd);
      f32(p + 'ffn_norm.weight', M, 0.1, 1);
      mat(p + 'ffn_gate.weight', F, M, 2 * inStd);
      mat(p + 'ffn_up.weight', F, M, inStd);
      mat(p + 'ffn_down.weight', M, F, 1 / Math.sqrt(F));
    }
  }
  f32('output_norm.weight', M, 0.1, 1);
  if (arch === 'gpt2') f32('output_norm.bias', M, 0.1);
  // A sharper output layer than the embedding: distributions with a clear top token.
  if (o.separateOutput) mat('output.weight', L, M, 0.2);

  const v = randomVocab(L);
  const metadata: [string, GgufEntry][] = [
    ['general.architecture', meta.str(arch)],
    ['general.name', meta.str(`random-${arch}`)],
    [`${arch}.context_length`, meta.u32(T)],
    [`${arch}.embedding_length`, meta.u32(M)],
    [`${arch}.block_count`, meta.u32(layers)],
    [`${arch}.feed_forward_length`, meta.u32(F)],
    [`${arch}.attention.head_count`, meta.u32(H)],
  ];
  if (arch === 'gpt2') metadata.push([`${arch}.attention.layer_norm_epsilon`, meta.f32(1e-5)]);
  else {
    metadata.push(
      [`${arch}.attention.head_count_kv`, meta.u32(Hkv)],
      [`${arch}.attention.layer_norm_rms_epsilon`, meta.f32(1e-5)],
      [`${arch}.rope.freq_base`, meta.f32(o.ropeBase ?? 10000)],
      [`${arch}.rope.dimension_count`, meta.u32(hd)],
    );
  }
  metadata.push(
    ['tokenizer.ggml.model', meta.str('llama')],
    ['tokenizer.ggml.tokens', meta.strings(v.tokens)],
    ['tokenizer.ggml.scores', meta.f32s(v.scores)],
    ['tokenizer.ggml.token_type', meta.i32s(v.types)],
    ['tokenizer.ggml.bos_token_id', meta.u32(1)],
    ['tokenizer.ggml.eos_token_id', meta.u32(2)],
    ['tokenizer.ggml.unknown_token_id', meta.u32(0)],
    ['tokenizer.ggml.add_bos_token', meta.bool(false)],
    ...(o.metadata ?? []),
  );
  return { bytes: writeGguf({ version: 3, metadata, tensors }), vocab: L };
}
