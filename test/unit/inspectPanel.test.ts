/**
 * The panel's worker side: it shows the vector ghost text used (token healing, the suffix,
 * the caches), computes a section only when it is open, and explains the ghost text token by
 * token, branching where the user picks an alternative.
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import { CacheCounts, CachedModel, GREEDY, loadModel, type LanguageModel } from '../../src/engine';
import { panelUpdate } from '../../src/panel/messages';
import { Adaptation } from '../../src/worker/adaptation';
import { completeText, healedContext } from '../../src/worker/completionEngine';
import { PanelPrediction } from '../../src/worker/panelPrediction';
import { explainSuggestion, healedVector, healingMask } from '../../src/worker/panelSuggestion';
import type { PanelSections } from '../../src/worker/protocol';
import { loadPanelScript } from './fakeWebview';
import { ROOT } from './helpers';
import { randomGptFiles } from './randomGpt';

const SUGGEST = { maxTokens: 6, multiline: false, sampling: GREEDY, alternatives: 4 };
const ALL: PanelSections = { embedding: true, attention: { layer: 1, head: 3 }, layers: true, vector: true, suggestion: SUGGEST };

function panel(model: LanguageModel, text: string, sections?: PanelSections, suffix?: string) {
  return new PanelPrediction(new Adaptation()).predict(model, { text, topK: 10, attention: true, contextChips: 48, ...(sections ? { sections } : {}), ...(suffix ? { suffix } : {}) });
}

test('inside a word the panel shows the healed vector ghost text used, and says so', () => {
  const model = loadModel(randomGptFiles({ positions: 64, seed: 5 }));
  const text = 'the theer there the';
  const healed = healedContext(model, text);
  assert.ok(healed.head !== undefined, 'the last token is taken back');
  const headText = model.tokenizer.tokenText(healed.head!);
  assert.equal(headText, 'he');
  const r = panel(model, text);
  assert.equal(r.healing?.id, healed.head);
  assert.equal(r.healing?.text, headText);
  // The vector: the model's after the context without the last token, only tokens that start with it, renormalised.
  const raw = model.predict(healed.context).probs;
  const expected = healedVector(raw, healingMask(model, healed.head!));
  for (let i = 0; i < expected.length; i++) assert.ok(Math.abs(r.probs[i] - expected[i]) < 1e-6, `probs[${i}]`);
  let sum = 0;
  for (const p of r.probs) sum += p;
  assert.ok(Math.abs(sum - 1) < 1e-4, `the vector sums to 1 (${sum})`);
  for (const t of r.top) assert.ok(t.prob === 0 || t.text.startsWith(headText), `candidate ${JSON.stringify(t.text)} starts with the healed ${JSON.stringify(headText)}`);
  // Not the unhealed vector the panel showed before (which ghost text never used).
  const unhealed = model.predict([...healed.context, healed.head!]).probs;
  assert.ok(Array.from(unhealed).some((p, i) => Math.abs(p - r.probs[i]) > 1e-3));
  // Ghost text (greedy) starts with the panel's top candidate, less the bytes the document has.
  const ghost = completeText(model, text, { maxTokens: 4, multiline: false, timeBudgetMs: 10_000, alternatives: 1, sampling: GREEDY });
  const first = r.top[0].text.slice(headText.length);
  if (ghost.items.length > 0 && first.trim().length > 0 && !first.includes('\n')) assert.ok(ghost.items[0].startsWith(first.trimEnd()), `${JSON.stringify(ghost.items[0])} starts with ${JSON.stringify(first)}`);
  // The tokens shown end before the healed token.
  assert.equal(r.tokens[r.tokens.length - 1].id, healed.context[healed.context.length - 1]);
});

test('closed sections are not computed; open ones are', () => {
  const model = loadModel(randomGptFiles({ positions: 64, seed: 5 }));
  const closed = panel(model, 'the theer there');
  assert.equal(closed.inspection, undefined);
  assert.equal(closed.suggestion, undefined);
  assert.equal(closed.modelProbs, undefined);
  const open = panel(model, 'the theer there', ALL);
  assert.equal(open.inspection?.attention?.layer, 1);
  assert.equal(open.inspection?.attention?.head, 3);
  assert.equal(open.inspection?.embedding?.rows, open.tokens.length);
  assert.equal(open.inspection?.lens?.length, 2);
  assert.ok(open.suggestion);
  // The same vector either way: sections add numbers, they change none.
  assert.deepEqual(Array.from(open.probs), Array.from(closed.probs));
});

test('the suggestion step by step: its first step is the panel vector, the steps spell the ghost text, a branch starts with the chosen token', () => {
  const model = loadModel(randomGptFiles({ positions: 64, seed: 9 }));
  const text = 'the theer there the';
  const r = panel(model, text, { suggestion: SUGGEST });
  const s = r.suggestion!;
  const head = r.healing?.text ?? '';
  assert.ok(s.steps.length > 0, JSON.stringify(s));
  // One vector for both: the first step's alternatives are the panel's top candidates.
  assert.equal(s.steps[0].alternatives[0].id, r.top[0].id);
  assert.ok(Math.abs(s.steps[0].alternatives[0].prob - r.top[0].prob) < 1e-6);
  assert.ok((head + s.text).startsWith(s.steps.map((st) => st.text).join('').slice(0, head.length + s.text.length)));
  const ghost = completeText(model, text, { maxTokens: SUGGEST.maxTokens, multiline: false, timeBudgetMs: 150, alternatives: 1, sampling: GREEDY });
  assert.equal(s.text, ghost.items[0] ?? '', 'the explained text is the ghost text');
  // Each step's probability is the model's after the context and the steps before it.
  const healed = healedContext(model, text);
  const second = model.predict([...healed.context, s.steps[0].id]).probs;
  if (s.steps.length > 1) assert.ok(Math.abs(s.steps[1].prob - second[s.steps[1].id]) < 1e-6);
  // Branch at the first token with its second alternative.
  const alt = s.steps[0].alternatives.find((a) => a.id !== s.steps[0].id)!;
  const b = explainSuggestion(model, text, undefined, healed, { ...SUGGEST, branch: { tokens: s.steps.map((st) => st.id), keep: 0, token: alt.id } });
  assert.equal(b.branchedAt, 0);
  assert.equal(b.steps[0]?.id, alt.id);
  const altText = alt.text.slice(head.length);
  if (altText.trim().length > 0 && !altText.includes('\n')) assert.ok(b.text.startsWith(altText.trimEnd()), `${JSON.stringify(b.text)} starts with ${JSON.stringify(altText)}`);
  // Branch later on: the kept tokens stay.
  if (s.steps.length > 2) {
    const later = s.steps[2].alternatives.find((a) => a.id !== s.steps[2].id)!;
    const b2 = explainSuggestion(model, text, undefined, healed, { ...SUGGEST, branch: { tokens: s.steps.map((st) => st.id), keep: 2, token: later.id } });
    assert.deepEqual(b2.steps.slice(0, 3).map((st) => st.id), [s.steps[0].id, s.steps[1].id, later.id]);
  }
});

test('with the open files\' counts mixed in, the model\'s own vector comes beside the mixed one', () => {
  const base = loadModel(randomGptFiles({ positions: 64, seed: 5 }));
  const cache = new CacheCounts(4);
  cache.setDocument('a', base.tokenizer.encode('the theer the theer the theer'));
  const mixed = new CachedModel(base, cache);
  const r = panel(mixed, 'the theer the theer', { vector: true });
  assert.ok(r.cache && r.cache.weight > 0);
  const healed = healedContext(base, 'the theer the theer');
  const own = healedVector(base.predict(healed.context).probs, healingMask(base, healed.head!));
  assert.ok(r.modelProbs);
  for (let i = 0; i < own.length; i++) assert.ok(Math.abs(r.modelProbs[i] - own[i]) < 1e-6);
  // and the vector itself is the mixed one, healed the same way.
  const mixedProbs = healedVector(mixed.predict(healed.context).probs, healingMask(base, healed.head!));
  for (let i = 0; i < mixedProbs.length; i++) assert.ok(Math.abs(r.probs[i] - mixedProbs[i]) < 1e-6);
});

test('a fill-in-the-middle model: the panel reads the suffix as ghost text does', () => {
  const model = loadModel(randomGptFiles({ positions: 64, seed: 5, fim: true }));
  const suffix = '\nthe end\n';
  const r = panel(model, 'the theer', undefined, suffix);
  const healed = healedContext(model, 'the theer', suffix);
  assert.ok(r.suffixTokens && r.suffixTokens === healed.suffixTokens);
  const expected = healed.head === undefined ? model.predict(healed.context).probs : healedVector(model.predict(healed.context).probs, healingMask(model, healed.head));
  for (let i = 0; i < expected.length; i++) assert.ok(Math.abs(r.probs[i] - expected[i]) < 1e-6, `probs[${i}]`);
});

test('the suggestion is explained to its last token when generation slid past the end of the window', () => {
  const model = loadModel(randomGptFiles({ positions: 16, seed: 9 }));
  const text = 'the theer there the theer there the there th';
  const healed = healedContext(model, text);
  const s = explainSuggestion(model, text, undefined, healed, { ...SUGGEST, maxTokens: 12 });
  const head = model.tokenizer.tokenText(healed.head!);
  assert.ok(s.text.length > 0, 'a suggestion');
  assert.ok(healed.context.length + s.steps.length > 17, `the steps go past the window (${healed.context.length} + ${s.steps.length})`);
  // Every token of the shown text has its step (before, the steps stopped at the window's end).
  assert.ok(s.steps.map((st) => st.text).join('').length >= head.length + s.text.length, JSON.stringify(s.steps.map((st) => st.text)));
});

test("a candidate bar inserts what the document lacks; the one that is exactly the healed token is marked as typed", () => {
  const model = loadModel(randomGptFiles({ positions: 64, seed: 5 }));
  const r = panel(model, 'the theer there the');
  assert.equal(r.healing?.text, 'he');
  const update = panelUpdate({ ...r, ms: 1 }, { file: 'a.ts', line: 0, character: 19 }, GREEDY);
  // Two candidates: the healed token itself, and a longer one that starts with it.
  update.top = [{ id: r.healing!.id, text: 'he', prob: 0.6 }, { id: r.top[1].id, text: 'here', prob: 0.3 }];
  const webview = loadPanelScript(path.join(ROOT, 'media', 'panel.js'));
  webview.receive({ type: 'update', update }, 2000);
  const buttons = webview.element('top').children.map((li) => li.children[0]);
  assert.equal(buttons.length, 2);
  assert.equal(buttons[0].disabled, true, 'the healed token is already in the document');
  assert.match(buttons[0].attributes['aria-label'], /Already in the document\.$/);
  assert.equal(buttons[0].children[0].children[0]?.textContent, ' typed', 'the row says why it does not insert');
  assert.equal(buttons[1].disabled, false);
  assert.equal(buttons[1].children[0].children.length, 0);
  assert.match(buttons[1].title, /^Insert "re" at the cursor$/);
  for (const b of buttons) b.dispatch('click');
  assert.deepEqual(webview.posted.filter((m) => (m as { type: string }).type === 'insert'), [{ type: 'insert', text: 're' }]);
});
