/**
 * The benchmark's peer: the same weights in onnxruntime-node (exported by
 * training/export_onnx.py with a KV cache), timed the way `bench engine` times our engine.
 *
 * onnxruntime-node is a dependency of the benchmark only (bench/package.json; `npm run bench`
 * installs it into bench/node_modules). It is loaded with a run-time `require` of that folder,
 * so neither the extension nor its dev install contains or needs it; without it the benchmark
 * says so and prints our figures alone.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The part of onnxruntime-node's API the benchmark uses. */
declare namespace Ort {
  interface Tensor {
    readonly data: unknown;
    readonly dims: readonly number[];
  }
  interface InferenceSession {
    run(feeds: Record<string, Tensor>): Promise<Record<string, Tensor>>;
    release(): Promise<void>;
  }
}
interface OrtModule {
  Tensor: new (type: 'int64' | 'float32', data: BigInt64Array | Float32Array, dims: number[]) => Ort.Tensor;
  InferenceSession: {
    create(model: Uint8Array, options: {
      intraOpNumThreads: number;
      interOpNumThreads: number;
      executionMode: 'sequential' | 'parallel';
      graphOptimizationLevel: 'disabled' | 'basic' | 'extended' | 'all';
    }): Promise<Ort.InferenceSession>;
  };
}

export interface OrtFigures {
  threads: number;
  loadMs: number;
  decodeMsPerToken: { ctx16: number; ctx128: number; ctxMax: number };
  prefill128Ms: number;
  prefill512Ms: number;
  outputMaxAbsDiff: number; // vs our engine's logits for the same context
}

export interface OrtModelShape {
  nLayer: number;
  nHead: number;
  headSize: number;
  vocabSize: number;
}

/** onnxruntime-node from <root>/bench/node_modules, or why it cannot be used. */
export function loadOrt(root: string): OrtModule | string {
  const dir = path.join(root, 'bench', 'node_modules', 'onnxruntime-node');
  if (!fs.existsSync(dir)) return 'onnxruntime-node is not installed (npm run bench installs it into bench/node_modules)';
  try {
    // A computed path: esbuild leaves it alone and the bundle never contains the runtime.
    return require(dir) as OrtModule;
  } catch (e) {
    return `onnxruntime-node does not load here (${(e as Error).message.split('\n')[0]})`;
  }
}

type Session = Ort.InferenceSession;

/** One way to run the model, timed figure by figure (ours, or the peer with n threads). */
export interface Runner {
  readonly label: string;
  /** Fills the cache with tokens[0 .. n-1); the returned function times one more token (ms). */
  decodeAt(n: number): Promise<() => Promise<number>>;
  /** Times one prefill of tokens[0 .. n) from an empty cache (ms). */
  prefill(n: number): Promise<number>;
  /** The logits after tokens[0 .. n). */
  logits(n: number): Promise<Float32Array>;
  release(): Promise<void>;
}

async function step(ort: OrtModule, session: Session, shape: OrtModelShape, ids: number[], past?: Ort.Tensor) {
  const input = new ort.Tensor('int64', BigInt64Array.from(ids.map(BigInt)), [1, ids.length]);
  const empty = new ort.Tensor('float32', new Float32Array(0), [shape.nLayer, 2, 1, shape.nHead, 0, shape.headSize]);
  const out = await session.run({ input_ids: input, past: past ?? empty });
  return { logits: out.logits.data as Float32Array, present: out.present as Ort.Tensor };
}

/** onnxruntime-node on `onnxFile` with `threads` intra-op threads, as a Runner. */
export async function ortRunner(ort: OrtModule, onnxFile: string, shape: OrtModelShape, tokens: number[], threads: number): Promise<Runner & { loadMs: number }> {
  const bytes = fs.readFileSync(onnxFile);
  const t0 = performance.now();
  const session = await ort.InferenceSession.create(bytes, {
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
  });
  const loadMs = performance.now() - t0;
  return {
    label: `onnxruntime ${threads} thread${threads > 1 ? 's' : ''}`,
    loadMs,
    async decodeAt(n) {
      const { present } = await step(ort, session, shape, tokens.slice(0, n - 1));
      const last = [tokens[n - 1]];
      return async () => {
        const t = performance.now();
        await step(ort, session, shape, last, present);
        return performance.now() - t;
      };
    },
    async prefill(n) {
      const ids = tokens.slice(0, n);
      const t = performance.now();
      await step(ort, session, shape, ids);
      return performance.now() - t;
    },
    async logits(n) {
      return (await step(ort, session, shape, tokens.slice(0, n))).logits;
    },
    release: () => session.release(),
  };
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

export interface Figures {
  decodeMsPerToken: { ctx16: number; ctx128: number; ctxMax: number };
  prefill128Ms: number;
  prefill512Ms: number;
}

/**
 * Times every runner on every figure in interleaved rounds (ours, peer, peer, ours, ...), so
 * that the load of this shared machine at any moment weighs on all of them alike; each
 * figure is the median of all of a runner's samples.
 */
export async function interleaved(
  runners: Runner[],
  at: { ctx16: number; ctx128: number; ctxMax: number },
  prefillLengths: [number, number],
  rounds = 5,
): Promise<Figures[]> {
  const decode = async (n: number, perRound: number) => {
    const steps = [];
    for (const r of runners) steps.push(await r.decodeAt(n));
    const samples: number[][] = runners.map(() => []);
    for (const s of steps) for (let i = 0; i < 10; i++) await s(); // warm up
    for (let round = 0; round < rounds; round++) {
      for (let k = 0; k < steps.length; k++) for (let i = 0; i < perRound; i++) samples[k].push(await steps[k]());
    }
    return samples.map(median);
  };
  const prefill = async (n: number) => {
    const samples: number[][] = runners.map(() => []);
    for (const r of runners) await r.prefill(n); // warm up
    for (let round = 0; round < rounds; round++) {
      for (let k = 0; k < runners.length; k++) for (let i = 0; i < 2; i++) samples[k].push(await runners[k].prefill(n));
    }
    return samples.map(median);
  };
  const d16 = await decode(at.ctx16, 40);
  const d128 = await decode(at.ctx128, 40);
  const dMax = await decode(at.ctxMax, 20);
  const p128 = await prefill(prefillLengths[0]);
  const p512 = await prefill(prefillLengths[1]);
  return runners.map((_, k) => ({
    decodeMsPerToken: { ctx16: d16[k], ctx128: d128[k], ctxMax: dMax[k] },
    prefill128Ms: p128[k],
    prefill512Ms: p512[k],
  }));
}

/** The largest |logit difference| between two runners over the given context lengths. */
export async function maxLogitDiff(a: Runner, b: Runner, lengths: number[], vocabSize: number): Promise<number> {
  let worst = 0;
  for (const n of lengths) {
    const x = await a.logits(n);
    const y = await b.logits(n);
    for (let i = 0; i < vocabSize; i++) worst = Math.max(worst, Math.abs(x[i] - y[i]));
  }
  return worst;
}
