/** `next-token eval`: bits per byte, accuracy, keystroke savings and xz, file by file. */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { toModelText } from '../engine';
import { ACCEPT_STYLES, scoreText, simulateTyping, type AcceptStyle } from '../eval/evaluate';
import { loadModelFolder, resolveModel } from '../node/modelFolder';
import { ProjectWorkspace } from './projectWorkspace';
import { runInfill } from './evalInfill';
import { parseArgs, UsageError } from './args';

interface FileResult {
  file: string;
  bytes: number;
  tokens: number;
  bpb: number;
  top1: number;
  top5: number;
  keystrokeSavings: number | null;
  /** Keystroke savings per way of accepting (prefix = keystrokeSavings). */
  keystrokeSavingsByStyle: Record<AcceptStyle, number> | null;
  /** The file had CR line endings (scored, as the extension reads it, with LF). */
  crlf: boolean;
  xzBpb: number | null;
  /** With --project: how many of the project's other files, and tokens, the workspace cache held. */
  workspaceFiles: number;
  workspaceTokens: number;
}

export function listFiles(inputs: string[]): string[] {
  const files: string[] = [];
  const walk = (p: string) => {
    const stat = fs.statSync(p);
    if (stat.isDirectory()) for (const name of fs.readdirSync(p).sort()) walk(path.join(p, name));
    else if (stat.isFile()) files.push(p);
  };
  for (const input of inputs) {
    if (!fs.existsSync(input)) throw new UsageError(`no such file or folder: ${input}`);
    walk(input);
  }
  return files;
}

/**
 * --sample N: N files spread evenly over the sorted list (every package gets its share),
 * those at floor((i + shift)·n/N). scripts/fit-cache-mix.mjs tunes on shift ½, the files
 * halfway between the ones evaluated.
 */
export function sampleFiles(files: readonly string[], n: number, shift = 0): string[] {
  return Array.from({ length: n }, (_, i) => files[Math.floor(((i + shift) * files.length) / n)]);
}

/** xz -9e compressed bits per byte (null when xz is not installed). */
export function xzBitsPerByte(data: Buffer): number | null {
  const r = spawnSync('xz', ['-9e', '-c', '-T1', '--format=xz'], { input: data, maxBuffer: 1 << 30 });
  if (r.status !== 0 || !r.stdout) return null;
  return (r.stdout.length * 8) / Math.max(1, data.length);
}

