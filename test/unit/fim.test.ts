/**
 * Fill-in-the-middle (issue #16): the FIM tokens a model gets from its tokenizer, the SPM
 * context completion builds (exact layout, window fitting), where generation stops (the
 * model's end of the middle, or where it meets the suffix), CRLF suffixes, models without
 * FIM unchanged, the worker's prefill and panel, and eval --infill's counting.
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import {
  CacheCounts, CachedModel, FIM_MIDDLE_SHARE, FIM_SUFFIX_SHARE, fimContextTokens, fitSuffixTokens, loadModel, suffixMeetIndex,
  type FimTokens, type LanguageModel,
} from '../../src/engine';
import { infillCases, scoreInfill } from '../../src/eval/infill';
import { isHostMessage, panelUpdate } from '../../src/panel/messages';
import { Adaptation } from '../../src/worker/adaptation';
import { PanelPrediction } from '../../src/worker/panelPrediction';
import { completeText, healedContext, type CompleteOptions } from '../../src/worker/completionEngine';
import { cutSuffix } from '../../src/worker/contextStart';
import type { WorkerResponse } from '../../src/worker/protocol';
import { WorkerCore } from '../../src/worker/workerCore';
import { loadPanelScript } from './fakeWebview';
import { FimOracle } from './fimOracle';
import { ROOT } from './helpers';
import { FIM_SPECIALS, randomGptFiles } from './randomGpt';

const GREEDY = { temperature: 0, topK: 0, topP: 1 };
const LINE: Omit<CompleteOptions, 'suffix'> = { maxTokens: 24, multiline: false, timeBudgetMs: Infinity, alternatives: 1, sampling: GREEDY };
const BLOCK = { ...LINE, multiline: true };

function fimModel(positions = 64): LanguageModel & { fim: FimTokens } {
  const model = loadModel(randomGptFiles({ fim: true, positions }));
  assert.ok(model.fim);
  return model as LanguageModel & { fim: FimTokens };
}

/** Records every context the model is asked about. */
function recording(model: LanguageModel): number[][] {
  const contexts: number[][] = [];
  const predict = model.predict.bind(model);
  (model as { predict: LanguageModel['predict'] }).predict = (tokens, options) => {
    contexts.push(tokens.slice());
    return predict(tokens, options);
  };
  return contexts;
}

test('a model has FIM tokens when its tokenizer has the three specials, found by content; the cache wrapper passes them on', () => {
  const model = fimModel();
  const tok = model.tokenizer;
  assert.deepEqual(model.fim, { prefix: tok.specialId('<|fim_prefix|>'), suffix: tok.specialId('<|fim_suffix|>'), middle: tok.specialId('<|fim_middle|>'), stop: [0] });
  // randomGptFiles puts them at the end of the vocabulary, in another order than the trained models' 1-3.
  assert.deepEqual(FIM_SPECIALS.map((s) => tok.specialId(s)), [260, 261, 262]);
  assert.equal(model.fim.suffix, 262);
  assert.equal(loadModel(randomGptFiles()).fim, undefined);
  assert.equal(new CachedModel(model, new CacheCounts(4)).fim, model.fim);
});

test('the SPM context: [fim_prefix, fim_suffix] + suffix + [fim_middle] + prefix, the prefix healed as left to right', () => {
  const model = fimModel(128);
  const { fim, tokenizer: tok } = model;
  const prefix = 'let total = sum(';
  const suffix = ');\nreturn total;\n';
  const contexts = recording(model);
  completeText(model, prefix, { ...LINE, maxTokens: 3, suffix });
  const prefixIds = tok.encode(prefix);
  assert.deepEqual(contexts[0], [fim.prefix, fim.suffix, ...tok.encode(suffix), fim.middle, ...prefixIds.slice(0, -1)], 'the last prefix token ("(") is taken back (healing)');
  const healed = healedContext(model, prefix, suffix);
  assert.equal(healed.head, prefixIds[prefixIds.length - 1]);
  assert.equal(healed.suffixTokens, tok.encode(suffix).length);
  assert.equal(healed.prefixStart, 3 + tok.encode(suffix).length);
  // Left to right, the same model reads the start token and the prefix, as always.
  assert.deepEqual(healedContext(model, prefix).context, [0, ...prefixIds.slice(0, -1)]);
  // Nothing but blanks after the cursor: left to right too.
  assert.deepEqual(healedContext(model, prefix, '\n \n').context, [0, ...prefixIds.slice(0, -1)]);
  // The markers are layout, never text: none of the generated tokens is one of them.
  for (const c of contexts) for (const id of c.slice(contexts[0].length)) assert.ok(![fim.prefix, fim.suffix, fim.middle].includes(id));
});

