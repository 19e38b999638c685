// The probability panel's messages, fuzzed both ways. Thousands of mutated messages go
//  - from the extension into the real panel script (media/panel.js, on a fake DOM): each is
//    either dropped by validation or drawn, never thrown on, never left spinning;
//  - from the webview to the extension's parser: each is ignored or becomes exactly one
//    well-formed, in-range request with no extra fields.
// Prints how many cases ran and how they ended.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { loadModel, Rng, type ModelFiles } from '../../src/engine';
import { isHostMessage, panelUpdate, parsePanelMessage, type HostToPanel, type PanelUpdate } from '../../src/panel/messages';
import { Adaptation } from '../../src/worker/adaptation';
import { PanelPrediction } from '../../src/worker/panelPrediction';
import { loadPanelScript } from './fakeWebview';
import { ROOT } from './helpers';
import { randomGptFiles } from './randomGpt';

const CASE_TIMEOUT_MS = 2000;

/** An update as the extension builds it (panelUpdate, as probabilityPanel.ts calls it), from a real model. */
function realUpdate(files: ModelFiles, name: string, text: string): PanelUpdate {
  const model = loadModel(files, name);
  // Every section open: the fuzzer mutates their numbers too.
  const sections = {
    embedding: true, layers: true, vector: true, ...(model.info.kind === 'transformer' ? { attention: { layer: 1, head: 2 } } : {}),
    suggestion: { maxTokens: 6, multiline: false, sampling: { temperature: 0, topK: 0, topP: 1 }, alternatives: 4 },
  };
  const r = new PanelPrediction(new Adaptation()).predict(model, { text, topK: 20, attention: model.info.kind === 'transformer', contextChips: 48, sections });
  r.ms = 1.5;
  return panelUpdate(r, { file: 'src/a.ts', line: 3, character: 7 }, { temperature: 0.7, topK: 5, topP: 0.9 });
}

function baseHostMessages(): HostToPanel[] {
  const gpt = randomGptFiles({ embd: 16, positions: 32 });
  const toyDir = path.join(ROOT, 'models', 'toy-dogspeak');
  const toy: ModelFiles = {
    config: fs.readFileSync(path.join(toyDir, 'config.json'), 'utf8'),
    tokenizer: fs.readFileSync(path.join(toyDir, 'tokenizer.json'), 'utf8'),
    weights: new Uint8Array(fs.readFileSync(path.join(toyDir, 'model.safetensors'))),
  };
  const g = realUpdate(gpt, 'gpt-random', 'function f(x) { return x * 2; }');
  const t = realUpdate(toy, 'toy-dogspeak', '我 刚才 跑步,我 现在');
  return [
    { type: 'update', update: g },
    { type: 'update', update: t },
    { type: 'vocabulary', modelId: g.model.id, tokens: Array.from({ length: g.model.vocabSize }, (_, i) => `t${i}`) },
    { type: 'status', text: 'Loading…' },
  ];
}

/** Values a hostile or buggy sender could put anywhere (all structured-clonable). */
const ODD: unknown[] = [
  undefined, null, true, false, 0, -1, 1.5, -0, NaN, Infinity, -Infinity, 2 ** 31, 2 ** 53, 1e300, -1e300,
  '', 'x', 'update', '__proto__', 'a'.repeat(10_000), '\u0000\ud800', [], [null], [1, 'a'], {}, { type: 'status' },
  new Float32Array(0), new Float32Array(3).fill(NaN), new Float64Array(4), new Uint8Array(8), [new Float32Array(2)],
];

function pick<T>(rng: Rng, xs: readonly T[]): T {
  return xs[Math.floor(rng.next() * xs.length)];
}

/** Containers inside a value (objects, arrays), with the keys one may change. */
function containers(value: unknown, out: Array<Record<string, unknown> | unknown[]> = [], depth = 0): Array<Record<string, unknown> | unknown[]> {
  if (depth > 6 || typeof value !== 'object' || value === null || ArrayBuffer.isView(value)) return out;
  out.push(value as Record<string, unknown>);
  const items = Array.isArray(value) ? Array.from({ length: Math.min(8, value.length) }, (_, i) => value[i]) : Object.values(value);
  for (const v of items) containers(v, out, depth + 1);
  return out;
}

