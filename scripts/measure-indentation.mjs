#!/usr/bin/env node
// How often ghost text starts at the wrong indentation: at the start of every indented line,
// with the cursor after the indentation the editor put there (the line's own indentation),
// the suggestion should begin with code, not with more whitespace. Also counts how often
// the suggestion's first character is the line's (a rough "right start").
//
//   npm run compile && node scripts/measure-indentation.mjs [--out DIR] [--model id] [--per-file N] FILES_OR_FOLDERS...
//
// Each file is measured as it is and in three variants of itself: its indentation as tabs,
// as 2 spaces, and with CRLF line endings (so style is compared on the same code).
// --out DIR: use another compiled tree (an older build, to compare) instead of out/.
import { createRequire } from 'node:module';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const args = process.argv.slice(2);
const flag = (name, fallback) => {
  const at = args.indexOf(name);
  return at >= 0 ? args.splice(at, 2)[1] : fallback;
};
const outDir = path.resolve(flag('--out', path.join(root, 'out')));
const modelId = flag('--model', 'gpt-code-tiny');
const perFile = Number(flag('--per-file', '12'));
const src = (p) => path.join(outDir, 'src', p);
const { loadModelFolder, resolveModel } = require(src('node/modelFolder.js'));
const { completeText } = require(src('worker/completionEngine.js'));
const { listFiles } = require(src('cli/eval.js'));

const model = loadModelFolder(resolveModel(modelId));
const files = listFiles(args).filter((f) => /\.(ts|js|mjs|cjs|py|tsx|jsx|css|json)$/.test(f));

/** The unit of indentation a file uses: '\t', or the smallest step of leading spaces. */
function indentUnit(lines) {
  let tabs = 0, spaced = 0, step = 0;
  for (const l of lines) {
    const m = /^[ \t]+/.exec(l);
    if (!m || !l.trim()) continue;
    if (m[0].startsWith('\t')) tabs++;
    else {
      spaced++;
      step = step === 0 ? m[0].length : Math.min(step, m[0].length);
    }
  }
  if (tabs === 0 && spaced === 0) return undefined;
  return tabs >= spaced ? '\t' : ' '.repeat(Math.max(1, step));
}

function reindent(text, to) {
  const lines = text.split('\n');
  const unit = indentUnit(lines);
  if (!unit) return text;
  return lines.map((l) => {
    const m = /^[ \t]+/.exec(l);
    if (!m) return l;
    const levels = unit === '\t' ? m[0].replace(/ /g, '').length : Math.floor(m[0].replace(/\t/g, unit).length / unit.length);
    return to.repeat(levels) + l.slice(m[0].length);
  }).join('\n');
}

const variants = {
  'as is (LF)': (t) => t,
  'tabs': (t) => reindent(t, '\t'),
  '2 spaces': (t) => reindent(t, '  '),
  'tabs, CRLF': (t) => reindent(t, '\t').replace(/\n/g, '\r\n'),
};
const totals = Object.fromEntries(Object.keys(variants).map((k) => [k, { positions: 0, deeper: 0, rightStart: 0, empty: 0 }]));
const options = { maxTokens: 8, multiline: false, timeBudgetMs: Infinity, alternatives: 1, sampling: { temperature: 0, topK: 0, topP: 1 } };
for (const file of files) {
  const original = fs.readFileSync(file, 'utf8').replace(/\r\n?/g, '\n').slice(0, 20000);
  for (const [name, make] of Object.entries(variants)) {
    const text = make(original);
    const eol = text.includes('\r\n') ? '\r\n' : '\n';
    // The indented lines, spread over the file.
    const starts = [];
    for (let at = 0; at < text.length;) {
      const end = text.indexOf(eol, at);
      const line = text.slice(at, end < 0 ? text.length : end);
      const indent = /^[ \t]+/.exec(line)?.[0];
      if (indent && line.trim() && at > 0) starts.push([at + indent.length, line.slice(indent.length)]);
      if (end < 0) break;
      at = end + eol.length;
    }
    const picked = starts.filter((_, i) => i % Math.max(1, Math.floor(starts.length / perFile)) === 0).slice(0, perFile);
    for (const [cursor, rest] of picked) {
      model.reset();
      const suggestion = completeText(model, text.slice(0, cursor), options).items[0] ?? '';
      const t = totals[name];
      t.positions++;
      if (!suggestion) t.empty++;
      else if (/^[ \t]/.test(suggestion)) t.deeper++;
      else if (suggestion[0] === rest[0]) t.rightStart++;
    }
  }
}
const pct = (n, d) => `${((100 * n) / Math.max(1, d)).toFixed(1)}%`;
console.log(`${modelId}, ${files.length} files, build ${path.relative(process.cwd(), outDir) || '.'}`);
for (const [name, t] of Object.entries(totals)) {
  console.log(`${name.padEnd(12)} ${String(t.positions).padStart(5)} positions  starts deeper ${pct(t.deeper, t.positions).padStart(6)}  right first character ${pct(t.rightStart, t.positions).padStart(6)}  no suggestion ${pct(t.empty, t.positions).padStart(6)}`);
}
