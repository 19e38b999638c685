/**
 * Counts n-grams into the tables the NgramModel reads. Used to build the toy model from
 * its corpus and, incrementally, for counts from the user's open files. Sequences are
 * counted separately: no n-gram spans two of them.
 */
import type { NgramTable } from './ngram';

export interface NgramCounts {
  readonly order: number;
  /** per order k (index k-1): n-gram key -> raw count */
  readonly raw: Map<string, number>[];
  /** per order k: n-gram key -> distinct left neighbours (Kneser-Ney continuation) */
  readonly leftNeighbours: Map<string, Set<number>>[];
  /** per order k: n-grams that occur at the start of a sequence (they have no left neighbour) */
  readonly atStart: Set<string>[];
}

export function newCounts(order: number): NgramCounts {
  return {
    order,
    raw: Array.from({ length: order }, () => new Map()),
    leftNeighbours: Array.from({ length: order }, () => new Map()),
    atStart: Array.from({ length: order }, () => new Set()),
  };
}

/** Adds (sign 1) or removes (sign -1) one sequence's n-grams. */
export function countSequence(counts: NgramCounts, tokens: readonly number[], sign: 1 | -1 = 1): void {
  for (let k = 1; k <= counts.order; k++) {
    const raw = counts.raw[k - 1];
    for (let i = 0; i + k <= tokens.length; i++) {
      const key = tokens.slice(i, i + k).join(',');
      const n = (raw.get(key) ?? 0) + sign;
      if (n > 0) raw.set(key, n);
      else raw.delete(key);
      if (sign > 0) {
        if (i === 0) counts.atStart[k - 1].add(key);
        else {
          let left = counts.leftNeighbours[k - 1].get(key);
          if (!left) counts.leftNeighbours[k - 1].set(key, (left = new Set()));
          left.add(tokens[i - 1]);
        }
      }
    }
  }
}

export interface BuiltTables {
  tables: NgramTable[];
  /** Kneser-Ney discounts per order, D = n1 / (n1 + 2 n2) of the stored counts. */
  discounts: number[];
}

/** Sorted tables; with Kneser-Ney, orders below the highest hold continuation counts. */
export function buildTables(counts: NgramCounts, smoothing: 'none' | 'kneser-ney'): BuiltTables {
  const tables: NgramTable[] = [];
  const discounts: number[] = [];
  for (let k = 1; k <= counts.order; k++) {
    const entries: Array<[number[], number]> = [];
    for (const [key, raw] of counts.raw[k - 1]) {
      let n = raw;
      if (smoothing === 'kneser-ney' && k < counts.order) {
        n = (counts.leftNeighbours[k - 1].get(key)?.size ?? 0) + (counts.atStart[k - 1].has(key) ? 1 : 0);
      }
      if (n > 0) entries.push([key.split(',').map(Number), n]);
    }
    entries.sort((a, b) => {
      for (let j = 0; j < k; j++) if (a[0][j] !== b[0][j]) return a[0][j] - b[0][j];
      return 0;
    });
    const tokens = new Int32Array(entries.length * k);
    const values = new Int32Array(entries.length);
    entries.forEach(([gram, n], i) => {
      tokens.set(gram, i * k);
      values[i] = n;
    });
    tables.push({ order: k, tokens, counts: values });
    let n1 = 0;
    let n2 = 0;
    for (const v of values) {
      if (v === 1) n1++;
      else if (v === 2) n2++;
    }
    const d = n1 + 2 * n2 > 0 ? n1 / (n1 + 2 * n2) : 0.5;
    discounts.push(Math.min(0.95, Math.max(0.05, d)));
  }
  return { tables, discounts };
}
