/**
 * A GGUF file (read by gguf.ts) and its tokenizer -> a LanguageModel, by
 * `general.architecture`: llama, qwen2 and gpt2. Weights stay views of the file's bytes
 * (quantised ones packed); only the norms and biases, a few KB, are widened to F32.
 * Every failure is a ModelError naming the file: the architecture, a missing tensor, a
 * shape that disagrees with the metadata, a weight type we cannot compute.
 */
import { ModelError } from './errors';
import { PRE_PATTERN_KEY } from './ggufTokenizer';
import type { FimTokens, GgufModelFacts } from './languageModel';
import { LlamaModel, type GgufArchitecture, type LlamaConfig, type LlamaLayerWeights, type LlamaWeights } from './llama';
import { dequantize, ggmlTypeName, packedMatrix, weightType, type PackedMatrix } from './quant';
import type { Tokenizer } from './tokenizer';

/** The part of a GGUF tensor the loader needs: dims are ne0 first (dims[0] values per row). */
export interface GgufTensorView {
  type: number;
  dims: readonly number[];
  data: Uint8Array;
}

/** The part of a parsed GGUF file the loader needs. */
export interface GgufModelSource {
  metadata: ReadonlyMap<string, unknown>;
  tensors: ReadonlyMap<string, GgufTensorView>;
}

/**
 * The window the editor uses, whatever the file's context_length (SmolLM2 says 8192): the
 * KV cache is allocated for it (SmolLM2: 94 MB at 2048), and ghost text never needs more.
 */
export const MAX_GGUF_CONTEXT = 2048;

export const GGUF_ARCHITECTURES: readonly GgufArchitecture[] = ['llama', 'qwen2', 'gpt2'];

/** llama.cpp's names for general.file_type (llama_ftype). */
const FILE_TYPES: Record<number, string> = {
  0: 'F32', 1: 'F16', 2: 'Q4_0', 3: 'Q4_1', 7: 'Q8_0', 8: 'Q5_0', 9: 'Q5_1', 10: 'Q2_K', 11: 'Q3_K_S',
  12: 'Q3_K_M', 13: 'Q3_K_L', 14: 'Q4_K_S', 15: 'Q4_K_M', 16: 'Q5_K_S', 17: 'Q5_K_M', 18: 'Q6_K', 32: 'BF16',
};

export interface GgufLoadOptions {
  /** Cap on the window (default MAX_GGUF_CONTEXT). */
  maxContext?: number;
  /** Size of the file, for the model picker. */
  fileBytes?: number;
  /** Id for the model registry (default: the file name). */
  id?: string;
  /** `wasm` (default where available): SIMD kernels for Q8_0/Q4_0/Q4_1; `js`: the TypeScript reference. */
  backend?: 'wasm' | 'js';
}

