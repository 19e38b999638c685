/**
 * `next-token bench engine --model <id|folder> [--json]`: the engine's speed on this
 * machine, next to what the machine can do (a SIMD multiply-add probe over a
 * cache-resident matrix, and a memory-bandwidth probe, measured in the same run).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { contextTokens, GptModel, loadModel, type LanguageModel } from '../engine';
import { createWasmKernels } from '../engine/wasm/wasmKernels';
import { packageRoot, readModelFiles, readModelIndex, resolveModel } from '../node/modelFolder';
import { parseArgs, UsageError } from './args';
import { benchGhostCommand } from './benchGhost';

export interface EngineBench {
  model: string;
  backend: string;
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
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Text long enough to fill any window: the project's own sources. */
function benchText(): string {
  const root = packageRoot();
  const files = ['src/engine/gpt.ts', 'src/engine/bpeTokenizer.ts', 'src/engine/ngram.ts', 'README.md'].map((f) => path.join(root, f)).filter((f) => fs.existsSync(f));
  return files.map((f) => fs.readFileSync(f, 'utf8')).join('\n') || 'function f(x) { return x + 1; }\n'.repeat(500);
}

/** Milliseconds per decoded token with `n` tokens of context (one new token per call). */
function decodeMs(model: LanguageModel, tokens: number[], n: number, iterations: number): number {
  const a = tokens.slice(0, n);
  const b = tokens.slice(0, n - 1);
  model.reset();
  model.predict(a);
  const times: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const t = performance.now();
    // Each call changes the last position: exactly one token is recomputed at ~n.
    model.predict(i % 2 ? a : b);
    times.push(performance.now() - t);
  }
  return median(times);
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

export function benchEngine(folder: string, backend?: 'wasm' | 'js'): EngineBench {
  const files = readModelFiles(folder);
  let t = performance.now();
  const model = loadModel(files, folder, { backend });
  const loadMs = performance.now() - t;
  if (!(model instanceof GptModel)) throw new UsageError(`${folder} is not a transformer; bench engine measures transformers`);
  const window = model.info.contextLength;
  const tokens = contextTokens(model, benchText(), window);
  while (tokens.length < window) tokens.push(...tokens.slice(1, window - tokens.length + 1));
  const at = { ctx16: Math.min(16, window), ctx128: Math.min(128, window), ctxMax: window };
  const decode = {
    ctx16: decodeMs(model, tokens, at.ctx16, 200),
    ctx128: decodeMs(model, tokens, at.ctx128, 200),
    ctxMax: decodeMs(model, tokens, at.ctxMax, 100),
  };
  const prefill = (n: number) => {
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      model.reset();
      const s = performance.now();
      model.predict(tokens.slice(0, n));
      times.push(performance.now() - s);
    }
    return median(times);
  };
  const prefill128Ms = prefill(Math.min(128, window));
  const prefillTokens = Math.min(512, window);
  const prefill512Ms = prefill(prefillTokens);
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
  const matrixParams = c.nLayer * 12 * M * M + c.vocabSize * M;
  const flops = 2 * matrixParams + c.nLayer * 4 * at.ctx128 * M;
  const bytesPerWeight = model.weights.layers[0].attnWeight.i8 ? 1 : 4;
  const machine = probeMachine();
  return {
    model: model.info.id,
    backend: model.backend,
    parameters: model.info.parameters,
    loadMs,
    decodeMsPerToken: decode,
    decodeAt: at,
    prefill128Ms,
    prefill512Ms,
    prefillTokens,
    reuseOneCharMs: median(reuse),
    peakRssMb: process.memoryUsage().rss / 2 ** 20,
    decodeGflops: flops / (decode.ctx128 * 1e6),
    decodeGBps: (matrixParams * bytesPerWeight) / (decode.ctx128 * 1e6),
    machine,
  };
}

export async function benchCommand(argv: string[]): Promise<void> {
  const [what, ...rest] = argv;
  if (what === 'ghost') return benchGhostCommand(rest);
  if (what !== 'engine') throw new UsageError('usage: next-token bench engine [--model <id|folder>] [--backend wasm|js] [--json] | bench ghost --model <id|folder> --file <path> [--json]');
  const { flags } = parseArgs(rest, { model: 'string', json: 'boolean', backend: 'string' });
  const backend = flags.backend as 'wasm' | 'js' | undefined;
  if (backend !== undefined && backend !== 'wasm' && backend !== 'js') throw new UsageError('--backend is wasm or js');
  const ids = typeof flags.model === 'string'
    ? [flags.model]
    : readModelIndex().models.filter((m) => m.kind === 'transformer').map((m) => m.id);
  if (ids.length === 0) throw new UsageError('no transformer is bundled yet; name one with --model');
  const results = ids.map((id) => benchEngine(resolveModel(id), backend));
  if (flags.json) {
    console.log(JSON.stringify(results.length === 1 ? results[0] : results));
    return;
  }
  for (const r of results) {
    console.log(`${r.model} (${r.backend} kernels, ${r.parameters.toLocaleString('en-US')} parameters), loaded in ${r.loadMs.toFixed(1)} ms`);
    console.log(`  decode per token   ctx ${r.decodeAt.ctx16}: ${r.decodeMsPerToken.ctx16.toFixed(3)} ms   ctx ${r.decodeAt.ctx128}: ${r.decodeMsPerToken.ctx128.toFixed(3)} ms   ctx ${r.decodeAt.ctxMax}: ${r.decodeMsPerToken.ctxMax.toFixed(3)} ms`);
    console.log(`  prefill            128 tokens: ${r.prefill128Ms.toFixed(1)} ms   ${r.prefillTokens} tokens: ${r.prefill512Ms.toFixed(1)} ms`);
    console.log(`  one more character ${r.reuseOneCharMs.toFixed(3)} ms (cached prefix reused)`);
    console.log(`  throughput         ${r.decodeGflops.toFixed(2)} GFLOP/s (probe peak ${r.machine.simdPeakGflops.toFixed(2)}), weights ${r.decodeGBps.toFixed(2)} GB/s (copy probe ${r.machine.memoryGBps.toFixed(2)})`);
    console.log(`  peak RSS           ${r.peakRssMb.toFixed(0)} MB`);
  }
}
