// Takes the README's screenshots from a real run: code-server + Chromium, the sample
// workspace, ghost text in the editor and the probability panel beside it, in the default
// light and dark themes (and high contrast with --high-contrast, to check readability).
// Usage: npm run compile && npm run build && node scripts/screenshots.mjs [--high-contrast]
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
fs.mkdirSync(outDir, { recursive: true });

/**
 * The extension runs installed from its .vsix, as users have it: an Extension Development
 * Host window ignores `workbench.colorTheme` and always shows Light+. Installed, the theme
 * in User/settings.json applies, but only a few seconds after the workbench first paints
 * (once the theme extension is read): so wait for the theme's class on the workbench and in
 * the webview.
 */
const themes = [
  { name: 'light', colorTheme: 'Default Light Modern', workbenchClass: 'vs', webviewClass: 'vscode-light' },
  { name: 'dark', colorTheme: 'Default Dark Modern', workbenchClass: 'vs-dark', webviewClass: 'vscode-dark' },
];
if (process.argv.includes('--high-contrast')) {
  themes.push({ name: 'high-contrast', colorTheme: 'Default High Contrast', workbenchClass: 'hc-black', webviewClass: 'vscode-high-contrast' });
}

async function waitUntil(condition, message, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${message}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Puts the cursor on a new line inside restock(), after "const orders: Order[] = [];" (line 44). */
async function newLineInRestock(wb) {
  await wb.page.keyboard.press('Control+G');
  await wb.page.keyboard.type('44');
  await wb.page.keyboard.press('Enter');
  await wb.page.keyboard.press('End');
}

const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'next-token-screenshots-'));
const vsix = process.env.NEXT_TOKEN_TEST_VSIX || packageVsix(path.join(temp, 'next-token.vsix'));
for (const theme of themes) {
  const settings = { 'editor.minimap.enabled': false, 'window.zoomLevel': 0, 'workbench.colorTheme': theme.colorTheme };
  const wb = await openWorkbench({ settings, vsix });
  try {
    await wb.page.locator(`.monaco-workbench.${theme.workbenchClass}`).waitFor({ state: 'attached', timeout: 60_000 });
    await wb.waitForActivation(90_000);
    await wb.page.locator(SEL.statusBarItem, { has: wb.page.locator('.codicon-sparkle') }).first().waitFor({ state: 'visible', timeout: 60_000 });
    const editor = await wb.openFile('src/inventory.ts');
    await editor.click();
    await newLineInRestock(wb);
    await wb.runCommand('Next Token: Show Probability Panel');
    const panel = wb.page.frameLocator(SEL.webview).frameLocator('iframe#active-frame');
    await panel.locator(`body.${theme.webviewClass}`).waitFor({ state: 'attached', timeout: 30_000 });
    await panel.locator('#top li').first().waitFor({ state: 'visible', timeout: 60_000 });
    await editor.click();
    await newLineInRestock(wb);
    await wb.page.keyboard.press('Enter');
    await wb.page.keyboard.type('for (const ', { delay: 60 });
    await wb.page.locator(SEL.ghostText).first().waitFor({ state: 'visible', timeout: 30_000 });
    await waitUntil(async () => (await panel.locator('#status').innerText()).includes(':'), 'the panel follows the cursor');
    const file = path.join(outDir, `ghost-text-and-panel-${theme.name}.png`);
    await wb.page.screenshot({ path: file });
    console.log(`wrote ${path.relative(root, file)}`);
  } finally {
    await wb.close();
  }
}
fs.rmSync(temp, { recursive: true, force: true });
