/**
 * `next-token bench engine --model <id|folder> [--json]`: the engine's speed on this
 * machine, next to what the machine can do (a SIMD multiply-add probe over a
 * cache-resident matrix, and a memory-bandwidth probe, measured in the same run).
 */
import * as fs from 'node:fs';
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { contextTokens, GptModel, loadModel, preferKernels, relaxedSimdAvailable, type KernelVariant } from '../engine';
import { LlamaModel } from '../engine/llama';
import { createWasmKernels } from '../engine/wasm/wasmKernels';
import { ggufPath, packageRoot, readModelInput, readModelIndex, resolveModel } from '../node/modelFolder';
import { useThreads } from '../worker/nodeThreads';
import { llamaCppRunner, loadLlamaCpp } from './benchLlamaCpp';
import { parseArgs, UsageError } from './args';
import { benchGhostCommand } from './benchGhost';
import { interleaved, loadOrt, maxLogitDiff, median, ortRunner, type OrtFigures, type Runner } from './benchOrt';

/** A figure per context length. */
type Figures = { ctx16: number; ctx128: number; ctxMax: number };

export interface EngineBench {
  model: string;
  backend: string;
  /** The build of the SIMD kernels (relaxed where the runtime has it); absent with --backend js. */
  kernels?: KernelVariant;
  parameters: number;
  loadMs: number;
  decodeMsPerToken: { ctx16: number; ctx128: number; ctxMax: number };
  decodeAt: { ctx16: number; ctx128: number; ctxMax: number };
  prefill128Ms: number;
  prefill512Ms: number;
  prefillTokens: number;
  reuseOneCharMs: number;
  peakRssMb: number;
  decodeGflops: number;
  decodeGBps: number;
  machine: { simdPeakGflops: number; memoryGBps: number };
  /** The thread count of each figure above: ours are the best of the counts measured (--threads). */
  threads?: { decode: Figures; prefill128: number; prefill512: number };
  /** Our figures per thread count, when more than one was measured. */
  ours?: { threads: number; loadMs: number; decodeMsPerToken: Figures; prefill128Ms: number; prefill512Ms: number }[];
}

/** Text long enough to fill any window: the project's own sources. */
function benchText(): string {
  const root = packageRoot();
  const files = ['src/engine/gpt.ts', 'src/engine/bpeTokenizer.ts', 'src/engine/ngram.ts', 'README.md'].map((f) => path.join(root, f)).filter((f) => fs.existsSync(f));
  return files.map((f) => fs.readFileSync(f, 'utf8')).join('\n') || 'function f(x) { return x + 1; }\n'.repeat(500);
}

function probeMachine(): { simdPeakGflops: number; memoryGBps: number } {
  // Multiply-add peak of our own SIMD kernel on a 64 x 256 matrix that stays in cache.
  const rows = 64, cols = 256;
  const k = createWasmKernels(rows * cols * 4 + 4096);
  let simdPeakGflops = 0;
  if (k) {
    const w = new Float32Array(k.memory.buffer, 1024, rows * cols).fill(0.5);
    const x = new Float32Array(k.memory.buffer, 1024 + rows * cols * 4, cols).fill(0.25);
    const out = new Float32Array(k.memory.buffer, 1024 + (rows * cols + cols) * 4, rows);
    const m = { rows, cols, f32: w };
    for (let i = 0; i < 2000; i++) k.matvec(out, m, x);
    const n = 20000;
    const t = performance.now();
    for (let i = 0; i < n; i++) k.matvec(out, m, x);
    simdPeakGflops = (2 * rows * cols * n) / ((performance.now() - t) * 1e6);
  }
  // Memory bandwidth: copying 64 MB (read + write).
  const src = new Float32Array(16 << 20).fill(1);
  const dst = new Float32Array(16 << 20);
  dst.set(src);
  const t = performance.now();
  for (let i = 0; i < 5; i++) dst.set(src);
  const memoryGBps = (5 * 2 * src.byteLength) / ((performance.now() - t) * 1e6);
  return { simdPeakGflops, memoryGBps };
}