/** Builds the model; `file` names the file in every error. */
export function modelFromGguf(gguf: GgufModelSource, tokenizer: Tokenizer, file: string, options: GgufLoadOptions = {}): LlamaModel {
  const meta = gguf.metadata;
  const arch = meta.get('general.architecture');
  if (typeof arch !== 'string') throw new ModelError('bad-config', 'general.architecture is missing', file);
  if (!(GGUF_ARCHITECTURES as readonly string[]).includes(arch)) {
    throw new ModelError('bad-config', `architecture "${arch}" is not supported (supported: ${GGUF_ARCHITECTURES.join(', ')})`, file);
  }
  const architecture = arch as GgufArchitecture;
  const num = (key: string, fallback?: number): number => {
    const v = meta.get(`${arch}.${key}`) ?? fallback;
    const n = typeof v === 'bigint' ? Number(v) : v;
    if (typeof n !== 'number' || !Number.isFinite(n)) throw new ModelError('bad-config', `${arch}.${key} is missing or not a number`, file);
    return n;
  };
  const int = (key: string, fallback?: number): number => {
    const n = num(key, fallback);
    if (!Number.isInteger(n) || n < 1 || n > 1 << 20) throw new ModelError('bad-config', `${arch}.${key} = ${n} is not a sensible size`, file);
    return n;
  };

  const width = int('embedding_length');
  const layers = int('block_count');
  const heads = int('attention.head_count');
  const kvHeads = int('attention.head_count_kv', heads);
  if (width % heads !== 0) throw new ModelError('bad-config', `embedding_length ${width} is not divisible by ${heads} heads`, file);
  const headDim = width / heads;
  const keyLength = meta.get(`${arch}.attention.key_length`);
  if (keyLength !== undefined && Number(keyLength) !== headDim) {
    throw new ModelError('bad-config', `heads of ${keyLength} dimensions (not embedding_length / head_count) are not supported`, file);
  }
  if (heads % kvHeads !== 0) throw new ModelError('bad-config', `${heads} heads do not split into ${kvHeads} key/value heads`, file);
  const ffn = int('feed_forward_length', architecture === 'gpt2' ? 4 * width : undefined);
  const contextLength = Math.min(int('context_length'), options.maxContext ?? MAX_GGUF_CONTEXT);
  const normEpsilon = architecture === 'gpt2' ? num('attention.layer_norm_epsilon', 1e-5) : num('attention.layer_norm_rms_epsilon', 1e-5);
  if (!(normEpsilon > 0 && normEpsilon < 1)) throw new ModelError('bad-config', `norm epsilon ${normEpsilon} is not a small positive number`, file);
  const scaling = meta.get(`${arch}.rope.scaling.type`);
  if (scaling !== undefined && scaling !== 'none') {
    throw new ModelError('bad-config', `rope scaling "${String(scaling)}" is not supported`, file);
  }
  const ropeDims = architecture === 'gpt2' ? 0 : int('rope.dimension_count', headDim);

  // Tensors: dims are ne0 first, so a matrix of `rows` outputs over `cols` inputs is [cols, rows].
  let parameters = 0;
  const tensor = (name: string) => {
    const t = gguf.tensors.get(name);
    if (!t) throw new ModelError('missing-tensor', `tensor ${name} is missing`, file);
    return t;
  };
  const expectDims = (name: string, dims: readonly number[], expected: number[]) => {
    if (dims.length !== expected.length || dims.some((d, i) => d !== expected[i])) {
      throw new ModelError('shape-mismatch', `tensor ${name} has dims ${JSON.stringify(dims)}; the metadata implies ${JSON.stringify(expected)}`, file);
    }
  };
  const matrix = (name: string, rows: number, cols: number): PackedMatrix => {
    const t = tensor(name);
    expectDims(name, t.dims, [cols, rows]);
    parameters += rows * cols;
    try {
      return packedMatrix(t.type, rows, cols, t.data, name);
    } catch (e) {
      if (e instanceof ModelError) throw new ModelError(e.code, e.message, file);
      throw e;
    }
  };
  const vector = (name: string, n: number): Float32Array => {
    const t = tensor(name);
    expectDims(name, t.dims, [n]);
    if (!weightType(t.type) || weightType(t.type)!.blockSize !== 1) {
      throw new ModelError('bad-dtype', `tensor ${name} has type ${ggmlTypeName(t.type)}; vectors must be F32, F16 or BF16`, file);
    }
    parameters += n;
    return dequantize(t.type, t.data, n);
  };
  const optionalVector = (name: string, n: number) => (gguf.tensors.has(name) ? vector(name, n) : undefined);

  const embd = tensor('token_embd.weight');
  if (embd.dims.length !== 2) throw new ModelError('shape-mismatch', `tensor token_embd.weight has dims ${JSON.stringify(embd.dims)}; expected [${width}, vocabulary]`, file);
  const vocabSize = embd.dims[1];
  if (tokenizer.vocabSize > vocabSize) {
    throw new ModelError('shape-mismatch', `the tokenizer has ${tokenizer.vocabSize} tokens but token_embd.weight only ${vocabSize} rows`, file);
  }
  const tokenEmbedding = matrix('token_embd.weight', vocabSize, width);
  const positionEmbedding = architecture === 'gpt2' ? matrix('position_embd.weight', tensor('position_embd.weight').dims[1] ?? 0, width) : undefined;
  if (positionEmbedding && positionEmbedding.rows < contextLength) {
    throw new ModelError('shape-mismatch', `position_embd.weight has ${positionEmbedding.rows} positions; context_length says ${contextLength}`, file);
  }
  const qDim = heads * headDim;
  const kvDim = kvHeads * headDim;
  const blocks: LlamaLayerWeights[] = [];
  for (let l = 0; l < layers; l++) {
    const p = `blk.${l}.`;
    if (architecture === 'gpt2') {
      blocks.push({
        attnNorm: vector(p + 'attn_norm.weight', width),
        attnNormBias: optionalVector(p + 'attn_norm.bias', width),
        wqkv: matrix(p + 'attn_qkv.weight', 3 * width, width),
        bqkv: optionalVector(p + 'attn_qkv.bias', 3 * width),
        wo: matrix(p + 'attn_output.weight', width, width),
        bo: optionalVector(p + 'attn_output.bias', width),
        ffnNorm: vector(p + 'ffn_norm.weight', width),
        ffnNormBias: optionalVector(p + 'ffn_norm.bias', width),
        up: matrix(p + 'ffn_up.weight', ffn, width),
        upBias: optionalVector(p + 'ffn_up.bias', ffn),
        down: matrix(p + 'ffn_down.weight', width, ffn),
        downBias: optionalVector(p + 'ffn_down.bias', width),
      });
    } else {
      blocks.push({
        attnNorm: vector(p + 'attn_norm.weight', width),
        wq: matrix(p + 'attn_q.weight', qDim, width),
        wk: matrix(p + 'attn_k.weight', kvDim, width),
        wv: matrix(p + 'attn_v.weight', kvDim, width),
        // qwen2 has Q/K/V biases; llama files may have them too (llama.cpp reads them if present).
        bq: optionalVector(p + 'attn_q.bias', qDim),
        bk: optionalVector(p + 'attn_k.bias', kvDim),
        bv: optionalVector(p + 'attn_v.bias', kvDim),
        wo: matrix(p + 'attn_output.weight', width, qDim),
        bo: optionalVector(p + 'attn_output.bias', width),
        ffnNorm: vector(p + 'ffn_norm.weight', width),
        gate: matrix(p + 'ffn_gate.weight', ffn, width),
        up: matrix(p + 'ffn_up.weight', ffn, width),
        down: matrix(p + 'ffn_down.weight', width, ffn),
      });
    }
  }
  const outputNorm = vector('output_norm.weight', width);
  const outputNormBias = architecture === 'gpt2' ? optionalVector('output_norm.bias', width) : undefined;
  // Tied output layer: llama.cpp uses token_embd when output.weight is absent.
  const output = gguf.tensors.has('output.weight') ? matrix('output.weight', vocabSize, width) : tokenEmbedding;
  const weights: LlamaWeights = { tokenEmbedding, positionEmbedding, layers: blocks, outputNorm, outputNormBias, output, parameters };

  const spec: LlamaConfig = {
    architecture, vocabSize, width, layers, heads, kvHeads, headDim, ffn, contextLength, normEpsilon,
    ropeBase: architecture === 'gpt2' ? 10000 : num('rope.freq_base', 10000),
    ropeDims,
    // llama.cpp's llama_model_rope_type: llama is "normal" (adjacent pairs), qwen2 NEOX (halves).
    rope: architecture === 'gpt2' ? 'none' : architecture === 'qwen2' ? 'neox' : 'normal',
  };
  const name = typeof meta.get('general.name') === 'string' ? (meta.get('general.name') as string) : baseName(file);
  const facts = ggufFacts(gguf, architecture, options.fileBytes ?? 0);
  const description = `${architecture}, ${formatCount(parameters)} parameters, ${facts.fileType} (GGUF)`;
  try {
    return new LlamaModel(spec, weights, tokenizer, {
      id: options.id ?? baseName(file),
      displayName: name,
      description,
      bosTokenId: bosToken(meta, tokenizer),
      fim: fimTokens(tokenizer, meta.has(PRE_PATTERN_KEY) ? 'spm' : 'psm'),
      gguf: facts,
    }, { backend: options.backend });
  } catch (e) {
    if (e instanceof ModelError && !e.file) throw new ModelError(e.code, e.message, file);
    throw e;
  }
}

