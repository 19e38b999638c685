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

test('the relaxed-SIMD build fuses only multiply-adds whose operands have no side effects', async () => {
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  const load = new Function('u', 'return import(u)') as (u: string) => Promise<{
    parseSexpr(t: string): unknown[];
    printSexpr(n: unknown): string;
    fuseMultiplyAdds(f: unknown[]): { forms: unknown[]; fused: number };
  }>;
  const build = await load(pathToFileURL(path.join(ROOT, 'scripts', 'build-wasm.mjs')).href);
  const source = `(func ;; a comment (f32x4.add)
    (local.set $a (f32x4.add (local.get $a) (f32x4.mul (v128.load (local.get $p)) (local.get $x))))
    (local.set $b (f32x4.add (f32x4.mul (local.get $x) (local.get $y)) (local.get $b)))
    (; block ;) (local.set $c (f32x4.add (local.tee $t (local.get $c)) (f32x4.mul (local.get $x) (local.get $y)))))`;
  const { forms, fused } = build.fuseMultiplyAdds(build.parseSexpr(source));
  assert.equal(fused, 2);
  assert.equal(
    forms.map(build.printSexpr).join('\n'),
    '(func (local.set $a (f32x4.relaxed_madd (v128.load (local.get $p)) (local.get $x) (local.get $a)))' +
      ' (local.set $b (f32x4.relaxed_madd (local.get $x) (local.get $y) (local.get $b)))' +
      ' (local.set $c (f32x4.add (local.tee $t (local.get $c)) (f32x4.mul (local.get $x) (local.get $y)))))',
  );
});
