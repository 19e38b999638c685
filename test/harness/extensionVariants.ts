/**
 * The extension as users get it, for browser tests: the .vsix that `npm run package` makes,
 * and the web-only variant that VS Code for the Web runs (a manifest with `browser` but no
 * `main`, so code-server can only run it in its web worker extension host).
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT } from './codeServer';

export const EXTENSION_VERSION: string = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')).version;

/** The folder code-server makes for the installed extension inside its extensions folder. */
export function installedFolder(extensionsDir: string): string {
  return path.join(extensionsDir, `next-token.next-token-${EXTENSION_VERSION}`);
}

/**
 * Packages the repository into `file` with vsce, as `npm run package` does (its
 * vscode:prepublish step rebuilds dist/ minified, so this tests the production bundles).
 */
export function packageVsix(file: string): string {
  const vsce = path.join(REPO_ROOT, 'node_modules', '@vscode', 'vsce', 'vsce');
  execFileSync(process.execPath, [vsce, 'package', '--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links', '-o', file], { cwd: REPO_ROOT, stdio: 'pipe', timeout: 180_000 });
  return file;
}

/**
 * Writes the web-only variant into `folder`: the built web bundles, media/ and models/, and
 * package.json without `main` (and without the Node-only command line).
 */
export function writeWebOnlyVariant(folder: string): string {
  const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
  delete manifest.main;
  delete manifest.bin;
  fs.mkdirSync(folder, { recursive: true });
  fs.writeFileSync(path.join(folder, 'package.json'), JSON.stringify(manifest, null, 2));
  for (const part of ['dist/web', 'media', 'models']) fs.cpSync(path.join(REPO_ROOT, part), path.join(folder, part), { recursive: true });
  return folder;
}
