/**
 * Two threads for the kernels in Node (the engine worker, the CLI, the tests): helpers are
 * worker_threads running kernelHelper.js, which sits beside this file both in dist/ (the
 * bundles) and in out/src/worker/ (the compiled tests).
 */
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { resolveThreads, setKernelThreads, type HelperSpawner, type ThreadOptions } from '../engine/wasm/kernelThreads';

export const HELPER_SCRIPT = path.join(__dirname, 'kernelHelper.js');

/** Cores this process may use. */
export function cores(): number {
  return typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
}

/** The default: a second thread only where it leaves a core for everything else (min(2, cores - 1)). */
export function defaultThreads(coreCount = cores()): number {
  return resolveThreads(0, coreCount);
}

/** Helper threads from `script`; unref'd, so a helper never keeps a process alive. */
export function nodeHelperSpawner(script = HELPER_SCRIPT): HelperSpawner {
  return () => {
    const worker = new Worker(script);
    worker.unref();
    return {
      postMessage: (message) => worker.postMessage(message),
      terminate: () => void worker.terminate(),
    };
  };
}

/** Models loaded from now on run on `count` threads (0: the default for this machine). */
export function useThreads(count: number, options: ThreadOptions = {}, script = HELPER_SCRIPT): number {
  const n = resolveThreads(count, cores());
  setKernelThreads(n, n > 1 ? nodeHelperSpawner(script) : undefined, options);
  return n;
}