/** One to four mutations at random places: delete, replace by an odd value, resize, retag. */
function mutate(message: unknown, rng: Rng): unknown {
  if (rng.next() < 0.05) return pick(rng, ODD); // not even an object
  const m = structuredClone(message);
  for (let n = 1 + Math.floor(rng.next() * 4); n > 0; n--) {
    const all = containers(m);
    const c = pick(rng, all) as Record<string, unknown>;
    const keys = Object.keys(c);
    const key = keys.length > 0 && rng.next() < 0.9 ? pick(rng, keys) : pick(rng, ['extra', '__proto__', 'constructor']);
    // An own property even for "__proto__" (as JSON.parse or structured clone would make it).
    const set = (v: unknown) => Object.defineProperty(c, key, { value: v, writable: true, enumerable: true, configurable: true });
    const op = Math.floor(rng.next() * 6);
    if (op === 0) delete c[key];
    else if (op === 1 || op === 2) set(pick(rng, ODD));
    else if (op === 3 && Array.isArray(c[key])) (c[key] as unknown[]).length = Math.floor(rng.next() * (c[key] as unknown[]).length);
    else if (op === 3 && c[key] instanceof Float32Array) set((c[key] as Float32Array).slice(0, Math.floor(rng.next() * (c[key] as Float32Array).length)));
    else if (op === 4 && typeof c[key] === 'number') set(pick(rng, [-(c[key] as number), (c[key] as number) * 1e6, (c[key] as number) + 0.5, 0]));
    else (m as Record<string, unknown>).type = pick(rng, ['update', 'vocabulary', 'status', 'insert', 'ready', 'UPDATE', '', undefined]);
  }
  return m;
}

function count(outcomes: Record<string, number>, key: string): void {
  outcomes[key] = (outcomes[key] ?? 0) + 1;
}

test('the panel script drops or draws every mutated extension message, never throws or hangs', () => {
  const script = path.join(ROOT, 'media', 'panel.js');
  assert.ok(fs.existsSync(script), 'media/panel.js is built (npm run build)');
  const bases = baseHostMessages();
  for (const b of bases) assert.ok(isHostMessage(b), `a real ${b.type} message is accepted`);
  const panel = loadPanelScript(script);
  assert.deepEqual(panel.posted, [{ type: 'sections', open: ['tokens', 'vector'], layer: 0, head: 0 }, { type: 'ready' }], 'the script said which sections are open and announced itself');
  // The real messages draw: the fake DOM and the script agree on what a panel is.
  for (const b of bases) panel.receive(structuredClone(b), CASE_TIMEOUT_MS);
  assert.ok(panel.rendered() && panel.element('top').children.length > 0, 'a real update draws the top candidates');
  const g = bases[0].type === 'update' ? bases[0].update : undefined;
  assert.ok(g?.inspection?.attention && g.inspection.embedding && g.inspection.lens && g.suggestion, 'the GPT update carries every section');

  const rng = new Rng(91);
  const outcomes: Record<string, number> = {};
  const cases = 6000;
  let slowest = 0;
  for (let i = 0; i < cases; i++) {
    const message = mutate(pick(rng, bases), rng);
    const accepted = isHostMessage(message);
    const started = performance.now();
    try {
      // The browser hands the script a structured clone; so does this test.
      panel.receive(structuredClone(message), CASE_TIMEOUT_MS);
    } catch (e) {
      const hang = (e as { code?: string })?.code === 'ERR_SCRIPT_EXECUTION_TIMEOUT';
      assert.fail(`case ${i}: the panel ${hang ? "did not finish" : "threw"} on ${JSON.stringify(message)?.slice(0, 1500)}: ${(e as Error)?.stack}`);
    }
    slowest = Math.max(slowest, performance.now() - started);
    count(outcomes, accepted ? `drawn ${(message as HostToPanel).type}` : 'dropped');
  }
  console.log(`fuzz extension->panel messages: ${cases} cases, slowest ${slowest.toFixed(1)} ms: ${JSON.stringify(outcomes)}`);
  assert.ok(outcomes.dropped > cases / 4 && (outcomes['drawn update'] ?? 0) > 50, 'the mutations reach both sides of the validation');
});

