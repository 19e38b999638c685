/**
 * Debian's Chromium (/usr/bin/chromium) driven by playwright-core: never a downloaded browser.
 * A fresh profile in the system temp folder per launch, console capture, and screenshots and
 * console logs saved into test-results/.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { format } from 'node:util';
import { chromium, type BrowserContext, type ConsoleMessage, type Page } from 'playwright-core';
import { REPO_ROOT } from './codeServer';

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const RESULTS_DIR = path.join(REPO_ROOT, 'test-results');

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

export interface ConsoleEntry {
  time: number;
  type: string;
  text: string;
}

export interface Browser {
  readonly context: BrowserContext;
  readonly page: Page;
  /** Page console messages and page errors, in order (the extension host's console arrives as "[Extension Host] ..."). */
  readonly console: ConsoleEntry[];
  /** Resolves with the first console entry whose text matches, or rejects after timeoutMs. */
  waitForConsole(match: string | RegExp, timeoutMs?: number): Promise<ConsoleEntry>;
  close(): Promise<void>;
}

export interface LaunchOptions {
  viewport?: { width: number; height: number };
  /** Run headed (needs a display); default headless. */
  headed?: boolean;
}

export async function launchBrowser(options: LaunchOptions = {}): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run \`npm run setup:code-server\` (apt-get install chromium)`);
  // One temp folder for the profile and for HOME/XDG: Chromium otherwise writes crash-report
  // settings into ~/.config/chromium and a dconf file into ~/.cache.
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'next-token-chromium-'));
  const profile = path.join(root, 'profile');
  const home = path.join(root, 'home');
  fs.mkdirSync(profile);
  fs.mkdirSync(home);
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      env: { ...process.env, HOME: home, XDG_CONFIG_HOME: path.join(home, '.config'), XDG_CACHE_HOME: path.join(home, '.cache'), TMPDIR: os.tmpdir() },
      headless: !options.headed,
      args: CHROMIUM_ARGS,
      viewport: options.viewport ?? { width: 1400, height: 900 },
      acceptDownloads: false,
    });
  } catch (err) {
    fs.rmSync(root, { recursive: true, force: true });
    throw err;
  }
  const page = context.pages()[0] ?? (await context.newPage());
  const entries: ConsoleEntry[] = [];
  const waiters: { match: string | RegExp; resolve: (e: ConsoleEntry) => void }[] = [];
  const push = (type: string, text: string): ConsoleEntry => {
    const entry = { time: Date.now(), type, text };
    entries.push(entry);
    for (const w of [...waiters]) {
      if (matches(text, w.match)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(entry);
      }
    }
    return entry;
  };
  page.on('console', (m: ConsoleMessage) => {
    const entry = push(m.type(), m.text());
    // The workbench logs printf-style ("%c INFO color: #33f %s ..."): format it for the saved log.
    if (entry.text.includes('%')) {
      Promise.all(m.args().map((a) => a.jsonValue()))
        .then((values) => {
          entry.text = formatConsoleArgs(values) ?? entry.text;
        })
        .catch(() => undefined);
    }
  });
  page.on('pageerror', (e) => push('pageerror', String(e?.stack ?? e)));
  page.on('crash', () => push('crash', 'page crashed'));

  let closed = false;
  return {
    context,
    page,
    console: entries,
    waitForConsole(match, timeoutMs = 60_000) {
      const seen = entries.find((e) => matches(e.text, match));
      if (seen) return Promise.resolve(seen);
      return new Promise<ConsoleEntry>((resolve, reject) => {
        const waiter = {
          match,
          resolve: (e: ConsoleEntry) => {
            clearTimeout(timer);
            resolve(e);
          },
        };
        const timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(waiter), 1);
          reject(new Error(`no console message matching ${match} within ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.push(waiter);
      });
    },
    async close() {
      if (closed) return;
      closed = true;
      await context.close().catch(() => undefined);
      fs.rmSync(root, { recursive: true, force: true, maxRetries: 3 });
    },
  };
}

/**
 * The workbench logs `console.log('%c INFO', 'color: #33f', message, ...args)` where message
 * is itself printf-style (the extension host's console, mocha's reporter): format both levels.
 */
function formatConsoleArgs(values: unknown[]): string | undefined {
  if (values.length === 0 || typeof values[0] !== 'string') return undefined;
  const styled = /^%c\s*(\S*)\s*$/.exec(values[0]);
  if (styled && values.length >= 2) {
    const rest = values.slice(2);
    const message = rest.length > 0 && typeof rest[0] === 'string' ? format(...(rest as [string, ...unknown[]])) : rest.map(String).join(' ');
    return `${styled[1]} ${message}`.trim();
  }
  return format(...(values as [string, ...unknown[]])).trim();
}

function matches(text: string, match: string | RegExp): boolean {
  return typeof match === 'string' ? text.includes(match) : match.test(text);
}

/** A file name from a test name: "status bar: shows model" -> "status-bar-shows-model". */
export function slug(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 80) || 'test';
}

/** Saves a PNG of the page into test-results/<name>.png and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, `${slug(name)}.png`);
  await page.screenshot({ path: file, timeout: 15_000 });
  return file;
}

/** Writes the console entries into test-results/<name>.console.log and returns its path. */
export function saveConsole(entries: readonly ConsoleEntry[], name: string, extra?: string): string {
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, `${slug(name)}.console.log`);
  const t0 = entries[0]?.time ?? Date.now();
  const lines = entries.map((e) => `+${((e.time - t0) / 1000).toFixed(3)}s [${e.type}] ${e.text}`);
  fs.writeFileSync(file, lines.join('\n') + '\n' + (extra ? `\n${extra}\n` : ''));
  return file;
}
