/**
 * The probability panel's script (runs in the webview). It only draws what the extension
 * sends and posts back the user's choices; every message is validated first.
 */
import { shapeDistribution, type SamplingOptions } from '../engine/sampling';
import { isHostMessage, PANEL_SECTIONS, parsePanelMessage, type HostToPanel, type PanelSection, type PanelToHost, type PanelUpdate } from '../panel/messages';

declare function acquireVsCodeApi(): { postMessage(message: PanelToHost): void; setState(s: unknown): void; getState(): unknown };
const vscode = acquireVsCodeApi();

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
let vocabulary: { modelId: string; tokens: string[] } | undefined;
let last: PanelUpdate | undefined;

/** Open sections and attention pickers, restored from the webview's state (tokens and vector open at first). */
const view: { open: PanelSection[]; layer: number; head: number } = (() => {
  const saved = vscode.getState() as { open?: unknown; layer?: unknown; head?: unknown } | undefined;
  const open = Array.isArray(saved?.open) ? PANEL_SECTIONS.filter((x) => (saved!.open as unknown[]).includes(x)) : ['tokens', 'vector'] as PanelSection[];
  const int = (v: unknown) => (typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : 0);
  return { open, layer: int(saved?.layer), head: int(saved?.head) };
})();

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

/** The architecture's own names for its steps (Llama-family models: RMSNorm, RoPE, grouped-query attention). */
function architectureNames(u: PanelUpdate): string {
  const a = u.inspection?.architecture;
  const family = u.model.gguf?.architecture;
  const llama = family === 'llama' || family === 'qwen2';
  const norm = a?.norm ?? (llama ? 'RMSNorm' : 'LayerNorm');
  const positions = a?.positions ?? (llama ? 'RoPE' : 'learned');
  const gqa = a ? a.attention === 'grouped-query' : false;
  return `${norm}, ${positions === 'RoPE' ? 'rotary positions (RoPE)' : 'learned positions'}${gqa ? `, grouped-query attention (${a!.kvHeads} key/value heads)` : ''}`;
}

/**
 * The flow as steps, each with this context's numbers: tokens, (the suffix read), (token
 * healing), embedding, the layers, the vector, (the caches mixed in), the chosen token. A
 * step that does not apply here is left out.
 */
