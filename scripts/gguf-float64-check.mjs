// How far our engine and llama.cpp each are from exact arithmetic on a GGUF file: the logits of
// one token (no attention to speak of, so the reference stays short) from our engine and from
// llama.cpp (node-llama-cpp, CPU), against a float64 forward pass over the same dequantised
// weights in numpy (scripts/gguf_float64_reference.py, llama.cpp's `gguf` package). On random
// weights the two engines can differ by several logits; this tells whether one of them is
// wrong or both round alike (each quantises activations to 8 bits before a product).
//
//   npx tsc -p . && node scripts/gguf-float64-check.mjs file.gguf [--token ID]
//
// Llama-architecture files (what llama.cpp's `llama` arch covers: SmolLM2 and the bench's
// random models of its shape). Prints one JSON line.
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const require = createRequire(import.meta.url);
const out = (name) => require(path.join(root, 'out', 'src', name));
const { loadModel } = out('engine');
const { readModelInput } = out('node/modelFolder.js');
// The same llama.cpp runner `bench engine` compares against (node-llama-cpp in bench/node_modules).
const { loadLlamaCpp, llamaCppRunner } = out('cli/benchLlamaCpp.js');

const args = process.argv.slice(2);
const at = args.indexOf('--token');
const token = at >= 0 ? Number(args.splice(at, 2)[1]) : 17;
const file = path.resolve(args[0] ?? path.join(root, 'bench', 'gguf', 'smollm2-shape-q8_0.gguf'));

const ours = loadModel(readModelInput(file), file);
const L = ours.info.vocabSize;
ours.predict([token]);
const oursLogits = Array.from(ours.lastLogits);

const llamaCpp = await loadLlamaCpp(root);
if (typeof llamaCpp === 'string') throw new Error(`llama.cpp: ${llamaCpp}`);
const runner = await llamaCppRunner(llamaCpp, file, [token], 1, 16, L);
const llamaLogits = Array.from(await runner.logits(1));
await runner.release();

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gguf-f64-'));
const logits = path.join(dir, 'logits.json');
fs.writeFileSync(logits, JSON.stringify({ token, ours: oursLogits, llama: llamaLogits }));
const python = process.env.PYTHON ?? 'python3';
try {
  process.stdout.write(execFileSync(python, [path.join(root, 'scripts', 'gguf_float64_reference.py'), file, logits], { encoding: 'utf8' }));
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