/** A full window of real tokens (the same for our engine and the peer). */
function benchTokens(model: GptModel | LlamaModel): number[] {
  const window = model.info.contextLength;
  const tokens = contextTokens(model, benchText(), window);
  while (tokens.length < window) tokens.push(...tokens.slice(1, window - tokens.length + 1));
  return tokens;
}


export interface EngineVsOrt extends EngineBench {
  /** The faster onnxruntime-node configuration per figure (1 or 2 intra-op threads). */
  ortDecodeMsPerToken?: Figures;
  ortPrefill128Ms?: number;
  ortPrefill512Ms?: number;
  /** ours / onnxruntime-node's best: below 1 means we are faster. */
  ratioVsOrt?: Figures & { prefill128: number; prefill512: number };
  ort?: OrtFigures[];
  ortSkipped?: string;
  /** A GGUF model's peer, llama.cpp (node-llama-cpp): its best of 1 and 2 threads per figure. */
  llamaCppDecodeMsPerToken?: Figures;
  llamaCppPrefillMs?: { prefill128: number; prefill512: number };
  /** ours / llama.cpp's best: below 1 means we are faster. */
  ratioVsLlamaCpp?: Figures & { prefill128: number; prefill512: number };
  llamaCpp?: OrtFigures[];
  llamaCppSkipped?: string;
}

/** The ONNX export of a bundled model, if it exists and was made from the current weights. */
function onnxFileFor(folder: string, explicit?: string): string | { skipped: string } {
  if (explicit) return explicit;
  const id = path.basename(path.resolve(folder));
  const file = path.join(packageRoot(), 'bench', 'onnx', `${id}.onnx`);
  const metaFile = file.replace(/\.onnx$/, '.json');
  const how = `run npm run bench, or /usr/bin/python3 training/export_onnx.py --model ${folder} --out ${file}`;
  if (!fs.existsSync(file) || !fs.existsSync(metaFile)) return { skipped: `no ONNX export of ${id} (${how})` };
  const sha = createHash('sha256').update(fs.readFileSync(path.join(folder, 'model.safetensors'))).digest('hex');
  const meta = JSON.parse(fs.readFileSync(metaFile, 'utf8')) as { safetensors_sha256?: string };
  if (meta.safetensors_sha256 !== sha) return { skipped: `the ONNX export of ${id} is older than its weights (${how})` };
  return file;
}

const ratio = (ours: number, peer: number) => ours / peer;

/** Our engine as a Runner of the interleaved comparison. */
function ourRunner(model: GptModel | LlamaModel, tokens: number[]): Runner {
  return {
    label: `ours (${model.backend}, ${model.threads} thread${model.threads > 1 ? 's' : ''})`,
    async decodeAt(n) {
      const a = tokens.slice(0, n);
      const b = tokens.slice(0, n - 1);
      model.reset();
      model.predict(a);
      let i = 0;
      return async () => {
        const t = performance.now();
        model.predict(i++ % 2 ? a : b); // each call changes the last position: one token recomputed at ~n
        return performance.now() - t;
      };
    },
    async prefill(n) {
      const ids = tokens.slice(0, n);
      model.reset();
      const t = performance.now();
      model.predict(ids);
      return performance.now() - t;
    },
    async logits(n) {
      model.reset();
      model.predict(tokens.slice(0, n));
      return model.lastLogits.slice();
    },
    release: async () => undefined,
  };
}

/** The onnxruntime-node runners for the model, or why there are none. */
async function peerRunners(folder: string, model: GptModel, tokens: number[], onnx: string | undefined, threadCounts: number[]): Promise<{ threads: number; runner: Runner & { loadMs: number } }[] | string> {
  const ort = loadOrt(packageRoot());
  if (typeof ort === 'string') return ort;
  const file = onnxFileFor(folder, onnx);
  if (typeof file !== 'string') return file.skipped;
  const c = model.config;
  const shape = { nLayer: c.nLayer, nHead: c.nHead, headSize: c.nEmbd / c.nHead, vocabSize: c.vocabSize };
  const peers = [];
  for (const threads of threadCounts) peers.push({ threads, runner: await ortRunner(ort, file, shape, tokens, threads) });
  return peers;
}

