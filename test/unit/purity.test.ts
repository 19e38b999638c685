// The engine must run in a worker, a browser and plain Node: no `vscode`, no Node modules.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { builtinModules } from 'node:module';
import { ROOT } from './helpers';

/** Every .ts file under `folder`, its subfolders (src/engine/wasm/...) included, as paths relative to it. */
function tsFilesUnder(folder: string): string[] {
  return (fs.readdirSync(folder, { recursive: true }) as string[])
    .filter((f) => f.endsWith('.ts') && fs.statSync(path.join(folder, f)).isFile())
    .map((f) => f.split(path.sep).join('/'))
    .sort();
}

test('src/engine imports neither vscode nor any Node-only module', () => {
  const folder = path.join(ROOT, 'src', 'engine');
  const files = tsFilesUnder(folder);
  assert.ok(files.length >= 10, 'the engine folder is where we expect it');
  assert.ok(files.some((f) => f.startsWith('wasm/')), 'the subfolders are read too (src/engine/wasm/)');
  const forbidden = new Set(['vscode', ...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
  const offenders: string[] = [];
  for (const file of files) {
    const source = fs.readFileSync(path.join(folder, file), 'utf8');
    for (const match of source.matchAll(/(?:from\s+|import\s*\(\s*|require\s*\(\s*|import\s+)['"]([^'"]+)['"]/g)) {
      const spec = match[1];
      if (forbidden.has(spec) || !(spec.startsWith('./') || spec.startsWith('../'))) offenders.push(`${file}: ${spec}`);
      // A relative import must stay inside the engine: `../node/...` from src/engine/ would not.
      else if (path.relative(folder, path.resolve(folder, path.dirname(file), spec)).startsWith('..')) offenders.push(`${file}: ${spec} (outside src/engine)`);
    }
    if (/\b(process|Buffer|__dirname|require)\b\s*[.(]/.test(source)) offenders.push(`${file}: uses a Node global`);
  }
  assert.deepEqual(offenders, []);
});
