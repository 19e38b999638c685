/** The engine's public surface: pure TypeScript, no `vscode`, no Node-only modules. */
export * from './errors';
export * from './safetensors';
export * from './tokenizer';
export { BpeTokenizer, byteToUnicodeTable } from './bpeTokenizer';
export { WordTokenizer } from './wordTokenizer';
export { loadTokenizer } from './loadTokenizer';
export * from './config';
export * from './languageModel';
export * from './inspect';
export { GptModel, gptWeightsFromTensors, type GptOptions } from './gpt';
export { wasmAvailable } from './wasm/wasmKernels';
export { preferKernels, relaxedSimdAvailable, type KernelVariant } from './wasm/kernelModule';
export { NgramModel, ngramTablesFromTensors, type NgramTable } from './ngram';
export * from './ngramBuilder';
export * from './sampling';
export * from './loadModel';
export * from './generate';
export { encodeWtf8, decodeWtf8 } from './wtf8';
export { CacheCounts, CachedModel, withCaches, DEFAULT_CACHE_MIX, WORKSPACE_CACHE_MIX, MAX_WORKSPACE_TOKENS, type CacheMixInfo, type CacheMixOptions, type CacheRow } from './cacheModel';
export { toModelText, toDocumentEol } from './modelText';
export * from './fim';
export {
  readGguf,
  GGML_TYPES,
  ggmlByteSize,
  GgufType,
  ggufString,
  ggufNumber,
  ggufBool,
  ggufArray,
  ggufStrings,
  ggufNumbers,
  ggufRequiredString,
  ggufRequiredNumber,
  type GgufFile,
  type GgufTensor,
  type GgufValue,
  type GgufArray,
  type GgufReadOptions,
} from './gguf';
export { GgufTokenizer, ggufTokenizer, GGUF_PRE_TOKENIZERS, PRE_PATTERN_KEY, type GgufFimTokens, type EncodeOptions } from './ggufTokenizer';
export { modelFromGguf, ggufFacts, GGUF_ARCHITECTURES, MAX_GGUF_CONTEXT, type GgufLoadOptions } from './loadGguf';
export { LlamaModel, type LlamaConfig, type GgufArchitecture } from './llama';
export { GgmlType, weightType, packedMatrix, dequantize, type PackedMatrix } from './quant';
