/**
 * Browser entry of the kernels' helper thread (dist/web/kernelHelper.js), a Web Worker the
 * engine's Web Worker starts when the page is cross-origin isolated (only then can the two
 * share a WebAssembly memory): the same loop as the Node entry (kernelThreads.ts).
 */
import { runKernelHelper, type HelperInit } from '../engine/wasm/kernelThreads';

interface HelperScope {
  addEventListener(type: 'message', listener: (event: { data: HelperInit }) => void, options: { once: boolean }): void;
}
declare const self: HelperScope;

self.addEventListener('message', (event) => runKernelHelper(event.data), { once: true });
