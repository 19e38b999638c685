/**
 * What the integration tests read of a running extension, recorded from the features'
 * events here instead of in fields of the production classes: the provider's requests and
 * answers, and the messages the panel sent its webview.
 */
import * as vscode from 'vscode';
import type { ProviderEvent } from './completion/provider';
import type { HostToPanel, PanelUpdate } from './panel/messages';

export class TestApi implements vscode.Disposable {
  /** Ghost text: requests, suggestion-cache hits, answers with items, the time to each answer and the suffix tokens each read (the last 1,000). */
  readonly ghostText = { requests: 0, cacheHits: 0, shown: 0, timesMs: [] as number[], suffixTokens: [] as Array<number | undefined> };
  /** The last 50 messages sent to the panel's webview. */
  readonly panelMessages: HostToPanel[] = [];
  private readonly updates = new vscode.EventEmitter<PanelUpdate>();
  /** Fires with every update the panel sent. */
  readonly onPanelUpdate = this.updates.event;
  private readonly subscriptions: vscode.Disposable[];

  constructor(onDidHandle: vscode.Event<ProviderEvent>, onDidPost: vscode.Event<HostToPanel>) {
    this.subscriptions = [
      onDidHandle((e) => {
        const g = this.ghostText;
        if (e.kind === 'asked') g.requests++;
        else if (e.kind === 'cacheHit') g.cacheHits++;
        else {
          if (e.shown) g.shown++;
          g.timesMs.push(e.ms);
          if (g.timesMs.length > 1000) g.timesMs.shift();
          // Per answer: the tokens after the cursor the model read for it (fill-in-the-middle; undefined: none, or a suggestion-cache hit).
          g.suffixTokens.push(e.suffixTokens);
          if (g.suffixTokens.length > 1000) g.suffixTokens.shift();
        }
      }),
      onDidPost((m) => {
        this.panelMessages.push(m);
        if (this.panelMessages.length > 50) this.panelMessages.shift();
        if (m.type === 'update') this.updates.fire(m.update);
      }),
      this.updates,
    ];
  }

  dispose(): void {
    while (this.subscriptions.length) this.subscriptions.pop()?.dispose();
  }
}
