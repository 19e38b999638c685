/**
 * Single-line infilling (issue #16), as the SantaCoder and StarCoder papers report it: one
 * non-blank line is taken out of a file and predicted from the text before it and after it
 * (fill-in-the-middle), and by the same model from the text before it alone (left to right),
 * with the same token budget; a prediction counts when it equals the line after trimming.
 * Pure engine code over any LanguageModel, like the other measures.
 */
import { CacheCounts, withCaches, type LanguageModel } from '../engine';
import { completeText } from '../worker/completionEngine';
import type { WorkspaceCounts } from './evaluate';

/** One line taken out: the model sees `prefix` (ending in the line break before it) and `suffix` (from the line break after it). */
export interface InfillCase {
  /** 0-based line number in the file. */
  line: number;
  prefix: string;
  middle: string;
  suffix: string;
}

/** Lines taken out of each file: a few, so every file of a set weighs about the same. */
export const INFILL_LINES_PER_FILE = 4;
/** Tokens a prediction may take (enough for a line of code). */
export const INFILL_MAX_TOKENS = 48;

/**
 * The lines to take out of `text` (LF): `perFile` non-blank lines spread evenly over the
 * file's non-blank lines (those at (i + ½)·n/k), so the choice is the same on every run and
 * for every model.
 */
export function infillCases(text: string, perFile = INFILL_LINES_PER_FILE): InfillCase[] {
  const starts: number[] = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  const lineAt = (k: number) => {
    const end = k + 1 < starts.length ? starts[k + 1] - 1 : text.length;
    return { start: starts[k], end, text: text.slice(starts[k], end) };
  };
  const candidates: number[] = [];
  for (let k = 0; k < starts.length; k++) if (lineAt(k).text.trim().length > 0) candidates.push(k);
  const n = Math.min(perFile, candidates.length);
  const chosen = [...new Set(Array.from({ length: n }, (_, i) => candidates[Math.floor(((i + 0.5) * candidates.length) / n)]))];
  return chosen.map((k) => {
    const l = lineAt(k);
    return { line: k, prefix: text.slice(0, l.start), middle: l.text, suffix: text.slice(l.end) };
  });
}

export interface InfillResult {
  cases: number;
  /** Exact matches (after trimming) with the suffix; null when the model was not trained for it. */
  infill: number | null;
  leftToRight: number;
}

/** The line the model writes at the start of `c`'s line, with the suffix or without it. */
export function predictLine(model: LanguageModel, c: InfillCase, withSuffix: boolean, fimWindow?: number): string {
  const { items } = completeText(model, c.prefix, {
    maxTokens: INFILL_MAX_TOKENS,
    multiline: false,
    timeBudgetMs: Infinity,
    alternatives: 1,
    sampling: { temperature: 0, topK: 0, topP: 1 },
    ...(withSuffix ? { suffix: c.suffix, fimWindow } : {}),
  });
  return items[0] ?? '';
}

export interface InfillOptions {
  perFile?: number;
  /** Mix in the open file's counts: the file as the editor holds it, without the line. */
  useCache?: boolean;
  /** The project's other files, counted (eval --project). */
  workspace?: WorkspaceCounts;
  /** Fit the FIM context into this many tokens (default: the model's window). */
  fimWindow?: number;
}

/** Both ways on every case of `text`: fill-in-the-middle (when the model reads suffixes) and left to right. */
export function scoreInfill(base: LanguageModel, text: string, o: InfillOptions = {}): InfillResult {
  const cases = infillCases(text, o.perFile ?? INFILL_LINES_PER_FILE);
  const result: InfillResult = { cases: cases.length, infill: base.fim ? 0 : null, leftToRight: 0 };
  const workspace = o.workspace && o.workspace.counts.tokenCount > 0 ? o.workspace : undefined;
  for (const c of cases) {
    let model = base;
    if (o.useCache || workspace) {
      // The open file's cache holds the document as it is: the text before and after the gap.
      const open = o.useCache ? new CacheCounts(4) : undefined;
      open?.setDocument('file', base.tokenizer.encode(c.prefix + c.suffix));
      model = withCaches(base, { open, workspace: workspace?.counts, workspaceMix: workspace?.mix });
    }
    const want = c.middle.trim();
    if (result.infill !== null && predictLine(model, c, true, o.fimWindow).trim() === want) result.infill++;
    if (predictLine(model, c, false).trim() === want) result.leftToRight++;
  }
  return result;
}
