/**
 * Security in the real workbench (code-server + Chromium), one workbench for the file:
 *  - the folder opens untrusted (restricted mode) and ghost text still appears: the
 *    extension declares untrusted workspaces supported, since it runs no workspace code;
 *  - the probability panel loads without a single Content Security Policy violation, and
 *    its CSP refuses what an attacker would try: an inline script, a remote image, a fetch.
 *
 * Run: npm run test:ui   (after npm run setup:code-server once)
 */
import * as assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { ConsoleMessage, Frame } from 'playwright-core';
import { SEL, openWorkbench, type Workbench } from '../harness/workbench';

interface Violation {
  directive: string;
  blocked: string;
}

// Code that runs inside the browser's frames (as source text: these tests compile without the DOM types).
/** Records every CSP violation of the frame, from its first moment, in window.__cspViolations. */
const RECORD_VIOLATIONS = `window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => window.__cspViolations.push({ directive: e.effectiveDirective, blocked: e.blockedURI }));`;

/** What an attacker with a foothold in the panel would try: an inline script, a remote image, a fetch. */
function attemptsAgainst(url: string): string {
  return `(async () => {
  const url = ${JSON.stringify(url)};
  window.__inlineRan = false;
  const script = document.createElement('script');
  script.textContent = 'window.__inlineRan = true;';
  document.body.append(script);
  const img = document.createElement('img');
  const image = new Promise((resolve) => { img.onload = () => resolve('loaded'); img.onerror = () => resolve('refused'); });
  img.src = url;
  document.body.append(img);
  const fetched = await fetch(url).then(() => 'fetched', () => 'refused');
  return { inlineRan: window.__inlineRan, image: await image, fetched };
})()`;
}

/** Polls an async condition until it holds; fails after timeoutMs. */
async function waitUntil<T>(condition: () => Promise<T | undefined | false>, message: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await condition().catch(() => undefined);
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${message}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('security in the VS Code workbench', { timeout: 170_000 }, () => {
  let wb: Workbench;
  /** Console lines about CSP from any frame, with the frame's URL. */
  const cspConsole: string[] = [];

  before(async () => {
    wb = await openWorkbench({
      // Trust is on and the folder is never trusted: the workbench runs in restricted mode.
      workspaceTrust: true,
      settings: {
        'security.workspace.trust.enabled': true,
        'security.workspace.trust.startupPrompt': 'never',
        'security.workspace.trust.untrustedFiles': 'open',
        'security.workspace.trust.banner': 'never',
      },
    });
    // Chromium reports every CSP refusal in the console, from every frame (the webview's
    // included): the record of the panel's load. (A violation listener cannot be in place
    // that early: VS Code writes the panel into its frame with document.open(), which erases
    // listeners; so the listener below is attached once the panel is there.)
    wb.page.on('console', (m: ConsoleMessage) => {
      if (/Content.Security.Policy/i.test(m.text())) cspConsole.push(`${m.location().url}: ${m.text()}`);
    });
  });

  after(async () => {
    await wb?.close();
  });

  test('the folder is untrusted (restricted mode) and ghost text still appears', (t) => wb.step(t.name, async () => {
    await wb.page.locator(SEL.statusBarItem, { hasText: 'Restricted Mode' }).first().waitFor({ state: 'visible', timeout: 60_000 });
    await wb.waitForActivation(60_000);
    const editor = await wb.openFile('src/inventory.ts');
    await editor.click();
    await wb.page.keyboard.press('Control+End');
    await wb.page.keyboard.press('Enter');
    await wb.page.keyboard.type('export function ', { delay: 40 });
    await wb.page.locator(SEL.ghostText).first().waitFor({ state: 'visible', timeout: 30_000 });
  }));

  test('the panel loads with no CSP violation, and refuses an inline script, a remote image and a fetch', (t) => wb.step(t.name, async () => {
    await wb.page.keyboard.press('Escape');
    await wb.runCommand('Next Token: Show Probability Panel');
    const panel = wb.page.frameLocator(SEL.webview).frameLocator('iframe#active-frame');
    await panel.locator('#top li button').first().waitFor({ state: 'visible', timeout: 30_000 });
    // The frame that holds the panel's document (playwright's Frame, to run code inside it).
    const frame = await waitUntil(async () => {
      for (const f of wb.page.frames()) if (await f.evaluate("!!document.getElementById('vector')").catch(() => false)) return f;
      return undefined;
    }, 'the panel frame is found');
    assert.deepEqual(cspConsole, [], 'the workbench and the panel loaded without a CSP complaint in the console');
    await frame.evaluate(RECORD_VIOLATIONS);
    const violations = (f: Frame) => f.evaluate('window.__cspViolations') as Promise<Violation[] | undefined>;

    // A resource the browser would load if the CSP allowed it: the workbench's own server,
    // under another name (localhost), so that it is a remote origin for the panel.
    const remote = new URL('manifest.json', wb.server.url.replace('127.0.0.1', 'localhost')).toString();
    assert.equal((await fetch(remote)).status, 200, `${remote} is reachable outside the panel`);
    const attempt = await frame.evaluate(attemptsAgainst(remote));
    assert.deepEqual(attempt, { inlineRan: false, image: 'refused', fetched: 'refused' });
    // And each refusal is a CSP violation, not a network accident.
    let reported: Violation[] | undefined;
    const after = await waitUntil(async () => {
      reported = await violations(frame);
      const seen = new Set(reported?.map((x) => x.directive));
      return seen.has('script-src-elem') && seen.has('img-src') && seen.has('connect-src') ? reported : undefined;
    }, 'the three violations are reported').catch((e: Error) => {
      throw new Error(`${e.message}; reported: ${JSON.stringify(reported)}`);
    });
    // The console channel that showed nothing during the load does report refusals.
    await waitUntil(async () => cspConsole.length >= 2, 'the refusals appear in the console');
    console.log(`CSP: the panel loaded with 0 violations; injected attempts refused: ${JSON.stringify(after)}; ${cspConsole.length} console reports`);
  }));
});
