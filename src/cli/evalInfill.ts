/**
 * `next-token eval --infill`: single-line infilling on the files given, with the suffix
 * (fill-in-the-middle) and without it (left to right, the same model and token budget), in
 * one run; the same --sample, --max-files, --max-bytes, --cache and --project conventions
 * as the rest of eval.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { toModelText, type LanguageModel } from '../engine';
import { INFILL_LINES_PER_FILE, INFILL_MAX_TOKENS, scoreInfill } from '../eval/infill';
import type { ProjectWorkspace } from './projectWorkspace';

export interface InfillRun {
  model: LanguageModel;
  files: string[];
  maxBytes: number;
  useCache: boolean;
  /** --project: each folder named is a project, its other files the workspace of each of its files. */
  project: boolean;
  projectOf: (file: string) => ProjectWorkspace | undefined;
  json: boolean;
  perFile?: number;
  /** --fim-window N: the FIM context in N tokens instead of the model's whole window. */
  fimWindow?: number;
}

/** Why a model reports left to right only. */
export const NO_FIM_NOTE = 'the model has no <|fim_prefix|>, <|fim_suffix|> and <|fim_middle|> tokens (not trained for fill-in-the-middle): left to right only';

export function runInfill(run: InfillRun): void {
  const { model } = run;
  const perFile = run.perFile ?? INFILL_LINES_PER_FILE;
  const reads = model.fim !== undefined;
  const totals = { files: 0, cases: 0, infill: 0, leftToRight: 0 };
  const perFileResults: Array<{ file: string; cases: number; infill: number | null; leftToRight: number }> = [];
  for (const file of run.files) {
    let data = fs.readFileSync(file);
    if (data.length > run.maxBytes) data = data.subarray(0, run.maxBytes);
    const text = toModelText(new TextDecoder().decode(data));
    if (text.trim().length === 0) continue;
    model.reset();
    const workspace = run.projectOf(file)?.countsFor(file);
    const r = scoreInfill(model, text, { perFile, useCache: run.useCache, workspace, fimWindow: run.fimWindow });
    if (r.cases === 0) continue;
    totals.files++;
    totals.cases += r.cases;
    totals.infill += r.infill ?? 0;
    totals.leftToRight += r.leftToRight;
    perFileResults.push({ file, ...r });
    if (!run.json) {
      const fim = r.infill === null ? '' : `  infill ${r.infill}/${r.cases}`;
      console.log(`${path.relative(process.cwd(), file).padEnd(50)}${fim}  left to right ${r.leftToRight}/${r.cases}`);
    }
  }
  const share = (n: number) => n / Math.max(1, totals.cases);
  const summary = {
    model: model.info.id,
    infill: true,
    cache: run.useCache,
    project: run.project,
    fim: reads,
    ...(reads ? {} : { note: NO_FIM_NOTE }),
    files: totals.files,
    cases: totals.cases,
    linesPerFile: perFile,
    fimWindow: reads ? Math.min(run.fimWindow ?? Infinity, model.info.contextLength) : null,
    maxTokens: INFILL_MAX_TOKENS,
    infillExactMatch: reads ? share(totals.infill) : null,
    leftToRightExactMatch: share(totals.leftToRight),
    infillMatches: reads ? totals.infill : null,
    leftToRightMatches: totals.leftToRight,
    perFile: perFileResults,
  };
  if (run.json) {
    console.log(JSON.stringify(summary));
    return;
  }
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  console.log(`\n${model.info.id}: single-line infilling, ${summary.cases} lines of ${summary.files} files (${perFile} a file at most), exact match after trimming`);
  if (reads) console.log(`with the suffix (fill-in-the-middle) ${pct(summary.infillExactMatch!)} (${totals.infill}/${totals.cases}), left to right ${pct(summary.leftToRightExactMatch)} (${totals.leftToRight}/${totals.cases})`);
  else console.log(`left to right ${pct(summary.leftToRightExactMatch)} (${totals.leftToRight}/${totals.cases}); ${NO_FIM_NOTE}`);
}
