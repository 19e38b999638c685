/** The `nextToken.*` settings, read in one place with safe fallbacks. */
import * as vscode from 'vscode';
import type { SamplingOptions } from '../engine';

export interface CompletionSettings {
  maxTokens: number;
  multiline: boolean;
  sampling: SamplingOptions;
  /** null: adaptive. */
  debounceMs: number | null;
  alternatives: number;
}

const clamp = (v: unknown, lo: number, hi: number, fallback: number) =>
  typeof v === 'number' && Number.isFinite(v) ? Math.min(hi, Math.max(lo, v)) : fallback;

export function readSettings(scope?: vscode.ConfigurationScope): CompletionSettings {
  const c = vscode.workspace.getConfiguration('nextToken', scope);
  const debounce = c.get<unknown>('debounceMs');
  return {
    maxTokens: Math.round(clamp(c.get('maxTokens'), 1, 256, 16)),
    multiline: c.get<boolean>('multiline') === true,
    sampling: {
      temperature: clamp(c.get('temperature'), 0, 2, 0),
      topK: Math.round(clamp(c.get('topK'), 0, 100_000, 0)),
      topP: clamp(c.get('topP'), 0.01, 1, 1),
    },
    debounceMs: typeof debounce === 'number' && debounce >= 0 ? Math.min(debounce, 2000) : null,
    alternatives: Math.round(clamp(c.get('alternatives'), 1, 5, 3)),
  };
}

/** `nextToken.enable` is a per-language map such as {"*": true, "plaintext": false}. */
export function isEnabledFor(languageId: string): boolean {
  const map = vscode.workspace.getConfiguration('nextToken').get<Record<string, unknown>>('enable') ?? {};
  if (typeof map !== 'object' || map === null) return true;
  if (typeof map[languageId] === 'boolean') return map[languageId] as boolean;
  return map['*'] !== false;
}
