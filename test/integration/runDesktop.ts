/**
 * `npm run test:desktop`: the same integration suites in a desktop VS Code, through
 * @vscode/test-electron. Not run in CI (there is no desktop VS Code there).
 *
 * Needs VSCODE_EXECUTABLE_PATH = the path of an installed VS Code binary
 * (e.g. /usr/share/code/code, "/Applications/Visual Studio Code.app/Contents/MacOS/Electron").
 * It never downloads a VS Code build.
 *
 * Arguments: --grep PATTERN (only matching tests).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';
import { REPO_ROOT, SAMPLE_WORKSPACE, copyFolder } from '../harness/codeServer';

async function main(): Promise<number> {
  const executable = process.env.VSCODE_EXECUTABLE_PATH;
  if (!executable || !fs.existsSync(executable)) {
    console.error('[test:desktop] set VSCODE_EXECUTABLE_PATH to an installed VS Code binary (this script downloads nothing).');
    return 2;
  }
  const argv = process.argv.slice(2);
  const g = argv.findIndex((a) => a === '--grep' || a === '-g');
  const grep = g >= 0 ? argv[g + 1] : argv.find((a) => a.startsWith('--grep='))?.slice(7);

  const state = fs.mkdtempSync(path.join(os.tmpdir(), 'next-token-desktop-'));
  try {
    const workspace = copyFolder(SAMPLE_WORKSPACE, path.join(state, 'workspace'));
    const userData = path.join(state, 'user-data');
    fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
    fs.writeFileSync(
      path.join(userData, 'User', 'settings.json'),
      JSON.stringify({ 'telemetry.telemetryLevel': 'off', 'workbench.startupEditor': 'none', 'security.workspace.trust.enabled': false, 'git.enabled': false }, null, 2),
    );
    return await runTests({
      vscodeExecutablePath: executable,
      extensionDevelopmentPath: REPO_ROOT,
      extensionTestsPath: path.join(REPO_ROOT, 'out', 'test', 'integration', 'index.js'),
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes', '--user-data-dir', userData, '--extensions-dir', path.join(state, 'extensions')],
      extensionTestsEnv: { NEXT_TOKEN_TEST: '1', ...(grep ? { NEXT_TOKEN_TEST_GREP: grep } : {}) },
    });
  } catch (err) {
    console.error(`[test:desktop] ${(err as Error).message ?? err}`);
    return 1;
  } finally {
    fs.rmSync(state, { recursive: true, force: true, maxRetries: 3 });
  }
}

main().then((code) => process.exit(code));