test('window fitting: the suffix takes at most a quarter of the window in whole lines, the prefix the rest with a stepped start', () => {
  const model = fimModel(64);
  const tok = model.tokenizer;
  const lines = Array.from({ length: 40 }, (_, i) => `  value${i} = other${i} + ${i};`);
  const prefix = lines.join('\n') + '\n  next = ';
  const suffix = '\n' + lines.join('\n') + '\n';
  const c = fimContextTokens(model, prefix, suffix);
  const budget = Math.floor(64 * FIM_SUFFIX_SHARE);
  assert.ok(c.suffixTokens > 0 && c.suffixTokens <= budget, `${c.suffixTokens} suffix tokens`);
  const suffixIds = c.tokens.slice(2, 2 + c.suffixTokens);
  assert.deepEqual(suffixIds, tok.encode(suffix).slice(0, c.suffixTokens), 'the suffix from its start');
  assert.ok(tok.tokenText(suffixIds[suffixIds.length - 1]).includes('\n'), 'cut after a line break');
  assert.ok(c.tokens.length <= 64 - Math.floor(64 * FIM_MIDDLE_SHARE), `room for the middle: ${c.tokens.length}`);
  const prefixIds = c.tokens.slice(c.prefixStart);
  assert.ok(prefixIds.length > 8);
  assert.equal(tok.decode(prefixIds), prefix.slice(prefix.length - tok.decode(prefixIds).length), 'the prefix is the text just before the cursor');
  // One more character typed: the same start, so the model's KV cache is reused.
  const typed = fimContextTokens(model, prefix + 'x', suffix);
  assert.deepEqual(typed.tokens.slice(0, c.tokens.length - 1), c.tokens.slice(0, -1));
  model.predict(c.tokens);
  assert.ok(model.predict(typed.tokens).computedTokens <= 2);
  // eval --infill --fim-window: the same layout within fewer tokens.
  const narrow = healedContext(model, prefix, suffix, 32);
  assert.ok(narrow.context.length <= 32 - 4 && narrow.suffixTokens <= 8 && narrow.context[0] === model.fim.prefix, `${narrow.context.length} tokens`);
  assert.deepEqual(healedContext(model, prefix, suffix, 1000).context, healedContext(model, prefix, suffix).context, 'never wider than the model');
  // A single line longer than the budget is cut at the budget; an empty suffix gives none.
  assert.equal(fitSuffixTokens(tok, 'a'.repeat(400), 10).length, 10);
  assert.deepEqual(fitSuffixTokens(tok, '', 10), []);
});

test('generation stops at <|endoftext|>: the middle the model wrote, nothing after it', () => {
  const base = fimModel(128);
  const prefix = 'function f(a) {\n  ';
  const middle = 'const b = a + 1;\n  return b;';
  const suffix = '\n}\n';
  const oracle = new FimOracle(base, { document: prefix + middle + suffix });
  assert.deepEqual(completeText(oracle, prefix, { ...BLOCK, maxTokens: 64, suffix }).items, [middle]);
  // Single-line: the line, stopped at its end.
  assert.deepEqual(completeText(oracle, prefix, { ...LINE, maxTokens: 64, suffix }).items, ['const b = a + 1;']);
  // The model would end the middle at once: nothing belongs at the cursor, no suggestion.
  const full = new FimOracle(base, { document: prefix + suffix });
  assert.deepEqual(completeText(full, prefix, { ...BLOCK, suffix }).items, []);
});

