/**
 * The probability panel's script (runs in the webview). It only draws what the extension
 * sends and posts back the user's choices; every message is validated first.
 */
import { shapeDistribution, type SamplingOptions } from '../engine/sampling';
import { isHostMessage, parsePanelMessage, type HostToPanel, type PanelToHost, type PanelUpdate } from '../panel/messages';

declare function acquireVsCodeApi(): { postMessage(message: PanelToHost): void; setState(s: unknown): void; getState(): unknown };
const vscode = acquireVsCodeApi();

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
let vocabulary: { modelId: string; tokens: string[] } | undefined;
let last: PanelUpdate | undefined;

/** Whitespace made visible, so "\n    " is a token one can see. */
function visible(text: string): string {
  return text.replace(/ /g, '·').replace(/\n/g, '↵').replace(/\t/g, '→').replace(/\r/g, '␍') || '∅';
}

function percent(p: number): string {
  if (p >= 0.1) return `${(p * 100).toFixed(1)}%`;
  if (p >= 0.001) return `${(p * 100).toFixed(2)}%`;
  return `${(p * 100).toExponential(1)}%`;
}

/** The distribution the sampling settings produce: the engine's own code, as ghost text samples. */
function shaped(probs: Float32Array, s: SamplingOptions): Float64Array {
  const out = new Float64Array(probs.length);
  shapeDistribution(probs, s, out);
  return out;
}

function chip(text: string, title: string, background: string): HTMLElement {
  const el = document.createElement('span');
  el.className = 'chip';
  el.setAttribute('role', 'listitem');
  el.textContent = visible(text);
  el.title = title;
  el.setAttribute('aria-label', title);
  el.style.background = background;
  return el;
}

function renderFlow(u: PanelUpdate): void {
  const m = u.model;
  const best = u.top[0];
  $('model').textContent = `${m.displayName}`;
  const chosen = best ? `“${visible(best.text)}” ${percent(best.prob)}` : '';
  const L = m.vocabSize.toLocaleString('en-US');
  // The open files' counts are a step of their own: the vector shown is the mixed one.
  const step = (c: PanelUpdate['cache'], where: string) => c
    ? c.order >= 2
      ? ` → mixed with ${where} (the last ${c.order - 1} token${c.order > 2 ? 's' : ''} seen there: ${percent(c.weight)} of the vector)`
      : ` → ${where} (the last token was not seen there: vector unchanged)`
    : '';
  // The workspace's counts are mixed in first, the open files' on top.
  const mixed = step(u.workspaceCache, 'your workspace\'s other files') + step(u.cache, 'your open files');
  $('flow').textContent = m.kind === 'transformer'
    ? `${u.contextLength} tokens → ${u.contextLength} × ${m.width} embedding → ${m.layers} layers × ${m.heads} heads of self-attention (Q, K, V) → vector of L = ${L} probabilities${mixed} → ${chosen}`
    : `${u.contextLength} tokens → counts after the last ${(u.backoffOrder ?? 1) - 1} tokens (order ${u.backoffOrder ?? 1} of ${m.order}) → vector of L = ${L} probabilities${mixed} → ${chosen}`;
  const lastToken = u.tokens[u.tokens.length - 1]?.text ?? '';
  // A context that ends in spaces is one the model rarely saw (spaces usually start the next
  // token, " foo"): say so, since ghost text backs up over it (token healing) and this vector does not.
  const hint = /^[ \t]+$/.test(lastToken) ? ' · the context ends in a lone space token, which the model rarely saw: ghost text backs up over it (token healing)' : '';
  // The model was trained on LF text: a CRLF document is shown (and predicted) as LF.
  const eol = u.source.crlf ? ' · CRLF line endings read as LF, as the model sees them' : '';
  // A fill-in-the-middle model read the text after the cursor as well: the vector depends on it.
  const fim = u.suffixTokens ? ` · reads ${u.suffixTokens} token${u.suffixTokens === 1 ? '' : 's'} after the cursor (fill-in-the-middle)` : '';
  $('status').textContent = `${u.source.file} ${u.source.line + 1}:${u.source.character + 1} · computed in ${u.ms.toFixed(1)} ms${fim}${eol}${hint}`;
}

