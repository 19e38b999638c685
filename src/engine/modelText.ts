/**
 * The text a model sees: always LF line endings. The corpus turned every CRLF into LF, so
 * a `\r` is a byte the models never saw in training (on CRLF files it cost the default model
 * 29% more bits); the editor, the panel, the open-file cache and `eval` all go through here,
 * and what the model writes goes back in the document's own line ending.
 */

/** CRLF and a lone CR become LF. */
export function toModelText(text: string): string {
  return text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text;
}

/** Model text (LF) in the document's end-of-line sequence. */
export function toDocumentEol(text: string, eol: '\n' | '\r\n'): string {
  return eol === '\n' ? text : text.replace(/\n/g, eol);
}

