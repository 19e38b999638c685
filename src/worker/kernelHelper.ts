/**
 * Node entry of the kernels' helper thread (dist/kernelHelper.js): receives the shared
 * memory and the compiled kernels once, then runs the parts of products it is handed
 * (src/engine/wasm/kernelThreads.ts) until the model that started it is disposed.
 */
import { parentPort } from 'node:worker_threads';
import { runKernelHelper, type HelperInit } from '../engine/wasm/kernelThreads';

if (!parentPort) throw new Error('kernelHelper must run as a worker thread');
parentPort.once('message', (init: HelperInit) => runKernelHelper(init));
