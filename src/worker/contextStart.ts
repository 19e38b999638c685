/** Where the text sent to the worker starts (pure, so it is unit-tested without VS Code). */

/** Characters of the document before the cursor sent to the worker (it keeps the last window of tokens). */
export const PREFIX_CHARS = 8192;

/**
 * Where the context starts for a cursor at document offset `offset`: it moves in steps of
 * half the span, so while the user types the start stays put and the prefix only grows.
 */
export function contextStart(offset: number, span = PREFIX_CHARS): number {
  const step = span / 2;
  return Math.max(0, Math.floor((offset - span) / step) * step);
}
