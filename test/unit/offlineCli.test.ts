// The engine with no network at all: the CLI (the same engine and model files the extension
// uses) runs in a fresh network namespace (`unshare -n`: no interface, not even loopback up)
// and still predicts and generates with the bundled transformer. Needs root or user
// namespaces; where neither is allowed the test says so and skips.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { test } from 'node:test';
import { ROOT } from './helpers';

const CLI = path.join(ROOT, 'dist', 'cli.js');
const probe = spawnSync('unshare', ['-n', 'true']);
const noNamespace = probe.status === 0 ? false : `unshare -n is not allowed here (${probe.error?.message ?? probe.stderr?.toString().trim()})`;

test('predict and generate run with no network interface', { skip: noNamespace }, () => {
  // Inside the namespace, first show that the network really is gone: no interface is up.
  const proof = spawnSync('unshare', ['-n', process.execPath, '-e', "const i = require('os').networkInterfaces(); console.log(JSON.stringify(Object.keys(i)))"], { encoding: 'utf8' });
  assert.equal(proof.status, 0, proof.stderr);
  assert.deepEqual(JSON.parse(proof.stdout), [], 'no network interface is up inside the namespace');
  const run = (...args: string[]) => spawnSync('unshare', ['-n', process.execPath, CLI, ...args], { encoding: 'utf8', timeout: 60_000 });
  const p = run('predict', '--model', 'gpt-code-tiny', '--json', '--top', '3', 'function add(a, b) {\n  return');
  assert.equal(p.status, 0, p.stderr);
  const out = JSON.parse(p.stdout);
  assert.equal(out.top.length, 3);
  const g = run('generate', '--model', 'gpt-code-tiny', '--json', '--max-tokens', '8', 'for (let i = 0; i <');
  assert.equal(g.status, 0, g.stderr);
  assert.ok(JSON.parse(g.stdout).text.length > 0, 'generated text');
  console.log(`offline (unshare -n, no interface up): predict top-3 ${JSON.stringify(out.top.map((t: { text: string }) => t.text))}, generate ${JSON.stringify(JSON.parse(g.stdout).text)}`);
});
