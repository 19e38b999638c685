/**
 * Our own gpt-code-tiny exported to GGUF by training/export_gguf.py (llama.cpp's `gguf`
 * package): in our engine it predicts what its safetensors folder predicts, and llama.cpp
 * reads the same file to the same probabilities and greedy continuation.
 *
 * Tolerances, max |dp| over the vocabulary and positions (measured in brackets):
 *   GGUF in our engine vs the folder:  F32 1e-5 [7e-6], F16 3e-3 [8e-4], Q8_0 5e-2 [2.4e-2]
 *   (F16 and Q8_0 round the weights themselves, and the activations as llama.cpp does)
 *   llama.cpp vs our engine, same file:  F32 2e-3 [2.6e-4], F16 2e-3 [9e-4], Q8_0 3e-2 [1.2e-2];
 *   greedy tokens identical (Q8_0: unless our two candidates are within the tolerance).
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import type { Token } from 'node-llama-cpp';
import { readGguf } from '../../src/engine/gguf';
import { ggufTokenizer } from '../../src/engine/ggufTokenizer';
import { modelFromGguf } from '../../src/engine/loadGguf';
import { loadModelFolder } from '../../src/node/modelFolder';
import { llamaCpp } from './ggufFixtures';
import { ROOT } from './helpers';

const FOLDER = path.join(ROOT, 'models', 'gpt-code-tiny');
const PROMPTS = ['import { readFile } from "node:fs";\n\nexport function load(path: string) {\n  const text = ', 'def main():\n    for i in range(10):\n        print('];
const GREEDY = 16;

/** A python that has numpy and gguf (pyenv's python3 here; CI's set-up installs it), or why not. */
function gguPython(): { python: string } | { skip: string } {
  for (const python of ['python3', '/usr/bin/python3']) {
    const r = spawnSync(python, ['-c', 'import gguf, numpy'], { stdio: 'ignore' });
    if (r.status === 0) return { python };
  }
  const reason = 'no python with the gguf package: pip install gguf (scripts/setup-gguf-python.sh)';
  if (process.env.CI === 'true') throw new Error(reason);
  console.log(`skipping: ${reason}`);
  return { skip: reason };
}

const found = gguPython();
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gguf-export-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

function argmax(p: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < p.length; i++) if (p[i] > p[best]) best = i;
  return best;
}

function softmax(logits: Map<number, number>, vocab: number): Float64Array {
  const p = new Float64Array(vocab);
  let max = -Infinity;
  for (const v of logits.values()) max = Math.max(max, v);
  let sum = 0;
  for (const [k, v] of logits) sum += p[k] = Math.exp(v - max);
  for (let k = 0; k < vocab; k++) p[k] /= sum;
  return p;
}

const TYPES = [
  { type: 'f32', vsFolder: 1e-5, vsLlama: 2e-3, tiesMayDiffer: false },
  { type: 'f16', vsFolder: 3e-3, vsLlama: 2e-3, tiesMayDiffer: false },
  { type: 'q8_0', vsFolder: 5e-2, vsLlama: 3e-2, tiesMayDiffer: true },
] as const;

