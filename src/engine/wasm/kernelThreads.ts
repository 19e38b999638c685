/**
 * A second thread for the kernels (issue #18, item 4): one helper worker runs the same
 * compiled kernels over the model's memory, shared (a SharedArrayBuffer behind a shared
 * WebAssembly.Memory), so a matrix product is split in two without copying anything: the
 * helper computes one part of the output while the model's own thread computes the other.
 *
 * Hand-off is a small control block at the end of the memory: the caller writes the kernel
 * and its arguments, bumps `seq` and wakes the helper (Atomics.notify); the helper runs its
 * part, stores `seq` into `done` and wakes the caller. Nothing is handed over before the
 * helper has said it is up (`ready`), so a helper that is slow to start, or whose script
 * cannot be loaded, costs nothing: the model computes alone until then. Both spin a little before sleeping,
 * because prefill issues products back to back and a futex wake-up costs tens of
 * microseconds. A product too small to pay for that hand-off stays on one thread.
 *
 * The engine stays pure: it does not know how a worker is made. The host registers a
 * spawner (Node: worker_threads running dist/kernelHelper.js; a browser: a Web Worker, only
 * when crossOriginIsolated) with setKernelThreads; without one, or where the runtime has no
 * shared WebAssembly memory, every model runs on one thread as before.
 */
import { kernelModule, type KernelVariant } from './kernelModule';

/** What the engine needs of a helper worker: a message to start it, and a way to stop it. */
export interface HelperPort {
  postMessage(message: HelperInit): void;
  terminate(): void;
}

export type HelperSpawner = () => HelperPort;

/** The first and only message a helper receives. */
export interface HelperInit {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  /** Byte offset of the control block in memory. */
  control: number;
}

/** Kernels the helper can run, by index (the control block carries the index). */
export const HELPER_KERNELS = [
  'matvec_f32', 'matvec_i8', 'matmul_f32', 'attend_rows',
  'matmul_q8_0', 'matmul_q4_0', 'matmul_q4_1', 'matmul_q5_0', 'matmul_q4_K', 'matmul_q5_K', 'matmul_q6_K',
] as const;
export type HelperKernel = (typeof HELPER_KERNELS)[number];
const KERNEL_INDEX = new Map<string, number>(HELPER_KERNELS.map((name, i) => [name, i]));

// Control block layout: Int32 slots, then the kernel index and up to 11 arguments as float64
// (every pointer and count a kernel takes is an integer below 2^32; scales are floats).
const SEQ = 0;
const DONE = 1;
const FAILED = 2;
const READY = 3;
const ARGS_AT = 16; // bytes
const MAX_ARGS = 11;
const CONTROL_BYTES = ARGS_AT + 8 * (1 + MAX_ARGS);
const EXIT = -1;
/** Loads of the control word before sleeping (about 20-50 microseconds). */
const SPIN = 20000;

export interface ThreadOptions {
  /**
   * Multiply-adds below which a product stays on one thread: handing half of it over and
   * waiting costs a few microseconds even while the helper spins. Tests lower it to split
   * the products of tiny random models.
   */
  splitMinMacs?: number;
  /** How long the model's thread waits for the helper before it gives up on it and computes alone. */
  timeoutMs?: number;
}

const DEFAULTS: Required<ThreadOptions> = { splitMinMacs: 1 << 17, timeoutMs: 5000 };
let threads = 1;
let spawner: HelperSpawner | undefined;
let options = DEFAULTS;

/**
 * The thread count of a setting (nextToken.threads): 1 or 2 as asked, or for 0 a second
 * thread only where it leaves a core for everything else: min(2, cores - 1).
 */
export function resolveThreads(count: number, cores: number): number {
  return count > 0 ? Math.min(2, Math.floor(count)) : Math.max(1, Math.min(2, cores - 1));
}

/**
 * Models loaded from now on use `count` threads (1 or 2; more are not used: the split is in
 * two) with helpers from `spawn`; 1, or no spawner, is one thread. Models already loaded keep theirs.
 */