function renderFlow(u: PanelUpdate): void {
  const m = u.model;
  const best = u.top[0];
  $('model').textContent = `${m.displayName}`;
  const L = m.vocabSize.toLocaleString('en-US');
  const steps: string[] = [`${u.contextLength} tokens from the vocabulary of L = ${L}`];
  // A fill-in-the-middle model read the text after the cursor as well: the vector depends on it.
  if (u.suffixTokens) steps.push(`fill-in-the-middle: reads ${u.suffixTokens} token${u.suffixTokens === 1 ? '' : 's'} after the cursor too`);
  if (u.healing) steps.push(`token healing: “${visible(u.healing.text)}” taken back; the next token must start with it (${u.healing.candidates.toLocaleString('en-US')} candidates)`);
  if (m.kind === 'transformer') {
    steps.push(`embedding: ${u.contextLength} × ${m.width} matrix`);
    steps.push(`${m.layers} layers × ${m.heads} heads of self-attention (Q, K, V) and MLP; ${architectureNames(u)}`);
  } else steps.push(`counts after the last ${(u.backoffOrder ?? 1) - 1} tokens (order ${u.backoffOrder ?? 1} of ${m.order})`);
  steps.push(`vector of L = ${L} probabilities`);
  // The caches are steps of their own: the vector shown is the mixed one (workspace first, open files on top).
  const mix = (c: PanelUpdate['cache'], where: string) => {
    if (!c) return;
    steps.push(c.order >= 2
      ? `mixed with ${where} (the last ${c.order - 1} token${c.order > 2 ? 's' : ''} seen there: ${percent(c.weight)} of the vector)`
      : `${where}: the last token was not seen there (vector unchanged)`);
  };
  mix(u.workspaceCache, 'your workspace\'s other files');
  mix(u.cache, 'your open files');
  if (best) steps.push(`next token “${visible(best.text)}” ${percent(best.prob)}`);
  $('flow').replaceChildren(...steps.map((text) => {
    const li = document.createElement('li');
    li.textContent = text;
    return li;
  }));
  // The model was trained on LF text: a CRLF document is shown (and predicted) as LF.
  const eol = u.source.crlf ? ' · CRLF line endings read as LF, as the model sees them' : '';
  const fim = u.suffixTokens ? ` · reads ${u.suffixTokens} token${u.suffixTokens === 1 ? '' : 's'} after the cursor (fill-in-the-middle)` : '';
  $('status').textContent = `${u.source.file} ${u.source.line + 1}:${u.source.character + 1} · computed in ${u.ms.toFixed(1)} ms${fim}${eol}`;
  const healing = $('healing');
  healing.hidden = !u.healing;
  healing.textContent = u.healing
    ? `Token healing, as ghost text does it: the last token “${visible(u.healing.text)}” (#${u.healing.id}) is taken back, and only the ${u.healing.candidates.toLocaleString('en-US')} tokens that start with it are candidates (their probabilities renormalised).`
    : '';
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
    const label = document.createElement('span');
    label.className = 'token';
    label.textContent = visible(t.text);
    // With token healing the candidate's first bytes are already in the document; a candidate that
    // is exactly the token taken back would insert nothing, so its row says so instead of a click
    // that does nothing.
    const text = u.healing && t.text.startsWith(u.healing.text) ? t.text.slice(u.healing.text.length) : t.text;
    const summary = `${rank + 1}: ${visible(t.text)}, ${percent(t.prob)}; after sampling settings ${percent(dist[t.id])}.`;
    if (text.length > 0) {
      button.title = `Insert ${JSON.stringify(text)} at the cursor`;
      button.setAttribute('aria-label', `${summary} Insert at cursor.`);
      button.addEventListener('click', () => vscode.postMessage({ type: 'insert', text }));
    } else {
      button.disabled = true;
      button.title = 'Already in the document: token healing took this token back, and this candidate is exactly it';
      button.setAttribute('aria-label', `${summary} Already in the document.`);
      const typed = document.createElement('span');
      typed.className = 'typed';
      typed.textContent = ' typed';
      label.append(typed);
    }
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

function drawVector(probs: Float32Array, canvasId: string): Float32Array {
  const sorted = Float32Array.from(probs).sort().reverse();
  const canvas = $(canvasId) as HTMLCanvasElement;
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
  return sorted;
}

function renderVector(u: PanelUpdate): void {
  const sorted = drawVector(u.probs, 'vector');
  // Beside it, the model's own vector (before the caches), when a cache took part.
  const own = u.modelProbs;
  $('model-vector-figure').hidden = !own;
  $('vector-caption').textContent = own ? 'mixed with your files: the vector ghost text uses' : 'the vector ghost text uses';
  if (own) {
    drawVector(own, 'model-vector');
    const top = Array.from(own.keys()).sort((a, b) => own[b] - own[a]).slice(0, 5);
    $('model-top').replaceChildren(...top.map((id) => {
      const li = document.createElement('li');
      const text = (vocabulary?.modelId === u.model.id ? vocabulary.tokens[id] : undefined) ?? `#${id}`;
      li.textContent = `${visible(text)} ${percent(own[id])} → ${percent(u.probs[id])} mixed`;
      return li;
    }));
  }
  let cover = 0;
  let k90 = 0;
  while (k90 < sorted.length && cover < 0.9) cover += sorted[k90++];
  let total = 0;
  for (const p of u.probs) total += p;
  $('vector-stats').textContent =
    `L = ${u.probs.length.toLocaleString('en-US')} entries · sum ${total.toFixed(4)} · entropy ${u.entropyBits.toFixed(2)} bits · ` +
    `the top ${k90.toLocaleString('en-US')} tokens hold 90% · blue: probability by rank, orange: cumulative mass`;
  $('vector').setAttribute('aria-label', $('vector-stats').textContent ?? '');
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

function fillPicker(select: HTMLSelectElement, n: number, keep: number): void {
  if (select.options.length !== n) select.replaceChildren(...Array.from({ length: n }, (_, i) => new Option(String(i + 1), String(i))));
  select.value = String(Math.max(0, Math.min(keep, n - 1)));
}

/** A vector as a row of cells (colour: sign and size), with its values in the label. */
function vectorRow(name: string, v: Float32Array): HTMLElement {
  const row = document.createElement('div');
  row.className = 'vector-row';
  const label = document.createElement('span');
  label.className = 'vector-name';
  label.textContent = `${name} (${v.length})`;
  const cells = document.createElement('span');
  cells.className = 'cells';
  let max = 0;
  for (const x of v) max = Math.max(max, Math.abs(x));
  for (let i = 0; i < v.length; i++) {
    const c = document.createElement('span');
    c.className = 'cell';
    const share = Math.round((Math.abs(v[i]) / (max || 1)) * 85);
    c.style.background = `color-mix(in srgb, var(${v[i] >= 0 ? '--vscode-charts-red' : '--vscode-charts-blue'}) ${share}%, var(--vscode-editor-background))`;
    c.title = `${name}[${i}] = ${v[i].toFixed(4)}`;
    cells.append(c);
  }
  const values = Array.from(v.subarray(0, 6), (x) => x.toFixed(3)).join(', ');
  row.setAttribute('role', 'img');
  row.setAttribute('aria-label', `${name}: ${v.length} numbers, the first ${Math.min(6, v.length)} are ${values}`);
  row.append(label, cells);
  return row;
}

function renderAttention(u: PanelUpdate): void {
  const section = $('view-attention');
  const transformer = u.model.kind === 'transformer';
  section.hidden = !transformer;
  if (!transformer) return;
  // A smaller model than the last one: its last layer or head (as the extension asks for).
  view.layer = Math.max(0, Math.min(view.layer, u.model.layers - 1));
  view.head = Math.max(0, Math.min(view.head, u.model.heads - 1));
  fillPicker($('layer') as HTMLSelectElement, u.model.layers, view.layer);
  fillPicker($('head') as HTMLSelectElement, u.model.heads, view.head);
  const first = u.contextLength - u.tokens.length;
  // The weights drawn over the context tokens: the inspection's when there is one, else the
  // prediction's own capture of the last position.
  const a = u.inspection?.attention;
  const weightAt = (t: number): number => {
    if (a && a.layer === view.layer && a.head === view.head) return a.weights[first + t];
    const w = u.attention?.[view.layer];
    return w ? w[view.head * u.attentionStride + first + t] : 0;
  };
  let max = 0;
  for (let t = 0; t < u.tokens.length; t++) max = Math.max(max, weightAt(t));
  $('attention').replaceChildren(...u.tokens.map((tok, t) => {
    const w = weightAt(t);
    return chip(tok.text, `#${tok.id} ${JSON.stringify(tok.text)} · attention ${percent(w)}`, `color-mix(in srgb, var(--vscode-charts-blue) ${Math.round((w / (max || 1)) * 80)}%, var(--vscode-editor-background))`);
  }));
  if (!a) {
    $('attention-stats').textContent = view.open.includes('attention') ? 'Computing q, k, v and Z for this layer and head…' : '';
    $('qkv').replaceChildren();
    $('scores').replaceChildren();
    $('matrices').textContent = '';
    return;
  }
  const cursor = u.tokens[u.tokens.length - 1];
  $('attention-stats').textContent = `Layer ${a.layer + 1}, head ${a.head + 1}: the cursor token “${visible(cursor?.text ?? '')}” makes q = x·Wq, k = x·Wk, v = x·Wv (d = ${a.headSize} each); its scores q·k/√${a.headSize} against all ${a.scores.length} keys become softmax weights, and Z = Σ weight × value.`;
  $('qkv').replaceChildren(vectorRow('q', a.q), vectorRow('k', a.k), vectorRow('v', a.v), vectorRow('Z', a.z));
  const head = document.createElement('tr');
  for (const h of ['token', 'q·k/√d', 'weight', '']) {
    const th = document.createElement('th');
    th.textContent = h;
    th.setAttribute('scope', 'col');
    head.append(th);
  }
  let wmax = 0;
  for (let t = 0; t < u.tokens.length; t++) wmax = Math.max(wmax, a.weights[first + t]);
  $('scores').replaceChildren(head, ...u.tokens.map((tok, t) => {
    const tr = document.createElement('tr');
    const cells = [visible(tok.text), a.scores[first + t].toFixed(3), percent(a.weights[first + t])];
    for (const text of cells) {
      const td = document.createElement('td');
      td.textContent = text;
      tr.append(td);
    }
    const bar = document.createElement('td');
    const fill = document.createElement('span');
    fill.className = 'weight-bar';
    fill.style.width = `${Math.round((a.weights[first + t] / (wmax || 1)) * 100)}%`;
    bar.append(fill);
    tr.append(bar);
    return tr;
  }));
  const mats = u.inspection?.matrices?.[a.layer];
  $('matrices').textContent = mats
    ? `Layer ${a.layer + 1}'s own parameter matrices (C × D): ${Array.from(mats, (x) => `${x.role} ${x.rows} × ${x.cols}`).join(', ')}. Each of the ${u.model.layers} layers has its own set.`
    : '';
}

/** The N x M embedding matrix as a heat map: rows the tokens (the cursor's outlined), columns the M dimensions. */
let heat: { u: PanelUpdate; row: number; col: number } | undefined;
const LABEL_WIDTH = 90;
function renderEmbedding(u: PanelUpdate): void {
  const e = u.inspection?.embedding;
  const canvas = $('embedding') as HTMLCanvasElement;
  if (!e) {
    $('embedding-stats').textContent = u.model.kind === 'transformer'
      ? 'Open this section to compute the embedding rows.'
      : 'A counted model has no embedding: it looks the last tokens up in its counts table (see step 4).';
    canvas.hidden = true;
    heat = undefined;
    return;
  }
  canvas.hidden = false;
  const width = (canvas.width = Math.max(300, canvas.clientWidth || 600));
  const cellH = Math.max(6, Math.min(14, Math.floor(360 / e.rows)));
  const height = (canvas.height = e.rows * cellH + 4);
  canvas.style.height = `${height}px`;
  const cellW = (width - LABEL_WIDTH) / e.cols;
  const g = canvas.getContext('2d')!;
  g.clearRect(0, 0, width, height);
  let max = 0;
  for (const v of e.values) max = Math.max(max, Math.abs(v));
  const pos = cssColor('--vscode-charts-red', '#c33');
  const neg = cssColor('--vscode-charts-blue', '#36c');
  for (let r = 0; r < e.rows; r++) {
    for (let c = 0; c < e.cols; c++) {
      const v = e.values[r * e.cols + c];
      g.globalAlpha = Math.min(1, Math.abs(v) / (max || 1));
      g.fillStyle = v >= 0 ? pos : neg;
      g.fillRect(LABEL_WIDTH + c * cellW, r * cellH, Math.ceil(cellW), cellH);
    }
  }
  g.globalAlpha = 1;
  g.fillStyle = cssColor('--vscode-foreground', '#888');
  g.font = `${Math.min(11, cellH)}px ${cssColor('--vscode-editor-font-family', 'monospace')}`;
  const labelAt = e.from - (u.contextLength - u.tokens.length);
  for (let r = 0; r < e.rows; r++) g.fillText(visible(u.tokens[labelAt + r]?.text ?? '').slice(0, 12), 2, r * cellH + cellH - 2);
  // The cursor token's row: the one attention and the layers start from.
  g.strokeStyle = cssColor('--vscode-focusBorder', '#07f');
  g.lineWidth = 2;
  g.strokeRect(1, (e.rows - 1) * cellH + 1, width - 2, cellH - 1);
  if (heat && heat.row < e.rows && heat.col < e.cols) {
    g.strokeStyle = cssColor('--vscode-foreground', '#000');
    g.lineWidth = 1;
    g.strokeRect(LABEL_WIDTH + heat.col * cellW, heat.row * cellH, Math.max(2, cellW), cellH);
  }
  heat = { u, row: Math.min(heat?.row ?? e.rows - 1, e.rows - 1), col: Math.min(heat?.col ?? 0, e.cols - 1) };
  $('embedding-stats').textContent = `${e.rows} of the ${u.contextLength} rows (N) × M = ${e.cols} dimensions, ${e.kind} embedding; red positive, blue negative, the outlined row is the cursor token.`;
  canvas.setAttribute('aria-label', `Embedding heat map: ${e.rows} tokens by ${e.cols} dimensions. Arrow keys move between cells.`);
  describeCell();
}

function describeCell(): void {
  const e = heat?.u.inspection?.embedding;
  if (!heat || !e) return;
  const u = heat.u;
  const token = u.tokens[e.from - (u.contextLength - u.tokens.length) + heat.row];
  $('embedding-cell').textContent = `row ${e.from + heat.row + 1} “${visible(token?.text ?? '')}” (#${token?.id}), dimension ${heat.col + 1}: ${e.values[heat.row * e.cols + heat.col].toFixed(4)}`;
}

/** The logit lens (transformers) or the counts table with its backoff (counted models). */
function renderLayers(u: PanelUpdate): void {
  const table = $('lens');
  const header = (names: string[]) => {
    const tr = document.createElement('tr');
    for (const n of names) {
      const th = document.createElement('th');
      th.setAttribute('scope', 'col');
      th.textContent = n;
      tr.append(th);
    }
    return tr;
  };
  const row = (cells: string[], current = false) => {
    const tr = document.createElement('tr');
    if (current) tr.className = 'current';
    cells.forEach((text, i) => {
      const td = document.createElement(i === 0 ? 'th' : 'td');
      if (i === 0) td.setAttribute('scope', 'row');
      td.textContent = text;
      tr.append(td);
    });
    return tr;
  };
  const name = (id: number) => visible((vocabulary?.modelId === u.model.id ? vocabulary.tokens[id] : undefined) ?? `#${id}`);
  const lens = u.inspection?.lens;
  const counts = u.inspection?.counts;
  // The lens reads the model alone: before token healing and your files' counts (step 5 has those).
  const adjusted = [u.healing ? 'token healing' : '', u.cache || u.workspaceCache ? "your files' counts" : ''].filter(Boolean).join(' and ');
  $('lens-note').textContent = lens
    ? `The final ${u.inspection?.architecture.norm ?? 'norm'} and the output layer applied to the residual stream after each layer: the model's own prediction over all L tokens${adjusted ? `, before ${adjusted} (step 5 shows the vector with them)` : ''}.`
    : counts ? `The ${counts.smoothing === 'kneser-ney' ? 'Kneser-Ney model interpolates all orders (lower orders hold continuation counts)' : 'model uses the longest context it has seen'}; the order marked decides.` : '';
  if (lens) {
    table.setAttribute('aria-label', 'What the model would predict after each layer: the top five with probabilities');
    table.replaceChildren(header(['after layer', '1st', '2nd', '3rd', '4th', '5th']), ...Array.from(lens, (l) =>
      row([`${l.layer} of ${u.model.layers}`, ...Array.from(l.top, (t) => `${name(t.id)} ${percent(t.prob)}`)], l.layer === u.model.layers)));
  } else if (counts) {
    table.setAttribute('aria-label', 'The counts after the last tokens at each order; the highlighted order decided');
    table.replaceChildren(header(['order', 'context', 'seen', 'next tokens (count)']), ...Array.from(counts.orders, (o) => row([
      `${o.order}${o.order === counts.backoffOrder ? ' ← decides' : ''}`,
      o.context.length ? Array.from(o.context, name).join(' ') : '(none: unigrams)',
      o.total > 0 ? `${o.total.toLocaleString('en-US')} times, ${o.types} different next` : 'never: back off',
      Array.from(o.next, (x) => `${name(x.id)} ${x.count}`).join(', '),
    ], o.order === counts.backoffOrder)));
  } else table.replaceChildren();
}

/** The ghost text token by token; each alternative is a button that branches there. */
function renderSuggestion(u: PanelUpdate): void {
  const s = u.suggestion;
  const list = $('suggestion');
  if (!s) {
    $('suggestion-text').textContent = '';
    list.replaceChildren();
    return;
  }
  $('suggestion-text').textContent = s.text.length > 0
    ? `Ghost text${s.branchedAt !== undefined ? ` (branched at token ${s.branchedAt + 1})` : ''}: ${visible(s.text)}`
    : 'No ghost text here: the model would write nothing (or only whitespace).';
  list.replaceChildren(...Array.from(s.steps, (step, i) => {
    const li = document.createElement('li');
    li.className = 'step';
    const chosen = document.createElement('span');
    chosen.className = 'chip chosen';
    chosen.textContent = visible(step.text);
    chosen.title = `token ${i + 1}: #${step.id} ${percent(step.prob)}`;
    const p = document.createElement('span');
    p.className = 'value';
    p.textContent = percent(step.prob);
    const alts = document.createElement('span');
    alts.className = 'alternatives';
    alts.setAttribute('role', 'group');
    alts.setAttribute('aria-label', `Alternatives for token ${i + 1}`);
    for (const a of step.alternatives) {
      if (a.id === step.id) continue;
      const b = document.createElement('button');
      b.className = 'alt';
      b.textContent = `${visible(a.text)} ${percent(a.prob)}`;
      b.setAttribute('aria-label', `Regenerate the ghost text with ${visible(a.text)} (${percent(a.prob)}) as token ${i + 1}`);
      b.addEventListener('click', () => vscode.postMessage({ type: 'branch', step: i, token: a.id }));
      alts.append(b);
    }
    li.setAttribute('aria-label', `Token ${i + 1}: ${visible(step.text)}, ${percent(step.prob)}`);
    li.append(chosen, p, alts);
    return li;
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
  renderEmbedding(u);
  renderLayers(u);
  renderSuggestion(u);
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

/** Which sections are open and the attention pickers: remembered (webview state) and told to the extension. */
function postSections(): void {
  const open = PANEL_SECTIONS.filter((name) => view.open.includes(name));
  vscode.setState({ open, layer: view.layer, head: view.head });
  vscode.postMessage({ type: 'sections', open, layer: view.layer, head: view.head });
}
for (const name of PANEL_SECTIONS) {
  const details = $(`view-${name}`) as HTMLDetailsElement;
  details.open = view.open.includes(name);
  details.addEventListener('toggle', () => {
    const isOpen = details.open === true;
    if (isOpen === view.open.includes(name)) return;
    view.open = isOpen ? [...view.open, name] : view.open.filter((x) => x !== name);
    postSections();
  });
}
for (const key of ['layer', 'head'] as const) {
  $(key).addEventListener('change', () => {
    view[key] = Number(($(key) as HTMLSelectElement).value) || 0;
    postSections();
    if (last) renderAttention(last);
  });
}

// The heat map: hover or the arrow keys select a cell; its value is announced.
const heatCanvas = $('embedding') as HTMLCanvasElement;
heatCanvas.addEventListener('mousemove', (event) => {
  const e = heat?.u.inspection?.embedding;
  if (!heat || !e) return;
  const box = heatCanvas.getBoundingClientRect();
  const x = ((event as MouseEvent).clientX - box.left) * (heatCanvas.width / box.width) - LABEL_WIDTH;
  const y = ((event as MouseEvent).clientY - box.top) * (heatCanvas.height / box.height);
  if (x < 0) return;
  heat.col = Math.max(0, Math.min(e.cols - 1, Math.floor(x / ((heatCanvas.width - LABEL_WIDTH) / e.cols))));
  heat.row = Math.max(0, Math.min(e.rows - 1, Math.floor(y / ((heatCanvas.height - 4) / e.rows))));
  describeCell();
  heatCanvas.title = $('embedding-cell').textContent ?? '';
});
heatCanvas.addEventListener('keydown', (event) => {
  const e = heat?.u.inspection?.embedding;
  const key = (event as KeyboardEvent).key;
  const moves: Record<string, [number, number]> = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1], Home: [0, -1e9], End: [0, 1e9] };
  if (!heat || !e || !moves[key]) return;
  event.preventDefault();
  heat.row = Math.max(0, Math.min(e.rows - 1, heat.row + moves[key][0]));
  heat.col = Math.max(0, Math.min(e.cols - 1, heat.col + moves[key][1]));
  renderEmbedding(heat.u);
});

postSections();
vscode.postMessage({ type: 'ready' });