/** What the GGUF tokenizer (ggufTokenizer.ts) knows beyond the Tokenizer interface. */
interface GgufTokenizerFacts {
  readonly bos?: number;
  readonly addBos?: boolean;
  fimTokens?(): FimTokens | undefined;
}

/**
 * The start token, when the file asks for one before every context (the tokenizer read
 * tokenizer.ggml.add_bos_token, or llama.cpp's default for the vocabulary type).
 */
function bosToken(meta: ReadonlyMap<string, unknown>, tokenizer: Tokenizer & GgufTokenizerFacts): number | undefined {
  if (typeof tokenizer.addBos === 'boolean') return tokenizer.addBos ? tokenizer.bos : undefined;
  const id = meta.get('tokenizer.ggml.bos_token_id');
  const add = meta.get('tokenizer.ggml.add_bos_token');
  return add === true && typeof id === 'number' ? id : undefined;
}

/**
 * FIM ids and stops as the tokenizer found them in the metadata (fim_*_token_id, or known
 * texts). Published code models (Qwen2.5-Coder, StarCoder, CodeLlama, DeepSeek-Coder) are
 * prompted prefix-suffix-middle, llama.cpp's infill layout; our own models written as GGUF
 * (they carry next_token.pre_pattern) were trained on both and read suffix-prefix-middle.
 */