/** llama.cpp with each thread count on the GGUF file of `folder`, or why not. */
async function llamaCppPeers(folder: string, tokens: number[], threadCounts: number[], window: number, vocabSize: number): Promise<{ threads: number; runner: Runner & { loadMs: number } }[] | string> {
  const file = ggufPath(folder);
  if (!file) return 'not a GGUF file';
  const mod = await loadLlamaCpp(packageRoot());
  if (typeof mod === 'string') return mod;
  const peers = [];
  for (const threads of threadCounts) peers.push({ threads, runner: await llamaCppRunner(mod, file, tokens, threads, window, vocabSize) });
  return peers;
}

/** The peer's best thread count per figure, and ours / that. */
function bestOfPeer(result: EngineBench, runs: OrtFigures[]) {
  const best = (pick: (r: OrtFigures) => number) => Math.min(...runs.map(pick));
  const decode = {
    ctx16: best((r) => r.decodeMsPerToken.ctx16),
    ctx128: best((r) => r.decodeMsPerToken.ctx128),
    ctxMax: best((r) => r.decodeMsPerToken.ctxMax),
  };
  const prefill = { prefill128: best((r) => r.prefill128Ms), prefill512: best((r) => r.prefill512Ms) };
  const ratios = {
    ctx16: ratio(result.decodeMsPerToken.ctx16, decode.ctx16),
    ctx128: ratio(result.decodeMsPerToken.ctx128, decode.ctx128),
    ctxMax: ratio(result.decodeMsPerToken.ctxMax, decode.ctxMax),
    prefill128: ratio(result.prefill128Ms, prefill.prefill128),
    prefill512: ratio(result.prefill512Ms, prefill.prefill512),
  };
  return { decode, prefill, ratios };
}

/**
 * bench engine for one model. The decode and prefill figures come from one interleaved
 * measurement of our engine and, when it can run (`peer` given, onnxruntime-node installed,
 * an up-to-date ONNX export), onnxruntime-node on the same weights.
 */
