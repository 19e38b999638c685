// A screenshot of Next Token on code it was not trained on, as a user has it: Leaflet's
// sources from the foreign set (CRLF line endings, tab indentation, files that import each
// other) in a workspace, ghost text in Bounds.js and the probability panel beside it, which
// says the document's CRLF was read as LF; then the status bar's menu, which says what the
// models learn from. Writes docs/images/real-code-crlf-tabs.png and docs/images/status-menu.png.
// Usage: npm run compile && npm run build && node scripts/screenshot-real-code.mjs
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const require = createRequire(import.meta.url);
const { openWorkbench, SEL } = require(path.join(root, 'out/test/harness/workbench.js'));
const { packageVsix } = require(path.join(root, 'out/test/harness/extensionVariants.js'));
const outDir = path.join(root, 'docs/images');
const LEAFLET = path.join(root, 'eval/foreign/files/leaflet@1.9.4');

async function waitUntil(condition, message, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${message}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'next-token-screenshots-'));
const vsix = process.env.NEXT_TOKEN_TEST_VSIX || packageVsix(path.join(temp, 'next-token.vsix'));
const wb = await openWorkbench({ settings: { 'editor.minimap.enabled': false, 'window.zoomLevel': 0, 'workbench.colorTheme': 'Default Light Modern', 'editor.quickSuggestions': { other: false, comments: false, strings: false } }, vsix });
try {
  fs.cpSync(LEAFLET, path.join(wb.workspace, 'leaflet'), { recursive: true });
  await wb.waitForActivation(90_000);
  await wb.page.locator(SEL.statusBarItem, { has: wb.page.locator('.codicon-sparkle') }).first().waitFor({ state: 'visible', timeout: 60_000 });
  const editor = await wb.openFile('leaflet/src/geometry/Bounds.js');
  await editor.click();
  const goTo = async (line) => {
    await wb.page.keyboard.press('Control+G');
    await wb.page.keyboard.type(String(line));
    await wb.page.keyboard.press('Enter');
  };
  // Take out line 70 ("this.max.y = Math.max(max2.y, this.max.y);") and type it again (IntelliSense's
  // list is off so that it does not cover the ghost text).
  await goTo(70);
  await wb.page.keyboard.press('Control+Shift+K');
  await wb.runCommand('Next Token: Show Probability Panel');
  const panel = wb.page.frameLocator(SEL.webview).frameLocator('iframe#active-frame');
  await panel.locator('#top li').first().waitFor({ state: 'visible', timeout: 60_000 });
  await editor.click();
  await goTo(69);
  await wb.page.keyboard.press('End');
  await wb.page.keyboard.press('Enter');
  await wb.page.keyboard.type('this.max.y = ', { delay: 80 });
  await wb.page.locator(SEL.ghostText).first().waitFor({ state: 'visible', timeout: 30_000 });
  await waitUntil(async () => (await panel.locator('#status').innerText()).includes('CRLF'), 'the panel says the CRLF was read as LF');
  fs.mkdirSync(outDir, { recursive: true });
  await wb.page.screenshot({ path: path.join(outDir, 'real-code-crlf-tabs.png') });
  console.log('wrote docs/images/real-code-crlf-tabs.png');
  await wb.runCommand('Next Token: Show Menu');
  await wb.page.locator(SEL.quickInputRow).first().waitFor({ state: 'visible' });
  await waitUntil(async () => /workspace file/.test(await wb.page.locator(SEL.quickInputRow).first().innerText()), 'the menu says what the models learn from');
  await wb.page.screenshot({ path: path.join(outDir, 'status-menu.png') });
  console.log('wrote docs/images/status-menu.png');
} finally {
  await wb.close();
  fs.rmSync(temp, { recursive: true, force: true });
}