function renderTokens(u: PanelUpdate): void {
  const box = $('tokens');
  box.replaceChildren(...u.tokens.map((t) => {
    const title = `#${t.id} ${JSON.stringify(t.text)}${t.prob === null ? ' (start)' : ` · p = ${percent(t.prob)}`}`;
    // Expected tokens are calm, surprising ones stand out.
    const surprise = t.prob === null ? 0 : Math.min(1, -Math.log2(Math.max(t.prob, 1e-9)) / 12);
    return chip(t.text, title, `color-mix(in srgb, var(--vscode-charts-red) ${Math.round(surprise * 70)}%, var(--vscode-editor-background))`);
  }));
}

function renderTop(u: PanelUpdate): void {
  const dist = shaped(u.probs, u.sampling);
  const list = $('top');
  list.replaceChildren(...u.top.map((t, rank) => {
    const li = document.createElement('li');
    const button = document.createElement('button');
    button.className = 'bar-row';
    button.title = `Insert ${JSON.stringify(t.text)} at the cursor`;
    button.setAttribute('aria-label', `${rank + 1}: ${visible(t.text)}, ${percent(t.prob)}; after sampling settings ${percent(dist[t.id])}. Insert at cursor.`);
    button.addEventListener('click', () => vscode.postMessage({ type: 'insert', text: t.text }));
    const label = document.createElement('span');
    label.className = 'token';
    label.textContent = visible(t.text);
    const track = document.createElement('span');
    track.className = 'track';
    const bar = document.createElement('span');
    bar.className = 'bar';
    bar.style.width = `${Math.max(0.5, t.prob * 100)}%`;
    const sampled = document.createElement('span');
    sampled.className = 'bar sampled';
    sampled.style.width = `${dist[t.id] * 100}%`;
    track.append(bar, sampled);
    const value = document.createElement('span');
    value.className = 'value';
    value.textContent = percent(t.prob);
    const id = document.createElement('span');
    id.className = 'id';
    id.textContent = `#${t.id}`;
    button.append(label, track, value, id);
    li.append(button);
    return li;
  }));
}

function cssColor(name: string, fallback: string): string {
  return getComputedStyle(document.body).getPropertyValue(name).trim() || fallback;
}

function renderVector(u: PanelUpdate): void {
  const sorted = Float32Array.from(u.probs).sort().reverse();
  const canvas = $('vector') as HTMLCanvasElement;
  const width = (canvas.width = Math.max(300, canvas.clientWidth || 600));
  const height = canvas.height;
  const g = canvas.getContext('2d')!;
  g.clearRect(0, 0, width, height);
  const floor = -12; // log10 of the smallest probability drawn
  const x = (i: number) => (Math.log10(i + 1) / Math.log10(sorted.length + 1)) * (width - 40) + 30;
  const y = (p: number) => 8 + ((Math.min(0, Math.log10(Math.max(p, 1e-12))) / floor) * (height - 24));
  g.strokeStyle = cssColor('--vscode-panel-border', '#888');
  g.fillStyle = cssColor('--vscode-descriptionForeground', '#888');
  g.font = '10px sans-serif';
  for (let e = 0; e >= floor; e -= 3) {
    g.beginPath();
    g.moveTo(30, y(10 ** e));
    g.lineTo(width - 10, y(10 ** e));
    g.stroke();
    g.fillText(`1e${e}`, 0, y(10 ** e) + 3);
  }
  g.strokeStyle = cssColor('--vscode-charts-blue', '#3794ff');
  g.lineWidth = 2;
  g.beginPath();
  sorted.forEach((p, i) => (i === 0 ? g.moveTo(x(i), y(p)) : g.lineTo(x(i), y(p))));
  g.stroke();
  // Cumulative mass on a linear axis (0 at the bottom, 1 at the top).
  g.strokeStyle = cssColor('--vscode-charts-orange', '#d18616');
  g.lineWidth = 1;
  g.beginPath();
  let mass = 0;
  sorted.forEach((p, i) => {
    mass += p;
    const yy = height - 16 - mass * (height - 24);
    if (i === 0) g.moveTo(x(i), yy);
    else g.lineTo(x(i), yy);
  });
  g.stroke();
  let cover = 0;
  let k90 = 0;
  while (k90 < sorted.length && cover < 0.9) cover += sorted[k90++];
  let total = 0;
  for (const p of u.probs) total += p;
  $('vector-stats').textContent =
    `L = ${u.probs.length.toLocaleString('en-US')} entries · sum ${total.toFixed(4)} · entropy ${u.entropyBits.toFixed(2)} bits · ` +
    `the top ${k90.toLocaleString('en-US')} tokens hold 90% · blue: probability by rank, orange: cumulative mass`;
  canvas.setAttribute('aria-label', $('vector-stats').textContent ?? '');
}

