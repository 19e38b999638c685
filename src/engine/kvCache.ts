/**
 * The bookkeeping of a transformer's KV cache, the same for GptModel and LlamaModel: which
 * tokens the cached keys and values belong to, and which part of a new context has to be
 * computed (everything after the longest common prefix, and at least the last token, whose
 * logits are the answer).
 */

/** What a model's run state records about its cache. */
export interface CachedTokens {
  readonly cachedTokens: Int32Array;
  cachedLength: number;
}

/**
 * Brings the cache to `tokens`: calls `forward(pos, count, last)` for each batch of at most
 * `batch` positions from the first one that differs (the last batch has `last` set), and
 * returns how many positions were computed. Nothing is computed when the cache already holds
 * exactly `tokens` and `reusable` (the model's last outputs are still those of this context).
 */
export function advanceCache(
  cache: CachedTokens,
  tokens: readonly number[],
  batch: number,
  reusable: boolean,
  forward: (pos: number, count: number, last: boolean) => void,
): number {
  const n = tokens.length;
  let common = 0;
  const limit = Math.min(n, cache.cachedLength);
  while (common < limit && cache.cachedTokens[common] === tokens[common]) common++;
  if (common === n && cache.cachedLength === n && reusable) return 0;
  const start = Math.min(common, n - 1);
  for (let pos = start; pos < n; pos += batch) {
    const count = Math.min(batch, n - pos);
    forward(pos, count, pos + count === n);
    for (let i = pos; i < pos + count; i++) cache.cachedTokens[i] = tokens[i];
  }
  cache.cachedLength = n;
  return n - start;
}
