import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { loadModelFolder } from '../../src/node/modelFolder';
import { ProjectWorkspace } from '../../src/cli/projectWorkspace';
import { completeText } from '../../src/worker/completionEngine';
import type { WorkerResponse } from '../../src/worker/protocol';
import { WorkerCore } from '../../src/worker/workerCore';
import { excluder, globToRegExp, importSpecifiers, isExcluded, rankWorkspaceFiles, resolveImport } from '../../src/worker/workspaceOrder';
import { ROOT } from './helpers';

test('imports resolve to workspace files: relative TS/JS paths (with or without an extension, .js for .ts, index files) and Python', () => {
  const files = new Set(['src/a.ts', 'src/util/index.ts', 'src/util/strings.ts', 'src/b.js', 'lib/helpers.mjs', 'pkg/__init__.py', 'pkg/core.py', 'pkg/sub/io.py', 'pkg/sub/__init__.py']);
  const ts = "import { x } from './util';\nimport type { Y } from \"./util/strings.js\";\nexport * from '../lib/helpers.mjs';\nconst b = require('./b');\nimport React from 'react';\nconst lazy = import('./a');";
  const specs = importSpecifiers('src/main.ts', ts);
  assert.deepEqual(specs, ['./util', './util/strings.js', '../lib/helpers.mjs', './b', './a'], 'bare package names are not workspace files');
  assert.deepEqual(specs.map((s) => resolveImport('src/main.ts', s, files)), ['src/util/index.ts', 'src/util/strings.ts', 'lib/helpers.mjs', 'src/b.js', 'src/a.ts']);
  assert.equal(resolveImport('src/main.ts', '../../outside', files), undefined);
  const py = 'from . import core\nfrom .sub.io import read, write\nfrom ..other import z\nimport pkg.core\nimport os\n';
  const pySpecs = importSpecifiers('pkg/sub/x.py', py);
  const resolved = pySpecs.map((s) => resolveImport('pkg/sub/x.py', s, files)).filter(Boolean);
  assert.ok(resolved.includes('pkg/core.py'), `absolute dotted import: ${JSON.stringify(resolved)}`);
  assert.ok(resolved.includes('pkg/sub/io.py') === false, 'from .sub.io inside pkg/sub names pkg/sub/sub/io: not there');
  assert.equal(resolveImport('pkg/main.py', '.sub.io', files), 'pkg/sub/io.py');
  assert.equal(resolveImport('pkg/main.py', '.sub', files), 'pkg/sub/__init__.py');
});

test('workspace files are ranked: imports, then the folder in the same language, then recent, then nearest', () => {
  const files = ['src/main.ts', 'src/util.ts', 'src/style.css', 'src/other.ts', 'lib/deep/far.ts', 'docs/readme.md', 'src/nested/near.ts', 'z/imported.ts'];
  const ranked = rankWorkspaceFiles('src/main.ts', "import { a } from '../z/imported';\n", files, ['docs/readme.md']);
  assert.equal(ranked[0], 'z/imported.ts');
  assert.deepEqual(ranked.slice(1, 3).sort(), ['src/other.ts', 'src/util.ts']);
  assert.equal(ranked[3], 'docs/readme.md', 'then the recently opened');
  assert.ok(!ranked.includes('src/main.ts'), 'the file itself is not its own workspace');
  assert.ok(ranked.indexOf('src/nested/near.ts') < ranked.indexOf('lib/deep/far.ts'), 'nearer folders first');
  assert.ok(ranked.indexOf('lib/deep/far.ts') < ranked.indexOf('src/style.css'), 'the same language before others');
});

test('files.exclude globs: folders and their contents, extensions, alternatives', () => {
  const globs = ['**/.git', '**/*.min.js', 'build/', '**/{tmp,cache}/**', 'src/gen?.ts'];
  const p = globs.map(globToRegExp);
  // The fast forms (a name anywhere, an extension) and the general one agree.
  const excluded = excluder(globs);
  for (const path of ['.git/config', 'a/b/.git/HEAD', 'vendor/x.min.js', 'build/out.js', 'a/tmp/x.ts', 'src/gen1.ts', 'src/main.ts', 'x.js', 'src/builder.ts', 'src/gen12.ts', 'a/gitx/y.ts']) {
    assert.equal(excluded(path), isExcluded(path, p), path);
  }
  assert.ok(isExcluded('.git/config', p));
  assert.ok(isExcluded('a/b/.git/HEAD', p));
  assert.ok(isExcluded('vendor/x.min.js', p));
  assert.ok(isExcluded('build/out.js', p));
  assert.ok(isExcluded('a/tmp/x.ts', p));
  assert.ok(isExcluded('src/gen1.ts', p));
  for (const ok of ['src/main.ts', 'x.js', 'src/builder.ts', 'src/gen12.ts', 'a/gitx/y.ts']) assert.ok(!isExcluded(ok, p), ok);
});

