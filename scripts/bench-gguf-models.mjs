// The GGUF models `npm run bench` measures against llama.cpp: random weights in the shape of
// SmolLM2-135M (llama architecture, 30 layers, width 576, 9 query heads over 3 key/value
// heads, feed-forward 1536, 49,152 tokens, embedding tied to the output), in Q8_0 and in a
// Q4_K_M-like mix (Q4_K, with Q6_K for attn_v, ffn_down and the token embedding, which is
// also the output layer, as llama.cpp's Q4_K_M keeps those at more bits). Speed does not
// depend on the values, so no weights are downloaded; the window is 256 tokens, the prefill
// length the speed issue's targets name. Written once into bench/gguf/ (git-ignored) by the
// test suite's seeded GGUF writer (out/test/unit, from `npx tsc -p .`).
//
//   node scripts/bench-gguf-models.mjs      prints the files' paths, one per line
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const require = createRequire(import.meta.url);
const { randomGguf } = require(path.join(root, 'out', 'test', 'unit', 'ggufModelRandom.js'));
const { GgmlType } = require(path.join(root, 'out', 'src', 'engine', 'quant.js'));

const SHAPE = { architecture: 'llama', vocab: 49152, width: 576, layers: 30, heads: 9, kvHeads: 3, ffn: 1536, context: 256, seed: 135 };
const MODELS = [
  { name: 'smollm2-shape-q8_0.gguf', type: GgmlType.Q8_0 },
  { name: 'smollm2-shape-q4_k_m.gguf', type: GgmlType.Q4_K, embeddingType: GgmlType.Q6_K, typeOf: { attn_v: GgmlType.Q6_K, ffn_down: GgmlType.Q6_K } },
];

const dir = path.join(root, 'bench', 'gguf');
fs.mkdirSync(dir, { recursive: true });
for (const { name, ...types } of MODELS) {
  const file = path.join(dir, name);
  if (!fs.existsSync(file)) {
    const { bytes } = randomGguf({ ...SHAPE, ...types });
    fs.writeFileSync(`${file}.tmp`, bytes);
    fs.renameSync(`${file}.tmp`, file);
    console.error(`bench: wrote ${path.relative(root, file)} (${(bytes.length / 2 ** 20).toFixed(0)} MB)`);
  }
  console.log(file);
}