export function setKernelThreads(count: number, spawn?: HelperSpawner, opts: ThreadOptions = {}): void {
  threads = Math.max(1, Math.min(2, Math.floor(count) || 1));
  spawner = spawn;
  options = { ...DEFAULTS, ...opts };
}

/** The thread count models loaded now get (1 where no helper can be made). */
export function kernelThreads(): number {
  return threads > 1 && spawner && sharedMemoryAvailable() ? threads : 1;
}

/** Whether this runtime can share a WebAssembly memory between threads (in a browser: only when crossOriginIsolated). */
export function sharedMemoryAvailable(): boolean {
  try {
    if (typeof SharedArrayBuffer !== 'function' || typeof Atomics !== 'object') return false;
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
    return memory.buffer instanceof SharedArrayBuffer;
  } catch {
    return false;
  }
}

/** The model's side of a helper: hands it a part of a product and waits for it. */
export class KernelHelper {
  private readonly i32: Int32Array;
  private readonly f64: Float64Array;
  private seq = 0;
  private broken = false;

  constructor(private readonly port: HelperPort, memory: WebAssembly.Memory, control: number, private readonly timeoutMs: number) {
    this.i32 = new Int32Array(memory.buffer, control, 4);
    this.f64 = new Float64Array(memory.buffer, control + ARGS_AT, 1 + MAX_ARGS);
  }

  /** Whether products are split now: the helper is up, and has not failed or timed out. */
  get alive(): boolean {
    return !this.broken && Atomics.load(this.i32, READY) === 1;
  }

  /** Starts `kernel(...args)` on the helper; finish() waits for it. */
  start(kernel: HelperKernel, args: readonly number[]): void {
    this.f64[0] = KERNEL_INDEX.get(kernel)!;
    for (let i = 0; i < args.length; i++) this.f64[1 + i] = args[i];
    this.seq = (this.seq + 1) | 0;
    Atomics.store(this.i32, SEQ, this.seq);
    Atomics.notify(this.i32, SEQ);
  }

  /**
   * Waits until the helper has finished the part start() gave it. Returns false (and stops
   * splitting from then on) if the helper failed or did not answer in time: the caller then
   * computes that part itself.
   */
  finish(): boolean {
    const i32 = this.i32;
    const seq = this.seq;
    for (let spin = 0; spin < SPIN; spin++) if (Atomics.load(i32, DONE) === seq) return this.check();
    const deadline = Date.now() + this.timeoutMs;
    for (;;) {
      const done = Atomics.load(i32, DONE);
      if (done === seq) return this.check();
      const left = deadline - Date.now();
      if (left <= 0) {
        // It was up and stopped answering: give it up (a helper still busy would otherwise
        // keep writing into buffers this thread reuses).
        this.broken = true;
        this.port.terminate();
        return false;
      }
      Atomics.wait(i32, DONE, done, left);
    }
  }

  private check(): boolean {
    if (Atomics.load(this.i32, FAILED) !== 0) {
      this.broken = true;
      return false;
    }
    return true;
  }

  dispose(): void {
    this.broken = true;
    this.f64[0] = EXIT;
    Atomics.store(this.i32, SEQ, (this.seq + 1) | 0);
    Atomics.notify(this.i32, SEQ);
    this.port.terminate();
  }
}

/** The helper's share of `rows` output rows: the first half, in whole blocks of 4 (the kernels' SIMD row blocks). */
export function helperRows(rows: number): number {
  return (rows >> 3) << 2;
}

/**
 * Kernels bound to a model's memory, and (with two threads) the helper sharing it: the one
 * place that decides whether a product is split and runs the two parts.
 */
export class KernelMemory {
  constructor(
    readonly memory: WebAssembly.Memory,
    readonly exports: Record<string, unknown>,
    readonly variant: KernelVariant,
    private readonly helper?: KernelHelper,
    /** Products of fewer multiply-adds stay on one thread (ThreadOptions). */
    private readonly splitMinMacs = Infinity,
  ) {}