test('the workspace cache teaches the model a name from a file it imports, not open, counted once', async () => {
  const model = loadModelFolder(path.join(ROOT, 'models', 'gpt-code-tiny'));
  const posted: WorkerResponse[] = [];
  const core = new WorkerCore({ post: (m) => posted.push(m), schedule: (t) => t() });
  /** Sends a request and waits for its answer (the worker answers in turn, a microtask apart). */
  const ask = async (request: Parameters<WorkerCore['receive']>[0]): Promise<WorkerResponse> => {
    core.receive(request);
    for (;;) {
      const answer = posted.find((m) => m.id === request.id);
      if (answer) return answer;
      await new Promise((resolve) => setImmediate(resolve));
    }
  };
  await ask({ type: 'load', id: 1, folder: 'tiny', files: {
    config: fs.readFileSync(path.join(ROOT, 'models', 'gpt-code-tiny', 'config.json'), 'utf8'),
    tokenizer: fs.readFileSync(path.join(ROOT, 'models', 'gpt-code-tiny', 'tokenizer.json'), 'utf8'),
    weights: new Uint8Array(fs.readFileSync(path.join(ROOT, 'models', 'gpt-code-tiny', 'model.safetensors'))),
  } });
  const lib = 'export function quxolateWidgets(w) {\r\n\treturn w;\r\n}\r\n'.repeat(3);
  const bytes = new TextEncoder().encode(lib);
  const counted = await ask({ type: 'workspace', id: 2, files: [{ key: 'file:///w/lib.ts', bytes }, { key: 'file:///w/bin.dat', bytes: new Uint8Array([1, 0, 2]) }], removed: [], enabled: true });
  assert.equal(counted?.type, 'workspaceCounted');
  assert.equal(counted?.type === 'workspaceCounted' && counted.files, 1, 'the binary file is not counted');
  const prefix = "import { quxolateWidgets } from './lib';\n\nconst all = quxo";
  const answer = await ask({ type: 'complete', id: 3, prefix, maxTokens: 6, multiline: false, timeBudgetMs: 5000, alternatives: 1, sampling: { temperature: 0, topK: 0, topP: 1 } });
  assert.ok(answer?.type === 'completion' && answer.items[0]?.startsWith('lateWidgets'), JSON.stringify(answer));
  // Opened, the same file is counted as an open document only.
  await ask({ type: 'documents', id: 4, updates: [{ key: 'file:///w/lib.ts', text: lib }], enabled: true });
  const after = await ask({ type: 'workspace', id: 5, files: [], removed: [], enabled: true });
  assert.ok(after?.type === 'workspaceCounted' && after.files === 0 && after.tokens === 0);
  // Switched off: the workspace no longer counts, and without it the name is unknown.
  await ask({ type: 'documents', id: 6, updates: [{ key: 'file:///w/lib.ts', text: null }], enabled: true });
  await ask({ type: 'workspace', id: 7, files: [], removed: ['file:///w/lib.ts'], enabled: false });
  const off = await ask({ type: 'complete', id: 8, prefix, maxTokens: 6, multiline: false, timeBudgetMs: 5000, alternatives: 1, sampling: { temperature: 0, topK: 0, topP: 1 } });
  assert.ok(off?.type === 'completion' && !off.items[0]?.startsWith('lateWidgets'), JSON.stringify(off));
  model.reset();
  assert.ok(!completeText(model, prefix, { maxTokens: 6, multiline: false, timeBudgetMs: 5000, alternatives: 1, sampling: { temperature: 0, topK: 0, topP: 1 } }).items[0]?.startsWith('lateWidgets'));
});

test('eval --project counts a file\'s project in the same order, without the file itself', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nt-project-'));
  fs.mkdirSync(path.join(dir, 'src'));
  fs.mkdirSync(path.join(dir, 'node_modules', 'dep'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'src', 'main.ts'), "import { f } from './f';\nf();\n");
  fs.writeFileSync(path.join(dir, 'src', 'f.ts'), 'export function f() {}\n');
  fs.writeFileSync(path.join(dir, 'notes.md'), '# notes\n');
  fs.writeFileSync(path.join(dir, 'node_modules', 'dep', 'index.js'), 'module.exports = 1;\n');
  const model = loadModelFolder(path.join(ROOT, 'models', 'gpt-code-tiny'));
  const project = new ProjectWorkspace(dir, model);
  assert.deepEqual(project.files, ['notes.md', 'src/f.ts', 'src/main.ts'], 'node_modules is skipped');
  const { files, counts } = project.countsFor(path.join(dir, 'src', 'main.ts'));
  assert.deepEqual(files, ['src/f.ts', 'notes.md']);
  assert.ok(counts.tokenCount > 0);
  assert.deepEqual(project.countsFor(path.join(dir, 'src', 'main.ts'), 8).files, ['src/f.ts'], 'within the budget, the import first');
});

test('a re-ranked workspace file keeps its counts and only moves in the eviction order', () => {
  const { CacheCounts } = require('../../src/engine') as typeof import('../../src/engine');
  const counts = new CacheCounts(2, 6);
  counts.setDocument('a', [1, 2]);
  counts.setDocument('b', [3, 4]);
  assert.ok(counts.touchDocument('a'), 'a is counted');
  assert.equal(counts.touchDocument('zzz'), false);
  counts.setDocument('c', [5, 6, 7]); // over the budget of 6: the least recently used leaves
  assert.deepEqual(counts.documentKeys, ['a', 'c']);
  assert.equal(counts.row([1], 2)?.row.get(2), 1, "a's counts are intact");
});
