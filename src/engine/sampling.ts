/** Choosing the next token from a probability vector: greedy, temperature, top-k, top-p. */

export interface SamplingOptions {
  /** 0 = greedy (always the most probable token). */
  temperature: number;
  /** Keep only the k most probable tokens (0 = all). */
  topK: number;
  /** Keep the smallest set of tokens whose mass reaches p (1 = all). */
  topP: number;
}

export const GREEDY: SamplingOptions = { temperature: 0, topK: 0, topP: 1 };

/** Seeded random numbers (mulberry32) so sampled tests are reproducible. */
export class Rng {
  private state: number;
  constructor(seed = 1) {
    this.state = seed >>> 0;
  }
  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
}

export function argmax(x: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < x.length; i++) if (x[i] > x[best]) best = i;
  return best;
}

/** Indices of the k largest entries, largest first (ties: lower index first). */
export function topIndices(x: ArrayLike<number>, k: number): number[] {
  k = Math.min(k, x.length);
  const best: number[] = [];
  if (k <= 0) return best;
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (best.length === k && !(v > x[best[k - 1]])) continue;
    // Insertion into a short sorted list; equal values keep index order.
    let j = best.length;
    best.push(i);
    while (j > 0 && x[best[j - 1]] < v) {
      best[j] = best[j - 1];
      j--;
    }
    best[j] = i;
    if (best.length > k) best.pop();
  }
  return best;
}

/**
 * The distribution the sampling options produce from `probs`: temperature reshapes
 * (p^(1/T), renormalised), then top-k and top-p cut the tail. Writes into `out`.
 */
export function shapeDistribution(probs: ArrayLike<number>, options: SamplingOptions, out: Float64Array): void {
  const n = probs.length;
  if (options.temperature <= 0) {
    out.fill(0);
    out[argmax(probs)] = 1;
    return;
  }
  const inv = 1 / options.temperature;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const v = probs[i] > 0 ? Math.pow(probs[i], inv) : 0;
    out[i] = v;
    sum += v;
  }
  for (let i = 0; i < n; i++) out[i] /= sum;
  const cutK = options.topK > 0 && options.topK < n;
  const cutP = options.topP > 0 && options.topP < 1;
  if (!cutK && !cutP) return;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => out[b] - out[a] || a - b);
  let keep = cutK ? options.topK : n;
  if (cutP) {
    let mass = 0;
    for (let i = 0; i < keep; i++) {
      mass += out[order[i]];
      if (mass >= options.topP) {
        keep = i + 1;
        break;
      }
    }
  }
  let kept = 0;
  for (let i = 0; i < keep; i++) kept += out[order[i]];
  for (let i = keep; i < n; i++) out[order[i]] = 0;
  for (let i = 0; i < keep; i++) out[order[i]] /= kept;
}

/** Picks a token: argmax when greedy, otherwise a draw from the shaped distribution. */
export function sample(probs: ArrayLike<number>, options: SamplingOptions, rng: Rng, scratch?: Float64Array): number {
  if (options.temperature <= 0) return argmax(probs);
  const dist = scratch && scratch.length === probs.length ? scratch : new Float64Array(probs.length);
  shapeDistribution(probs, options, dist);
  let r = rng.next();
  for (let i = 0; i < dist.length; i++) {
    r -= dist[i];
    if (r < 0) return i;
  }
  return argmax(dist);
}