test('the panel script only ever posts messages the extension accepts', () => {
  const panel = loadPanelScript(path.join(ROOT, 'media', 'panel.js'));
  const [update] = baseHostMessages();
  panel.receive(update, CASE_TIMEOUT_MS);
  const rng = new Rng(92);
  const inputs = ['0', '1', '2', '2.5', '-1', '', 'abc', '1e9', 'NaN', '0.5', '40', ' 3 ', 'Infinity'];
  for (let i = 0; i < 500; i++) {
    // A person typing into the sampling fields, and clicking candidates.
    for (const key of ['temperature', 'topK', 'topP']) panel.element(key).value = pick(rng, inputs);
    panel.element(pick(rng, ['temperature', 'topK', 'topP'])).dispatch('change');
    const rows = panel.element('top').children;
    if (rows.length > 0) pick(rng, rows).children[0].dispatch('click');
  }
  const kinds: Record<string, number> = {};
  for (const m of panel.posted) {
    const parsed = parsePanelMessage(m);
    assert.ok(parsed, `the extension accepts what the panel sent: ${JSON.stringify(m)}`);
    count(kinds, parsed.type);
  }
  console.log(`panel->extension messages posted by the script: ${panel.posted.length}: ${JSON.stringify(kinds)}`);
  assert.ok((kinds.setSampling ?? 0) > 0 && (kinds.insert ?? 0) > 0, 'both kinds of user message were posted');
});

test('the extension ignores or strictly parses every mutated webview message', () => {
  const bases: unknown[] = [
    { type: 'ready' },
    { type: 'insert', text: ' return' },
    { type: 'setSampling', temperature: 0.7, topK: 40, topP: 0.95 },
    { type: 'sections', open: ['tokens', 'attention', 'suggestion'], layer: 2, head: 1 },
    { type: 'branch', step: 1, token: 42 },
  ];
  const rng = new Rng(93);
  const outcomes: Record<string, number> = {};
  const cases = 6000;
  let slowest = 0;
  for (let i = 0; i < cases; i++) {
    const message = mutate(pick(rng, bases), rng);
    const started = performance.now();
    const parsed = parsePanelMessage(structuredClone(message));
    slowest = Math.max(slowest, performance.now() - started);
    if (!parsed) {
      count(outcomes, 'ignored');
      continue;
    }
    count(outcomes, parsed.type);
    // Exactly the fields of its kind, each in range: nothing else from the webview gets through.
    if (parsed.type === 'ready') assert.deepEqual(Object.keys(parsed), ['type']);
    if (parsed.type === 'insert') {
      assert.deepEqual(Object.keys(parsed), ['type', 'text']);
      assert.ok(typeof parsed.text === 'string' && parsed.text.length >= 1 && parsed.text.length <= 1000);
    }
    if (parsed.type === 'sections') {
      assert.deepEqual(Object.keys(parsed), ['type', 'open', 'layer', 'head']);
      assert.ok(parsed.open.every((x) => ['tokens', 'embedding', 'attention', 'layers', 'vector', 'suggestion'].includes(x)) && new Set(parsed.open).size === parsed.open.length);
      assert.ok(Number.isInteger(parsed.layer) && parsed.layer >= 0 && Number.isInteger(parsed.head) && parsed.head >= 0);
    }
    if (parsed.type === 'branch') {
      assert.deepEqual(Object.keys(parsed), ['type', 'step', 'token']);
      assert.ok(Number.isInteger(parsed.step) && parsed.step >= 0 && Number.isInteger(parsed.token) && parsed.token >= 0);
    }
    if (parsed.type === 'setSampling') {
      assert.deepEqual(Object.keys(parsed), ['type', 'temperature', 'topK', 'topP']);
      assert.ok(parsed.temperature >= 0 && parsed.temperature <= 2, `temperature ${parsed.temperature}`);
      assert.ok(Number.isInteger(parsed.topK) && parsed.topK >= 0, `topK ${parsed.topK}`);
      assert.ok(parsed.topP > 0 && parsed.topP <= 1, `topP ${parsed.topP}`);
    }
  }
  console.log(`fuzz webview->extension messages: ${cases} cases, slowest ${slowest.toFixed(2)} ms: ${JSON.stringify(outcomes)}`);
  assert.ok(outcomes.ignored > cases / 4 && outcomes.setSampling > 20 && outcomes.insert > 20 && outcomes.sections > 10 && outcomes.branch > 10, 'the mutations reach both sides of the validation');
});
