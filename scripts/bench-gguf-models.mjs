// The GGUF models `npm run bench` measures against llama.cpp: random weights in the shape of
// SmolLM2-135M (llama architecture, 30 layers, width 576, 9 query heads over 3 key/value
// heads, feed-forward 1536, 49,152 tokens, embedding tied to the output), in Q8_0 and in the
// mix llama.cpp's Q4_K_M gives that shape. A k-quant needs rows that are whole 256-value
// blocks, and 576 is not (1536 is): llama.cpp then falls back, Q4_K to Q5_0 and Q6_K to Q8_0,
// so the matrices that read the 576-wide stream are Q5_0 (attn_q, attn_k, attn_output,
// ffn_gate, ffn_up), attn_v and the token embedding (also the output layer) Q8_0, and only
// ffn_down, which reads the 1536-wide one, is a k-quant (Q6_K, the "more bits" of Q4_K_M).
// Speed does not depend on the values, so no weights are downloaded; the window is 256
// tokens, the prefill length the speed issue's targets name. Written once into bench/gguf/
// (git-ignored) by the test suite's seeded GGUF writer (out/test/unit, from `npx tsc -p .`).
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
  // (An earlier version of this script wrote smollm2-shape-q4_k_m.gguf with k-quant rows of 576, which no reader accepts.)
  { name: 'smollm2-shape-q4_k_m-v2.gguf', type: GgmlType.Q5_0, embeddingType: GgmlType.Q8_0, typeOf: { attn_v: GgmlType.Q8_0, ffn_down: GgmlType.Q6_K } },
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
