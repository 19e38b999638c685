// Bundles every runtime entry point. `--production` minifies (source maps stay outside
// the package); `--watch` rebuilds on change.
import * as esbuild from 'esbuild';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** @type {import('esbuild').BuildOptions} */
const common = {
  bundle: true,
  platform: 'node',
  target: 'node18',
  format: 'cjs',
  sourcemap: production ? 'external' : 'linked',
  minify: production,
  logLevel: 'warning',
};

const builds = [
  // The extension host entry: `vscode` is provided by the host at run time.
  { ...common, entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] },
  // The engine worker: runs the model off the extension host's main thread.
  { ...common, entryPoints: ['src/worker/engineWorker.ts'], outfile: 'dist/engineWorker.js' },
  // Its helper thread (nextToken.threads = 2): runs part of each large matrix product.
  { ...common, entryPoints: ['src/worker/kernelHelper.ts'], outfile: 'dist/kernelHelper.js' },
  // The command line (`next-token`).
  { ...common, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
  // VS Code for the Web: the same extension as a webworker bundle, with its engine in a Web Worker.
  { ...common, platform: 'browser', format: 'cjs', target: 'es2022', entryPoints: ['src/extension.browser.ts'], outfile: 'dist/web/extension.js', external: ['vscode'] },
  { ...common, platform: 'browser', format: 'iife', target: 'es2022', entryPoints: ['src/worker/engineWorker.web.ts'], outfile: 'dist/web/engineWorker.js' },
  { ...common, platform: 'browser', format: 'iife', target: 'es2022', entryPoints: ['src/worker/kernelHelper.web.ts'], outfile: 'dist/web/kernelHelper.js' },
  // The probability panel's script, loaded by the webview from media/.
  { ...common, platform: 'browser', format: 'iife', target: 'es2022', entryPoints: ['src/webview/panel.ts'], outfile: 'media/panel.js' },
];

if (watch) {
  for (const options of builds) await (await esbuild.context(options)).watch();
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
}
