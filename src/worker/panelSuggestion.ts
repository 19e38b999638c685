/**
 * Ghost text explained for the probability panel: the suggestion the provider would show for
 * this context (completeText with the provider's own options), then token by token the
 * distribution at each step (healed at the first step and mixed with the caches, as ghost
 * text reads it), the chosen token's probability and the top alternatives. A branch keeps the
 * first tokens of the shown suggestion, takes the alternative the user clicked and lets the
 * model continue from there with the same stop rules.
 */
import { decodeWtf8, generate, topIndices, type LanguageModel } from '../engine';
import { completeText, cutLoops, REPETITION_PENALTY, stopIndex, type HealedContext } from './completionEngine';
import type { SuggestionExplanation, SuggestionRequest, SuggestionStep } from './protocol';

/** Tokens whose bytes start with the healed token's (the first step's candidates), per tokenizer. */
const startingWith = new WeakMap<object, Map<number, Uint8Array>>();
export function healingMask(model: LanguageModel, head: number): Uint8Array {
  let perModel = startingWith.get(model.tokenizer);
  if (!perModel) startingWith.set(model.tokenizer, (perModel = new Map()));
  let mask = perModel.get(head);
  if (mask) return mask;
  const h = model.tokenizer.tokenBytes(head);
  mask = new Uint8Array(model.info.vocabSize);
  for (let id = 0; id < mask.length; id++) {
    if (id === model.bosTokenId) continue;
    const b = model.tokenizer.tokenBytes(id);
    let ok = b.length >= h.length;
    for (let i = 0; i < h.length && ok; i++) ok = b[i] === h[i];
    mask[id] = ok ? 1 : 0;
  }
  perModel.set(head, mask);
  return mask;
}

/** probs restricted to the healed candidates, renormalised (a vector of L probabilities again). */
export function healedVector(probs: Float32Array, mask: Uint8Array): Float32Array {
  let kept = 0;
  for (let i = 0; i < probs.length; i++) if (mask[i]) kept += probs[i];
  const out = new Float32Array(probs.length);
  if (kept > 0) for (let i = 0; i < probs.length; i++) if (mask[i]) out[i] = probs[i] / kept;
  return out;
}

function textOf(model: LanguageModel, tokens: readonly number[]): string {
  const bytes: number[] = [];
  for (const t of tokens) for (const b of model.tokenizer.tokenBytes(t)) bytes.push(b);
  return decodeWtf8(bytes, true).text;
}

/**
 * `model`: the model ghost text uses (caches mixed in); `prefix`: the text before the cursor
 * as the worker received it; `healed`: healedContext of it (the panel computed it already).
 */
export function explainSuggestion(model: LanguageModel, prefix: string, suffix: string | undefined, healed: HealedContext, request: SuggestionRequest): SuggestionExplanation {
  const headText = healed.head === undefined ? '' : model.tokenizer.tokenText(healed.head);
  const fim = healed.suffixTokens > 0 ? model.fim : undefined;
  const markers = model.fim ? [model.fim.prefix, model.fim.suffix, model.fim.middle] : [];
  let text: string;
  let tokens: number[];
  let branchedAt: number | undefined;
  const branch = request.branch;
  if (!branch) {
    // Exactly what the provider asks for while typing: one suggestion, its time budget.
    const r = completeText(model, prefix, {
      maxTokens: request.maxTokens, multiline: request.multiline, timeBudgetMs: request.multiline ? 400 : 150,
      alternatives: 1, sampling: request.sampling, ...(suffix === undefined ? {} : { suffix }),
    });
    text = r.items[0] ?? '';
    // Its tokens as the tokenizer cuts the text (generation chose the same ones nearly always).
    tokens = text.length > 0 ? model.tokenizer.encode(headText + text) : [];
  } else {
    const keep = Math.max(0, Math.min(branch.keep, branch.tokens.length));
    const kept = branch.tokens.slice(0, keep);
    const keptText = keep > 0 ? textOf(model, kept).slice(headText.length) : '';
    const context = [...healed.context, ...kept];
    const result = generate(model, context, {
      maxTokens: Math.max(1, request.maxTokens - keep),
      sampling: request.sampling,
      seed: branch.token + 1,
      firstToken: branch.token,
      repetitionPenalty: REPETITION_PENALTY,
      // Without kept tokens the chosen one starts with the healed bytes, which the document has.
      skipBytes: keep === 0 && healed.head !== undefined ? model.tokenizer.tokenBytes(healed.head).length : 0,
      stopAtNewline: !request.multiline,
      stopTokens: fim?.stop,
      bannedTokens: markers.length > 0 ? markers : undefined,
      keepHead: fim ? healed.keep : 0,
    });
    text = keptText + result.text;
    const cut = stopIndex(text, request.multiline);
    if (cut >= 0) text = text.slice(0, cut);
    text = cutLoops(text).replace(/\s+$/u, '');
    tokens = [...kept, ...result.tokens];
    branchedAt = keep;
  }
  // Only the tokens the shown text covers (stop rules may have cut the last ones).
  const covered: number[] = [];
  let length = 0;
  const want = headText.length + text.length;
  for (const t of tokens) {
    if (length >= want) break;
    covered.push(t);
    length += model.tokenizer.tokenText(t).length;
  }
  const steps: SuggestionStep[] = [];
  const window = model.info.kind === 'transformer' ? model.info.contextLength : Infinity;
  // The contexts generation read: the healed one for the first token, then as generate()
  // slides a full window (half of it kept, a FIM header and suffix with it).
  const keep = Math.min(fim ? healed.keep : 0, Math.floor(window / 2));
  let context = healed.context.slice();
  if (context.length === 0) return { text, steps, ...(branchedAt === undefined ? {} : { branchedAt }) };
  for (let i = 0; i < covered.length; i++) {
    const first = i === 0 ? Float32Array.from(model.predict(context).probs) : undefined;
    if (context.length >= window) context = [...context.slice(0, keep), ...context.slice(context.length - Math.floor(window / 2) + keep)];
    let probs: Float32Array = first ?? Float32Array.from(model.predict(context).probs);
    context.push(covered[i]);
    if (i === 0 && healed.head !== undefined) probs = healedVector(probs, healingMask(model, healed.head));
    for (const m of markers) probs[m] = 0;
    const id = covered[i];
    steps.push({
      id,
      text: model.tokenizer.tokenText(id),
      prob: probs[id],
      alternatives: topIndices(probs, request.alternatives).map((a) => ({ id: a, text: model.tokenizer.tokenText(a), prob: probs[a] })),
    });
  }
  return { text, steps, ...(branchedAt === undefined ? {} : { branchedAt }) };
}