function fimTokens(tokenizer: Tokenizer & GgufTokenizerFacts, layout: 'spm' | 'psm'): FimTokens | undefined {
  const fim = typeof tokenizer.fimTokens === 'function' ? tokenizer.fimTokens() : undefined;
  return fim ? { prefix: fim.prefix, suffix: fim.suffix, middle: fim.middle, stop: [...fim.stop], layout } : undefined;
}

/** Architecture, file type and tensor types for the model picker. */
export function ggufFacts(gguf: GgufModelSource, architecture: string, fileBytes: number): GgufModelFacts {
  const counts = new Map<string, number>();
  let dominant = '';
  let dominantElements = -1;
  const elements = new Map<string, number>();
  for (const t of gguf.tensors.values()) {
    if (t.dims.length < 2) continue; // matrices only: norms and biases are F32 everywhere
    const name = ggmlTypeName(t.type);
    counts.set(name, (counts.get(name) ?? 0) + 1);
    const e = (elements.get(name) ?? 0) + t.dims.reduce((a, b) => a * b, 1);
    elements.set(name, e);
    if (e > dominantElements) {
      dominant = name;
      dominantElements = e;
    }
  }
  const ft = gguf.metadata.get('general.file_type');
  const fileType = typeof ft === 'number' && FILE_TYPES[ft] ? FILE_TYPES[ft] : dominant || 'unknown';
  const quantisation = [...counts].sort((a, b) => b[1] - a[1]).map(([n, c]) => `${n} x${c}`).join(', ');
  return { architecture, fileType, quantisation, fileBytes };
}

function baseName(file: string): string {
  return file.split(/[\\/]/).pop()!.replace(/\.gguf$/i, '');
}

function formatCount(n: number): string {
  return n >= 1e9 ? `${(n / 1e9).toFixed(1)}B` : n >= 1e6 ? `${Math.round(n / 1e6)}M` : n >= 1e3 ? `${Math.round(n / 1e3)}K` : `${n}`;
}
