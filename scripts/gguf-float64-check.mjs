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
const engine = (name) => require(path.join(root, 'out', 'src', 'engine', name));
const { readGguf } = engine('gguf.js');
const { ggufTokenizer } = engine('ggufTokenizer.js');
const { modelFromGguf } = engine('loadGguf.js');

const args = process.argv.slice(2);
const at = args.indexOf('--token');
const token = at >= 0 ? Number(args.splice(at, 2)[1]) : 17;
const file = path.resolve(args[0] ?? path.join(root, 'bench', 'gguf', 'smollm2-shape-q8_0.gguf'));

const gguf = readGguf(new Uint8Array(fs.readFileSync(file)), file);
const ours = modelFromGguf(gguf, ggufTokenizer(gguf), file);
const L = ours.info.vocabSize;
ours.predict([token]);
const oursLogits = Array.from(ours.lastLogits);

const { getLlama, LlamaLogLevel } = await import(require.resolve('node-llama-cpp', { paths: [path.join(root, 'bench'), root] }));
const llama = await getLlama({ gpu: false, build: 'never', logLevel: LlamaLogLevel.error });
const model = await llama.loadModel({ modelPath: file });
const context = await model.createContext({ contextSize: 16, threads: 1 });
const out = await context.getSequence().controlledEvaluate([[token, { generateNext: { logits: true } }]]);
const llamaLogits = new Array(L).fill(NaN);
for (const [id, v] of out[0]?.next?.logits ?? []) if (id < L) llamaLogits[id] = v;
await context.dispose();
await model.dispose();

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gguf-f64-'));
const logits = path.join(dir, 'logits.json');
fs.writeFileSync(logits, JSON.stringify({ token, ours: oursLogits, llama: llamaLogits }));
const python = process.env.PYTHON ?? 'python3';
try {
  process.stdout.write(execFileSync(python, [path.join(root, 'scripts', 'gguf_float64_reference.py'), file, logits], { encoding: 'utf8' }));
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
