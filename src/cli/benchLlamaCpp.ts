/**
 * `bench engine`'s peer for GGUF files: llama.cpp through node-llama-cpp (its prebuilt CPU
 * binaries), on the same file and the same token ids, timed the way our engine is (the
 * Runner of benchOrt.ts). node-llama-cpp is a benchmark and test tool, never part of the
 * extension: it is looked up in bench/node_modules, then in the project's node_modules
 * (scripts/setup-llama-cpp.sh installs it there without saving it).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Runner } from './benchOrt';

/** The part of node-llama-cpp's API the benchmark uses. */
interface LlamaCppSequence {
  clearHistory(): Promise<void>;
  eraseContextTokenRanges(ranges: Array<{ start: number; end: number }>): Promise<void>;
  controlledEvaluate(input: Array<number | [number, { generateNext: { logits?: boolean; token?: boolean } }]>): Promise<Array<{ next?: { logits?: Map<number, number> } } | undefined>>;
}
interface LlamaCppContext {
  getSequence(): LlamaCppSequence;
  dispose(): Promise<void>;
}
interface LlamaCppModel {
  createContext(o: { contextSize: number; threads: number; batchSize: number }): Promise<LlamaCppContext>;
  dispose(): Promise<void>;
}
interface LlamaCppModule {
  getLlama(o: { gpu: false; build: 'never'; logLevel: unknown }): Promise<{ loadModel(o: { modelPath: string }): Promise<LlamaCppModel> }>;
  LlamaLogLevel: { error: unknown };
}

/** node-llama-cpp's entry file in bench/node_modules or node_modules, or why there is none. */
function entryFile(root: string): string | { skipped: string } {
  for (const dir of [path.join(root, 'bench', 'node_modules'), path.join(root, 'node_modules')]) {
    const pkg = path.join(dir, 'node-llama-cpp', 'package.json');
    if (!fs.existsSync(pkg)) continue;
    const main = (JSON.parse(fs.readFileSync(pkg, 'utf8')) as { main?: string }).main ?? 'dist/index.js';
    return path.join(dir, 'node-llama-cpp', main);
  }
  return { skipped: 'node-llama-cpp is not installed (bash scripts/setup-llama-cpp.sh installs it)' };
}

// An ES module, loaded at run time: TypeScript's CommonJS output would turn import() into
// require(), and a computed path keeps the bundler from ever packing it into the extension.
// eslint-disable-next-line @typescript-eslint/no-implied-eval
const importModule = new Function('u', 'return import(u)') as (url: string) => Promise<unknown>;

export async function loadLlamaCpp(root: string): Promise<LlamaCppModule | string> {
  const entry = entryFile(root);
  if (typeof entry !== 'string') return entry.skipped;
  try {
    return (await importModule(pathToFileURL(entry).href)) as LlamaCppModule;
  } catch (e) {
    return `node-llama-cpp does not load here (${(e as Error).message.split('\n')[0]})`;
  }
}

/** llama.cpp on `file` with `threads` threads, as a Runner over `tokens` (contexts up to `contextSize`). */
export async function llamaCppRunner(mod: LlamaCppModule, file: string, tokens: number[], threads: number, contextSize: number, vocabSize: number): Promise<Runner & { loadMs: number }> {
  const llama = await mod.getLlama({ gpu: false, build: 'never', logLevel: mod.LlamaLogLevel.error });
  const t0 = performance.now();
  const model = await llama.loadModel({ modelPath: file });
  const context = await model.createContext({ contextSize: contextSize + 8, threads, batchSize: 512 });
  const loadMs = performance.now() - t0;
  const sequence = context.getSequence();
  const lastWithLogits = (ids: number[]) => ids.map((id, i) => (i === ids.length - 1 ? ([id, { generateNext: { logits: true } }] as [number, { generateNext: { logits: boolean } }]) : id));
  return {
    label: `llama.cpp ${threads} thread${threads > 1 ? 's' : ''}`,
    loadMs,
    async decodeAt(n) {
      await sequence.clearHistory();
      await sequence.controlledEvaluate(tokens.slice(0, n - 1));
      const last = tokens[n - 1];
      return async () => {
        const t = performance.now();
        await sequence.controlledEvaluate([[last, { generateNext: { logits: true } }]]);
        const ms = performance.now() - t;
        // Back to n - 1 tokens, so every step computes the token at position n - 1, as ours does.
        await sequence.eraseContextTokenRanges([{ start: n - 1, end: n }]);
        return ms;
      };
    },
    async prefill(n) {
      await sequence.clearHistory();
      const t = performance.now();
      await sequence.controlledEvaluate(lastWithLogits(tokens.slice(0, n)));
      return performance.now() - t;
    },
    async logits(n) {
      await sequence.clearHistory();
      const out = await sequence.controlledEvaluate(lastWithLogits(tokens.slice(0, n)));
      // node-llama-cpp gives the logits as a map from token id (NaN where one is missing).
      const logits = new Float32Array(vocabSize).fill(NaN);
      for (const [id, v] of out[out.length - 1]?.next?.logits ?? []) if (id < vocabSize) logits[id] = v;
      return logits;
    },
    async release() {
      await context.dispose();
      await model.dispose();
    },
  };
}
