/**
 * A workbench for browser (UI) tests: code-server on a throwaway copy of sample-workspace/,
 * this extension loaded in development mode, Chromium showing it. Plus the steps a person
 * takes (command palette, open a file, type) and a per-test wrapper that saves a screenshot
 * into test-results/ and, on failure, the console log.
 *
 * Everything waits for a condition (a selector, a console line), never for a fixed time.
 */
import * as path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { launchBrowser, saveConsole, screenshot, type Browser } from './browser';
import { SAMPLE_WORKSPACE, copyFolder, startCodeServer, type CodeServer } from './codeServer';

/** Selectors that work in VS Code 1.100 (code-server 4.100.3). */
export const SEL = {
  explorerRow: '.explorer-folders-view .monaco-list-row',
  quickInput: '.quick-input-widget',
  quickInputBox: '.quick-input-widget input',
  quickInputRow: '.quick-input-list .monaco-list-row',
  editorLines: '.editor-instance .monaco-editor .view-lines',
  activeEditor: '.editor-group-container.active .monaco-editor',
  ghostText: '.monaco-editor .ghost-text-decoration',
  statusBarItem: '.statusbar-item',
  webview: 'iframe.webview.ready',
  notification: '.notifications-toasts .notification-toast',
} as const;

/** The line the extension logs on activation (seen in the page console as "[Extension Host] ..."). */
export const ACTIVATED_LINE = 'Next Token activated';

export interface WorkbenchOptions {
  /** Settings merged over the harness defaults. */
  settings?: Record<string, unknown>;
  /** Environment for code-server and the extension host. */
  env?: Record<string, string>;
  /** Load this extension (default true). */
  withExtension?: boolean;
  /** Load this folder in development mode instead of the repository root (e.g. a web-only manifest variant). */
  extensionPath?: string;
  /**
   * Install this .vsix into the run's fresh extensions folder and run it as installed, with no
   * development folder. Default: $NEXT_TOKEN_TEST_VSIX, so any browser test can run against
   * the package (`NEXT_TOKEN_TEST_VSIX=next-token-0.1.0.vsix npm run test:ui:run`).
   */
  vsix?: string;
  /** Keep workspace trust on: with trust settings that leave the folder untrusted, it opens in restricted mode. */
  workspaceTrust?: boolean;
  /** How long the workbench may take to show the explorer (default 90 s). */
  readyTimeoutMs?: number;
}

export interface Workbench {
  readonly server: CodeServer;
  readonly browser: Browser;
  readonly page: Page;
  /** The throwaway copy of sample-workspace/ that is open. */
  readonly workspace: string;
  /** Resolves when the extension has logged its activation line. */
  waitForActivation(timeoutMs?: number): Promise<void>;
  /** F1, type the command's title, pick its row, Enter. */
  runCommand(title: string): Promise<void>;
  /** Opens a workspace file through Quick Open (Ctrl+P) and waits for its editor. */
  openFile(relativePath: string): Promise<Locator>;
  /**
   * Runs a test body, then saves a screenshot into test-results/<name>.png; on failure saves
   * test-results/<name>-failure.png and <name>.console.log and rethrows. Use as
   * `test('shows x', (t) => wb.step(t.name, async () => { ... }))`.
   */
  step(name: string, body: () => Promise<void>): Promise<void>;
  close(): Promise<void>;
}

export async function openWorkbench(options: WorkbenchOptions = {}): Promise<Workbench> {
  const withExtension = options.withExtension !== false;
  const vsix = withExtension && !options.extensionPath ? options.vsix ?? (process.env.NEXT_TOKEN_TEST_VSIX || undefined) : undefined;
  const server = await startCodeServer({ settings: options.settings, env: options.env, workspaceTrust: options.workspaceTrust, installExtensions: vsix ? [path.resolve(vsix)] : undefined });
  let browser: Browser | undefined;
  try {
    const workspace = copyFolder(SAMPLE_WORKSPACE, path.join(server.stateDir, 'workspace'));
    browser = await launchBrowser();
    const page = browser.page;
    await page.goto(server.workbenchUrl({ folder: workspace, extensionDevelopmentPath: !withExtension || vsix ? null : options.extensionPath }));
    await page.locator(SEL.explorerRow).first().waitFor({ state: 'visible', timeout: options.readyTimeoutMs ?? 90_000 });
    return makeWorkbench(server, browser, workspace);
  } catch (err) {
    if (browser) {
      saveConsole(browser.console, 'workbench-start', `--- code-server output ---\n${server.output()}`);
      await screenshot(browser.page, 'workbench-start-failure').catch(() => undefined);
      await browser.close();
    }
    await server.stop();
    throw err;
  }
}

function makeWorkbench(server: CodeServer, browser: Browser, workspace: string): Workbench {
  const page = browser.page;
  const wb: Workbench = {
    server,
    browser,
    page,
    workspace,
    async waitForActivation(timeoutMs = 60_000) {
      await browser.waitForConsole(ACTIVATED_LINE, timeoutMs);
    },
    async runCommand(title: string) {
      const input = page.locator(SEL.quickInputBox);
      await page.keyboard.press('F1');
      await input.waitFor({ state: 'visible' });
      await input.fill(`>${title}`);
      const row = page.locator(`${SEL.quickInputRow}[aria-label*="${cssString(title)}"]`).first();
      await row.waitFor({ state: 'visible' });
      // The first row is the focused one once the list has filtered down to the title.
      await page.locator(`${SEL.quickInputRow}.focused[aria-label*="${cssString(title)}"]`).first().waitFor({ state: 'visible' });
      await page.keyboard.press('Enter');
    },
    async openFile(relativePath: string) {
      const input = page.locator(SEL.quickInputBox);
      await page.keyboard.press('Control+P');
      await input.waitFor({ state: 'visible' });
      await input.fill(relativePath);
      const base = path.basename(relativePath);
      await page.locator(`${SEL.quickInputRow}.focused[aria-label*="${cssString(base)}"]`).first().waitFor({ state: 'visible' });
      await page.keyboard.press('Enter');
      const tab = page.locator(`.tabs-container .tab.active[aria-label*="${cssString(base)}"]`).first();
      await tab.waitFor({ state: 'visible' });
      const editor = page.locator(SEL.activeEditor).first();
      await editor.locator('.view-lines').waitFor({ state: 'visible' });
      return editor;
    },
    async step(name, body) {
      const from = browser.console.length;
      try {
        await body();
      } catch (err) {
        const shot = await screenshot(page, `${name}-failure`).catch(() => undefined);
        const log = saveConsole(browser.console, name, `--- this test's part starts at entry ${from + 1} ---\n--- code-server output ---\n${server.output()}`);
        console.error(`saved ${log}${shot ? ` and ${shot}` : ''}`);
        throw err;
      }
      await screenshot(page, name);
    },
    async close() {
      await browser.close();
      await server.stop();
    },
  };
  return wb;
}

/** Escapes a string for use inside a double-quoted CSS attribute selector. */
function cssString(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
}