export async function benchEngine(folder: string, backend?: 'wasm' | 'js', peer?: { onnx?: string; threadCounts?: number[] }, rounds = 5, ourThreads: number[] = [1]): Promise<EngineVsOrt> {
  const files = readModelInput(folder);
  // One copy of the model per thread count, measured interleaved like the peers.
  const loaded = ourThreads.map((threads) => {
    useThreads(threads);
    try {
      const started = performance.now();
      const m = loadModel(files, folder, { backend });
      return { threads, model: m, loadMs: performance.now() - started };
    } finally {
      useThreads(1);
    }
  });
  const { model, loadMs } = loaded[0];
  let t: number;
  if (!(model instanceof GptModel) && !(model instanceof LlamaModel)) throw new UsageError(`${folder} is not a transformer; bench engine measures transformers`);
  const models = loaded.map((l) => l.model as GptModel | LlamaModel);
  const window = model.info.contextLength;
  const tokens = benchTokens(model);
  const at = { ctx16: Math.min(16, window), ctx128: Math.min(128, window), ctxMax: window };
  const prefillTokens = Math.min(512, window);
  const ours = models.map((m) => ourRunner(m, tokens));
  const threadCounts = peer?.threadCounts ?? [1, 2];
  // onnxruntime-node runs our own GPT-2 exports; a GGUF model's peer is llama.cpp on the same file.
  const peers = !peer ? '--no-ort' : model instanceof GptModel ? await peerRunners(folder, model, tokens, peer.onnx, threadCounts) : await llamaCppPeers(folder, tokens, threadCounts, window, model.info.vocabSize);
  try {
    const runners = [...ours, ...(typeof peers === 'string' ? [] : peers.map((p) => p.runner))];
    const all = await interleaved(runners, at, [Math.min(128, window), prefillTokens], rounds);
    const ourFigures = all.slice(0, ours.length);
    const peerFigures = all.slice(ours.length);
    const { figures, threads } = bestOfOurs(ourFigures, ourThreads);
    // One more character typed: the cached prefix is reused.
    const text = model.tokenizer.decode(tokens.slice(1, Math.min(window - 8, 200)));
    const reuse: number[] = [];
    for (let i = 0; i < 20; i++) {
      model.reset();
      model.predict(contextTokens(model, text));
      t = performance.now();
      model.predict(contextTokens(model, text + 'e'));
      reuse.push(performance.now() - t);
    }
    // FLOPs and bytes of weights touched per decoded token at ctx 128.
    const c = model.config;
    const M = c.nEmbd;
    // A GGUF model's matrices are all its parameters (the embedding is the tied output or a
    // lookup); their bytes per weight are the file's (quantised blocks with their scales).
    const gguf = model instanceof LlamaModel ? model.info.gguf : undefined;
    const matrixParams = gguf ? model.info.parameters : c.nLayer * 12 * M * M + c.vocabSize * M;
    const flops = 2 * matrixParams + c.nLayer * 4 * at.ctx128 * M;
    const bytesPerWeight = gguf ? gguf.fileBytes / model.info.parameters : model instanceof GptModel && model.weights.layers[0].attnWeight.i8 ? 1 : 4;
    const result: EngineVsOrt = {
      model: model.info.id,
      backend: model.backend,
      ...(model.kernelVariant ? { kernels: model.kernelVariant } : {}),
      parameters: model.info.parameters,
      loadMs,
      decodeMsPerToken: figures.decodeMsPerToken,
      decodeAt: at,
      prefill128Ms: figures.prefill128Ms,
      prefill512Ms: figures.prefill512Ms,
      prefillTokens,
      reuseOneCharMs: median(reuse),
      peakRssMb: process.memoryUsage().rss / 2 ** 20,
      decodeGflops: flops / (figures.decodeMsPerToken.ctx128 * 1e6),
      decodeGBps: (matrixParams * bytesPerWeight) / (figures.decodeMsPerToken.ctx128 * 1e6),
      machine: probeMachine(),
      threads,
      ...(ours.length > 1 ? { ours: ourFigures.map((f, k) => ({ threads: ourThreads[k], loadMs: loaded[k].loadMs, ...f })) } : {}),
    };
    if (typeof peers === 'string') {
      if (model instanceof GptModel) result.ortSkipped = peers;
      else result.llamaCppSkipped = peers;
      return result;
    }
    const runs: OrtFigures[] = [];
    for (let k = 0; k < peers.length; k++) {
      const diff = await maxLogitDiff(ours[0], peers[k].runner, [at.ctx16, at.ctx128], c.vocabSize);
      runs.push({ threads: peers[k].threads, loadMs: peers[k].runner.loadMs, ...peerFigures[k], outputMaxAbsDiff: diff });
    }
    const { decode, prefill, ratios } = bestOfPeer(result, runs);
    if (model instanceof GptModel) {
      result.ort = runs;
      result.ortDecodeMsPerToken = decode;
      result.ortPrefill128Ms = prefill.prefill128;
      result.ortPrefill512Ms = prefill.prefill512;
      result.ratioVsOrt = ratios;
    } else {
      result.llamaCpp = runs;
      result.llamaCppDecodeMsPerToken = decode;
      result.llamaCppPrefillMs = prefill;
      result.ratioVsLlamaCpp = ratios;
    }
    return result;
  } finally {
    if (typeof peers !== 'string') for (const p of peers) await p.runner.release();
    for (const m of models) m.dispose();
  }
}

