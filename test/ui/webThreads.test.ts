/**
 * Two threads in a browser (issue #18): the engine's Web Worker (dist/web/engineWorker.js)
 * starts its helper (dist/web/kernelHelper.js) only on a cross-origin isolated page, the one
 * place a WebAssembly memory can be shared; there the bundled default model predicts exactly
 * what it predicts on one thread. On a page without COOP/COEP it says it runs on one thread
 * and predicts the same. Debian's Chromium, a local server, no workbench: VS Code for the
 * Web's own pages are not cross-origin isolated here, so this page stands in for one that is.
 *
 * Run: npm run test:ui   (after npm run setup:code-server once)
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { launchBrowser, saveConsole, type Browser } from '../harness/browser';
import { REPO_ROOT } from '../harness/codeServer';

const MODEL = path.join(REPO_ROOT, 'models', 'gpt-code-tiny');

/** The page's code: runs the engine worker on `threads` threads, returns what it loaded with and predicted. */
const PAGE = `<!doctype html><meta charset="utf-8"><title>threads</title><script>
window.runEngine = async (threads) => {
  const worker = new Worker('/engineWorker.js');
  const reply = (id) => new Promise((resolve) => worker.addEventListener('message', function on(e) {
    if (e.data.id === id) { worker.removeEventListener('message', on); resolve(e.data); }
  }));
  const [config, tokenizer, weights] = await Promise.all([
    fetch('/model/config.json').then((r) => r.text()),
    fetch('/model/tokenizer.json').then((r) => r.text()),
    fetch('/model/model.safetensors').then((r) => r.arrayBuffer()),
  ]);
  worker.postMessage({ type: 'load', id: 1, folder: 'gpt-code-tiny', files: { config, tokenizer, weights: new Uint8Array(weights) }, threads, helperUrl: location.origin + '/kernelHelper.js' });
  const loaded = await reply(1);
  if (loaded.type !== 'loaded') { worker.terminate(); return { error: JSON.stringify(loaded) }; }
  const text = 'export function parseHeader(line: string): string[] {\\n\\tconst parts = line.split(",");\\n\\treturn parts.map((p) => p.';
  worker.postMessage({ type: 'predict', id: 2, text, topK: 10, attention: false, contextChips: 8 });
  const predicted = await reply(2);
  worker.terminate();
  if (predicted.type !== 'prediction') return { error: JSON.stringify(predicted) };
  return { isolated: self.crossOriginIsolated, threads: loaded.threads, top: predicted.result.top, probs: Array.from(predicted.result.probs) };
};
</script>`;

interface Run {
  error?: string;
  isolated: boolean;
  threads: number;
  top: { id: number; text: string; prob: number }[];
  probs: number[];
}

describe('two threads in the browser', () => {
  let server: http.Server;
  let origin = '';
  let browser: Browser;

  before(async () => {
    const files: Record<string, string> = {
      '/engineWorker.js': path.join(REPO_ROOT, 'dist', 'web', 'engineWorker.js'),
      '/kernelHelper.js': path.join(REPO_ROOT, 'dist', 'web', 'kernelHelper.js'),
      '/model/config.json': path.join(MODEL, 'config.json'),
      '/model/tokenizer.json': path.join(MODEL, 'tokenizer.json'),
      '/model/model.safetensors': path.join(MODEL, 'model.safetensors'),
    };
    server = http.createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      // /isolated/... is served with the headers that make a page cross-origin isolated; /plain/... without.
      const [, mode, ...rest] = url.pathname.split('/');
      const file = '/' + rest.join('/');
      const headers: Record<string, string> = mode === 'isolated' ? { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' } : {};
      if (file === '/') {
        res.writeHead(200, { ...headers, 'Content-Type': 'text/html' }).end(PAGE.replaceAll("'/", `'/${mode}/`));
      } else if (files[file]) {
        res.writeHead(200, { ...headers, 'Content-Type': file.endsWith('.js') ? 'text/javascript' : 'application/octet-stream' }).end(fs.readFileSync(files[file]));
      } else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await launchBrowser();
  });

  after(async () => {
    if (browser) {
      saveConsole(browser.console, 'web-threads');
      await browser.close();
    }
    server?.close();
  });

  const run = async (mode: 'isolated' | 'plain', threads: number): Promise<Run> => {
    await browser.page.goto(`${origin}/${mode}/`);
    const result = (await browser.page.evaluate(`window.runEngine(${threads})`)) as Run;
    assert.equal(result.error, undefined, result.error);
    return result;
  };

  test('on a cross-origin isolated page the model runs on two threads and predicts the same bits as on one', async () => {
    const two = await run('isolated', 2);
    const one = await run('isolated', 1);
    assert.equal(two.isolated, true, 'the page is cross-origin isolated');
    assert.equal(two.threads, 2, 'the engine worker started its helper thread');
    assert.equal(one.threads, 1);
    assert.ok(two.top.length === 10 && two.top[0].prob > 0.05, `a real prediction: ${JSON.stringify(two.top.slice(0, 3))}`);
    assert.deepEqual(two.probs, one.probs, 'every probability identical');
  });

  test('on a page that is not isolated it runs on one thread, with the same prediction', async () => {
    const plain = await run('plain', 2);
    const isolatedOne = await run('isolated', 1);
    assert.equal(plain.isolated, false);
    assert.equal(plain.threads, 1, 'no shared memory: one thread');
    assert.deepEqual(plain.probs, isolatedOne.probs);
  });
});
