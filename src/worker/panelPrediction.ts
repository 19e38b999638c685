/**
 * Everything the probability panel shows for the text before the cursor: the vector (the
 * open documents' and the workspace's counts mixed in), the top candidates, the context
 * tokens with how probable each was, attention and entropy. Remembers the last context's
 * token probabilities, so a cursor move recomputes only what changed.
 */
import { GptModel, LlamaModel, ModelError, topIndices, toModelText, type CacheMixInfo, type Inspection, type LanguageModel, type TextPrediction } from '../engine';
import { Adaptation } from './adaptation';
import { healedContext, suffixFor } from './completionEngine';
import { explainSuggestion, healedVector, healingMask } from './panelSuggestion';
import type { HealingStep, PredictResult, WorkerRequest } from './protocol';

type PredictRequest = Extract<WorkerRequest, { type: 'predict' }>;

export class PanelPrediction {
  constructor(private readonly adaptation: Adaptation) {}

  /**
   * The panel's last context and the probability of each of its tokens given the ones
   * before it (undefined where not computed). A token's probability depends only on the
   * tokens up to it, so after a cursor move every token inside the common prefix keeps its
   * value: usually only the last one or two are computed again.
   */
  private chipMemo: { model: LanguageModel; tokens: readonly number[]; probs: (number | null | undefined)[] } | undefined;

  /** Everything the probability panel shows for the text before the cursor. */
  predict(model: LanguageModel, request: Pick<PredictRequest, 'text' | 'topK' | 'attention' | 'contextChips' | 'suffix' | 'sections'>): PredictResult {
    const { topK, attention, contextChips } = request;
    const sections = request.sections ?? {};
    const text = toModelText(request.text);
    // The memo holds the base model's probabilities: the open documents' counts change
    // while the user types, so the caches are mixed in when the chips are shown.
    const { base, mixers } = Adaptation.layers(model);
    // The context ghost text reads (healedContext: token healing, and for a fill-in-the-middle
    // model the text after the cursor), so the panel shows the vector ghost text used.
    const suffix = suffixFor(model, request.suffix);
    const healed = healedContext(base, text, suffix);
    const { context: tokens, suffixTokens } = healed;
    const shown = tokens.slice(-contextChips);
    const offset = tokens.length - shown.length;
    const memo = this.chipMemo?.model === base ? this.chipMemo : undefined;
    let common = 0;
    if (memo) while (common < tokens.length && common < memo.tokens.length && memo.tokens[common] === tokens[common]) common++;
    // A transformer gives the probabilities of the context tokens not remembered from last
    // time in the same pass as the prediction; other models are asked token by token below.
    let from = Math.max(1, offset);
    while (from < common && memo!.probs[from] !== undefined) from++;
    let p: TextPrediction & { cache?: CacheMixInfo; workspaceCache?: CacheMixInfo };
    let history: Float32Array | undefined;
    if (tokens.length === 0 && base.info.kind === 'transformer') {
      throw new ModelError('empty-context', 'the text is empty and the model has no start token');
    }
    const mask = healed.head === undefined ? undefined : healingMask(base, healed.head);
    // The model's own vector beside the mixed one (copied before the mixers overwrite theirs).
    let modelProbs: Float32Array | undefined;
    const own = <R extends { probs: Float32Array }>(r: R): R => {
      if (sections.vector && mixers.length > 0) modelProbs = mask ? healedVector(r.probs, mask) : Float32Array.from(r.probs);
      return r;
    };
    if (base instanceof GptModel || base instanceof LlamaModel) {
      const r = own(base.predictWithHistory(tokens, from, { attention }));
      history = r.history;
      p = { ...this.adaptation.mixAll(mixers, tokens, r), tokens };
    } else p = { ...this.adaptation.mixAll(mixers, tokens, own(base.predict(tokens, { attention }))), tokens };
    // Token healing: ghost text's first token must start with the bytes taken back, so the
    // vector shown is the one restricted to those candidates (renormalised).
    const probs = mask ? healedVector(p.probs, mask) : Float32Array.from(p.probs); // a copy: it is transferred to the host
    const healing: HealingStep | undefined = mask && healed.head !== undefined
      ? { id: healed.head, text: model.tokenizer.tokenText(healed.head), candidates: mask.reduce((a, b) => a + b, 0) }
      : undefined;
    const attentionCopy = p.attention?.map((a) => Float32Array.from(a));
    const computedTokens = p.computedTokens;
    const backoffOrder = p.backoffOrder;
    let entropy = 0;
    for (const q of probs) if (q > 0) entropy -= q * Math.log2(q);
    // How probable the model found each shown context token (its surprise), one step at a time.
    const baseProbs: (number | null | undefined)[] = [];
    const chips = shown.map((id, i) => {
      const at = offset + i;
      let prob: number | null | undefined = at < common ? memo!.probs[at] : undefined;
      if (prob === undefined && history && at >= from && at > 0) prob = history[at - from];
      if (prob === undefined) {
        const before = p.tokens.slice(0, at);
        prob = null;
        if (before.length > 0 && (base.info.kind === 'ngram' || before.length <= base.info.contextLength)) {
          prob = base.predict(before).probs[id];
        }
      }
      baseProbs[at] = prob;
      if (prob !== null) for (const m of mixers) prob = m.mixOne(p.tokens.slice(0, at), id, prob);
      return { id, text: model.tokenizer.tokenText(id), prob };
    });
    this.chipMemo = { model: base, tokens: p.tokens, probs: baseProbs };
    // The open sections' numbers (inspect predicts the full context first, as below).
    let inspection: Inspection | undefined;
    if (base.inspect && p.tokens.length > 0 && (sections.embedding || sections.attention || sections.layers)) {
      inspection = base.inspect(p.tokens, {
        ...(sections.embedding ? { embedding: { rows: shown.length } } : {}),
        ...(sections.attention ? { attention: sections.attention, matrices: true } : {}),
        ...(sections.layers ? { lens: { top: 5 }, counts: { rows: 8 } } : {}),
      });
    }
    const suggestion = sections.suggestion && p.tokens.length > 0 ? explainSuggestion(model, request.text, request.suffix, healed, sections.suggestion) : undefined;
    // Leave the model's cache on the full context so the next keystroke reuses it.
    base.predict(p.tokens);
    return {
      info: model.info,
      tokens: chips,
      contextLength: p.tokens.length,
      probs,
      top: topIndices(probs, topK).map((id) => ({ id, text: model.tokenizer.tokenText(id), prob: probs[id] })),
      entropyBits: entropy,
      attention: attentionCopy,
      backoffOrder,
      cache: p.cache,
      workspaceCache: p.workspaceCache,
      computedTokens,
      ...(suffixTokens > 0 ? { suffixTokens } : {}),
      ...(healing ? { healing } : {}),
      ...(modelProbs ? { modelProbs } : {}),
      ...(inspection ? { inspection } : {}),
      ...(suggestion ? { suggestion } : {}),
      ms: 0,
    };
  }
}
