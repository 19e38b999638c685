/**
 * VS Code for the Web: the extension with only its `browser` entry, in code-server's web
 * worker extension host (what vscode.dev and github.dev run). The manifest has no `main`,
 * so nothing of it can run in the Node extension host: the extension reads its models with
 * vscode.workspace.fs from its own folder and runs the engine in a Web Worker, and ghost
 * text still appears and is accepted with Tab.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { writeWebOnlyVariant } from '../harness/extensionVariants';
import { acceptGhostTextAtEnd, openPanelWithBars } from '../harness/steps';
import { openWorkbench, SEL, type Workbench } from '../harness/workbench';

describe('Next Token in the web worker extension host (browser entry only)', { timeout: 170_000 }, () => {
  let variant: string;
  let wb: Workbench;

  before(async () => {
    variant = writeWebOnlyVariant(fs.mkdtempSync(path.join(os.tmpdir(), 'next-token-web-')));
    wb = await openWorkbench({ extensionPath: variant });
  });

  after(async () => {
    await wb?.close();
    if (variant) fs.rmSync(variant, { recursive: true, force: true });
  });

  test('the web-only manifest has a browser entry and no main', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(variant, 'package.json'), 'utf8'));
    assert.equal(manifest.main, undefined);
    assert.ok(fs.existsSync(path.join(variant, manifest.browser)), `${manifest.browser} is in the variant`);
  });

  test('web: the extension activates', (t) => wb.step(t.name, async () => {
    await wb.waitForActivation(60_000);
  }));

  test('web: ghost text appears after typing, and Tab accepts it into the file', (t) => wb.step(t.name, async () => {
    const line = await acceptGhostTextAtEnd(wb, 'export function ', 'web ghost text');
    assert.match(line, /^export function \S/, 'the suggestion follows what was typed');
  }));

  test('web: the probability panel shows bars and tokens', (t) => wb.step(t.name, async () => {
    const panel = await openPanelWithBars(wb);
    assert.match(await panel.locator('#vector-stats').innerText(), /L = [\d,]+ entries/);
  }));

  test("web: the models learn from the workspace's files (listed and read through the web extension host)", (t) => wb.step(t.name, async () => {
    // The status bar's menu says what the models learn from; the sample workspace has files
    // that are not open. The count arrives in the background: open the menu until it shows.
    const row = wb.page.locator(SEL.quickInputRow).first();
    const deadline = Date.now() + 60_000;
    let text = '';
    for (;;) {
      await wb.runCommand('Next Token: Show Menu');
      await row.waitFor({ state: 'visible' });
      text = await row.innerText();
      await wb.page.keyboard.press('Escape');
      const m = /(\d+) workspace files? \(([\d,]+) tokens\)/.exec(text);
      if (m && Number(m[1]) > 0) break;
      assert.ok(Date.now() < deadline, `the menu never counted a workspace file: ${JSON.stringify(text)}`);
      await row.waitFor({ state: 'hidden' });
    }
    assert.match(text, /Learning from \d+ open files? and [1-9]\d* workspace files?/);
  }));
});
