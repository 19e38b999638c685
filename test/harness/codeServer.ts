/**
 * Starts and stops the real VS Code (code-server, installed by scripts/setup-code-server.sh
 * into .vscode-test/code-server/) for `npm start`, the integration tests and the UI tests.
 *
 * Every run gets its own folders (user data, extensions, XDG config/data/cache, TMPDIR), a
 * settings.json written before the start, and its own process group, so stop() ends
 * code-server and everything it spawned (extension host, file watcher, pty host). It listens
 * on 127.0.0.1 only, on a free port that it reports on stdout.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** The repository root (this file is test/harness/codeServer.ts, compiled to out/test/harness/). */
export const REPO_ROOT = findRepoRoot(__dirname);
export const CODE_SERVER_DIR = path.join(REPO_ROOT, '.vscode-test', 'code-server');
export const CODE_SERVER_ENTRY = path.join(CODE_SERVER_DIR, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
export const SAMPLE_WORKSPACE = path.join(REPO_ROOT, 'sample-workspace');
export const EXTENSION_ID = 'next-token.next-token';

/** Settings every run starts with: quiet, no network, nothing that steals focus. */
export const BASE_SETTINGS: Record<string, unknown> = {
  'telemetry.telemetryLevel': 'off',
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'security.workspace.trust.enabled': false,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'update.mode': 'none',
  'window.restoreWindows': 'none',
  'editor.inlineSuggest.enabled': true,
  'git.enabled': false,
  'git.autoRepositoryDetection': false,
  'npm.autoDetect': 'off',
  'typescript.disableAutomaticTypeAcquisition': true,
  'typescript.surveys.enabled': false,
  'files.autoSave': 'off',
};

export interface CodeServerOptions {
  /** Folder that holds this run's state. Default: a fresh folder in the system temp folder, removed by stop(). */
  stateDir?: string;
  /** Remove stateDir on stop() (default: true when stateDir was not given). */
  removeStateDir?: boolean;
  /** Merged over BASE_SETTINGS into User/settings.json. */
  settings?: Record<string, unknown>;
  /** Extra environment for code-server (reaches the extension host). */
  env?: Record<string, string>;
  /** Folder opened by default (code-server's positional argument). */
  folder?: string;
  /** Port on 127.0.0.1 (default 0: a free one, read from code-server's output). */
  port?: number;
  /** Milliseconds to wait for "HTTP server listening" (default 60 s). */
  startTimeoutMs?: number;
  /** Called with every line code-server prints (stdout and stderr). */
  onLine?: (line: string) => void;
  /** Keep workspace trust on (default off: --disable-workspace-trust), to test restricted mode. */
  workspaceTrust?: boolean;
  /** .vsix files to install into this run's empty extensions folder before the start, as a user would (`--install-extension`). */
  installExtensions?: string[];
}

export interface WorkbenchUrlOptions {
  /** Absolute folder to open (default: the folder given at start). */
  folder?: string;
  /** Load this extension folder in development mode (default: the repository root; null: none). */
  extensionDevelopmentPath?: string | null;
  /** Absolute path of a module that exports run(): runs as the extension host's test runner. */
  extensionTestsPath?: string;
}

export interface CodeServer {
  /** Base URL, e.g. http://127.0.0.1:41234/ */
  readonly url: string;
  readonly port: number;
  readonly pid: number;
  readonly stateDir: string;
  readonly userDataDir: string;
  readonly extensionsDir: string;
  /** Workbench URL for a folder, with the extension and test runner as a URL payload. */
  workbenchUrl(options?: WorkbenchUrlOptions): string;
  /** Everything code-server printed so far. */
  output(): string;
  /** Resolves when code-server exits (by itself or through stop()). */
  readonly exited: Promise<number | null>;
  /** Ends code-server's process group (SIGTERM, then SIGKILL after 5 s) and removes the state folder if it owns it. */
  stop(): Promise<void>;
}

export function findRepoRoot(from: string): string {
  let dir = from;
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest)) {
      try {
        if (JSON.parse(fs.readFileSync(manifest, 'utf8')).name === 'next-token') return dir;
      } catch {
        // keep looking
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no next-token package.json above ${from}`);
    dir = parent;
  }
}

export function assertCodeServerInstalled(): void {
  if (!fs.existsSync(CODE_SERVER_ENTRY)) {
    throw new Error(`code-server is not installed (${path.relative(REPO_ROOT, CODE_SERVER_ENTRY)} missing): run \`npm run setup:code-server\` first`);
  }
}

