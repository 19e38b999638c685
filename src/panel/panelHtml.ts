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
<main id="app" aria-live="polite">
  <header>
    <h1 id="model">Next Token</h1>
    <p id="flow" class="flow"></p>
    <p id="status" class="status">Move the cursor in an editor to see what the model predicts.</p>
  </header>
  <section aria-labelledby="tokens-h">
    <h2 id="tokens-h">Context tokens <span class="hint">coloured by how expected each one was</span></h2>
    <div id="tokens" class="chips" role="list"></div>
  </section>
  <section aria-labelledby="top-h">
    <h2 id="top-h">Next token: top candidates <span class="hint">percent of the whole vocabulary; click to insert</span></h2>
    <ol id="top" class="bars"></ol>
  </section>
  <section aria-labelledby="sampling-h">
    <h2 id="sampling-h">Sampling <span class="hint">the same settings ghost text uses</span></h2>
    <div class="controls">
      <label>temperature <input id="temperature" type="number" min="0" max="2" step="0.1"></label>
      <label>top-k <input id="topK" type="number" min="0" step="1"></label>
      <label>top-p <input id="topP" type="number" min="0.01" max="1" step="0.05"></label>
    </div>
  </section>
  <section aria-labelledby="vector-h">
    <h2 id="vector-h">The whole vector <span class="hint">all L probabilities, sorted, log scale</span></h2>
    <canvas id="vector" width="600" height="160" role="img" aria-label="All probabilities sorted on a log scale"></canvas>
    <p id="vector-stats" class="stats"></p>
    <label class="search">Rank of token <input id="search" type="search" placeholder="type a token, e.g. return"></label>
    <p id="search-result" class="stats" aria-live="polite"></p>
  </section>
  <section id="attention-section" aria-labelledby="attention-h">
    <h2 id="attention-h">Attention of the last position</h2>
    <div class="controls">
      <label>layer <select id="layer"></select></label>
      <label>head <select id="head"></select></label>
    </div>
    <div id="attention" class="chips" role="list"></div>
  </section>
</main>
<script nonce="${n}" src="${script}"></script>
</body>
</html>`;
}