function renderSearch(): void {
  const query = ($('search') as HTMLInputElement).value;
  const out = $('search-result');
  if (!query || !last || !vocabulary || vocabulary.modelId !== last.model.id) {
    out.textContent = '';
    return;
  }
  const probs = last.probs;
  const matches: number[] = [];
  vocabulary.tokens.forEach((t, id) => {
    if (t === query || t.trim() === query.trim()) matches.push(id);
  });
  if (matches.length === 0) vocabulary.tokens.forEach((t, id) => t.includes(query) && matches.length < 5 && matches.push(id));
  if (matches.length === 0) {
    out.textContent = `No token of the vocabulary contains ${JSON.stringify(query)}.`;
    return;
  }
  out.textContent = matches.slice(0, 5).map((id) => {
    let rank = 1;
    for (const p of probs) if (p > probs[id]) rank++;
    return `${JSON.stringify(vocabulary!.tokens[id])} #${id}: rank ${rank.toLocaleString('en-US')} of ${probs.length.toLocaleString('en-US')}, ${percent(probs[id])}`;
  }).join(' · ');
}

function renderAttention(u: PanelUpdate): void {
  const section = $('attention-section');
  if (!u.attention || u.attention.length === 0) {
    section.hidden = true;
    return;
  }
  section.hidden = false;
  const layer = $('layer') as HTMLSelectElement;
  const head = $('head') as HTMLSelectElement;
  const fill = (select: HTMLSelectElement, n: number) => {
    if (select.options.length === n) return;
    const keep = Math.min(Number(select.value) || 0, n - 1);
    select.replaceChildren(...Array.from({ length: n }, (_, i) => new Option(String(i + 1), String(i))));
    select.value = String(keep);
  };
  fill(layer, u.model.layers);
  fill(head, u.model.heads);
  const weights = u.attention[Number(layer.value) || 0];
  const h = Number(head.value) || 0;
  const first = u.contextLength - u.tokens.length;
  let max = 0;
  for (let t = 0; t < u.tokens.length; t++) max = Math.max(max, weights[h * u.attentionStride + first + t]);
  $('attention').replaceChildren(...u.tokens.map((tok, t) => {
    const w = weights[h * u.attentionStride + first + t];
    return chip(tok.text, `#${tok.id} ${JSON.stringify(tok.text)} · attention ${percent(w)}`, `color-mix(in srgb, var(--vscode-charts-blue) ${Math.round((w / (max || 1)) * 80)}%, var(--vscode-editor-background))`);
  }));
}

function renderSampling(u: PanelUpdate): void {
  for (const key of ['temperature', 'topK', 'topP'] as const) {
    const input = $(key) as HTMLInputElement;
    if (document.activeElement !== input) input.value = String(u.sampling[key]);
  }
}

function render(u: PanelUpdate): void {
  last = u;
  renderFlow(u);
  renderTokens(u);
  renderTop(u);
  renderSampling(u);
  renderVector(u);
  renderSearch();
  renderAttention(u);
  document.body.dataset.ready = 'true';
}

window.addEventListener('message', (event: MessageEvent) => {
  const message: unknown = event.data;
  if (!isHostMessage(message)) return;
  const m = message as HostToPanel;
  if (m.type === 'update') render(m.update);
  else if (m.type === 'vocabulary') {
    vocabulary = { modelId: m.modelId, tokens: m.tokens };
    renderSearch();
  } else if (m.type === 'status') $('status').textContent = m.text;
});

for (const key of ['temperature', 'topK', 'topP']) {
  $(key).addEventListener('change', () => {
    const temperature = Number(($('temperature') as HTMLInputElement).value);
    const topK = Math.round(Number(($('topK') as HTMLInputElement).value));
    const topP = Number(($('topP') as HTMLInputElement).value);
    // The extension's own rule decides what is sendable: out-of-range input is not posted.
    const message = parsePanelMessage({ type: 'setSampling', temperature, topK, topP });
    if (message) vscode.postMessage(message);
  });
}
$('search').addEventListener('input', renderSearch);
$('layer').addEventListener('change', () => last && renderAttention(last));
$('head').addEventListener('change', () => last && renderAttention(last));
vscode.postMessage({ type: 'ready' });
