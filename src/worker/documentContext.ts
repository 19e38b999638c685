/**
 * The one place where ghost text and the probability panel cut their context out of a
 * document: the same stepped start, so the worker's KV cache serves both, and the same
 * LF text the model was trained on, whatever the document's line endings.
 */
import * as vscode from 'vscode';
import { toModelText } from '../engine';
import { contextStart, cutSuffix, SUFFIX_CHARS } from './contextStart';

export interface DocumentContext {
  /** The text before the cursor as the model sees it: LF line endings, from `contextStart`. */
  prefix: string;
  /** The rest of the cursor's line (for the suffix rules). */
  lineSuffix: string;
  /** The document's end-of-line sequence (CRLF: the model saw LF); suggestions go back in it. */
  eol: '\n' | '\r\n';
}

export function documentContext(document: vscode.TextDocument, position: vscode.Position): DocumentContext {
  const start = contextStart(document.offsetAt(position));
  const raw = document.getText(new vscode.Range(document.positionAt(start), position));
  return {
    prefix: toModelText(raw),
    lineSuffix: document.lineAt(position.line).text.slice(position.character),
    eol: document.eol === vscode.EndOfLine.CRLF ? '\r\n' : '\n',
  };
}

/**
 * The text after the cursor for a fill-in-the-middle model: the rest of the line and the
 * lines below, bounded (SUFFIX_CHARS, cut at a line end), LF line endings.
 */
export function documentSuffix(document: vscode.TextDocument, position: vscode.Position): string {
  const from = document.offsetAt(position);
  const end = document.positionAt(from + SUFFIX_CHARS + 1);
  const after = document.getText(new vscode.Range(position, end));
  const whole = document.offsetAt(end) - from <= SUFFIX_CHARS;
  return toModelText(cutSuffix(whole ? after : after.slice(0, SUFFIX_CHARS), whole));
}