/** Per figure, the fastest of our thread counts, and which count that was. */
function bestOfOurs(runs: { decodeMsPerToken: Figures; prefill128Ms: number; prefill512Ms: number }[], counts: number[]) {
  const pick = (get: (r: (typeof runs)[number]) => number) => {
    let k = 0;
    runs.forEach((r, i) => (get(r) < get(runs[k]) ? (k = i) : undefined));
    return { value: get(runs[k]), threads: counts[k] };
  };
  const d16 = pick((r) => r.decodeMsPerToken.ctx16);
  const d128 = pick((r) => r.decodeMsPerToken.ctx128);
  const dMax = pick((r) => r.decodeMsPerToken.ctxMax);
  const p128 = pick((r) => r.prefill128Ms);
  const p512 = pick((r) => r.prefill512Ms);
  return {
    figures: { decodeMsPerToken: { ctx16: d16.value, ctx128: d128.value, ctxMax: dMax.value }, prefill128Ms: p128.value, prefill512Ms: p512.value },
    threads: { decode: { ctx16: d16.threads, ctx128: d128.threads, ctxMax: dMax.threads }, prefill128: p128.threads, prefill512: p512.threads },
  };
}

function printBench(r: EngineVsOrt): void {
  const f = (ms: number) => `${ms.toFixed(3)} ms`;
  console.log(`${r.model} (${r.backend}${r.kernels ? ` ${r.kernels}` : ''} kernels, ${r.parameters.toLocaleString('en-US')} parameters), loaded in ${r.loadMs.toFixed(1)} ms, peak RSS ${r.peakRssMb.toFixed(0)} MB`);
  // The peer: onnxruntime-node for our GPT-2 models, llama.cpp for GGUF files.
  const gguf = r.llamaCpp !== undefined || r.llamaCppSkipped !== undefined;
  const name = gguf ? 'llama.cpp' : 'onnxruntime';
  const decode = gguf ? r.llamaCppDecodeMsPerToken : r.ortDecodeMsPerToken;
  const q = gguf ? r.ratioVsLlamaCpp : r.ratioVsOrt;
  const prefill = gguf ? r.llamaCppPrefillMs : r.ortPrefill128Ms === undefined ? undefined : { prefill128: r.ortPrefill128Ms, prefill512: r.ortPrefill512Ms! };
  const rows: [string, number, number | undefined, number | undefined][] = [
    [`decode / token, ctx ${r.decodeAt.ctx16}`, r.decodeMsPerToken.ctx16, decode?.ctx16, q?.ctx16],
    [`decode / token, ctx ${r.decodeAt.ctx128}`, r.decodeMsPerToken.ctx128, decode?.ctx128, q?.ctx128],
    [`decode / token, ctx ${r.decodeAt.ctxMax}`, r.decodeMsPerToken.ctxMax, decode?.ctxMax, q?.ctxMax],
    ['prefill 128 tokens', r.prefill128Ms, prefill?.prefill128, q?.prefill128],
    [`prefill ${r.prefillTokens} tokens`, r.prefill512Ms, prefill?.prefill512, q?.prefill512],
  ];
  console.log(`  ${'figure'.padEnd(24)} ${'ours'.padStart(11)} ${name.padStart(11)} ${`ours/${gguf ? 'llama' : 'ort'}`.padStart(10)}`);
  for (const [label, ours, peer, ratioValue] of rows) {
    console.log(`  ${label.padEnd(24)} ${f(ours).padStart(11)} ${(peer === undefined ? '-' : f(peer)).padStart(11)} ${(ratioValue === undefined ? '-' : ratioValue.toFixed(2)).padStart(10)}`);
  }
  if (r.ours) {
    for (const o of r.ours) {
      console.log(`  ours ${o.threads} thread${o.threads > 1 ? 's' : ' '}          decode ctx ${r.decodeAt.ctx16} ${f(o.decodeMsPerToken.ctx16)}, ctx ${r.decodeAt.ctx128} ${f(o.decodeMsPerToken.ctx128)}, prefill ${r.prefillTokens} ${f(o.prefill512Ms)}, load ${o.loadMs.toFixed(0)} ms`);
    }
  }
  console.log(`  one more character       ${f(r.reuseOneCharMs)} (cached prefix reused)`);
  console.log(`  throughput               ${r.decodeGflops.toFixed(2)} GFLOP/s (probe peak ${r.machine.simdPeakGflops.toFixed(2)}), weights ${r.decodeGBps.toFixed(2)} GB/s (copy probe ${r.machine.memoryGBps.toFixed(2)})`);
  const runs = gguf ? r.llamaCpp : r.ort;
  if (runs) {
    for (const o of runs) {
      console.log(`  ${name} ${o.threads} thread${o.threads > 1 ? 's' : ' '}     decode ctx ${r.decodeAt.ctx128} ${f(o.decodeMsPerToken.ctx128)}, prefill ${r.prefillTokens} ${f(o.prefill512Ms)}, load ${o.loadMs.toFixed(0)} ms, max |logit diff| vs ours ${o.outputMaxAbsDiff.toExponential(1)}`);
    }
  } else {
    console.log(`  ${name}: skipped: ${gguf ? r.llamaCppSkipped : r.ortSkipped}`);
  }
}

