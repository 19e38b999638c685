// The .vsix users install: what is in it, what is not, and how big it is.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { ROOT } from './helpers';

/** File names in a zip archive, from its central directory. */
export function zipEntries(zip: Buffer): string[] {
  let end = zip.length - 22;
  while (end >= 0 && zip.readUInt32LE(end) !== 0x06054b50) end--;
  assert.ok(end >= 0, 'a zip end-of-central-directory record');
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    assert.equal(zip.readUInt32LE(at), 0x02014b50);
    const nameLength = zip.readUInt16LE(at + 28);
    const extra = zip.readUInt16LE(at + 30);
    const comment = zip.readUInt16LE(at + 32);
    names.push(zip.toString('utf8', at + 46, at + 46 + nameLength));
    at += 46 + nameLength + extra + comment;
  }
  return names;
}

test('npm run package builds a .vsix with the bundles, media, every model and the docs, and nothing else', { timeout: 240_000 }, () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'vsix-'));
  try {
    const file = path.join(out, 'next-token.vsix');
    execFileSync(process.execPath, [path.join(ROOT, 'node_modules', '@vscode', 'vsce', 'vsce'), 'package', '--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links', '-o', file], { cwd: ROOT, stdio: 'pipe' });
    const zip = fs.readFileSync(file);
    const names = zipEntries(zip).map((n) => n.replace(/^extension\//, ''));
    const must = ['package.json', 'readme.md', 'changelog.md', 'LICENSE.txt', 'dist/extension.js', 'dist/engineWorker.js', 'dist/kernelHelper.js', 'dist/cli.js', 'dist/web/extension.js', 'dist/web/engineWorker.js', 'dist/web/kernelHelper.js', 'media/panel.js', 'media/panel.css', 'media/icon.png', 'models/index.json'];
    const index = JSON.parse(fs.readFileSync(path.join(ROOT, 'models', 'index.json'), 'utf8')) as { models: Array<{ id: string }> };
    for (const m of index.models) for (const f of ['config.json', 'model.safetensors', 'tokenizer.json', 'MODEL_CARD.md']) must.push(`models/${m.id}/${f}`);
    const lower = new Set(names.map((n) => n.toLowerCase()));
    for (const m of must) assert.ok(lower.has(m.toLowerCase()), `${m} is in the package (has: ${names.join(', ')})`);
    for (const n of names) {
      assert.doesNotMatch(n, /^(src|test|training|bench|scripts|sample-workspace|node_modules|out|\.vscode-test)\//, `${n} must not ship`);
      assert.doesNotMatch(n, /\.(map|ts|py|pt|ckpt|u16|bin)$/, `${n} must not ship`);
    }
    const mb = zip.length / 1e6;
    console.log(`next-token.vsix: ${names.length} files, ${mb.toFixed(2)} MB`);
    assert.ok(mb <= 25, `the package is at most 25 MB (${mb.toFixed(2)} MB)`);
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
});
