// The time budget of a suggestion: when the prompt alone takes longer than the budget (a cold
// start on a busy machine), the suggestion is cut short but never dropped.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import { loadModelFolder } from '../../src/node/modelFolder';
import { completeText } from '../../src/worker/completionEngine';
import { ROOT } from './helpers';

test('a suggestion keeps its first token when the prompt already used up the time budget', () => {
  const model = loadModelFolder(path.join(ROOT, 'models', 'gpt-code-tiny'));
  let clock = 0;
  // Every reading of the clock is a second later: the budget is always spent.
  const slow = { maxTokens: 16, multiline: false, timeBudgetMs: 150, alternatives: 1, sampling: { temperature: 0, topK: 0, topP: 1 }, now: () => (clock += 1000) };
  const cut = completeText(model, 'export function ', slow);
  assert.equal(cut.items.length, 1, 'one suggestion, not none');
  const full = completeText(model, 'export function ', { ...slow, timeBudgetMs: Infinity, now: undefined });
  assert.ok(full.items[0].startsWith(cut.items[0]) && cut.items[0].length > 0, `"${cut.items[0]}" starts "${full.items[0]}"`);
  assert.ok(cut.items[0].length < full.items[0].length, 'and is cut short');
});
