/**
 * The extension host's test runner: VS Code (code-server or desktop) loads this module as
 * `extensionTestsPath` and calls run(). It runs every `*.test.js` beside it with mocha 10
 * (TDD interface: suite/test/suiteSetup...), in name order.
 *
 * Environment (set by the node-side runner, reaches the extension host):
 *   NEXT_TOKEN_TEST_GREP   only the tests whose full title matches this pattern
 *   NEXT_TOKEN_TEST_TIMEOUT_MS   per-test timeout (default 30000)
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

export async function run(): Promise<void> {
  const mocha = new Mocha({
    ui: 'tdd',
    reporter: 'spec',
    color: false,
    timeout: Number(process.env.NEXT_TOKEN_TEST_TIMEOUT_MS) || 30_000,
    grep: process.env.NEXT_TOKEN_TEST_GREP || undefined,
  });
  const files = fs
    .readdirSync(__dirname)
    .filter((f) => f.endsWith('.test.js'))
    .sort();
  for (const f of files) mocha.addFile(path.join(__dirname, f));
  console.log(`[next-token tests] ${files.length} suite files: ${files.join(', ')}`);

  const failures = await new Promise<number>((resolve, reject) => {
    try {
      const runner = mocha.run((failed) => {
        const s = runner.stats;
        // A plain closing line that CI logs can be read by.
        console.log(`integration: ${s?.passes ?? 0} passed, ${s?.failures ?? failed} failed${s?.pending ? `, ${s.pending} skipped` : ''}`);
        resolve(failed);
      });
    } catch (err) {
      reject(err);
    }
  });
  if (failures > 0) throw new Error(`${failures} integration test(s) failed`);
}
