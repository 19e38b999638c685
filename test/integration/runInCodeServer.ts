/**
 * `npm run test:int`: runs the integration suites (out/test/integration/*.test.js) inside
 * the real VS Code extension host of code-server, driven by Debian's Chromium.
 *
 * 1. starts code-server on 127.0.0.1 with throwaway state in the system temp folder, on a
 *    throwaway copy of sample-workspace/;
 * 2. opens the workbench with a URL payload: extensionDevelopmentPath = this repository,
 *    extensionTestsPath = out/test/integration/index.js;
 * 3. prints the host's console (mocha's spec output arrives through codeAutomationLog);
 * 4. exits with the test runner's code (codeAutomationExit: 0 pass, 1 fail), after stopping
 *    the browser and code-server.
 *
 * Arguments: --grep PATTERN (only matching tests), --verbose (also the workbench's own log),
 * --timeout SECONDS (whole run, default 300). Needs `npm run compile && npm run build` first
 * (the npm script does it) and `npm run setup:code-server` once.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { format } from 'node:util';
import { launchBrowser, saveConsole, screenshot, type Browser } from '../harness/browser';
import { REPO_ROOT, SAMPLE_WORKSPACE, copyFolder, startCodeServer, type CodeServer } from '../harness/codeServer';

interface Args {
  grep?: string;
  verbose: boolean;
  timeoutMs: number;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { verbose: false, timeoutMs: 300_000 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--grep' || a === '-g') args.grep = argv[++i];
    else if (a.startsWith('--grep=')) args.grep = a.slice('--grep='.length);
    else if (a === '--verbose') args.verbose = true;
    else if (a === '--timeout') args.timeoutMs = Number(argv[++i]) * 1000;
    else throw new Error(`unknown argument ${a}`);
  }
  return args;
}

/** Lines of the workbench's own logging that are noise in a test report. */
const NOISE = [/^\[driver\]/, /Debugger listening/, /^\s*$/, /^Ignoring fetching additional builtin extensions/];
/** Logged by index.ts when mocha starts (keep the two in step). */
const TESTS_MARKER = '[next-token tests]';

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  const started = Date.now();
  const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
  const testsEntry = path.join(REPO_ROOT, 'out', 'test', 'integration', 'index.js');
  for (const needed of [testsEntry, path.join(REPO_ROOT, 'dist', 'extension.js')]) {
    if (!fs.existsSync(needed)) throw new Error(`${path.relative(REPO_ROOT, needed)} is missing: run \`npm run compile && npm run build\``);
  }

  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  const serverLines: string[] = [];
  const stopAll = async () => {
    await browser?.close();
    await server?.stop();
  };
  // Ctrl+C / kill: stop what this run started, then exit.
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.once(sig, () => {
      void stopAll().finally(() => process.exit(130));
    });
  }

  try {
    server = await startCodeServer({
      env: {
        NEXT_TOKEN_TEST: '1',
        ...(args.grep ? { NEXT_TOKEN_TEST_GREP: args.grep } : {}),
      },
      onLine: (line) => serverLines.push(line),
    });
    const workspace = copyFolder(SAMPLE_WORKSPACE, path.join(server.stateDir, 'workspace'));
    console.log(`[test:int] code-server ${server.url} (pid ${server.pid}) listening after ${elapsed()}`);

    browser = await launchBrowser();
    const { page } = browser;
    let resolveExit: (code: number) => void;
    const exitCode = new Promise<number>((resolve) => (resolveExit = resolve));
    await page.exposeFunction('codeAutomationExit', (code: number) => resolveExit(Number(code)));
    // Everything the workbench and the extension host log arrives here, without a prefix
    // that would tell them apart. index.ts logs TESTS_MARKER first: from there on, print
    // everything (mocha's spec output, the extension's console); before it, only errors.
    let testsStarted = false;
    await page.exposeFunction('codeAutomationLog', (type: string, logArgs: unknown[]) => {
      const text = (Array.isArray(logArgs) ? format(...(logArgs as [unknown, ...unknown[]])) : String(logArgs)).replace(/^\[Extension Host\] ?/, '');
      if (text.includes(TESTS_MARKER)) testsStarted = true;
      if (NOISE.some((re) => re.test(text))) return;
      if (args.verbose) console.log(`[${type}] ${text}`);
      else if (testsStarted) console.log(type === 'error' || type === 'warn' ? `[${type}] ${text}` : text);
      else if (type === 'error') console.log(`[workbench error] ${text}`);
    });
    await page.goto(server.workbenchUrl({ folder: workspace, extensionTestsPath: testsEntry }));

    let timer: NodeJS.Timeout | undefined;
    const code = await Promise.race([
      exitCode,
      server.exited.then((c) => {
        throw new Error(`code-server exited (${c}) during the tests`);
      }),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`the tests did not finish within ${args.timeoutMs / 1000} s`)), args.timeoutMs);
      }),
    ]).finally(() => clearTimeout(timer));
    console.log(`[test:int] extension host tests ${code === 0 ? 'passed' : 'FAILED'} (exit ${code}) in ${elapsed()}`);
    if (code !== 0) await saveFailure(browser, server, serverLines);
    return code;
  } catch (err) {
    console.error(`[test:int] ${(err as Error).stack ?? err}`);
    if (browser && server) await saveFailure(browser, server, serverLines).catch(() => undefined);
    return 1;
  } finally {
    await stopAll();
  }
}

async function saveFailure(browser: Browser, server: CodeServer, serverLines: string[]): Promise<void> {
  const shot = await screenshot(browser.page, 'integration-failure').catch(() => undefined);
  const log = saveConsole(browser.console, 'integration', `--- code-server output ---\n${serverLines.join('\n')}\n(state: ${server.stateDir})`);
  console.error(`[test:int] saved ${path.relative(REPO_ROOT, log)}${shot ? ` and ${path.relative(REPO_ROOT, shot)}` : ''}`);
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
