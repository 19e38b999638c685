/** Browser entry of the engine worker (a Web Worker): same core, browser messaging. */
import type { WorkerRequest, WorkerResponse } from './protocol';
import { WorkerCore } from './workerCore';

interface WorkerScope {
  postMessage(message: WorkerResponse, transfer: ArrayBuffer[]): void;
  addEventListener(type: 'message', listener: (event: { data: WorkerRequest }) => void): void;
}
declare const self: WorkerScope;

const core = new WorkerCore({
  post: (message, transfer) => self.postMessage(message, transfer ?? []),
  // A macrotask between requests lets newer messages (cancellations) arrive first.
  schedule: (task) => setTimeout(task, 0),
});
self.addEventListener('message', (event) => core.receive(event.data));
