/**
 * Steps several browser tests share: ghost text accepted with Tab, and the probability panel
 * with its bars. They run against whatever the workbench loaded (the development folder, an
 * installed .vsix or the web-only variant), so one check covers every way the extension ships.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FrameLocator } from 'playwright-core';
import { screenshot } from './browser';
import { SEL, type Workbench } from './workbench';

/** Polls an async condition (UI state) until it holds; fails after timeoutMs. */
export async function waitUntil(condition: () => Promise<boolean>, message: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${message}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Waits until the status bar shows the model ready (the sparkle; a spinner while it loads).
 * Keystrokes before that get no ghost text, and the editor asks again only on the next one.
 */
export async function waitForModelReady(wb: Workbench, timeoutMs = 60_000): Promise<void> {
  await wb.page.locator(SEL.statusBarItem, { has: wb.page.locator('.codicon-sparkle') }).first().waitFor({ state: 'visible', timeout: timeoutMs });
}

/**
 * Types `typed` on a new last line of src/inventory.ts, waits for ghost text, saves a
 * screenshot of it as test-results/<shotName>.png, presses Tab and returns the saved file's
 * last line once it holds more than what was typed. The file on disk holds what the document
 * holds; ghost text that was not accepted is not in it.
 */
export async function acceptGhostTextAtEnd(wb: Workbench, typed: string, shotName: string): Promise<string> {
  await waitForModelReady(wb);
  const editor = await wb.openFile('src/inventory.ts');
  await editor.click();
  await wb.page.keyboard.press('Control+End');
  await wb.page.keyboard.press('Enter');
  await wb.page.keyboard.type(typed, { delay: 40 });
  await wb.page.locator(SEL.ghostText).first().waitFor({ state: 'visible', timeout: 30_000 });
  await screenshot(wb.page, shotName);
  const file = path.join(wb.workspace, 'src', 'inventory.ts');
  const lastLine = async () => {
    await wb.page.keyboard.press('Control+S');
    await waitUntil(async () => !(await wb.page.locator('.tab.active.dirty').count()), 'the file is saved');
    return fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.trim()).pop() ?? '';
  };
  await wb.page.keyboard.press('Tab');
  let line = '';
  await waitUntil(async () => (line = await lastLine()).trim().length > typed.trim().length, 'Tab accepted the suggestion into the file');
  return line;
}

/** Opens the probability panel beside src/inventory.ts with the cursor at the end; resolves once candidate bars show. */
export async function openPanelWithBars(wb: Workbench): Promise<FrameLocator> {
  const editor = await wb.openFile('src/inventory.ts');
  await wb.runCommand('Next Token: Show Probability Panel');
  await wb.page.locator('.tabs-container .tab', { hasText: 'Next Token' }).first().waitFor({ state: 'visible' });
  // Two iframes deep: the webview host frame, then the content frame with the panel's HTML.
  const panel = wb.page.frameLocator(SEL.webview).frameLocator('iframe#active-frame');
  await panel.locator('#app').waitFor({ state: 'visible' });
  await editor.click();
  await wb.page.keyboard.press('Control+End');
  await panel.locator('#tokens .chip').first().waitFor({ state: 'visible', timeout: 30_000 });
  await panel.locator('#top li button').first().waitFor({ state: 'visible' });
  return panel;
}
