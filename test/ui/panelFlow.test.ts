/**
 * The probability panel's flow sections in the real VS Code (code-server + Chromium), in the
 * light, dark and high-contrast themes: every section (tokens, embedding, attention, layers,
 * vector, suggestion) opens from the keyboard or a click, shows its numbers, and is kept as a
 * screenshot in docs/images/panel-<view>-<theme>.png (the README shows them). In the light
 * theme also: keyboard operation (a summary toggles with Enter, the heat map moves with the
 * arrow keys), screen-reader labels, the layer/head pickers, and branching the ghost text from
 * the suggestion section.
 *
 * The extension runs installed from its .vsix: a development host ignores the colour theme.
 * Run: npm run test:ui (builds first), or node --test out/test/ui/panelFlow.test.js.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { FrameLocator } from 'playwright-core';
import { REPO_ROOT } from '../harness/codeServer';
import { packageVsix } from '../harness/extensionVariants';
import { waitUntil } from '../harness/steps';
import { SEL, openWorkbench, type Workbench } from '../harness/workbench';

const VIEWS = ['tokens', 'embedding', 'attention', 'layers', 'vector', 'suggestion'] as const;
const THEMES = [
  { name: 'light', colorTheme: 'Default Light Modern', workbenchClass: 'vs', webviewClass: 'vscode-light' },
  { name: 'dark', colorTheme: 'Default Dark Modern', workbenchClass: 'vs-dark', webviewClass: 'vscode-dark' },
  { name: 'high-contrast', colorTheme: 'Default High Contrast', workbenchClass: 'hc-black', webviewClass: 'vscode-high-contrast' },
];
const IMAGES = path.join(REPO_ROOT, 'docs', 'images');

/** What shows that a section has drawn its numbers. */
async function waitForSection(panel: FrameLocator, view: (typeof VIEWS)[number]): Promise<void> {
  const s = panel.locator(`[data-view="${view}"]`);
  const timeout = 60_000;
  switch (view) {
    case 'tokens':
      await s.locator('#tokens .chip').first().waitFor({ state: 'visible', timeout });
      return;
    case 'embedding':
      await s.locator('#embedding-stats').filter({ hasText: /dimensions/ }).waitFor({ state: 'visible', timeout });
      await s.locator('#embedding').waitFor({ state: 'visible', timeout });
      return;
    case 'attention':
      await s.locator('#qkv .vector-row').nth(3).waitFor({ state: 'visible', timeout });
      await s.locator('#scores tr').nth(1).waitFor({ state: 'visible', timeout });
      await s.locator('#matrices').filter({ hasText: /Wq \d+ × \d+/ }).waitFor({ state: 'visible', timeout });
      return;
    case 'layers':
      await s.locator('#lens tr').nth(1).waitFor({ state: 'visible', timeout });
      return;
    case 'vector':
      await s.locator('#top li button').first().waitFor({ state: 'visible', timeout });
      await s.locator('#vector-stats').filter({ hasText: /L = [\d,]+ entries/ }).waitFor({ state: 'visible', timeout });
      return;
    case 'suggestion':
      await s.locator('#suggestion-text').filter({ hasText: /\S/ }).waitFor({ state: 'visible', timeout });
      return;
  }
}

