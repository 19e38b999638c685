/**
 * `next-token bench ghost --model <id|folder> --file <path> [--json]`: replays typing a real
 * file character by character through the path the provider uses: the suggestion cache
 * (typing through a shown suggestion) and, on a miss, the engine worker thread.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { CompletionCache } from '../completion/completionCache';
import { packageRoot, readModelInput, resolveModel } from '../node/modelFolder';
import { toModelText } from '../engine';
import { contextStart } from '../worker/contextStart';
import type { WorkerRequest, WorkerResponse } from '../worker/protocol';
import { parseArgs, UsageError } from './args';

export interface GhostBench {
  model: string;
  file: string;
  keystrokes: number;
  coldMs: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
  /** p50 over the keystrokes the cache could not answer (the model ran). */
  missP50Ms: number;
  cacheHits: number;
  tokensPerSecond: number;
  /** Extension-host-side work per keystroke (building the request, the cache), median. */
  mainThreadMsPerKeystroke: number;
  /** Threads the model's products ran on in the worker (--threads; nextToken.threads). */
  threads: number;
}

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] : 0;
}

export async function benchGhost(folder: string, file: string, maxChars = 3000, threads = 0): Promise<GhostBench> {
  const worker = new Worker(path.join(packageRoot(), 'dist', 'engineWorker.js'));
  let nextId = 1;
  const pending = new Map<number, (r: WorkerResponse) => void>();
  worker.on('message', (m: WorkerResponse) => {
    pending.get(m.id)?.(m);
    pending.delete(m.id);
  });
  const send = (m: Record<string, unknown>, transfer: ArrayBuffer[] = []) =>
    new Promise<WorkerResponse>((resolve) => {
      const id = nextId++;
      pending.set(id, resolve);
      worker.postMessage({ ...m, id } as WorkerRequest, transfer);
    });
  try {
    const files = readModelInput(folder); // a GGUF file's bytes, or a folder's three files
    const loaded = await send({ type: 'load', folder, files, threads });
    if (loaded.type !== 'loaded') throw new UsageError(`cannot load ${folder}: ${loaded.type === 'error' ? loaded.message : loaded.type}`);
    const text = fs.readFileSync(file, 'utf8').slice(0, maxChars);
    const cache = new CompletionCache();
    const times: number[] = [];
    const misses: number[] = [];
    const mainThread: number[] = [];
    let coldMs = 0;
    let cacheHits = 0;
    let tokens = 0;
    let workerMs = 0;
    for (let pos = 1; pos <= text.length; pos++) {
      // As the provider cuts it (documentContext): a stepped start, LF line endings.
      const t0 = performance.now();
      const prefix = toModelText(text.slice(contextStart(pos), pos));
      const hit = cache.lookup(loaded.info.id, prefix);
      if (hit) {
        cacheHits++;
        const ms = performance.now() - t0;
        times.push(ms);
        mainThread.push(ms);
        continue;
      }
      const request = { type: 'complete', prefix, maxTokens: 16, multiline: false, timeBudgetMs: 150, alternatives: 1, sampling: { temperature: 0, topK: 0, topP: 1 } };
      const sync = performance.now();
      const answer = send(request);
      const syncMs = performance.now() - sync;
      const r = await answer;
      const t1 = performance.now();
      if (r.type !== 'completion') continue;
      cache.store(loaded.info.id, prefix, r.items);
      mainThread.push(syncMs + (performance.now() - t1));
      const ms = t1 - t0;
      if (pos === 1) coldMs = ms;
      times.push(ms);
      misses.push(ms);
      tokens += r.computedTokens;
      workerMs += r.ms;
    }
    return {
      model: loaded.info.id,
      file,
      keystrokes: text.length,
      coldMs,
      p50Ms: percentile(times, 50),
      p95Ms: percentile(times, 95),
      maxMs: Math.max(...times),
      missP50Ms: percentile(misses, 50),
      cacheHits,
      tokensPerSecond: workerMs > 0 ? (tokens * 1000) / workerMs : 0,
      mainThreadMsPerKeystroke: percentile(mainThread, 50),
      threads: loaded.threads,
    };
  } finally {
    await worker.terminate();
  }
}

export async function benchGhostCommand(argv: string[]): Promise<void> {
  const { flags } = parseArgs(argv, { model: 'string', file: 'string', json: 'boolean', 'max-chars': 'number', threads: 'number' });
  const threads = (flags.threads as number | undefined) ?? 0;
  if (!Number.isInteger(threads) || threads < 0 || threads > 2) throw new UsageError('--threads is 1 or 2 (0: the default, min(2, cores - 1))');
  if (typeof flags.model !== 'string' || typeof flags.file !== 'string') throw new UsageError('bench ghost needs --model <id|folder> and --file <path>');
  if (!fs.existsSync(flags.file)) throw new UsageError(`no such file: ${flags.file}`);
  const r = await benchGhost(resolveModel(flags.model), flags.file, (flags['max-chars'] as number | undefined) ?? 3000, threads);
  if (flags.json) console.log(JSON.stringify(r));
  else {
    console.log(`${r.model} typing ${r.keystrokes} characters of ${r.file} (${r.threads} thread${r.threads > 1 ? 's' : ''})`);
    console.log(`  time to ghost text  p50 ${r.p50Ms.toFixed(2)} ms   p95 ${r.p95Ms.toFixed(2)} ms   max ${r.maxMs.toFixed(1)} ms   cold ${r.coldMs.toFixed(1)} ms   (model ran: p50 ${r.missP50Ms.toFixed(2)} ms)`);
    console.log(`  cache hits ${r.cacheHits} of ${r.keystrokes}, ${r.tokensPerSecond.toFixed(0)} tokens/s in the worker, main thread ${r.mainThreadMsPerKeystroke.toFixed(3)} ms per keystroke (median)`);
  }
}