for (const t of TYPES) {
  test(`gpt-code-tiny exported as ${t.type.toUpperCase()} GGUF: the folder's predictions in our engine, and llama.cpp's on the same file`, { skip: 'skip' in found ? found.skip : undefined, timeout: 120_000 }, async () => {
    const file = path.join(dir, `gpt-code-tiny-${t.type}.gguf`);
    execFileSync((found as { python: string }).python, [path.join(ROOT, 'training', 'export_gguf.py'), FOLDER, file, '--type', t.type], { stdio: 'pipe' });
    const bytes = new Uint8Array(fs.readFileSync(file));
    const gguf = readGguf(bytes, file);
    const model = modelFromGguf(gguf, ggufTokenizer(gguf), file, { fileBytes: bytes.length });
    const folder = loadModelFolder(FOLDER);
    assert.equal(model.info.gguf?.architecture, 'gpt2');
    assert.equal(model.info.gguf?.fileType, t.type.toUpperCase());
    assert.equal(model.bosTokenId, folder.bosTokenId);
    assert.equal(model.info.contextLength, folder.info.contextLength);
    assert.equal(model.info.parameters, folder.info.parameters);

    const llama = await llamaCpp();
    const reference = await llama.loadModel({ modelPath: file });
    try {
      const context = await reference.createContext({ contextSize: 256, threads: 1, flashAttention: false, experimentalKvCacheKeyType: 'F32', experimentalKvCacheValueType: 'F32' });
      const sequence = context.getSequence();
      const L = model.info.vocabSize;
      for (const prompt of PROMPTS) {
        const ids = [model.bosTokenId!, ...model.tokenizer.encode(prompt)];
        assert.deepEqual(ids, [folder.bosTokenId!, ...folder.tokenizer.encode(prompt)], 'the GGUF tokenizer (next_token.pre_pattern) splits as the folder does');
        // Every position: GGUF in our engine against the folder.
        let worstFolder = 0;
        for (let n = 1; n <= ids.length; n++) {
          const a = Float32Array.from(model.predict(ids.slice(0, n)).probs);
          const b = folder.predict(ids.slice(0, n)).probs;
          for (let k = 0; k < L; k++) worstFolder = Math.max(worstFolder, Math.abs(a[k] - b[k]));
        }
        assert.ok(worstFolder <= t.vsFolder, `${t.type} vs folder: max |dp| ${worstFolder}`);
        // The prompt then a greedy continuation: llama.cpp against our engine on the same file.
        const out = await sequence.controlledEvaluate(ids.map((id, i) => (i === ids.length - 1 ? [id as Token, { generateNext: { logits: true } }] : (id as Token))));
        let theirs = softmax(out[ids.length - 1]!.next.logits!, L);
        const tokens: number[] = [...ids];
        let worstLlama = 0;
        let same = 0;
        for (let step = 0; step < GREEDY; step++) {
          const p = model.predict(tokens).probs;
          for (let k = 0; k < L; k++) worstLlama = Math.max(worstLlama, Math.abs(p[k] - theirs[k]));
          const ours = argmax(p);
          const next = argmax(theirs);
          if (ours === next) same++;
          else assert.ok(t.tiesMayDiffer && p[ours] - p[next] <= t.vsLlama, `step ${step}: ours ${ours} (${p[ours]}) vs llama.cpp ${next} (${p[next]})`);
          tokens.push(next);
          if (step < GREEDY - 1) theirs = softmax((await sequence.controlledEvaluate([[next as Token, { generateNext: { logits: true } }]]))[0]!.next.logits!, L);
        }
        assert.ok(worstLlama <= t.vsLlama, `${t.type} vs llama.cpp: max |dp| ${worstLlama}`);
        console.log(`${t.type}: vs folder ${worstFolder.toExponential(1)}, vs llama.cpp ${worstLlama.toExponential(1)}, greedy ${same}/${GREEDY} identical: ${JSON.stringify(model.tokenizer.decode(tokens.slice(ids.length)))}`);
        await sequence.clearHistory();
      }
      await context.dispose();
    } finally {
      await reference.dispose();
    }
  });
}

test('a FIM model exported to GGUF keeps its fill-in-the-middle tokens, its SPM layout and its predictions', { skip: 'skip' in found ? found.skip : undefined }, () => {
  const source = path.join(ROOT, 'test', 'fixtures', 'gpt-random-fim');
  const file = path.join(dir, 'gpt-random-fim.gguf');
  execFileSync((found as { python: string }).python, [path.join(ROOT, 'training', 'export_gguf.py'), source, file], { stdio: 'pipe' });
  const bytes = new Uint8Array(fs.readFileSync(file));
  const gguf = readGguf(bytes, file);
  const model = modelFromGguf(gguf, ggufTokenizer(gguf), file);
  const folder = loadModelFolder(source);
  assert.ok(folder.fim, 'the fixture has FIM tokens');
  assert.deepEqual({ ...model.fim, layout: undefined }, { ...folder.fim, layout: undefined });
  assert.notEqual(model.fim!.layout, 'psm', 'our own models read suffix-prefix-middle');
  const ids = [folder.fim!.prefix, folder.fim!.suffix, ...folder.tokenizer.encode('  return y\n'), folder.fim!.middle, ...folder.tokenizer.encode('def f(x):\n')];
  const a = Float32Array.from(model.predict(ids).probs);
  const b = folder.predict(ids).probs;
  let worst = 0;
  for (let k = 0; k < a.length; k++) worst = Math.max(worst, Math.abs(a[k] - b[k]));
  assert.ok(worst <= 1e-5, `max |dp| ${worst}`);
});