  /** 2 when a helper thread takes part of each large product, else 1. */
  get threads(): number {
    return this.helper ? 2 : 1;
  }

  /** Whether products are split now (the helper is up and answering). */
  get parallel(): boolean {
    return this.helper?.alive === true;
  }

  /** Whether a product of `macs` multiply-adds is split now. */
  splits(macs: number): boolean {
    return macs >= this.splitMinMacs && this.parallel;
  }

  /**
   * Runs `kernel` with `mine` on this thread and with `theirs` on the helper at the same time
   * (call only when splits() said so); if the helper fails, its part is computed here.
   */
  both(kernel: HelperKernel, mine: readonly number[], theirs: readonly number[]): void {
    const f = this.exports[kernel] as (...args: number[]) => void;
    this.helper!.start(kernel, theirs);
    f(...mine);
    if (!this.helper!.finish()) f(...theirs);
  }

  /** Stops the helper thread, if any. */
  dispose(): void {
    this.helper?.dispose();
  }
}

/**
 * A memory of at least `bytes` bytes with the kernels instantiated over it; shared, with a
 * helper started on it, when kernelThreads() is 2. Undefined without WebAssembly SIMD (or
 * over 4 GiB).
 */
export function createKernelMemory(bytes: number): KernelMemory | undefined {
  const pages = Math.ceil((bytes + CONTROL_BYTES) / 65536) + 1;
  if (pages > 65536) return undefined; // over 4 GiB: not a model for the editor
  const two = kernelThreads() === 2 ? kernelModule(true) : undefined;
  if (two && spawner) {
    try {
      const memory = new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true });
      const instance = new WebAssembly.Instance(two.module, { env: { memory } });
      const control = pages * 65536 - CONTROL_BYTES - 8; // past everything the arena hands out
      const port = spawner();
      port.postMessage({ module: two.module, memory, control });
      const helper = new KernelHelper(port, memory, control, options.timeoutMs);
      return new KernelMemory(memory, instance.exports, two.variant, helper, options.splitMinMacs);
    } catch {
      // no helper after all (the spawner failed): one thread
    }
  }
  const one = kernelModule();
  if (!one) return undefined;
  const memory = new WebAssembly.Memory({ initial: pages, maximum: pages });
  return new KernelMemory(memory, new WebAssembly.Instance(one.module, { env: { memory } }).exports, one.variant);
}

/**
 * The helper's loop (the body of dist/kernelHelper.js and its browser twin): instantiates
 * the kernels over the shared memory, then runs each part it is given until told to exit.
 * It blocks its own thread in Atomics.wait between parts, so it must run in a worker.
 */
export function runKernelHelper(init: HelperInit): void {
  const instance = new WebAssembly.Instance(init.module, { env: { memory: init.memory } });
  const fns = instance.exports as Record<string, (...args: number[]) => void>;
  const kernels = HELPER_KERNELS.map((name) => fns[name]);
  const i32 = new Int32Array(init.memory.buffer, init.control, 4);
  const f64 = new Float64Array(init.memory.buffer, init.control + ARGS_AT, 1 + MAX_ARGS);
  let seen = Atomics.load(i32, SEQ); // none is handed over before READY; dispose() may have bumped it
  if (f64[0] === EXIT && seen !== 0) return;
  Atomics.store(i32, READY, 1);
  for (;;) {
    let seq = Atomics.load(i32, SEQ);
    for (let spin = 0; seq === seen && spin < SPIN; spin++) seq = Atomics.load(i32, SEQ);
    if (seq === seen) {
      Atomics.wait(i32, SEQ, seen);
      continue;
    }
    seen = seq;
    const index = f64[0];
    if (index === EXIT) return;
    try {
      const a = f64;
      kernels[index](a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10], a[11]);
    } catch {
      Atomics.store(i32, FAILED, 1);
    }
    Atomics.store(i32, DONE, seq);
    Atomics.notify(i32, DONE);
  }
}
