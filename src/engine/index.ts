/** The engine's public surface: pure TypeScript, no `vscode`, no Node-only modules. */
export * from './errors';
export * from './safetensors';
export * from './tokenizer';
export { BpeTokenizer, byteToUnicodeTable } from './bpeTokenizer';
export { WordTokenizer } from './wordTokenizer';
export { loadTokenizer } from './loadTokenizer';
export * from './config';
export * from './languageModel';
export { GptModel, gptWeightsFromTensors, type GptOptions } from './gpt';
export { wasmAvailable } from './wasm/wasmKernels';
export { NgramModel, ngramTablesFromTensors, type NgramTable } from './ngram';
export * from './ngramBuilder';
export * from './sampling';
export * from './loadModel';
export * from './generate';
export { encodeWtf8, decodeWtf8 } from './wtf8';
export { CacheCounts, CachedModel, withCaches, DEFAULT_CACHE_MIX, WORKSPACE_CACHE_MIX, MAX_WORKSPACE_TOKENS, type CacheMixInfo, type CacheMixOptions, type CacheRow } from './cacheModel';
export { toModelText, toDocumentEol } from './modelText';
