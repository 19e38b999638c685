import assert from 'node:assert/strict';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'node:test';
import * as fs from 'node:fs';
import { ROOT } from './helpers';

test('the committed WebAssembly kernels are compiled from kernels.wat', async () => {
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  const load = new Function('u', 'return import(u)') as (u: string) => Promise<{ compileKernels(): Promise<string>; render(b: string): string }>;
  const build = await load(pathToFileURL(path.join(ROOT, 'scripts', 'build-wasm.mjs')).href);
  const expected = build.render(await build.compileKernels());
  assert.equal(fs.readFileSync(path.join(ROOT, 'src', 'engine', 'wasm', 'kernelsBinary.ts'), 'utf8'), expected, 'run npm run build:wasm');
});
