/** The panel's HTML: locked down by CSP, one nonce'd script, resources only from media/. */
import * as vscode from 'vscode';

function nonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export function panelHtml(webview: vscode.Webview, extensionUri: vscode.Uri): string {
  const n = nonce();
  const script = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'panel.js'));
  const style = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'panel.css'));
  const csp = [
    "default-src 'none'",
    `style-src ${webview.cspSource}`,
    `img-src ${webview.cspSource} data:`,
    `script-src 'nonce-${n}'`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link href="${style}" rel="stylesheet">
<title>Next Token: probabilities</title>
</head>
<body>
<main id="app">
  <header>
    <h1 id="model">Next Token</h1>
    <ol id="flow" class="flow" aria-label="The steps from your text to the next token"></ol>
    <p id="status" class="status" aria-live="polite">Move the cursor in an editor to see what the model predicts.</p>
  </header>
  <details id="view-tokens" data-view="tokens" open>
    <summary id="tokens-h">1 · Tokens <span class="hint">the context in the vocabulary of L entries, coloured by how expected each one was</span></summary>
    <p id="healing" class="stats" hidden></p>
    <div id="tokens" class="chips" role="list" aria-labelledby="tokens-h"></div>
  </details>
  <details id="view-embedding" data-view="embedding">
    <summary id="embedding-h">2 · Embedding <span class="hint">each token's row of the table: an N × M matrix</span></summary>
    <p id="embedding-stats" class="stats"></p>
    <canvas id="embedding" class="heat" width="600" height="200" tabindex="0" role="img" aria-roledescription="heat map" aria-labelledby="embedding-h"></canvas>
    <p id="embedding-cell" class="stats" aria-live="polite">Hover a cell, or focus the map and use the arrow keys, to read a value.</p>
  </details>
  <details id="view-attention" data-view="attention">
    <summary id="attention-h">3 · Self-attention <span class="hint">the cursor token's query against every key: q·k/√d, softmax, Z</span></summary>
    <div class="controls">
      <label>layer <select id="layer"></select></label>
      <label>head <select id="head"></select></label>
    </div>
    <p id="attention-stats" class="stats"></p>
    <div id="attention" class="chips" role="list" aria-label="Attention weights over the context tokens"></div>
    <div id="qkv" class="vectors"></div>
    <table id="scores" class="grid" aria-label="Scores and softmax weights per context token"></table>
    <p id="matrices" class="stats"></p>
  </details>
  <details id="view-layers" data-view="layers">
    <summary id="layers-h">4 · Layer by layer <span class="hint">what the model would predict after each of the Nx layers</span></summary>
    <p id="lens-note" class="stats"></p>
    <table id="lens" class="grid" aria-labelledby="layers-h"></table>
  </details>
  <details id="view-vector" data-view="vector" open>
    <summary id="vector-h">5 · The vector of L probabilities <span class="hint">the top candidates, the whole vector; click a candidate to insert it</span></summary>
    <ol id="top" class="bars" aria-label="Top candidates"></ol>
    <div class="controls" aria-label="Sampling: the same settings ghost text uses">
      <label>temperature <input id="temperature" type="number" min="0" max="2" step="0.1"></label>
      <label>top-k <input id="topK" type="number" min="0" step="1"></label>
      <label>top-p <input id="topP" type="number" min="0.01" max="1" step="0.05"></label>
    </div>
    <div class="side-by-side">
      <figure><figcaption id="vector-caption">the vector ghost text uses</figcaption>
        <canvas id="vector" width="600" height="160" role="img" aria-label="All probabilities sorted on a log scale"></canvas></figure>
      <figure id="model-vector-figure" hidden><figcaption>the model's own vector, before your files' counts</figcaption>
        <canvas id="model-vector" width="600" height="160" role="img" aria-label="The model's own probabilities sorted on a log scale"></canvas>
        <ol id="model-top" class="compact" aria-label="The model's own top candidates"></ol></figure>
    </div>
    <p id="vector-stats" class="stats"></p>
    <label class="search">Rank of token <input id="search" type="search" placeholder="type a token, e.g. return"></label>
    <p id="search-result" class="stats" aria-live="polite"></p>
  </details>
  <details id="view-suggestion" data-view="suggestion">
    <summary id="suggestion-h">6 · The ghost text, token by token <span class="hint">click an alternative to regenerate from there</span></summary>
    <p id="suggestion-text" class="suggestion" aria-live="polite"></p>
    <ol id="suggestion" class="steps" aria-labelledby="suggestion-h"></ol>
  </details>
</main>
<script nonce="${n}" src="${script}"></script>
</body>
</html>`;
}