test('generation stops where the middle meets the suffix when the model does not end it', () => {
  const base = fimModel(128);
  const prefix = 'function f(a) {\n  ';
  const suffix = '\n}\n\nfunction g() {}\n';
  const oracle = new FimOracle(base, { document: prefix + 'return a;' + suffix, writesPastSuffix: true });
  const r = completeText(oracle, prefix, { ...BLOCK, maxTokens: 64, suffix });
  assert.deepEqual(r.items, ['return a;'], 'the "}" line it went on to write is the suffix');
  // Without the suffix (left to right) the same oracle writes on: the rule is the suffix's.
  assert.deepEqual(completeText(oracle, prefix, { ...BLOCK, maxTokens: 64 }).items, ['return a;\n}']);
  // The rule itself: complete lines after the first, the last one when generation ended.
  assert.equal(suffixMeetIndex('x;\n}\n', '\n}\n', false), 2);
  assert.equal(suffixMeetIndex('x;\n}', '\n}\n', false), -1, 'not yet: "}" may go on ("});")');
  assert.equal(suffixMeetIndex('x;\n}', '\n}\n', true), 2);
  assert.equal(suffixMeetIndex('x;\n  retu', '\n  return y;\n', true, true), 2, 'cut short while writing the suffix line');
  assert.equal(suffixMeetIndex('x;\n  retu', '\n  return y;\n', true, false), -1);
  assert.equal(suffixMeetIndex('}', '\n}\n', true), -1, 'the cursor line itself: "}" above "}" is often right');
  assert.equal(suffixMeetIndex('a\nb', '\n\n', true), -1, 'a blank suffix has nothing to meet');
});

test('a CRLF suffix is read as LF, as the prefix is', () => {
  const model = fimModel(128);
  const contexts = recording(model);
  const crlf = completeText(model, 'if (x) {\r\n  ', { ...LINE, maxTokens: 2, suffix: '\r\n}\r\nreturn y;\r\n' });
  const n = contexts.length;
  const lf = completeText(model, 'if (x) {\n  ', { ...LINE, maxTokens: 2, suffix: '\n}\nreturn y;\n' });
  assert.deepEqual(contexts[n], contexts[0]);
  assert.deepEqual(crlf.items, lf.items);
  assert.equal(crlf.suffixTokens, lf.suffixTokens);
  assert.ok(!contexts[0].some((id) => model.tokenizer.tokenText(id).includes('\r')));
  // What the host cuts: a bounded suffix ends at a line end, before the CR of a CRLF.
  assert.equal(cutSuffix('a\r\nb\r\nc', false), 'a\r\nb');
  assert.equal(cutSuffix('a\nb\nc', true), 'a\nb\nc');
  assert.equal(cutSuffix('abc', false), 'abc');
});

test('a model without FIM completes exactly as before, whatever suffix is sent', () => {
  const plain = loadModel(randomGptFiles({ positions: 64 }));
  const contexts = recording(plain);
  const prefix = 'function add(a, b) {\n  return ';
  const without = completeText(plain, prefix, { ...LINE, alternatives: 3 });
  const n = contexts.length;
  plain.reset(); // the same computed tokens: nothing cached from the first run
  const withSuffix = completeText(plain, prefix, { ...LINE, alternatives: 3, suffix: ';\n}\n' });
  assert.deepEqual(withSuffix, without);
  assert.ok(!('suffixTokens' in withSuffix));
  assert.deepEqual(contexts.slice(n), contexts.slice(0, n));
});

test('the open-file cache sees the tokens before the cursor in a FIM context, never the markers or the suffix', () => {
  const model = fimModel(128);
  const tok = model.tokenizer;
  const counts = new CacheCounts(4);
  counts.setDocument('file', tok.encode('value = other + 1;\nvalue = other + 2;\n'));
  const cached = new CachedModel(model, counts);
  const prefix = 'x;\nvalue = other';
  const fimContext = fimContextTokens(model, prefix, '\nmore();\n').tokens;
  const l2r = [0, ...tok.encode(prefix)];
  const a = cached.predict(fimContext).cache;
  const b = cached.predict(l2r).cache;
  assert.ok(a.order >= 2, 'the prefix tokens are seen in the file');
  assert.equal(a.order, b.order);
  // Right after <|fim_middle|> (nothing typed yet) the cache has no context to match.
  assert.equal(cached.predict(fimContextTokens(model, '', '\nmore();\n').tokens).cache.order, 0);
});

