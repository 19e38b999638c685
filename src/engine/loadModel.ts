/**
 * Builds a LanguageModel from the three files of a model folder (already read as bytes/text),
 * or from a GGUF file's bytes (llama.cpp's format: one file holds weights and tokenizer).
 */
import { parseConfig, type ModelConfig } from './config';
import type { Tokenizer } from './tokenizer';
import { ModelError } from './errors';
import { GptModel, gptWeightsFromTensors } from './gpt';
import type { LanguageModel } from './languageModel';
import { loadTokenizer } from './loadTokenizer';
import { NgramModel, ngramTablesFromTensors } from './ngram';
import { readSafetensors, type TensorMap } from './safetensors';
import { readGguf } from './gguf';
import { ggufTokenizer } from './ggufTokenizer';
import { modelFromGguf } from './loadGguf';

export interface ModelFiles {
  config: string; // config.json text
  tokenizer: string; // tokenizer.json text
  weights: Uint8Array; // model.safetensors bytes
}

/** A GGUF model: the one file's bytes (tensor data stays views into them). */
export interface GgufFiles {
  gguf: Uint8Array;
}

export function isGgufFiles(files: ModelFiles | GgufFiles): files is GgufFiles {
  return (files as Partial<GgufFiles>).gguf instanceof Uint8Array;
}

/** Bigger than any model we would run in an editor: refuse before parsing. */
export const MAX_MODEL_BYTES = 512 * 1024 * 1024;
/** GGUF files are quantised models people already have (1.5B at Q4_K_M is about 1 GB): a higher bound. */
export const MAX_GGUF_BYTES = 2 * 1024 * 1024 * 1024;

/** `folder` names the model in every error message ("<folder>/config.json: ..."). */
export interface LoadOptions {
  maxBytes?: number;
  /** Kernels for transformers: SIMD WebAssembly where available (default), or plain TypeScript. */
  backend?: 'wasm' | 'js';
}

export function loadModel(files: ModelFiles | GgufFiles, folder = '.', options: LoadOptions = {}): LanguageModel {
  if (isGgufFiles(files)) return loadGgufModel(files.gguf, folder, options);
  const maxBytes = options.maxBytes ?? MAX_MODEL_BYTES;
  const path = (name: string) => `${folder}/${name}`;
  const config = parseConfig(files.config, path('config.json'));
  const tokenizer = loadTokenizer(files.tokenizer, path('tokenizer.json'));
  const tensors = readSafetensors(files.weights, path('model.safetensors'), { maxBytes });
  try {
    return build(config, tokenizer, tensors, folder, path, options);
  } catch (e) {
    if (e instanceof ModelError) throw e;
    throw new ModelError('bad-header', `could not be used as a model (${(e as Error)?.message ?? e})`, folder);
  }
}

function build(config: ModelConfig, tokenizer: Tokenizer, tensors: TensorMap, folder: string, path: (n: string) => string, options: LoadOptions): LanguageModel {
  if (tokenizer.vocabSize > config.vocabSize) {
    throw new ModelError('shape-mismatch', `tokenizer.json has ${tokenizer.vocabSize} tokens but config.json says vocab_size ${config.vocabSize}`, folder);
  }
  if (config.kind === 'transformer') {
    return new GptModel(config, gptWeightsFromTensors(config, tensors, path('model.safetensors')), tokenizer, { backend: options.backend });
  }
  return new NgramModel(config, ngramTablesFromTensors(config, tensors, path('model.safetensors')), tokenizer);
}

/** A GGUF file's model; `file` names it in every error. */
export function loadGgufModel(bytes: Uint8Array, file: string, options: LoadOptions = {}): LanguageModel {
  const gguf = readGguf(bytes, file, { maxBytes: options.maxBytes ?? MAX_GGUF_BYTES });
  const tokenizer = ggufTokenizer(gguf);
  try {
    return modelFromGguf(gguf, tokenizer, file, { fileBytes: bytes.byteLength });
  } catch (e) {
    if (e instanceof ModelError) throw e;
    throw new ModelError('bad-header', `could not be used as a model (${(e as Error)?.message ?? e})`, file);
  }
}
