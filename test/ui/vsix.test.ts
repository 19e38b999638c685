/**
 * The .vsix as users install it: `code-server --install-extension` into a fresh extensions
 * folder, no development folder, then the main things a user does (ghost text, the panel).
 * Set NEXT_TOKEN_TEST_VSIX to test a given package (e.g. the one `npm run package` made);
 * otherwise this packages the repository itself. The whole browser suite can run against a
 * package too: NEXT_TOKEN_TEST_VSIX=next-token-<version>.vsix npm run test:ui:run.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { REPO_ROOT } from '../harness/codeServer';
import { installedFolder, packageVsix } from '../harness/extensionVariants';
import { acceptGhostTextAtEnd, openPanelWithBars } from '../harness/steps';
import { openWorkbench, type Workbench } from '../harness/workbench';

describe('Next Token installed from its .vsix', { timeout: 170_000 }, () => {
  let temp: string;
  let wb: Workbench;

  before(async () => {
    temp = fs.mkdtempSync(path.join(os.tmpdir(), 'next-token-vsix-'));
    const started = Date.now();
    const vsix = process.env.NEXT_TOKEN_TEST_VSIX ? path.resolve(process.env.NEXT_TOKEN_TEST_VSIX) : packageVsix(path.join(temp, 'next-token.vsix'));
    const packaged = Date.now();
    wb = await openWorkbench({ vsix });
    console.log(`${path.basename(vsix)}: ${(fs.statSync(vsix).size / 1e6).toFixed(2)} MB; packaged in ${((packaged - started) / 1000).toFixed(1)} s, installed and workbench ready in ${((Date.now() - packaged) / 1000).toFixed(1)} s`);
  });

  after(async () => {
    await wb?.close();
    if (temp) fs.rmSync(temp, { recursive: true, force: true });
  });

  test('vsix: code-server installed it into the fresh extensions folder', () => {
    const folder = installedFolder(wb.server.extensionsDir);
    for (const f of ['package.json', 'dist/extension.js', 'dist/web/extension.js', 'media/panel.js', 'models/index.json']) {
      assert.ok(fs.existsSync(path.join(folder, f)), `${f} is installed in ${folder}`);
    }
    assert.ok(!fs.existsSync(path.join(folder, 'src')), 'no sources are installed');
  });

  test('vsix: the installed extension activates', (t) => wb.step(t.name, async () => {
    await wb.waitForActivation(60_000);
  }));

  test('vsix: ghost text appears after typing, and Tab accepts it into the file', (t) => wb.step(t.name, async () => {
    const line = await acceptGhostTextAtEnd(wb, 'export function ', 'vsix ghost text');
    assert.match(line, /^export function \S/, 'the suggestion follows what was typed');
  }));

  test('vsix: the panel opens with bars, and its files come from the extensions folder, not the repository', (t) => wb.step(t.name, async () => {
    const panel = await openPanelWithBars(wb);
    // The webview's resource URLs carry the path of the extension that made them.
    const href = decodeURIComponent((await panel.locator('link[rel="stylesheet"]').getAttribute('href')) ?? '');
    const installed = installedFolder(wb.server.extensionsDir);
    assert.ok(href.includes(`${installed}/media/panel.css`), `the panel's stylesheet ${href} is under ${installed}`);
    assert.ok(!href.includes(`${REPO_ROOT}/media`), `the panel's stylesheet ${href} is not the repository's`);
  }));
});