test('worker: the load says whether the model reads suffixes; prefill, completion and the panel use the same FIM context', async () => {
  const posted: WorkerResponse[] = [];
  const tasks: (() => void)[] = [];
  const core = new WorkerCore({ post: (m) => posted.push(m), schedule: (task) => tasks.push(task) });
  const run = async () => {
    while (tasks.length) {
      tasks.shift()!();
      await new Promise((r) => setImmediate(r));
    }
  };
  core.receive({ type: 'load', id: 1, folder: 'plain', files: randomGptFiles({ positions: 128 }) });
  await run();
  const plain = posted.find((m) => m.id === 1);
  assert.ok(plain?.type === 'loaded' && plain.fim === false);
  core.receive({ type: 'load', id: 2, folder: 'fim', files: randomGptFiles({ fim: true, positions: 128 }) });
  await run();
  const loaded = posted.find((m) => m.id === 2);
  assert.ok(loaded?.type === 'loaded' && loaded.fim === true);
  const prefix = 'function add(a, b) {\n  return a + b;\n}\n\nfunction sub(a, b) {\n  return ';
  const suffix = ';\n}\n\nexport { add, sub };\n';
  core.receive({ type: 'prefill', id: 3, prefix, suffix });
  await run();
  const prefilled = posted.find((m) => m.id === 3);
  assert.ok(prefilled?.type === 'prefilled' && prefilled.computedTokens > 20, JSON.stringify(prefilled));
  core.receive({ type: 'complete', id: 4, prefix, suffix, ...LINE, maxTokens: 2 });
  await run();
  const completed = posted.find((m) => m.id === 4);
  assert.ok(completed?.type === 'completion' && completed.computedTokens <= 3, `the FIM context was read already: ${JSON.stringify(completed)}`);
  assert.equal(completed.suffixTokens, loadModel(randomGptFiles({ fim: true })).tokenizer.encode(suffix).length);
  core.receive({ type: 'predict', id: 5, text: prefix, suffix, topK: 3, attention: false, contextChips: 8 });
  await run();
  const panel = posted.find((m) => m.id === 5);
  assert.ok(panel?.type === 'prediction');
  assert.equal(panel.result.suffixTokens, completed.suffixTokens);
  core.receive({ type: 'predict', id: 6, text: prefix, topK: 3, attention: false, contextChips: 8 });
  await run();
  const noSuffix = posted.find((m) => m.id === 6);
  assert.ok(noSuffix?.type === 'prediction' && noSuffix.result.suffixTokens === undefined);
  assert.ok(noSuffix.result.contextLength < panel.result.contextLength);
});

test('eval --infill: the lines taken out, and exact matches counted with the suffix and without it', () => {
  const text = 'a = 1;\n\nb = 2;\nc = 3;\n  d = 4;\ne = 5;\nf = 6;\n';
  const cases = infillCases(text, 3);
  assert.deepEqual(cases.map((c) => c.line), [2, 4, 6], 'non-blank lines spread over the file');
  for (const c of cases) assert.equal(c.prefix + c.middle + c.suffix, text);
  assert.deepEqual(cases[1], { line: 4, prefix: 'a = 1;\n\nb = 2;\nc = 3;\n', middle: '  d = 4;', suffix: '\ne = 5;\nf = 6;\n' });
  assert.deepEqual(infillCases(text, 100).map((c) => c.line), [0, 2, 3, 4, 5, 6]);
  assert.deepEqual(infillCases('\n \n'), []);
  // An oracle that fills every gap from the suffix, and guesses lines 2 and 4 wrong without it.
  const base = fimModel(128);
  const wrong = 'a = 1;\n\nb = 2;\nc = 9;\n  d = 4;\ne = 0;\nf = 6;\n';
  const oracle = new FimOracle(base, { document: text, leftToRight: wrong });
  assert.deepEqual(scoreInfill(oracle, text, { perFile: 100 }), { cases: 6, infill: 6, leftToRight: 4 });
  // A model without FIM: left to right only.
  const plain = loadModel(randomGptFiles({ positions: 64 }));
  const r = scoreInfill(plain, text, { perFile: 3 });
  assert.equal(r.infill, null);
  assert.equal(r.cases, 3);
});

