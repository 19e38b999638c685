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

/**
 * Characters after the cursor sent to a fill-in-the-middle model: the worker keeps at most a
 * quarter of the window in tokens of them (whole lines), which this bounds from above for
 * every bundled window (512 tokens of code are about 1,500 characters).
 */
export const SUFFIX_CHARS = 2048;

/**
 * The text after the cursor as sent: `after` (the document from the cursor on, possibly cut
 * at SUFFIX_CHARS; `whole`: it runs to the document's end) up to its last line end when it
 * was cut, so the model never reads a line cut in the middle by this bound. A single line
 * longer than the bound is kept cut.
 */
export function cutSuffix(after: string, whole: boolean): string {
  if (whole) return after;
  const end = after.lastIndexOf('\n');
  if (end <= 0) return after;
  // A CRLF document's line end is "\r\n": cut before both.
  return after.slice(0, after[end - 1] === '\r' ? end - 1 : end);
}
