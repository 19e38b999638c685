/**
 * Two threads for the kernels (src/engine/wasm/kernelThreads.ts): a helper worker computes
 * part of each product over the model's shared memory. The split must not change a single
 * bit of what the model predicts (each output element is computed by the same kernel code
 * from the same inputs, whichever thread runs it), a helper that fails or never starts must
 * cost time and nothing else, and disposing a model must stop its helper.
 */
import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { GgmlType, loadModel, readGguf, type GptModel, type LlamaModel } from '../../src/engine';
import { ggufTokenizer } from '../../src/engine/ggufTokenizer';
import { modelFromGguf } from '../../src/engine/loadGguf';
import { withSharedMemoryImport } from '../../src/engine/wasm/sharedMemoryImport';
import { KERNELS_WASM_BASE64 } from '../../src/engine/wasm/kernelsBinary';
import { kernelThreads, setKernelThreads, sharedMemoryAvailable, type HelperSpawner } from '../../src/engine/wasm/kernelThreads';
import { defaultThreads, nodeHelperSpawner, useThreads } from '../../src/worker/nodeThreads';
import { randomGguf } from './ggufModelRandom';
import { randomGptFiles } from './randomGpt';

/** Split every product, however small: the random models' are far below the real threshold. */
const SPLIT_ALL = { splitMinMacs: 1 };

afterEach(() => setKernelThreads(1));

/** Resolves once the model's helper thread is up (it splits nothing before). */
async function untilParallel(model: { parallel: boolean }): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!model.parallel) {
    if (Date.now() > deadline) assert.fail('the helper thread did not start within 20 s');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

function sameBits(a: Float32Array, b: Float32Array, what: string): void {
  assert.equal(a.length, b.length, what);
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) assert.fail(`${what}: element ${i} is ${b[i]}, one thread gave ${a[i]}`);
}

/** Probabilities after each prefix of `ids`: prefill of the whole prefix, then one token at a time from the cache. */
function trace(model: { predict(t: readonly number[]): { probs: Float32Array }; reset(): void }, ids: number[]): Float32Array[] {
  const out: Float32Array[] = [];
  for (const n of [ids.length, 1]) {
    model.reset();
    for (let k = n; k <= ids.length; k++) out.push(Float32Array.from(model.predict(ids.slice(0, k)).probs));
  }
  return out;
}

test('the default is a second thread only where a core is left over', () => {
  assert.equal(defaultThreads(1), 1);
  assert.equal(defaultThreads(2), 1);
  assert.equal(defaultThreads(3), 2);
  assert.equal(defaultThreads(16), 2);
});

test('the kernels with a shared memory import instantiate over a shared memory', { skip: !sharedMemoryAvailable() && 'no shared WebAssembly memory here' }, () => {
  const bytes = Uint8Array.from(atob(KERNELS_WASM_BASE64), (c) => c.charCodeAt(0));
  const shared = withSharedMemoryImport(bytes);
  assert.equal(shared.length, bytes.length + 3, 'only the memory limits change: flags 3 and a maximum of 65536 pages (three bytes)');
  const memory = new WebAssembly.Memory({ initial: 2, maximum: 2, shared: true });
  const instance = new WebAssembly.Instance(new WebAssembly.Module(shared), { env: { memory } });
  assert.equal(typeof instance.exports.matmul_f32, 'function');
  assert.throws(() => new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } }), 'the unshared build refuses a shared memory');
});

test('without a spawner, or with one thread asked, models run on one thread', () => {
  setKernelThreads(2);
  assert.equal(kernelThreads(), 1);
  assert.equal((loadModel(randomGptFiles()) as GptModel).threads, 1);
  useThreads(1);
  assert.equal((loadModel(randomGptFiles()) as GptModel).threads, 1);
});

test('a GPT-2 model on two threads predicts the same bits as on one, prefill and decode', { skip: !sharedMemoryAvailable() }, async () => {
  const files = randomGptFiles({ embd: 32, layers: 2, heads: 4, positions: 64, seed: 11 });
  const ids = [0, 5, 80, 13, 200, 7, 7, 7, 42, 259, 3, 9, 120, 44, 61, 2, 17];
  const one = loadModel(files) as GptModel;
  useThreads(2, SPLIT_ALL);
  const two = loadModel(files) as GptModel;
  try {
    assert.equal(one.threads, 1);
    assert.equal(two.threads, 2);
    await untilParallel(two);
    const a = trace(one, ids);
    const b = trace(two, ids);
    a.forEach((probs, i) => sameBits(probs, b[i], `prediction ${i}`));
    for (const n of [2, 3, 4, 5, 9]) {
      // Short prefills split unevenly (a token or two each).
      one.reset();
      two.reset();
      sameBits(Float32Array.from(one.predict(ids.slice(0, n)).probs), Float32Array.from(two.predict(ids.slice(0, n)).probs), `prefill of ${n}`);
    }
    assert.ok(two.parallel, 'still split at the end');
  } finally {
    two.dispose();
  }
});

