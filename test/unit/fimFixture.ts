/**
 * The committed fixture test/fixtures/gpt-random-fim: a random GPT whose tokenizer has the
 * fill-in-the-middle specials, for the CLI tests and the editor's integration test (they
 * check the FIM request path, not suggestion quality). fim.test.ts checks that the folder is
 * what this writes; to write it again: `node out/test/unit/fimFixture.js`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT } from './helpers';
import { randomGptFiles } from './randomGpt';

export const FIM_FIXTURE = path.join(ROOT, 'test', 'fixtures', 'gpt-random-fim');

export function fimFixtureFiles(): { 'config.json': string; 'tokenizer.json': string; 'model.safetensors': Uint8Array } {
  const f = randomGptFiles({ fim: true, positions: 128, embd: 16, seed: 16 });
  const config = { ...JSON.parse(f.config), id: 'gpt-random-fim', display_name: 'Random GPT with FIM tokens', description: 'random weights, fill-in-the-middle specials (test/unit/fimFixture.ts)' };
  return { 'config.json': JSON.stringify(config, null, 1) + '\n', 'tokenizer.json': f.tokenizer, 'model.safetensors': f.weights };
}

if (require.main === module) {
  fs.mkdirSync(FIM_FIXTURE, { recursive: true });
  for (const [name, data] of Object.entries(fimFixtureFiles())) fs.writeFileSync(path.join(FIM_FIXTURE, name), data);
  console.log(`wrote ${FIM_FIXTURE}`);
}