/** Copies a folder (e.g. sample-workspace/) so that tests may edit the copy. */
export function copyFolder(from: string, to: string): string {
  fs.cpSync(from, to, { recursive: true });
  return to;
}

export async function startCodeServer(options: CodeServerOptions = {}): Promise<CodeServer> {
  assertCodeServerInstalled();
  const ownsState = !options.stateDir;
  const stateDir = options.stateDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'next-token-cs-'));
  const removeStateDir = options.removeStateDir ?? ownsState;
  const dirs = {
    userData: path.join(stateDir, 'user-data'),
    extensions: path.join(stateDir, 'extensions'),
    config: path.join(stateDir, 'xdg-config'),
    data: path.join(stateDir, 'xdg-data'),
    cache: path.join(stateDir, 'xdg-cache'),
    tmp: path.join(stateDir, 'tmp'),
  };
  for (const d of Object.values(dirs)) fs.mkdirSync(d, { recursive: true });
  fs.mkdirSync(path.join(dirs.userData, 'User'), { recursive: true });
  fs.writeFileSync(path.join(dirs.userData, 'User', 'settings.json'), JSON.stringify({ ...BASE_SETTINGS, ...options.settings }, null, 2));
  // An own config file, so code-server never writes ~/.config/code-server/config.yaml.
  const configFile = path.join(dirs.config, 'code-server.yaml');
  const bindAddr = `127.0.0.1:${options.port ?? 0}`;
  fs.writeFileSync(configFile, `bind-addr: ${bindAddr}\nauth: none\ncert: false\n`);

  const args = [
    CODE_SERVER_ENTRY,
    '--config', configFile,
    '--bind-addr', bindAddr,
    '--auth', 'none',
    '--user-data-dir', dirs.userData,
    '--extensions-dir', dirs.extensions,
    '--disable-telemetry',
    '--disable-update-check',
    ...(options.workspaceTrust ? [] : ['--disable-workspace-trust']),
    '--disable-getting-started-override',
    '--ignore-last-opened',
  ];
  if (options.folder) args.push(options.folder);

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    XDG_CONFIG_HOME: dirs.config,
    XDG_DATA_HOME: dirs.data,
    XDG_CACHE_HOME: dirs.cache,
    TMPDIR: dirs.tmp,
    EXTENSIONS_GALLERY: '{"serviceUrl":""}',
    ...options.env,
  };
  // Variables of an enclosing VS Code or code-server would confuse this one.
  for (const name of Object.keys(env)) {
    if (/^(VSCODE_|ELECTRON_RUN_AS_NODE$|CODE_SERVER_)/.test(name) && !options.env?.[name]) delete env[name];
  }

  try {
    for (const vsix of options.installExtensions ?? []) await installExtension(vsix, dirs, env);
  } catch (err) {
    if (removeStateDir) fs.rmSync(stateDir, { recursive: true, force: true });
    throw err;
  }

  const child: ChildProcess = spawn(process.execPath, args, { cwd: stateDir, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const pid = child.pid;
  if (pid === undefined) throw new Error('code-server did not start');
  live.set(pid, removeStateDir ? stateDir : undefined);
  installExitHooks();
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let log = '';
  let resolvePort: (port: number) => void;
  const portPromise = new Promise<number>((resolve) => (resolvePort = resolve));
  const lineReader = () => {
    let partial = '';
    return (chunk: Buffer) => {
      const text = chunk.toString();
      log += text;
      const lines = (partial + text).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        if (line.trim()) options.onLine?.(line);
        const m = /HTTP server listening on https?:\/\/127\.0\.0\.1:(\d+)\//.exec(line);
        if (m) resolvePort(Number(m[1]));
      }
    };
  };
  child.stdout!.on('data', lineReader());
  child.stderr!.on('data', lineReader());

  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopped ??= (async () => {
      await killGroup(pid, exited);
      live.delete(pid);
      if (removeStateDir) fs.rmSync(stateDir, { recursive: true, force: true, maxRetries: 3 });
    })());

  const timeoutMs = options.startTimeoutMs ?? 60_000;
  let timer: NodeJS.Timeout | undefined;
  const port = await Promise.race([
    portPromise,
    exited.then((code) => {
      throw new Error(`code-server exited (${code}) before listening:\n${log}`);
    }),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`code-server did not listen within ${timeoutMs} ms:\n${log}`)), timeoutMs);
    }),
  ]).catch(async (err) => {
    await stop();
    throw err;
  }).finally(() => clearTimeout(timer));

  const url = `http://127.0.0.1:${port}/`;
  const remote = (p: string) => `vscode-remote://127.0.0.1:${port}${p.split(path.sep).map(encodeURIComponent).join('/')}`;
  return {
    url,
    port,
    pid,
    stateDir,
    userDataDir: dirs.userData,
    extensionsDir: dirs.extensions,
    exited,
    output: () => log,
    stop,
    workbenchUrl(o: WorkbenchUrlOptions = {}) {
      const folder = o.folder ?? options.folder;
      const payload: [string, string][] = [];
      const devPath = o.extensionDevelopmentPath === undefined ? REPO_ROOT : o.extensionDevelopmentPath;
      if (devPath) payload.push(['extensionDevelopmentPath', remote(devPath)]);
      if (o.extensionTestsPath) payload.push(['extensionTestsPath', remote(o.extensionTestsPath)]);
      const query: string[] = [];
      if (folder) query.push(`folder=${encodeURIComponent(folder)}`);
      if (payload.length) query.push(`payload=${encodeURIComponent(JSON.stringify(payload))}`);
      return url + (query.length ? `?${query.join('&')}` : '');
    },
  };
}

