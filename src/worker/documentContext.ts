/**
 * The one place where ghost text and the probability panel cut their context out of a
 * document: the same stepped start, so the worker's KV cache serves both, and the same
 * LF text the model was trained on, whatever the document's line endings.
 */
import * as vscode from 'vscode';
import { toModelText } from '../engine';
import { contextStart } from './contextStart';

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