test('GGUF models on two threads predict the same bits as on one, for each packed type', { skip: !sharedMemoryAvailable() }, async () => {
  for (const type of [GgmlType.Q8_0, GgmlType.Q4_0, GgmlType.Q4_1, GgmlType.Q5_0, GgmlType.Q4_K, GgmlType.Q5_K, GgmlType.Q6_K]) {
    const { bytes } = randomGguf({ type, width: 256, seed: 5 });
    const load = () => {
      const gguf = readGguf(bytes, 'r.gguf');
      return modelFromGguf(gguf, ggufTokenizer(gguf), 'r.gguf', { fileBytes: bytes.length }) as LlamaModel;
    };
    setKernelThreads(1);
    const one = load();
    useThreads(2, SPLIT_ALL);
    const two = load();
    try {
      assert.equal(two.threads, 2, `type ${type}`);
      await untilParallel(two);
      const ids = [1, 17, 44, 250, 3, 99, 120, 7, 8, 9];
      const a = trace(one, ids);
      const b = trace(two, ids);
      a.forEach((probs, i) => sameBits(probs, b[i], `type ${type}, prediction ${i}`));
    } finally {
      two.dispose();
    }
  }
});

test('a helper that never starts costs nothing: the model computes alone', { skip: !sharedMemoryAvailable() }, () => {
  const files = randomGptFiles({ embd: 32, seed: 3 });
  const ids = [0, 5, 80, 13, 200, 7];
  const want = trace(loadModel(files), ids);
  let terminated = 0;
  const silent: HelperSpawner = () => ({ postMessage: () => undefined, terminate: () => void terminated++ });
  setKernelThreads(2, silent, { ...SPLIT_ALL, timeoutMs: 60_000 });
  const model = loadModel(files) as GptModel;
  assert.equal(model.threads, 2);
  assert.equal(model.parallel, false);
  const started = performance.now();
  const got = trace(model, ids);
  assert.ok(performance.now() - started < 10_000, 'no product waited for it');
  want.forEach((probs, i) => sameBits(probs, got[i], `prediction ${i}`));
  model.dispose();
  assert.equal(terminated, 1);
});

test('a helper that is up and stops answering costs one timeout, then the model computes alone', { skip: !sharedMemoryAvailable() }, () => {
  const files = randomGptFiles({ embd: 32, seed: 3 });
  const ids = [0, 5, 80, 13, 200, 7];
  const want = trace(loadModel(files), ids);
  let terminated = 0;
  // Says it is up (the control block's ready word), then never runs a part.
  const hung: HelperSpawner = () => ({
    postMessage: (init) => Atomics.store(new Int32Array(init.memory.buffer, init.control, 4), 3, 1),
    terminate: () => void terminated++,
  });
  setKernelThreads(2, hung, { ...SPLIT_ALL, timeoutMs: 30 });
  const model = loadModel(files) as GptModel;
  assert.equal(model.parallel, true);
  const started = performance.now();
  const got = trace(model, ids);
  assert.ok(performance.now() - started < 5000, 'one timeout, not one per product');
  want.forEach((probs, i) => sameBits(probs, got[i], `prediction ${i}`));
  assert.equal(model.parallel, false, 'given up');
  assert.equal(terminated, 1, 'the hung helper was stopped');
});

test('disposing a model stops its helper thread', { skip: !sharedMemoryAvailable() }, async () => {
  const exits: Promise<void>[] = [];
  const spawn = nodeHelperSpawner();
  const counting: HelperSpawner = () => {
    const port = spawn();
    let stopped!: () => void;
    exits.push(new Promise((resolve) => (stopped = resolve)));
    return { postMessage: (m) => port.postMessage(m), terminate: () => (port.terminate(), stopped()) };
  };
  setKernelThreads(2, counting, SPLIT_ALL);
  const model = loadModel(randomGptFiles({ embd: 32 })) as GptModel;
  model.predict([0, 5, 80]);
  model.dispose();
  assert.equal(exits.length, 1);
  await exits[0];
});
