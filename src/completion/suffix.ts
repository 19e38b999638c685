/**
 * Awareness of the text after the cursor. Ghost text is only offered at the end of a line
 * or before closing characters that an editor auto-inserts (brackets, quotes, `;`), and it
 * never repeats those characters: "foo(|)" gets "a, b" rather than "a, b)".
 */
const CLOSERS = new Set([')', ']', '}', '"', "'", '`', ';', ',', '>', ':']);

/** Whether a suggestion can be shown with this text after the cursor on the same line. */
export function suffixAllowsSuggestion(lineSuffix: string): boolean {
  for (const ch of lineSuffix) if (!CLOSERS.has(ch) && ch !== ' ' && ch !== '\t') return false;
  return true;
}

/** Cuts a suggestion where it would retype what already follows the cursor. */
export function trimAgainstSuffix(item: string, lineSuffix: string): string {
  const rest = lineSuffix.trimEnd();
  if (!rest) return item;
  if (item.endsWith(rest)) return item.slice(0, item.length - rest.length);
  const first = rest.trimStart()[0];
  const at = item.indexOf(first);
  return at >= 0 ? item.slice(0, at) : item;
}