/** `code-server --install-extension`, with the server's own folders and isolated environment. */
async function installExtension(vsix: string, dirs: { userData: string; extensions: string }, env: NodeJS.ProcessEnv): Promise<void> {
  const args = [CODE_SERVER_ENTRY, '--user-data-dir', dirs.userData, '--extensions-dir', dirs.extensions, '--install-extension', vsix];
  const { stdout, stderr } = await execFileAsync(process.execPath, args, { cwd: dirs.extensions, env, timeout: 120_000 }).catch((err: Error & { stdout?: string; stderr?: string }) => {
    throw new Error(`code-server --install-extension ${vsix} failed: ${err.message}\n${err.stdout ?? ''}${err.stderr ?? ''}`);
  });
  if (!/successfully installed/.test(stdout)) throw new Error(`code-server --install-extension ${vsix} did not install it:\n${stdout}${stderr}`);
}

/** Process groups of running code-servers, with the state folder to remove. */
const live = new Map<number, string | undefined>();
let hooksInstalled = false;

/**
 * If this process ends without stop() (Ctrl+C in `node --test`, an uncaught error, a
 * runner's timeout), still end every code-server it started: 'exit' handlers must be
 * synchronous, so SIGKILL the groups and remove their state folders.
 */
function installExitHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  process.on('exit', () => {
    for (const [pid, stateDir] of live) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // already gone
      }
      if (stateDir) fs.rmSync(stateDir, { recursive: true, force: true });
    }
    live.clear();
  });
  const codes = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 } as const;
  for (const sig of Object.keys(codes) as (keyof typeof codes)[]) {
    process.on(sig, () => {
      // Alone, do what the signal would have done: exit (and the 'exit' hook cleans up).
      // Others listening (a runner with its own graceful stop, Playwright): leave it to them.
      if (process.listenerCount(sig) === 1) process.exit(codes[sig]);
    });
  }
}

/** SIGTERM to the whole process group, SIGKILL after graceMs if anything is left. */
export async function killGroup(pid: number, exited?: Promise<unknown>, graceMs = 5000): Promise<void> {
  const signal = (sig: NodeJS.Signals) => {
    try {
      process.kill(-pid, sig);
      return true;
    } catch {
      return false; // the group is gone
    }
  };
  if (!signal('SIGTERM')) return;
  const deadline = Date.now() + graceMs;
  if (exited) await Promise.race([exited, new Promise((r) => setTimeout(r, graceMs))]);
  // The leader may be gone while children still run: wait for the whole group.
  while (Date.now() < deadline && groupAlive(pid)) await new Promise((r) => setTimeout(r, 100));
  if (groupAlive(pid)) signal('SIGKILL');
  while (groupAlive(pid) && Date.now() < deadline + 2000) await new Promise((r) => setTimeout(r, 50));
}

function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}
