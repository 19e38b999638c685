// A screenshot of a GGUF model people already have, in the editor: SmolLM2-135M-Instruct
// (the Q4_1 file scripts/fetch-smollm2.sh caches) named in nextToken.modelFolders, its ghost
// text in a Python file and the probability panel beside it (30 layers x 9 heads of
// attention, the vector over its 49,152 tokens). Writes docs/images/gguf-smollm2.png.
// Usage: npm run compile && npm run build && bash scripts/fetch-smollm2.sh && node scripts/screenshot-gguf.mjs
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const require = createRequire(import.meta.url);
const { openWorkbench, SEL } = require(path.join(root, 'out/test/harness/workbench.js'));
const { smollm2CachePath } = require(path.join(root, 'out/test/unit/ggufFixtures.js'));
const outDir = path.join(root, 'docs/images');
const model = smollm2CachePath();
if (!fs.existsSync(model)) throw new Error(`${model} is missing: run scripts/fetch-smollm2.sh`);

async function waitUntil(condition, message, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${message}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const CODE = `import math


def mean(values):
    """The arithmetic mean of a list of numbers."""
    return sum(values) / len(values)


def standard_deviation(values):
    """How far the numbers spread around their mean."""
    m = mean(values)
    return math.sqrt(sum((x - m) ** 2 for x in values) / len(values))


def median(values):
    """The middle value of the sorted numbers."""
`;

const wb = await openWorkbench({
  settings: {
    'editor.minimap.enabled': false,
    'window.zoomLevel': 0,
    'workbench.colorTheme': 'Default Light Modern',
    'editor.quickSuggestions': { other: false, comments: false, strings: false },
    'editor.autoClosingBrackets': 'never',
    'nextToken.modelFolders': [model],
    'nextToken.model': `folder:${model}`,
  },
});
try {
  fs.mkdirSync(path.join(wb.workspace, 'stats'), { recursive: true });
  fs.writeFileSync(path.join(wb.workspace, 'stats', 'summary.py'), CODE);
  await wb.waitForActivation(120_000);
  const editor = await wb.openFile('stats/summary.py');
  await editor.click();
  await wb.page.keyboard.press('Control+End');
  await wb.runCommand('Next Token: Show Probability Panel');
  const panel = wb.page.frameLocator(SEL.webview).frameLocator('iframe#active-frame');
  // The panel names the model once SmolLM2 is loaded (it takes a few seconds).
  await waitUntil(async () => /49,152/.test(await panel.locator('body').innerText().catch(() => '')), 'the panel shows SmolLM2 (L = 49,152)');
  await editor.click();
  await wb.page.keyboard.press('Control+End');
  await wb.page.keyboard.type('    ordered = ', { delay: 80 });
  await wb.page.locator(SEL.ghostText).first().waitFor({ state: 'visible', timeout: 120_000 });
  await waitUntil(async () => /ordered[\s\S]*=\s*$/.test(await panel.locator('#tokens').innerText().catch(() => '')), 'the panel follows the typed text');
  await wb.page.locator(SEL.ghostText).first().waitFor({ state: 'visible', timeout: 120_000 });
  fs.mkdirSync(outDir, { recursive: true });
  await wb.page.screenshot({ path: path.join(outDir, 'gguf-smollm2.png') });
  console.log('wrote docs/images/gguf-smollm2.png');
} finally {
  await wb.close();
}