export async function benchCommand(argv: string[]): Promise<void> {
  const [what, ...rest] = argv;
  if (what === 'ghost') return benchGhostCommand(rest);
  if (what !== 'engine') throw new UsageError('usage: next-token bench engine [--model <id|folder>] [--backend wasm|js] [--kernels simd|relaxed-simd] [--onnx <file>] [--no-ort] [--threads 1,2] [--peer-threads 1,2] [--rounds N] [--json] | bench ghost --model <id|folder> --file <path> [--json]');
  const { flags } = parseArgs(rest, { model: 'string', json: 'boolean', backend: 'string', kernels: 'string', onnx: 'string', 'no-ort': 'boolean', 'peer-threads': 'string', rounds: 'string', threads: 'string' });
  const counts = (flag: string, value: unknown, max: number) => {
    const list = typeof value === 'string' ? value.split(',').map(Number) : [1, 2];
    if (list.length === 0 || list.some((n) => !Number.isInteger(n) || n < 1 || n > max)) throw new UsageError(`${flag} is a list of thread counts, e.g. 1,2`);
    return list;
  };
  const ourThreads = counts('--threads', flags.threads, 2);
  const threadCounts = counts('--peer-threads', flags['peer-threads'], 64);
  const rounds = typeof flags.rounds === 'string' ? Number(flags.rounds) : 5;
  if (!Number.isInteger(rounds) || rounds < 1) throw new UsageError('--rounds is a positive whole number');
  const backend = flags.backend as 'wasm' | 'js' | undefined;
  if (backend !== undefined && backend !== 'wasm' && backend !== 'js') throw new UsageError('--backend is wasm or js');
  const kernels = flags.kernels as KernelVariant | undefined;
  if (kernels !== undefined && kernels !== 'simd' && kernels !== 'relaxed-simd') throw new UsageError('--kernels is simd or relaxed-simd');
  if (kernels === 'relaxed-simd' && !relaxedSimdAvailable()) {
    throw new UsageError('this runtime has no WebAssembly relaxed SIMD (Node 20 needs node --experimental-wasm-relaxed-simd)');
  }
  preferKernels(kernels);
  const ids = typeof flags.model === 'string'
    ? [flags.model]
    : readModelIndex().models.filter((m) => m.kind === 'transformer').map((m) => m.id);
  if (ids.length === 0) throw new UsageError('no transformer is bundled yet; name one with --model');
  if (typeof flags.onnx === 'string' && ids.length > 1) throw new UsageError('--onnx needs --model');
  const results: EngineVsOrt[] = [];
  for (const id of ids) {
    const folder = resolveModel(id);
    results.push(await benchEngine(folder, backend, flags['no-ort'] ? undefined : { onnx: flags.onnx as string | undefined, threadCounts }, rounds, ourThreads));
  }
  if (flags.json) {
    console.log(JSON.stringify(results.length === 1 ? results[0] : results));
    return;
  }
  results.forEach(printBench);
}