test("the panel's status line says when the model read the text after the cursor", () => {
  const model = fimModel(128);
  const prediction = new PanelPrediction(new Adaptation());
  const update = (suffix?: string) => {
    const r = prediction.predict(model, { text: 'const x = f(', topK: 5, attention: false, contextChips: 16, ...(suffix === undefined ? {} : { suffix }) });
    return panelUpdate({ ...r, ms: 1 }, { file: 'a.ts', line: 0, character: 12 }, GREEDY);
  };
  const withSuffix = update(');\nreturn x;\n');
  assert.equal(withSuffix.suffixTokens, model.tokenizer.encode(');\nreturn x;\n').length);
  assert.ok(isHostMessage({ type: 'update', update: withSuffix }));
  const panel = loadPanelScript(path.join(ROOT, 'media', 'panel.js'));
  panel.receive({ type: 'update', update: withSuffix }, 2000);
  assert.match(panel.element('status').textContent ?? '', new RegExp(`reads ${withSuffix.suffixTokens} tokens after the cursor \\(fill-in-the-middle\\)`));
  panel.receive({ type: 'update', update: update() }, 2000);
  assert.doesNotMatch(panel.element('status').textContent ?? '', /after the cursor/);
});

test('PSM layout (published GGUF code models): [fim_prefix] + prefix + [fim_suffix] + suffix + [fim_middle], nothing healed', () => {
  const model = fimModel(128);
  const spm = model.fim;
  (model as { fim: FimTokens }).fim = { ...spm, layout: 'psm' };
  const tok = model.tokenizer;
  const prefix = 'let total = sum(';
  const suffix = ');\nreturn total;\n';
  const contexts = recording(model);
  const r = completeText(model, prefix, { ...LINE, maxTokens: 3, suffix });
  assert.deepEqual(contexts[0], [0, spm.prefix, ...tok.encode(prefix), spm.suffix, ...tok.encode(suffix), spm.middle], 'the start token, then the whole prefix: it was tokenised apart from the middle');
  assert.equal(r.suffixTokens, tok.encode(suffix).length);
  assert.equal(healedContext(model, prefix + ' ', suffix).head, undefined, 'no probe, no healing');
  assert.deepEqual(fimContextTokens(model, prefix, suffix).keep, contexts[0].length, 'the whole context stays if generation slides');
  // Left to right (nothing after the cursor) the model heals as always.
  assert.equal(healedContext(model, prefix, '').head, tok.encode(prefix).at(-1));
});

test('a GGUF model with FIM tokens reads PSM (llama.cpp infill layout) unless it is one of ours (next_token.pre_pattern)', async () => {
  const { randomGguf } = await import('./ggufModelRandom');
  const { meta } = await import('./ggufWriter');
  const ids: Array<[string, ReturnType<typeof meta.u32>]> = [
    ['tokenizer.ggml.fim_pre_token_id', meta.u32(290)], ['tokenizer.ggml.fim_suf_token_id', meta.u32(291)], ['tokenizer.ggml.fim_mid_token_id', meta.u32(292)],
  ];
  const gguf = loadModel({ gguf: randomGguf({ width: 64, layers: 1, metadata: ids }).bytes });
  assert.deepEqual(gguf.fim && { prefix: gguf.fim.prefix, suffix: gguf.fim.suffix, middle: gguf.fim.middle, layout: gguf.fim.layout }, { prefix: 290, suffix: 291, middle: 292, layout: 'psm' });
  assert.equal(loadModel({ gguf: randomGguf({ width: 64, layers: 1 }).bytes }).fim, undefined);
});
