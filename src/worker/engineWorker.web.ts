/** Browser entry of the engine worker (a Web Worker): same core, browser messaging. */
import { resolveThreads, setKernelThreads, type HelperInit } from '../engine/wasm/kernelThreads';
import type { WorkerRequest, WorkerResponse } from './protocol';
import { WorkerCore } from './workerCore';

interface WorkerScope {
  postMessage(message: WorkerResponse, transfer: ArrayBuffer[]): void;
  addEventListener(type: 'message', listener: (event: { data: WorkerRequest }) => void): void;
  /** True only on pages served with COOP and COEP headers: the one case where memory can be shared. */
  crossOriginIsolated?: boolean;
  navigator: { hardwareConcurrency?: number };
}
declare const self: WorkerScope;
declare const Worker: new (url: string) => { postMessage(message: HelperInit): void; terminate(): void };

/** A helper thread where the page is cross-origin isolated and the host sent the helper's script; else one thread. */
function useThreads(count: number, helperUrl: string | undefined): void {
  // (setKernelThreads gives one thread anyway where the runtime cannot share memory.)
  if (resolveThreads(count, self.navigator.hardwareConcurrency ?? 1) < 2 || !helperUrl || self.crossOriginIsolated !== true) {
    setKernelThreads(1);
    return;
  }
  setKernelThreads(2, () => {
    const worker = new Worker(helperUrl);
    return { postMessage: (message) => worker.postMessage(message), terminate: () => worker.terminate() };
  });
}

const core = new WorkerCore({
  post: (message, transfer) => self.postMessage(message, transfer ?? []),
  // A macrotask between requests lets newer messages (cancellations) arrive first.
  schedule: (task) => setTimeout(task, 0),
  useThreads,
});
self.addEventListener('message', (event) => core.receive(event.data));
