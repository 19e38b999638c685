/**
 * The URI schemes of documents a person types code into, for ghost text and for learning
 * from open files. Not output channels, settings or git views.
 *
 * - file, untitled: desktop VS Code, and the Node extension host of a remote (code-server).
 * - vscode-remote: the same workspace seen from the web worker extension host in code-server
 *   or a tunnel in vscode.dev: there the files of the remote are not `file:` URIs.
 * - vscode-vfs: github.dev and Remote Repositories.
 * - vscode-notebook-cell: notebook code cells.
 */
export const DOCUMENT_SCHEMES = ['file', 'untitled', 'vscode-remote', 'vscode-vfs', 'vscode-notebook-cell'] as const;

export function isDocumentScheme(scheme: string): boolean {
  return (DOCUMENT_SCHEMES as readonly string[]).includes(scheme);
}
