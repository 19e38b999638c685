#!/usr/bin/env node
// The workspace cache's memory and counting time on real code: the files of a folder counted
// as the extension counts a workspace (src/worker/adaptation.ts: decoded, LF, tokenised,
// n-gram counts of orders 1-4), up to the 250,000-token budget.
//
//   npm run compile && node --expose-gc scripts/measure-workspace.mjs [--model id] FOLDER
import { createRequire } from 'node:module';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const out = (p) => path.join(root, 'out', 'src', p);
const { loadModelFolder, resolveModel } = require(out('node/modelFolder.js'));
const { Adaptation } = require(out('worker/adaptation.js'));
const { MAX_WORKSPACE_TOKENS } = require(out('engine/index.js'));
const { ProjectWorkspace } = require(out('cli/projectWorkspace.js'));

const args = process.argv.slice(2);
const at = args.indexOf('--model');
const modelId = at >= 0 ? args.splice(at, 2)[1] : 'gpt-code-tiny';
const folder = args[0];
if (!folder || !global.gc) throw new Error('usage: node --expose-gc scripts/measure-workspace.mjs [--model id] FOLDER');
const model = loadModelFolder(resolveModel(modelId));
// As the extension chooses them: by size, about 3 bytes a token, up to the budget.
let budget = MAX_WORKSPACE_TOKENS * 3;
const files = [];
for (const rel of new ProjectWorkspace(folder, model).files) {
  const bytes = new Uint8Array(fs.readFileSync(path.join(folder, rel)));
  if (bytes.length > budget) continue;
  budget -= bytes.length;
  files.push({ key: rel, bytes });
}
const heap = () => {
  global.gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
};
const adaptation = new Adaptation();
adaptation.setModel(model);
const before = heap();
const started = performance.now();
const counted = adaptation.updateWorkspace(files, [], true);
const ms = performance.now() - started;
const bytes = heap() - before;
console.log(`${files.length} files (${(files.reduce((s, f) => s + f.bytes.length, 0) / 1e6).toFixed(1)} MB) sent; ${counted.files} counted, ${counted.tokens.toLocaleString('en-US')} tokens, in ${ms.toFixed(0)} ms; memory ${(bytes / 1e6).toFixed(1)} MB (${(bytes / Math.max(1, counted.tokens)).toFixed(0)} bytes a token, the files' text included)`);
