// Test data and the reference implementation for the GGUF tests: the SmolLM2-135M-Instruct
// file that scripts/fetch-smollm2.sh caches at set-up (never downloaded while tests run),
// and llama.cpp through node-llama-cpp (a devDependency, ESM only, loaded on demand).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Llama, LlamaModel } from 'node-llama-cpp';
import { meta, type GgufEntry, type GgufTensorSpec } from './ggufWriter';

export const SMOLLM2_NAME = 'SmolLM2-135M-Instruct.Q4_1.gguf';

/** Where scripts/fetch-smollm2.sh caches it. */
export function smollm2CachePath(): string {
  const dir = process.env.NEXT_TOKEN_CACHE ?? path.join(os.homedir(), '.cache', 'next-token');
  return path.join(dir, SMOLLM2_NAME);
}

/**
 * The cached SmolLM2 file, or `{ skip }` with the reason it is missing. In CI (`CI=true`) a
 * missing file throws: the set-up step must have run, and a skipped check would hide that.
 */
export function smollm2(): { path: string; skip?: undefined } | { path?: undefined; skip: string } {
  const file = smollm2CachePath();
  if (fs.existsSync(file)) return { path: file };
  const reason = `${file} is missing: run scripts/fetch-smollm2.sh (npm run test:unit:run does)`;
  if (process.env.CI === 'true') throw new Error(reason);
  console.log(`skipping: ${reason}`);
  return { skip: reason };
}

// TypeScript compiles import() to require() under "module": "commonjs"; node-llama-cpp is
// ESM only, so the import must stay a real one.
const importEsm = new Function('specifier', 'return import(specifier)') as (specifier: string) => Promise<typeof import('node-llama-cpp')>;

let llamaPromise: Promise<Llama> | undefined;

/** llama.cpp on the CPU with its prebuilt binary (never builds, never downloads). */
export function llamaCpp(): Promise<Llama> {
  llamaPromise ??= importEsm('node-llama-cpp').then((m) => m.getLlama({ gpu: false, build: 'never', logLevel: m.LlamaLogLevel.error }));
  return llamaPromise;
}

/** A GGUF file's vocabulary in llama.cpp (no weights loaded). */
export async function llamaVocab(file: string): Promise<LlamaModel> {
  const llama = await llamaCpp();
  return llama.loadModel({ modelPath: file, vocabOnly: true });
}

/**
 * The smallest llama model around a vocabulary: the hyperparameters and zero F32 tensors
 * (embedding 8, one block, tied output) that llama.cpp needs before it will load even the
 * vocabulary of a file (node-llama-cpp sizes the model first; a missing key or tensor
 * aborts the whole process from native code, so every test file must have them).
 */
export function llamaSkeleton(vocabSize: number): { metadata: Array<[string, GgufEntry]>; tensors: GgufTensorSpec[] } {
  const embd = 8;
  const ff = 16;
  const f32 = (name: string, dims: number[]): GgufTensorSpec => ({ name, dims, type: 0, data: new Uint8Array(4 * dims.reduce((a, b) => a * b, 1)) });
  return {
    metadata: [
      ['general.architecture', meta.str('llama')],
      ['llama.context_length', meta.u32(64)],
      ['llama.embedding_length', meta.u32(embd)],
      ['llama.block_count', meta.u32(1)],
      ['llama.feed_forward_length', meta.u32(ff)],
      ['llama.attention.head_count', meta.u32(2)],
      ['llama.attention.head_count_kv', meta.u32(2)],
      ['llama.attention.layer_norm_rms_epsilon', meta.f32(1e-5)],
      ['llama.rope.dimension_count', meta.u32(4)],
    ],
    tensors: [
      f32('token_embd.weight', [embd, vocabSize]),
      f32('output_norm.weight', [embd]),
      f32('blk.0.attn_norm.weight', [embd]),
      f32('blk.0.attn_q.weight', [embd, embd]),
      f32('blk.0.attn_k.weight', [embd, embd]),
      f32('blk.0.attn_v.weight', [embd, embd]),
      f32('blk.0.attn_output.weight', [embd, embd]),
      f32('blk.0.ffn_norm.weight', [embd]),
      f32('blk.0.ffn_gate.weight', [embd, ff]),
      f32('blk.0.ffn_up.weight', [embd, ff]),
      f32('blk.0.ffn_down.weight', [ff, embd]),
    ],
  };
}