export function evalCommand(argv: string[]): void {
  const { flags, positional } = parseArgs(argv, {
    model: 'string', json: 'boolean', 'max-files': 'number', 'max-bytes': 'number', 'keystroke-bytes': 'number', 'no-keystrokes': 'boolean', cache: 'boolean', sample: 'number', project: 'boolean',
    infill: 'boolean', 'infill-lines': 'number', 'fim-window': 'number',
  });
  const useCache = flags.cache === true;
  // --project: each folder named is a project; its other files are the workspace of each of its files.
  const asProjects = flags.project === true;
  if (typeof flags.model !== 'string') throw new UsageError('--model <id|folder> is required');
  if (positional.length === 0) throw new UsageError('name the files or folders to evaluate');
  const maxFiles = (flags['max-files'] as number | undefined) ?? Infinity;
  const maxBytes = (flags['max-bytes'] as number | undefined) ?? Infinity;
  const keystrokeBytes = (flags['keystroke-bytes'] as number | undefined) ?? 2000;
  const model = loadModelFolder(resolveModel(flags.model));
  let files = listFiles(positional);
  const projects = asProjects ? positional.map((p) => {
    if (!fs.statSync(p).isDirectory()) throw new UsageError(`--project takes folders: ${p} is a file`);
    return new ProjectWorkspace(p, model);
  }) : [];
  const projectOf = (file: string) => projects.find((p) => !path.relative(p.root, file).startsWith('..'));
  const sample = flags.sample as number | undefined;
  if (sample !== undefined && sample > 0 && sample < files.length) files = sampleFiles(files, sample);
  files = files.slice(0, maxFiles);
  if (flags.infill) {
    const perFile = flags['infill-lines'] as number | undefined;
    if (perFile !== undefined && (!Number.isInteger(perFile) || perFile < 1)) throw new UsageError('--infill-lines needs a positive integer');
    const fimWindow = flags['fim-window'] as number | undefined;
    if (fimWindow !== undefined && (!Number.isInteger(fimWindow) || fimWindow < 16)) throw new UsageError('--fim-window needs an integer of at least 16');
    return runInfill({ model, files, maxBytes, useCache, project: asProjects, projectOf, json: flags.json === true, perFile, fimWindow });
  }
  const results: FileResult[] = [];
  const totals = { bytes: 0, tokens: 0, bits: 0, top1: 0, top5: 0, keys: 0, chars: 0, xzBits: 0, xzBytes: 0 };
  const styleKeys = Object.fromEntries(ACCEPT_STYLES.map((s) => [s, 0])) as Record<AcceptStyle, number>;
  for (const file of files) {
    let data = fs.readFileSync(file);
    if (data.length > maxBytes) data = data.subarray(0, maxBytes);
    // The extension shows the model every document with LF line endings: so does eval, and bits
    // per byte (and xz's, for comparison) are per byte of that text.
    const raw = new TextDecoder().decode(data);
    const text = toModelText(raw);
    const bytes = Buffer.byteLength(text);
    if (bytes === 0) continue;
    model.reset();
    const project = projectOf(file);
    const workspace = project ? project.countsFor(file) : undefined;
    const s = scoreText(model, text, useCache, workspace);
    let savings: number | null = null;
    let byStyle: Record<AcceptStyle, number> | null = null;
    if (!flags['no-keystrokes']) {
      // Typing is simulated on the start of the file (it costs a completion per keystroke).
      const typed = text.slice(0, keystrokeBytes);
      const k = simulateTyping(model, typed, 16, useCache, workspace);
      savings = 1 - k.keys / Math.max(1, k.chars);
      byStyle = Object.fromEntries(ACCEPT_STYLES.map((s) => [s, 1 - k.byStyle[s].keys / Math.max(1, k.chars)])) as Record<AcceptStyle, number>;
      for (const s of ACCEPT_STYLES) styleKeys[s] += k.byStyle[s].keys;
      totals.keys += k.keys;
      totals.chars += k.chars;
    }
    const xz = xzBitsPerByte(Buffer.from(text));
    if (xz !== null) {
      totals.xzBits += xz * bytes;
      totals.xzBytes += bytes;
    }
    totals.bytes += bytes;
    totals.tokens += s.tokens;
    totals.bits += s.bits;
    totals.top1 += s.top1;
    totals.top5 += s.top5;
    const r: FileResult = {
      file, bytes, tokens: s.tokens, bpb: s.bits / bytes, top1: s.top1 / Math.max(1, s.tokens), top5: s.top5 / Math.max(1, s.tokens),
      keystrokeSavings: savings, keystrokeSavingsByStyle: byStyle, crlf: raw !== text, xzBpb: xz,
      workspaceFiles: workspace?.files.length ?? 0, workspaceTokens: workspace?.counts.tokenCount ?? 0,
    };
    results.push(r);
    if (!flags.json) {
      console.log(`${path.relative(process.cwd(), file).padEnd(50)} ${String(bytes).padStart(8)} B  bpb ${r.bpb.toFixed(3)}  xz ${xz?.toFixed(3) ?? '  -  '}  top1 ${(r.top1 * 100).toFixed(1)}%  top5 ${(r.top5 * 100).toFixed(1)}%  savings ${savings === null ? '-' : (savings * 100).toFixed(1) + '%'}`);
    }
  }
  const summary = {
    model: model.info.id,
    cache: useCache,
    project: asProjects,
    files: results.length,
    bytes: totals.bytes,
    tokens: totals.tokens,
    bpb: totals.bits / Math.max(1, totals.bytes),
    top1: totals.top1 / Math.max(1, totals.tokens),
    top5: totals.top5 / Math.max(1, totals.tokens),
    keystrokeSavings: flags['no-keystrokes'] ? null : 1 - totals.keys / Math.max(1, totals.chars),
    keystrokeSavingsByStyle: flags['no-keystrokes'] ? null : Object.fromEntries(ACCEPT_STYLES.map((s) => [s, 1 - styleKeys[s] / Math.max(1, totals.chars)])),
    crlfFiles: results.filter((r) => r.crlf).length,
    xzBpb: totals.xzBytes ? totals.xzBits / totals.xzBytes : null,
    filesBetterThanXz: results.filter((r) => r.xzBpb !== null && r.bpb < r.xzBpb).length,
    perFile: results,
  };
  if (flags.json) console.log(JSON.stringify(summary));
  else {
    console.log(`\n${model.info.id}: ${summary.files} files, ${summary.bytes} bytes, ${summary.tokens} tokens`);
    console.log(`bits per byte ${summary.bpb.toFixed(3)} (xz -9e ${summary.xzBpb?.toFixed(3) ?? '-'}; better than xz on ${summary.filesBetterThanXz} of ${summary.files} files)`);
    console.log(`top-1 ${(summary.top1 * 100).toFixed(1)}%, top-5 ${(summary.top5 * 100).toFixed(1)}%, keystroke savings ${summary.keystrokeSavings === null ? '-' : (summary.keystrokeSavings * 100).toFixed(1) + '%'}`);
    const by = summary.keystrokeSavingsByStyle;
    if (by) console.log(`keystroke savings by way of accepting: longest correct prefix ${(by.prefix * 100).toFixed(1)}%, whole suggestion (Tab) ${(by.whole * 100).toFixed(1)}%, word by word (Ctrl+Right) ${(by.word * 100).toFixed(1)}%`);
    if (summary.crlfFiles) console.log(`${summary.crlfFiles} files had CRLF line endings (read as LF, as the extension does)`);
  }
}
