#!/usr/bin/env node
// `npm start`: try the extension in the real VS Code (code-server) in your browser.
//
//   1. builds the extension (node esbuild.mjs);
//   2. installs code-server into .vscode-test/code-server/ if it is not there
//      (scripts/setup-code-server.sh);
//   3. starts code-server on 127.0.0.1 with fresh settings/user data/extensions under
//      .vscode-test/start/ (wiped at each start), on sample-workspace/;
//   4. prints the URL to open: it loads THIS folder's extension in development mode (URL
//      payload extensionDevelopmentPath), so after `npm run build` a "Developer: Reload
//      Window" picks up the change;
//   5. Ctrl+C stops code-server and everything it started (its process group).
//
// Options (after `npm start --`): --port N (default: a free port), --folder DIR (default
// sample-workspace/), --no-build, --verbose (print code-server's log).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const startDir = path.join(root, '.vscode-test', 'start');
const entry = path.join(root, '.vscode-test', 'code-server', 'node_modules', 'code-server', 'out', 'node', 'entry.js');

function parseArgs(argv) {
  const args = { port: 0, folder: path.join(root, 'sample-workspace'), build: true, verbose: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--port') args.port = Number(argv[++i]);
    else if (a === '--folder') args.folder = path.resolve(argv[++i]);
    else if (a === '--no-build') args.build = false;
    else if (a === '--verbose') args.verbose = true;
    else {
      console.error(`unknown option ${a}; options: --port N, --folder DIR, --no-build, --verbose`);
      process.exit(2);
    }
  }
  if (!Number.isInteger(args.port) || args.port < 0 || args.port > 65535) {
    console.error('--port wants a number from 0 to 65535');
    process.exit(2);
  }
  return args;
}

function run(command, argv) {
  const r = spawnSync(command, argv, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`[start] ${command} ${argv.join(' ')} failed (${r.status ?? r.signal})`);
    process.exit(1);
  }
}

const args = parseArgs(process.argv.slice(2));
const t0 = Date.now();

if (args.build) {
  console.log('[start] building the extension (node esbuild.mjs)');
  run(process.execPath, ['esbuild.mjs']);
}
if (!fs.existsSync(path.join(root, 'dist', 'extension.js'))) {
  console.error('[start] dist/extension.js is missing: the build did not produce it');
  process.exit(1);
}
if (!fs.existsSync(entry)) {
  console.log('[start] code-server is not installed yet: running scripts/setup-code-server.sh');
  run('bash', [path.join(root, 'scripts', 'setup-code-server.sh')]);
}

// The same launcher the tests use (test/harness/codeServer.ts), transpiled on the fly
// (esbuild, milliseconds) so that `npm start` does not need a full `tsc` first.
fs.rmSync(startDir, { recursive: true, force: true });
fs.mkdirSync(startDir, { recursive: true });
const harness = path.join(startDir, 'codeServer.cjs');
await esbuild.build({
  entryPoints: [path.join(root, 'test', 'harness', 'codeServer.ts')],
  outfile: harness,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  logLevel: 'warning',
});
const { startCodeServer } = createRequire(import.meta.url)(harness);

let stopping = false;
const server = await startCodeServer({
  stateDir: path.join(startDir, 'state'),
  removeStateDir: false,
  folder: args.folder,
  port: args.port,
  onLine: (line) => {
    if (args.verbose || (!stopping && /\berror\b/i.test(line))) console.log(`[code-server] ${line}`);
  },
}).catch((err) => {
  console.error(`[start] ${err.message}`);
  process.exit(1);
});

async function stop(signal) {
  if (stopping) return;
  stopping = true;
  console.log(`\n[start] ${signal}: stopping code-server (pid ${server.pid} and its process group)`);
  await server.stop();
  process.exit(0);
}
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => void stop(sig));
server.exited.then((code) => {
  if (stopping) return;
  console.error(`[start] code-server exited by itself (${code})`);
  process.exit(code ?? 1);
});

console.log(`[start] code-server ${server.url} (pid ${server.pid}) ready after ${((Date.now() - t0) / 1000).toFixed(1)} s`);
console.log(`[start] state (settings, logs): ${path.relative(root, path.join(startDir, 'state'))}/`);
console.log('');
console.log('  Open this URL in a browser on this machine (the extension loads from this folder):');
console.log('');
console.log(`  ${server.workbenchUrl({ folder: args.folder })}`);
console.log('');
console.log('  After `npm run build`, run "Developer: Reload Window" to pick up the change. Ctrl+C stops.');
