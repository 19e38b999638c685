// Next Token never talks to the network: the shipped bundles contain no network client.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { ROOT } from './helpers';

const BUNDLES = ['dist/extension.js', 'dist/engineWorker.js', 'dist/cli.js', 'dist/web/extension.js', 'dist/web/engineWorker.js', 'media/panel.js'];
const NETWORK = [
  /require\(["'](node:)?(http|https|http2|net|tls|dgram|dns)["']\)/,
  /from\s+["'](node:)?(http|https|http2|net|tls|dgram|dns)["']/,
  /\bfetch\s*\(/,
  /\bnew\s+WebSocket\b/,
  /\bXMLHttpRequest\b/,
  /\bEventSource\b/,
  /\bnavigator\.sendBeacon\b/,
];

test('the bundles contain no network client code', () => {
  for (const bundle of BUNDLES) {
    const file = path.join(ROOT, bundle);
    assert.ok(fs.existsSync(file), `${bundle} is built (npm run build)`);
    const source = fs.readFileSync(file, 'utf8');
    for (const pattern of NETWORK) assert.doesNotMatch(source, pattern, `${bundle} matches ${pattern}`);
  }
});
