/**
 * Browser tests: what a person sees in the real VS Code (code-server + Chromium). One
 * workbench for the whole file (starting one costs 10-20 s); the tests run in order and each
 * leaves a screenshot in test-results/<test name>.png (and <name>.console.log on failure).
 *
 * Run: npm run test:ui   (after npm run setup:code-server once)
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { screenshot } from '../harness/browser';
import { REPO_ROOT } from '../harness/codeServer';
import { acceptGhostTextAtEnd, waitUntil } from '../harness/steps';
import { SEL, openWorkbench, type Workbench } from '../harness/workbench';


/** The default model's display name from models/index.json, if it can be read. */
function defaultModelName(): string | undefined {
  try {
    const index = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'models', 'index.json'), 'utf8'));
    const id = index.default ?? index.defaultId;
    const entry = (index.models ?? []).find((m: { id?: string }) => m.id === id);
    return entry?.display_name ?? entry?.displayName;
  } catch {
    return undefined;
  }
}

describe('Next Token in the VS Code workbench', { timeout: 170_000 }, () => {
  let wb: Workbench;

  before(async () => {
    wb = await openWorkbench();
  });

  after(async () => {
    await wb?.close();
  });

  test('the workbench loads with the sample workspace', (t) => wb.step(t.name, async () => {
    const rows = wb.page.locator(SEL.explorerRow);
    await rows.filter({ hasText: 'README.md' }).first().waitFor({ state: 'visible' });
    await rows.filter({ hasText: 'src' }).first().waitFor({ state: 'visible' });
  }));

  test('the extension activates', (t) => wb.step(t.name, async () => {
    await wb.waitForActivation(60_000);
  }));

  test('the status bar shows the model', (t) => wb.step(t.name, async () => {
    // Ready: the sparkle icon (while loading it is a spinner, when off a slashed circle).
    const item = wb.page.locator(SEL.statusBarItem, { has: wb.page.locator('.codicon-sparkle') }).first();
    await item.waitFor({ state: 'visible', timeout: 30_000 });
    const text = (await item.innerText()).trim();
    assert.ok(text.length > 0, 'the status bar item has no text');
    const name = defaultModelName();
    if (name) assert.ok(text.includes(name), `status bar shows "${text}", expected the default model "${name}"`);
  }));

  test('a command runs from the F1 palette: Select Model', (t) => wb.step(t.name, async () => {
    await wb.runCommand('Next Token: Select Model');
    // The command shows a quick pick of models.
    const rows = wb.page.locator(SEL.quickInputRow);
    await rows.first().waitFor({ state: 'visible' });
    const name = defaultModelName();
    if (name) await rows.filter({ hasText: name }).first().waitFor({ state: 'visible' });
    await screenshot(wb.page, `${t.name} quick pick`);
    await wb.page.keyboard.press('Escape');
    await wb.page.locator(SEL.quickInput).waitFor({ state: 'hidden' });
  }));

  test('the probability panel webview opens beside the editor', (t) => wb.step(t.name, async () => {
    await wb.openFile('src/inventory.ts');
    await wb.runCommand('Next Token: Show Probability Panel');
    await wb.page.locator('.tabs-container .tab', { hasText: 'Next Token' }).first().waitFor({ state: 'visible' });
    // Two iframes deep: the webview host frame, then the content frame with the panel's HTML.
    const panel = wb.page.frameLocator(SEL.webview).frameLocator('iframe#active-frame');
    await panel.locator('#app').waitFor({ state: 'visible' });
    await panel.locator('#model').waitFor({ state: 'visible' });
    // The panel's script ran and talked to the extension: the status line is filled in.
    await panel.locator('#status').filter({ hasText: /\S/ }).waitFor({ state: 'visible' });
  }));

  test('the panel shows bars and tokens for the text at the cursor; clicking a candidate inserts it', (t) => wb.step(t.name, async () => {
    const panel = wb.page.frameLocator(SEL.webview).frameLocator('iframe#active-frame');
    // Put the cursor at the end of the file: the panel follows it.
    const file = 'src/inventory.ts';
    const editor = await wb.openFile(file);
    await editor.click();
    await wb.page.keyboard.press('Control+End');
    // Wait until the panel shows the end of the file (its status line names the position), so the
    // bar clicked below is a candidate for the cursor and not for where the click put it first.
    const lines = fs.readFileSync(path.join(wb.workspace, file), 'utf8').split(/\r?\n/);
    const end = `${file} ${lines.length}:${lines[lines.length - 1].length + 1} `;
    await panel.locator('#status', { hasText: end }).waitFor({ state: 'visible', timeout: 30_000 });
    await panel.locator('#tokens .chip').first().waitFor({ state: 'visible', timeout: 30_000 });
    const bars = panel.locator('#top li button');
    await bars.first().waitFor({ state: 'visible' });
    assert.ok((await bars.count()) >= 5, 'at least five candidates are shown');
    assert.match(await panel.locator('#vector-stats').innerText(), /L = [\d,]+ entries/);
    const tabOf = (state: string) => wb.page.locator(`.tabs-container .tab${state}[aria-label*="${path.basename(file)}"]`).first();
    const tab = tabOf('');
    assert.equal(await tab.evaluate((el) => el.classList.contains('dirty')), false, 'the file is unmodified before the click');
    // At the end of the file token healing takes the last newline back, and the top candidate is
    // often exactly that newline: its row is disabled (it is already typed). Click the first that inserts.
    await bars.and(panel.locator(':enabled')).first().click();
    // The document changed (its tab is marked modified), and the panel moved on to the next step:
    // its status line names a position past the old end. (The visible lines alone can look the
    // same when the inserted token is a newline.)
    await tabOf('.dirty').waitFor({ state: 'visible', timeout: 30_000 });
    await waitUntil(async () => !(await panel.locator('#status').innerText()).includes(end), 'the panel shows the next step after the inserted candidate');
    // The extension then gives the editor its focus back; the next test types into it.
    await wb.page.locator(`${SEL.activeEditor}.focused`).first().waitFor({ state: 'visible', timeout: 30_000 });
  }));

  test('ghost text appears after typing, and Tab accepts it into the file', (t) => wb.step(t.name, async () => {
    const line = await acceptGhostTextAtEnd(wb, 'export function ', 'ghost-text');
    assert.match(line, /^export function \S/, 'the suggestion follows what was typed');
  }));

  test('the model picker switches models and the status bar follows', (t) => wb.step(t.name, async () => {
    await wb.page.keyboard.press('Escape');
    await wb.runCommand('Next Token: Select Model');
    const rows = wb.page.locator(SEL.quickInputRow);
    await rows.first().waitFor({ state: 'visible' });
    const target = 'Toy: dog-speak (classic)';
    const current = defaultModelName();
    assert.notEqual(current, target, 'the test switches away from the default');
    await rows.filter({ hasText: target }).first().click();
    const item = wb.page.locator(SEL.statusBarItem, { has: wb.page.locator('.codicon-sparkle') }).filter({ hasText: target }).first();
    await item.waitFor({ state: 'visible', timeout: 30_000 });
  }));
});
