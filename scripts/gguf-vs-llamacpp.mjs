// Decode and prefill speed of a GGUF model in our engine against llama.cpp (node-llama-cpp,
// CPU, 1 thread) on the same file and the same token ids, interleaved round by round so a
// busy machine slows both alike; the best round of each, and our time / llama.cpp's.
//
//   npx tsc -p . && node scripts/gguf-vs-llamacpp.mjs [file.gguf] [--context N] [--decode N] [--rounds N]
//
// Default file: the SmolLM2-135M-Instruct Q4_1 that scripts/fetch-smollm2.sh caches. The
// context is N token ids (a fixed pattern over the vocabulary), prefilled, then --decode
// greedy tokens one at a time (each side its own argmax). Prints one JSON line.
import { createRequire } from 'node:module';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const require = createRequire(import.meta.url);
const engine = (name) => require(path.join(root, 'out', 'src', 'engine', name));
const { readGguf } = engine('gguf.js');
const { ggufTokenizer } = engine('ggufTokenizer.js');
const { modelFromGguf } = engine('loadGguf.js');

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args.splice(i, 2)[1]) : fallback;
};
const contextTokens = option('--context', 32);
const decodeTokens = option('--decode', 32);
const rounds = option('--rounds', 3);
const file = args[0] ?? path.join(process.env.NEXT_TOKEN_CACHE ?? path.join(os.homedir(), '.cache', 'next-token'), 'SmolLM2-135M-Instruct.Q4_1.gguf');

const bytes = new Uint8Array(fs.readFileSync(file));
const gguf = readGguf(bytes, file);
const ours = modelFromGguf(gguf, ggufTokenizer(gguf), file);
const L = ours.info.vocabSize;
const ids = Array.from({ length: contextTokens }, (_, i) => (17 + 7919 * i) % Math.min(L, 30000));

const { getLlama, LlamaLogLevel } = await import('node-llama-cpp');
const llama = await getLlama({ gpu: false, build: 'never', logLevel: LlamaLogLevel.error });
const model = await llama.loadModel({ modelPath: file });
const context = await model.createContext({ contextSize: Math.max(256, contextTokens + decodeTokens + 8), threads: 1, batchSize: 512 });
const sequence = context.getSequence();

const argmax = (p) => {
  let best = 0;
  for (let i = 1; i < p.length; i++) if (p[i] > p[best]) best = i;
  return best;
};
const greedy = { generateNext: { token: true, options: { temperature: 0 } } };
const times = { ours: [], oursPrefill: [], llama: [], llamaPrefill: [] };
for (let r = 0; r < rounds; r++) {
  ours.reset();
  let t = performance.now();
  let p = ours.predict(ids).probs;
  times.oursPrefill.push(performance.now() - t);
  const tokens = [...ids];
  t = performance.now();
  for (let i = 0; i < decodeTokens; i++) {
    tokens.push(argmax(p));
    p = ours.predict(tokens).probs;
  }
  times.ours.push((performance.now() - t) / decodeTokens);

  await sequence.clearHistory();
  t = performance.now();
  const out = await sequence.controlledEvaluate(ids.map((id, i) => (i === ids.length - 1 ? [id, greedy] : id)));
  times.llamaPrefill.push(performance.now() - t);
  let next = out[out.length - 1].next.token;
  t = performance.now();
  for (let i = 0; i < decodeTokens; i++) next = (await sequence.controlledEvaluate([[next, greedy]]))[0].next.token;
  times.llama.push((performance.now() - t) / decodeTokens);
}
const best = (a) => Math.min(...a);
const round = (x) => Math.round(x * 10) / 10;
console.log(JSON.stringify({
  file: path.basename(file),
  fileType: ours.info.gguf?.fileType,
  kernels: ours.backend,
  contextTokens,
  decodeTokens,
  decodeMsPerToken: round(best(times.ours)),
  llamaCppDecodeMsPerToken: round(best(times.llama)),
  decodeRatio: Math.round((100 * best(times.ours)) / best(times.llama)) / 100,
  prefillMs: round(best(times.oursPrefill)),
  llamaCppPrefillMs: round(best(times.llamaPrefill)),
  prefillRatio: Math.round((100 * best(times.oursPrefill)) / best(times.llamaPrefill)) / 100,
  loadAverage: Math.round(os.loadavg()[0] * 10) / 10,
}));
await context.dispose();
await model.dispose();
