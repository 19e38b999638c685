/** Node entry of the engine worker (worker_threads): the model never runs on the extension host's main thread. */
import { getHeapStatistics } from 'node:v8';
import { parentPort } from 'node:worker_threads';
import { useThreads } from './nodeThreads';
import type { WorkerRequest } from './protocol';
import { WorkerCore } from './workerCore';

if (!parentPort) throw new Error('engineWorker must run as a worker thread');
const port = parentPort;
const core = new WorkerCore({
  post: (message, transfer) => port.postMessage(message, transfer ?? []),
  schedule: (task) => setImmediate(task),
  // The worker's own isolate (not the extension host's): its heap plus typed-array memory (weights, KV cache).
  memoryUsed: () => {
    const h = getHeapStatistics();
    return h.used_heap_size + h.external_memory;
  },
  // Helpers are worker_threads running dist/kernelHelper.js, beside this bundle.
  useThreads: (count) => void useThreads(count),
});
port.on('message', (message: WorkerRequest) => core.receive(message));