describe('the probability panel walks through the flow with the live numbers', { timeout: 900_000 }, () => {
  let temp: string;
  let vsix: string;

  before(() => {
    temp = fs.mkdtempSync(path.join(os.tmpdir(), 'next-token-panel-flow-'));
    vsix = process.env.NEXT_TOKEN_TEST_VSIX || packageVsix(path.join(temp, 'next-token.vsix'));
    fs.mkdirSync(IMAGES, { recursive: true });
  });

  after(() => {
    if (temp) fs.rmSync(temp, { recursive: true, force: true });
  });

  for (const theme of THEMES) {
    test(`${theme.name} theme: every section opens and shows its numbers (screenshots in docs/images)`, async (t) => {
      const settings = { 'editor.minimap.enabled': false, 'window.zoomLevel': 0, 'workbench.colorTheme': theme.colorTheme };
      const wb: Workbench = await openWorkbench({ settings, vsix });
      try {
        await wb.step(t.name, async () => {
          const page = wb.page;
          // Tall enough that the tallest section (the vector) fits in the panel for its screenshot.
          await page.setViewportSize({ width: 1400, height: 1600 });
          await page.locator(`.monaco-workbench.${theme.workbenchClass}`).waitFor({ state: 'attached', timeout: 60_000 });
          await wb.waitForActivation(90_000);
          await page.locator(SEL.statusBarItem, { has: page.locator('.codicon-sparkle') }).first().waitFor({ state: 'visible', timeout: 60_000 });
          const editor = await wb.openFile('src/inventory.ts');
          await editor.click();
          // A new line inside restock() (after line 44), then "for (const ": the context ends in a space.
          await page.keyboard.press('Control+G');
          await page.keyboard.type('44');
          await page.keyboard.press('Enter');
          await page.keyboard.press('End');
          await page.keyboard.press('Enter');
          await page.keyboard.type('for (const ', { delay: 40 });
          await wb.runCommand('Next Token: Show Probability Panel');
          const panel = page.frameLocator(SEL.webview).frameLocator('iframe#active-frame');
          await panel.locator(`body.${theme.webviewClass}`).waitFor({ state: 'attached', timeout: 30_000 });
          await panel.locator('#status').filter({ hasText: /\d+:\d+ · computed/ }).waitFor({ state: 'visible', timeout: 60_000 });
          // The flow names the steps that apply here, token healing among them (one vector for both).
          await panel.locator('#flow li').filter({ hasText: /token healing/ }).waitFor({ state: 'visible', timeout: 30_000 });

          for (const view of VIEWS) {
            const section = panel.locator(`details[data-view="${view}"]`);
            const summary = section.locator('summary');
            if ((await section.getAttribute('open')) === null) {
              if (theme.name === 'light') {
                // From the keyboard: a summary is focusable and Enter opens its section.
                await summary.focus();
                await summary.press('Enter');
              } else await summary.click();
            }
            await waitUntil(async () => (await section.getAttribute('open')) !== null, `the ${view} section is open`);
            await waitForSection(panel, view);
            // Screen-reader labels: the summary names the section, its content is labelled.
            assert.match(await summary.innerText(), /\d · \S/);
            const file = path.join(IMAGES, `panel-${view}-${theme.name}.png`);
            await section.screenshot({ path: file });
            assert.ok(fs.statSync(file).size > 1000, `${file} was written`);
          }

          if (theme.name !== 'light') return;
          // Keyboard: the heat map is focusable and the arrow keys read another cell aloud.
          const cell = panel.locator('#embedding-cell');
          const heat = panel.locator('#embedding');
          await heat.focus();
          const before = await cell.innerText();
          await heat.press('ArrowUp');
          await heat.press('ArrowRight');
          await waitUntil(async () => (await cell.innerText()) !== before, 'the arrow keys move to another cell');
          assert.match(await cell.innerText(), /dimension 2: -?\d/);
          assert.equal(await heat.getAttribute('tabindex'), '0');
          assert.match((await heat.getAttribute('aria-label')) ?? '', /Embedding heat map: \d+ tokens by \d+ dimensions/);
          // The head picker: another head's numbers arrive.
          const stats = panel.locator('#attention-stats');
          await panel.locator('#head').selectOption({ value: '1' });
          await stats.filter({ hasText: /head 2:/ }).waitFor({ state: 'visible', timeout: 30_000 });
          // Every alternative button says what it does.
          const alt = panel.locator('#suggestion .alt').first();
          await alt.waitFor({ state: 'visible', timeout: 30_000 });
          assert.match((await alt.getAttribute('aria-label')) ?? '', /^Regenerate the ghost text with .+ as token 1$/);
          // Branching: the panel follows and the editor shows the new ghost text.
          await alt.click();
          const text = panel.locator('#suggestion-text').filter({ hasText: /branched at token 1/ });
          await text.waitFor({ state: 'visible', timeout: 60_000 });
          const shown = (await text.innerText()).replace(/^Ghost text \(branched at token 1\): /, '').replace(/·/g, ' ').replace(/↵/g, '\n');
          const ghost = page.locator(SEL.ghostText).first();
          await ghost.waitFor({ state: 'visible', timeout: 30_000 });
          const first = shown.trim().split(/\s+/)[0];
          await waitUntil(async () => ((await page.locator(SEL.ghostText).allInnerTexts()).join('').replace(/\u00a0/g, ' ')).includes(first), `the editor's ghost text shows the branch ${JSON.stringify(first)}`);
          // The command (Ctrl/Cmd+Alt+]) takes the next alternative of the first token: the panel follows.
          const firstToken = async () => (await panel.locator('#suggestion li .chip.chosen').first().innerText()).trim();
          const before1 = await firstToken();
          await wb.runCommand('Next Token: Ghost Text: Next Alternative of the First Token');
          await waitUntil(async () => (await firstToken()) !== before1, `the first token changes from ${JSON.stringify(before1)}`);
          await panel.locator('#suggestion-text').filter({ hasText: /branched at token 1/ }).waitFor({ state: 'visible', timeout: 30_000 });
          // Closing a section from the keyboard: Enter on its summary.
          const layers = panel.locator('details[data-view="layers"]');
          await layers.locator('summary').focus();
          await layers.locator('summary').press('Enter');
          await waitUntil(async () => (await layers.getAttribute('open')) === null, 'Enter closes the layers section');
        });
      } finally {
        await wb.close();
      }
    });
  }
});
